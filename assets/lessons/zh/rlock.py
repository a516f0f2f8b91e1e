from multiprocessing import Process, RLock
import os

def log(lock, i):
    with lock:                 # 又是持有者：计数 2（换成 Lock 会在这里等自己）
        print('工作进程', i, '在锁里记日志，计数 2')

def work(lock, i):
    with lock:                 # 计数 1：其他进程等着
        print('工作进程', i, '拿到了锁')
        log(lock, i)           # 一个也要拿同一把锁的辅助函数
        print('工作进程', i, '回到计数 1')
    print('工作进程', i, '释放了锁')

if __name__ == '__main__':
    lock = RLock()             # 换成 Lock() 的话每个工作进程都会和自己死锁
    ps = [Process(target=work, args=(lock, i)) for i in range(2)]
    for p in ps: p.start()
    for p in ps: p.join()
