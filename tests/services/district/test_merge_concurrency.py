"""Two processes merging the same unit's revisions at once end as one merging them in order.

Issue 11: the identity check, the three-way compare and the write of one packet are one
transaction under a unit-period write lock taken before the reads (SQLite BEGIN IMMEDIATE,
PostgreSQL an advisory lock). Twenty random interleavings of two long-lived merging
processes (tests/merge_worker.py) must each end with exactly the data of the sequential
merge, every file `applied`, `unchanged` or `superseded`, and no crash.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_sqlite
from merge_helpers import fill_by_hand, issue, row_keys
from server_helpers import SERVER_URL, drop_server_database, server_database
from sqlalchemy import func, select

from app.models import Conflict, IndicatorValue, ProgressEntry, Receipt
from app.services.db import Database, open_database
from app.services.district.merge import apply_packets
from app.services.office.export import export_packet
from app.services.office.forms import save_task
from app.services.office.opening import open_packet
from app.services.plans.examples import load_example

ROOT = Path(__file__).resolve().parents[3]
WORKER = ROOT / "tests" / "merge_worker.py"
UNIT, PERIOD, RUNS = "郑陆镇", "2021-06", 20
STATUSES = ("not_started", "in_progress", "completed", "behind")


@dataclass
class Setup:
    """A database with the packet issued (copied fresh for each run) and four returns."""

    fresh: Any  # () -> (target for --db, cleanup)
    files: list[Path]  # revision 0 (by hand), 1, 2, 3 (the office app's exports from it)


def returns(db: Database, folder: Path) -> list[Path]:
    issued = issue(db, PERIOD, [UNIT], folder)[UNIT]
    tasks = [k for k in row_keys(issued) if k.startswith("T:")]
    files = [fill_by_hand(issued, folder / "r0.xlsx", {
        k: {"status": "in_progress", "percent": 5, "progress": f"手填 {i}"}
        for i, k in enumerate(tasks)})]
    # the unit goes on in the office app from the file it filled by hand: each export
    # continues the one before (lineage), as a unit's revisions do
    office = open_database(folder / "office.db")
    try:
        open_packet(office, files[0])
        for rev in (1, 2, 3):
            for i, key in enumerate(tasks):
                # each revision changes a different mix of fields: a lost write shows
                for_rev = {"progress": f"第{rev}版 进展 {i}"}
                if (i + rev) % 2:
                    for_rev["status"] = STATUSES[(i + rev) % len(STATUSES)]
                if (i + rev) % 3:
                    for_rev["percent"] = 10 * rev + i % 10
                if rev == 3 and i % 4 == 0:
                    for_rev["problems"] = f"问题 {i}"
                save_task(office, PERIOD, key, for_rev)
            files.append(export_packet(office, PERIOD, folder / f"r{rev}.xlsx").path)
    finally:
        office.dispose()
    return files


def snapshot(target: str) -> dict[str, Any]:
    engine = open_database(target, create=False)
    try:
        with engine.connect() as c:
            entries = sorted(tuple(r) for r in c.execute(select(
                ProgressEntry.task_id, ProgressEntry.unit_id, ProgressEntry.status,
                ProgressEntry.percent, ProgressEntry.progress, ProgressEntry.problems,
                ProgressEntry.next_steps, ProgressEntry.responsible, ProgressEntry.phone,
                ProgressEntry.completed_on)))
            values = sorted(tuple(r) for r in c.execute(select(
                IndicatorValue.indicator_id, IndicatorValue.unit_id, IndicatorValue.value,
                IndicatorValue.note)))
            receipts = sorted(tuple(r) for r in c.execute(select(
                Receipt.unit_id, Receipt.period_id, Receipt.state, Receipt.revision)))
            conflicts = c.scalar(select(func.count()).select_from(Conflict).where(
                Conflict.status == "open"))
    finally:
        engine.dispose()
    return {"entries": entries, "values": values, "receipts": receipts,
            "open_conflicts": conflicts}


@pytest.fixture(params=["sqlite", pytest.param("server", marks=[
    pytest.mark.server,
    pytest.mark.skipif(not SERVER_URL, reason="TAIZHANG_TEST_DATABASE_URL not set")])])
def setup(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Setup]:
    if request.param == "sqlite":
        base = tmp_path / "base.db"
        db = open_database(base)
        load_example(db, "tianning")
        files = returns(db, tmp_path)
        db.dispose()
        counter = iter(range(1000))

        def fresh_file() -> tuple[str, Any]:
            path = tmp_path / f"run{next(counter)}.db"
            copy_sqlite(base, path)
            return str(path), lambda: None

        yield Setup(fresh_file, files)
        return
    base_url = server_database()
    db = open_database(base_url)
    load_example(db, "tianning")
    files = returns(db, tmp_path)
    db.dispose()
    from sqlalchemy.engine import make_url

    template = str(make_url(base_url).database)

    def fresh_server() -> tuple[str, Any]:
        url = server_database(template=template)
        return url, lambda: drop_server_database(url)

    yield Setup(fresh_server, files)
    drop_server_database(base_url)


class Worker:
    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, str(WORKER)], cwd=ROOT, text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def send(self, db: str, files: list[Path], delays: list[float]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"db": db, "files": [str(f) for f in files],
                                          "delays": delays}) + "\n")
        self.proc.stdin.flush()

    def reply(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line, "the merging process died"
        result: dict[str, Any] = json.loads(line)
        return result

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=60)


def test_random_interleavings_end_as_the_sequential_merge(setup: Setup) -> None:
    target, cleanup = setup.fresh()
    engine = open_database(target, create=False)
    try:
        for path in setup.files:  # one by one, in revision order
            assert apply_packets(engine, [path])[0].status in ("applied", "superseded")
    finally:
        engine.dispose()
    expected = snapshot(target)
    cleanup()
    assert any(e[4] and e[4].startswith("第3版") for e in expected["entries"])

    workers = [Worker(), Worker()]
    rng = random.Random(20261127)
    try:
        for run in range(RUNS):
            target, cleanup = setup.fresh()
            for w in workers:
                order = rng.sample(setup.files, len(setup.files))
                w.send(target, order, [rng.uniform(0, 0.05) for _ in order])
            replies = [w.reply() for w in workers]
            for r in replies:
                assert r["error"] is None, r["error"]
                assert set(r["statuses"]) <= {"applied", "unchanged", "superseded"}, r
            assert snapshot(target) == expected, f"run {run}: {replies}"
            cleanup()
    finally:
        for w in workers:
            w.close()
