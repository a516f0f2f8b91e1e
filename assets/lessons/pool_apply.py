from multiprocessing import Pool
import time

def f1(n):
    time.sleep(2)                  # two seconds of work
    return n * 2

if __name__ == '__main__':
    pool = Pool(2)                 # two workers

    t = time.time()
    for i in range(5):             # apply: the parent waits each time
        print('xxxxx')
        print(pool.apply(f1, args=(i,)))   # 0, 2, 4 ... one every 2 s
    print('apply: %.0f s' % (time.time() - t))  # about 10 s

    t = time.time()
    jobs = []
    for i in range(5):             # apply_async: submit and go on
        print('xxxxx')             # all five at once
        jobs.append(pool.apply_async(f1, args=(i,), callback=print))
    for j in jobs:
        j.get()                    # results came back two at a time
    print('apply_async: %.0f s' % (time.time() - t))  # about 6 s

    pool.close()
    pool.join()
