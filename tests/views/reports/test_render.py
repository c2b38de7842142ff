"""One renderer for preview, printer and PDF: the 通报 as a PDF a reader can check."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

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
