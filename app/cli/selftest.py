"""`taizhang --self-test`: the whole district ↔ office round trip in a temporary folder.

It exists for the installed program (the frozen bundle above all): a missing library,
font, migration script or plug-in shows up as a failed step with its message instead of
as a crash in front of a clerk. Each step calls the same services the window and the
subcommands use and checks what they produced; the window step is added by the
launcher (the command line never imports the views except the PDF renderer).
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from app import __version__


class SelfTestFailure(Exception):
    """A step ran but produced something other than what it should have."""


@dataclass
class SelfTestContext:
    """What the steps hand on to each other (paths and keys in the temporary folder)."""

    folder: Path
    district_db: Path = field(init=False)
    office_db: Path = field(init=False)
    plan_id: int = 0
    period: str = ""
    unit: str = ""
    issued: Path | None = None
    returned: Path | None = None
    filled: dict[str, str] = field(default_factory=dict)  # task key → progress text

    def __post_init__(self) -> None:
        self.district_db = self.folder / "区创建办.db"
        self.office_db = self.folder / "单位填报.db"


Step = tuple[str, Callable[[SelfTestContext], str]]


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise SelfTestFailure(message)


def _engine(path: Path) -> Any:
    from app.services.db import open_database

    return open_database(path, create=False)


def step_init(ctx: SelfTestContext) -> str:
    from app.services.db import open_database
    from app.services.plans.examples import load_example
    from app.services.plans.query import get_plan

    engine = open_database(ctx.district_db)
    try:
        ctx.plan_id = load_example(engine, "tianning")
        plan = get_plan(engine, ctx.plan_id)
    finally:
        engine.dispose()
    _check(bool(plan.tasks) and bool(plan.periods), "示例方案没有任务或填报周期")
    ctx.period = plan.periods[0].key
    return f"示例方案 {len(plan.tasks)} 项任务、{len(plan.indicators)} 项指标"


def step_issue(ctx: SelfTestContext) -> str:
    from app.services.district.issue import issue_candidates, issue_packets

    engine = _engine(ctx.district_db)
    try:
        candidates = [c for c in issue_candidates(engine, ctx.plan_id) if c.tasks >= 3]
        _check(bool(candidates), "没有分到 3 项以上任务的单位")
        ctx.unit = candidates[0].name
        result = issue_packets(engine, ctx.period, ctx.folder / "下发", plan_id=ctx.plan_id,
                               units=[ctx.unit])
    finally:
        engine.dispose()
    _check(len(result.packets) == 1, f"应生成 1 个下发包,实际 {len(result.packets)} 个")
    ctx.issued = result.packets[0].path
    _check(ctx.issued.is_file(), f"下发包不存在:{ctx.issued}")
    return f"{ctx.period} {ctx.unit}:{ctx.issued.name}"


def step_office_open(ctx: SelfTestContext) -> str:
    from app.services.db import open_database
    from app.services.office.opening import open_packet
    from app.services.office.role import database_role

    assert ctx.issued is not None
    engine = open_database(ctx.office_db)
    try:
        result = open_packet(engine, ctx.issued)
        role = database_role(engine)
    finally:
        engine.dispose()
    _check(role == "office", f"打开下发包后数据库角色应为 office,实际 {role}")
    _check(result.tasks_added >= 3, f"只载入了 {result.tasks_added} 项任务")
    return result.summary().splitlines()[0]


def step_fill(ctx: SelfTestContext) -> str:
    from app.services.office.forms import list_tasks, save_task

    engine = _engine(ctx.office_db)
    try:
        tasks = list_tasks(engine, ctx.period)[:3]
        for n, task in enumerate(tasks, 1):
            text = f"自检填报第 {n} 项:已完成现场核查 {n * 3} 处"
            result = save_task(engine, ctx.period, task.key, {
                "status": "推进中", "percent": 20 * n, "progress": text,
                "problems": "无", "next_steps": "按计划推进",
                "responsible": "自检", "phone": "0519-00000000"})
            _check(result.ok, f"任务 {task.code} 未能保存:{result.problems}")
            ctx.filled[task.code] = text
        stored = {t.code: t.values.get("progress") for t in list_tasks(engine, ctx.period)}
    finally:
        engine.dispose()
    for code, text in ctx.filled.items():
        _check(stored.get(code) == text, f"任务 {code} 读回的进展与填写的不同")
    return f"填写并读回 {len(ctx.filled)} 项任务"


def step_export(ctx: SelfTestContext) -> str:
    from app.services.office.export import export_packet

    engine = _engine(ctx.office_db)
    try:
        result = export_packet(engine, ctx.period, ctx.folder / "报送" / "报送包.xlsx")
    finally:
        engine.dispose()
    ctx.returned = result.path
    _check(result.path.is_file() and result.path.stat().st_size > 0, "报送包没有写出")
    return f"{result.path.name}(第 {result.revision} 版,{result.path.stat().st_size} 字节)"


def step_merge(ctx: SelfTestContext) -> str:
    from app.services.district.merge import apply_packets

    assert ctx.returned is not None
    engine = _engine(ctx.district_db)
    try:
        results = apply_packets(engine, [ctx.returned], period=ctx.period, plan_id=ctx.plan_id)
    finally:
        engine.dispose()
    _check(len(results) == 1, f"应有 1 个结果,实际 {len(results)} 个")
    r = results[0]
    errors = "; ".join(str(e) for e in r.errors)
    _check(r.status == "applied", f"报送包状态应为 applied,实际 {r.status} {errors}")
    _check(r.rows_applied >= len(ctx.filled), f"只写入 {r.rows_applied} 行")
    return f"写入 {r.rows_applied} 行"


def step_progress(ctx: SelfTestContext) -> str:
    from app.services.district.progress import period_progress

    engine = _engine(ctx.district_db)
    try:
        data = period_progress(engine, ctx.period, ctx.plan_id)
    finally:
        engine.dispose()
    unit = next((u for u in data.units if u.name == ctx.unit), None)
    _check(unit is not None and unit.returned, f"{ctx.unit} 未显示为已报")
    assert unit is not None
    got = {t.code: t.progress for t in unit.tasks}
    for code, text in ctx.filled.items():
        _check(got.get(code) == text, f"区里看到的任务 {code} 进展与单位填写的不同")
    return f"{ctx.unit} 已报,{len(ctx.filled)} 项进展与填写一致"


def step_report_pdf(ctx: SelfTestContext) -> str:
    from app.services.reports.document import build_bulletin
    from app.views.reports.render import ensure_gui_application, write_pdf

    engine = _engine(ctx.district_db)
    try:
        doc = build_bulletin(engine, ctx.period, ctx.plan_id, date=dt.date.today())
    finally:
        engine.dispose()
    ensure_gui_application()
    path = ctx.folder / "通报.pdf"
    pages = write_pdf(doc, path)
    head = path.read_bytes()[:5]
    _check(head == b"%PDF-" and pages >= 1, f"通报 PDF 无效({pages} 页,文件头 {head!r})")
    return f"{pages} 页,{path.stat().st_size // 1024} KB(含图表)"


def step_report_xlsx(ctx: SelfTestContext) -> str:
    from python_calamine import CalamineWorkbook

    from app.services.reports.workbook import write_summary_workbook

    engine = _engine(ctx.district_db)
    try:
        path = write_summary_workbook(engine, ctx.period, ctx.folder / "汇总表.xlsx",
                                      ctx.plan_id)
    finally:
        engine.dispose()
    book = CalamineWorkbook.from_path(str(path))
    text = "\n".join(str(cell) for name in book.sheet_names
                     for row in book.get_sheet_by_name(name).to_python() for cell in row)
    _check(ctx.unit in text, f"汇总表中没有 {ctx.unit}")
    return f"{len(book.sheet_names)} 个工作表"


def step_issue_in_workers(ctx: SelfTestContext) -> str:
    """Issuing in a worker process ('spawn': in the bundle the program starts again as the
    worker, and `multiprocessing.freeze_support()` must turn it into one), then every
    other unit's packet with that worker writing beside this process."""
    from app.services.db import open_database
    from app.services.district.issue import issue_packets, shutdown_workers, start_workers
    from app.services.packets.reader import read_packet

    try:
        _check(start_workers(1, timeout=120) == 1, "后台进程未能启动")
        engine = open_database(ctx.district_db)
        try:
            result = issue_packets(engine, ctx.period, ctx.folder / "下发(多进程)",
                                   plan_id=ctx.plan_id, workers=1)
        finally:
            engine.dispose()
    finally:
        shutdown_workers()
    _check(len(result.packets) >= 2, f"只生成了 {len(result.packets)} 个下发包")
    _check(result.by_workers >= 1, "后台进程没有生成下发包")
    bad = [p.path.name for p in result.packets if read_packet(p.path).problems]
    _check(not bad, "下发包读回有问题:" + "、".join(bad))
    return f"{len(result.packets)} 个下发包,其中后台进程生成 {result.by_workers} 个"


