"""Returned packets made the real ways, for merge tests: the office app's export, a
workbook filled by hand (openpyxl, as Excel saves it), and a LibreOffice re-save.

Plus ``table_dump``: every table's rows, to assert that a refused packet changed nothing.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import openpyxl

from app.services.db import Database, open_database
from app.services.district.issue import issue_packets
from app.services.office.export import export_packet
from app.services.office.forms import save_indicator, save_task
from app.services.office.opening import open_packet
from app.services.packets.format import (
    INPUT_HEADERS,
    KEY_HEADER,
    SHEET_INDICATORS,
    SHEET_TASKS,
)
from app.services.packets.reader import read_packet

TOWNS = ("开发区", "郑陆镇", "雕庄街道", "青龙街道", "茶山街道", "红梅街道", "天宁街道", "兰陵街道")
Values = dict[str, dict[str, Any]]  # row key -> field -> value


def issue(db: Database, period: str, units: Iterable[str], folder: Path) -> dict[str, Path]:
    result = issue_packets(db, period, folder / period, plan_id=1, units=list(units))
    return {p.unit: p.path for p in result.packets}


def row_keys(path: Path) -> list[str]:
    return [r.key for r in read_packet(path).rows]


def table_dump(db: Database | Path, skip: Iterable[str] = ()) -> dict[str, list[tuple]]:
    """Every table's rows, sorted (a byte-level copy would also see SQLite page reuse)."""
    if not isinstance(db, Path) and db.dialect.name != "sqlite":
        from sqlalchemy import inspect, text

        with db.connect() as conn:
            names = inspect(conn).get_table_names()
            return {n: sorted((tuple(r) for r in conn.execute(text(f'SELECT * FROM "{n}"'))),
                              key=repr) for n in names if n not in set(skip)}
    path = Path(db) if isinstance(db, Path) else Path(str(db.url.database))
    con = sqlite3.connect(path)
    try:
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        return {n: sorted(con.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr)
                for n in names if n not in set(skip)}
    finally:
        con.close()


# ---------------------------------------------------------------- by hand (Excel-like)

def _cell_text(field: str, value: Any) -> Any:
    from app.core.vocab import STATUS_LABELS

    if field == "status" and value in STATUS_LABELS:
        return STATUS_LABELS[value]
    return value


def fill_by_hand(src: Path, dest: Path, values: Values, *,
                 raw: dict[tuple[str, str], Any] | None = None) -> Path:
    """Open an issued packet with openpyxl, type values into its input cells, save.

    `values`: row key → field → value (status codes become their Chinese label, as the
    dropdown writes them). `raw`: (sheet, cell) → anything written as is (formulas,
    edited fixed cells, odd values).
    """
    wb = openpyxl.load_workbook(src)
    for sheet in (SHEET_TASKS, SHEET_INDICATORS):
        if sheet not in wb.sheetnames:
            continue
        ws = wb[sheet]
        headers = {str(c.value): c.column for c in ws[2] if c.value}
        key_col = headers[KEY_HEADER]
        rows = {ws.cell(r, key_col).value: r for r in range(3, ws.max_row + 1)}
        for key, fields in values.items():
            if key not in rows:
                continue
            for f, v in fields.items():
                cell = ws.cell(rows[key], headers[INPUT_HEADERS[f]])
                cell.value = _cell_text(f, v)
                if isinstance(v, str) and v.startswith("="):
                    cell.data_type = "s"  # typed as '=… in Excel: text, not a formula
    escapes: dict[str, str] = {}
    for (sheet, ref), v in (raw or {}).items():
        if isinstance(v, str) and any(ord(ch) < 32 and ch not in "\t\n\r" for ch in v):
            # openpyxl refuses control characters; Excel stores them as _xHHHH_ escapes
            marker = f"TZCTRL{len(escapes)}Z"
            escapes[marker] = "".join(f"_x{ord(ch):04X}_" if ord(ch) < 32 else ch for ch in v)
            v = marker
        wb[sheet][ref] = v
    dest.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dest)
    if escapes:
        patch_zip(dest, escapes)
    return dest


def patch_zip(path: Path, replace: dict[str, str]) -> None:
    """Replace text in every XML part of a workbook (in place)."""
    data = {}
    with zipfile.ZipFile(path) as zin:
        infos = zin.infolist()
        for item in infos:
            data[item.filename] = zin.read(item.filename)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in infos:
            body = data[item.filename]
            if item.filename.endswith(".xml"):
                text = body.decode("utf-8")
                for old, new in replace.items():
                    text = text.replace(old, new)
                body = text.encode("utf-8")
            zout.writestr(item, body)


def cell_of(path: Path, key: str, field: str) -> tuple[str, str]:
    """(sheet, cell reference) of one input cell of an issued packet."""
    pf = read_packet(path)
    row = pf.row(key)
    assert row is not None
    return row.sheet, row.cells[field]


# ---------------------------------------------------------------- office app

def office_return(issued: Path, dest: Path, values: Values, period: str,
                  times: int = 1) -> Path:
    """What a clerk with the application sends back: open the issued packet in a new
    office database, save each row through the form's services, export (`times` exports:
    the last one is returned, revision = times)."""
    office_db = open_database(dest.with_suffix(".office.db"))
    try:
        open_packet(office_db, issued)
        for key, fields in values.items():
            if key.startswith("T:"):
                result = save_task(office_db, period, key, fields)
            else:
                result = save_indicator(office_db, period, key, fields)
            blocking = [p for p in result.problems if p.blocking]
            assert not blocking, blocking
        for _ in range(times):
            out = export_packet(office_db, period, dest)
    finally:
        office_db.dispose()
    return out.path


