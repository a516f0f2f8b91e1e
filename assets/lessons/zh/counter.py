from multiprocessing import Process, Lock, Manager
import os, time

def work(shared, lock):
    lock.acquire()
    count = shared['count']      # 读出共享的值
    time.sleep(0.1)              # 这期间别的进程在跑：竞争窗口
    shared['count'] = count - 1  # 把算出来的值写回去
    print(os.getpid(), '读到', count)
    lock.release()

if __name__ == '__main__':
    lock, manager = Lock(), Manager()     # the manager: a server process
    shared = manager.dict({'count': 100})  # a dict that lives in it
    workers = [Process(target=work, args=(shared, lock)) for _ in range(20)]
    for p in workers:
        p.start()
    for p in workers:
        p.join()
    # 有锁时 shared['count'] 现在是 80（程序在下方显示它）
