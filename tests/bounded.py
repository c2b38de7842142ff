"""The real command line in a child process that reports its own peak memory.

The hostile corpus (tests/services/test_hostile_corpus.py, packets/test_container.py,
test_db_faults.py) runs each case this way: whatever the file or the environment does,
the child must end with an exit status and a message, never take the machine down, and
stay within ``PEAK_MB``. An address-space cap keeps a regression from hogging the machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PEAK_MB = 200

CHILD = """
import json, os, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
if os.environ.get("TZ_FULL"):  # SQLite's page limit at the file's size: any growth is "full"
    import app.services.db as d
    plain = d._sqlite_pragmas
    def limited(conn, record):
        plain(conn, record)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count={pages}")
    d._sqlite_pragmas = limited
from app.launcher import main
code = 99
try:
    code = main(sys.argv[1:])
finally:
    try:  # this process's own high-water mark (ru_maxrss keeps the parent's from before exec)
        with open("/proc/self/status") as fh:
            peak = next(int(x.split()[1]) for x in fh if x.startswith("VmHWM:")) // 1024
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    with open(os.environ["TZ_PEAK_FILE"], "w") as fh:
        json.dump({"peak_mb": peak}, fh)
sys.exit(code)
"""


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    peak_mb: int


def start(args: list[str], *, full: bool = False) -> tuple[subprocess.Popen[str], Path]:
    """Start ``main.py ARGS`` in a bounded child (for two at once); finish with ``finish``."""
    fd, peak_file = tempfile.mkstemp(prefix="tz-peak-", suffix=".json")
    os.close(fd)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen",
           "TZ_PEAK_FILE": peak_file}
    if full:
        env["TZ_FULL"] = "1"
    proc = subprocess.Popen([sys.executable, "-c", CHILD, *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    return proc, Path(peak_file)


def finish(proc: subprocess.Popen[str], peak_file: Path, timeout: float = 180) -> Run:
    out, err = proc.communicate(timeout=timeout)
    try:
        peak = int(json.loads(peak_file.read_text() or "{}").get("peak_mb", -1))
    finally:
        peak_file.unlink(missing_ok=True)
    assert peak >= 0, f"the child reported no memory (it died): {err[-2000:]}"
    return Run(proc.returncode, out, err, peak)


def run_cli(args: list[str], *, full: bool = False, timeout: float = 180) -> Run:
    """Run ``main.py ARGS`` in a bounded child; its exit status, output and peak memory."""
    proc, peak_file = start(args, full=full)
    run = finish(proc, peak_file, timeout)
    print(args[0], "peak", run.peak_mb, "MB")  # shown with -s; asserted by the callers
    return run
