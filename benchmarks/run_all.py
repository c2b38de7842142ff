"""Run every registered benchmark at a small and a large size; write the table to README.md.

    .venv/bin/python benchmarks/run_all.py                 # everything, both sizes
    .venv/bin/python benchmarks/run_all.py --sizes small   # quick look while developing
    .venv/bin/python benchmarks/run_all.py --only merge issue --no-write

Benchmarks register themselves in `benchmarks/bench_*.py` with ``@harness.benchmark``
(see harness.py). Each (benchmark, size) runs in its own process; its figures come back as
JSON. The table (every ratio is to a baseline measured in the same process, moments
apart) replaces the section between the RESULTS markers in benchmarks/README.md, with
the load average before and after: the machine is shared, so absolute times vary and the
ratios are what to compare. The `server` benchmark needs a PostgreSQL server: without
TAIZHANG_TEST_DATABASE_URL, run_all starts the tests' throw-away loopback cluster
(scripts/pg_cluster.sh) for it where PostgreSQL's server binaries are installed, and stops
it afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import platform
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import REGISTRY, ROOT, Measure  # noqa: E402

README = HERE / "README.md"
BEGIN = "<!-- RESULTS: written by benchmarks/run_all.py; edits here are replaced -->"
END = "<!-- /RESULTS -->"
TAG = "BENCH-RESULT:"


def discover() -> None:
    """Import every bench_*.py so its @benchmark registrations run."""
    for path in sorted(HERE.glob("bench_*.py")):
        importlib.import_module(path.stem)


def child(name: str, size: str) -> int:
    """Run one benchmark at one size in this process; print its measures as JSON."""
    discover()
    bench = REGISTRY[name]
    measures = bench.fn(**bench.sizes[size])
    print(TAG + json.dumps([m.as_dict() for m in measures], ensure_ascii=False), flush=True)
    return 0


def run_one(name: str, size: str, timeout: float) -> tuple[list[Measure], float, str]:
    """(measures, seconds, error) of one child run."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    t = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, str(HERE / "run_all.py"), "--child", name, size],
                              stdout=subprocess.PIPE, text=True, env=env, timeout=timeout,
                              cwd=ROOT)
    except subprocess.TimeoutExpired:
        return [], time.perf_counter() - t, f"timed out after {timeout:.0f} s"
    secs = time.perf_counter() - t
    for line in proc.stdout.splitlines():
        if line.startswith(TAG):
            return [Measure(**m) for m in json.loads(line[len(TAG):])], secs, ""
    return [], secs, f"exit status {proc.returncode}, no result"


@contextmanager
def server_for(names: list[str]) -> Iterator[None]:
    """A throw-away PostgreSQL cluster in the environment while `server` runs, if needed."""
    if "server" not in names or os.environ.get("TAIZHANG_TEST_DATABASE_URL") \
            or os.environ.get("TAIZHANG_BENCH_DATABASE_URL"):
        yield
        return
    script = ROOT / "scripts" / "pg_cluster.sh"
    proc = subprocess.run(["bash", str(script), "start"], capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"no PostgreSQL cluster ({proc.stderr.strip()}): `server` measures SQLite only",
              file=sys.stderr)
        yield
        return
    saved = dict(os.environ)
    for part in proc.stdout.strip().removeprefix("export ").split(" "):
        key, _, value = part.partition("=")
        os.environ[key] = value.strip("'")
    try:
        yield
    finally:
        subprocess.run(["bash", str(script), "stop", os.environ["TZ_PG_DIR"]],
                       capture_output=True)
        os.environ.clear()
        os.environ.update(saved)


def run_benchmarks(names: list[str], sizes: list[str], timeout: float
                   ) -> tuple[list[str], list[str]]:
    """Each benchmark at each size in its own process: (table rows, failures)."""
    lines: list[str] = []
    failures: list[str] = []
    for name in names:
        bench = REGISTRY[name]
        for size in sizes:
            if size not in bench.sizes:
                continue
            load = os.getloadavg()[0]
            print(f"== {name} / {size} (load {load:.2f})", file=sys.stderr, flush=True)
            measures, secs, error = run_one(name, size, timeout)
            print(f"   {secs:.0f} s", file=sys.stderr, flush=True)
            if error:
                failures.append(f"{name}/{size}: {error}")
                lines.append(f"| {name} | {size} | **failed: {error}** | | | | |")
                continue
            lines += rows_for(name, size, bench.sizes[size], measures)
    return lines, failures


