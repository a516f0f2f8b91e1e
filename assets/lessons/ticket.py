from multiprocessing import Process, Lock
import json, os, random, time

def load():
    with open('db.json') as f:
        return json.load(f)['count']

def buyer(mutex):
    time.sleep(1)                          # check: every buyer looks at once
    left = load()
    print(os.getpid(), 'sees', left, 'tickets left')
    mutex.acquire()                        # buy: one buyer at a time from here
    count = load()
    time.sleep(2)                          # network delay before the answer
    if count > 0:
        count -= 1
        time.sleep(random.uniform(1, 3))   # booking the seat takes a while
        with open('db.json', 'w') as f:
            json.dump({'count': count}, f)  # write the new count back
        print(os.getpid(), 'bought a ticket')
    else:
        print(os.getpid(), 'sold out')
    mutex.release()                        # let the next buyer in
    # buyer() returns: the process ends (exit code 0)
if __name__ == '__main__':
    with open('db.json', 'w') as f:
        json.dump({'count': 1}, f)         # only one ticket left
    mutex = Lock()
    for _ in range(10):
        Process(target=buyer, args=(mutex,)).start()
