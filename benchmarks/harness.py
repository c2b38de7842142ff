"""What every benchmark shares: the registry `run_all.py` reads, and timing/memory helpers.

Register a benchmark by putting a function in a `benchmarks/bench_*.py` file:

    from harness import Measure, benchmark

    @benchmark("my thing", small={"n": 10}, large={"n": 1000})
    def run(n: int) -> list[Measure]:
        base = median_ms(lambda: baseline(n), 5)
        ours = median_ms(lambda: my_thing(n), 5)
        return [Measure("baseline: what the floor is", base),
                Measure("my_thing", ours, base="baseline: what the floor is", target=1.5)]

`run_all.py` imports every `bench_*.py`, runs each registered function once per size in a
fresh process (so imports, caches and peak memory do not leak between benchmarks) and
writes the table of ratios into README.md. A ratio is always to a measure of the same call
(the same process, the same load), never to a number from another run.
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "tests"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))


@dataclass
class Measure:
    """One figure. With `base` (the label of another measure of the same run) its ratio to
    that one is shown and `target` is a ratio; without, `target` is an upper bound on the
    value itself (e.g. peak RSS in MB)."""

    label: str
    value: float
    unit: str = "ms"
    base: str | None = None
    target: float | None = None
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Benchmark:
    name: str
    fn: Callable[..., list[Measure]]
    sizes: dict[str, dict[str, Any]] = field(default_factory=dict)
    module: str = ""


REGISTRY: dict[str, Benchmark] = {}


def benchmark(name: str, **sizes: dict[str, Any]) -> Callable[[Callable[..., list[Measure]]],
                                                             Callable[..., list[Measure]]]:
    """Register `fn(**params) -> list[Measure]` under `name`, with keyword parameters for
    each size (run_all uses "small" and "large")."""

    def wrap(fn: Callable[..., list[Measure]]) -> Callable[..., list[Measure]]:
        REGISTRY[name] = Benchmark(name, fn, dict(sizes), fn.__module__)
        return fn

    return wrap


def median_ms(fn: Callable[[], object], runs: int, warmup: int = 1) -> float:
    """Median wall time of `runs` calls, in ms, after `warmup` untimed calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def once_ms(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark of this process (Linux ≥ 4.0), so a following
    `peak_rss_mb()` measures only what came after (not the untimed setup)."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MB (since `reset_peak_rss`, where possible)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024


def children_peak_rss_mb() -> float:
    """The sum of the peak resident memory of this process's living child processes (the
    worker processes), in MB; 0 where /proc is not there."""
    me, total = str(os.getpid()), 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if fields[1] != me:  # the parent's pid
                continue
            for line in (stat.parent / "status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1]) / 1024
        except (OSError, IndexError):
            continue
    return total


def log(text: str) -> None:
    """Progress on stderr (run_all passes it through; stdout carries the result)."""
    print(text, file=sys.stderr, flush=True)


def env_python() -> str:
    return os.environ.get("BENCH_PYTHON", sys.executable)
