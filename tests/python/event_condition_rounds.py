# The main process sets an Event and clears it at once; each worker woken
# by it counts itself in under a Condition and notifies the main process,
# which waits on the Condition until both have come. A worker that reaches
# the Event only after the clear sleeps there for ever.
from multiprocessing import Condition, Event, Process, Value

# lockstep: expect came.value == 2
# lockstep: expect no deadlock


def work(go, cond, came, i):
    go.wait()
    with cond:
        came.value += 1
        cond.notify()
    print("worker", i, "came")


if __name__ == "__main__":
    go = Event()
    cond = Condition()
    came = Value("i", 0)
    workers = [Process(target=work, args=(go, cond, came, i)) for i in range(2)]
    for w in workers:
        w.start()
    go.set()
    go.clear()
    with cond:
        while came.value < 2:
            cond.wait()
    for w in workers:
        w.join()
    print("came", came.value)
