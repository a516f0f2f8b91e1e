# From the seed post python之管道, 事件, 信号量, 进程池 (基于事件的进程通信):
# the main process waits on an Event the child sets. Unchanged but for the
# expect line.
# lockstep: expect no deadlock
import time
from multiprocessing import Process, Event

def f1(e):
    time.sleep(2)
    n = 100
    print('子进程计算结果为:', n)
    e.set()

if __name__ == '__main__':
    e = Event()
    p = Process(target=f1, args=(e, ))
    p.start()

    print('主进程等待.....')
    e.wait()
    print('结果已经出来, 可以拿到该值')
