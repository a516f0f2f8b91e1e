# A child waits for an event nobody sets, for at most 2 s, while the main
# process joins it: in a free run it gives up and ends; no deadlock.
from multiprocessing import Event, Process

# lockstep: expect no deadlock


def wait_a_while(e):
    print("set:", e.wait(2))


if __name__ == "__main__":
    e = Event()
    p = Process(target=wait_a_while, args=(e,))
    p.start()
    p.join()
