"""日志: audit entries of merges and conflict decisions, filtered by unit, code, packet."""

from __future__ import annotations

from pathlib import Path
from unittest.mock import ANY

from merge_helpers import cell_of, fill_by_hand, issue, older_ledger_rows, row_keys
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import clock
from app.models import Packet, Task
from app.services.db import Database
from app.services.district.audit import list_audit
from app.services.district.conflicts import list_conflicts, resolve_conflict
from app.services.district.corrections import edit_entry
from app.services.district.ledger import cell_detail
from app.services.district.merge import apply_packets
from app.services.packets.format import SHEET_INDICATORS, SHEET_TASKS
from app.services.packets.reader import read_packet

PERIOD = "2021-06"


def test_audit_filters(tianning: Database, tmp_path: Path) -> None:
    packets = issue(tianning, PERIOD, ["青龙街道", "茶山街道"], tmp_path)
    results = {}
    for unit, src in packets.items():
        keys = row_keys(src)
        hand = fill_by_hand(src, tmp_path / f"{unit}.xlsx", {
            keys[0]: {"status": "in_progress", "percent": 30.0},
            keys[3]: {"progress": f"{unit}的进展"}})
        [results[unit]] = apply_packets(tianning, [hand], period=PERIOD)
    everything = list_audit(tianning, plan_id=1)
    assert len(everything) == 6
    mine = list_audit(tianning, plan_id=1, unit="青龙街道")
    assert len(mine) == 3 and {a.unit for a in mine} == {"青龙街道"}
    code = mine[-1].code
    assert {a.code for a in list_audit(tianning, plan_id=1, code=code)} == {code}
    packet = results["茶山街道"].packet_id
    assert packet is not None
    by_packet = list_audit(tianning, packet=packet[:10])
    assert {a.unit for a in by_packet} == {"茶山街道"} and len(by_packet) == 3
    entry = next(a for a in by_packet if a.field == "status")
    assert (entry.old_text, entry.new_text, entry.period) == ("", "推进中", PERIOD)
    assert entry.where.startswith("[任务进展]G")
    assert list_audit(tianning, plan_id=1, unit="兰陵街道") == []


def _facts(db: Database, unit: str, codes: list[str]) -> tuple[list[tuple], dict[str, tuple]]:
    """What the 日志 and the history pane show, without the audit rows' own ids."""
    log = [(a.at, a.actor, a.unit, a.period, a.entity, a.code, a.field, a.old, a.new,
            a.packet_id, a.file_hash, a.sheet, a.cell, a.field_label, a.where)
           for a in list_audit(db, plan_id=1)]
    panes = {}
    for code in codes:
        d = cell_detail(db, PERIOD, unit, code, 1)
        panes[code] = (sorted(d.sources.items()), d.changes, d.history, d.packet_id,
                       d.file_name)
    return log, panes


