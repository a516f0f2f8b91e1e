# A task that raises, not caught: the program fails with the worker's
# traceback (its RemoteTraceback) shown first, as Python prints it.
from multiprocessing import Pool

def check(n):
    if n < 0:
        raise ValueError('negative: %d' % n)
    return n

if __name__ == '__main__':
    with Pool(1) as pool:
        pool.apply(check, (-1,))
