# Producers and consumers share a count of items under a Condition: a
# consumer waits while there is nothing, a producer notifies one waiter.
from multiprocessing import Condition, Process, Value

# lockstep: expect taken.value == 4
# lockstep: expect no deadlock


def produce(cond, items):
    for _ in range(2):
        with cond:
            items.value += 1
            cond.notify()


def consume(cond, items, taken):
    for _ in range(2):
        with cond:
            while items.value == 0:
                cond.wait()
            items.value -= 1
            taken.value += 1


if __name__ == "__main__":
    cond = Condition()
    items = Value("i", 0)
    taken = Value("i", 0)
    consumers = [Process(target=consume, args=(cond, items, taken)) for _ in range(2)]
    producers = [Process(target=produce, args=(cond, items)) for _ in range(2)]
    for p in consumers + producers:
        p.start()
    for p in consumers + producers:
        p.join()
    print("taken", taken.value)
