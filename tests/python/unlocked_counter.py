# Two processes add one each to a shared counter, with no lock: the read
# and the write of `counter.value += 1` are two operations, and another
# process can come between them.
from multiprocessing import Process, Value

# lockstep: expect counter.value == 2


def work(counter):
    counter.value += 1


if __name__ == "__main__":
    counter = Value("i", 0)
    first = Process(target=work, args=(counter,))
    second = Process(target=work, args=(counter,))
    first.start()
    second.start()
    first.join()
    second.join()
    print("counter:", counter.value)
