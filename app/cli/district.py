"""`merge`: merge returned packets from the command line (see BRIEF.md for JSON and exit codes).

    merge --db FILE [--dry-run] [--json] [--period YYYY-MM] [--plan ID] PACKET|MAIL.eml|ARCHIVE.zip|FOLDER ...

Exit status 0 when every packet was applied or unchanged, 1 when any was rejected or
superseded, 2 on a usage error. A dry run reports the status each packet would get.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.cli.common import UsageError, add_period_target, existing_db, period_arg, print_json


def cmd_issue(args: argparse.Namespace) -> int:
    from app.services.db import open_database
    from app.services.district.issue import issue_packets, issue_summary
    from app.services.district.mail import drafts_summary, write_packet_drafts

    period = period_arg(args.period)
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out 应是文件夹:{out}")
    engine = open_database(existing_db(args.db), create=False)
    try:
        result = issue_packets(engine, period, out, plan_id=args.plan, units=args.unit or None)
        drafts = write_packet_drafts(engine, result.packets) if args.eml else []
    finally:
        engine.dispose()
    for p in result.packets:
        print(f"{p.path}\t任务 {p.tasks}\t指标 {p.indicators}")
    print(issue_summary(result))
    if args.eml:
        for d in drafts:
            print(f"{d.path}\t收件人 {'; '.join(d.to) or '(空)'}")
        print(drafts_summary(drafts))
    return 0


def cmd_progress(args: argparse.Namespace) -> int:
    from app.services.db import open_database
    from app.services.district.progress import period_progress, progress_json

    engine = open_database(existing_db(args.db), create=False)
    data = period_progress(engine, args.period, args.plan)
    if args.json:
        print_json(progress_json(data))
    else:
        done = sum(u.returned for u in data.units)
        print(f"{data.period}:已报 {done}/{len(data.units)},截止 {data.due}")
        for u in data.units:
            state = ("迟报" if u.late else "已报") if u.returned else "未报"
            print(f"  {u.name}\t{state}\t任务 {len(u.tasks)}\t指标 {len(u.indicators)}")
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from app.services.db import open_database
    from app.services.district.check import check_packets, collect_files
    from app.services.district.merge import (
        PacketResult,
        apply_packets,
        merge_json,
        preview_result,
    )

    db_path = existing_db(args.db)
    if args.period is not None:
        period_arg(args.period)
    for item in args.packets:
        if not Path(item).exists():
            raise UsageError(f"文件不存在:{item}")
    files = collect_files(args.packets)
    if not files:
        raise UsageError("没有找到要导入的文件。")
    engine = open_database(db_path, create=False)
    try:
        results: Sequence[PacketResult]
        if args.dry_run:
            results = [preview_result(p) for p in
                       check_packets(engine, files, period=args.period, plan_id=args.plan)]
        else:
            results = apply_packets(engine, files, period=args.period, plan_id=args.plan)
    finally:
        engine.dispose()
    if args.json:
        print_json(merge_json(results))
    else:
        _print_text(merge_json(results), args.dry_run)
    return 0 if all(r.status in ("applied", "unchanged") for r in results) else 1


def _print_text(data: dict[str, Any], dry_run: bool) -> None:
    from app.core.vocab import MERGE_STATUS_LABELS

    out = sys.stdout
    for p in data["packets"]:
        status = MERGE_STATUS_LABELS.get(p["status"], p["status"])
        if dry_run and p["status"] == "applied":
            status = MERGE_STATUS_LABELS["new"]
        who = " ".join(x for x in (p["unit"], p["period"]) if x)
        conflicts = f",冲突 {p['conflicts']} 处待人工决定" if p.get("conflicts") else ""
        out.write(f"{status}\t{Path(p['file']).name}\t{who}\t写入 {p['rows_applied']} 行"
                  f"{conflicts}\n")
        for kind, problems in (("错误", p["errors"]), ("提示", p.get("warnings", []))):
            for q in problems:
                where = f"[{q['sheet']}]{q['cell']}" if q["sheet"] else q["cell"]
                out.write(f"    {kind} {where} {q['message']}".rstrip() + "\n")
    counts: dict[str, int] = {}
    for p in data["packets"]:
        status = "new" if dry_run and p["status"] == "applied" else p["status"]
        counts[status] = counts.get(status, 0) + 1
    summary = "、".join(f"{MERGE_STATUS_LABELS.get(k, k)} {v}" for k, v in counts.items())
    out.write(("预演(未写入):" if dry_run else "合计:") + summary + "\n")


def register(sub: Any, _plan_sub: Any) -> None:
    p = sub.add_parser("issue", help="下发填报包(每个单位一个文件)")
    p.add_argument("--db", required=True)
    p.add_argument("--period", required=True, help="YYYY-MM")
    p.add_argument("--out", required=True, help="输出文件夹")
    p.add_argument("--plan", type=int)
    p.add_argument("--unit", nargs="+", action="extend", help="只给这些单位下发")
    p.add_argument("--eml", action="store_true",
                   help="每个下发包旁再写一封待发送的邮件草稿(.eml,收件人为单位登记的邮箱)")
    p.set_defaults(func=cmd_issue)

    p = sub.add_parser("progress", help="某周期数据库中的进展")
    add_period_target(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_progress)

    p = sub.add_parser("merge", help="导入单位报送的填报包")
    p.add_argument("--db", required=True)
    p.add_argument("--dry-run", action="store_true", help="只检查,不写入")
    p.add_argument("--json", action="store_true")
    p.add_argument("--period", help="只接受这个周期(YYYY-MM)的报送包")
    p.add_argument("--plan", type=int, help="只接受这个方案的报送包")
    p.add_argument("packets", nargs="+", metavar="PACKET",
                   help="报送包文件、存下的邮件(.eml)、压缩包(.zip)或文件夹")
    p.set_defaults(func=cmd_merge)

