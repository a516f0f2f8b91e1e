from multiprocessing import Process
import time

def watcher():
    print('p1 (daemon) starts')
    time.sleep(1)
    print('p1 (daemon) woke up')       # never printed: ended with main

def worker():
    print('p2 starts')
    time.sleep(3)
    print('p2 ends')

if __name__ == '__main__':
    p1 = Process(target=watcher)
    p1.daemon = True                   # must be set before start()
    p1.start()
    p2 = Process(target=worker)
    p2.start()
    time.sleep(0.2)                    # p1 has time for its first line
    print('main: my code ends here')
    # at exit: daemon children are terminated, the others joined
