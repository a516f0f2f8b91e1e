from multiprocessing import Process
import os, time

def child():
    print('child', os.getpid(), 'exits now')

if __name__ == '__main__':
    print('parent pid', os.getpid())
    p = Process(target=child)
    p.start()
    time.sleep(3)              # look now: ps shows the child as Z (zombie)
    p.join()                   # waitpid reaps it: the zombie is gone
    print('child reaped, exit code', p.exitcode)
