from multiprocessing import Process, Lock
import os, time

def work(lock):
    lock.acquire()
    print(os.getpid(), 'has the lock')
    time.sleep(5)              # terminated in here: never releases
    lock.release()
    print(os.getpid(), 'released the lock')

if __name__ == '__main__':
    lock = Lock()
    p1 = Process(target=work, args=(lock,)); p1.start()
    time.sleep(0.3)            # p1 takes the lock first
    p2 = Process(target=work, args=(lock,)); p2.start()
    p3 = Process(target=work, args=(lock,)); p3.start()
    time.sleep(0.3)
    p1.terminate()             # SIGTERM: no cleanup, the lock stays taken
    p1.join()
    print('p1 exit code:', p1.exitcode)    # -15
    p2.join()                  # forever: p2 waits for a lock nobody frees
    p3.join()
    print('all done')
