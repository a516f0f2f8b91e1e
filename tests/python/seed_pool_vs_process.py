# From the seed post python之管道, 事件, 信号量, 进程池 (进程池和多进程执行时间的对比):
# 100 tasks on Pool(4), then 100 processes for the same tasks; both timed.
# Unchanged but for the expect line.
# lockstep: expect no deadlock
# # 进程池和多进程执行时间的对比
import time
from multiprocessing import Process, Pool

def f(n):
    for i in range(5):
        n += i
if __name__ == '__main__':
    # 统计进程池执行100个任务的时间
    s_time = time.time()
    pool = Pool(4) # 里面这个参数是指定进程池中有多少个进程, 4表示4个进程, 如果不传参, 默认开启的进程数一般是cpu的个数
    pool.map(f, range(100)) # 参数数据必须是可迭代的, 异步提交任务, 自带join功能
    e_time = time.time()
    dif_time = e_time - s_time

    # 统计100个进程, 来执行100个任务的执行时间
    p_s_t = time.time() # 多进程起始时间
    p_list = [ ]
    for i in range(100):
        p = Process(target=f, args=(i,))
        p.start()
        p_list.append(p)
    [pp.join() for pp in p_list]
    p_e_t = time.time()
    p_dif_t = p_e_t - p_s_t
    print('进程池的执行时间:', dif_time)
    print('多进程的执行时间:', p_dif_t)
