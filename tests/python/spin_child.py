# A child that prints, then loops without ever reaching a gate again: it
# cannot notice that lockstep went away; the next start of lockstep ends it.
from multiprocessing import Process


def spin():
    print("spinning")
    while True:
        pass


if __name__ == "__main__":
    p = Process(target=spin)
    p.start()
    p.join()
