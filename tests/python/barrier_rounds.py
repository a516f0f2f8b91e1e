# Two workers meet the main process at one Barrier twice: each round,
# wait() gives each process its place in the order they came.
from multiprocessing import Barrier, Process

# lockstep: expect no deadlock


def work(gate, name):
    for rnd in range(2):
        place = gate.wait()
        print(name, "round", rnd, "came", place)


if __name__ == "__main__":
    gate = Barrier(3)
    workers = [Process(target=work, args=(gate, "w%d" % i)) for i in range(2)]
    for w in workers:
        w.start()
    work(gate, "main")
    for w in workers:
        w.join()
