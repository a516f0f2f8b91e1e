# The parent joins its producer before it gets anything: the producer's
# second put waits for a free slot of Queue(1), the parent for its end.
from multiprocessing import Process, Queue


def produce(q):
    q.put('first')
    q.put('second')


if __name__ == '__main__':
    q = Queue(1)
    p = Process(target=produce, args=(q,))
    p.start()
    p.join()
    print(q.get())
