"""Start-up to the first painted window: the built bundle against the venv, as a ratio.

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python benchmarks/bundle_startup.py \
        [--bundle dist/taizhang/taizhang] [--runs 7]

Needs a bundle from installer/build.sh. Both programs open the same database (the
tianning example, made once) in the same fresh HOME, with TAIZHANG_EXIT_AFTER_PAINT=1
(app/views/startup_probe.py): the time is from spawning the process to the line it prints
at the main window's first paint. Runs alternate venv/bundle so that load from other work
falls on both; one warm-up run of each first (the bundle's first start builds
matplotlib's font cache in ~/.cache/Taizhang, once). Not registered with run_all.py: it
needs the bundle, which takes minutes to build.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARKER = b"TAIZHANG-FIRST-PAINT"


def first_paint_ms(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            cwd=env["HOME"])
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == MARKER:
            elapsed = (time.perf_counter() - started) * 1000
            break
    else:
        proc.wait()
        raise RuntimeError(f"{cmd[0]} exited ({proc.returncode}) without painting a window")
    proc.wait(timeout=60)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "taizhang" / "taizhang")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not args.bundle.exists():
        print(f"no bundle at {args.bundle}: run installer/build.sh first", file=sys.stderr)
        return 2
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        print("needs a display: run under xvfb-run (see the docstring)", file=sys.stderr)
        return 2
    home = Path(tempfile.mkdtemp(prefix="taizhang-startup-"))
    db = home / "tianning.db"
    base_env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
                **{k: os.environ[k] for k in ("DISPLAY", "XAUTHORITY", "WAYLAND_DISPLAY")
                   if k in os.environ}}
    subprocess.run([str(args.bundle), "init", "--db", str(db), "--example", "tianning"],
                   env=base_env, check=True, stdout=subprocess.DEVNULL)
    env = {**base_env, "TAIZHANG_EXIT_AFTER_PAINT": "1"}
    venv = [sys.executable, str(ROOT / "main.py"), "--db", str(db)]
    frozen = [str(args.bundle), "--db", str(db)]
    venv_env = {**env, "PYTHONPATH": str(ROOT)}
    first_paint_ms(venv, venv_env)
    first_bundle = first_paint_ms(frozen, env)
    times: dict[str, list[float]] = {"venv": [], "bundle": []}
    for _ in range(args.runs):
        times["venv"].append(first_paint_ms(venv, venv_env))
        times["bundle"].append(first_paint_ms(frozen, env))
    v, b = statistics.median(times["venv"]), statistics.median(times["bundle"])
    load = os.getloadavg()[0]
    print(f"runs: {args.runs} each, alternating; load average {load:.1f}")
    print(f"venv   (python main.py): median {v:.0f} ms  {sorted(round(t) for t in times['venv'])}")
    print(f"bundle (dist/taizhang):  median {b:.0f} ms  {sorted(round(t) for t in times['bundle'])}")
    print(f"ratio bundle/venv: {b / v:.2f}")
    print(f"bundle's very first start (font cache built): {first_bundle:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
