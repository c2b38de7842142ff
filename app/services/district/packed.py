"""A merged return's ledger row, packed: its values once, its first values by reference.

A returned ledger row keeps what the file said (the base of the next merge of that packet)
and which rows the merge created (the first values' provenance: who merged it, and the
sheet and cell of each filled field of those rows). That used to be ``Packet.rows`` as
≈ 100 KB of JSON a 200-row return (each row a dict of field names, each created row its
list of (field, cell) pairs again). Now ``Packet.packed`` holds it as zlib-compressed JSON
(nothing queries into it: it is read by the next merge of that unit and period, the
history pane and the 日志): one zlib stream holding one JSON line for the return, then a
second stream of one line per row:

    {"v": 3, "fields": {"T:": [task fields], "I:": [indicator fields]},
     "first": {"actor": who merged, "sheets": [sheet, …], "columns": [{field: column
               letters}, … one per sheet],
               "created": [[row index, task/indicator id, sheet index, sheet row], …]}}
    [row key, [values in that field order]]   or   [row key, {field: value}]
    …

so the 日志 filtered by a code decodes only the lines of that code's rows. The rows' stream
depends only on the values taken, which for a return taken whole are the file's: the
worker process that read the file makes it (``read_packed``), so the merging thread, which
every packet of a batch waits for, does not. (Version 3 was one stream of the same lines;
version 2, before it, one JSON object with the rows under "rows".)

A created row's filled fields are its non-empty values (exactly the fields the merge
stored), each one's cell the sheet's column letters of the field and the row's number; a
row whose cells do not follow that (never seen: the reader reads a sheet with one column
layout) carries its [[field, cell], …] as a fifth item. ``Packet.first_targets`` lists the
created rows as " T<task id> I<indicator id> … " so the 日志 filtered by a code finds the
returns that created its rows in the database without unpacking every return.

Ledger rows written before (``Packet.rows`` a dict of row key → values with the
provenance under "@first", keyed or as a list) are read as well.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.services.packets.format import (
    INDICATOR_INPUT_FIELDS,
    INDICATOR_PREFIX,
    TASK_INPUT_FIELDS,
    TASK_PREFIX,
)
from app.services.packets.values import to_text

if TYPE_CHECKING:  # (the ledger's readers import this module: not the packet reader)
    from app.services.packets.reader import PacketFile

VERSION = 4
# the key of an older returned ledger row's `rows` holding the provenance of the rows it
# created: {"actor": who merged, "by_key": {row key: [entity, task/indicator id, sheet,
# [[field, cell], …]], …}}; before that {"actor", "rows": [[entity, id, row key, sheet,
# [[field, cell], …]], …]} — the values themselves the row key's entry of `rows`
FIRST_VALUES = "@first"
FIELDS: dict[str, tuple[str, ...]] = {TASK_PREFIX: TASK_INPUT_FIELDS,
                                      INDICATOR_PREFIX: INDICATOR_INPUT_FIELDS}
ENTITIES = {TASK_PREFIX: "progress", INDICATOR_PREFIX: "indicator_value"}
TOKENS = {"progress": "T", "indicator_value": "I"}
EMPTY = (None, "")

# a row the merge created: (entity, task/indicator id, row key, sheet, its row number
# there, field → cell of its input fields as read); its filled fields are those of its
# values that are not empty
Created = tuple[str, int, str, str, int, Mapping[str, str]]
# a packet read by a worker process: the packet, the uid of the plan whose seal it verified
# (None: not verified) and the rows' stream of its ledger row if taken whole
Handed = tuple["PacketFile", str | None, bytes | None]
_NAME_SETS = {kind: frozenset(names) for kind, names in FIELDS.items()}
_PICK = {kind: itemgetter(*names) for kind, names in FIELDS.items()}  # (two or more)


@dataclass(frozen=True)
class FirstValue:
    """One first value of a merged return, as its audit row would have said."""

    entity: str
    target_id: int  # task or indicator id
    field: str
    new: str | None
    sheet: str
    cell: str


def target_token(entity: str, target_id: int) -> str:
    """How `first_targets` names a created row (with the spaces around it)."""
    return f" {TOKENS[entity]}{target_id} "


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
# one line of JSON a row: the C encoder's own entry point made once (json's `encode` makes it
# again at every call, a third of packing 200 rows); the plain `encode` where there is none
_C_ENCODE = json.encoder.c_make_encoder and json.encoder.c_make_encoder(  # type: ignore[attr-defined]
    None, _ENCODER.default, json.encoder.encode_basestring, None, ":", ",", False, False, True)


def _dumps(value: dict[str, Any] | list[Any]) -> str:
    """One JSON line of the ledger record (its head, or a row: a dict or a list)."""
    if _C_ENCODE is None:
        return _ENCODER.encode(value)
    return "".join(_C_ENCODE(value, 0))


def pack_rows(returned: Iterable[tuple[str, dict[str, Any]]]) -> bytes:
    """The rows' stream of ``Packet.packed``: `returned` = row key → the values taken."""
    lines = []
    for key, values in returned:
        kind = key[:2]
        if values.keys() == _NAME_SETS[kind]:
            lines.append(_dumps([key, _PICK[kind](values)]))
        else:  # some fields not taken (a correction packet's locked cells): by name
            lines.append(_dumps([key, values]))
    return zlib.compress("\n".join(lines).encode(), 1)


