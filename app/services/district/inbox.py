"""Mail in: the packets inside a saved mail (.eml) or an archive (.zip), for merging.

Returns come back as the attachment the mail program saved, as the whole mail saved as
.eml, or several packets zipped together. ``sources`` turns each such file into the packet
files inside it (``Member``: the bytes and a name to show, plus the mail's From, Date and
Subject for the ledger); plain workbooks pass through as their path. What a container may
hold is bounded like a workbook (``packets.container.check_archive``: size, entry count,
unpacked size, ratio, no path outside, no archive inside an archive); a mail or archive
with no packet in it, or one that breaks a bound, comes back as one ``Refused`` naming the
file, so the batch goes on and the user reads why.

The watched inbox (``scan_inbox``): folders named in the settings where the mail or chat
program saves attachments; a scan opens only new or changed names (a seen-index of name,
size and modification time) and reports the files holding packets this database issued
and has not merged yet. Nothing is merged here: the 汇总 page offers them.

Taken from a mail: every attachment whose name is a spreadsheet (the merge refuses a .xls
or .xlsm with its own message) and every .zip attachment's spreadsheets; forwarded mails
(message/rfc822 parts) are looked into. Inline pictures, signatures and the text are not.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import json
import os
import posixpath
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.core.errors import UserFacingError
from app.core.jobs import Reporter
from app.models import Packet
from app.services.db import get_setting, set_setting
from app.services.packets.container import check_archive
from app.services.packets.reader import read_packet

MAIL_SUFFIXES = frozenset({".eml"})
ARCHIVE_SUFFIXES = frozenset({".zip"})
CONTAINER_SUFFIXES = MAIL_SUFFIXES | ARCHIVE_SUFFIXES
# spreadsheets of any kind: what is taken from a mail, an archive or a folder (the check
# refuses the wrong ones — .xls, .xlsm, .csv … — with a message of its own)
SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".et", ".ett", ".xlsb", ".xltx",
                                  ".xltm", ".ods", ".csv"})
MAX_MAIL_BYTES = 60 * 1024 * 1024  # a mail with a few packets base64-encoded (4/3)
MAX_ARCHIVE_BYTES = 60 * 1024 * 1024


@dataclass(frozen=True)
class MailOrigin:
    """The mail a packet came in, as its headers say (decoded, not verified)."""

    sender: str
    date: str
    subject: str


@dataclass(frozen=True)
class Member:
    """One packet file inside a mail or an archive."""

    path: Path  # container path / the member's name: what lists and messages show
    name: str  # the member's own file name
    data: bytes
    origin: MailOrigin | None = None


@dataclass(frozen=True)
class Refused:
    """A mail or archive that gave no packet: why, in one Chinese sentence."""

    path: Path
    message: str


Source = Path | Member | Refused


def is_container(path: Path) -> bool:
    return path.suffix.lower() in CONTAINER_SUFFIXES


def _read(path: Path, limit: int, what: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > limit:
            raise UserFacingError(f"{what}“{path.name}”过大({size // 1024 // 1024} MB),"
                                  f"不应超过 {limit // 1024 // 1024} MB。")
        return path.read_bytes()
    except PermissionError as exc:
        raise UserFacingError(f"无法读取“{path.name}”:没有权限,或文件正被其他程序锁定。") from exc
    except FileNotFoundError as exc:
        raise UserFacingError(f"文件不存在:{path}") from exc


def _is_spreadsheet(name: str) -> bool:
    return Path(name).suffix.lower() in SPREADSHEET_SUFFIXES


def zip_members(data: bytes, name: str) -> list[tuple[str, bytes]]:
    """The spreadsheets in a .zip (name inside, bytes) after the archive bounds."""
    zf = check_archive(data, name)
    out = []
    for info in zf.infolist():
        if info.is_dir() or not _is_spreadsheet(info.filename):
            continue
        base = posixpath.basename(info.filename.replace("\\", "/"))
        if base.startswith(("~$", ".~", "._")) or info.filename.startswith("__MACOSX/"):
            continue  # Office lock files, macOS resource forks
        out.append((info.filename, zf.read(info)))
    return out


def _text(value: object) -> str:
    return " ".join(str(value or "").split())[:500]


def parse_mail(data: bytes) -> tuple[MailOrigin, EmailMessage]:
    msg = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(msg, EmailMessage) or (not msg.keys() and not msg.get_payload()):
        raise UserFacingError("不是有效的邮件文件。")
    return MailOrigin(_text(msg.get("From")), _text(msg.get("Date")),
                      _text(msg.get("Subject"))), msg


def mail_attachments(msg: EmailMessage) -> Iterator[tuple[str, bytes]]:
    """(file name, bytes) of every part that is an attachment with a file name."""
    for part in msg.walk():
        if part.is_multipart():
            continue
        filename = part.get_filename()
        if not filename:
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            yield filename, payload


def mail_members(path: Path, data: bytes) -> list[Member]:
    """The packets a mail carries (attachments, and spreadsheets inside .zip attachments)."""
    try:
        origin, msg = parse_mail(data)
    except UserFacingError as exc:
        raise UserFacingError(f"“{path.name}”{exc.message}") from None
    out: list[Member] = []
    seen_names: set[str] = set()
    for filename, payload in mail_attachments(msg):
        filename = posixpath.basename(filename.replace("\\", "/")) or "附件"
        suffix = Path(filename).suffix.lower()
        if suffix in ARCHIVE_SUFFIXES:
            for inner, content in zip_members(payload, f"{path.name} 的附件 {filename}"):
                out.append(Member(path / filename / inner, posixpath.basename(inner), content,
                                  origin))
        elif suffix in MAIL_SUFFIXES:
            raise UserFacingError(f"“{path.name}”的附件“{filename}”又是一封邮件,"
                                  "请把其中的填报包另存后再导入。")
        elif _is_spreadsheet(filename):
            shown = filename
            n = 2
            while shown in seen_names:  # two attachments of the same name stay apart
                shown = f"{Path(filename).stem}({n}){Path(filename).suffix}"
                n += 1
            seen_names.add(shown)
            out.append(Member(path / shown, filename, payload, origin))
    if not out:
        subject = f"(主题“{origin.subject}”)" if origin.subject else ""
        raise UserFacingError(f"邮件“{path.name}”{subject}中没有填报包附件(.xlsx)。"
                              "请确认对方回复时附上了填报包,或另存附件后直接导入。")
    return out


def expand(path: Path) -> list[Member]:
    """The packet files inside one .eml or .zip; UserFacingError when there are none or
    the file breaks a bound."""
    suffix = path.suffix.lower()
    if suffix in MAIL_SUFFIXES:
        return mail_members(path, _read(path, MAX_MAIL_BYTES, "邮件"))
    data = _read(path, MAX_ARCHIVE_BYTES, "压缩包")
    members = [Member(path / inner, posixpath.basename(inner), content)
               for inner, content in zip_members(data, path.name)]
    if not members:
        raise UserFacingError(f"压缩包“{path.name}”中没有填报包(.xlsx)。")
    return members


def sources(paths: Iterable[str | Path | Member]) -> Iterator[Source]:
    """Each path as itself, each mail or archive as the packets inside it (or one Refused)."""
    for item in paths:
        if isinstance(item, Member):
            yield item
            continue
        path = Path(item)
        if not is_container(path):
            yield path
            continue
        try:
            yield from expand(path)
        except UserFacingError as exc:
            yield Refused(path, exc.message)


# ---------------------------------------------------------------- the watched inbox

INBOX_SETTING = "inbox_folders"  # JSON list of folders, in the database's settings


def inbox_folders(db: Engine) -> list[str]:
    """The watched folders (where the mail or chat program saves attachments)."""
    with Session(db) as s:
        raw = get_setting(s, INBOX_SETTING, "[]")
    try:
        value = json.loads(raw)
    except ValueError:
        return []
    return [str(f) for f in value if isinstance(f, str)] if isinstance(value, list) else []


def set_inbox_folders(db: Engine, folders: Iterable[str | Path]) -> list[str]:
    """Store the watched folders (each must exist; repeats dropped, order kept)."""
    out: list[str] = []
    for f in folders:
        path = Path(f).expanduser()
        if not path.is_dir():
            raise UserFacingError(f"文件夹不存在:{f}")
        text = str(path)
        if text not in out:
            out.append(text)
    with Session(db) as s, s.begin():
        set_setting(s, INBOX_SETTING, json.dumps(out, ensure_ascii=False))
    return out


@dataclass(frozen=True)
class Seen:
    """What the seen-index keeps of a file: its size and modification time, and the
    packets read from it (packet uid, file hash, unit named in it; empty: not a packet)."""

    size: int
    mtime_ns: int
    packets: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class Arrival:
    """A file in a watched folder holding packets of ours not merged yet."""

    path: Path
    packets: int
    units: tuple[str, ...]


@dataclass(frozen=True)
class InboxScan:
    arrivals: tuple[Arrival, ...]
    index: dict[str, Seen]  # give it back to the next scan
    opened: int  # files read this time (new or changed names only)

    @property
    def count(self) -> int:
        """新报送包: the packets waiting (what the badge counts)."""
        return sum(a.packets for a in self.arrivals)


WATCHED_SUFFIXES = frozenset({".xlsx"}) | CONTAINER_SUFFIXES


def _candidates(folders: Iterable[str | Path]) -> Iterator[tuple[Path, os.stat_result]]:
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:  # a network drive gone, a folder removed: nothing there now
            continue
        for entry in entries:
            name = entry.name
            if name.startswith(("~$", ".~", ".")) or \
                    Path(name).suffix.lower() not in WATCHED_SUFFIXES:
                continue
            try:
                if entry.is_file():
                    yield Path(entry.path), entry.stat()
            except OSError:
                continue


def _packets_in(path: Path) -> tuple[tuple[str, str, str], ...]:
    """(packet uid, file hash, unit) of every packet the file holds; () when none can be
    read (not ours, broken, a mail without packets): such files are ignored silently."""
    out = []
    for source in sources([path]):
        if isinstance(source, Refused):
            continue
        try:
            packet = read_packet(source.data if isinstance(source, Member) else source,
                                 name=source.name)
        except UserFacingError:
            continue
        m = packet.manifest
        out.append((m.packet_id, packet.file_hash, m.unit))
    return tuple(out)


def scan_inbox(db: Engine, folders: Iterable[str | Path], index: dict[str, Seen] | None = None,
               reporter: Reporter | None = None) -> InboxScan:
    """Which files in the folders hold returns of this database not merged yet.

    Only names that are new, or whose size or modification time changed, are opened
    (``index`` is the previous scan's); a packet counts when the database issued it and has
    no return with the same file hash in its ledger (merged, or refused, already).
    """
    reporter = reporter or Reporter()
    index = index or {}
    fresh: dict[str, Seen] = {}
    opened = 0
    found = list(_candidates(folders))
    for i, (path, st) in enumerate(found):
        key = str(path)
        seen = index.get(key)
        if seen is None or (seen.size, seen.mtime_ns) != (st.st_size, st.st_mtime_ns):
            reporter.step(i, len(found), f"正在查看 {path.name}")
            seen = Seen(st.st_size, st.st_mtime_ns, _packets_in(path))
            opened += 1
        fresh[key] = seen
    uids = {uid for s in fresh.values() for uid, _h, _u in s.packets}
    ours: set[str] = set()
    done: set[tuple[str, str]] = set()
    with Session(db) as s:
        for chunk in _chunks(sorted(uids), 500):
            ours.update(s.scalars(select(Packet.packet_uid).where(
                Packet.packet_uid.in_(chunk), Packet.direction == "issued")))
            done.update((u, h) for u, h in s.execute(
                select(Packet.packet_uid, Packet.file_hash).where(
                    Packet.packet_uid.in_(chunk), Packet.direction == "returned")))
    arrivals = []
    for key, seen in fresh.items():
        waiting = [(u, h, unit) for u, h, unit in seen.packets if u in ours and (u, h) not in done]
        if waiting:
            arrivals.append(Arrival(Path(key), len(waiting),
                                    tuple(dict.fromkeys(unit for _u, _h, unit in waiting))))
    arrivals.sort(key=lambda a: str(a.path))
    return InboxScan(tuple(arrivals), fresh, opened)


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
