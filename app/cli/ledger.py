"""台账 on the command line: the grid, district corrections, 审核 and 销号 (issue 10).

    ledger --db DB --period P [--plan ID] [--json]
    edit --db DB --period P --unit NAME --task CODE --set FIELD=VALUE [...] --reason TEXT
    approve --db DB --period P --unit NAME [--plan ID] [--undo]
    close-out --db DB --task CODE [--unit NAME] --date YYYY-MM-DD --note TEXT [--undo]

Every error (unknown unit, task or field, a bad value, nothing to undo) is one Chinese
line with exit status 2, and nothing is changed.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from typing import Any

from app.cli.common import UsageError, add_period_target, existing_db, period_arg, print_json
from app.core.errors import UserFacingError


def _run(args: argparse.Namespace, work: Callable[[Any], int]) -> int:
    """Open the database, run `work`, turn a user's mistake into a usage error (exit 2)."""
    from app.services.db import open_database

    engine = open_database(existing_db(args.db), create=False)
    try:
        return work(engine)
    except UserFacingError as exc:
        raise UsageError(exc.message) from exc
    finally:
        engine.dispose()


def cmd_ledger(args: argparse.Namespace) -> int:
    from app.services.district.ledger import ledger_grid, ledger_json

    period = period_arg(args.period)

    def work(engine: Any) -> int:
        grid = ledger_grid(engine, period, args.plan)
        if args.json:
            print_json(ledger_json(grid))
            return 0
        print(f"{grid.plan_title} · {grid.period.label}")
        for u in grid.units:
            mark = " 已审核" if u.approved else ""
            print(f"  {u.name}\t已报 {u.reported}/{u.assigned}{mark}")
        names = {u.id: u.name for u in grid.units}
        for t in grid.tasks:
            cells = [c for (tid, _), c in grid.cells.items() if tid == t.id]
            behind = [names[c.unit_id] for c in cells if c.behind]
            closed = [names[c.unit_id] for c in cells if c.closed]
            extra = (f"\t滞后:{'、'.join(behind)}" if behind else "") + (
                f"\t已销号:{'、'.join(closed)}" if closed else "")
            print(f"{t.code}\t{t.title}\t已报 {t.reported}/{t.assigned}{extra}")
        return 0

    return _run(args, work)


def _pairs(items: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--set 应写成 字段=值(如 percent=60):{item}")
        out[name.strip()] = value
    return out


def cmd_edit(args: argparse.Namespace) -> int:
    from app.services.district.corrections import edit_entry
    from app.services.packets.values import display, label

    period = period_arg(args.period)
    values = _pairs(args.set)

    def work(engine: Any) -> int:
        result = edit_entry(engine, args.plan, period, args.unit, args.task, values,
                            args.reason)
        for f, (old, new) in result.changed.items():
            print(f"{result.unit} {result.period} {result.code} {label(f)}:"
                  f"“{display(f, old)}” → “{display(f, new)}”")
        return 0

    return _run(args, work)


def cmd_approve(args: argparse.Namespace) -> int:
    from app.services.district.approval import approve

    period = period_arg(args.period)

    def work(engine: Any) -> int:
        result = approve(engine, period, args.unit, plan_id=args.plan, undo=args.undo)
        print(f"{result.unit} {result.period}:" + ("已取消审核" if args.undo else "审核通过"))
        return 0

    return _run(args, work)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"日期格式不对:{text}(应为 YYYY-MM-DD,如 2021-07-08)") from None


def cmd_close_out(args: argparse.Namespace) -> int:
    from app.services.district.approval import close_out

    if not args.undo and (args.date is None or args.note is None):
        raise UsageError("销号需要 --date 和 --note(撤销销号用 --undo)")
    on = _date(args.date) if args.date else None

    def work(engine: Any) -> int:
        done = close_out(engine, args.task, unit=args.unit, on=on, note=args.note or "",
                         plan_id=args.plan, undo=args.undo)
        for c in done:
            print(f"{c.code} {c.unit}:" + ("已撤销销号" if args.undo else
                                           f"已销号 {c.closed_on.isoformat()}"))
        return 0

    return _run(args, work)


def register(sub: Any, _plan_sub: Any) -> None:
    p = sub.add_parser("ledger", help="台账:任务 × 单位的填报情况")
    add_period_target(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ledger)

    p = sub.add_parser("edit", help="区里更正某单位某任务的填报内容(留痕)")
    add_period_target(p)
    p.add_argument("--unit", required=True)
    p.add_argument("--task", required=True, help="任务编号")
    p.add_argument("--set", required=True, action="append", metavar="FIELD=VALUE",
                   help="status/percent/progress/problems/next_steps/responsible/phone/"
                        "completed_on,可重复")
    p.add_argument("--reason", required=True, help="更正说明")
    p.set_defaults(func=cmd_edit)

    p = sub.add_parser("approve", help="审核通过(锁定)某单位某期的报送")
    add_period_target(p)
    p.add_argument("--unit", required=True)
    p.add_argument("--undo", action="store_true", help="取消审核")
    p.set_defaults(func=cmd_approve)

    p = sub.add_parser("close-out", help="销号:已完成的任务不再要求报送")
    p.add_argument("--db", required=True)
    p.add_argument("--plan", type=int)
    p.add_argument("--task", required=True, help="任务编号")
    p.add_argument("--unit", help="只为这个单位销号(默认:该任务的所有单位)")
    p.add_argument("--date", help="销号日期 YYYY-MM-DD")
    p.add_argument("--note", help="销号说明,如验收材料")
    p.add_argument("--undo", action="store_true", help="撤销销号")
    p.set_defaults(func=cmd_close_out)
