from multiprocessing import Process

x = 100                        # 主模块的一个全局变量

def change():
    global x
    x = 10                     # 改的是子进程自己的那份
    print('子进程：x =', x)

if __name__ == '__main__':
    print('主进程：x =', x)
    p = Process(target=change)
    p.start()                  # 子进程得到一份内存的副本
    p.join()                   # 等到子进程结束
    print('主进程 join 之后：x =', x)   # 还是 100