def read_packed(read: Callable[..., PacketFile], data: Path | bytes, name: str,
                secrets: Mapping[str, str]) -> Handed:
    """In a worker process reading ahead for a check or a merge: the packet read, its
    seal verified (``sealed.read_sealed``), and the rows' stream of its ledger row if it
    is taken whole (its values as read)."""
    from app.services.packets.sealed import read_sealed

    packet, plan_uid = read_sealed(read, data, name, secrets)
    return packet, plan_uid, pack_rows((row.key, row.values) for row in packet.rows)


def pack(returned: Sequence[tuple[str, dict[str, Any]]], actor: str,
         created: Sequence[Created], rows: bytes | None = None) -> tuple[bytes, str | None]:
    """(``Packet.packed``, ``Packet.first_targets``) of a merged return: `returned` = row key
    → the values taken from the file, `created` = the rows the merge created; `rows`: the
    rows' stream of `returned`, made already (``read_packed``)."""
    taken = {key: (at, values) for at, (key, values) in enumerate(returned)}
    doc: dict[str, Any] = {"v": VERSION, "fields": FIELDS}
    targets = None
    if created:
        sheets: dict[str, int] = {}
        columns: list[dict[str, str]] = []
        made: list[list[Any]] = []
        tokens: list[str] = []
        for entity, target_id, key, sheet, number, cells in created:
            at = sheets.get(sheet)
            if at is None:
                at = sheets[sheet] = len(columns)
                columns.append({})
            layout = columns[at]
            row_at, values = taken[key]
            item: list[Any] = [row_at, target_id, at, number]
            names = FIELDS[key[:2]]
            suffix = str(number)
            derivable = True
            for f in names:
                if values.get(f) in EMPTY:
                    continue
                cell = cells.get(f, "")
                letters = layout.get(f)
                if letters is None:  # the sheet's column of this field: from its first cell
                    letters = cell[:-len(suffix)]
                    if not (cell.endswith(suffix) and letters.isascii() and letters.isalpha()):
                        derivable = False
                        continue
                    layout[f] = letters
                if cell != letters + suffix:
                    derivable = False
            if not derivable:  # spelled out: not the sheet's columns
                item.append([[f, cells.get(f, "")] for f in names if values.get(f) not in EMPTY])
            made.append(item)
            tokens.append(TOKENS[entity] + str(target_id))
        doc["first"] = {"actor": actor, "sheets": list(sheets), "columns": columns,
                        "created": made}
        targets = f" {' '.join(tokens)} "
    head = zlib.compress(_dumps(doc).encode(), 1)
    return head + (rows if rows is not None else pack_rows(returned)), targets


