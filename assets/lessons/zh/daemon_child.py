from multiprocessing import Process, current_process

def grandchild():
    print('孙进程在运行')

def helper():
    me = current_process()
    print(me.name, '守护进程', me.daemon, '启动一个子进程')
    g = Process(target=grandchild)
    g.start()              # 守护进程里：AssertionError，退出码 1
    g.join()
    print(me.name, '已 join 它的子进程')

if __name__ == '__main__':
    d = Process(target=helper, name='d', daemon=True)
    p = Process(target=helper, name='p')
    d.start()
    p.start()
    d.join()
    p.join()
    print('退出码：d', d.exitcode, 'p', p.exitcode)
