from multiprocessing import Process
import os

def task(main_pid):
    print(f'子进程：pid {os.getpid()}，父进程 {os.getppid()}')
    if os.getppid() == main_pid:
        print('我的父进程是主进程，pid', main_pid)
        return
    print('我的父进程不是主进程：pid', os.getppid())

if __name__ == '__main__':
    print(f'主进程：pid {os.getpid()}，父进程 {os.getppid()}')  # 它的父进程：lockstep
    a = Process(target=task, args=(os.getpid(),)); a.start()
    b = Process(target=task, args=(os.getpid(),)); b.start()
    print('--- 主进程 ---')
    a.join()
    b.join()
