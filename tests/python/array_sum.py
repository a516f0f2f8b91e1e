# Two processes each add their number into their own item of a shared
# Array, then the main process sums it.
from multiprocessing import Array, Process

# lockstep: expect totals[0] == 1
# lockstep: expect totals[1] == 2


def fill(totals, i):
    totals[i] = totals[i] + i + 1


if __name__ == "__main__":
    totals = Array("i", 2)
    workers = [Process(target=fill, args=(totals, i)) for i in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print("sum", sum(totals[i] for i in range(2)))
