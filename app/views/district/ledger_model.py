"""The 台账 grid as a table model: task items × units over one ``LedgerGrid``.

Filtering is done here, not in a proxy: rows (tasks) and columns (units) are both
filtered, and the counts row/column follow what is visible. Nothing here queries the
database; ``set_grid`` takes the service's plain dataclasses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.core.vocab import STATUS_LABELS
from app.services.district.ledger import LedgerCell, LedgerGrid, LedgerTask, LedgerUnit
from app.views.i18n import vocab_tr

Index = QModelIndex | QPersistentModelIndex

SYMBOLS = {"not_started": "○", "in_progress": "◐", "completed": "●", "behind": "!",
           "ongoing": "∞"}
ARROWS = {"up": "↑", "down": "↓", "status": "↕", "new": "+"}
BACKGROUNDS = {"completed": "#DDF3DD", "in_progress": "#E3F0FD", "behind": "#FFD9D6",
               "ongoing": "#EDE7F6", "not_started": "#F2F2F2", "closed": "#E0E0E0",
               "unreported": "#FFFFFF", "overdue": "#FFE9D6"}
COUNT_BACKGROUND = "#F5F5F0"
TOWN_KINDS = ("town", "street", "zone")


@dataclass(frozen=True)
class LedgerFilter:
    """What the page's filter bar chose."""

    units: str = "all"  # all / towns / departments / role:<role> / unit:<id>
    section_ids: frozenset[int] | None = None  # None: every section
    behind_only: bool = False
    unreported_only: bool = False
    changed_only: bool = False
    text: str = ""


def cell_text(cell: LedgerCell, tr: Callable[[str], str]) -> str:
    """◐ 60↑ ✓ — the state of one cell at a glance."""
    if cell.closed:
        return "● " + tr("销号")
    if cell.status is None:
        return "○"
    text = SYMBOLS.get(cell.status, "")
    if cell.percent is not None:
        text += f" {cell.percent:g}"
    elif cell.status in ("completed", "ongoing", "not_started"):
        text += " " + vocab_tr(STATUS_LABELS[cell.status])
    text += ARROWS.get(cell.changed or "", "")
    if cell.edited:
        text += " ✎"
    if cell.approved:
        text += " ✓"
    return text


def cell_colour(cell: LedgerCell) -> str:
    if cell.closed:
        return BACKGROUNDS["closed"]
    if cell.behind == "overdue":
        return BACKGROUNDS["overdue"]
    return BACKGROUNDS.get(cell.status or "unreported", "#FFFFFF")


@dataclass(frozen=True)
class Arrangement:
    """What of a grid a filter shows: rows, columns, their counts and the cells; plain
    data, so the page works it out off the GUI thread with the grid itself."""

    grid: LedgerGrid | None
    filter: LedgerFilter
    tasks: list[LedgerTask]
    units: list[LedgerUnit]
    row_counts: list[tuple[int, int]]  # per visible task: reported, assigned
    col_counts: list[tuple[int, int]]  # per visible unit
    total: tuple[int, int]
    cells: dict[tuple[int, int], LedgerCell]  # those of the role chosen (all: the grid's)


def _unit_visible(f: str, u: LedgerUnit, roles: dict[int, set[str]]) -> bool:
    if f == "towns":
        return u.kind in TOWN_KINDS
    if f == "departments":
        return u.kind not in TOWN_KINDS
    if f.startswith("role:"):
        return f[5:] in roles.get(u.id, set())
    if f.startswith("unit:"):
        return str(u.id) == f[5:]
    return True


