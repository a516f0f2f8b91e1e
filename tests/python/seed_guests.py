# From the seed post python之管道, 事件, 信号量, 进程池: Semaphore(2), five
# guests, at most two inside at once. Unchanged but for the expect line.
# lockstep: expect no deadlock
import time
import random
from multiprocessing import Process, Semaphore

def f1(i, s):
    s.acquire()

    print('%s号嘉宾进去了' % i)
    time.sleep(random.randint(1, 3))
    print('%s号嘉宾出来了' % i)
    s.release()

if __name__ == '__main__':
    s = Semaphore(2) # 计数器2, acquire 一次减一, 为0, 其他人等待, release加1
    for i in range(5):
        p = Process(target=f1, args=(i, s))
        p.start()
