"""Refresh the English translation of the interface.

    python tools/update_translations.py [--no-fill]

1. ``pyside6-lupdate`` over every .py under app/views into
   app/resources/translations/taizhang_en.ts (existing translations kept, vanished
   messages dropped with ``-no-obsolete``, no source locations so the file only changes
   when messages do);
2. fills every message that tools/translations_en.py translates (``tools/ts_fill.py``;
   ``--no-fill`` skips this, e.g. after editing the .ts in Qt Linguist) and lets lupdate
   write the file again in its own layout;
3. ``pyside6-lrelease`` into taizhang_en.qm (loaded at run time by app.views.i18n);
4. prints the number of messages and how many are still unfinished (exit status 1 if any).

Both files are committed. Chinese is the source language of every ``tr()``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.ts_fill import fill_ts, ts_stats  # noqa: E402

SOURCES = ROOT / "app" / "views"
TS = ROOT / "app" / "resources" / "translations" / "taizhang_en.ts"
QM = TS.with_suffix(".qm")


def qt_tool(name: str) -> str:
    """pyside6-<name> from this interpreter's environment, else from PATH."""
    folder = Path(sys.executable).parent
    for candidate in (folder / f"pyside6-{name}", folder / f"pyside6-{name}.exe"):
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(f"pyside6-{name}")
    if found is None:
        raise SystemExit(f"pyside6-{name} not found (pip install PySide6-Essentials)")
    return found


def sources() -> list[str]:
    return [str(p.relative_to(ROOT)) for p in sorted(SOURCES.rglob("*.py"))]


def lupdate(ts: Path = TS) -> None:
    ts.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([qt_tool("lupdate"), *sources(), "-no-obsolete", "-locations", "none",
                    "-source-language", "zh_CN", "-target-language", "en", "-silent",
                    "-ts", str(ts)], cwd=ROOT, check=True)


def lrelease(ts: Path = TS, qm: Path = QM) -> None:
    subprocess.run([qt_tool("lrelease"), "-silent", str(ts), "-qm", str(qm)], cwd=ROOT,
                   check=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--no-fill", action="store_true",
                    help="keep the .ts as lupdate left it (do not apply translations_en.py)")
    args = ap.parse_args(argv)
    lupdate()
    if not args.no_fill:
        from tools.translations_en import BY_CONTEXT, EN

        report = fill_ts(TS, EN, BY_CONTEXT)
        for problem in report.problems:
            print(f"warning: {problem}", file=sys.stderr)
        lupdate()  # lupdate's own layout, so the next run changes nothing
    lrelease()
    total, unfinished = ts_stats(TS)
    print(f"{TS.relative_to(ROOT)}: {total} messages, {unfinished} unfinished")
    for context, source in unfinished_messages(TS):
        print(f"  unfinished [{context}] {source!r}")
    return 1 if unfinished else 0


def unfinished_messages(ts: Path) -> list[tuple[str, str]]:
    from tools.ts_fill import messages

    return [(m.context, m.source) for m in messages(ts) if not m.finished]


if __name__ == "__main__":
    sys.exit(main())
