from multiprocessing import Process
import os, time

def grandchild(first_parent):
    print(f'孙进程 {os.getpid()}，父进程 {os.getppid()}')
    time.sleep(2)              # 这期间它的父进程被终止了
    print(f'孙进程 {os.getpid()}，现在的父进程 {os.getppid()}')
    if os.getppid() != first_parent:
        print('被收养了：仍在运行，不是僵尸')
    # grandchild() 返回：进程结束
def child():
    print('子进程', os.getpid(), '启动一个孙进程')
    g = Process(target=grandchild, args=(os.getpid(),))
    g.start()
    time.sleep(10)             # 在这里被终止：永远不会 join g

if __name__ == '__main__':
    p = Process(target=child)
    p.start()
    time.sleep(1)
    p.terminate()              # 原帖说："p 的子进程会变成僵尸"
    p.join()
    print('p 的退出码', p.exitcode)    # -15
    time.sleep(2)              # 孙进程继续运行：看它的 ppid
    print('主进程结束')
