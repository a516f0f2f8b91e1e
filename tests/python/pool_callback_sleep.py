# Callbacks with no join: the main process sleeps, and the results in by
# then have their callbacks run in it (CPython's result thread would have
# run them meanwhile), as the seed post's url fetcher relies on.
import os, time
from multiprocessing import Pool

def get(i):
    return i * 10

def write(r):
    print('got', r, os.getpid() == main)

if __name__ == '__main__':
    main = os.getpid()
    p = Pool(2)
    for i in range(3):
        p.apply_async(get, args=(i,), callback=write)
    time.sleep(1)
    print('end')
