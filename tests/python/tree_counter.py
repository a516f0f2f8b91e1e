# A process tree: the main process starts two children, each starts two
# grandchildren, and every one of the seven adds one to a shared Value under
# its lock.
from multiprocessing import Process, Value

# lockstep: expect counter.value == 7


def add(counter):
    with counter.get_lock():
        counter.value += 1


def branch(counter):
    add(counter)
    leaves = [Process(target=add, args=(counter,)) for _ in range(2)]
    for leaf in leaves:
        leaf.start()
    for leaf in leaves:
        leaf.join()


if __name__ == "__main__":
    counter = Value("i", 0)
    branches = [Process(target=branch, args=(counter,)) for _ in range(2)]
    for b in branches:
        b.start()
    for b in branches:
        b.join()
    add(counter)
    print("counter", counter.value)
