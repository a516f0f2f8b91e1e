from multiprocessing import Process
import os, time

def child():
    print('子进程', os.getpid(), '现在退出')

if __name__ == '__main__':
    print('父进程 pid', os.getpid())
    p = Process(target=child)
    p.start()
    time.sleep(3)              # 现在看：ps 显示子进程是 Z（僵尸）
    p.join()                   # waitpid 回收它：僵尸消失了
    print('子进程已回收，退出码', p.exitcode)
