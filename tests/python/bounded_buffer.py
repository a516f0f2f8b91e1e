# A producer and a consumer on a bounded buffer: Queue(2). The producer's
# third put finds the queue full and waits for the consumer's get.
# lockstep: expect no deadlock
from multiprocessing import Process, Queue


def produce(buf):
    for i in range(6):
        buf.put(i)
    buf.put(None)


def consume(buf):
    total = 0
    while True:
        item = buf.get()
        if item is None:
            break
        total += item
    print('consumed', total)


if __name__ == '__main__':
    buf = Queue(2)
    producer = Process(target=produce, args=(buf,))
    consumer = Process(target=consume, args=(buf,))
    producer.start()
    consumer.start()
    producer.join()
    consumer.join()
