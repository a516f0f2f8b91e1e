from multiprocessing import Process, Lock, Manager
import os, time

def work(shared, lock):
    lock.acquire()
    count = shared['count']      # read the shared value
    time.sleep(0.1)              # others run meanwhile: the race window
    shared['count'] = count - 1  # write back what we computed
    print(os.getpid(), 'saw', count)
    lock.release()

if __name__ == '__main__':
    lock, manager = Lock(), Manager()     # the manager: a server process
    shared = manager.dict({'count': 100})  # a dict that lives in it
    workers = [Process(target=work, args=(shared, lock)) for _ in range(20)]
    for p in workers:
        p.start()
    for p in workers:
        p.join()
    # shared['count'] is now 80 with the lock (the app shows it below)