def _lines(packed: bytes) -> tuple[dict[str, Any], list[bytes]]:
    """(the return's line, one undecoded line per row); version 3 held them in one stream,
    version 2 its rows inside the return's line."""
    stream = zlib.decompressobj()
    first = stream.decompress(packed)
    if stream.unused_data:  # version 4: the rows' stream follows
        head = first
        rest = zlib.decompress(stream.unused_data)
        lines = rest.split(b"\n") if rest else []
    else:
        head, *lines = first.split(b"\n")
    doc = json.loads(head)
    if "rows" in doc:  # version 2
        lines = [json.dumps(r, ensure_ascii=False).encode() for r in doc.pop("rows")]
    return doc, lines


def unpack(packed: bytes) -> dict[str, Any]:
    """The whole document, the rows decoded under "rows"."""
    doc, lines = _lines(packed)
    doc["rows"] = json.loads(b"[" + b",".join(lines) + b"]")
    return doc


def _rows_of(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    fields = doc["fields"]
    return [(key, dict(zip(fields[key[:2]], values, strict=True))
             if isinstance(values, list) else dict(values)) for key, values in doc["rows"]]


def returned_values(packed: bytes | None, rows: dict[str, Any] | None
                    ) -> dict[str, dict[str, Any]]:
    """Row key → the values a merged return took from its file, either layout."""
    if packed is not None:
        return dict(_rows_of(unpack(packed)))
    return {k: v for k, v in (rows or {}).items() if k != FIRST_VALUES}


def first_values(packed: bytes | None, rows: dict[str, Any] | None,
                 wanted: set[tuple[str, int]] | None = None) -> tuple[str, list[FirstValue]]:
    """(actor, first values in the order stored) of a merged return, either layout;
    `wanted`: only those of these (entity, task/indicator id)."""
    if packed is not None:
        return _packed_first_values(packed, wanted)
    info = (rows or {}).get(FIRST_VALUES)
    if not info:
        return "", []
    out: list[FirstValue] = []
    for entity, target_id, key, sheet, cells in _legacy_created(info):
        if wanted is not None and (entity, target_id) not in wanted:
            continue
        values = rows.get(key) or {}  # type: ignore[union-attr]
        out.extend(FirstValue(entity, target_id, f, to_text(values.get(f)), sheet, cell)
                   for f, cell in cells)
    return info.get("actor", ""), out


def _packed_first_values(packed: bytes, wanted: set[tuple[str, int]] | None
                         ) -> tuple[str, list[FirstValue]]:
    doc, lines = _lines(packed)
    first = doc.get("first")
    if not first:
        return "", []
    fields = doc["fields"]
    sheets, columns = first["sheets"], first["columns"]
    ids = None if wanted is None else {t for _e, t in wanted}
    out: list[FirstValue] = []
    for item in first["created"]:
        at, target_id, sheet_at, number = item[:4]
        if ids is not None and target_id not in ids:
            continue  # (the row's line is decoded only when wanted)
        key, stored = json.loads(lines[at])
        entity = ENTITIES[key[:2]]
        if wanted is not None and (entity, target_id) not in wanted:
            continue
        names = fields[key[:2]]
        values = dict(zip(names, stored, strict=True)) if isinstance(stored, list) \
            else stored
        sheet = sheets[sheet_at]
        if len(item) > 4:
            cells = [(f, c) for f, c in item[4]]
        else:
            layout = columns[sheet_at]
            cells = [(f, f"{layout.get(f, '')}{number}") for f in names
                     if values.get(f) not in EMPTY]
        out.extend(FirstValue(entity, target_id, f, to_text(values.get(f)), sheet, cell)
                   for f, cell in cells)
    return first.get("actor", ""), out


def _legacy_created(info: dict[str, Any]) -> Iterable[tuple[str, int, str, str, Any]]:
    """(entity, target id, row key, sheet, [(field, cell)]) of each row, either older
    layout."""
    if "by_key" in info:
        for key, (entity, target_id, sheet, cells) in info["by_key"].items():
            yield entity, target_id, key, sheet, cells
    else:
        yield from info["rows"]
