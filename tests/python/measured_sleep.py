# Measures a sleep and two joins with the program's own clocks. As
# written, every figure is lesson time, the same in each process: the
# sleep 1.5 s, the join(1) of a child that sleeps 3 s gives up after 1 s,
# the child wakes 4.5 s after the start, as its join sees.
import time
from multiprocessing import Process


def nap(secs, begun):
    time.sleep(secs)
    print("child woke at", time.time() - begun)


if __name__ == "__main__":
    begun = time.time()
    t0 = time.perf_counter()
    time.sleep(1.5)
    print("slept", time.time() - begun, time.perf_counter() - t0)
    slow = Process(target=nap, args=(3, begun))
    slow.start()
    t1 = time.perf_counter()
    slow.join(1)
    print("join(1) gave up after", time.perf_counter() - t1, "alive", slow.is_alive())
    slow.join()
    print("slow ended at", time.time() - begun)
    quick = Process(target=nap, args=(0.5, begun))
    quick.start()
    t2 = time.monotonic_ns()
    quick.join(2)
    print("join(2) came back after", time.monotonic_ns() - t2, "ns")
