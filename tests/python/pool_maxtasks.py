# maxtasksperchild=2: a worker leaves after two tasks and the pool starts
# another, a new process (a new pid, a new lane pool[1], pool[2]).
# lockstep: expect no deadlock
import os
from multiprocessing import Pool


def who(n):
    return os.getpid()


if __name__ == '__main__':
    with Pool(1, maxtasksperchild=2) as pool:
        pids = [pool.apply(who, (i,)) for i in range(5)]
    print('workers', len(set(pids)))
    print('pairs', pids[0] == pids[1], pids[2] == pids[3], pids[1] != pids[2])
