"""What every command module shares: usage errors in Chinese, argument checks, JSON output."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from app.services.server import Target

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


class Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line (in Chinese) and exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(_zh(message))


def db_target(text: str) -> Target:
    """`--db`: a file path or a PostgreSQL URL; any other URL-like text is a usage error."""
    from app.services.server import BadDatabaseName, database_target

    try:
        return database_target(text)
    except BadDatabaseName as exc:
        raise UsageError(str(exc)) from None


def existing_db(text: str) -> Target:
    """`--db` of a command that needs an existing database (a server's is checked on open)."""
    target = db_target(text)
    if isinstance(target, Path) and not target.is_file():
        raise UsageError(f"数据库文件不存在:{text}")
    return target


def existing_files(paths: Sequence[str]) -> list[Path]:
    out = []
    for path in paths:
        p = Path(path)
        if not p.is_file():
            raise UsageError(f"文件不存在:{path}")
        out.append(p)
    return out


def add_period_target(p: Any) -> None:
    """`--db`, `--period` and `--plan`: what every command about one period of a plan takes."""
    p.add_argument("--db", required=True)
    p.add_argument("--period", required=True, help="YYYY-MM")
    p.add_argument("--plan", type=int)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n")


_PERIOD = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]))?$")


def period_arg(text: str) -> str:
    """A period key as the plans use it: YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY."""
    if not _PERIOD.match(text):
        raise UsageError(f"周期格式不对:{text}(应为 YYYY-MM,如 2021-06)")
    return text
