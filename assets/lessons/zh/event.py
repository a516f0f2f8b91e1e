from multiprocessing import Process, Event
import time

def compute(e):
    print('子进程：计算中……')
    time.sleep(2)                        # 两秒钟的工作
    n = 100
    print('子进程：结果是', n)
    e.set()                              # 旗子升起：唤醒所有在等的进程

if __name__ == '__main__':
    e = Event()                          # 一开始是清除的：is_set() 为 False
    print(f'set 之前 is_set：{int(e.is_set())}（0 即 False）')
    p = Process(target=compute, args=(e,))
    p.start()
    start = time.time()
    print('主进程：等待结果……')
    e.wait()                             # 阻塞，直到子进程 set 它
    waited = round((time.time() - start) * 1000)
    print(f'主进程：等了 {waited} 毫秒后醒来；is_set：{int(e.is_set())}')
    e.clear()                            # 回到 False
    print(f'clear 之后：{int(e.is_set())}')
    p.join()
