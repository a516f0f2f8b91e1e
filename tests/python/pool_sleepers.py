# Two pool workers each asleep in a long task: what a stopped lockstep
# must not leave behind (tests/python_pool.rs).
import time
from multiprocessing import Pool


def nap(n):
    time.sleep(60)
    return n


if __name__ == '__main__':
    pool = Pool(2, maxtasksperchild=None)
    results = [pool.apply_async(nap, (i,)) for i in range(2)]
    print([r.get() for r in results])
