# Three processes add to one shared counter, each under the lock.
from multiprocessing import Lock, Process, Value

# lockstep: expect counter.value == 6


def work(counter, lock):
    for _ in range(2):
        with lock:
            counter.value += 1


if __name__ == "__main__":
    counter = Value("i", 0)
    lock = Lock()
    workers = [Process(target=work, args=(counter, lock)) for _ in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print("final", counter.value)
