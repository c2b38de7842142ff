"""The .xlsx container every workbook the program opens passes through first.

Packets (merge, ``office open``) and plan workbooks (``plan import``) are untrusted files.
Before python-calamine or openpyxl see one, it is checked here without ever holding more
than a small buffer of XML:

* ``check_container``: a plain zip with an Excel workbook inside; no macros (``.xlsm``,
  ``vbaProject.bin``), no encryption, no zip bomb, not too many or too large parts; no
  document type declaration (DTD, entity) in any XML part;
* ``scan_sheet``: streams one sheet's XML and refuses a cell beyond the limits (a value at
  ``XFD1048576`` made calamine ask for 512 GB and openpyxl for gigabytes) or too many
  cells, naming the file, the sheet and the cell.

The sheet's own ``<dimension>`` is read but not trusted in either direction: WPS writes one
that is too small, and neither reader allocates from it (measured: a dimension of
``A1:XFD1048576`` over a normal packet costs nothing), so only real cells count.
"""

from __future__ import annotations

import functools
import io
import os
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import NoReturn
from xml.etree.ElementTree import Element
from xml.parsers import expat

from deflate import DeflateError
from deflate import crc32 as _crc32
from deflate import deflate_decompress as _raw_inflate
from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from app.core.errors import UserFacingError

MAX_ENTRIES = 1000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ENTRY_BYTES = 100 * 1024 * 1024
MAX_RATIO = 200  # unpacked / packed for any entry above 1 MB
CHUNK = 64 * 1024
# parts kept whole after the DTD check (`keep`), so later passes need not decompress them
# again: each at most KEEP_PART unpacked, at most KEEP_TOTAL together
KEEP_PART = 4 * 1024 * 1024
KEEP_TOTAL = 16 * 1024 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)")  # one scan of each chunk, not one per marker
_FAST_REF = re.compile(rb'<c r="\$?([A-Z]{1,3})\$?(\d{1,7})"')
# cell tags the fast scan does not count: ``<c>``, ``<c/>``, a tag whose name ends in a tab
# or a line break instead of a space (``<c\tr="XFD1048576">``: XML allows it, and calamine
# reads it), ``<x:c …>``; each pattern starts with a literal, which the regex engine finds
# faster than ``in`` finds "<c>" (one alternation of both is ten times slower)
_BARE_CELL = re.compile(rb"<c[\t\n\r>/]")
_PREFIXED_CELL = re.compile(rb":c[\s>/]")
_FIRST = itemgetter(0)
_SECOND = itemgetter(1)
_DIMENSION = re.compile(rb'<dimension ref="([^"]*)"')


@dataclass(frozen=True)
class Limits:
    """How far cells may reach in one sheet (1-based, inclusive) and how many there may be."""

    max_row: int
    max_col: int
    max_cells: int


@dataclass(frozen=True)
class SheetExtent:
    """What a scan saw: the last row and column holding a cell, the cells, the dimension."""

    max_row: int
    max_col: int
    cells: int
    dimension: str


def label_of(name: str) -> str:
    return f"“{name}”" if name else "文件"


def col_letters(col: int) -> str:
    out = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _refuse(message: str, sheet: str | None = None, cell: str | None = None
            ) -> UserFacingError:
    return UserFacingError(message, sheet=sheet, cell=cell)