def test_first_values_history_in_the_log_and_the_pane(tianning: Database,
                                                       tmp_path: Path) -> None:
    """A return's first values, later changes taken, a district edit, a conflict and its
    decision: the 日志 and the cell's history pane show each with who, when, the packet,
    file, sheet and cell, the old and the new value."""
    unit = "天宁生态环境局"  # a department with task items and indicators
    src = issue(tianning, PERIOD, [unit], tmp_path)[unit]
    keys = row_keys(src)
    tasks = [k for k in keys if k.startswith("T:")]
    indicator = next(k for k in keys if k.startswith("I:"))
    first = fill_by_hand(src, tmp_path / "first.xlsx", {
        tasks[0]: {"status": "in_progress", "percent": 30.0, "progress": "一月进展"},
        tasks[1]: {"progress": "二项进展", "responsible": "张三"},
        indicator: {"value": "12", "note": "初报"}})
    [a] = apply_packets(tianning, [first], period=PERIOD, actor="青龙填报员")
    assert a.status == "applied" and a.packet_id
    with Session(tianning) as s:
        codes = {f"T:{t.uid}": t.code for t in s.scalars(select(Task).where(Task.plan_id == 1))}
        first_at = s.scalar(select(Packet.created_at).where(Packet.id == a.packet_id))
        first_hash = s.scalar(select(Packet.file_hash).where(Packet.id == a.packet_id))
    code0, code1, code2 = codes[tasks[0]], codes[tasks[1]], codes[tasks[2]]
    log, panes = _facts(tianning, unit, [code0, code1, code2])
    cell = {(k, f): cell_of(src, k, f)[1] for k in (tasks[0], tasks[1], tasks[2], indicator)
            for f in ("status", "percent", "progress", "responsible", "value", "note")
            if f in read_packet(src).row(k).cells}  # type: ignore[union-attr]
    ind_code = log[0][5]
    expected_first = [
        ("progress", code0, "status", None, "in_progress", tasks[0]),
        ("progress", code0, "percent", None, "30", tasks[0]),
        ("progress", code0, "progress", None, "一月进展", tasks[0]),
        ("progress", code1, "progress", None, "二项进展", tasks[1]),
        ("progress", code1, "responsible", None, "张三", tasks[1]),
        ("indicator_value", ind_code, "value", None, "12", indicator),
        ("indicator_value", ind_code, "note", None, "初报", indicator),
    ]
    assert [x[:12] for x in log] == [
        (first_at, "青龙填报员", unit, PERIOD, entity, code, f, old, new, a.packet_id,
         first_hash, SHEET_INDICATORS if entity == "indicator_value" else SHEET_TASKS)
        for entity, code, f, old, new, _k in reversed(expected_first)]
    assert [x[12] for x in log] == [cell[(k, f)] for *_r, f, _o, _n, k in
                                    reversed(expected_first)]
    sources, changes, _history, packet_id, file_name = panes[code0]
    assert packet_id == a.packet_id and file_name == "first.xlsx"
    assert [(f, s.kind, s.at, s.actor, s.packet_id, s.file_name, s.revision, s.sheet, s.cell,
             s.note) for f, s in sources] == [
        (f, "return", clock.to_local(first_at), "青龙填报员", a.packet_id, "first.xlsx", 0,
         SHEET_TASKS, cell[(tasks[0], f)], "") for f in ("percent", "progress", "status")]
    assert [(c.at, c.actor, c.field, c.old, c.new, c.kind, c.note, c.packet_id)
            for c in changes] == [
        (clock.to_local(first_at), "青龙填报员", f, None, v, "", "", a.packet_id)
        for f, v in (("progress", "一月进展"), ("percent", "30"), ("status", "in_progress"))]
    assert panes[code2][1] == [] and panes[code2][0] == []

    # the district corrects a percent; a second return changes progress (taken), sets the
    # percent the district had corrected (a conflict) and fills a third item (first values)
    edit_entry(tianning, 1, PERIOD, unit, code0, {"percent": "40"}, "核实")
    second = fill_by_hand(src, tmp_path / "second.xlsx", {
        tasks[0]: {"status": "in_progress", "percent": 50.0, "progress": "一月进展补充"},
        tasks[1]: {"progress": "二项进展", "responsible": "张三"},
        tasks[2]: {"status": "completed", "percent": 100.0},
        indicator: {"value": "12", "note": "初报"}})
    [b] = apply_packets(tianning, [second], period=PERIOD, actor="青龙填报员")
    assert b.status == "applied" and b.conflicts == 1
    [conflict] = list_conflicts(tianning)
    resolve_conflict(tianning, conflict.id, "keep", actor="区创建办")
    with Session(tianning) as s:
        second_at = s.scalar(select(Packet.created_at).where(Packet.id == b.packet_id))
    log2, panes2 = _facts(tianning, unit, [code0, code1, code2])
    assert log2[len(log2) - len(log):] == log  # the first packet's facts stay as they were
    newer = [(x[1], x[6], x[7], x[8], x[9], x[5]) for x in log2[:len(log2) - len(log)]]
    assert newer == [
        ("区创建办", "percent:kept", "50", "40", b.packet_id, code0),
        ("青龙填报员", "progress", "一月进展", "一月进展补充", b.packet_id, code0),
        ("青龙填报员", "percent", None, "100", b.packet_id, code2),
        ("青龙填报员", "status", None, "completed", b.packet_id, code2),
        (ANY, "percent", "30", "40", None, code0),
    ]
    assert [x[0] for x in log2[1:4]] == [second_at] * 3
    sources2 = dict(panes2[code0][0])
    assert sources2["percent"].kind == "district_edit" and sources2["percent"].note == "核实"
    assert (sources2["progress"].packet_id, sources2["progress"].file_name) == (
        b.packet_id, "second.xlsx")
    assert sources2["status"] == dict(sources)["status"]
    assert [(c.field, c.old, c.new, c.kind) for c in panes2[code0][1]] == [
        ("percent:kept", "50", "40", ""), ("progress", "一月进展", "一月进展补充", ""),
        ("percent", "30", "40", "district_edit"), ("progress", None, "一月进展", ""),
        ("percent", None, "30", ""), ("status", None, "in_progress", "")]
    assert [(f, s.kind, s.packet_id, s.cell) for f, s in panes2[code2][0]] == [
        ("percent", "return", b.packet_id, cell[(tasks[2], "percent")]),
        ("status", "return", b.packet_id, cell[(tasks[2], "status")])]
    assert panes2[code1] == panes[code1]
    # filters see the derived facts too
    assert {x.code for x in list_audit(tianning, plan_id=1, code=code2)} == {code2}
    assert len(list_audit(tianning, packet=a.packet_id)) == 7
    assert len(list_audit(tianning, packet=a.packet_id[:10])) == 11  # both returns
    everything = list_audit(tianning, plan_id=1, unit=unit)
    assert len(everything) == 12
    for limit in (3, 9):  # newest first, whichever kind of row is cut
        assert [(a.at, a.field, a.code) for a in list_audit(
            tianning, plan_id=1, unit=unit, limit=limit)] == [
            (a.at, a.field, a.code) for a in everything[:limit]]


