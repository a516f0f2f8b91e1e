# A bounded buffer of two slots between a producer and a consumer, kept by
# Semaphore(2) (free slots), Semaphore(0) (items in) and a Lock; the shared
# objects are made in tuple assignments, each named after its own target.
from multiprocessing import Process, Semaphore, Lock, Array, Value

# lockstep: expect taken.value == 4

def producer(buf, head, empty, full, mutex):
    for i in range(4):
        empty.acquire()
        with mutex:
            buf[head.value % 2] = i + 1
            head.value += 1
        full.release()

def consumer(buf, tail, empty, full, mutex, taken):
    for _ in range(4):
        full.acquire()
        with mutex:
            item = buf[tail.value % 2]
            tail.value += 1
            taken.value += 1
        empty.release()
        print("took", item)

if __name__ == "__main__":
    buf = Array("i", 2)
    head, tail, taken = Value("i", 0), Value("i", 0), Value("i", 0)
    empty, full, mutex = Semaphore(2), Semaphore(0), Lock()
    p = Process(target=producer, args=(buf, head, empty, full, mutex))
    c = Process(target=consumer, args=(buf, tail, empty, full, mutex, taken))
    p.start(); c.start(); p.join(); c.join()
    print("done", taken.value)
