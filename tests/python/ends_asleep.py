# A child whose last statement is a sleep. As written (stepped), the child
# is alive until the clock reaches its wake-up, so `is_alive()` right after
# `start()` is True whoever the schedule lets through first; under any
# timing the child may end first.
from multiprocessing import Process
import time

def child():
    time.sleep(1)

if __name__ == '__main__':
    p = Process(target=child)
    p.start()
    print('alive', p.is_alive())
    p.join()
    print('ended', p.is_alive())
