"""Issuing packets: files, ledger, carry-forward, cancel, corrections, command line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from concurrent.futures import wait
from pathlib import Path

import pytest
from packet_helpers import add_small_plan
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cli.main import main
from app.core.errors import UserFacingError
from app.core.jobs import Cancelled, Reporter
from app.models import Packet, Period, Plan, ProgressEntry, Receipt, Task, Unit
from app.services.db import Database, connection_closed
from app.services.district.issue import (
    issue_candidates,
    issue_correction,
    issue_packets,
    packet_file_name,
)
from app.services.packets import read_packet, verify_seal
from app.services.workers import WorkerPool


def _ids(db: Database, unit: str, code: str, period: str) -> tuple[int, int, int]:
    with Session(db) as s:
        u = s.scalar(select(Unit.id).where(Unit.name == unit))
        t = s.scalar(select(Task.id).where(Task.code == code))
        p = s.scalar(select(Period.id).where(Period.key == period))
        assert u and t and p
        return u, t, p


def test_file_name_is_safe() -> None:
    assert packet_file_name("2021-06", "区农业农村局(水利局)", "天宁区示范区创建实施方案(2020-2023年)") \
        == "2021-06_区农业农村局(水利局)_天宁区示范区创建实施方案.xlsx"
    odd = packet_file_name("2021-06", 'a/b:c*"d', "x?y")
    assert odd.startswith("2021-06_a-b-c-d~") and odd.endswith("_x-y.xlsx")  # + a tag


def test_issue_tianning_writes_one_packet_per_unit(tianning: Database, tmp_path: Path) -> None:
    result = issue_packets(tianning, "2021-06", tmp_path / "out")
    candidates = issue_candidates(tianning, 1)
    assert len(result.packets) == len(candidates) > 20
    assert {p.unit for p in result.packets} == {c.name for c in candidates}
    assert "区创建办" not in {p.unit for p in result.packets}
    files = sorted((tmp_path / "out").iterdir())
    assert len(files) == len(result.packets)
    assert all(f.name.startswith("2021-06_") and f.suffix == ".xlsx" for f in files)
    qinglong = next(p for p in result.packets if p.unit == "青龙街道")
    assert qinglong.tasks == 50
    with Session(tianning) as s:
        ledger = list(s.scalars(select(Packet)))
        secret = s.scalar(select(Plan.secret))
    assert len(ledger) == len(result.packets)
    assert {p.id for p in ledger} == {p.packet_id for p in result.packets}
    assert all(p.direction == "issued" and p.revision == 0 and p.kind == "normal"
               for p in ledger)
    pf = read_packet(qinglong.path)
    assert pf.problems == []
    assert pf.manifest.unit == "青龙街道" and pf.manifest.period == "2021-06"
    assert pf.manifest.period_due == dt.date(2021, 7, 5)
    assert verify_seal(secret, pf.manifest, pf.rows)
    row = next(p for p in ledger if p.id == qinglong.packet_id)
    assert row.rows == pf.values()  # the ledger's base is exactly what the packet carried
    assert row.file_hash == pf.file_hash
    assert pf.rows[0].fixed["role"] == "落实"
    env = next(p for p in result.packets if p.unit == "天宁生态环境局")
    pf_env = read_packet(env.path)
    assert env.indicators == sum(not r.is_task for r in pf_env.rows) > 0
    assert all(r.fixed["name"] != "环境空气质量" for r in pf_env.rows if not r.is_task)


def test_reissue_creates_new_packet_ids(tianning: Database, tmp_path: Path) -> None:
    a = issue_packets(tianning, "2021-06", tmp_path, units=["青龙街道"])
    b = issue_packets(tianning, "2021-06", tmp_path, units=["青龙街道办事处"])  # an alias
    assert a.packets[0].path == b.packets[0].path
    assert a.packets[0].packet_uid != b.packets[0].packet_uid
    with Session(tianning) as s:
        assert len(list(s.scalars(select(Packet)))) == 2
    assert read_packet(b.packets[0].path).manifest.packet_id == b.packets[0].packet_uid


def test_carry_forward_takes_last_accepted_values(db: Database, tmp_path: Path) -> None:
    add_small_plan(db)
    u, t, may = _ids(db, "青龙街道", "1", "2021-05")
    _, _, april = _ids(db, "青龙街道", "1", "2021-04")
    with Session(db) as s, s.begin():
        s.add(ProgressEntry(unit_id=u, task_id=t, period_id=april, status="not_started",
                            percent=0, responsible="旧人", progress="四月"))
        s.add(ProgressEntry(unit_id=u, task_id=t, period_id=may, status="in_progress",
                            percent=60, progress="五月完成 7 家", problems="资金", responsible="张三",
                            phone="0519-86661234", next_steps="六月完成"))
    result = issue_packets(db, "2021-06", tmp_path, units=["青龙街道"])
    pf = read_packet(result.packets[0].path)
    first = pf.rows[0]
    assert first.fixed["code"] == "1"
    assert first.values == {"status": "in_progress", "percent": 60.0, "progress": "",
                            "problems": "", "next_steps": "", "responsible": "张三",
                            "phone": "0519-86661234", "completed_on": None}
    # deadline 2021-03 passed and not completed: highlighted as overdue
    assert first.fixed["overdue"] is True
    assert pf.rows[1].fixed["overdue"] is False  # 2022-12
    # indicators: group heading skipped, numeric flag, previous value shown
    inds = [r for r in pf.rows if not r.is_task]
    assert [r.fixed["code"] for r in inds] == ["7.1", "8"]
    assert inds[0].fixed["numeric"] is True and inds[1].fixed["numeric"] is False


def test_reissue_in_the_same_period_shows_current_values(db: Database, tmp_path: Path) -> None:
    add_small_plan(db)
    u, t, june = _ids(db, "青龙街道", "1", "2021-06")
    with Session(db) as s, s.begin():
        s.add(ProgressEntry(unit_id=u, task_id=t, period_id=june, status="completed",
                            percent=100, progress="全部完成", completed_on=dt.date(2021, 6, 20)))
    pf = read_packet(issue_packets(db, "2021-06", tmp_path, units=["青龙街道"]).packets[0].path)
    assert pf.rows[0].values["progress"] == "全部完成"
    assert pf.rows[0].values["completed_on"] == "2021-06-20"
    assert pf.rows[0].fixed["overdue"] is False


def test_issuing_again_sees_every_change_to_the_plan(tianning_path: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The plan is loaded once for a run of calls (a district issuing unit by unit), and
    again after any change: through the same engine, or another process's connection."""
    from app.services.db import open_database
    from app.services.district import issue

    loads: list[int] = []
    real_load = issue.load_plan
    monkeypatch.setattr(issue, "load_plan", lambda s, pid: loads.append(pid) or real_load(s, pid))
    engine, other = open_database(tianning_path), open_database(tianning_path)
    try:
        def first_text(out: str) -> str:
            result = issue_packets(engine, "2021-06", tmp_path / out, units=["青龙街道"])
            return str(read_packet(result.packets[0].path).rows[0].fixed["text"])

        def set_first_text(through: Database, text: str) -> None:
            code = read_packet(next((tmp_path / "a").iterdir())).rows[0].fixed["code"]
            with Session(through) as s, s.begin():
                task = s.scalars(select(Task).where(Task.plan_id == 1, Task.code == code)).one()
                task.text = text

        original = first_text("a")
        assert first_text("b") == original and len(loads) == 1  # its own ledger rows: kept
        set_first_text(engine, "同一连接改过的任务")
        assert first_text("c") == "同一连接改过的任务" and len(loads) == 2
        set_first_text(other, "另一连接改过的任务")
        assert first_text("d") == "另一连接改过的任务" and len(loads) == 3
        assert first_text("e") == "另一连接改过的任务" and len(loads) == 3
    finally:
        engine.dispose()
        other.dispose()
    again = open_database(tianning_path)  # a disposed engine's connections are let go
    try:
        issue_packets(again, "2021-06", tmp_path / "f", units=["青龙街道"])
        assert len(loads) == 4
        assert not any(connection_closed(raw) for raw, *_ in issue._PLANS._entries.values())
    finally:
        again.dispose()


