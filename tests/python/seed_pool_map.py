# From the seed post 线程 (进程池Pool()方法创建的进程,map()方法是否有返回值?):
# map returns the results in order; each worker prints its task and pid.
# Unchanged but for the expect line, Pool(4) for the post's four cores
# and a shorter sleep.
# lockstep: expect no deadlock
import time,os
from multiprocessing import Pool,Queue,Pipe

def func(q):
    print(q)
    time.sleep(0.1)
    print(os.getpid())#打印进程的pid
    return q

if __name__ == '__main__':
    p = Pool(4)
    ret = p.map(func,range(10))
    for i in ret:
        print('-->',i)
