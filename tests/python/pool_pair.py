# Pool(2), two tasks by apply_async, both results read: which worker
# takes which task, and when the parent reads each result.
# lockstep: expect no deadlock
from multiprocessing import Pool


def double(n):
    return n * 2


if __name__ == '__main__':
    pool = Pool(2)
    a = pool.apply_async(double, (1,))
    b = pool.apply_async(double, (2,))
    print(a.get() + b.get())
