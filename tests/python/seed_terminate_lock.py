# The seed post python第三方库 multiprocessing (1.1, p.terminate()): "如果p还
# 保存了一个锁那么也将不会被释放,进而导致死锁" (if p holds a lock, it is not
# released, which leads to a deadlock). The post shows no program for it:
# this is that sentence as a program.
# lockstep: expect no deadlock
import time
from multiprocessing import Lock, Process

def hold(lock):
    lock.acquire()
    print('p holds the lock')
    time.sleep(10)
    lock.release()

if __name__ == '__main__':
    lock = Lock()
    p = Process(target=hold, args=(lock,))
    p.start()
    time.sleep(1)
    p.terminate()
    p.join()
    lock.acquire()
    print('never printed')
