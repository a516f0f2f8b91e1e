"""Python's side of `lockstep bench`: the pool lesson's two phases, timed.

Prints one JSON object: the median milliseconds of each phase over ROUNDS.
Uses the fork start method, as Python on Linux did by default for years.
"""
import json
import multiprocessing as mp
import statistics
import sys
import time


def f(n):
    for i in range(5):
        n += i
    return n


def pool_phase(ctx):
    start = time.perf_counter()
    with ctx.Pool(4) as pool:
        pool.map(f, range(100))
    return (time.perf_counter() - start) * 1000


def process_phase(ctx):
    start = time.perf_counter()
    procs = [ctx.Process(target=f, args=(i,)) for i in range(100)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    return (time.perf_counter() - start) * 1000


if __name__ == '__main__':
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    ctx = mp.get_context('fork')
    pools = [pool_phase(ctx) for _ in range(rounds)]
    procs = [process_phase(ctx) for _ in range(rounds)]
    print(json.dumps({
        'python': sys.version.split()[0],
        'pool_ms': statistics.median(pools),
        'processes_ms': statistics.median(procs),
    }))
