# Three processes each print their first phase, wait at a Barrier, then
# print their second phase: no second phase comes before every first.
from multiprocessing import Barrier, Process

# lockstep: expect no deadlock


def work(gate, i):
    print("phase 1", i)
    gate.wait()
    print("phase 2", i)


if __name__ == "__main__":
    gate = Barrier(3)
    workers = [Process(target=work, args=(gate, i)) for i in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
