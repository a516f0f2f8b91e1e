# Two producers put numbers on a JoinableQueue; a daemon consumer takes
# them and marks each done; the main process joins the producers, then the
# queue, then reads a Manager list the consumer appended to.
from multiprocessing import JoinableQueue, Manager, Process

# lockstep: expect no deadlock


def consume(q, seen):
    while True:
        item = q.get()
        seen.append(item)
        print("got", item)
        q.task_done()


def produce(q, start):
    for i in range(start, start + 2):
        q.put(i)


if __name__ == "__main__":
    m = Manager()
    seen = m.list()
    q = JoinableQueue()
    c = Process(target=consume, args=(q, seen))
    c.daemon = True
    c.start()
    producers = [Process(target=produce, args=(q, k * 10)) for k in range(2)]
    for p in producers:
        p.start()
    for p in producers:
        p.join()
    q.join()
    print("all done", sorted(seen))
    print("consumer alive:", c.is_alive())
