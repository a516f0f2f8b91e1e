# A Manager opened with `with … as m:` and a list three processes append
# to: the server's lane is named after `m`, as the program calls it.
from multiprocessing import Manager, Process

# lockstep: expect printed(length 3) == 1


def work(items, n):
    items.append(n * n)


if __name__ == "__main__":
    with Manager() as m:
        items = m.list()
        ps = [Process(target=work, args=(items, i)) for i in range(3)]
        for p in ps:
            p.start()
        for p in ps:
            p.join()
        print("length", len(items))
