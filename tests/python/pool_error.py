# A task that raises: get() raises the same exception in the parent, with
# the worker's traceback as its __cause__ (CPython's RemoteTraceback).
# lockstep: expect no deadlock
from multiprocessing import Pool


def check(n):
    if n < 0:
        raise ValueError('negative: %d' % n)
    return n


if __name__ == '__main__':
    with Pool(1) as pool:
        try:
            pool.apply(check, (-1,))
        except ValueError as e:
            cause = e.__cause__
            print('error', e)
            print('cause', type(cause).__name__)
            print(str(cause))
