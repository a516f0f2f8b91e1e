from multiprocessing import Process, JoinableQueue   # 存成 queue_demo.py：叫 queue.py 会遮住 Python 自带的 queue 模块
import os, random, time

def producer(q, k):
    for i in range(3):
        time.sleep(random.uniform(0.2, 0.6))   # 生产要花点时间
        q.put(k * 10 + i)                      # 数据 10、11、12 或 20、21、22
        print('生产了', k * 10 + i)

def consumer(q):
    while True:                                # 守护进程：随主进程结束
        item = q.get()                         # 队列为空时阻塞
        time.sleep(random.uniform(0.3, 0.9))   # 使用要花点时间
        print(os.getpid(), '用掉了', item)
        q.task_done()                          # 又处理完一个

if __name__ == '__main__':
    q = JoinableQueue()
    makers = [Process(target=producer, args=(q, k)) for k in (1, 2)]
    users = [Process(target=consumer, args=(q,), daemon=True) for _ in range(2)]
    for p in makers + users:
        p.start()
    for p in makers:
        p.join()                               # 每个数据都放进去了
    q.join()                                   # 每个数据都标记为处理完了
    print('所有数据都处理完了')
