# The locked counter with the `spawn` start method: each child is a fresh
# interpreter that loads the shim at start-up and unpickles its objects.
import multiprocessing as mp

# lockstep: expect counter.value == 4


def work(counter, lock):
    for _ in range(2):
        with lock:
            counter.value += 1


if __name__ == "__main__":
    mp.set_start_method("spawn")
    counter = mp.Value("i", 0)
    lock = mp.Lock()
    children = [mp.Process(target=work, args=(counter, lock)) for _ in range(2)]
    for c in children:
        c.start()
    for c in children:
        c.join()
    print("final", counter.value)
