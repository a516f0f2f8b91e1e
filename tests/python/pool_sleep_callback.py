# One task with a callback, then a sleep: whether the callback runs after
# the sleep (its result in by then) or never (the pool is ended at exit)
# is the schedule's choice, as is which worker takes the task.
# lockstep: expect printed(callback) <= 1
import time
from multiprocessing import Pool


def double(n):
    return n * 2


def show(r):
    print('callback', r)


if __name__ == '__main__':
    pool = Pool(2)
    pool.apply_async(double, (1,), callback=show)
    time.sleep(0.1)
    print('end')
