# From the seed post python之管道, 事件, 信号量, 进程池 (进程池的回调函数): the
# callback runs in the main process (its pid is the parent's).
# Unchanged but for the expect line.
# lockstep: expect no deadlock
import os
from multiprocessing import Pool, Process

def f1(n):
    print('进程池里面的进程pid', os.getpid())
    print(n)
    return 2 * n

def f2(n):
    print('回调函数里面的进程pid', os.getpid())
    print(n)

if __name__ == '__main__':
    pool = Pool(4)
    res = pool.apply_async(f1, args=(5,), callback=f2)
    pool.close()
    pool.join()
    print('主程序里面的进程pid', os.getpid())
