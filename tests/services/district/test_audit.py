"""日志: audit entries of merges and conflict decisions, filtered by unit, code, packet."""

from __future__ import annotations

from pathlib import Path

from merge_helpers import fill_by_hand, issue, row_keys

from app.services.db import Database
from app.services.district.audit import list_audit
from app.services.district.merge import apply_packets

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
