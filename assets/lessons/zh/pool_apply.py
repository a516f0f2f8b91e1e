from multiprocessing import Pool
import time

def f1(n):
    time.sleep(2)                  # 两秒钟的活
    return n * 2

if __name__ == '__main__':
    pool = Pool(2)                 # 两个工作进程

    t = time.time()
    for i in range(5):             # apply：父进程每次都要等
        print('xxxxx')
        print(pool.apply(f1, args=(i,)))   # 0、2、4……每 2 秒一个
    print('apply：%.0f 秒' % (time.time() - t))  # 大约 10 秒

    t = time.time()
    jobs = []
    for i in range(5):             # apply_async：提交后马上继续
        print('xxxxx')             # 五个一下子全打印出来
        jobs.append(pool.apply_async(f1, args=(i,), callback=print))
    for j in jobs:
        j.get()                    # 结果两个两个地回来
    print('apply_async：%.0f 秒' % (time.time() - t))  # 大约 6 秒

    pool.close()
    pool.join()
