"""Command line for backups: ``backup list`` and ``backup restore`` (see services/backups).

Both work on a database that no longer opens (damaged): they never migrate or check it.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.common import Parser, UsageError, print_json


def _db_path(text: str) -> Path:
    if "://" in text:
        raise UsageError("备份只用于 SQLite 数据库文件;服务器数据库请用服务器自己的备份。")
    return Path(text)


def cmd_backup_list(args: argparse.Namespace) -> int:
    from app.services.backups import backup_folder, list_backups

    path = _db_path(args.db)
    backups = list_backups(path)
    if args.json:
        print_json({"database": str(path), "folder": str(backup_folder(path)),
                    "backups": [{"file": str(b.path), "created": b.created.isoformat(),
                                 "reason": b.reason, "size": b.size} for b in backups]})
        return 0
    if not backups:
        print(f"{path} 还没有备份(备份位于 {backup_folder(path)})。")
        return 0
    print(f"{path} 的备份(最新在前,位于 {backup_folder(path)}):")
    for b in backups:
        print(f"{b.created:%Y-%m-%d %H:%M:%S}\t{b.reason_label}\t{b.size // 1024} KB\t{b.path}")
    return 0


def cmd_backup_restore(args: argparse.Namespace) -> int:
    from app.services.backups import newest_backup, restore_backup

    path = _db_path(args.db)
    if args.file:
        source = Path(args.file)
        if not source.is_file():
            raise UsageError(f"备份文件不存在:{source}")
    else:
        found = newest_backup(path)
        if found is None:
            raise UsageError(f"{path} 没有可用的备份。")
        source = found
    kept = restore_backup(path, source)
    print(f"已用备份 {source} 恢复 {path}。")
    if kept is not None:
        print(f"恢复前的文件已保存为 {kept}。")
    return 0


def register(sub: Any, _plan_sub: Any) -> None:
    backup = sub.add_parser("backup", help="数据库备份:列出、恢复")
    backup_sub = backup.add_subparsers(dest="backup_command", parser_class=Parser,
                                       required=True)
    p = backup_sub.add_parser("list", help="列出自动备份(最新在前)")
    p.add_argument("--db", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_backup_list)
    p = backup_sub.add_parser("restore", help="用备份替换数据库(先保留当前文件的副本)")
    p.add_argument("--db", required=True)
    p.add_argument("file", nargs="?", help="备份文件(默认最新的一个)")
    p.set_defaults(func=cmd_backup_restore)
