from multiprocessing import Process
import time

def child():
    print('子进程：睡 3 秒')
    time.sleep(3)
    print('子进程：醒了，结束')

if __name__ == '__main__':
    p = Process(target=child)
    p.start()
    print('start 之后：is_alive', p.is_alive())             # True
    t0 = time.time()
    p.join(1)                  # 1 秒后放弃：子进程还在睡
    waited = round((time.time() - t0) * 1000)
    print('join(1) 在', waited, '毫秒后返回')                # 大约 1000
    print(f'is_alive {p.is_alive()}，exitcode {p.exitcode}')  # True None
    p.join()                   # 不设超时：一直等到子进程结束
    print(f'is_alive {p.is_alive()}，exitcode {p.exitcode}')  # False 0
