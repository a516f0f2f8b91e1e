from multiprocessing import Process
import os, time

def grandchild(first_parent):
    print('grandchild', os.getpid(), 'parent', os.getppid())
    time.sleep(2)              # meanwhile its parent is terminated
    print('grandchild', os.getpid(), 'parent now', os.getppid())
    if os.getppid() != first_parent:
        print('adopted: still running, not a zombie')
    # grandchild() returns: the process ends
def child():
    print('child', os.getpid(), 'starts a grandchild')
    g = Process(target=grandchild, args=(os.getpid(),))
    g.start()
    time.sleep(10)             # terminated in here: never joins g

if __name__ == '__main__':
    p = Process(target=child)
    p.start()
    time.sleep(1)
    p.terminate()              # the post: "p's children become zombies"
    p.join()
    print('p exit code', p.exitcode)    # -15
    time.sleep(2)              # the grandchild runs on: watch its ppid
    print('main ends')
