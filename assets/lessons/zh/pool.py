from multiprocessing import Process, Pool
import os, time

def f(n):
    total = n
    for i in range(5):            # 一个很小的任务：给 n 加上 0..4
        total += i
    return total

def show(result):                 # apply_async 的回调
    print(result, 'pid', os.getpid())  # 在父进程里运行

if __name__ == '__main__':
    print('父进程 pid', os.getpid())
    t = time.time()
    pool = Pool(4)                # 4 个工作进程，每个任务都复用它们
    start_time = time.time() - t

    t = time.time()               # apply：一次一个任务，
    for n in range(100):          # 每个结果都要等
        pool.apply(f, (n,))
    apply_time = time.time() - t

    t = time.time()               # apply_async：全部提交，
    jobs = [pool.apply_async(f, (n,), callback=show)
            for n in range(100)]
    results = [j.get() for j in jobs]  # 再逐个 get()
    async_time = time.time() - t

    t = time.time()
    results = pool.map(f, range(100))  # 按任务顺序
    map_time = time.time() - t

    t = time.time()
    pool.close()                  # 不再有新任务
    pool.join()                   # 4 个工作进程退出，被回收
    close_time = time.time() - t

    t = time.time()
    procs = [Process(target=f, args=(n,)) for n in range(100)]
    for p in procs:
        p.start()                 # 每个任务一个全新的操作系统进程
    for p in procs:
        p.join()
    procs_time = time.time() - t

    pool_time = start_time + map_time + close_time
    print('apply %.3f 秒，apply_async %.3f 秒' % (apply_time, async_time))
    print('Pool(4) map：%.3f 秒' % pool_time)
    print('100 个 Process：%.3f 秒' % procs_time)
    print('进程池快了 %.1f 倍' % (procs_time / pool_time))