def step_read_in_workers(ctx: SelfTestContext) -> str:
    """What a merge's read-ahead worker runs ('spawn', as for issuing): the returned packet
    read there (libdeflate, the reader), its seal checked with the plan's secret and its
    ledger rows packed (``packed.read_packed``), and a glance at it (``glance_many``): the
    modules the worker imports by name only, which a bundle could miss."""
    from app.services.district.check import ReadAhead
    from app.services.packets.glance import glance, glance_many
    from app.services.workers import POOL

    assert ctx.returned is not None
    engine = _engine(ctx.district_db)
    try:
        _check(POOL.start(1, timeout=120) == 1, "后台进程未能启动")
        ahead = ReadAhead(1)
        try:
            ahead.plan(engine, [(0, ctx.returned)])
            read = ahead.take(0)
            _check(read is not None, "后台进程没有读取报送包")
            assert read is not None
            packet, plan_uid, rows = read()
        finally:
            ahead.close()
        pool, _ready = POOL.acquire(1)
        try:
            glanced = pool.submit(glance_many, [ctx.returned]).result(timeout=120)
        finally:
            POOL.release(pool, False)
    finally:
        POOL.shutdown()
        engine.dispose()
    _check(plan_uid is not None, "后台进程未能核对报送包的防伪校验")
    _check(bool(rows) and packet.manifest.direction == "returned", "后台进程读回的报送包不完整")
    _check(glanced == [glance(ctx.returned)], "后台进程的预览与本进程不同")
    return f"后台进程读取 {len(packet.rows)} 行并核对防伪校验"