def arrange(grid: LedgerGrid | None, f: LedgerFilter) -> Arrangement:
    """The rows and columns `f` shows of `grid`, with the counts of what is visible (a
    closed item counts as reported)."""
    if grid is None:
        return Arrangement(None, f, [], [], [], [], (0, 0), {})
    role = f.units[5:] if f.units.startswith("role:") else None
    roles: dict[int, set[str]] = {}
    if role is not None:
        for (_, uid), c in grid.cells.items():
            roles.setdefault(uid, set()).add(c.role)
    units = [u for u in grid.units if _unit_visible(f.units, u, roles)]
    unit_ids = [u.id for u in units]
    text = f.text.strip().lower()
    col_rep = dict.fromkeys(unit_ids, 0)
    col_all = dict.fromkeys(unit_ids, 0)
    cells = grid.cells
    shown: dict[tuple[int, int], LedgerCell] = cells if role is None else {}
    tasks: list[LedgerTask] = []
    row_counts: list[tuple[int, int]] = []
    for t in grid.tasks:
        if f.section_ids is not None and t.section_id not in f.section_ids:
            continue
        if text and text not in t.code.lower() and text not in t.title.lower():
            continue
        row = [x for uid in unit_ids if (x := cells.get((t.id, uid))) is not None
               and (role is None or x.role == role)]
        if f.behind_only and not any(c.behind for c in row):
            continue
        if f.unreported_only and not any(c.status is None and c.closed_on is None
                                         for c in row):
            continue
        if f.changed_only and not any(c.changed for c in row):
            continue
        tasks.append(t)
        reported = 0
        for c in row:
            col_all[c.unit_id] += 1
            if c.status is not None or c.closed_on is not None:  # reported or closed
                reported += 1
                col_rep[c.unit_id] += 1
        if role is not None:
            shown.update(((t.id, c.unit_id), c) for c in row)
        row_counts.append((reported, len(row)))
    return Arrangement(grid, f, tasks, units, row_counts,
                       [(col_rep[u], col_all[u]) for u in unit_ids],
                       (sum(r for r, _ in row_counts), sum(a for _, a in row_counts)), shown)


