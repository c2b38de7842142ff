"""导出前检查: what the pre-flight found, grouped per item; choosing one takes the clerk
to its form, or the packet is exported anyway (the district sees the gaps)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.office.export import PreflightItem
from app.views.office.models import state_icon


class PreflightDialog(QDialog):
    """What the pre-flight found, one line per item; choosing a line opens its form."""

    item_chosen = Signal(object)  # PreflightItem (the first one of the chosen line)
    export_anyway = Signal()

    def __init__(self, items: list[PreflightItem], titles: dict[str, str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导出前检查"))
        self.resize(720, 480)
        grouped: dict[str, list[PreflightItem]] = {}
        for item in items:
            grouped.setdefault(item.key, []).append(item)
        tasks = sum(1 for its in grouped.values() if its[0].kind == "task")
        inds = len(grouped) - tasks
        what = self.tr("{0} 项任务").format(tasks) if tasks else ""
        if inds:
            what += (self.tr("、") if what else "") + self.tr("{0} 项指标").format(inds)
        head = QLabel(self.tr("还有 {0}没有填写完整(共 {1} 处)。点击一项可直接去填写。").format(
            what, len(items)))
        head.setWordWrap(True)
        note = QLabel(self.tr("也可以先导出:区里会看到这些空缺,补齐后再导出一次即可。"))
        note.setStyleSheet("color: #6b7280;")
        note.setWordWrap(True)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setStyleSheet("QListWidget::item { padding: 6px 4px; color: #1a4fa0; }"
                                "QListWidget::item:hover { background: #eef4fe; }")
        self.list.setCursor(Qt.CursorShape.PointingHandCursor)
        icon = state_icon("invalid")
        for key, its in grouped.items():
            first = its[0]
            kind = self.tr("任务") if first.kind == "task" else self.tr("指标")
            text = (f"{kind} {first.code}  {titles.get(key, '')}\n    "
                    + ";".join(i.message.rstrip("。") for i in its))
            row = QListWidgetItem(icon, text, self.list)
            row.setData(Qt.ItemDataRole.UserRole, first)
            row.setToolTip(self.tr("点击去填写"))
        self.list.itemClicked.connect(self._chosen)
        self.list.itemActivated.connect(self._chosen)
        buttons = QDialogButtonBox()
        self.back_button = buttons.addButton(self.tr("返回填写"),
                                             QDialogButtonBox.ButtonRole.RejectRole)
        self.export_button = buttons.addButton(self.tr("仍然导出…"),
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self._export)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(note)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

    def _chosen(self, row: QListWidgetItem) -> None:
        item = row.data(Qt.ItemDataRole.UserRole)
        self.accept()
        self.item_chosen.emit(item)

    def _export(self) -> None:
        self.accept()
        self.export_anyway.emit()
