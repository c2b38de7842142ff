"""Command line: the GUI by default, batch subcommands for headless work (see BRIEF.md)."""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from app.errors import UserFacingError

log = logging.getLogger("taizhang")

USAGE_ERROR = 2


class UsageError(Exception):
    pass


# argparse's messages, in Chinese for the people who run these commands.
_ARGPARSE_ZH = [
    (re.compile(r"^unrecognized arguments: (.*)$"), "无法识别的参数:{0}"),
    (re.compile(r"^the following arguments are required: (.*)$"), "缺少必需的参数:{0}"),
    (re.compile(r"^argument (\S+): expected one argument$"), "参数 {0} 后面需要一个值"),
    (re.compile(r"^argument (\S+): invalid choice: (.*?) \(choose from (.*)\)$"),
     "参数 {0} 的值 {1} 无效(可选:{2})"),
    (re.compile(r"^argument (\S+): invalid (\w+) value: (.*)$"), "参数 {0} 的值 {2} 无效"),
    (re.compile(r"^argument (\S+): expected at least one argument$"), "参数 {0} 后面至少需要一个值"),
]


def _zh(message: str) -> str:
    for pattern, text in _ARGPARSE_ZH:
        m = pattern.match(message)
        if m:
            return text.format(*m.groups())
    return message


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line (in Chinese) and exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(_zh(message))


def _existing_db(path: str) -> Path:
    p = Path(path)
    if not p.is_file():
        raise UsageError(f"数据库文件不存在:{path}")
    return p


def _existing_files(paths: Sequence[str]) -> list[Path]:
    out = []
    for path in paths:
        p = Path(path)
        if not p.is_file():
            raise UsageError(f"文件不存在:{path}")
        out.append(p)
    return out


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n")


# ---------------------------------------------------------------- commands

def cmd_init(args: argparse.Namespace) -> int:
    from app.services.db import open_database
    from app.services.examples import example_spec, load_example

    path = Path(args.db)
    if path.exists() and path.stat().st_size > 0:
        raise UsageError(f"文件已存在,不会覆盖:{path}")
    if args.example:
        example_spec(args.example)  # unknown name: fail before creating the file
    engine = open_database(path)
    if args.example:
        plan_id = load_example(engine, args.example)
        print(f"已创建 {path},示例方案 {args.example}(方案编号 {plan_id})")
    else:
        print(f"已创建 {path}")
    return 0


def cmd_plan_show(args: argparse.Namespace) -> int:
    from app.services.db import open_database
    from app.services.plans import plans_json

    engine = open_database(_existing_db(args.db), create=False)
    data = plans_json(engine, args.plan)
    if args.json:
        _print_json(data)
    else:
        for p in data["plans"]:
            print(f"[{p['id']}] {p['title']}  任务 {len(p['tasks'])} · 指标 "
                  f"{len(p['indicators'])} · 单位 {len(p['units'])}")
    return 0


def cmd_progress(args: argparse.Namespace) -> int:
    from app.services.db import open_database
    from app.services.progress_query import period_progress, progress_json

    engine = open_database(_existing_db(args.db), create=False)
    data = period_progress(engine, args.period, args.plan)
    if args.json:
        _print_json(progress_json(data))
    else:
        done = sum(u.returned for u in data.units)
        print(f"{data.period}:已报 {done}/{len(data.units)},截止 {data.due}")
        for u in data.units:
            state = ("迟报" if u.late else "已报") if u.returned else "未报"
            print(f"  {u.name}\t{state}\t任务 {len(u.tasks)}\t指标 {len(u.indicators)}")
    return 0


Command = Callable[[argparse.Namespace], int]


def build_parser() -> _Parser:
    parser = _Parser(prog="taizhang", description="台账:任务进展离线填报与汇总")
    parser.add_argument("--db", help="数据库文件")
    parser.add_argument("--lang", choices=("zh", "en"),
                        help="界面语言(只用于图形界面;默认用上次在“帮助 › 语言”中的选择)")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    p = sub.add_parser("init", help="新建数据库")
    p.add_argument("--db", required=True)
    p.add_argument("--example", help="载入内置示例方案(tianning、zhonglou)")
    p.set_defaults(func=cmd_init)

    plan = sub.add_parser("plan", help="方案")
    plan_sub = plan.add_subparsers(dest="plan_command", parser_class=_Parser, required=True)
    p = plan_sub.add_parser("show", help="显示方案")
    p.add_argument("--db", required=True)
    p.add_argument("--plan", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_plan_show)

    p = sub.add_parser("progress", help="某周期数据库中的进展")
    p.add_argument("--db", required=True)
    p.add_argument("--period", required=True, help="YYYY-MM")
    p.add_argument("--plan", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_progress)

    # imported here: the feature modules take their helpers from this module
    from app import cli_merge, cli_packets, cli_plans, cli_reports

    for feature in (cli_packets, cli_merge, cli_plans, cli_reports):
        feature.register(sub, plan_sub)
    return parser




def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            from app.views.app import run_gui

            return run_gui(args.db, args.lang)
        result: int = args.func(args)
        return result
    except UsageError as exc:
        print(f"taizhang: 错误:{exc}", file=sys.stderr)
        return USAGE_ERROR
    except UserFacingError as exc:
        print(f"taizhang: {exc}", file=sys.stderr)
        return 1
