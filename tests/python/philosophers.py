# Three philosophers, three forks: each takes the fork on the left, then
# the one on the right. If all take their left fork first, nobody eats.
from multiprocessing import Lock, Process

# lockstep: expect no deadlock


def dine(left, right, i):
    with left:
        with right:
            print("philosopher", i, "eats")


if __name__ == "__main__":
    forks = [Lock() for _ in range(3)]
    diners = [Process(target=dine, args=(forks[i], forks[(i + 1) % 3], i)) for i in range(3)]
    for d in diners:
        d.start()
    for d in diners:
        d.join()
