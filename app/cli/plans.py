"""`plan import`, `plan export` and `plan new` on the command line.

    plan import --db FILE [--dry-run] [--json] [--unit-map NAME=CANONICAL ...] PLAN.xlsx
    plan export --db FILE [--plan ID] --out FILE.xlsx
    plan new --db FILE --title TITLE [--frequency month] [--deadline-day 5]
             [--first YYYY-MM --last YYYY-MM]

Exit status: 0 done (or, with --dry-run, the workbook can be imported), 1 the workbook or
the database refused it (message in Chinese, nothing written), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli.common import UsageError, existing_db, print_json


def cmd_plan_show(args: argparse.Namespace) -> int:
    from app.services.db import open_database
    from app.services.plans.query import plans_json

    engine = open_database(existing_db(args.db), create=False)
    data = plans_json(engine, args.plan)
    if args.json:
        print_json(data)
    else:
        for p in data["plans"]:
            print(f"[{p['id']}] {p['title']}  任务 {len(p['tasks'])} · 指标 "
                  f"{len(p['indicators'])} · 单位 {len(p['units'])}")
    return 0


def _unit_map(items: list[str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items or []:
        name, sep, target = item.partition("=")
        if not sep or not name.strip() or not target.strip():
            raise UsageError(f"--unit-map 应写作 名称=单位(新建单位写 名称=名称),收到:{item}")
        out[name.strip()] = target.strip()
    return out


def cmd_plan_import(args: argparse.Namespace) -> int:
    from app.services.db import open_database
    from app.services.plans.importing.matching import preview_import, preview_text
    from app.services.plans.importing.writing import apply_import

    items = list(args.unit_map or [])
    if args.workbook is None:
        # "--unit-map A=B C=D PLAN.xlsx": the workbook was taken as one more mapping
        loose = [i for i in items if "=" not in i]
        if not loose:
            raise UsageError("缺少方案工作簿文件(PLAN.xlsx)。")
        args.workbook = loose[-1]
        items.remove(loose[-1])
    workbook = Path(args.workbook)
    if not workbook.is_file():
        raise UsageError(f"文件不存在:{workbook}")
    mapping = _unit_map(items)
    engine = open_database(existing_db(args.db), create=False)
    try:
        preview = preview_import(engine, workbook, mapping)
        blocked = bool(preview.parsed.errors)
        result = None
        if not args.dry_run and not blocked:
            result = apply_import(engine, preview)
    finally:
        engine.dispose()
    if args.json:
        data: dict[str, Any] = preview.as_json()
        data["dry_run"] = bool(args.dry_run)
        data["plan_id"] = result.plan_id if result else None
        print_json(data)
    else:
        print(preview_text(preview))
        if result is not None:
            print(f"已导入方案“{result.title}”(方案编号 {result.plan_id}):领域 {result.sections},"
                  f"任务 {result.tasks},指标 {result.indicators},单位 {result.units}"
                  f"(新建 {len(result.new_units)},记住别名 {len(result.aliases)})")
        elif args.dry_run and not blocked:
            print("预览完成,未写入数据库(去掉 --dry-run 即导入)。")
    if blocked:
        print(f"taizhang: 工作簿有 {len(preview.parsed.errors)} 处错误,未导入。", file=sys.stderr)
        return 1
    return 0


def cmd_plan_export(args: argparse.Namespace) -> int:
    from app.services.db import open_database
    from app.services.plans.export import export_plan
    from app.services.plans.query import list_plans

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"--out 应是 .xlsx 文件:{out}")
    if out.is_dir():
        raise UsageError(f"--out 是文件夹,应是 .xlsx 文件:{out}")
    engine = open_database(existing_db(args.db), create=False)
    try:
        plan_id = args.plan
        if plan_id is None:
            plans = list_plans(engine)
            if len(plans) != 1:
                raise UsageError("数据库中有多个方案,请用 --plan 指定方案编号。" if plans
                                 else "数据库中没有方案。")
            plan_id = plans[0].id
        result = export_plan(engine, plan_id, out)
    finally:
        engine.dispose()
    print(f"已导出方案到 {result.path}:任务 {result.tasks},指标 {result.indicators},"
          f"单位 {result.units}")
    return 0


def cmd_plan_new(args: argparse.Namespace) -> int:
    from app.services.db import open_database
    from app.services.plans.edit import PlanSettings, create_plan

    engine = open_database(existing_db(args.db), create=False)
    try:
        change = create_plan(engine, PlanSettings(
            args.title, args.issuer or "", args.office or "", args.frequency,
            args.deadline_day, args.first, args.last))
    finally:
        engine.dispose()
    print(f"已新建方案“{args.title.strip()}”(方案编号 {change.id})")
    return 0


def register(_sub: Any, plan_sub: Any) -> None:
    p = plan_sub.add_parser("show", help="显示方案")
    p.add_argument("--db", required=True)
    p.add_argument("--plan", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_plan_show)
    p = plan_sub.add_parser("import", help="导入方案工作簿(任务分解表、指标表、单位)")
    p.add_argument("--db", required=True)
    p.add_argument("--dry-run", action="store_true", help="只预览,不写入")
    p.add_argument("--json", action="store_true")
    p.add_argument("--unit-map", nargs="+", action="extend", metavar="名称=单位",
                   help="指定单位对应:名称=已有单位(记为别名),名称=名称(新建单位)")
    p.add_argument("workbook", nargs="?", help="方案工作簿 .xlsx")
    p.set_defaults(func=cmd_plan_import)

    p = plan_sub.add_parser("export", help="导出方案为工作簿(可在 Excel/WPS 中修改后导回)")
    p.add_argument("--db", required=True)
    p.add_argument("--plan", type=int)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_plan_export)

    p = plan_sub.add_parser("new", help="新建空方案")
    p.add_argument("--db", required=True)
    p.add_argument("--title", required=True)
    p.add_argument("--issuer")
    p.add_argument("--office")
    p.add_argument("--frequency", default="month", choices=("month", "quarter", "half_year",
                                                             "year"))
    p.add_argument("--deadline-day", type=int, default=5)
    p.add_argument("--first", help="起始月份 YYYY-MM")
    p.add_argument("--last", help="结束月份 YYYY-MM")
    p.set_defaults(func=cmd_plan_new)

