"""A read-only table model over a list of plain records (services' dataclasses).

Every table in the application is one of these with its own column list, so sorting,
tooltips and colours behave the same everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QTableView

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex
RECORD_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class Column(Generic[T]):
    header: str
    value: Callable[[T], Any]
    tooltip: Callable[[T], str | None] | None = None
    background: Callable[[T], str | None] | None = None  # colour name
    align_right: bool = False
    sort_key: Callable[[T], Any] | None = None


class RecordTableModel(QAbstractTableModel, Generic[T]):
    def __init__(self, columns: Sequence[Column[T]], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.records: list[T] = []

    def set_records(self, records: Sequence[T]) -> None:
        self.beginResetModel()
        self.records = list(records)
        self.endResetModel()

    def record(self, row: int) -> T:
        return self.records[row]

    def sort_key(self, row: int, column: int) -> Any:
        """Python-side sort key; tuples and None never cross into QVariant."""
        col = self.columns[column]
        key = col.sort_key(self.records[row]) if col.sort_key else col.value(self.records[row])
        if key is None:
            return (0, "")
        return (1, key) if isinstance(key, int | float) else (2, key)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.records)):
            return None
        rec = self.records[index.row()]
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = col.value(rec)
            if value is None:
                return ""
            if isinstance(value, float):
                return f"{value:g}"
            return str(value)
        if role == RECORD_ROLE:
            return rec
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip is not None:
            return col.tooltip(rec)
        if role == Qt.ItemDataRole.BackgroundRole and col.background is not None:
            colour = col.background(rec)
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.TextAlignmentRole and col.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self.columns):
                return self.columns[section].header
            return None
        return str(section + 1)


class RecordFilterProxy(QSortFilterProxyModel):
    """Filters records with a predicate; sorts with each column's sort key."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._predicate: Callable[[Any], bool] | None = None

    def set_predicate(self, predicate: Callable[[Any], bool] | None) -> None:
        self.beginFilterChange()
        self._predicate = predicate
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if self._predicate is None:
            return True
        model = self.sourceModel()
        rec = model.data(model.index(source_row, 0, source_parent), RECORD_ROLE)
        return bool(self._predicate(rec))

    def lessThan(self, left: Index, right: Index) -> bool:
        model = self.sourceModel()
        if isinstance(model, RecordTableModel):
            return bool(model.sort_key(left.row(), left.column())
                        < model.sort_key(right.row(), right.column()))
        return bool(super().lessThan(left, right))

    def record(self, proxy_row: int) -> Any:
        return self.data(self.index(proxy_row, 0), RECORD_ROLE)


def record_view(model: QSortFilterProxyModel, *, stretch: int | None = None,
                widths: Sequence[tuple[int, int]] = (), service_order: bool = False
                ) -> QTableView:
    """The read-only, row-selecting, sortable table every page uses.

    `service_order` keeps the order the service returned (problems first, newest first…)
    until the user clicks a header; otherwise the first column sorts ascending.
    """
    table = QTableView()
    table.setModel(model)
    header = table.horizontalHeader()
    if service_order:
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    table.setSortingEnabled(True)
    if not service_order:
        table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(False)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    for column, width in widths:
        table.setColumnWidth(column, width)
    return table
