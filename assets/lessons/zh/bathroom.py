from multiprocessing import Process, Lock
import random, time

def task(i, lock):
    lock.acquire()                         # 进去后把门锁上
    print('任务', i, '进去了')
    time.sleep(random.uniform(1, 3))       # 在里面忙 1 到 3 秒
    print('任务', i, '出来了')
    lock.release()                         # 开锁：下一个可以进去了

if __name__ == '__main__':
    lock = Lock()                          # 唯一的卫生间，唯一的钥匙
    tasks = [Process(target=task, args=(i, lock)) for i in range(2)]
    for p in tasks:
        p.start()
    for p in tasks:
        p.join()
