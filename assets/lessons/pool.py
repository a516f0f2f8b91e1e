from multiprocessing import Process, Pool
import time

def f(n):
    total = n
    for i in range(5):                     # a tiny job: add 0..4 to n
        total += i
    return total

if __name__ == '__main__':
    start = time.time()
    with Pool(4) as pool:                  # 4 workers, reused for every task
        results = pool.map(f, range(100))  # results come back in task order
    pool_time = time.time() - start

    start = time.time()
    procs = [Process(target=f, args=(i,)) for i in range(100)]
    for p in procs:
        p.start()                          # a brand-new OS process per task
    for p in procs:
        p.join()
    procs_time = time.time() - start

    print('Pool(4):      %.3f s' % pool_time)
    print('100 Process:  %.3f s' % procs_time)
    print('the pool is %.1fx faster' % (procs_time / pool_time))
