"""The first start: who is using the program? Each answer leads to its first useful screen.

The window only says what was chosen (signals); `app.views.app` opens the databases and
windows, as it does for the 文件 menu.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

CARD = ("#card { background: white; border: 1px solid #d9dde3; border-radius: 8px; }")
PRIMARY = ("QPushButton { background: #1a73e8; color: white; border: none; border-radius: 4px;"
           " padding: 8px 18px; font-weight: bold; text-align: left; }"
           "QPushButton:hover { background: #1765cc; }")
SECONDARY = ("QPushButton { background: white; color: #1a4fa0; border: 1px solid #c8d3e6;"
             " border-radius: 4px; padding: 7px 18px; text-align: left; }"
             "QPushButton:hover { background: #eef4fe; }")


class WelcomeWindow(QMainWindow):
    """Two cards: 区创建办 (district) and 单位填报 (a unit that received a packet)."""

    import_plan = Signal()  # new database, then the plan import wizard
    new_plan = Signal()  # new database, then a new empty plan
    open_database = Signal()  # an existing database
    example = Signal()  # the separate example database
    open_packet = Signal()  # a unit's packet received by mail

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("欢迎使用台账"))
        self.resize(980, 640)
        big = QFont(self.font())
        big.setPointSizeF(self.font().pointSizeF() * 1.8)
        big.setBold(True)
        title = QLabel(self.tr("欢迎使用台账"))
        title.setFont(big)
        lead = QLabel(self.tr("任务进展离线填报与汇总:区创建办下发填报包 → 各单位填报并发回报送包 →"
                              " 区创建办汇总 → 打印通报。\n请先选择您的身份:"))
        lead.setWordWrap(True)
        lead.setStyleSheet("color: #374151;")

        self.import_button = self._button(self.tr("导入方案工作簿…"), PRIMARY, self.import_plan)
        self.import_button.setToolTip(self.tr("把已有的任务分解表、指标表(Excel)导入为方案"))
        self.new_button = self._button(self.tr("新建空白方案…"), SECONDARY, self.new_plan)
        self.open_button = self._button(self.tr("打开已有数据库…"), SECONDARY,
                                        self.open_database)
        self.example_button = self._button(self.tr("先看看示例(天宁区方案,单独的示例数据库)"),
                                           SECONDARY, self.example)
        district = self._card(
            self.tr("区创建办"),
            self.tr("制定或导入方案,按周期给各单位下发填报包,汇总发回的报送包,"
                    "查看看板、打印进展情况通报。"),
            [self.import_button, self.new_button, self.open_button, self.example_button],
            self.tr("您的数据保存在本机的台账数据库中;示例单独保存,不会混入您的数据。"))
        self.packet_button = self._button(self.tr("打开收到的下发包…"), PRIMARY,
                                          self.open_packet)
        self.packet_button.setToolTip(self.tr("区里通过邮件或微信发来的 Excel 文件"))
        office = self._card(
            self.tr("单位填报(镇、街道、部门)"),
            self.tr("区里发来了填报包(Excel 文件)?打开它,逐项填写本单位的进展,"
                    "自动保存,填完后导出报送包发回区里。"),
            [self.packet_button],
            self.tr("没有安装台账的同事也可以直接用 WPS 或 Excel 填写同一个文件。"))
        cards = QHBoxLayout()
        cards.setSpacing(20)
        cards.addWidget(district, 1)
        cards.addWidget(office, 1)

        central = QWidget()
        central.setObjectName("welcome")
        central.setStyleSheet("#welcome { background: #f5f6f8; }")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(48, 36, 48, 36)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(lead)
        layout.addSpacing(12)
        layout.addLayout(cards, 1)
        note = QLabel(self.tr("以后可以随时通过“文件 › 打开数据库…”或“最近使用”切换;"
                              "“帮助 › 使用说明”(F1)有操作步骤。"))
        note.setStyleSheet("color: #6b7280;")
        layout.addWidget(note)
        self.setCentralWidget(central)

    def _button(self, text: str, style: str, signal: SignalInstance) -> QPushButton:
        button = QPushButton(text)
        button.setStyleSheet(style)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.clicked.connect(signal.emit)
        return button

    def _card(self, heading: str, text: str, buttons: list[QPushButton], note: str) -> QFrame:
        card = QFrame()
        card.setObjectName("card")
        card.setStyleSheet(CARD)
        head = QLabel(heading)
        font = QFont(self.font())
        font.setPointSizeF(self.font().pointSizeF() * 1.35)
        font.setBold(True)
        head.setFont(font)
        body = QLabel(text)
        body.setWordWrap(True)
        body.setStyleSheet("color: #374151;")
        foot = QLabel(note)
        foot.setWordWrap(True)
        foot.setStyleSheet("color: #6b7280;")
        layout = QVBoxLayout(card)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(head)
        layout.addWidget(body)
        layout.addSpacing(8)
        for button in buttons:
            layout.addWidget(button)
        layout.addStretch(1)
        layout.addWidget(foot)
        return card
