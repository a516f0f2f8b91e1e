#!/usr/bin/env python3
"""The default (dynamic) and the static build of lockstep, side by side.

    cargo build --release && cargo release-static
    python3 assets/bench/builds_side_by_side.py \
        target/release/lockstep target/x86_64-unknown-linux-gnu/release/lockstep

Both binaries are measured alternately in the same minutes, so the load of
the machine falls on both alike. Prints a Markdown table of medians with
their range:

- process start-up: exec of `lockstep __worker` with a socket path that does
  not exist, until it has exited (the dynamic loader, libc's start, the
  worker's first system call), timed with posix_spawn and waitpid;
- the pool lesson: `lockstep run pool --json`, its phases and the pool's
  start, from its summary;
- `lockstep bench` (step round trip, the two pool rows, worker memory),
  without Python's column.
"""
import json
import os
import re
import statistics
import subprocess
import sys
import time

START_RUNS = 500
POOL_RUNS = 40
BENCH_RUNS = 10


def start_ms(exe):
    """Median milliseconds from posix_spawn to waitpid, START_RUNS times."""
    argv = [exe, "__worker", "/nonexistent/lockstep.sock", "0"]
    devnull = os.open("/dev/null", os.O_WRONLY)
    quiet = [(os.POSIX_SPAWN_DUP2, devnull, 2)]
    times = []
    for _ in range(START_RUNS):
        t = time.perf_counter()
        pid = os.posix_spawn(exe, argv, {}, file_actions=quiet)
        os.waitpid(pid, 0)
        times.append((time.perf_counter() - t) * 1e3)
    os.close(devnull)
    return statistics.median(times)


def pool(exe):
    """The pool lesson's summary figures in ms."""
    out = subprocess.run([exe, "run", "pool", "--json"], capture_output=True,
                         text=True, check=True).stdout
    s = json.loads(out.strip().splitlines()[-1])
    got = {f"run pool: {k}": s[k] for k in ("pool_start_ms", "pool_ms", "processes_ms")}
    for phase in s["phases"]:
        if phase["name"] != "processes":  # the same as processes_ms
            got[f"run pool: phase {phase['name']} ms"] = phase["ms"]
    return got


def bench(exe):
    """`lockstep bench`'s rows (no python3 on PATH: no Python column)."""
    out = subprocess.run([exe, "bench", "--rounds", "7", "--steps", "3000"],
                         capture_output=True, text=True, check=True,
                         env=dict(os.environ, PATH="/nonexistent")).stdout
    got = {}
    for line in out.splitlines():
        m = re.match(r"\| (.+?) \| ([0-9.]+) (µs|ms|MB)", line)
        if m and "frame" not in m.group(1):
            got[f"bench: {m.group(1)} [{m.group(3)}]"] = float(m.group(2))
    return got


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    builds = {"default": sys.argv[1], "static": sys.argv[2]}
    seen = {name: {} for name in builds}

    def add(name, figures):
        for k, v in figures.items():
            seen[name].setdefault(k, []).append(v)

    def alternately(runs, measure):
        for i in range(runs):
            order = list(builds.items())
            for name, exe in order if i % 2 == 0 else order[::-1]:
                add(name, measure(exe))

    alternately(6, lambda exe: {"process start-up [ms]": start_ms(exe)})
    alternately(POOL_RUNS, pool)
    alternately(BENCH_RUNS, bench)

    def cell(v):
        return f"{statistics.median(v):.3g} ({min(v):.3g}–{max(v):.3g})"

    print("| measure, median (range) | default (dynamic) | static (`cargo release-static`) |")
    print("| --- | --- | --- |")
    for k, v in seen["default"].items():
        print(f"| {k}, n={len(v)} | {cell(v)} | {cell(seen['static'][k])} |")


if __name__ == "__main__":
    main()
