"""A glance at a packet file: the packet its manifest says it answers and the hash of its
bytes, for a fraction of reading it whole.

A merge orders its batch (a file that another continues loses; files of one packet are
read together) before it reads any file whole, so it glances at every file first; a
worker process glances at part of a large batch (``glance_many``) while the merging
thread glances at the rest. This module imports nothing heavy for that reason.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.services.packets.container import sheet_parts
from app.services.packets.format import FORMAT_NAME, SHEET_MANIFEST
from app.services.packets.reader import MAX_FILE_BYTES


@dataclass(frozen=True, slots=True)
class Glance:
    """What ordering a batch needs of a file before it is read whole: the packet its
    manifest says it answers, and the hash of its bytes."""

    packet_uid: str
    file_hash: str


# the manifest's identity lines come first (about 20), then the issued rows
GLANCE_ROWS = 40


def glance(source: Path | bytes) -> Glance | None:
    """The packet id in a file's manifest and the file's hash, for a fraction of reading
    the file whole: the manifest sheet's first rows are picked out of its XML (and the
    shared strings they point to) without building any sheet. Every part is read within
    its declared size, capped; nothing is parsed as XML but the workbook's sheet list.
    None when it cannot be read that way (the caller then reads the file whole)."""
    try:
        if isinstance(source, bytes):
            data = source
        else:
            if source.stat().st_size > MAX_FILE_BYTES:
                return None
            data = source.read_bytes()
        zf = zipfile.ZipFile(io.BytesIO(data))
        sizes = {i.filename: i.file_size for i in zf.infolist()}
        for small in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
            if sizes.get(small, 0) > GLANCE_MAX_PART:
                return None
        parts, _states = sheet_parts(zf)
        part = parts.get(SHEET_MANIFEST)
        if part is None or sizes.get(part, GLANCE_MAX_PART + 1) > GLANCE_MAX_PART:
            return None
        pairs = _glance_pairs(zf, zf.read(part), sizes)
    except Exception:  # a broken file of any kind: reading it whole says what is wrong
        return None
    if pairs is None or pairs.get("format") != FORMAT_NAME or not pairs.get("packet_id"):
        return None
    return Glance(pairs["packet_id"], hashlib.sha256(data).hexdigest())


GLANCE_MAX_PART = 32 * 1024 * 1024  # declared unpacked size of any part a glance reads
_G_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\b[^>]*?(?:/>|>(.*?)</(?:[A-Za-z_][\w.-]*:)?row>)",
                    re.S)
_G_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\b([^>]*?)(?:/>|>(.*?)</(?:[A-Za-z_][\w.-]*:)?c>)",
                     re.S)
_G_REF = re.compile(rb'\br="\$?([A-Za-z]{1,3})\$?\d+"')
_G_TYPE = re.compile(rb'\bt="(\w+)"')
_G_V = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?v\b[^>]*>(.*?)</(?:[A-Za-z_][\w.-]*:)?v>", re.S)
_G_T = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?t\b[^>]*?(?:/>|>(.*?)</(?:[A-Za-z_][\w.-]*:)?t>)",
                  re.S)
_G_PHONETIC = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?rPh\b.*?</(?:[A-Za-z_][\w.-]*:)?rPh>", re.S)
_G_SI_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?si>")


def _glance_text(xml: bytes) -> str:
    """The text of an inline or shared string item: its <t> runs (not phonetic ones)."""
    xml = _G_PHONETIC.sub(b"", xml)
    return html.unescape(b"".join(m.group(1) or b"" for m in _G_T.finditer(xml))
                         .decode("utf-8")).strip()


def _glance_pairs(zf: zipfile.ZipFile, sheet: bytes, sizes: dict[str, int]
                  ) -> dict[str, str] | None:
    """The manifest's key → value lines before its "rows" line (the last of a repeated key,
    as the reader takes it); None where a cell is of a kind this does not read, or where
    the "rows" line is not among the first rows (the reader then decides)."""
    lines: list[tuple[tuple[str, Any], tuple[str, Any]]] = []
    shared: list[int] = []
    for n, row in enumerate(_G_ROW.finditer(sheet)):
        if n >= GLANCE_ROWS:
            return None
        wide = False  # the "rows" line names seven columns; the pairs use two
        cells: dict[str, tuple[str, Any]] = {}
        for pos, cell in enumerate(_G_CELL.finditer(row.group(1) or b"")):
            attrs, body = cell.group(1), cell.group(2) or b""
            ref = _G_REF.search(attrs)
            column = ref.group(1).upper().decode() if ref else "AB"[pos] if pos < 2 else ""
            if column not in ("A", "B"):
                wide = True
                break
            kind = _G_TYPE.search(attrs)
            t = kind.group(1).decode() if kind else "n"
            if t == "s":
                v = _G_V.search(body)
                if v is None:
                    return None
                cells[column] = ("s", int(v.group(1)))
                shared.append(int(v.group(1)))
            elif t == "inlineStr":
                cells[column] = ("t", _glance_text(body))
            elif t == "str":
                v = _G_V.search(body)
                cells[column] = ("t", html.unescape((v.group(1) if v else b"").decode()).strip())
            elif _G_V.search(body):
                return None  # a number, a date, an error: not what the writer puts here
        lines.append((cells.get("A", ("t", "")), cells.get("B", ("t", ""))))
        if wide:
            break
    strings: list[str] = []
    if shared:
        name = "xl/sharedStrings.xml"
        if sizes.get(name, GLANCE_MAX_PART + 1) > GLANCE_MAX_PART:
            return None
        table = zf.read(name)
        items = table.split(b"</si>") if b"</si>" in table else _G_SI_END.split(table)
        wanted = max(shared)
        if wanted >= len(items) - 1:
            return None
        strings = [""] * (wanted + 1)
        for i in set(shared):
            strings[i] = _glance_text(items[i])

    def text(cell: tuple[str, Any]) -> str:
        kind, value = cell
        return strings[value] if kind == "s" else value

    pairs: dict[str, str] = {}
    for a, b in lines:
        key = text(a)
        if key == "rows":
            return pairs
        if key:
            pairs[key] = text(b)
    return None if wide else pairs  # a wide line that is not "rows": let the reader judge


def glance_many(sources: Sequence[Path | bytes]) -> list[Glance | None]:
    """``glance`` of each (what a worker process runs for a part of a batch)."""
    return [glance(source) for source in sources]
