# Crossed locks with the `spawn` start method: CPython names its semaphores
# then, and a stuck run is killed, so lockstep removes them itself.
# Two processes take two locks in opposite orders: under some schedules
# each holds one and waits for the other, for ever.
import multiprocessing as mp
from multiprocessing import Lock, Process

# lockstep: expect no deadlock


def transfer(first, second):
    with first:
        with second:
            pass


if __name__ == "__main__":
    mp.set_start_method("spawn")
    a = Lock()
    b = Lock()
    left = Process(target=transfer, args=(a, b))
    right = Process(target=transfer, args=(b, a))
    left.start()
    right.start()
    left.join()
    right.join()
