from multiprocessing import Process, Pool
import os, time

def f(n):
    total = n
    for i in range(5):            # a tiny job: add 0..4 to n
        total += i
    return total

def show(result):                 # apply_async's callback
    print(result, 'pid', os.getpid())  # runs in the parent

if __name__ == '__main__':
    print('parent pid', os.getpid())
    t = time.time()
    pool = Pool(4)                # 4 workers, reused for every task
    start_time = time.time() - t

    t = time.time()               # apply: one task at a time,
    for n in range(100):          # waiting for each result
        pool.apply(f, (n,))
    apply_time = time.time() - t

    t = time.time()               # apply_async: submit them all,
    jobs = [pool.apply_async(f, (n,), callback=show)
            for n in range(100)]
    results = [j.get() for j in jobs]  # then get() each
    async_time = time.time() - t

    t = time.time()
    results = pool.map(f, range(100))  # in task order
    map_time = time.time() - t

    t = time.time()
    pool.close()                  # no more tasks
    pool.join()                   # the 4 workers exit; reaped
    close_time = time.time() - t

    t = time.time()
    procs = [Process(target=f, args=(n,)) for n in range(100)]
    for p in procs:
        p.start()                 # a brand-new OS process per task
    for p in procs:
        p.join()
    procs_time = time.time() - t

    pool_time = start_time + map_time + close_time
    print('apply %.3f s, apply_async %.3f s' % (apply_time, async_time))
    print('Pool(4) map: %.3f s' % pool_time)
    print('100 Process: %.3f s' % procs_time)
    print('the pool is %.1fx faster' % (procs_time / pool_time))
