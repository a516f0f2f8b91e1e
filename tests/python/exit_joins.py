# The main program ends without joining: at exit CPython terminates the
# daemonic child and joins the other (the implicit join at exit).
import time
from multiprocessing import Process


def forever():
    while True:
        time.sleep(0.01)


def once():
    print("child says hi")


if __name__ == "__main__":
    daemon = Process(target=forever, daemon=True)
    daemon.start()
    child = Process(target=once)
    child.start()
    print("main done")
