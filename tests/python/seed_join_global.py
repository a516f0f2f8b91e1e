# From the seed post python第三方库 multiprocessing (2.1 join): the child's
# `x = 10` changes its own copy; the main process still prints 100 after
# the join. Unchanged but for the expect line.
# lockstep: expect no deadlock
from multiprocessing import Process

x = 100


def change():
    global x
    x = 10
    print('子进程修改了x,子进程结束了!')


if __name__ == '__main__':
    p = Process(target=change)
    p.start()
    p.join()  # 优雅地实现主进程等待子进程结束
    print(x)
