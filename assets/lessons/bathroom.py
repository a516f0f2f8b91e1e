from multiprocessing import Process, Lock
import random, time

def task(i, lock):
    lock.acquire()                         # lock the door behind you
    print('task', i, 'enters')
    time.sleep(random.uniform(1, 3))       # busy inside for 1-3 seconds
    print('task', i, 'leaves')
    lock.release()                         # unlock: the next one may go in

if __name__ == '__main__':
    lock = Lock()                          # one key for the one bathroom
    tasks = [Process(target=task, args=(i, lock)) for i in range(2)]
    for p in tasks:
        p.start()
    for p in tasks:
        p.join()
