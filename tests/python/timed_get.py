# A consumer that stops when nothing came for a while (get with a timeout),
# as tutorials write it: in a free run it waits at most that long, so it is
# no part of a deadlock while the main process joins it.
import queue
from multiprocessing import Process, Queue, Value

# lockstep: expect got.value == 3


def producer(q):
    for i in range(3):
        q.put(i)


def consumer(q, got):
    while True:
        try:
            q.get(timeout=3)
        except queue.Empty:
            break
        got.value += 1


if __name__ == "__main__":
    q = Queue()
    got = Value("i", 0)
    c = Process(target=consumer, args=(q, got))
    p = Process(target=producer, args=(q,))
    c.start()
    p.start()
    p.join()
    c.join()
    print("got", got.value)
