"""The command line: the parser and the headless subcommands (the window is opened by app/launcher.py)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from app.cli.common import USAGE_ERROR, Parser, UsageError, db_target
from app.core.errors import UserFacingError

log = logging.getLogger("taizhang")

# ---------------------------------------------------------------- commands

def cmd_init(args: argparse.Namespace) -> int:
    from app.services.db import database_location, open_database
    from app.services.plans.examples import example_spec, load_example

    target = db_target(args.db)
    if isinstance(target, Path) and target.exists() and target.stat().st_size > 0:
        raise UsageError(f"文件已存在,不会覆盖:{target}")
    if args.example:
        example_spec(args.example)  # unknown name: fail before creating the file
    engine = open_database(target, new=True)
    where = database_location(engine)
    try:
        if args.example:
            plan_id = load_example(engine, args.example)
            print(f"已创建 {where},示例方案 {args.example}(方案编号 {plan_id})")
        else:
            print(f"已创建 {where}")
    finally:
        engine.dispose()
    return 0


Command = Callable[[argparse.Namespace], int]


def _options(parser: Parser) -> Parser:
    """The options of the program itself (before any subcommand)."""
    parser.add_argument("--db", help="数据库文件或服务器地址(postgresql://主机:端口/库名?user=用户)")
    parser.add_argument("--lang", choices=("zh", "en"),
                        help="界面语言(只用于图形界面;默认用上次在“帮助 › 语言”中的选择)")
    parser.add_argument("--version", action="store_true", help="显示版本号后退出")
    parser.add_argument("--self-test", action="store_true",
                        help="在临时文件夹中走一遍下发、填报、导入、通报的全过程,检查安装是否完好")
    return parser


def build_parser() -> Parser:
    from app.cli import backup, district, ledger, office, plans, reports

    parser = _options(Parser(prog="taizhang", description="台账:任务进展离线填报与汇总"))
    sub = parser.add_subparsers(dest="command", parser_class=Parser)

    p = sub.add_parser("init", help="新建数据库")
    p.add_argument("--db", required=True)
    p.add_argument("--example", help="载入内置示例方案(tianning、zhonglou)")
    p.set_defaults(func=cmd_init)

    plan = sub.add_parser("plan", help="方案")
    plan_sub = plan.add_subparsers(dest="plan_command", parser_class=Parser, required=True)

    for feature in (district, ledger, office, plans, reports, backup):
        feature.register(sub, plan_sub)
    for command in [*sub.choices.values(), *plan_sub.choices.values()]:
        if any("--db" in a.option_strings for a in command._actions):
            command.add_argument("--yes", action="store_true",
                                 help="服务器数据库需要升级而本机没有 pg_dump 时,确认不备份直接升级")
    return parser


def parse(argv: Sequence[str]) -> argparse.Namespace:
    """Parse the command line; raises UsageError (in Chinese) on a bad one.

    Start-up: the window's own options (no subcommand, no -h) are parsed without importing
    the subcommands' modules and building their parsers; anything else by the full parser.
    """
    try:
        args = _options(Parser(prog="taizhang", add_help=False)).parse_args(list(argv))
    except UsageError:
        return build_parser().parse_args(list(argv))
    args.command = None
    return args


def run(args: argparse.Namespace) -> int:
    """Run one parsed subcommand; a user's mistake is one Chinese line, never a traceback."""
    if getattr(args, "yes", False):
        from app.services import db

        db.CONFIRM_UPGRADES = True
    try:
        result: int = args.func(args)
        return result
    except UsageError as exc:
        return usage_error(exc)
    except UserFacingError as exc:
        print(f"taizhang: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:
        # disk full, read-only, locked or damaged database, a file gone: one line, exit 1
        from app.services.db import as_user_error

        fault = as_user_error(exc, getattr(args, "db", None))
        if fault is None:
            raise
        log.debug("environment fault", exc_info=exc)
        print(f"taizhang: {fault}", file=sys.stderr)
        return 1


def version_text() -> str:
    from app import __version__

    return f"taizhang {__version__}"


def usage_error(exc: UsageError) -> int:
    print(f"taizhang: 错误:{exc}", file=sys.stderr)
    return USAGE_ERROR


def main(argv: Sequence[str] | None = None) -> int:
    """The headless entry point: every subcommand, no window."""
    argv = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        args = parse(argv)
    except UsageError as exc:
        return usage_error(exc)
    if args.version:
        print(version_text())
        return 0
    if args.self_test:
        from app.cli.selftest import run_self_test

        return run_self_test()
    if args.command is None:
        return usage_error(UsageError("缺少子命令(图形界面请运行 main.py 或 taizhang)"))
    return run(args)
