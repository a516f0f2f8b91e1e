# From the seed post python多进程 (守护进程): p1 is a daemon and dies when the
# main process's code ends, before its "end123". The post's page lost the
# indentation and the name `foo`; both are restored. Otherwise unchanged
# but for the expect line.
# lockstep: expect no deadlock
from multiprocessing import Process
import time
def foo():
    print(123)
    time.sleep(1)
    print("end123")

def bar():
    print(456)
    time.sleep(3)
    print("end456")

if __name__ == '__main__':
    p1=Process(target=foo)
    p2=Process(target=bar)


    # 所以p1会在print("main-------")打印完成后死掉,所以p1进程不会打印
    p1.daemon=True
    p1.start()
    p2.start()
    # time.sleep(1)
    print("main-------")
