# From the seed post python之管道, 事件, 信号量, 进程池 (进程池同步方法): Pool(2),
# five tasks by apply: the parent blocks for each task, one result at a time.
# Unchanged but for the expect line and a shorter sleep.
# lockstep: expect no deadlock
import time
from multiprocessing import Process, Pool

def f1(n):
    # print(n)
    time.sleep(0.2)
    return n * 2

if __name__ == '__main__':
    pool = Pool(2)

    for i in range(5):
        print('xxxxx')
        res = pool.apply(f1, args=(i, ))
        print(res)
