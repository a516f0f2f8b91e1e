# Two children: `slow` sleeps a second before it prints, `quick` prints at
# once. As written, no schedule lets `slow` print first; under any timing
# (sleeps take no time) one can.
from multiprocessing import Process
import time

def slow():
    time.sleep(1)
    print('slow')

def quick():
    print('quick')

if __name__ == '__main__':
    a = Process(target=slow)
    b = Process(target=quick)
    a.start()
    b.start()
    a.join()
    b.join()
