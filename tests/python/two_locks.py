# Two processes take two locks in opposite orders: under some schedules
# each holds one and waits for the other, for ever.
from multiprocessing import Lock, Process

# lockstep: expect no deadlock


def transfer(first, second):
    with first:
        with second:
            pass


if __name__ == "__main__":
    a = Lock()
    b = Lock()
    left = Process(target=transfer, args=(a, b))
    right = Process(target=transfer, args=(b, a))
    left.start()
    right.start()
    left.join()
    right.join()
