"""Realistic reported progress for the tianning example, written straight into the tables.

Until merging returned packets fills the database, summary/report tests and the README
pictures need several periods of entries, receipts and indicator values: units that
returned on time, one that returned late, some that did not return, tasks marked 滞后
with their problems, tasks whose deadline (2022-12) passed unfinished, and indicator
values that meet, miss or cannot yet be judged against their standard. Everything is
deterministic (seeded), written in one transaction with the ORM.

    python tests/progress_seed.py DB.sqlite      # add the data to a tianning database
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

PERIODS = ("2022-08", "2022-09", "2022-10", "2022-11", "2022-12", "2023-01")
LAST = PERIODS[-1]

# who did not return / returned late, per period (others returned on time)
MISSING = {
    "2022-08": ["区审计局"],
    "2022-09": ["区审计局", "天宁交警大队"],
    "2022-10": ["天宁交警大队"],
    "2022-11": ["区禁放办", "区审计局"],
    "2022-12": ["红梅街道"],
    "2023-01": ["红梅街道", "区审计局", "市交通执法支队天宁大队"],
}
LATE = {  # unit → days after the due date
    "2022-08": {"兰陵街道": 2},
    "2022-09": {},
    "2022-10": {"青龙街道": 1},
    "2022-11": {"郑陆镇": 4},
    "2022-12": {"天宁交警大队": 6},
    "2023-01": {"青龙街道": 3},
}
# (unit, task code) reported 滞后 in the last period, with the problems they wrote
BEHIND = {
    ("郑陆镇", "2.2.1.5"): "郑陆镇污水处理厂提标改造工程受管材供应影响,进度滞后约两个月。",
    ("区住建局", "5.2"): "城中村污水管网改造涉及拆迁,部分路段未能开工。",
    ("雕庄街道", "2.1.3.1"): "辖区3个在建工地在线监测设备尚未与主管部门联网。",
    ("区城管局", "2.3.2"): "舜山宕口生态修复方案调整,需重新报批。",
    ("茶山街道", "5.6"): "可回收物回收站点选址未落实,居民有异议。",
    ("天宁生态环境局", "2.2.1.4"): "入河排污口溯源工作量大,第三方单位人员不足。",
}
# (unit, task code) with a deadline of 2022-12 still unfinished in 2023-01 (overdue)
OVERDUE = {
    ("郑陆镇", "4.4"): ("in_progress", 92.0, "秸秆收储中心设备调试未完成。"),
    ("区农业农村局(水利局)", "4.5"): ("in_progress", 88.0, "2家规模养殖场粪污处理设施配套未验收。"),
}
PROGRESS_TEXTS = (
    "已召开专题推进会,对照任务清单逐项落实,本月完成阶段性目标。",
    "完成辖区内重点企业现场检查{n}家,发现问题已全部交办整改。",
    "制定本单位年度工作计划并分解到科室,责任人已明确。",
    "开展专项督查{n}次,整改问题{m}个,建立台账销号管理。",
    "会同相关部门开展联合执法,宣传发动覆盖{n}个社区。",
    "按计划推进项目建设,已完成总工程量的{p}%。",
)
NEXT_TEXTS = (
    "下月继续推进,确保按时序完成。",
    "加强与牵头部门对接,做好资料收集归档。",
    "开展“回头看”,巩固整治成效。",
    "组织第三方评估,形成阶段性总结。",
)
PROBLEM_TEXTS = (
    "",
    "",
    "",
    "部分资料需上级部门提供,尚在协调。",
)
# indicator code → value reported by its lead unit(s), per period index (last = LAST)
INDICATOR_VALUES: dict[str, list[str]] = {
    "1": ["已制定实施"] * 6,
    "2": ["有效开展"] * 6,
    "3": ["20", "20", "21", "21", "22", "22"],
    "4": ["全面实施"] * 6,
    "5": ["100"] * 6,
    "6": ["已开展"] * 6,
    "7.1": ["完成上级考核任务(81.6%)"] * 5 + ["完成上级考核任务(82.5%)"],
    "7.2": ["完成"] * 5 + ["未完成(同比上升3.1%)"],
    "8.1": ["完成"] * 6,
    "8.2": ["完成"] * 6,
    "8.3": ["100"] * 6,
    "9": ["63.2", "63.2", "63.5", "63.5", "63.5", "63.8"],
    "10": ["17.6", "17.6", "17.8", "17.9", "17.9", "17.9"],
    "18": ["95.0"] * 6,
    "19": ["完成"] * 6,
    "25": ["100"] * 6,
    "26": ["90.8", "91.0", "91.0", "91.2", "91.5", "91.6"],
    "27": ["100"] * 6,
    "28": ["98.2", "98.4", "98.6", "98.6", "99.1", "99.3"],  # 区城管局; 区卫健局 reports 100
    "31": ["76.3", "77.0", "78.1", "79.5", "80.2", "81.0"],
    "32": ["100"] * 6,
    "33": [""] * 6,  # the satisfaction survey is yearly: nothing reported yet
}
ONGOING_TASKS = {"1.4", "1.5", "2.1.1.1", "2.1.1.2", "2.1.3.2", "2.1.3.4", "2.3.1", "6.2"}


@dataclass
class Seeded:
    periods: tuple[str, ...]
    missing: dict[str, list[str]]
    late: dict[str, dict[str, int]]
    behind: dict[tuple[str, str], str]
    overdue: dict[tuple[str, str], tuple[str, float, str]]
    entries: int = 0
    units: list[str] = field(default_factory=list)


def seed_progress(engine: Engine, plan_id: int = 1, periods: tuple[str, ...] = PERIODS,
                  seed: int = 7) -> Seeded:
    """Write entries, receipts and indicator values for `periods` of the tianning plan."""
    from app.core import clock
    from app.models import Indicator, IndicatorValue, Packet, Period, ProgressEntry, Receipt
    from app.services.district.progress import reporting_units
    from app.services.plans.query import load_plan

    rng = random.Random(seed)
    out = Seeded(periods, MISSING, LATE, BEHIND, OVERDUE)
    with Session(engine) as s, s.begin():
        plan = load_plan(s, plan_id)
        units = reporting_units(s, plan_id)
        out.units = [u.name for u in units]
        uid = {u.name: u.id for u in units}
        pid = {p.key: p for p in s.scalars(select(Period).where(Period.plan_id == plan_id))}
        ind_id = {code: i for code, i in s.execute(
            select(Indicator.code, Indicator.id).where(Indicator.plan_id == plan_id))}
        assigned = [(u, t, role) for t in plan.tasks for role in ("lead", "cooperating",
                                                                   "implementing")
                    for u in getattr(t, role) if u in uid]
        # where each (unit, task) stood before the first seeded period
        level = {(u, t.code): rng.choice((20.0, 30.0, 40.0, 45.0, 50.0, 60.0))
                 for u, t, _ in assigned}
        for k, key in enumerate(periods):
            period = pid[key]
            last = key == periods[-1]
            for name in out.units:  # every unit was issued its packet the day after the period
                s.add(Packet(id=f"seed-{key}-{uid[name]}-issued", packet_uid=f"seed{k}{uid[name]:04d}",
                             plan_id=plan_id, unit_id=uid[name], period_id=period.id,
                             direction="issued", created_at=clock.from_local(
                                 dt.datetime.combine(period.end + dt.timedelta(days=1),
                                                     dt.time(9, 0)))))
            for name in out.units:
                if name in MISSING.get(key, []):
                    continue
                late = LATE.get(key, {}).get(name)
                received = dt.datetime.combine(
                    period.due + dt.timedelta(days=late) if late else
                    period.due - dt.timedelta(days=rng.randint(0, 4)), dt.time(9 + k, 30))
                s.add(Receipt(unit_id=uid[name], period_id=period.id, state="accepted",
                              received_at=clock.from_local(received), revision=1,
                              packet_id=f"seed-{key}-{uid[name]}-issued"))
            for u, t, _role in assigned:
                if u in MISSING.get(key, []):
                    continue
                pair = (u, t.code)
                level[pair] = min(100.0, level[pair] + rng.choice((0.0, 5.0, 10.0, 10.0, 15.0)))
                percent: float | None = level[pair]
                problems = rng.choice(PROBLEM_TEXTS)
                if t.code in ONGOING_TASKS:
                    status, percent = "ongoing", None
                elif percent is not None and percent >= 100:
                    status = "completed"
                else:
                    status = "in_progress"
                if t.deadline == "2022-12" and k >= len(periods) - 2 and status != "ongoing":
                    status, percent = "completed", 100.0  # deadline tasks finished on time…
                if last and pair in OVERDUE:  # …except these
                    status, percent, problems = OVERDUE[pair]
                if pair in BEHIND and k >= len(periods) - 2:
                    status = "behind"
                    percent = min(level[pair], 55.0)
                    problems = BEHIND[pair]
                n = rng.randint(2, 12)
                text = rng.choice(PROGRESS_TEXTS).format(n=n, m=n // 2 + 1,
                                                         p=int(percent or 0))
                s.add(ProgressEntry(
                    unit_id=uid[u], task_id=t.id, period_id=period.id, status=status,
                    percent=percent, progress=text, problems=problems,
                    next_steps=rng.choice(NEXT_TEXTS), responsible="张" + "伟敏静磊芳军"[k % 6],
                    phone="0519-8860" + f"{uid[u]:04d}",
                    completed_on=period.end if status == "completed" else None,
                    packet_id=None))
                out.entries += 1
            for ind in plan.indicators:
                values = INDICATOR_VALUES.get(ind.code)
                if values is None:
                    continue
                for lead in ind.lead:
                    if lead not in uid or lead in MISSING.get(key, []):
                        continue
                    value = values[k - len(periods)] if len(periods) <= 6 else values[-1]
                    if ind.code == "28" and lead == "区卫健局":
                        value = "100"
                    if value:
                        s.add(IndicatorValue(unit_id=uid[lead], indicator_id=ind_id[ind.code],
                                             period_id=period.id, value=value,
                                             note="统计口径同上期" if k else ""))
    return out


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from app.services.db import open_database

    engine = open_database(sys.argv[1], create=False)
    info = seed_progress(engine)
    print(f"{info.entries} entries in {len(info.periods)} periods ({', '.join(info.periods)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())


# ---------------------------------------------------------------- pytest fixtures
# Test modules import the functions (``from progress_seed import seeded_fixtures``…); the
# fixtures they define are called ``seeded``, ``seeded_path`` and ``seeded_template``.

try:
    import pytest
except ImportError:  # the command-line use above does not need pytest
    pytest = None  # type: ignore[assignment]

if pytest is not None:
    import sqlite3
    from collections.abc import Iterator

    @pytest.fixture(scope="session", name="seeded_template")
    def seeded_template_fixture(tianning_template: Path,
                        tmp_path_factory: pytest.TempPathFactory) -> Path:
        """The tianning example with PERIODS of seeded progress (built once per session)."""
        from app.services.db import open_database

        path = tmp_path_factory.mktemp("seeded") / "seeded.db"
        _copy(tianning_template, path)
        engine = open_database(path)
        seed_progress(engine)
        engine.dispose()
        return path

    @pytest.fixture(name="seeded_path")
    def seeded_path_fixture(tmp_path: Path, seeded_template: Path) -> Path:
        path = tmp_path / "seeded.db"
        _copy(seeded_template, path)
        return path

    @pytest.fixture(name="seeded")
    def seeded_fixture(seeded_path: Path) -> Iterator[Engine]:
        """A database with the tianning plan (id 1) and six periods of reported progress."""
        from app.services.db import open_database

        engine = open_database(seeded_path)
        yield engine
        engine.dispose()

    def _copy(src: Path, dest: Path) -> None:
        a, b = sqlite3.connect(src), sqlite3.connect(dest)
        try:
            a.backup(b)
        finally:
            a.close()
            b.close()