def fmt_value(m: Measure) -> str:
    if m.unit == "ms" and m.value >= 10_000:
        return f"{m.value / 1000:.1f} s"
    if m.unit == "ms":
        return f"{m.value:.1f} ms" if m.value < 100 else f"{m.value:.0f} ms"
    return f"{m.value:.0f} {m.unit}"


def rows_for(name: str, size: str, params: dict[str, Any], measures: list[Measure]
             ) -> list[str]:
    by_label = {m.label: m for m in measures}
    sz = f"{size} ({', '.join(f'{k}={v}' for k, v in params.items() if k != 'runs')})"
    out = []
    for m in measures:
        ratio = target = met = ""
        if m.base is not None and m.base in by_label and by_label[m.base].value > 0:
            r = m.value / by_label[m.base].value
            ratio = f"{r:.2f}×"
            if m.target is not None:
                target = f"≤ {m.target:g}×"
                met = "yes" if r <= m.target else "**no**"
        elif m.target is not None:
            target = f"≤ {m.target:g} {m.unit}"
            met = "yes" if m.value <= m.target else "**no**"
        elif m.base is None and any(o.base == m.label for o in measures):
            ratio = "1.00× (base)"
        label = m.label + (f" — {m.note}" if m.note else "")
        out.append(f"| {name} | {sz} | {label} | {fmt_value(m)} | {ratio} | {target} | {met} |")
    return out


def git_head() -> str:
    if os.environ.get("BENCH_COMMIT"):  # a copy of the tree (git archive) says where from
        return os.environ["BENCH_COMMIT"]
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                              capture_output=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def write_readme(section: str) -> None:
    text = README.read_text(encoding="utf-8")
    block = f"{BEGIN}\n{section}\n{END}"
    if BEGIN in text and END in text:
        text = re.sub(re.escape(BEGIN) + r".*?" + re.escape(END), lambda _m: block, text,
                      flags=re.S)
    else:
        head, sep, rest = text.partition("\n## ")
        text = f"{head}\n## Latest results (`run_all.py`)\n\n{block}\n{sep}{rest}"
    README.write_text(text, encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="small,large", help="comma-separated: small,large")
    ap.add_argument("--only", nargs="*", help="benchmark names (default: all)")
    ap.add_argument("--no-write", action="store_true", help="print the table, keep README")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds per child run")
    ap.add_argument("--child", nargs=2, metavar=("NAME", "SIZE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(*args.child)
    discover()
    names = args.only or list(REGISTRY)
    unknown = [n for n in names if n not in REGISTRY]
    if unknown:
        ap.error(f"unknown benchmark(s) {unknown}; registered: {list(REGISTRY)}")
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    load_before = os.getloadavg()
    started = dt.datetime.now(dt.UTC)
    lines = ["| benchmark | size | measure | value | ratio | target | met |",
             "| --- | --- | --- | ---: | ---: | ---: | :-: |"]
    with server_for(names):
        rows, failures = run_benchmarks(names, sizes, args.timeout)
    lines += rows
    load_after = os.getloadavg()
    took = (dt.datetime.now(dt.UTC) - started).total_seconds()
    header = (f"Run {started:%Y-%m-%d %H:%M} UTC at commit `{git_head()}`, "
              f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
              f"{took / 60:.1f} min in all. Load average (1/5/15 min) before "
              f"{'/'.join(f'{x:.2f}' for x in load_before)}, after "
              f"{'/'.join(f'{x:.2f}' for x in load_after)}: the machine is shared, so the "
              f"absolute times swing between runs; each ratio is to the baseline measured "
              f"in the same process moments before.")
    section = header + "\n\n" + "\n".join(lines)
    print(section)
    if not args.no_write and args.only is None:
        write_readme(section)
        print(f"\nwritten to {README.relative_to(ROOT)}", file=sys.stderr)
    elif not args.no_write:
        print("\n(README not written: only a run of every benchmark is recorded)",
              file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
