# From the seed post python之管道, 事件, 信号量, 进程池 (进程池异步): Pool(2), five
# tasks by apply_async: all submitted at once, results two at a time.
# Unchanged but for the expect line and a shorter sleep.
# lockstep: expect no deadlock
import time
from multiprocessing import Process, Pool

def f1(n):
    time.sleep(0.2)
    return n * 2

if __name__ == '__main__':
    pool = Pool(2)
    res_list = [ ]
    for i in range(5):
        print('xxxxx')
        res = pool.apply_async(f1, args=(i,))
        res_list.append(res)
    for i  in res_list:
        print(i.get())
