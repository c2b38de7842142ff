"""The one rendering routine for printed documents: print preview, printer and PDF.

``render(doc, device)`` paints a ``report_doc.Document`` onto any ``QPagedPaintDevice``
(``QPdfWriter`` for PDF, ``QPrinter`` for printing and the preview), so what the
preview shows is what the printer and the PDF get. Layout follows GB/T 9704-2012: A4,
top margin 37 mm, binding margin 28 mm, a 156 × 225 mm text block of 22 lines × 28
characters in 3号 (16 pt) 仿宋, title in 2号 (22 pt) 小标宋 centred, 一、 headings in 黑体,
(一) headings in 楷体, the issuing office in red above a red rule, page numbers "— 1 —" in
4号 7 mm below the text block (odd pages right, even pages left), the date right-aligned
under the issuing office. Where the official faces are missing the bundled Noto CJK
fonts stand in, and the PDF embeds whatever was used. Charts and wide tables go on
landscape pages (28 mm binding margin, a 247 × 160 mm block).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrameFormat,
    QTextImageFormat,
    QTextLength,
    QTextTable,
    QTextTableFormat,
)

from app.services.reports.document import (
    Block,
    ChartRow,
    Document,
    PageBreak,
    Paragraph,
    Table,
)
from app.services.reports.fonts import (
    BODY_FAMILIES,
    HEADING_FAMILIES,
    KAI_FAMILIES,
    SANS,
    SERIF,
    TITLE_FAMILIES,
    font_files,
)

RED = QColor("#E60012")
BLACK = QColor("#000000")
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28


@dataclass(frozen=True)
class Geometry:
    """Paper and text block of one orientation, in millimetres."""

    landscape: bool
    top: float
    left: float
    width: float
    height: float

    @property
    def paper(self) -> QSizeF:
        return QSizeF(297, 210) if self.landscape else QSizeF(210, 297)


PORTRAIT = Geometry(False, top=37, left=28, width=156, height=225)
LANDSCAPE = Geometry(True, top=24, left=28, width=247, height=160)


def page_layout(landscape: bool) -> QPageLayout:
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                       QPageLayout.Orientation.Landscape if landscape
                       else QPageLayout.Orientation.Portrait,
                       QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)


def _parts(doc: Document) -> list[tuple[bool, list[Block]]]:
    """The blocks split at page breaks, each run with its orientation."""
    parts: list[tuple[bool, list[Block]]] = [(doc.landscape, [])]
    for block in doc.blocks:
        if isinstance(block, PageBreak):
            parts.append((block.landscape, []))
        else:
            parts[-1][1].append(block)
    return [p for p in parts if p[1]]


HEADING_STYLES = ("heading1", "heading2", "subtitle", "center")
LAYOUT_DPI = 96.0  # layout units: Qt's default logical DPI; the painter scales to the device


class _Builder:
    """Lays one run of blocks out as a paginated QTextDocument.

    Layout happens at Qt's default 96 dpi with design (unhinted) metrics, so it is the
    same on every device; ``render`` scales the painter to the printer's or PDF's
    resolution.
    """

    def __init__(self, doc: Document, geo: Geometry, top_space: float) -> None:
        self.doc = doc
        self.dpi = LAYOUT_DPI
        self.geo = geo
        self.text = QTextDocument()
        self.text.setUseDesignMetrics(True)
        self.text.setDocumentMargin(0)
        self.width = self.mm(geo.width)
        self.height = self.mm(geo.height)
        self.text.setPageSize(QSizeF(self.width, self.height))
        self.line = self.height / LINES_PER_PAGE  # GB/T 9704: 22 lines a page
        self.char = self.pt(16)
        self.cursor = QTextCursor(self.text)
        self.first = True
        self.page_break_next = False
        self.top_space = top_space
        self.tables: list[tuple[int, int, QTextTable]] = []  # (block index, first row, table)
        self.signature_block: QTextBlock | None = None
        self.body_blocks: list[tuple[int, QTextBlock]] = []  # (block index, text block)
        self.headings: list[tuple[int, QTextBlock]] = []  # kept with what follows them
        root = self.text.rootFrame().frameFormat()
        root.setMargin(0)
        root.setPadding(0)
        self.text.rootFrame().setFrameFormat(root)

    def mm(self, value: float) -> float:
        return value * self.dpi / 25.4

    def pt(self, value: float) -> float:
        return value * self.dpi / 72.0

    # -------------------------------------------------------- formats

    def char_format(self, families: list[str], size_pt: float, bold: bool = False,
                    color: QColor = BLACK, spaced: bool = False) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setFontFamilies(families)
        fmt.setFontPointSize(size_pt)
        fmt.setFontWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
        fmt.setForeground(QBrush(color))
        if spaced:  # 28 characters of 16 pt across the 156 mm text block
            fmt.setFontLetterSpacingType(QFont.SpacingType.AbsoluteSpacing)
            fmt.setFontLetterSpacing((self.mm(PORTRAIT.width) - CHARS_PER_LINE * self.char)
                                     / CHARS_PER_LINE)
        return fmt

    def block_format(self, align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignJustify,
                     indent_chars: float = 2, line: float | None = None,
                     top: float = 0, bottom: float = 0) -> QTextBlockFormat:
        fmt = QTextBlockFormat()
        fmt.setAlignment(align)
        fmt.setTextIndent(indent_chars * self.char)
        # every line, the block's last included, takes one grid line (22 a page)
        fmt.setLineHeight(line or self.line,
                          QTextBlockFormat.LineHeightTypes.MinimumHeight.value)
        fmt.setTopMargin(top)
        fmt.setBottomMargin(bottom)
        return fmt

    def _new_block(self, bfmt: QTextBlockFormat, cfmt: QTextCharFormat) -> None:
        if self.page_break_next:
            bfmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            self.page_break_next = False
        if self.first:
            self.first = False
            if self.top_space:  # room for the masthead: an empty first line that tall
                # (a block's top margin is dropped at the top of a page)
                spacer = self.block_format(Qt.AlignmentFlag.AlignLeft, 0, line=self.top_space)
                self.cursor.setBlockFormat(spacer)
                self.cursor.setBlockCharFormat(self.char_format(BODY_FAMILIES, 6))
                self.cursor.insertBlock(bfmt, cfmt)
            else:
                self.cursor.setBlockFormat(bfmt)
                self.cursor.setBlockCharFormat(cfmt)
        else:
            self.cursor.insertBlock(bfmt, cfmt)

    # -------------------------------------------------------- blocks

    def title(self, text: str) -> None:
        size = 22.0
        self._new_block(self.block_format(Qt.AlignmentFlag.AlignHCenter, 0,
                                          line=self.pt(size) * 1.5, bottom=self.line),
                        self.char_format(TITLE_FAMILIES, size, bold=True))
        self.cursor.insertText(text, self.char_format(TITLE_FAMILIES, size, bold=True))

    def paragraph(self, p: Paragraph) -> None:
        align = Qt.AlignmentFlag
        body = self.char_format(BODY_FAMILIES, 16, spaced=True)
        if p.style == "heading1":
            bfmt = self.block_format(align.AlignLeft)
            cfmt = self.char_format(HEADING_FAMILIES, 16, spaced=True)
        elif p.style == "heading2":
            bfmt = self.block_format(align.AlignLeft)
            cfmt = self.char_format(KAI_FAMILIES, 16, bold=True, spaced=True)
        elif p.style == "addressee":
            bfmt, cfmt = self.block_format(align.AlignLeft, 0), body
        elif p.style in ("signature", "date"):  # alone; with each other see signature()
            bfmt = self.block_format(align.AlignRight, 0)
            bfmt.setRightMargin(2 * self.char)
            cfmt = body
        elif p.style == "note":
            bfmt = self.block_format(align.AlignLeft, 2, top=self.line)
            cfmt = body
        elif p.style == "center":
            bfmt = self.block_format(align.AlignHCenter, 0)
            cfmt = self.char_format(HEADING_FAMILIES, 14)
        elif p.style == "subtitle":
            bfmt = self.block_format(align.AlignHCenter, 0, line=self.pt(18) * 1.6,
                                     bottom=self.mm(2))
            cfmt = self.char_format(TITLE_FAMILIES, 18, bold=True)
        else:
            bfmt, cfmt = self.block_format(), body
        self._new_block(bfmt, cfmt)
        self.cursor.insertText(p.text, cfmt)

    def signature(self, office: str, date: str) -> None:
        """发文机关署名 右空二字, and under it the 成文日期 whose first character sits two
        characters right of the office's (a longer date is 右空二字 and pushes the office
        left). One unbreakable block: the two lines never part across a page."""
        body = self.char_format(BODY_FAMILIES, 16, spaced=True)
        fm = QFontMetricsF(_font(BODY_FAMILIES, 16, self.dpi))

        def width(text: str) -> float:
            return fm.horizontalAdvance(text) + len(text) * body.fontLetterSpacing()

        two = 2 * self.char
        office_x = self.width - two - width(office)
        date_x = office_x + two
        if date_x + width(date) > self.width - two:
            date_x = self.width - two - width(date)
            office_x = date_x - two
        office_x = max(0.0, office_x)
        bfmt = self.block_format(Qt.AlignmentFlag.AlignLeft, 0, top=self.line)
        bfmt.setLeftMargin(max(0.0, date_x))
        bfmt.setTextIndent(office_x - max(0.0, date_x))
        self._new_block(bfmt, body)
        self.cursor.insertText(office + "\u2028" + date, body)
        self.signature_block = self.cursor.block()

    def table(self, t: Table, index: int, breaks: set[int]) -> None:
        """A ruled table; it starts a new page (with its header again) before every row
        in `breaks`, so that no row is cut in two by a page boundary."""
        cuts = sorted(b for b in breaks if 0 < b < len(t.rows))
        bounds = [0, *cuts, len(t.rows)]
        for part, (first, last) in enumerate(pairwise(bounds)):
            self._new_block(self.block_format(Qt.AlignmentFlag.AlignLeft, 0, line=self.mm(2)),
                            self.char_format(BODY_FAMILIES, 6))
            table = self._table_part(t, first, last, new_page=part > 0)
            self.tables.append((index, first, table))
            self.cursor.movePosition(QTextCursor.MoveOperation.End)

    def _table_part(self, t: Table, first: int, last: int, new_page: bool) -> QTextTable:
        fmt = QTextTableFormat()
        fmt.setBorder(max(1.0, self.pt(0.5)))
        fmt.setBorderBrush(QBrush(BLACK))
        fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
        fmt.setBorderCollapse(True)
        fmt.setCellSpacing(0)
        fmt.setCellPadding(self.mm(1.1))
        fmt.setHeaderRowCount(1)  # repeated at the top of every page
        fmt.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
        total = sum(t.widths)
        fmt.setColumnWidthConstraints([QTextLength(QTextLength.Type.PercentageLength,
                                                   100.0 * w / total) for w in t.widths])
        fmt.setBottomMargin(self.mm(2))
        if new_page:
            fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        table = self.cursor.insertTable(last - first + 1, len(t.headers), fmt)
        head = self.char_format(HEADING_FAMILIES, t.font_pt)
        cell_fmt = self.char_format(BODY_FAMILIES, t.font_pt)
        bold_fmt = self.char_format(BODY_FAMILIES, t.font_pt, bold=True)
        line = self.pt(t.font_pt) * 1.35
        aligns = {"l": Qt.AlignmentFlag.AlignLeft, "c": Qt.AlignmentFlag.AlignHCenter,
                  "r": Qt.AlignmentFlag.AlignRight}
        shade = QColor("#EDEDED")
        for c, text in enumerate(t.headers):
            cell = table.cellAt(0, c)
            cf = cell.format()
            cf.setBackground(QBrush(shade))
            cell.setFormat(cf)
            cur = cell.firstCursorPosition()
            cur.setBlockFormat(self.block_format(Qt.AlignmentFlag.AlignHCenter, 0, line=line))
            cur.insertText(text, head)
        for r in range(first, last):
            fmt_r = bold_fmt if r in t.emphasis else cell_fmt
            for c, text in enumerate(t.rows[r]):
                cur = table.cellAt(r - first + 1, c).firstCursorPosition()
                a = aligns.get(t.align[c] if c < len(t.align) else "l", Qt.AlignmentFlag.AlignLeft)
                cur.setBlockFormat(self.block_format(a, 0, line=line))
                cur.insertText(text, fmt_r)
        return table

    def lonely_signature(self) -> int | None:
        """GB/T 9704 keeps the signature and date together and never on a page without
        body text: the block index of the body paragraph to move to the next page with
        them, if the layout parts them."""
        block = self.signature_block
        if block is None or not self.body_blocks:
            return None
        layout = self.text.documentLayout()
        lines = block.layout()
        top = layout.blockBoundingRect(block).top()
        first = top + lines.lineAt(0).y()
        last = top + lines.lineAt(lines.lineCount() - 1).rect().bottom()
        index, prev = self.body_blocks[-1]
        prev_rect = layout.blockBoundingRect(prev)
        prev_lines = prev.layout()
        prev_last = prev_rect.top() + prev_lines.lineAt(prev_lines.lineCount() - 1).y()
        page = int(first // self.height)
        if page != int((last - 0.5) // self.height) or int(prev_last // self.height) != page:
            return index
        return None

    def first_cut_row(self) -> tuple[int, int] | None:
        """The first table row (block index, row index) a page boundary cuts through."""
        layout = self.text.documentLayout()
        for index, first, table in self.tables:
            for r in range(2, table.rows()):  # the first row of a part moves nowhere better
                top, bottom = float("inf"), 0.0
                for c in range(table.columns()):
                    cell = table.cellAt(r, c)
                    top = min(top, layout.blockBoundingRect(
                        cell.firstCursorPosition().block()).top())
                    bottom = max(bottom, layout.blockBoundingRect(
                        cell.lastCursorPosition().block()).bottom())
                if bottom - top >= self.height * 0.8:
                    continue  # taller than a page: it has to be cut anyway
                if int(top // self.height) != int((bottom - 0.5) // self.height):
                    return index, first + r - 1
        return None

    def stranded_heading(self) -> int | None:
        """The block index of the first heading a page boundary parts from what follows it
        (the next paragraph's first line, or a table's header and first row)."""
        layout = self.text.documentLayout()
        for index, block in self.headings:
            lines = block.layout()
            page = int((layout.blockBoundingRect(block).top() + lines.lineAt(0).y())
                       // self.height)
            nxt = block.next()
            bottom: float | None = None
            while nxt.isValid():
                table = QTextCursor(nxt).currentTable()
                if table is not None:
                    row = min(1, table.rows() - 1)
                    bottom = max(layout.blockBoundingRect(
                        table.cellAt(row, c).lastCursorPosition().block()).bottom()
                        for c in range(table.columns()))
                    break
                if nxt.text().strip():
                    first = nxt.layout().lineAt(0)
                    bottom = layout.blockBoundingRect(nxt).top() + first.rect().bottom()
                    break
                nxt = nxt.next()
            if bottom is not None and int((bottom - 0.5) // self.height) != page:
                return index
        return None

    def charts(self, row: ChartRow) -> None:
        self._new_block(self.block_format(Qt.AlignmentFlag.AlignHCenter, 0, line=self.mm(1)),
                        self.char_format(BODY_FAMILIES, 6))
        fmt = QTextTableFormat()
        fmt.setBorder(0)
        fmt.setCellSpacing(0)
        fmt.setCellPadding(self.mm(1))
        fmt.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        table = self.cursor.insertTable(1, len(row.charts), fmt)
        for c, chart in enumerate(row.charts):
            png = self.doc.images.get(chart.name)
            cur = table.cellAt(0, c).firstCursorPosition()
            if not png:
                cur.insertText(f"[{chart.name}]")
                continue
            image = QImage.fromData(png)
            url = QUrl(f"chart:{chart.name}")
            self.text.addResource(QTextDocument.ResourceType.ImageResource, url, image)
            img = QTextImageFormat()
            img.setName(url.toString())
            img.setWidth(self.mm(chart.width_mm))
            img.setHeight(self.mm(chart.height_mm))
            cur.insertImage(img)
        self.cursor.movePosition(QTextCursor.MoveOperation.End)

    def build(self, blocks: list[Block], title: str | None,
              breaks: dict[int, set[int]] | None = None,
              keep: set[int] | None = None) -> QTextDocument:
        breaks = breaks or {}
        keep = keep or set()
        if title:
            self.title(title)
        skip = -1
        for index, b in enumerate(blocks):
            if index == skip:
                continue
            nxt = blocks[index + 1] if index + 1 < len(blocks) else None
            if isinstance(b, Paragraph) and b.style == "signature" and \
                    isinstance(nxt, Paragraph) and nxt.style == "date":
                self.signature(b.text, nxt.text)
                skip = index + 1
            elif isinstance(b, Paragraph):
                if index in keep:  # to a new page: a heading with its text, a signature
                    # with the last body paragraph
                    self.page_break_next = True
                self.paragraph(b)
                if b.style == "body":
                    self.body_blocks.append((index, self.cursor.block()))
                elif b.style in HEADING_STYLES:
                    self.headings.append((index, self.cursor.block()))
            elif isinstance(b, Table):
                self.table(b, index, breaks.get(index, set()))
            elif isinstance(b, ChartRow):
                self.charts(b)
        return self.text


def _layout(doc: Document, geo: Geometry, top_space: float, blocks: list[Block],
            title: str | None) -> tuple[_Builder, QTextDocument]:
    """Lay a run of blocks out, moving each table row that a page boundary would cut to
    the next page (its header repeated), then each heading a boundary would leave at the
    foot of a page: one pass per move, first to last, since a move shifts only what
    follows it."""
    breaks: dict[int, set[int]] = {}
    keep: set[int] = set()
    for _ in range(200):
        builder = _Builder(doc, geo, top_space)
        text = builder.build(blocks, title, breaks, keep)
        cut = builder.first_cut_row()
        if cut is not None:
            breaks.setdefault(cut[0], set()).add(cut[1])
            continue
        heading = builder.stranded_heading()
        if heading is not None and heading not in keep:
            keep.add(heading)  # the heading starts the next page; later cuts are redone
            breaks = {k: v for k, v in breaks.items() if k < heading}
            continue
        lonely = builder.lonely_signature()
        if lonely is None or lonely in keep:
            break
        keep.add(lonely)
    return builder, text


def _font(families: list[str], size_pt: float, dpi: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(families)
    font.setPixelSize(max(1, round(size_pt * dpi / 72.0)))
    font.setBold(bold)
    return font


def _masthead_height(doc: Document) -> float:
    return 0.0 if not doc.masthead else (24 + 4 + 1 + 12) * LAYOUT_DPI / 25.4


def _draw_masthead(painter: QPainter, doc: Document, geo: Geometry) -> None:
    """发文机关标志 in red, centred, fitted to the text block, and the red rule under it."""
    dpi = LAYOUT_DPI

    def mm(v: float) -> float:
        return v * dpi / 25.4

    width = mm(geo.width)
    size_pt = 30.0
    font = _font(TITLE_FAMILIES, size_pt, dpi, bold=True)
    fm = QFontMetricsF(font)
    # mastheads are set condensed rather than small: narrow the type down to 60 %, then
    # reduce its size
    while fm.horizontalAdvance(doc.masthead) * 0.6 > width and size_pt > 12:
        size_pt -= 1
        font = _font(TITLE_FAMILIES, size_pt, dpi, bold=True)
        fm = QFontMetricsF(font)
    advance = fm.horizontalAdvance(doc.masthead)
    squeeze = min(1.0, width / advance) if advance else 1.0
    painter.save()
    painter.setFont(font)
    painter.setPen(QPen(RED))
    painter.translate(mm(geo.left) + (width - advance * squeeze) / 2, mm(geo.top + 24) - fm.descent())
    painter.scale(squeeze, 1.0)
    painter.drawText(QPointF(0, 0), doc.masthead)
    painter.restore()
    y = mm(geo.top + 24 + 4)
    painter.fillRect(QRectF(mm(geo.left), y, width, mm(0.8)), RED)


def _draw_page_number(painter: QPainter, number: int, geo: Geometry) -> None:
    """'— 1 —' in 4号, 7 mm under the text block; odd pages right, even left (空一字)."""
    dpi = LAYOUT_DPI

    def mm(v: float) -> float:
        return v * dpi / 25.4

    font = _font([SERIF], 14, dpi)
    painter.setFont(font)
    painter.setPen(QPen(BLACK))
    text = f"— {number} —"
    one = 14 * dpi / 72.0
    fm = QFontMetricsF(font)
    y = mm(geo.top + geo.height + 7) + fm.ascent()
    w = fm.horizontalAdvance(text)
    x = mm(geo.left + geo.width) - one - w if number % 2 else mm(geo.left) + one
    painter.drawText(QPointF(x, y), text)


def ensure_fonts() -> None:
    """Register the bundled fonts with Qt if nobody has yet (tests, the command line)."""
    from PySide6.QtGui import QFontDatabase

    known = set(QFontDatabase.families())
    if SANS in known and SERIF in known:
        return
    for path in font_files():
        QFontDatabase.addApplicationFont(str(path))


def _draw_page(painter: QPainter, text: QTextDocument, builder: _Builder, page: int) -> None:
    """One page of the paginated document.

    Paragraph lines are drawn one by one, each on the page its top edge is on:
    QTextDocument.drawContents (QTextLayout::draw) also draws the last line above its clip
    rectangle, so a paragraph running over a page break would appear again, invisible but
    still in the PDF's text, at the top of the next page. Tables (whose rows are never cut)
    are drawn by the document layout, clipped to the table.
    """
    top = page * builder.height
    bottom = top + builder.height
    page_rect = QRectF(0, top, builder.width, builder.height)
    painter.setClipRect(page_rect)
    layout = text.documentLayout()
    items: list[tuple[float, object]] = []  # in reading order, so the PDF's text is too
    block = text.begin()
    while block.isValid():
        if QTextCursor(block).currentTable() is None:
            items.append((block.layout().position().y(), block))
        block = block.next()
    for frame in text.rootFrame().childFrames():
        area = layout.frameBoundingRect(frame).intersected(page_rect)
        if not area.isEmpty():
            items.append((area.top(), area))
    for _, item in sorted(items, key=lambda pair: pair[0]):
        if isinstance(item, QRectF):
            ctx = QAbstractTextDocumentLayout.PaintContext()
            ctx.clip = item
            painter.save()
            painter.setClipRect(item)
            layout.draw(painter, ctx)
            painter.restore()
            continue
        assert isinstance(item, QTextBlock)
        lines = item.layout()
        origin = lines.position()
        for i in range(lines.lineCount()):
            line = lines.lineAt(i)
            if top - 0.5 <= origin.y() + line.y() < bottom - 0.5:
                line.draw(painter, origin)


def render(doc: Document, device: QPagedPaintDevice, *, turn_landscape: bool = False) -> int:
    """Paint `doc` page by page onto `device`; returns the number of pages.

    The device must print the full page (``QPrinter.setFullPage(True)``; ``QPdfWriter``
    with zero margins): this routine places everything itself in millimetres.

    Landscape runs (charts, wide tables) become landscape pages, or with `turn_landscape`
    (the printer and its preview, which keep one paper orientation per job) in a document
    that also has portrait pages are turned a quarter left onto portrait paper, their top towards the binding edge as GB/T 9704 lays
    out 横排表格, with the page number where every other page has it.
    """
    ensure_fonts()
    parts = _parts(doc)
    # all landscape (the 单位报告): landscape paper, drawn upright, not turned sideways
    turn_landscape = turn_landscape and any(not landscape for landscape, _ in parts)
    painter: QPainter | None = None
    number = 0
    try:
        for index, (landscape, blocks) in enumerate(parts):
            geo = LANDSCAPE if landscape else PORTRAIT
            turn = landscape and turn_landscape
            paper_landscape = landscape and not turn
            if painter is None:
                device.setPageLayout(page_layout(paper_landscape))
                painter = QPainter()
                if not painter.begin(device):
                    raise OSError("无法开始绘制(打印机或文件不可用)。")
            else:
                if not turn_landscape:  # a PDF takes a new orientation for the next page
                    device.setPageOrientation(QPageLayout.Orientation.Landscape if landscape
                                              else QPageLayout.Orientation.Portrait)
                device.newPage()
            scale = device.logicalDpiY() / LAYOUT_DPI
            top_space = _masthead_height(doc) if index == 0 else 0.0
            builder, text = _layout(doc, geo, top_space, blocks,
                                    doc.title if index == 0 else None)
            pages = max(1, text.pageCount())
            for page in range(pages):
                if page:
                    device.newPage()
                number += 1
                painter.save()
                painter.scale(scale, scale)
                painter.save()
                if turn:  # landscape x runs up the portrait page, y to the right
                    painter.translate(0, builder.mm(PORTRAIT.paper.height()))
                    painter.rotate(-90)
                if index == 0 and page == 0 and doc.masthead:
                    _draw_masthead(painter, doc, geo)
                painter.translate(builder.mm(geo.left), builder.mm(geo.top) - page * builder.height)
                _draw_page(painter, text, builder, page)
                painter.restore()
                _draw_page_number(painter, number, PORTRAIT if turn else geo)
                painter.restore()
            del builder, text
    finally:
        if painter is not None and painter.isActive():
            painter.end()
    return number


def pdf_writer(path: str | Path, title: str, resolution: int = 600) -> QPdfWriter:
    writer = QPdfWriter(str(path))
    writer.setResolution(resolution)
    writer.setTitle(title)
    writer.setCreator("台账 Taizhang")
    writer.setPageLayout(page_layout(False))
    return writer


def write_pdf(doc: Document, path: str | Path) -> int:
    """The document as a PDF file with its fonts embedded; returns the page count."""
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    with tmp.open("wb"):  # a missing folder or no permission fails here, plainly
        pass
    writer = pdf_writer(tmp, doc.title)
    try:
        pages = render(doc, writer)
    except BaseException:
        del writer
        tmp.unlink(missing_ok=True)
        raise
    del writer  # closes the file
    os.replace(tmp, path)
    return pages


def ensure_gui_application() -> QGuiApplication:
    """A QGuiApplication for headless rendering (the `report --pdf` command): offscreen
    when there is no display, with the bundled fonts registered."""
    app = QGuiApplication.instance()
    if app is None:
        if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY")
                                                     or os.environ.get("WAYLAND_DISPLAY")):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication(sys.argv[:1])
    ensure_fonts()
    assert isinstance(app, QGuiApplication)
    return app