def test_returns_merged_at_one_moment_stay_one_block_each(tianning: Database,
                                                          tmp_path: Path) -> None:
    """A batch given one received time: each packet's first values are listed together."""
    import datetime as dt

    packets = issue(tianning, PERIOD, ["青龙街道", "茶山街道", "红梅街道"], tmp_path)
    hands = []
    for unit, src in packets.items():
        keys = row_keys(src)
        hands.append(fill_by_hand(src, tmp_path / f"{unit}.xlsx", {
            keys[0]: {"status": "in_progress", "percent": 30.0, "progress": unit},
            keys[1]: {"progress": f"{unit}二"}}))
    results = apply_packets(tianning, hands, period=PERIOD,
                            received_at=dt.datetime(2021, 7, 3, 10, 0))
    assert [r.status for r in results] == ["applied"] * 3
    units = [a.unit for a in list_audit(tianning, plan_id=1)]
    assert len(units) == 12
    blocks = [u for i, u in enumerate(units) if i == 0 or units[i - 1] != u]
    assert sorted(blocks) == sorted(packets)  # three blocks, one per packet


def _without_order(entries: list) -> list:
    return [(a.at, a.actor, a.unit, a.period, a.entity, a.code, a.field, a.old, a.new,
             a.packet_id, a.file_hash, a.sheet, a.cell) for a in entries]


def test_the_log_of_one_code_is_the_log_filtered_to_it(tianning: Database,
                                                       tmp_path: Path) -> None:
    """The 日志 filtered by a task or indicator code (read out of each ledger row in the
    database) lists exactly the entries of the whole log with that code, in its order —
    for returns packed as merged now and for ledger rows in the layouts of earlier
    versions (old databases), alone or mixed."""
    packets = issue(tianning, PERIOD, ["青龙街道", "茶山街道", "郑陆镇"], tmp_path)
    for n, (unit, src) in enumerate(packets.items()):
        keys = row_keys(src)
        tasks = [k for k in keys if k.startswith("T:")]
        inds = [k for k in keys if k.startswith("I:")]
        values = {tasks[0]: {"status": "in_progress", "percent": 10.0 * (n + 1)},
                  tasks[n + 1]: {"progress": f"{unit}的进展", "responsible": "张三"}}
        if inds:
            values[inds[0]] = {"value": "12", "note": "初报"}
        hand = fill_by_hand(src, tmp_path / f"{unit}.xlsx", values)
        assert apply_packets(tianning, [hand], period=PERIOD)[0].status == "applied"
    everything = list_audit(tianning, plan_id=1)
    _codes_filter_the_log(tianning, everything)
    # the first return as 0007 wrote it (rows keyed, "@first" by row key), the second as
    # before that (a list), the third packed
    with Session(tianning) as s, s.begin():
        ledgers = list(s.scalars(select(Packet).where(Packet.direction == "returned")
                                 .order_by(Packet.created_at, Packet.id)))
        assert len(ledgers) == 3 and all(p.packed and p.rows == {} for p in ledgers)
        for ledger, layout in zip(ledgers, ("by_key", "list"), strict=False):
            assert ledger.packed is not None
            ledger.rows = older_ledger_rows(ledger.packed, layout)
            ledger.packed = ledger.first_targets = None
    assert _without_order(list_audit(tianning, plan_id=1)) == _without_order(everything)
    _codes_filter_the_log(tianning, list_audit(tianning, plan_id=1))
    assert list_audit(tianning, plan_id=1, code="no-such-code") == []


def _codes_filter_the_log(db: Database, everything: list) -> None:
    codes = sorted({a.code for a in everything})
    assert len(codes) >= 4
    for code in codes:
        mine = list_audit(db, plan_id=1, code=code)
        assert _without_order(mine) == _without_order([a for a in everything if a.code == code])
        assert list_audit(db, code=code) == mine  # without the plan: the same
        assert _without_order(list_audit(db, plan_id=1, code=code, limit=1)) \
            == _without_order(mine[:1])
