from multiprocessing import Process, RLock
import os

def log(lock, i):
    with lock:                 # the owner again: count 2 (a Lock waits for itself here)
        print('worker', i, 'logs inside, count 2')

def work(lock, i):
    with lock:                 # count 1: the others wait
        print('worker', i, 'has the lock')
        log(lock, i)           # a helper that takes the same lock
        print('worker', i, 'back to count 1')
    print('worker', i, 'released it')

if __name__ == '__main__':
    lock = RLock()             # with Lock() each worker deadlocks on itself
    ps = [Process(target=work, args=(lock, i)) for i in range(2)]
    for p in ps: p.start()
    for p in ps: p.join()
