# A child raises: its traceback belongs to it, in the run's summary.
from multiprocessing import Process


def work(n):
    print("working on", n)
    raise ValueError("bad input %d" % n)


if __name__ == "__main__":
    child = Process(target=work, args=(7,))
    child.start()
    child.join()
    print("child exit code", child.exitcode)