class LedgerModel(QAbstractTableModel):
    """Rows: the visible tasks then a 已报/应报 row; columns: the task, the visible units,
    then a 已报/应报 column."""

    def __init__(self, tr: Callable[[str], str], parent: Any = None) -> None:
        super().__init__(parent)
        self.tr_ = tr
        self.grid: LedgerGrid | None = None
        self.filter = LedgerFilter()
        self.tasks: list[LedgerTask] = []
        self.units: list[LedgerUnit] = []
        self.row_counts: list[tuple[int, int]] = []  # per visible task: reported, assigned
        self.col_counts: list[tuple[int, int]] = []  # per visible unit
        self.total = (0, 0)
        self._cells: dict[tuple[int, int], LedgerCell] = {}

    # ---------------------------------------------------------------- content

    def set_grid(self, grid: LedgerGrid | None, flt: LedgerFilter | None = None,
                 arranged: Arrangement | None = None) -> None:
        """Show `grid` through `flt` (the current filter if None); `arranged`: what
        `arrange(grid, flt)` gave, worked out off the GUI thread."""
        self.beginResetModel()
        self.grid = grid
        if flt is not None:
            self.filter = flt
        if arranged is None or arranged.grid is not grid or arranged.filter != self.filter:
            arranged = arrange(grid, self.filter)
        self._take(arranged)
        self.endResetModel()

    def set_filter(self, flt: LedgerFilter) -> None:
        self.beginResetModel()
        self.filter = flt
        self._take(arrange(self.grid, flt))
        self.endResetModel()

    def _take(self, a: Arrangement) -> None:
        self.tasks, self.units = a.tasks, a.units
        self.row_counts, self.col_counts, self.total = a.row_counts, a.col_counts, a.total
        self._cells = a.cells

    # ---------------------------------------------------------------- lookups

    def task_at(self, row: int) -> LedgerTask | None:
        return self.tasks[row] if 0 <= row < len(self.tasks) else None

    def unit_at(self, column: int) -> LedgerUnit | None:
        return self.units[column - 1] if 1 <= column <= len(self.units) else None

    def cell_at(self, row: int, column: int) -> LedgerCell | None:
        t, u = self.task_at(row), self.unit_at(column)
        return self._cells.get((t.id, u.id)) if t is not None and u is not None else None

    def index_of(self, task_id: int, unit_id: int) -> QModelIndex:
        row = next((i for i, t in enumerate(self.tasks) if t.id == task_id), -1)
        col = next((i + 1 for i, u in enumerate(self.units) if u.id == unit_id), -1)
        return self.index(row, col) if row >= 0 and col >= 0 else QModelIndex()

    # ---------------------------------------------------------------- Qt

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.grid is None else len(self.tasks) + 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.grid is None else len(self.units) + 2

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        tr = self.tr_  # (lupdate extracts the tr("…") calls)
        row, col = index.row(), index.column()
        n_rows, n_cols = len(self.tasks), len(self.units)
        if not (0 <= row <= n_rows and 0 <= col <= n_cols + 1):
            return None
        counts_row, counts_col = row == n_rows, col == n_cols + 1
        if role == Qt.ItemDataRole.DisplayRole:
            if counts_row and col == 0:
                return tr("已报/应报")
            if counts_row or counts_col:
                rep, total = (self.total if counts_row and counts_col else
                              self.col_counts[col - 1] if counts_row else self.row_counts[row])
                return f"{rep}/{total}" if total else ""
            if col == 0:
                t = self.tasks[row]
                return f"{t.code} {t.title}"
            cell = self.cell_at(row, col)
            return cell_text(cell, self.tr_) if cell is not None else ""
        if role == Qt.ItemDataRole.BackgroundRole:
            if counts_row or counts_col:
                return QBrush(QColor(COUNT_BACKGROUND))
            cell = self.cell_at(row, col) if col else None
            return QBrush(QColor(cell_colour(cell))) if cell is not None else None
        if role == Qt.ItemDataRole.ForegroundRole:
            cell = self.cell_at(row, col) if col and not counts_row else None
            if cell is not None and cell.behind:
                return QBrush(QColor("#C62828"))
            if cell is not None and cell.changed == "down":
                return QBrush(QColor("#C62828"))
            return None
        if role == Qt.ItemDataRole.FontRole and (counts_row or counts_col):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 0 and not counts_row:
                t = self.tasks[row]
                return f"{t.code} {t.title}\n{t.section}" + (
                    f"\n{tr('完成时限')}:{t.deadline}" if t.deadline else "")
            cell = self.cell_at(row, col) if col and not counts_row else None
            return self._tooltip(cell) if cell is not None else None
        return None

    def _tooltip(self, c: LedgerCell) -> str:
        tr = self.tr_
        parts = [vocab_tr(STATUS_LABELS[c.status]) if c.status else tr("未报")]
        if c.percent is not None:
            parts.append(f"{c.percent:g}%")
        if c.previous_percent is not None:
            parts.append(tr("上期 {0}%").format(f"{c.previous_percent:g}"))
        if c.behind:
            parts.append(tr("滞后") if c.behind == "behind" else tr("逾期未完成"))
        if c.changed == "down":
            parts.append(tr("进度倒退"))
        if c.edited:
            parts.append(tr("区里更正过"))
        if c.approved:
            parts.append(tr("已审核"))
        if c.closed_on is not None:
            parts.append(tr("已销号 {0}").format(c.closed_on.isoformat()))
        return " · ".join(parts)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        tr = self.tr_
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 0:
                return tr("任务")
            if section == len(self.units) + 1:
                return tr("已报/应报")
            u = self.unit_at(section)
            return u.name if u is not None else None
        if role == Qt.ItemDataRole.ToolTipRole:
            u = self.unit_at(section)
            if u is not None:
                return tr("{0}:已报 {1}/{2}").format(u.name, u.reported, u.assigned) + (
                    " · " + tr("已审核") if u.approved else "")
        return None
