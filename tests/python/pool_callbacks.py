# Two tasks with a callback each, then close and join: the callbacks run
# in the main process in the order the results came back.
# lockstep: expect no deadlock
from multiprocessing import Pool


def double(n):
    return n * 2


if __name__ == '__main__':
    pool = Pool(2)
    for i in (1, 2):
        pool.apply_async(double, (i,), callback=print)
    pool.close()
    pool.join()
