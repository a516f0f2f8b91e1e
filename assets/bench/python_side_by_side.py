#!/usr/bin/env python3
"""A real CPython program under lockstep beside the built-in engine.

    cargo build --release
    python3 assets/bench/python_side_by_side.py target/release/lockstep

Each pair is measured alternately in the same minutes (ROUNDS times), so the
load of the machine falls on both alike. Prints a Markdown table of medians
with their range:

- step round trip: one child takes and gives back a lock LOOPS times under
  `--schedule round-robin`; the run is made twice, with LOOPS and 2 * LOOPS,
  and the difference in time is divided by the difference in steps, so the
  start-up of the processes (and of CPython) drops out;
- a 20-process counter: the seed's locked Manager-dict counter
  (tests/python/seed_manager_counter_locked.py) against the built-in
  `counter` lesson (also 20 processes), free (the lesson's 100 ms sleep in
  each worker shortened a thousandfold: the seed's program has none) and
  round-robin, the whole command;
- explore throughput: every schedule of two processes adding to one counter
  with no lock (tests/python/unlocked_counter.py against
  `counter --procs 2 --unlocked`), schedules run per second.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROUNDS = int(os.environ.get("ROUNDS", "5"))
LOOPS = 1000
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

PROGRAM = """from multiprocessing import Lock, Process


def work(lock):
    for _ in range({loops}):
        lock.acquire()
        lock.release()


if __name__ == "__main__":
    lock = Lock()
    child = Process(target=work, args=(lock,))
    child.start()
    child.join()
"""

LESSON = {
    "id": "bench_steps",
    "title": {"en": "steps"},
    "summary": {"en": "one child takes and gives back a lock"},
    "story": {"en": "bench"},
    "locks": [{"name": "lock"}],
    "processes": [{"role": "main"}, {"role": "child", "started_by": "main"}],
    "programs": {
        "main": [
            {"op": "start", "role": "child", "as": "child"},
            {"op": "join", "proc": "child"},
        ],
        "child": [
            {"op": "set", "local": "i", "expr": "0"},
            {"op": "jump_if", "cond": "i >= {loops}", "to": "end", "label": "loop"},
            {"op": "acquire", "lock": "lock"},
            {"op": "release", "lock": "lock"},
            {"op": "set", "local": "i", "expr": "i + 1"},
            {"op": "jump", "to": "loop"},
            {"op": "print", "text": {"en": "done"}, "count": "done", "label": "end"},
        ],
    },
    "check": {
        "measure": {"outcome": "done"},
        "expect": 0,
        "rule": "at_least",
        "quantity": {"en": "q"},
        "ok": {"en": "o"},
        "broken": {"en": "b"},
    },
}


def summary(exe, args):
    """Wall seconds and the run's JSON summary (its last line)."""
    t = time.perf_counter()
    out = subprocess.run([exe, *args, "--json"], capture_output=True, text=True)
    wall = time.perf_counter() - t
    if out.returncode not in (0, 1):
        sys.exit(f"{' '.join(args)} failed ({out.returncode}): {out.stderr}")
    lines = out.stdout.strip().splitlines()
    return wall, json.loads(lines[-1])


def step_files(tmp, loops):
    py = os.path.join(tmp, f"steps_{loops}.py")
    with open(py, "w") as f:
        f.write(PROGRAM.format(loops=loops))
    lesson = json.loads(json.dumps(LESSON).replace("{loops}", str(loops)))
    js = os.path.join(tmp, f"steps_{loops}.json")
    with open(js, "w") as f:
        json.dump(lesson, f)
    return py, js


def steps_of(s):
    return len(s["schedule"]) if "schedule" in s else s["steps"]


def round_trip_us(exe, small, large):
    """Microseconds per step: the difference of two stepped runs."""
    args = ["--schedule", "round-robin"]
    w1, s1 = summary(exe, ["run", small, *args])
    w2, s2 = summary(exe, ["run", large, *args])
    return (w2 - w1) / (steps_of(s2) - steps_of(s1)) * 1e6


def explore_rate(exe, args):
    wall, s = summary(exe, ["explore", *args])
    runs = s.get("runs") or s.get("schedules")
    if isinstance(runs, dict):
        runs = runs.get("total") or sum(runs.values())
    return runs / wall, runs


def row(name, py, builtin, unit):
    def cell(v):
        lo, hi = min(v), max(v)
        return f"{statistics.median(v):.{unit[1]}f} {unit[0]} ({lo:.{unit[1]}f}–{hi:.{unit[1]}f})"

    print(f"| {name} | {cell(py)} | {cell(builtin)} |")


def main():
    exe = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "target/release/lockstep"
    os.chdir(ROOT)
    seed = "tests/python/seed_manager_counter_locked.py"
    unlocked = "tests/python/unlocked_counter.py"
    with tempfile.TemporaryDirectory(prefix="lockstep-bench-") as tmp:
        py_small, js_small = step_files(tmp, LOOPS)
        py_large, js_large = step_files(tmp, 2 * LOOPS)
        cols = {k: ([], []) for k in ("step", "free", "rr", "explore")}
        explored = None
        for _ in range(ROUNDS):
            cols["step"][0].append(round_trip_us(exe, py_small, py_large))
            cols["step"][1].append(round_trip_us(exe, js_small, js_large))
            for key, extra in (("free", ["--speed", "1000"]), ("rr", ["--schedule", "round-robin"])):
                mine = extra if key == "rr" else []
                cols[key][0].append(summary(exe, ["run", seed, *mine])[0] * 1e3)
                cols[key][1].append(summary(exe, ["run", "counter", *extra])[0] * 1e3)
            rate_py, runs_py = explore_rate(exe, [unlocked])
            rate_b, runs_b = explore_rate(exe, ["counter", "--procs", "2", "--unlocked", "--timing", "any"])
            cols["explore"][0].append(rate_py)
            cols["explore"][1].append(rate_b)
            explored = (runs_py, runs_b)
    print(f"median of {ROUNDS} rounds (range), {exe}")
    print()
    print("| measure | real CPython program | built-in engine |")
    print("| --- | --- | --- |")
    row("step round trip (lock acquire or release, round-robin)", *cols["step"], ("µs", 0))
    row("20-process counter, free run, whole command", *cols["free"], ("ms", 0))
    row("20-process counter, round-robin, whole command", *cols["rr"], ("ms", 0))
    row(
        f"explore 2-process unlocked counter ({explored[0]} / {explored[1]} schedules)",
        *cols["explore"],
        ("runs/s", 1),
    )


if __name__ == "__main__":
    main()
