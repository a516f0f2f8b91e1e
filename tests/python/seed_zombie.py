# From the seed post multiprocessing.Process 和 线程 (主进程和子进程之间的关系):
# "如果子进程执行结束,父进程没有回收资源,那么这个子进程会变成一个僵尸进程"
# (a child that has ended and is not reaped by its parent is a zombie).
# Unchanged but for the expect line.
# lockstep: expect no deadlock
import os
import time
from multiprocessing import Process
def func():
   print('start',os.getpid())
   time.sleep(10)
   print('end',os.getpid())

if __name__ == '__main__':
   p = Process(target=func)
   p.start()   # 异步 调用开启进程的方法 但是并不等待这个进程真的开启
   print('main :',os.getpid())
   # 主进程没结束 :等待子进程结束
   # 主进程负责回收子进程的资源
   # 如果子进程执行结束,父进程没有回收资源,那么这个子进程会变成一个僵尸进程
