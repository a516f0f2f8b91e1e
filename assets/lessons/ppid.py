from multiprocessing import Process
import os

def task(main_pid):
    print('child: pid', os.getpid(), 'parent', os.getppid())
    if os.getppid() == main_pid:
        print('my parent is main, pid', main_pid)
        return
    print('my parent is not main: pid', os.getppid())

if __name__ == '__main__':
    print('main: pid', os.getpid(), 'parent', os.getppid())  # its parent: lockstep
    a = Process(target=task, args=(os.getpid(),)); a.start()
    b = Process(target=task, args=(os.getpid(),)); b.start()
    print('--- main ---')
    a.join()
    b.join()
