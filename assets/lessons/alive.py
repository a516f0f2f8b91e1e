from multiprocessing import Process
import time

def child():
    print('child: sleeping 3 s')
    time.sleep(3)
    print('child: awake, ending')

if __name__ == '__main__':
    p = Process(target=child)
    p.start()
    print('after start: is_alive', p.is_alive())             # True
    t0 = time.time()
    p.join(1)                  # gives up after 1 s: the child still sleeps
    waited = round((time.time() - t0) * 1000)
    print('join(1) returned after', waited, 'ms')             # about 1000
    print('is_alive', p.is_alive(), 'exitcode', p.exitcode)   # True None
    p.join()                   # no timeout: until the child has ended
    print('is_alive', p.is_alive(), 'exitcode', p.exitcode)   # False 0