SERVICE_STEPS: list[Step] = [
    ("新建数据库并载入示例方案", step_init),
    ("下发填报包", step_issue),
    ("单位打开下发包", step_office_open),
    ("单位填报几项任务", step_fill),
    ("导出报送包", step_export),
    ("区里导入报送包", step_merge),
    ("查看进展", step_progress),
    ("生成通报 PDF", step_report_pdf),
    ("生成汇总表 xlsx", step_report_xlsx),
    ("后台进程下发填报包", step_issue_in_workers),
    ("后台进程预读报送包", step_read_in_workers),
]


def run_self_test(extra: Sequence[Step] = (), out: TextIO | None = None) -> int:
    """Run every step in a fresh temporary folder; 0 only when all passed.

    A failed step stops the run (the later ones need its result); its message and
    traceback are printed, the remaining steps are listed as not run.
    """
    out = out or sys.stdout
    steps = [*SERVICE_STEPS, *extra]
    frozen = "(安装版)" if getattr(sys, "frozen", False) else ""
    out.write(f"台账 {__version__}{frozen} 自检,Python {sys.version.split()[0]},"
              f"{sys.platform}\n")
    started = time.perf_counter()
    failed = False
    with tempfile.TemporaryDirectory(prefix="taizhang-selftest-") as tmp:
        ctx = SelfTestContext(Path(tmp))
        for n, (name, fn) in enumerate(steps, 1):
            label = f"[{n}/{len(steps)}] {name}"
            if failed:
                out.write(f"{label}:未运行\n")
                continue
            t0 = time.perf_counter()
            try:
                detail = fn(ctx)
            except Exception as exc:
                failed = True
                out.write(f"{label}:失败 — {type(exc).__name__}: {exc}\n")
                if not isinstance(exc, SelfTestFailure):
                    out.write("".join(traceback.format_exception(exc)))
            else:
                out.write(f"{label}:通过({time.perf_counter() - t0:.1f} 秒)— {detail}\n")
            out.flush()
    total = time.perf_counter() - started
    out.write(f"自检{'失败' if failed else '全部通过'},共 {total:.1f} 秒\n")
    out.flush()
    return 1 if failed else 0
