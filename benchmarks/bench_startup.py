"""Start-up to the first painted frame against a bare Qt window (run by hand).

    .venv/bin/python benchmarks/bench_startup.py [--runs 5] [--importtime]

Each run is a fresh `python` process, timed by this (parent) process from spawning it to
the child's "painted" line, printed from the first Paint event of any widget of a
QMainWindow (offscreen platform, so no window manager's delay either way):

* baseline: PySide6, a QMainWindow whose central widget is a QTableView over a
  10,000-row × 8-column QAbstractTableModel;
* Taizhang: `main.py --db FILE` on the tianning example, through the launcher's own code
  path: the probe script imports what `main.py` imports, in the same order, and only wraps
  `make_application` to install the paint probe. Its measured frame is the district
  window's own first frame (`MainWindow`, its shell: title, menus, the plan/period bar,
  the navigation and 正在载入… where the first page goes), which paints before the
  database, SQLAlchemy and the pages are loaded; informational, the same window's first
  paint with its first page showing its data (the page has its context);
* Python itself (`python -c pass`), to show the part neither can avoid.

Bytecode is cached for both (as in an installed copy or the frozen bundle), in a private
folder; the first run of each fills the caches and is not timed.

`--importtime` prints the top cumulative entries of `python -X importtime` for the app's
start (what was imported before the first frame).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import ROOT, Measure, benchmark, log

PROBE = r'''
import os, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QMainWindow, QWidget

UNTIL = sys.argv[2] if len(sys.argv) > 2 else "paint"  # "paint" or "data"


class FirstPaint(QObject):
    """Prints "painted <window class>" at the first paint of each kind of main window,
    then "data" at the first paint once the window's current page has its context."""

    seen = set()

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and isinstance(obj, QWidget) \
                and isinstance(obj.window(), QMainWindow):
            window = obj.window()
            name = type(window).__name__
            if name not in self.seen:
                self.seen.add(name)
                sys.stdout.write(f"painted {name}\n")
                sys.stdout.flush()
                if name == "QMainWindow" or UNTIL == "paint" and name == "MainWindow":
                    os._exit(0)
            stack = getattr(window, "stack", None)
            page = stack.currentWidget() if stack is not None else None
            if getattr(page, "context", None) is not None:
                sys.stdout.write("data\n")
                sys.stdout.flush()
                os._exit(0)
        return False
'''

BARE = PROBE + r'''
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QTableView


class Model(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else 10_000

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else 8

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return f"第{index.row()}行 {index.column()}"
        return None


app = QApplication(sys.argv)
probe = FirstPaint()
app.installEventFilter(probe)
window = QMainWindow()
model = Model()
view = QTableView()
view.setModel(model)
window.setCentralWidget(view)
window.resize(1360, 820)
window.show()
app.exec()
'''

# The launcher's path (app.launcher.main) with the probe installed when the application is
# made: multiprocessing, app.cli, then app.views.app, exactly as `main.py` → launcher does.
APP = r'''
import multiprocessing
import sys
multiprocessing.freeze_support()
from app.launcher import main
import app.views.app as start

_make = start.make_application


def make_application(argv=None):
    app = _make(argv)
''' + "\n".join("    " + line for line in PROBE.strip().splitlines()) + r'''
    global _probe
    _probe = FirstPaint()
    app.installEventFilter(_probe)
    return app


start.make_application = make_application
sys.exit(main(["--db", sys.argv[1]]))
'''


def _env(home: Path) -> dict[str, str]:
    # a private settings/log folder: QSettings and the log must not touch the user's.
    # Bytecode is cached (in a private folder) as in any installed copy: compiling every
    # module from source on each start (PYTHONDONTWRITEBYTECODE) would be most of it.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return dict(env, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen",
                PYTHONPYCACHEPREFIX=str(home / "pycache"),
                HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
                XDG_DATA_HOME=str(home / "data"), XDG_STATE_HOME=str(home / "state"),
                XDG_CACHE_HOME=str(home / "cache"), MPLCONFIGDIR=str(home / "mpl"))


def time_to_paint(args: list[str], env: dict[str, str]) -> dict[str, float]:
    """Milliseconds from spawning the process to each line it prints ("painted
    <window class>", "data"), until it exits."""
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, text=True,
                            env=env, cwd=ROOT)
    assert proc.stdout is not None
    seen: dict[str, float] = {}
    for line in proc.stdout:
        seen[line.strip()] = (time.perf_counter() - t) * 1000
    proc.wait(timeout=60)
    if not seen:
        raise RuntimeError(f"{args[:2]}: no paint (exit {proc.returncode})")
    return seen


def make_db(folder: Path, env: dict[str, str]) -> Path:
    db = folder / "tianning.db"
    subprocess.run([sys.executable, "main.py", "init", "--db", str(db), "--example",
                    "tianning"], check=True, env=env, cwd=ROOT, capture_output=True)
    return db


def importtime(db: Path, env: dict[str, str], top: int = 15) -> list[tuple[float, str]]:
    """(cumulative ms, module) of the slowest top-level imports before the first frame."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", APP, str(db), "paint"],
                          capture_output=True, text=True, env=env, cwd=ROOT)
    rows: dict[str, float] = {}
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if not m:
            continue
        name = m.group(3)
        # packages (wherever first imported) and the app's own modules
        if "." not in name or name.startswith(("PySide6.Qt", "app.")):
            rows[name] = max(rows.get(name, 0.0), int(m.group(1)) / 1000)
    return sorted(((ms, n) for n, ms in rows.items()), reverse=True)[:top]


@benchmark("startup", small={"runs": 3}, large={"runs": 5})
def measure(runs: int) -> list[Measure]:
    folder = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    env = _env(folder)
    db = make_db(folder, env)
    # first runs build caches (fonts, bytecode, matplotlib's font list): not timed
    time_to_paint(["-c", BARE], env)
    time_to_paint(["-c", APP, str(db), "data"], env)
    bare, ours, data, python = [], [], [], []
    for _ in range(runs):  # interleaved, so load changes hit both alike
        bare.append(time_to_paint(["-c", BARE], env)["painted QMainWindow"])
        seen = time_to_paint(["-c", APP, str(db), "data"], env)
        ours.append(seen["painted MainWindow"])
        data.append(seen["data"])
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
        python.append((time.perf_counter() - t) * 1000)
    log(f"bare {statistics.median(bare):.0f} ms, district window {statistics.median(ours):.0f}"
        f" ms, with its data {statistics.median(data):.0f} ms")
    base_l = "bare QMainWindow + QTableView over 10,000 rows, to first paint"
    return [Measure(base_l, statistics.median(bare)),
            Measure("Taizhang (tianning example): the district window's first frame (its "
                    "shell: menus, navigation, 正在载入…), to first paint",
                    statistics.median(ours), base=base_l, target=1.5),
            Measure("Taizhang: the district window's first page showing its data "
                    "(informational)", statistics.median(data), base=base_l),
            Measure("`python -c pass` (the interpreter alone)", statistics.median(python),
                    base=base_l)]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--importtime", action="store_true")
    args = ap.parse_args()
    if args.importtime:
        folder = Path(tempfile.mkdtemp(prefix="bench-startup-"))
        env = _env(folder)
        db = make_db(folder, env)
        importtime(db, env)  # caches
        print("| cumulative ms | module |\n| ---: | --- |")
        for ms, mod in importtime(db, env):
            print(f"| {ms:.0f} | `{mod}` |")
        return 0
    for m in measure(args.runs):
        print(f"{m.label}: {m.value:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
