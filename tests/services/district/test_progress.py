from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import UserFacingError
from app.models import Period, ProgressEntry, Receipt, Task, Unit
from app.services.db import Database
from app.services.district.progress import latest_active_period, period_progress, progress_json


def _ids(s: Session, unit: str, period: str) -> tuple[int, int, int]:
    uid = s.scalar(select(Unit.id).where(Unit.name == unit))
    pid = s.scalar(select(Period.id).where(Period.key == period))
    tid = s.scalar(select(Task.id).where(Task.code == "1.4"))
    assert uid and pid and tid
    return uid, pid, tid


def test_progress_json_reports_entries_returns_and_lateness(tianning: Database) -> None:
    assert latest_active_period(tianning, 1) is None
    with Session(tianning) as s, s.begin():
        uid, pid, tid = _ids(s, "青龙街道", "2021-06")
        s.add(ProgressEntry(unit_id=uid, task_id=tid, period_id=pid, status="behind",
                            percent=40, progress="完成3条河道整治", problems="资金未到位",
                            next_steps="7月底前完成验收"))
        s.add(Receipt(unit_id=uid, period_id=pid, state="accepted",
                      received_at=dt.datetime(2021, 7, 8, 10, 0)))
        uid2, _, _ = _ids(s, "郑陆镇", "2021-06")
        s.add(Receipt(unit_id=uid2, period_id=pid, state="accepted",
                      received_at=dt.datetime(2021, 7, 5, 17, 0)))
    assert latest_active_period(tianning, 1) == "2021-06"
    data = progress_json(period_progress(tianning, "2021-06"))
    units = {u["name"]: u for u in data["units"]}
    assert "区创建办" not in units
    assert units["青龙街道"]["returned"] and units["青龙街道"]["late"]  # due 2021-07-05
    assert units["郑陆镇"]["returned"] and not units["郑陆镇"]["late"]
    assert not units["红梅街道"]["returned"]
    assert units["青龙街道"]["tasks"] == [{
        "code": "1.4", "status": "behind", "percent": 40.0, "progress": "完成3条河道整治",
        "problems": "资金未到位", "next_steps": "7月底前完成验收", "closed": False}]
    assert units["青龙街道"]["approved"] is False


def test_unknown_period_is_a_user_error(tianning: Database) -> None:
    with pytest.raises(UserFacingError, match="2030-01"):
        period_progress(tianning, "2030-01")
