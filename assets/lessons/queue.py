from multiprocessing import Process, JoinableQueue   # save as queue_demo.py: a file named queue.py would hide Python's own queue module
import os, random, time

def producer(q, k):
    for i in range(3):
        time.sleep(random.uniform(0.2, 0.6))   # making takes a while
        q.put(k * 10 + i)                      # item 10, 11, 12 or 20, 21, 22
        print('made', k * 10 + i)

def consumer(q):
    while True:                                # a daemon: it ends with main
        item = q.get()                         # blocks while the queue is empty
        time.sleep(random.uniform(0.3, 0.9))   # using it takes a while
        print(os.getpid(), 'used', item)
        q.task_done()                          # one more item done

if __name__ == '__main__':
    q = JoinableQueue()
    makers = [Process(target=producer, args=(q, k)) for k in (1, 2)]
    users = [Process(target=consumer, args=(q,), daemon=True) for _ in range(2)]
    for p in makers + users:
        p.start()
    for p in makers:
        p.join()                               # every item has been put
    q.join()                                   # every item has been marked done
    print('all items done')