def check_container(data: bytes, name: str = "", *, what: str = "填报包",
                    max_bytes: int = 20 * 1024 * 1024,
                    max_unpacked: int = MAX_UNPACKED_BYTES,
                    keep: dict[str, bytes] | None = None) -> zipfile.ZipFile:
    """The zip archive inside an .xlsx after every safety check, or a UserFacingError.

    ``what`` names the kind of workbook in the messages (填报包, 方案工作簿). With ``keep``,
    the XML parts of at most ``KEEP_PART`` (up to ``KEEP_TOTAL`` in all) are put there as
    read for the DTD check (part name → bytes), for the later passes over them.
    """
    label = label_of(name)
    suffix = os.path.splitext(name)[1].lower() if name else ""  # (Path() costs more here)
    if suffix in (".xlsm", ".xltm", ".xlam"):
        raise _refuse(f"{label}是带宏的工作簿,为安全起见不予读取。请另存为 .xlsx 后再使用。")
    if suffix == ".xlsb":
        raise _refuse(f"{label}是二进制工作簿(.xlsb),请另存为 .xlsx 后再使用。")
    if not data:
        raise _refuse(f"{label}是空的(0 字节),不是 Excel 工作簿。")
    if len(data) > max_bytes:
        raise _refuse(f"{label}过大({len(data) // 1024 // 1024} MB),"
                      f"{what}不应超过 {max_bytes // 1024 // 1024} MB。")
    if data[:8] == _OLE_MAGIC:
        raise _refuse(f"{label}是旧版 .xls 或设了打开密码的工作簿,无法读取。"
                      "请用 Excel/WPS 另存为 .xlsx(不设密码)后再使用。")
    if data[:4] != _ZIP_MAGIC:
        raise _refuse(f"{label}不是 Excel 工作簿(.xlsx),可能已损坏或是其他类型的文件。")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(f"{label}已损坏,无法作为 Excel 工作簿打开。") from exc
    _check_entries(infos, label, what, max_unpacked)
    for info in infos:
        base = info.filename.rsplit("/", 1)[-1].lower()
        if base in ("vbaproject.bin", "vbaprojectsignature.bin"):
            raise _refuse(f"{label}包含宏代码,为安全起见不予读取。请另存为 .xlsx 后再使用。")
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise _refuse(f"{label}不是 Excel 工作簿(.xlsx)。")
    content_types = _inflate(data, zf.getinfo("[Content_Types].xml")) or read_member(
        zf, "[Content_Types].xml")
    if b"macroEnabled" in content_types or b"vbaProject" in content_types:
        raise _refuse(f"{label}是带宏的工作簿,为安全起见不予读取。请另存为 .xlsx 后再使用。")
    check_no_dtd(zf, name, keep, {"[Content_Types].xml": content_types}, data)
    return zf


def _check_entries(infos: list[zipfile.ZipInfo], label: str, what: str,
                   max_unpacked: int) -> None:
    """The zip bounds every container shares (workbook, archive): entry count, encryption,
    each entry's and the total unpacked size, the compression ratio."""
    if len(infos) > MAX_ENTRIES:
        raise _refuse(f"{label}内部条目过多({len(infos)} 个),不像正常的{what},已拒绝。")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise _refuse(f"{label}已加密,无法读取。请取消密码后再使用。")
        total += info.file_size
        if info.file_size > MAX_ENTRY_BYTES or total > max_unpacked:
            raise _refuse(f"{label}解压后过大,可能是恶意文件(压缩炸弹),已拒绝。")
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(
                info.compress_size, 1):
            raise _refuse(f"{label}压缩比异常,可能是恶意文件(压缩炸弹),已拒绝。")


