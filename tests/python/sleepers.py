# Two children nap for a long time while the main process joins them.
import time
from multiprocessing import Process


def nap():
    time.sleep(30)


if __name__ == "__main__":
    nappers = [Process(target=nap) for _ in range(2)]
    for p in nappers:
        p.start()
    for p in nappers:
        p.join()