def office_next(previous: Path, dest: Path, values: Values, period: str) -> Path:
    """The same office goes on: reopen the office database behind `previous` (a return
    made by ``office_return`` or ``office_next``), save `values`, export again (its lineage
    continues `previous`)."""
    office_db = open_database(_office_db(previous))
    try:
        for key, fields in values.items():
            save = save_task if key.startswith("T:") else save_indicator
            blocking = [p for p in save(office_db, period, key, fields).problems if p.blocking]
            assert not blocking, blocking
        out = export_packet(office_db, period, dest)
    finally:
        office_db.dispose()
    _OFFICE_DBS[dest] = _office_db(previous)
    return out.path


_OFFICE_DBS: dict[Path, Path] = {}


def _office_db(export: Path) -> Path:
    return _OFFICE_DBS.get(export, export.with_suffix(".office.db"))


# ---------------------------------------------------------------- LibreOffice

def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_resave(src: Path, out_dir: Path) -> Path:
    """`soffice --headless --convert-to xlsx` (what a clerk using LibreOffice sends)."""
    exe = soffice()
    assert exe is not None
    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = out_dir / ".lo-profile"  # its own profile: no clash with a running soffice
    subprocess.run([exe, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(out_dir), str(src.resolve())],
                   check=True, capture_output=True, timeout=180)
    out = out_dir / (src.stem + ".xlsx")
    assert out.is_file(), f"LibreOffice wrote nothing for {src}"
    return out


# ---------------------------------------------------------------- broken files

def zip_with_extra(src: Path, dest: Path, entries: dict[str, bytes]) -> Path:
    """A copy of a workbook with extra zip entries (deflated)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item.filename))
        for name, data in entries.items():
            zout.writestr(name, data)
    return dest


# ---------------------------------------------------------------- three months of returns

LEDGER_PERIODS = ("2021-04", "2021-05", "2021-06")


def town_values(unit: str, period_index: int, keys: list[str]) -> Values:
    """What a town reports in the n-th month: its first six task items, progress rising
    month by month, one item 滞后, and 郑陆镇 going backwards on its first item in month 3."""
    n = TOWNS.index(unit)
    tasks = [k for k in keys if k.startswith("T:")][:6]
    out: Values = {}
    for i, key in enumerate(tasks):
        percent = min(100.0, 10.0 * (period_index + 1) + 5.0 * i + n)
        status = "completed" if percent >= 100 else "in_progress"
        out[key] = {"status": status, "percent": percent,
                    "progress": f"{unit}第{period_index + 1}月:推进第{i + 1}项", "problems": "",
                    "next_steps": "继续推进", "responsible": f"联系人{n}",
                    "phone": f"0519-8888{n:04d}"}
    if period_index == 2 and unit == "郑陆镇":
        out[tasks[0]].update(status="in_progress", percent=5.0, problems="")
    behind_key = tasks[(n + period_index) % len(tasks)]
    if unit in ("雕庄街道", "茶山街道") and period_index == 2:
        out[behind_key].update(status="behind", problems=f"{unit}资金未到位")
    out[tasks[5]].update(status="completed", percent=100.0,
                         completed_on=f"2021-0{4 + period_index}-1{n}")
    return out


def three_months_of_returns(db: Database, folder: Path) -> None:
    """Issue 2021-04..06 to the eight towns/streets and merge what each returned (the
    office application's export), month by month, so carry-forward works as in life."""
    import datetime as dt

    from app.services.district.merge import apply_packets

    for index, period in enumerate(LEDGER_PERIODS):
        issued = issue(db, period, TOWNS, folder)
        returns = []
        for unit, path in issued.items():
            values = town_values(unit, index, row_keys(path))
            returns.append(office_return(path, folder / "returns" / period / f"{unit}.xlsx",
                                         values, period))
        year, month = (int(x) for x in period.split("-"))
        at = dt.datetime(year, month + 1, 3, 10, 0)
        results = apply_packets(db, returns, period=period, received_at=at)
        assert all(r.status == "applied" for r in results), [r.as_json() for r in results]


def older_ledger_rows(packed: bytes, layout: str = "by_key") -> dict[str, Any]:
    """A packed return's ledger row (app/services/district/packed.py) as `Packet.rows`
    held it before 0008: row key → values, the provenance under "@first" keyed by row key
    (`by_key`) or, earlier still, as a list (`list`). Built from the unpacked document
    only, to check the readers of old databases give the same facts."""
    from app.services.district.packed import unpack

    doc = unpack(packed)
    fields = doc["fields"]
    rows: dict[str, Any] = {
        key: dict(zip(fields[key[:2]], values, strict=True)) if isinstance(values, list)
        else dict(values) for key, values in doc["rows"]}
    first = doc.get("first")
    if first:
        created = []
        for item in first["created"]:
            at, target_id, sheet_at, number = item[:4]
            key = doc["rows"][at][0]
            cells = item[4] if len(item) > 4 else [
                [f, f"{first['columns'][sheet_at].get(f, '')}{number}"]
                for f in fields[key[:2]] if rows[key].get(f) not in (None, "")]
            entity = "progress" if key.startswith("T:") else "indicator_value"
            created.append((entity, target_id, key, first["sheets"][sheet_at], cells))
        rows["@first"] = {"actor": first["actor"], **(
            {"by_key": {k: [e, t, s, c] for e, t, k, s, c in created}} if layout == "by_key"
            else {"rows": [[e, t, k, s, c] for e, t, k, s, c in created]})}
    return rows