def test_cancel_leaves_only_whole_recorded_packets(tianning: Database, tmp_path: Path) -> None:
    class StopAfter(Reporter):
        def step(self, done: int, total: int, text: str = "") -> None:
            if done == 3:
                self.cancel()
            super().step(done, total, text)

    out = tmp_path / "out"
    with pytest.raises(Cancelled):
        issue_packets(tianning, "2021-06", out, reporter=StopAfter(), workers=0)
    files = list(out.iterdir())
    assert len(files) == 3 and all(f.suffix == ".xlsx" for f in files)
    with Session(tianning) as s:
        assert sorted(p.file_name for p in s.scalars(select(Packet))) == sorted(
            f.name for f in files)


def test_a_failed_save_stops_the_batch_where_it_failed(tianning: Database, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Files are saved by a helper thread while the next workbook is built: a save that
    fails (a file open in Excel, a full disk) is raised, the packets saved before it stay
    and are recorded, none after it is written."""
    from app.services.district import issue
    from app.services.packets.writer import PacketJob, WrittenFile

    saved: list[str] = []
    real_save = issue.save_job

    def save(job: PacketJob, data: bytes) -> WrittenFile:
        if len(saved) == 4:
            raise UserFacingError(f"无法保存“{job.path.name}”")
        saved.append(job.manifest.unit)
        return real_save(job, data)

    monkeypatch.setattr(issue, "save_job", save)
    out = tmp_path / "out"
    with pytest.raises(UserFacingError, match="无法保存"):
        issue_packets(tianning, "2021-06", out, workers=0)
    files = _ledger_matches_folder(tianning, out)
    assert sorted(read_packet(f).manifest.unit for f in files) == sorted(saved)
    assert len(saved) == 4


def test_units_named_and_aliased_in_one_call(tianning: Database, tmp_path: Path) -> None:
    """The units of a call are looked up together: in the order given, a unit named twice
    (by name and by alias) issued once, an unknown name refused by name."""
    result = issue_packets(tianning, "2021-06", tmp_path / "a",
                           units=[" 郑陆镇", "青龙街道办事处", "青龙街道"])
    assert [p.unit for p in result.packets] == ["郑陆镇", "青龙街道"]
    with pytest.raises(UserFacingError, match="没有名为“火星街道”的单位"):
        issue_packets(tianning, "2021-06", tmp_path / "b", units=["郑陆镇", "火星街道"])
    assert not (tmp_path / "b").exists()


def _ledger_matches_folder(engine: Database, folder: Path) -> list[Path]:
    """Only whole packets in the folder (no temporary file), each recorded with its hash."""
    files = sorted(folder.iterdir())
    assert all(f.suffix == ".xlsx" and not f.name.startswith(".") for f in files), files
    with Session(engine) as s:
        ledger = {p.file_name: p.file_hash for p in s.scalars(select(Packet))}
    assert ledger == {f.name: read_packet(f).file_hash for f in files}
    return files


def test_worker_processes_write_the_same_bytes(tianning_path: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Serial and parallel issuing of the same packets (same ids and times) give
    byte-identical files and the same ledger; progress counts every packet."""
    from conftest import copy_sqlite

    from app.services.db import open_database
    from app.services.district import issue

    copy_sqlite(tianning_path, tmp_path / "b.db")
    made = issue._manifest
    monkeypatch.setattr(issue, "_manifest", lambda *a: dataclasses.replace(
        made(*a), issued_at=dt.datetime(2021, 6, 25, 9, 30)))
    results = []
    assert issue.start_workers(2) >= 1  # up before the batch: they get packets from its start
    for path, workers in ((tianning_path, 0), (tmp_path / "b.db", 2)):
        ids = iter(range(1000))
        monkeypatch.setattr(issue.uuid, "uuid4", lambda ids=ids: uuid.UUID(int=next(ids)))
        steps: list[int] = []
        engine = open_database(path)
        try:
            result = issue_packets(engine, "2021-06", tmp_path / str(workers), workers=workers,
                                   reporter=Reporter(lambda done, _n, _t, steps=steps:
                                                     steps.append(done)))
            _ledger_matches_folder(engine, tmp_path / str(workers))
            with Session(engine) as s:
                ledger = sorted((p.id, p.unit_id, p.file_name, p.file_hash, p.rows)
                                for p in s.scalars(select(Packet)))
        finally:
            engine.dispose()
        assert steps == sorted(steps) and steps[-1] == len(result.packets) > 20
        results.append((result, ledger))
    (serial, serial_ledger), (parallel, parallel_ledger) = results
    assert serial.by_workers == 0 and parallel.by_workers >= 1
    assert [(p.unit, p.path.name, p.packet_id, p.sha256) for p in serial.packets] == \
        [(p.unit, p.path.name, p.packet_id, p.sha256) for p in parallel.packets]
    assert serial_ledger == parallel_ledger
    for a, b in zip(serial.packets, parallel.packets, strict=True):
        assert a.path.read_bytes() == b.path.read_bytes()


def test_cancel_in_worker_processes_keeps_whole_packets_only(tianning: Database,
                                                             tmp_path: Path) -> None:
    class StopAfter(Reporter):
        def step(self, done: int, total: int, text: str = "") -> None:
            if done >= 2:
                self.cancel()
            super().step(done, total, text)

    from app.services.district import issue

    issue.start_workers(2)
    out = tmp_path / "out"
    with pytest.raises(Cancelled):
        issue_packets(tianning, "2021-06", out, reporter=StopAfter(), workers=2)
    files = _ledger_matches_folder(tianning, out)
    assert 2 <= len(files) < len(issue_candidates(tianning, 1))
    # the workers stay usable: the next batch writes everything
    again = issue_packets(tianning, "2021-06", tmp_path / "again", workers=2)
    assert len(again.packets) == len(issue_candidates(tianning, 1))


def test_a_worker_that_dies_is_one_plain_line(tianning: Database, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker process killed half-way through a file: a plain message, not a hang; its
    temporary file is removed, the packets written are recorded, the next batch works."""
    import worker_helpers

    from app.services.district import issue

    assert issue.start_workers(2) >= 1  # a worker gets a packet from the batch's start
    monkeypatch.setattr(issue, "write_job", worker_helpers.crash_while_writing)
    out = tmp_path / "out"
    with pytest.raises(UserFacingError, match="后台进程意外退出") as caught:
        issue_packets(tianning, "2021-06", out, workers=2)
    assert "\n" not in str(caught.value)
    files = _ledger_matches_folder(tianning, out)
    assert len(files) < len(issue_candidates(tianning, 1))
    monkeypatch.undo()
    again = issue_packets(tianning, "2021-06", tmp_path / "again", units=["郑陆镇", "青龙街道"],
                          workers=2)
    assert [p.unit for p in again.packets] == ["郑陆镇", "青龙街道"]


def test_a_batch_never_waits_for_workers_still_starting(tianning: Database, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers that are not up yet get no packet: the calling thread writes them all and
    returns while they are still starting; the next batch finds them up and uses them."""
    import functools

    import worker_helpers

    from app.services.district import issue

    issue.shutdown_workers()
    flag = tmp_path / "up"
    monkeypatch.setattr(issue, "_WORKERS",
                        WorkerPool(functools.partial(worker_helpers.ready_when, str(flag))))
    first = issue_packets(tianning, "2021-06", tmp_path / "first", workers=2)
    assert first.workers == 2 and len(first.packets) == len(issue_candidates(tianning, 1))
    assert first.by_workers == 0  # all written by the calling thread
    assert not any(f.done() for f in issue._WORKERS._ready)  # still starting: none waited for
    _ledger_matches_folder(tianning, tmp_path / "first")
    flag.touch()
    assert issue._WORKERS.start(2) >= 1
    again = issue_packets(tianning, "2021-06", tmp_path / "again", workers=2)
    assert len(again.packets) == len(first.packets) and again.by_workers >= 1
    issue._WORKERS.shutdown()


@pytest.mark.parametrize("late", [False, True])
def test_a_worker_that_fails_to_start_gets_no_packet(tianning: Database, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     late: bool) -> None:
    """The batch is written by the calling thread and the workers are dropped, whether
    they fail before the batch ends or after."""
    import worker_helpers

    from app.services.district import issue

    monkeypatch.setattr(issue, "_WORKERS", WorkerPool(worker_helpers.fail_start_late if late
                                                      else worker_helpers.fail_start))
    if not late:
        assert issue._WORKERS.start(1) == 0
    result = issue_packets(tianning, "2021-06", tmp_path / "out", workers=1)
    assert len(result.packets) == len(issue_candidates(tianning, 1)) and result.by_workers == 0
    _ledger_matches_folder(tianning, tmp_path / "out")
    # the batch may end before its worker has failed: once it has, the pool is no help
    old, old_ready = issue._WORKERS._pool, issue._WORKERS._ready
    wait(old_ready, timeout=120)
    assert not issue._WORKERS.warm
    pool, ready = issue._WORKERS.acquire(1)  # the next batch starts new ones
    try:
        assert pool is not old and ready is not old_ready
    finally:
        issue._WORKERS.release(pool, True)
    assert issue._WORKERS._pool is None


def test_how_many_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services import workers
    from app.services.district import issue

    assert issue._worker_count(50, 0) == 0 and issue._worker_count(3, 8) == 3
    monkeypatch.setattr(workers, "cpus", lambda: 1)
    assert issue._worker_count(1000, None) == 0  # one core: never
    monkeypatch.setattr(workers, "cpus", lambda: 8)
    monkeypatch.setattr(workers, "load_average", lambda: 2.5)
    monkeypatch.setattr(issue, "_WORKERS", WorkerPool())  # none running, no batch yet
    assert issue._worker_count(issue.PARALLEL_COLD - 1, None) == 0
    assert issue._worker_count(issue.PARALLEL_COLD, None) == issue.MAX_WORKERS
    monkeypatch.setattr(workers, "cpus", lambda: 2)  # the calling thread writes too
    assert issue._worker_count(issue.PARALLEL_COLD, None) == 1
    # a run of batches (period after period): from the second call on, from fewer packets
    assert issue._worker_count(20, None) == 0
    issue._WORKERS.batch_done(20)
    assert issue._worker_count(20, None) == 1
    assert issue._worker_count(issue.PARALLEL_RUN - 1, None) == 0
    issue._WORKERS.batch_done(issue.PARALLEL_RUN - 1)  # a small batch starts no run
    assert issue._worker_count(20, None) == 0
    monkeypatch.setattr(workers, "load_average", lambda: 16.5)  # twice as busy as its cores
    assert issue._worker_count(1000, None) == 0


def test_failed_ledger_write_removes_the_file(db: Database, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services.district import issue

    add_small_plan(db)

    def boom(*_a: object, **_k: object) -> str:
        raise RuntimeError("disk full")

    monkeypatch.setattr(issue, "_record", boom)
    with pytest.raises(RuntimeError):
        issue_packets(db, "2021-06", tmp_path / "out", units=["青龙街道"])
    assert list((tmp_path / "out").iterdir()) == []


def test_unknown_unit_and_period(db: Database, tmp_path: Path) -> None:
    add_small_plan(db)
    with pytest.raises(UserFacingError, match="没有名为“火星街道”的单位"):
        issue_packets(db, "2021-06", tmp_path, units=["火星街道"])
    with pytest.raises(UserFacingError, match="没有填报周期 2030-01"):
        issue_packets(db, "2030-01", tmp_path)
    result = issue_packets(db, "2021-06", tmp_path, units=["区创建办"])
    assert result.packets == [] and result.skipped[0][0] == "区创建办"


def test_correction_packet(db: Database, tmp_path: Path) -> None:
    add_small_plan(db)
    u, t, june = _ids(db, "青龙街道", "2", "2021-06")
    with Session(db) as s, s.begin():
        s.add(ProgressEntry(unit_id=u, task_id=t, period_id=june, status="behind", percent=30,
                            progress="推进缓慢"))
        s.add(Receipt(unit_id=u, period_id=june, state="accepted", revision=1))
        key = "T:" + s.scalar(select(Task.uid).where(Task.id == t))
    done = issue_correction(db, None, "2021-06", "青龙街道", tmp_path / "fix.xlsx",
                            {key: {"problems"}}, {key: {"problems": "滞后须写明原因"}})
    pf = read_packet(done.path)
    assert pf.manifest.kind == "correction"
    row = pf.row(key)
    assert row is not None
    assert row.values["status"] == "behind" and row.values["progress"] == "推进缓慢"
    assert row.editable == frozenset({"problems"})
    assert row.comments == {"problems": "滞后须写明原因"}
    assert all(r.editable == frozenset() for r in pf.rows if r.key != key)
    with Session(db) as s:
        assert s.scalar(select(Receipt.state)) == "returned_for_fix"
        assert s.scalar(select(Packet.kind)) == "correction"
    with pytest.raises(UserFacingError, match="不属于"):
        issue_correction(db, None, "2021-06", "青龙街道", tmp_path / "x.xlsx",
                         {"T:nope": {"progress"}})


def test_cli_issue(tianning_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "out"
    assert main(["issue", "--db", str(tianning_path), "--period", "2021-06", "--out", str(out),
                 "--unit", "青龙街道", "茶山街道"]) == 0
    assert len(list(out.iterdir())) == 2
    assert "已生成 2 个下发包" in capsys.readouterr().out
    assert main(["issue", "--db", str(tianning_path), "--period", "六月", "--out",
                 str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "周期格式不对" in err
    assert main(["issue", "--db", str(tmp_path / "none.db"), "--period", "2021-06",
                 "--out", str(out)]) == 2
    assert main(["issue", "--db", str(tianning_path), "--period", "2021-06"]) == 2
    assert main(["issue", "--db", str(tianning_path), "--period", "2030-01", "--out",
                 str(out)]) == 1


LONG_NAME = "常州市天宁区" + "生态文明建设示范区创建工作领导小组办公室下设综合协调组" * 3 + "第一组"  # 90


def _plan_with_units(db: Database, names: list[str]) -> None:
    from packet_helpers import SMALL_PLAN

    from app.services.plans.query import insert_plan

    spec = {**SMALL_PLAN, "uid": "names" + "0" * 27,
            "units": [{"name": n, "kind": "street"} for n in names],
            "tasks": [{"code": "1", "section": "1.1", "text": "建立台账。", "lead": names}],
            "indicators": []}
    with Session(db) as s, s.begin():
        insert_plan(s, spec)


def test_issued_file_names_are_unique_capped_and_recorded(db: Database, tmp_path: Path) -> None:
    """甲/乙 and 甲-乙 (丙:丁 and 丙?丁) once shared one file; a 90-character name failed."""
    names = ["甲/乙", "甲-乙", "丙:丁", "丙?丁", LONG_NAME, LONG_NAME[:60] + "第二组" * 10]
    assert len(LONG_NAME) == 90
    _plan_with_units(db, names)
    result = issue_packets(db, "2021-06", tmp_path / "out")
    assert sorted(p.unit for p in result.packets) == sorted(names)
    files = [p.path for p in result.packets]
    assert len({f.name for f in files}) == len(names) and all(f.is_file() for f in files)
    assert all(len(f.name.encode("utf-8")) <= 200 for f in files)
    assert {read_packet(p.path).manifest.unit: p.path.name for p in result.packets} == {
        p.unit: p.path.name for p in result.packets}
    assert next(p for p in result.packets if p.unit == "甲-乙").path.name.startswith(
        "2021-06_甲-乙_")  # an unchanged name keeps its plain file name
    with Session(db) as s:
        ledger = {s.get(Unit, r.unit_id).name: r.file_name  # type: ignore[union-attr]
                  for r in s.scalars(select(Packet).where(Packet.direction == "issued"))}
    assert ledger == {p.unit: p.path.name for p in result.packets}


def test_invisible_characters_never_reach_a_file_name() -> None:
    name = packet_file_name("2021-06", "青龙\u202e街道\u200b", "方案")
    assert "\u202e" not in name and "\u200b" not in name and name.startswith("2021-06_青龙街道~")
