# Pool(2) with maxtasksperchild=1: each worker leaves after one task, so
# three apply calls take three workers; which of the live ones takes each
# task is the schedule's choice.
# lockstep: expect no deadlock
import os
from multiprocessing import Pool


def who(n):
    return os.getpid()


if __name__ == '__main__':
    with Pool(2, maxtasksperchild=1) as pool:
        pids = [pool.apply(who, (i,)) for i in range(3)]
    print('workers', len(set(pids)))
