# From the seed post python第三方库 multiprocessing (2.3 互斥锁): two tasks
# take turns in the bathroom under one lock. The post's page cuts task2
# off after its first sleep and shows no main block: task2's rest mirrors
# task1, and the main block starts both (marked below). Otherwise
# unchanged but for the expect line.
# lockstep: expect no deadlock
from multiprocessing import Process, Lock
import time
import random

# 生成一个互斥锁
mutex_lock = Lock()


def task1(lock):
    # 锁门
    lock.acquire()
    print('这是 task1 任务'.center(30, '-'))
    print('task1 进了洗手间')
    time.sleep(random.randint(1, 3))
    print('task1 办事呢...')
    time.sleep(random.randint(1, 3))
    print('task1 走出了洗手间')
    # 释放锁
    lock.release()


def task2(lock):
    # 锁门
    lock.acquire()
    print('这是 task2 任务'.center(30, '-'))
    print('task2 进了洗手间')
    time.sleep(random.randint(1, 3))
    # (cut off in the post from here on: as task1)
    print('task2 办事呢...')
    time.sleep(random.randint(1, 3))
    print('task2 走出了洗手间')
    # 释放锁
    lock.release()


if __name__ == '__main__':
    # (not in the post)
    p1 = Process(target=task1, args=(mutex_lock,))
    p2 = Process(target=task2, args=(mutex_lock,))
    p1.start()
    p2.start()
