from multiprocessing import Process
import time

def watcher():
    print('p1（守护进程）开始')
    time.sleep(1)
    print('p1（守护进程）醒了')         # 永远打印不出来：随主进程一起结束了

def worker():
    print('p2 开始')
    time.sleep(3)
    print('p2 结束')

if __name__ == '__main__':
    p1 = Process(target=watcher)
    p1.daemon = True                   # 必须在 start() 之前设置
    p1.start()
    p2 = Process(target=worker)
    p2.start()
    time.sleep(0.2)                    # 让 p1 有时间打印第一行
    print('主进程：我的代码到此结束')
    # 退出时：守护子进程被终止，其他子进程被 join
