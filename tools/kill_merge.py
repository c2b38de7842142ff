"""Kill `merge` with SIGKILL at random moments and check the database every time.

    python tools/kill_merge.py [--kills 200] [--units 8] [--seed 1] [--keep DIR]

Builds a tianning database, issues 2021-06 to ``--units`` units, fills each return by
hand, then repeatedly starts ``main.py merge`` on all of them and kills it after a random
delay. After every kill the database must pass ``PRAGMA integrity_check`` and
``foreign_key_check``, and every packet is all or nothing: each applied ledger row has
exactly the entries of its file and the provenance of each, and no entry points at a packet the
ledger does not hold. At the end one uninterrupted merge must give the same reported
values as merging into a fresh copy without kills. Prints one JSON line; exit status 1 on
the first inconsistency. The test suite runs a short version (tests/services/district).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

TOWNS = ("开发区", "郑陆镇", "雕庄街道", "青龙街道", "茶山街道", "红梅街道", "天宁街道", "兰陵街道")


def build(folder: Path, units: int) -> tuple[Path, list[Path]]:
    from merge_helpers import fill_by_hand, issue, row_keys

    from app.services.db import open_database
    from app.services.plans.examples import load_example

    db_path = folder / "district.db"
    engine = open_database(db_path)
    load_example(engine, "tianning")
    packets = issue(engine, "2021-06", TOWNS[:units], folder)
    engine.dispose()
    files = []
    for i, (unit, path) in enumerate(sorted(packets.items())):
        keys = row_keys(path)
        values = {k: {"status": "in_progress", "percent": 10 + (i * 7 + n) % 90,
                      "progress": f"{unit}第 {n} 项已推进"} for n, k in enumerate(keys)
                  if k.startswith("T:")}
        files.append(fill_by_hand(path, folder / "returns" / f"{unit}.xlsx", values))
    return db_path, files


def check(db_path: Path) -> str | None:
    """None when the database is consistent, else what is wrong."""
    con = sqlite3.connect(db_path)
    try:
        if con.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            return "integrity_check failed"
        if con.execute("PRAGMA foreign_key_check").fetchall():
            return "foreign_key_check failed"
        from app.services.district.packed import first_values, returned_values

        for pid, rows_json, packed in con.execute(
                "SELECT id, rows, packed FROM packet WHERE direction = 'returned' "
                "AND outcome = 'applied'").fetchall():
            rows = json.loads(rows_json or "{}")
            taken = returned_values(packed, rows)
            filled = sum(1 for k, v in taken.items() if k.startswith("T:") and v.get("progress"))
            entries = con.execute("SELECT count(*) FROM progress_entry WHERE packet_id = ?",
                                  (pid,)).fetchone()[0]
            # the provenance of the rows it created (no audit row each: packed.py; ledger
            # rows of earlier versions read as well)
            created = len({v.target_id for v in first_values(packed, rows)[1]
                           if v.entity == "progress"})
            if entries != filled or created != filled:
                return (f"packet {pid}: {entries} entries, {created} rows of provenance, "
                        f"{filled} filled")
        stray = con.execute(
            "SELECT count(*) FROM progress_entry WHERE packet_id IS NOT NULL AND packet_id "
            "NOT IN (SELECT id FROM packet)").fetchone()[0]
        if stray:
            return f"{stray} entries point at no ledger row"
    finally:
        con.close()
    return None


def values(db_path: Path) -> list[tuple]:
    con = sqlite3.connect(db_path)
    try:
        return sorted(con.execute(
            "SELECT unit_id, task_id, period_id, status, percent, progress FROM progress_entry"))
    finally:
        con.close()


def merge_cmd(db_path: Path, files: list[Path]) -> list[str]:
    return [sys.executable, str(ROOT / "main.py"), "merge", "--db", str(db_path),
            *map(str, files)]


def run(kills: int, units: int, seed: int, keep: Path | None) -> dict[str, object]:
    rng = random.Random(seed)
    folder = keep or Path(tempfile.mkdtemp(prefix="tz-kill-"))
    folder.mkdir(parents=True, exist_ok=True)
    db_path, files = build(folder, units)
    unmerged = folder / "unmerged.db"
    shutil.copy(db_path, unmerged)
    clean = folder / "clean.db"
    shutil.copy(unmerged, clean)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()  # an uninterrupted merge: the expected result and its time
    subprocess.run(merge_cmd(clean, files), capture_output=True, timeout=600, env=env)
    span = max(time.perf_counter() - start, 0.5)
    expected = values(clean)
    killed = finished = 0
    for i in range(kills):
        proc = subprocess.Popen(merge_cmd(db_path, files), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env=env)
        time.sleep(rng.uniform(0.05, span))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
            proc.wait()
        else:
            proc.wait()
            finished += 1
        problem = check(db_path)
        if problem:
            return {"ok": False, "after_kill": i + 1, "problem": problem,
                    "folder": str(folder)}
        if proc.returncode == 0 or values(db_path) == expected:
            # everything merged: start over, so the next kill lands in a real merge
            for side in ("-wal", "-shm"):
                Path(str(db_path) + side).unlink(missing_ok=True)
            shutil.copy(unmerged, db_path)
    final = subprocess.run(merge_cmd(db_path, files), capture_output=True, timeout=600,
                           env=env)
    same = values(db_path) == expected
    return {"ok": same and check(db_path) is None, "kills": killed, "finished_runs": finished,
            "final_exit": final.returncode, "same_as_uninterrupted": same,
            "merge_seconds": round(span, 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--units", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    result = run(args.kills, args.units, args.seed, args.keep)
    print(json.dumps(result, ensure_ascii=False))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
