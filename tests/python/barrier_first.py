# Two workers meet at a Barrier; the one wait() gives place 0 (the first
# to come) writes its number. Either can come first: `--steps 1,1,3,2`
# gives first.value == 2, so the check below does not always hold.
from multiprocessing import Barrier, Process, Value

# lockstep: expect first.value == 1


def work(gate, first, i):
    if gate.wait() == 0:
        first.value = i


if __name__ == "__main__":
    gate = Barrier(2)
    first = Value("i", 0)
    workers = [Process(target=work, args=(gate, first, i)) for i in (1, 2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
