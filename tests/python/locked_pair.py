# Two processes add one each to a shared counter under a lock.
from multiprocessing import Lock, Process, Value

# lockstep: expect counter.value == 2


def work(counter, lock):
    with lock:
        counter.value += 1


if __name__ == "__main__":
    counter = Value("i", 0)
    lock = Lock()
    first = Process(target=work, args=(counter, lock))
    second = Process(target=work, args=(counter, lock))
    first.start()
    second.start()
    first.join()
    second.join()
