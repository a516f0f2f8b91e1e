from multiprocessing import Process, Lock
import os, time

def work(lock):
    lock.acquire()
    print(os.getpid(), '拿到了锁')
    time.sleep(5)              # 在这里被终止：永远不会释放
    lock.release()
    print(os.getpid(), '释放了锁')

if __name__ == '__main__':
    lock = Lock()
    p1 = Process(target=work, args=(lock,)); p1.start()
    time.sleep(0.3)            # 让 p1 先拿到锁
    p2 = Process(target=work, args=(lock,)); p2.start()
    p3 = Process(target=work, args=(lock,)); p3.start()
    time.sleep(0.3)
    p1.terminate()             # SIGTERM：不做清理，锁一直被占着
    p1.join()
    print(f'p1 的退出码：{p1.exitcode}')    # -15
    p2.join()                  # 永远等下去：p2 在等一把没人释放的锁
    p3.join()
    print('全部完成')
