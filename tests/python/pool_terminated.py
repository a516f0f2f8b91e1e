# Two tasks submitted and never waited for: the end of `with` terminates
# the pool, so how far each worker got (which task it took, whether it
# returned, whether it took the other one too) is the schedule's choice.
# lockstep: expect no deadlock
from multiprocessing import Pool


def work(n):
    return n


if __name__ == '__main__':
    with Pool(2) as pool:
        pool.apply_async(work, (1,))
        pool.apply_async(work, (2,))
    print('done')