# names inside an archive that are archives themselves (refused: one level only)
NESTED_SUFFIXES = (".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".cab", ".eml")
_DRIVE = re.compile(r"^[A-Za-z]:")


def check_archive(data: bytes, name: str = "", *,
                  max_unpacked: int = MAX_UNPACKED_BYTES) -> zipfile.ZipFile:
    """A .zip of packets (a mail's attachment, a folder zipped by hand) after the same
    bounds as a workbook's container, plus: no entry naming a place outside the archive
    (absolute, drive letter, ``..``: zip slip) and no archive inside it. Entries are only
    ever read into memory, never written out by their names; the path check keeps a name
    shown to the user from pointing anywhere else."""
    label = f"压缩包{label_of(name)}"
    if not data:
        raise _refuse(f"{label}是空的(0 字节)。")
    if data[:4] != _ZIP_MAGIC and data[:4] != b"PK\x05\x06":
        raise _refuse(f"{label}不是 .zip 压缩包(可能是 .rar/.7z 或已损坏),请解压后导入其中的填报包。")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(f"{label}已损坏,无法打开。") from exc
    _check_entries(infos, label, "压缩包", max_unpacked)
    for info in infos:
        entry = info.filename.replace("\\", "/")
        parts = entry.split("/")
        if entry.startswith("/") or _DRIVE.match(entry) or ".." in parts:
            raise _refuse(f"{label}中的“{info.filename[:80]}”指向压缩包以外的位置,"
                          "可能是恶意文件,已拒绝。")
        if not info.is_dir() and entry.lower().endswith(NESTED_SUFFIXES):
            raise _refuse(f"{label}中又有压缩包或邮件“{parts[-1][:80]}”,不予读取。"
                          "请解压后直接导入其中的填报包。")
    return zf


def check_no_dtd(zf: zipfile.ZipFile, name: str = "",
                 keep: dict[str, bytes] | None = None,
                 read: dict[str, bytes] | None = None, data: bytes | None = None) -> None:
    """Refuse a document type declaration in any XML part (entities can expand): a small
    part read whole (and put in ``keep`` when given, within its bounds), a large one
    streamed through a 64 KB window. ``read``: parts the caller has read whole already
    (searched as they are, not read again); ``data``: the archive's bytes, from which a
    part read whole is inflated directly (`_inflate`)."""
    kept = 0
    for info in zf.infolist():
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        # (the entry the caller read: a zip may hold two entries of one name)
        whole = read.get(info.filename) if read else None
        if whole is not None and zf.getinfo(info.filename) is not info:
            whole = None
        try:
            if whole is None and (info.file_size <= CHUNK or (
                    keep is not None and info.file_size <= KEEP_PART
                    and kept + info.file_size <= KEEP_TOTAL)):
                whole = _inflate(data, info) if data is not None else None
                if whole is None:
                    with zf.open(info) as fh:
                        # read() stops at the declared size, which the entry checks bounded
                        whole = fh.read()
            if whole is not None:
                # (a declaration starts "<!": memchr finds no "!" in most parts at once)
                if b"!" in whole and _DTD.search(whole):
                    raise _dtd_error(zf, info.filename, name)
                if keep is not None and len(whole) <= KEEP_PART \
                        and kept + len(whole) <= KEEP_TOTAL:
                    keep[info.filename] = whole
                    kept += len(whole)
                continue
            with zf.open(info) as fh:
                tail = b""
                while chunk := fh.read(CHUNK):
                    window = tail + chunk
                    if _DTD.search(window):
                        raise _dtd_error(zf, info.filename, name)
                    tail = window[-16:]
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
            # (NotImplementedError: zipfile's word for a part stored in a way it cannot read)
            raise _refuse(f"{label_of(name)}已损坏(无法读取 {info.filename})。") from exc


# a local file header: signature, 22 bytes this does not need, name and extra field lengths
_LOCAL_HEADER = struct.Struct("<4s22xHH")
_ODD_FLAGS = 0x1 | 0x20 | 0x40  # encrypted, compressed patched data, strong encryption


def _inflate(data: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """One part's bytes straight from the archive's bytes (one libdeflate call, or zlib
    for a part above ``KEEP_PART``, instead of a zipfile file object), for the plain case
    only: stored or deflated, the local header where the directory says and naming the
    same part, exactly the declared size (the output capped at it, or one byte past it)
    and its CRC. None for anything else: zipfile then reads the part and says what is
    wrong."""
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) \
            or info.flag_bits & _ODD_FLAGS:
        return None
    raw = _raw_span(data, info)
    if raw is None:
        return None
    out: bytes | bytearray
    if info.compress_type == zipfile.ZIP_STORED:
        out = bytes(raw)
    elif 0 < info.file_size <= KEEP_PART:
        # libdeflate: the output buffer is the declared size, allocated once (bounded
        # here), and a stream that would not fit in it fails; 3-4x zlib's speed
        try:
            out = _raw_inflate(raw, info.file_size)
        except DeflateError:
            return None
    else:
        try:
            out = zlib.decompressobj(-15).decompress(raw, info.file_size + 1)
        except zlib.error:
            return None
    if len(out) != info.file_size or _crc32(out) != info.CRC:
        return None
    return out if type(out) is bytes else bytes(out)


_CENTRAL = struct.Struct("<4s6H3L5H2L")
_LOCAL = struct.Struct("<4s5H3L2H")
_END = struct.Struct("<4s4H2LH")
_DOS_DATE = 0x21  # 1980-01-01: the entries' date (nobody reads it)


def _raw_span(data: bytes, info: zipfile.ZipInfo) -> memoryview | None:
    """One entry's stored bytes (compressed as they are) straight from the archive, when
    its local header is where the directory says and names the same part; else None."""
    at = info.header_offset
    if at < 0 or at + _LOCAL_HEADER.size > len(data):
        return None
    magic, name_len, extra_len = _LOCAL_HEADER.unpack_from(data, at)
    start = at + _LOCAL_HEADER.size + name_len + extra_len
    if magic != _ZIP_MAGIC or start + info.compress_size > len(data) or \
            data[at + _LOCAL_HEADER.size:at + _LOCAL_HEADER.size + name_len] != \
            info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437"):
        return None
    return memoryview(data)[start:start + info.compress_size]


def stored_copy(data: bytes, zf: zipfile.ZipFile, kept: dict[str, bytes]) -> bytes:
    """The archive again with the parts in ``kept`` (as `check_container` read them: the
    declared size and CRC checked) stored uncompressed, every other entry copied as it
    was: the same parts in the same order, for python-calamine, which then reads those
    parts without inflating them a second time. ``data`` itself when the archive is not
    the plain case (a name twice or not ASCII, an entry stored in another way, an offset
    that does not fit): nothing is gained there, and nothing changes."""
    infos = zf.infolist()
    if not kept or len({i.filename for i in infos}) != len(infos):
        return data
    pieces: list[bytes | memoryview] = []
    central: list[bytes] = []
    offset = 0
    for info in infos:
        if not info.filename.isascii() or info.flag_bits & _ODD_FLAGS:
            return data
        name = info.filename.encode("ascii")
        body: bytes | memoryview | None = kept.get(info.filename)
        if body is not None:
            method, size = zipfile.ZIP_STORED, len(body)
        elif info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            body = _raw_span(data, info)
            if body is None:
                return data
            method, size = info.compress_type, info.file_size
        else:
            return data
        packed = len(body)
        pieces.append(_LOCAL.pack(_ZIP_MAGIC, 20, 0, method, 0, _DOS_DATE, info.CRC, packed,
                                  size, len(name), 0))
        pieces.append(name)
        pieces.append(body)
        central.append(_CENTRAL.pack(b"PK\x01\x02", 20, 20, 0, method, 0, _DOS_DATE,
                                     info.CRC, packed, size, len(name), 0, 0, 0, 0, 0, offset)
                       + name)
        offset += _LOCAL.size + len(name) + packed
        if offset > 0xFFFF_FFFF:
            return data
    directory = b"".join(central)
    pieces.append(directory)
    pieces.append(_END.pack(b"PK\x05\x06", 0, 0, len(infos), len(infos), len(directory),
                            offset, 0))
    return b"".join(pieces)


def _dtd_error(zf: zipfile.ZipFile, part: str, name: str) -> UserFacingError:
    sheet = None
    if part != "xl/workbook.xml" and not part.endswith(".rels"):
        try:
            sheet = next((s for s, p in sheet_parts(zf)[0].items() if p == part), None)
        except UserFacingError:
            sheet = None
    where = f"“{sheet}”表" if sheet else part
    return _refuse(f"{label_of(name)}的{where}含有不安全的 XML 内容(文档类型声明),已拒绝。"
                   "请用 Excel/WPS 另存为 .xlsx 后再使用。", sheet)


def read_member(zf: zipfile.ZipFile, name: str) -> bytes:
    try:
        return zf.read(name)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _refuse(f"工作簿已损坏(无法读取 {name})。") from exc


def parse_xml(data: bytes, part: str) -> Element:
    try:
        root: Element = SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise _refuse(f"工作簿含有不安全的 XML 内容({part}),已拒绝。") from exc
    except SafeET.ParseError as exc:
        raise _refuse(f"工作簿已损坏({part} 不是有效的 XML)。") from exc
    return root


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


# (workbook.xml, its relationships) → sheet parts and states: every packet of an issue
# has the same two parts, and a merge glances at each file before reading it
_PARTS: dict[tuple[bytes, bytes | None], tuple[dict[str, str], dict[str, str]]] = {}
_PARTS_MAX = 64
_RELS = "xl/_rels/workbook.xml.rels"


def forget_sheet_parts() -> None:
    """Empty the remembered sheet parts (for a benchmark's "first of its kind")."""
    _PARTS.clear()


def sheet_parts(zf: zipfile.ZipFile, *, book: bytes | None = None, rels: bytes | None = None
                ) -> tuple[dict[str, str], dict[str, str]]:
    """(sheet name → part path in the zip, sheet name → state visible/hidden/veryHidden).

    ``book``/``rels``: workbook.xml and its relationships part when the caller holds
    them. The answer is remembered for the same two parts' bytes."""
    if book is None:
        book = read_member(zf, "xl/workbook.xml")
    if rels is None and _RELS in zf.namelist():
        try:
            rels = read_member(zf, _RELS)
        except UserFacingError:
            _sheets_of(book)  # a broken workbook.xml is named first, as it always was
            raise
    known = _PARTS.get((book, rels))
    if known is None:
        sheets = _sheets_of(book)
        targets = _targets_of(rels) if rels is not None else {}
        parts: dict[str, str] = {}
        states: dict[str, str] = {}
        for name, state, rid in sheets:
            states[name] = state
            if rid and rid in targets:
                parts[name] = targets[rid]
        known = (parts, states)
        if len(_PARTS) >= _PARTS_MAX:
            _PARTS.clear()
        _PARTS[(book, rels)] = known
    return dict(known[0]), dict(known[1])


def _sheets_of(book: bytes) -> list[tuple[str, str, str | None]]:
    """Every <sheet> of workbook.xml in order (at any depth, in any namespace): (name,
    state, the first attribute named id in any namespace)."""
    sheets: list[tuple[str, str, str | None]] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag.rpartition("}")[2] == "sheet":
            sheets.append((attrs.get("name") or "", attrs.get("state") or "visible",
                           next((v for k, v in attrs.items() if k.rpartition("}")[2] == "id"),
                                None)))

    _expat_walk(book, "xl/workbook.xml", start)
    return sheets


def _targets_of(rels: bytes) -> dict[str, str]:
    """The relationships part's children: Id → the part it targets (a path in the zip)."""
    targets: dict[str, str] = {}
    depth = [0]

    def start(_tag: str, attrs: dict[str, str]) -> None:
        depth[0] += 1
        if depth[0] == 2:  # a child of the root
            rid, target = attrs.get("Id"), attrs.get("Target")
            if rid and target:
                targets[rid] = target.lstrip("/") if target.startswith("/") else \
                    posixpath.normpath(posixpath.join("xl", target))

    def end(_tag: str) -> None:
        depth[0] -= 1

    _expat_walk(rels, _RELS, start, end)
    return targets


def _expat_walk(data: bytes, part: str, start: Callable[[str, dict[str, str]], None],
                end: Callable[[str], None] | None = None) -> None:
    """Run expat (namespaces as "uri}local") over one small part: what `parse_xml` does
    without building a tree — entity declarations and external entities refused
    (defusedxml's defaults), malformed XML refused, with `parse_xml`'s messages."""
    parser = expat.ParserCreate(namespace_separator="}")

    def forbidden(*_args: object) -> NoReturn:
        raise _Stop(_refuse(f"工作簿含有不安全的 XML 内容({part}),已拒绝。"))

    parser.EntityDeclHandler = forbidden
    parser.UnparsedEntityDeclHandler = forbidden
    parser.ExternalEntityRefHandler = forbidden
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except _Stop as stop:
        raise stop.error from None
    except expat.ExpatError as exc:
        raise _refuse(f"工作簿已损坏({part} 不是有效的 XML)。") from exc


class _Stop(Exception):
    """Raised inside the expat callbacks to stop at the first cell out of bounds."""

    def __init__(self, error: UserFacingError) -> None:
        super().__init__(error.message)
        self.error = error


def scan_sheet(zf: zipfile.ZipFile, part: str | None, sheet: str, limits: Limits,
               name: str = "", *, what: str = "填报包", data: bytes | None = None
               ) -> SheetExtent:
    """Stream one sheet's XML and refuse a cell beyond ``limits`` or too many cells.

    Runs before any reader builds the sheet, so a hostile file costs one pass of expat
    over at most ``max_cells`` cells and a 64 KB buffer. ``data``: the part's bytes when
    the caller holds them already (``check_container(keep=…)``), scanned instead of
    decompressing the part again.
    """
    if not part or part not in zf.namelist():
        return SheetExtent(0, 0, 0, "")
    fast = _scan_fast(zf, part, sheet, limits, name, what, data)
    if fast is not None:
        return fast
    return _scan_exact(zf, part, sheet, limits, name, what, data)


def check_sheet(zf: zipfile.ZipFile, part: str | None, sheet: str, limits: Limits,
                name: str = "", *, what: str = "填报包", data: bytes | None = None) -> None:
    """`scan_sheet`'s refusals without its figures (the reader needs only the refusal).

    With the part's bytes at hand (``data``), a sheet whose every cell tag is written
    ``<c r="…"`` within ``limits`` is accepted after a few C-speed searches that allocate
    nothing per cell; anything else (a cell out of bounds, another tag form, too many
    cells) goes to `scan_sheet`, which decides and names the cell as before.
    """
    if not part or part not in zf.namelist():
        return
    if data is not None and _plainly_within(data, limits):
        return
    scan_sheet(zf, part, sheet, limits, name, what=what, data=data)


_SHORTEST_CELL = len(b'<c r="A1"')  # the fewest bytes a cell tag that passes can take


def _plainly_within(data: bytes, limits: Limits) -> bool:
    """True when every cell tag in ``data`` is ``<c r="REF"`` with REF inside ``limits``
    (at most ``max_cells`` of them); False when in any doubt.

    One search finds any ``<c`` that does not start another tag name (``<col``, ``<cfRule``)
    and is not followed by `` r="REF"`` within the limits: a cell tag in any other form
    (``<c>``, ``<c/>``, a tab or line break after the name) or out of bounds. Each tag that
    passes takes at least ``_SHORTEST_CELL`` bytes, so a part shorter than that many times
    ``max_cells`` cannot hold too many (counted otherwise)."""
    if len(data) > _SHORTEST_CELL * limits.max_cells and \
            data.count(b"<c ") > limits.max_cells:
        return False
    if _PREFIXED_CELL.search(data):
        return False
    return _outside(limits.max_row, limits.max_col).search(data) is None


@functools.lru_cache(maxsize=64)
def _outside(max_row: int, max_col: int) -> re.Pattern[bytes]:
    """A ``<c`` not followed by a name character (another tag: ``<col``, ``<cfRule``) nor by
    `` r="REF"`` with REF's column ≤ ``max_col`` and row ≤ ``max_row`` (no leading zero:
    such a reference is left to the exact scan)."""
    cols = _at_most(col_letters(min(max_col, 16384)), "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    # the rows' numerals longest first (most rows of a sheet have the most digits: the
    # first branch tried is then the one that matches)
    rows = "|".join(reversed(_at_most(str(max_row), "0123456789",
                                      first="123456789").split("|")))
    # (the same as one lookahead of both alternatives, but the usual case — a reference
    # within the limits — is decided by the first lookahead alone)
    return re.compile(rb'<c(?! r="\$?(?:' + cols.encode() + rb')\$?(?:'
                      + rows.encode() + rb')")(?![\w.-])')


def _at_most(top: str, digits: str, first: str | None = None) -> str:
    """A regex alternation matching exactly the numerals from the smallest up to ``top``
    in a positional system of ``digits`` (``first``: the digits a numeral may start with;
    letters as in column names, where every shorter name is smaller)."""
    first = digits if first is None else first

    def span(lo: str, hi: str) -> str:  # one digit from lo to hi, inclusive
        return f"[{lo}-{hi}]" if lo != hi else lo

    def any_digit(n: int) -> str:
        return f"[{digits[0]}-{digits[-1]}]{{{n}}}" if n else ""

    out = [span(first[0], first[-1]) + any_digit(n) for n in range(len(top) - 1)]
    for i, ch in enumerate(top):  # the numerals of top's length: top's prefix, then less
        start = first if i == 0 else digits
        if ch != start[0]:
            out.append(top[:i] + span(start[0], digits[digits.index(ch) - 1])
                       + any_digit(len(top) - i - 1))
    out.append(top)
    return "|".join(out)


def _far(name: str, sheet: str, what: str, limits: Limits, ref: str) -> UserFacingError:
    return _refuse(
        f"{label_of(name)}的“{sheet}”表在 {ref} 有单元格,超出了{what}应有的范围(最多 "
        f"{limits.max_row} 行、{col_letters(limits.max_col)} 列),不像正常填写的文件,已拒绝。"
        "请删除多余的内容后再使用。", sheet, ref)


def _too_many(name: str, sheet: str, what: str, limits: Limits, ref: str) -> UserFacingError:
    return _refuse(
        f"{label_of(name)}的“{sheet}”表单元格过多(超过 {limits.max_cells:,} 个,到 {ref} 为止),"
        f"不像正常填写的{what},已拒绝。", sheet, ref)


def _bodies(zf: zipfile.ZipFile, part: str, data: bytes | None) -> Iterator[bytes | None]:
    """The part's XML in pieces that end at a tag end (the last piece: the rest), read 1 MB
    at a time (from ``data`` when given: the same pieces, so the same memory). None after
    a run of 256 KB without a tag end (the fast scan gives up there)."""
    tail = b""
    with io.BytesIO(data) if data is not None else zf.open(part) as fh:
        while True:
            chunk = fh.read(16 * CHUNK)
            window = tail + chunk
            if not chunk:
                yield window
                return
            cut = window.rfind(b">") + 1
            body, tail = window[:cut], window[cut:]
            if len(tail) > 4 * CHUNK:
                yield None
                return
            yield body


def _scan_fast(zf: zipfile.ZipFile, part: str, sheet: str, limits: Limits, name: str,
               what: str, data: bytes | None = None) -> SheetExtent | None:
    """The usual case in C-speed passes: every cell tag written ``<c r="…"`` (Excel, WPS,
    LibreOffice, xlsxwriter and openpyxl all do). None when a tag does not fit that form
    (a namespace prefix, another attribute first, no reference): the exact scan decides."""
    cells = max_row = max_col = 0
    dimension = ""
    for body in _bodies(zf, part, data):
        if body is None:
            return None  # a very long run without a tag end: let the exact scan decide
        if not dimension and b"<dimension " in body:
            m = _DIMENSION.search(body)
            dimension = m.group(1).decode("ascii", "replace")[:40] if m else ""
        if _BARE_CELL.search(body) or _PREFIXED_CELL.search(body):
            return None  # a cell tag not written ``<c r="…"``
        refs = _FAST_REF.findall(body)
        if len(refs) != body.count(b"<c "):
            return None
        if refs:
            # a few hundred distinct rows and a few columns among thousands of cells
            top_row = max(map(int, set(map(_SECOND, refs))))
            top_col = max(_col_number(c.decode()) for c in set(map(_FIRST, refs)))
            if (top_row > limits.max_row or top_col > limits.max_col
                    or cells + len(refs) > limits.max_cells):
                _first_offender(body, cells, sheet, limits, name, what)
            cells += len(refs)
            max_row, max_col = max(max_row, top_row), max(max_col, top_col)
    return SheetExtent(max_row, max_col, cells, dimension)


def _first_offender(body: bytes, before: int, sheet: str, limits: Limits, name: str,
                    what: str) -> None:
    """Raise for the first cell of ``body`` (in file order) out of bounds or over the count."""
    for i, m in enumerate(_FAST_REF.finditer(body)):
        col, row = _col_number(m.group(1).decode()), int(m.group(2))
        ref = f"{col_letters(col)}{row}"
        if row > limits.max_row or col > limits.max_col:
            raise _far(name, sheet, what, limits, ref)
        if before + i + 1 > limits.max_cells:
            raise _too_many(name, sheet, what, limits, ref)


def _scan_exact(zf: zipfile.ZipFile, part: str, sheet: str, limits: Limits, name: str,
                what: str, data: bytes | None = None) -> SheetExtent:
    label = label_of(name)
    state = {"row": 0, "col": 0, "cells": 0, "max_row": 0, "max_col": 0}
    dimension = [""]


    def start(tag: str, attrs: dict[str, str]) -> None:
        local = tag.rpartition(":")[2]
        if local == "c":
            ref = attrs.get("r")
            if ref:
                m = _CELL_REF.match(ref)
                if m is None:
                    raise _Stop(_refuse(f"{label}的“{sheet}”表已损坏(单元格地址“{ref[:20]}”无效)。",
                                        sheet))
                col, row = _col_number(m.group(1)), int(m.group(2))
                state["row"] = row
            else:
                col, row = state["col"] + 1, state["row"]
            state["col"] = col
            state["cells"] += 1
            if row > limits.max_row or col > limits.max_col:
                raise _Stop(_far(name, sheet, what, limits, f"{col_letters(col)}{row}"))
            if state["cells"] > limits.max_cells:
                raise _Stop(_too_many(name, sheet, what, limits, f"{col_letters(col)}{row}"))
            if row > state["max_row"]:
                state["max_row"] = row
            if col > state["max_col"]:
                state["max_col"] = col
        elif local == "row":
            r = attrs.get("r")
            try:
                state["row"] = int(r) if r else state["row"] + 1
            except ValueError:
                raise _Stop(_refuse(f"{label}的“{sheet}”表已损坏(行号“{(r or '')[:20]}”无效)。",
                                    sheet)) from None
            state["col"] = 0  # an empty row far down costs nothing: cells are what count
        elif local == "dimension":
            dimension[0] = attrs.get("ref", "")[:40]

    def doctype(*_args: object) -> None:
        raise _Stop(_refuse(f"{label}的“{sheet}”表含有不安全的 XML 内容(文档类型声明),已拒绝。",
                            sheet))

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    try:
        if data is not None:
            for start_at in range(0, len(data), CHUNK):
                parser.Parse(data[start_at:start_at + CHUNK], False)
        else:
            with zf.open(part) as fh:
                while chunk := fh.read(CHUNK):
                    parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Stop as stop:
        raise stop.error from None
    except expat.ExpatError as exc:
        raise _refuse(f"{label}的“{sheet}”表已损坏(不是有效的 XML)。", sheet) from exc
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _refuse(f"{label}已损坏(无法读取“{sheet}”表)。", sheet) from exc
    return SheetExtent(state["max_row"], state["max_col"], state["cells"], dimension[0])
