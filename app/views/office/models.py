"""The clerk's task list: one row per task item, its state visible at a glance.

State is presentation of what the office service reports (status, whether anything is
filled, whether the pre-flight found a problem); the list never judges values itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QRectF,
    QSize,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from app.core.vocab import STATUS_LABELS
from app.views.i18n import vocab_tr

translate = QCoreApplication.translate

Index = QModelIndex | QPersistentModelIndex
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 20
STATE_ROLE = Qt.ItemDataRole.UserRole + 21

# state → (colour, label); "empty" is nothing entered, "invalid" a pre-flight problem
STATE_COLOURS = {
    "empty": "#9aa0a6",
    "not_started": "#6b7280",
    "in_progress": "#1a73e8",
    "completed": "#2e7d32",
    "ongoing": "#00897b",
    "behind": "#d32f2f",
    "invalid": "#e65100",
}
TODO_COLOUR = "#b45309"
STATE_GLYPHS = {"empty": "○", "not_started": "○", "in_progress": "◐", "completed": "●",
                "ongoing": "●", "behind": "!", "invalid": "!"}


@dataclass(frozen=True)
class ListEntry:
    """One task item as the list shows it (built from the office service's task)."""

    key: str  # row key "T:<uid>"
    code: str
    title: str
    section: str
    status: str | None
    percent: float | None
    missing: tuple[str, ...] = ()  # labels of what the pre-flight still lists
    invalid: bool = False  # the form holds input the service refused (not stored)
    search_text: str = ""

    @property
    def state(self) -> str:
        if self.invalid:
            return "invalid"
        if self.status is None:
            return "empty"
        return self.status

    @property
    def complete(self) -> bool:
        return not self.missing and not self.invalid

    def state_label(self) -> str:
        if self.invalid:
            return translate("TaskList", "填写有误,未保存")
        text = vocab_tr(STATUS_LABELS.get(self.status or "", "未填"))
        if self.percent is not None and self.status is not None:
            text += f" {self.percent:g}%"
        if self.missing and self.status is not None:
            text += (" · " + translate("TaskList", "待填:")
                     + translate("TaskList", "、").join(self.missing))
        return text


def state_icon(state: str, size: int = 18) -> QIcon:
    """A small painted badge (crisper than font glyphs, identical on every system)."""
    ratio = 2
    pix = QPixmap(size * ratio, size * ratio)
    pix.setDevicePixelRatio(ratio)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    try:
        _paint_badge(p, state, size)
    finally:
        p.end()
    return QIcon(pix)


def _paint_badge(p: QPainter, state: str, size: int) -> None:
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(STATE_COLOURS.get(state, "#9aa0a6"))
    r = QRectF(2, 2, size - 4, size - 4)
    pen = QPen(colour, 1.8)
    if state in ("empty", "not_started"):
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(r)
        if state == "not_started":
            p.setBrush(colour)
            p.drawEllipse(r.center(), 2.0, 2.0)
    elif state == "in_progress":
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(r)
        half = QPainterPath()
        half.moveTo(r.center())
        half.arcTo(r, 90, 180)
        half.closeSubpath()
        p.fillPath(half, colour)
    elif state in ("completed", "ongoing"):
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawEllipse(r)
        white = QPen(QColor("white"), 1.8)
        white.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(white)
        c = r.center()
        if state == "completed":
            p.drawPolyline([QPointF(c.x() - 3.5, c.y()), QPointF(c.x() - 1, c.y() + 2.6),
                            QPointF(c.x() + 3.8, c.y() - 2.8)])
        else:
            p.drawEllipse(QPointF(c.x() - 2.2, c.y()), 2.0, 1.6)
            p.drawEllipse(QPointF(c.x() + 2.2, c.y()), 2.0, 1.6)
    else:  # behind / invalid
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawEllipse(r)
        white = QPen(QColor("white"), 2.0)
        white.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(white)
        c = r.center()
        p.drawLine(QPointF(c.x(), c.y() - 4), QPointF(c.x(), c.y() + 1))
        p.drawPoint(QPointF(c.x(), c.y() + 3.8))


class TaskListModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.entries: list[ListEntry] = []
        self._icons: dict[str, QIcon] = {}

    def set_entries(self, entries: Sequence[ListEntry]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()

    def update_entry(self, entry: ListEntry) -> None:
        """Replace one entry in place (after an autosave) without resetting the view."""
        for row, old in enumerate(self.entries):
            if old.key == entry.key:
                self.entries[row] = entry
                idx = self.index(row, 0)
                self.dataChanged.emit(idx, idx)
                return

    def row_of(self, key: Any) -> int:
        return next((i for i, e in enumerate(self.entries) if e.key == key), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def icon(self, state: str) -> QIcon:
        if state not in self._icons:
            self._icons[state] = state_icon(state)
        return self._icons[state]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        e = self.entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{e.code}  {e.title}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self.icon(e.state)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(x for x in (f"{e.code} {e.title}", e.section, e.state_label())
                             if x)
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return e.state_label()
        if role == ENTRY_ROLE:
            return e
        if role == STATE_ROLE:
            return e.state
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | \
            Qt.ItemFlag.ItemNeverHasChildren


FILTERS = ("all", "todo", "behind")


class TaskFilterProxy(QSortFilterProxyModel):
    """全部 / 未填 (nothing entered or a problem) / 滞后, and free-text search."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.mode = "all"
        self.words: list[str] = []
        self.pinned: Any = None  # the item being edited stays visible while it changes

    def set_filter(self, mode: str | None = None, text: str | None = None) -> None:
        self.beginFilterChange()
        if mode is not None:
            self.mode = mode
            self.pinned = None  # a new filter shows exactly what it asks for
        if text is not None:
            self.words = text.lower().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_pinned(self, key: Any) -> None:
        """Keep `key` visible from now on; no re-filtering here (this is called while the
        view changes its current row, possibly inside a filter change)."""
        self.pinned = key

    def accepts(self, e: ListEntry) -> bool:
        if self.words:
            hay = f"{e.code} {e.title} {e.section} {e.search_text}".lower()
            if not all(w in hay for w in self.words):
                return False
        if e.key == self.pinned and self.pinned is not None:
            return True
        if self.mode == "todo":
            return not e.complete
        if self.mode == "behind":
            return e.state == "behind"
        return True

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        entry = model.data(model.index(source_row, 0, source_parent), ENTRY_ROLE)
        return entry is not None and self.accepts(entry)

    def entry(self, row: int) -> ListEntry | None:
        value = self.data(self.index(row, 0), ENTRY_ROLE)
        return value if isinstance(value, ListEntry) else None

    def row_of(self, key: Any) -> int:
        return next((r for r in range(self.rowCount())
                     if (e := self.entry(r)) is not None and e.key == key), -1)


class TaskItemDelegate(QStyledItemDelegate):
    """Two lines per task: badge, code and title; then the state in its colour."""

    def __init__(self, parent: QWidget | None = None,
                 tr: Callable[[str], str] | None = None) -> None:
        super().__init__(parent)
        self._tr = tr or (lambda s: s)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        fm = option.fontMetrics
        return QSize(200, fm.height() * 2 + 16)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        entry = index.data(ENTRY_ROLE)
        if not isinstance(entry, ListEntry):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        painter.save()
        rect: QRect = opt.rect
        state = opt.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(rect, QColor("#e3edfd"))
            painter.fillRect(QRect(rect.left(), rect.top(), 3, rect.height()), QColor("#1a73e8"))
        elif state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, QColor("#f3f4f6"))
        painter.setPen(QColor("#eceef1"))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())

        fm = opt.fontMetrics
        line_h = fm.height()
        top = rect.top() + 7
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        if isinstance(icon, QIcon):
            icon.paint(painter, QRect(rect.left() + 10, top + (line_h - 18) // 2, 18, 18))
        x = rect.left() + 36
        code_font = QFont(opt.font)
        code_font.setBold(True)
        painter.setFont(code_font)
        painter.setPen(QColor("#1f2328"))
        bold = painter.fontMetrics()
        code_w = max(bold.horizontalAdvance("8.8.8.8") + 10,
                     bold.horizontalAdvance(entry.code) + 10)
        painter.drawText(QRect(x, top, code_w, line_h),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         entry.code)
        painter.setFont(opt.font)
        title_rect = QRect(x + code_w, top, rect.right() - x - code_w - 8, line_h)
        painter.drawText(title_rect,
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         fm.elidedText(entry.title, Qt.TextElideMode.ElideRight,
                                       title_rect.width()))
        small = QFont(opt.font)
        small.setPointSizeF(max(opt.font.pointSizeF() * 0.88, 8))
        painter.setFont(small)
        second = QRect(x + code_w, top + line_h + 2, rect.right() - x - code_w - 8, line_h)
        sfm = painter.fontMetrics()
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if entry.invalid:
            parts = [(translate("TaskList", "填写有误,未保存"), STATE_COLOURS["invalid"])]
        else:
            status = vocab_tr(STATUS_LABELS.get(entry.status or "", "未填"))
            if entry.percent is not None and entry.status is not None:
                status += f" {entry.percent:g}%"
            parts = [(status, STATE_COLOURS.get(entry.state, "#6b7280"))]
            if entry.missing and entry.status is not None:
                todo = translate("TaskList", "、").join(entry.missing)
                parts.append((" · " + translate("TaskList", "待填:") + todo, TODO_COLOUR))
        left = second.left()
        for text, colour in parts:
            room = second.right() - left
            if room <= 0:
                break
            shown = sfm.elidedText(text, Qt.TextElideMode.ElideRight, room)
            painter.setPen(QColor(colour))
            painter.drawText(QRect(left, second.top(), room, line_h), flags, shown)
            left += sfm.horizontalAdvance(shown)
        painter.restore()


__all__ = ["ENTRY_ROLE", "FILTERS", "STATE_ROLE", "ListEntry", "QBrush", "TaskFilterProxy",
           "TaskItemDelegate", "TaskListModel", "state_icon"]
