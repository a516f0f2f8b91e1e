from multiprocessing import Process, Event
import time

def compute(e):
    print('child: computing...')
    time.sleep(2)                        # two seconds of work
    n = 100
    print('child: the result is', n)
    e.set()                              # flag up: wake whoever waits

if __name__ == '__main__':
    e = Event()                          # starts clear: is_set() is False
    print('is_set before:', int(e.is_set()), '(0 = False)')
    p = Process(target=compute, args=(e,))
    p.start()
    start = time.time()
    print('main: waiting for the result...')
    e.wait()                             # blocks until the child sets it
    waited = round((time.time() - start) * 1000)
    print('main: woke after', waited, 'ms; is_set:', int(e.is_set()))
    e.clear()                            # back to False
    print('after clear:', int(e.is_set()))
    p.join()
