"""Store a small database of the current schema under tests/data/schemas/<revision>.db.

Run once per released schema (after adding a migration); the migration test upgrades every
stored file to head and checks that no row is lost.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy.orm import Session  # noqa: E402

from app.models import (  # noqa: E402
    AuditLog,
    Conflict,
    Flag,
    IndicatorValue,
    Packet,
    ProgressEntry,
    Receipt,
    Setting,
)
from app.services.db import head_revision, open_database  # noqa: E402
from app.services.plans.query import insert_plan  # noqa: E402

SPEC = {
    "title": "常州市天宁区生态文明建设示范区创建实施方案(2020-2023年)",
    "issuer": "常州市天宁区人民政府", "office": "区创建办",
    "units": [{"name": "区创建办", "kind": "district_office"},
              {"name": "天宁生态环境局", "kind": "department", "aliases": ["常州市天宁生态环境局"]},
              {"name": "青龙街道", "kind": "street"}],
    "sections": [{"code": "1", "title": "健全生态制度体系", "children": []}],
    "tasks": [{"code": "1.1", "section": "1", "text": "制定并实施生态文明建设规划。",
               "lead": ["天宁生态环境局"], "cooperating": [], "implementing": ["青龙街道"]}],
    "indicators": [{"code": "3", "name": "生态文明建设工作占党政实绩考核的比例", "unit": "%",
                    "standard": "≥20", "attribute": "约束性", "target": "≥20",
                    "target_year": 2022, "lead": ["天宁生态环境局"]}],
    "first_period": "2021-05", "last_period": "2021-06",
}


def main() -> None:
    out = ROOT / "tests" / "data" / "schemas" / f"{head_revision()}.db"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    engine = open_database(out)
    with Session(engine) as s, s.begin():
        plan_id = insert_plan(s, SPEC)
        s.flush()
        from sqlalchemy import select

        from app.models import Indicator, Period, Task, Unit
        unit = s.scalar(select(Unit.id).where(Unit.name == "青龙街道"))
        task = s.scalar(select(Task.id).where(Task.plan_id == plan_id))
        ind = s.scalar(select(Indicator.id).where(Indicator.plan_id == plan_id))
        period = s.scalar(select(Period.id).where(Period.key == "2021-06"))
        s.add(Packet(id="p1-returned-1", packet_uid="p1", plan_id=plan_id, unit_id=unit,
                     period_id=period, direction="returned", revision=1, file_name="x.xlsx",
                     file_hash="0" * 64, outcome="applied", rows={"T:1": {"status": None}}))
        s.flush()
        s.add(ProgressEntry(unit_id=unit, task_id=task, period_id=period, status="in_progress",
                            percent=60, progress="完成12家企业VOCs治理", problems="", next_steps="",
                            responsible="张三", phone="0519-88888888",
                            completed_on=dt.date(2021, 6, 30), packet_id="p1-returned-1"))
        s.add(IndicatorValue(unit_id=unit, indicator_id=ind, period_id=period, value="21",
                             note="", packet_id="p1-returned-1"))
        s.add(AuditLog(actor="区创建办", entity="progress", entity_id=1, field="percent",
                       old="40", new="60", packet_id="p1-returned-1", sheet="任务进展", cell="J5"))
        s.add(Conflict(packet_id="p1-returned-1", entity="progress", entity_id=1,
                       field="problems", issued="", returned="资金不足", current="已协调"))
        s.add(Flag(unit_id=unit, period_id=period, task_id=task, field="progress",
                   comment="请补充数量"))
        s.add(Receipt(unit_id=unit, period_id=period, state="accepted", revision=1,
                      received_at=dt.datetime(2021, 7, 3, 9, 30), packet_id="p1-returned-1"))
        s.add(Setting(key="role", value="district"))
    engine.dispose()
    con = sqlite3.connect(out)
    con.execute("PRAGMA journal_mode=DELETE")
    con.execute("VACUUM")
    con.close()
    print(out)


if __name__ == "__main__":
    main()
