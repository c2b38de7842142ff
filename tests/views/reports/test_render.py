"""One renderer for preview, printer and PDF: the 通报 as a PDF a reader can check."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from progress_seed import (  # noqa: F401
    LAST,
    MISSING,
    seeded_fixture,
    seeded_path_fixture,
    seeded_template_fixture,
)

from app.services.db import Database
from app.services.reports.document import build_bulletin, build_reminder, build_unit_report
from app.views.reports.render import render, write_pdf

DATE = dt.date(2023, 2, 8)
poppler = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdffonts")
                             is None, reason="poppler-utils not installed")


def pdftext(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    return out


def flat(text: str) -> str:
    """Without line breaks and with ASCII punctuation, so wrapped lines compare whole."""
    return "".join(text.split()).translate(str.maketrans("，；：（）", ",;:()"))


def page_sizes(path: Path) -> list[tuple[float, float]]:
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(path)], capture_output=True,
                         text=True, check=True).stdout
    return [(float(w), float(h)) for w, h in
            re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out)]


@poppler
def test_bulletin_pdf_has_title_missing_units_behind_tasks_and_embedded_fonts(
        qapp: object, seeded: Database, tmp_path: Path) -> None:
    doc = build_bulletin(seeded, LAST, 1, date=DATE)
    path = tmp_path / "通报.pdf"
    pages = write_pdf(doc, path)
    text = flat(pdftext(path))
    s = doc.summary
    assert flat(s.plan.title) in text
    assert flat(doc.title) in text
    assert doc.masthead in text
    for name in MISSING[LAST]:
        assert name in text
    assert {u.name for u in s.units if u.state == "missing"} == set(MISSING[LAST])
    assert s.behind
    for b in s.behind:
        assert flat(f"{b.code}{b.title}") in text, b.code
        for e in b.entries:
            assert flat(e.problems) in text
    assert "2023年2月8日" in text
    assert "—1—" in text and f"—{pages}—" in text  # GB/T 9704 page numbers
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts, "no fonts in the PDF"
    for line in fonts:
        assert line.split()[-5] == "yes", line  # the "emb" column
    sizes = page_sizes(path)
    assert len(sizes) == pages
    a4 = (595.0, 842.0)
    assert all(abs(w - a4[0]) < 2 and abs(h - a4[1]) < 2 for w, h in sizes[:pages - 2])
    assert all(abs(w - a4[1]) < 2 and abs(h - a4[0]) < 2 for w, h in sizes[-2:])  # appendix


@poppler
def test_printer_and_pdf_writer_get_the_same_pages(qapp: object, seeded: Database,
                                                   tmp_path: Path) -> None:
    from PySide6.QtPrintSupport import QPrinter

    doc = build_reminder(seeded, LAST, 1, date=DATE)
    pdf = tmp_path / "a.pdf"
    pages = write_pdf(doc, pdf)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "b.pdf"))
    printer.setFullPage(True)
    assert render(doc, printer) == pages
    assert flat(pdftext(pdf)) == flat(pdftext(tmp_path / "b.pdf"))
    for name in MISSING[LAST]:
        assert name in flat(pdftext(pdf))


@poppler
def test_unit_report_pdf_is_landscape(qapp: object, seeded: Database, tmp_path: Path) -> None:
    doc = build_unit_report(seeded, LAST, "郑陆镇", 1, date=DATE)
    path = tmp_path / "u.pdf"
    write_pdf(doc, path)
    assert all(w > h for w, h in page_sizes(path))
    text = flat(pdftext(path))
    assert "郑陆镇2023年1月任务进展情况" in text and "2.2.1.5" in text


def test_unwritable_target_fails_cleanly(qapp: object, seeded: Database, tmp_path: Path) -> None:
    doc = build_reminder(seeded, LAST, 1, date=DATE)
    target = tmp_path / "missing-folder" / "x.pdf"
    with pytest.raises(OSError):
        write_pdf(doc, target)
    assert not target.exists() and not target.parent.exists()


HEADING = re.compile(r"^\s*([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


def page_texts(path: Path) -> list[str]:
    count = len(page_sizes(path))
    return [subprocess.run(["pdftotext", "-layout", "-f", str(i), "-l", str(i), str(path), "-"],
                           capture_output=True, text=True, check=True).stdout
            for i in range(1, count + 1)]


def assert_pages_whole(path: Path, tables: list[Any]) -> int:
    """Read a PDF back page by page: under a table header repeated at the top of a page comes
    a whole row (its number or code first), never the rest of a row cut by the page before
    (pdftotext prints such a rest above or below the header); no page ends with a heading.
    Returns the number of pages a table continues on."""
    header_texts = {"".join(h.split()) for t in tables for h in t.headers}
    firsts = {row[0].split()[0] for t in tables for row in t.rows if row and row[0].strip()}

    def is_header(line: str) -> bool:
        return all(any(w in h for h in header_texts) for w in line.split())

    continued = 0
    for number, text in enumerate(page_texts(path), start=1):
        lines = [line for line in text.splitlines() if line.strip()]
        body = [line for line in lines if not re.fullmatch(r"\s*—\s*\d+\s*—\s*", line)]
        if not body:
            continue  # a page of charts (images)
        assert not HEADING.match(body[-1]), f"page {number} ends with a heading"
        starts = [i for i, line in enumerate(body[:3]) if is_header(line)
                  and line.split()[0] in {t.headers[0] for t in tables}]
        if not starts:
            continue  # the page does not start with a table
        assert starts[0] == 0, f"page {number}: the rest of a cut row above the header"
        rest = iter(body)
        line = next(rest)
        while is_header(line):
            line = next(rest)  # the repeated header (its cells may wrap)
        first = line.split()[0]
        assert any(first == f or first.startswith(f) for f in firsts), \
            f"page {number} starts with the rest of a cut row: {line.strip()!r}"
        continued += 1
    return continued


@poppler
def test_no_table_row_is_split_and_no_heading_ends_a_page(
        qapp: object, seeded: Database, tmp_path: Path) -> None:
    from app.services.reports.document import Paragraph, Table

    doc = build_bulletin(seeded, LAST, 1, date=DATE)
    path = tmp_path / "通报.pdf"
    write_pdf(doc, path)
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert assert_pages_whole(path, tables) >= 3  # tables do run over pages in this 通报
    # rows of 2 to 8 lines: without moving rows, page boundaries cut through them
    text = "持续推进工业污染源全面达标排放,结合化工企业专项整治目标,完成重点企业挥发性有机物治理。"
    table = Table(("序号", "单位", "进展"),
                  tuple((f"{i}", f"单位{i}", text * (1 + i % 4)) for i in range(1, 41)), (1, 2, 6))
    synthetic = dataclasses.replace(doc, masthead="", blocks=[
        Paragraph("一、总体情况", "heading1"), Paragraph("正文。" * 30), table,
        Paragraph("二、下步工作", "heading1"), Paragraph("正文。" * 20)])
    write_pdf(synthetic, path)
    assert assert_pages_whole(path, [table]) >= 3


@poppler
def test_unit_report_preview_is_not_turned(qapp: object, seeded: Database) -> None:
    """A document all in landscape goes onto landscape paper upright, also for the printer
    and its preview (which turn landscape pages of a mixed document onto portrait paper)."""
    from PySide6.QtGui import QPageLayout
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setFullPage(True)
    printer.setOutputFileName(str(Path(seeded.url.database or "").with_name("p.pdf")))
    render(build_unit_report(seeded, LAST, "郑陆镇", 1, date=DATE), printer, turn_landscape=True)
    assert printer.pageLayout().orientation() == QPageLayout.Orientation.Landscape
    assert all(w > h for w, h in page_sizes(Path(printer.outputFileName())))
