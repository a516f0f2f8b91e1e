from multiprocessing import Process
import os, random, time

def sleeper(seconds):
    print('睡', seconds, '秒，pid', os.getpid())
    time.sleep(seconds)
    print('睡完', seconds, '秒')

def send_mail(i):
    time.sleep(random.uniform(0.1, 0.6))   # 写信要花点时间
    print('第', i, '封邮件已发送')

if __name__ == '__main__':
    print('主进程，pid', os.getpid())
    start = time.time()
    a = Process(target=sleeper, args=(3,)); a.start()
    b = Process(target=sleeper, args=(1,)); b.start()
    c = Process(target=sleeper, args=(2,)); c.start()
    a.join()                  # 等那个睡 3 秒的
    b.join()                  # 早就结束了：立刻返回
    c.join()
    took = round((time.time() - start) * 1000)
    print('三个都 join 完，用了', took, '毫秒（睡眠加起来是 6000 毫秒）')  # 大约 3000，不是 6000

    senders = []
    for i in range(10):
        p = Process(target=send_mail, args=(i,))
        p.start()
        senders.append(p)
    for p in senders:
        p.join()              # 阻塞，直到这个发信进程结束
    print('邮件全部发完')      # 要等每个 join 都返回之后
