"""Command line for the office side: ``office open`` and ``office export``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli.common import Parser, UsageError, db_target, existing_db, period_arg

PREFLIGHT_SHOWN = 20  # lines of the pre-flight list printed by `office export`


def cmd_office_open(args: argparse.Namespace) -> int:
    from app.services.db import open_database
    from app.services.office.opening import open_packet

    packet = Path(args.packet)
    if not packet.is_file():
        raise UsageError(f"文件不存在:{packet}")
    engine = open_database(db_target(args.db))
    try:
        result = open_packet(engine, packet)
    finally:
        engine.dispose()
    print(result.summary())
    for line in result.problems:
        print(f"  {line}", file=sys.stderr)
    return 0


def cmd_office_export(args: argparse.Namespace) -> int:
    from app.services.db import open_database
    from app.services.office.export import export_packet, preflight_text

    period = period_arg(args.period)
    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"--out 应是 .xlsx 文件:{out}")
    if out.is_dir():
        raise UsageError(f"--out 是文件夹,应是 .xlsx 文件:{out}")
    engine = open_database(existing_db(args.db), create=False)
    try:
        result = export_packet(engine, period, out, plan_id=args.plan)
    finally:
        engine.dispose()
    print(f"已导出报送包(第 {result.revision} 版):{result.path}")
    if result.preflight:
        print(f"提醒:还有 {len(result.preflight)} 处未填或需核对:", file=sys.stderr)
        shown = result.preflight[:PREFLIGHT_SHOWN]
        print(preflight_text(shown), file=sys.stderr)
        if len(result.preflight) > len(shown):
            print(f"……另有 {len(result.preflight) - len(shown)} 处(在台账的填报窗口中可逐项查看)",
                  file=sys.stderr)
    return 0


def register(sub: Any, _plan_sub: Any) -> None:
    office = sub.add_parser("office", help="单位填报:打开下发包、导出报送包")
    office_sub = office.add_subparsers(dest="office_command", parser_class=Parser,
                                       required=True)
    p = office_sub.add_parser("open", help="打开下发包(载入本单位填报库)")
    p.add_argument("--db", required=True, help="本单位填报库文件(不存在则新建)")
    p.add_argument("packet", help="下发包 .xlsx")
    p.set_defaults(func=cmd_office_open)
    p = office_sub.add_parser("export", help="导出报送包")
    p.add_argument("--db", required=True)
    p.add_argument("--period", required=True, help="YYYY-MM")
    p.add_argument("--out", required=True, help="报送包 .xlsx")
    p.add_argument("--plan", type=int)
    p.set_defaults(func=cmd_office_export)

