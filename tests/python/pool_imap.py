# imap yields each result as it comes: a print inside the loop comes
# between the workers' returns, as the schedule has them.
# lockstep: expect no deadlock
from multiprocessing import Pool


def square(n):
    return n * n


if __name__ == '__main__':
    with Pool(2) as pool:
        for r in pool.imap(square, [1, 2, 3]):
            print('got', r)
