# maxtasksperchild=1 with apply_async, close and join (workers leave while
# the main process waits in join), then map and imap_unordered on a pool
# of one worker replaced after every task.
# lockstep: expect no deadlock
import os
from multiprocessing import Pool


def who(n):
    return os.getpid()


if __name__ == '__main__':
    pool = Pool(2, maxtasksperchild=1)
    rs = [pool.apply_async(who, (i,)) for i in range(5)]
    pool.close()
    pool.join()
    print('workers', len(set(r.get() for r in rs)))
    single = Pool(1, maxtasksperchild=1)
    print(sorted(single.map(abs, [-1, -2, -3])))
    print(sorted(single.imap_unordered(abs, [-4, -5])))
