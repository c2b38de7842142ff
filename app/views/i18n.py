"""The interface language: the English translator, and English for what services say in Chinese.

Chinese is the source language of every ``tr()``; English ships as
``app/resources/translations/taizhang_en.qm`` (built by ``tools/update_translations.py``).
Services and printed documents stay Chinese (a 通报 is an official Chinese document), so
vocabulary labels and period names the services hand over are translated here, at display
time, in the fixed contexts "Vocab" and "Period".
"""

from __future__ import annotations

import datetime as dt
import re
from importlib import resources
from pathlib import Path

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QDate,
    QLibraryInfo,
    QLocale,
    QObject,
    QSettings,
    Qt,
    QTranslator,
)
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QHeaderView, QMenu, QMessageBox, QTableView, QWidget

LANGUAGES = (("zh", "中文"), ("en", "English"))
QM_NAME = "taizhang_en.qm"

# Every label of app/core/vocab.py that views show (tests/views/test_i18n.py keeps this complete),
# and a few data values shown as they are stored (indicator attributes, problem levels).
VOCAB = (
    # statuses, roles, unit kinds, frequencies
    QT_TRANSLATE_NOOP("Vocab", "未启动"), QT_TRANSLATE_NOOP("Vocab", "推进中"),
    QT_TRANSLATE_NOOP("Vocab", "已完成"), QT_TRANSLATE_NOOP("Vocab", "滞后"),
    QT_TRANSLATE_NOOP("Vocab", "长期坚持"),
    QT_TRANSLATE_NOOP("Vocab", "牵头"), QT_TRANSLATE_NOOP("Vocab", "配合"),
    QT_TRANSLATE_NOOP("Vocab", "落实"),
    QT_TRANSLATE_NOOP("Vocab", "区创建办"), QT_TRANSLATE_NOOP("Vocab", "部门"),
    QT_TRANSLATE_NOOP("Vocab", "镇"), QT_TRANSLATE_NOOP("Vocab", "街道"),
    QT_TRANSLATE_NOOP("Vocab", "开发区"),
    QT_TRANSLATE_NOOP("Vocab", "月"), QT_TRANSLATE_NOOP("Vocab", "季度"),
    QT_TRANSLATE_NOOP("Vocab", "半年"), QT_TRANSLATE_NOOP("Vocab", "年"),
    # fields
    QT_TRANSLATE_NOOP("Vocab", "进展状态"), QT_TRANSLATE_NOOP("Vocab", "完成进度(%)"),
    QT_TRANSLATE_NOOP("Vocab", "完成进度"),  # the same field where "(%)" is shown beside it
    QT_TRANSLATE_NOOP("Vocab", "本期进展"), QT_TRANSLATE_NOOP("Vocab", "存在问题"),
    QT_TRANSLATE_NOOP("Vocab", "下步计划"), QT_TRANSLATE_NOOP("Vocab", "责任人"),
    QT_TRANSLATE_NOOP("Vocab", "联系电话"), QT_TRANSLATE_NOOP("Vocab", "完成日期"),
    QT_TRANSLATE_NOOP("Vocab", "本期数值"), QT_TRANSLATE_NOOP("Vocab", "说明"),
    # receipts, merging, conflicts
    QT_TRANSLATE_NOOP("Vocab", "未下发"), QT_TRANSLATE_NOOP("Vocab", "已下发"),
    QT_TRANSLATE_NOOP("Vocab", "已收"), QT_TRANSLATE_NOOP("Vocab", "迟报"),
    QT_TRANSLATE_NOOP("Vocab", "已拒收"), QT_TRANSLATE_NOOP("Vocab", "退回修改"),
    QT_TRANSLATE_NOOP("Vocab", "未报"),
    QT_TRANSLATE_NOOP("Vocab", "可导入"), QT_TRANSLATE_NOOP("Vocab", "已导入"),
    QT_TRANSLATE_NOOP("Vocab", "无变化"), QT_TRANSLATE_NOOP("Vocab", "已被新版本取代"),
    QT_TRANSLATE_NOOP("Vocab", "拒收"), QT_TRANSLATE_NOOP("Vocab", "已取消"),
    QT_TRANSLATE_NOOP("Vocab", "待处理"), QT_TRANSLATE_NOOP("Vocab", "保留本方"),
    QT_TRANSLATE_NOOP("Vocab", "采用对方"), QT_TRANSLATE_NOOP("Vocab", "已被新报送取代"),
    # returns, attainment, behind
    QT_TRANSLATE_NOOP("Vocab", "按时报送"), QT_TRANSLATE_NOOP("Vocab", "未填报"),
    QT_TRANSLATE_NOOP("Vocab", "达标"), QT_TRANSLATE_NOOP("Vocab", "未达标"),
    QT_TRANSLATE_NOOP("Vocab", "待评估"), QT_TRANSLATE_NOOP("Vocab", "逾期未完成"),
    # stored values shown as they are
    QT_TRANSLATE_NOOP("Vocab", "约束性"), QT_TRANSLATE_NOOP("Vocab", "参考性"),
    QT_TRANSLATE_NOOP("Vocab", "错误"), QT_TRANSLATE_NOOP("Vocab", "注意"),
    QT_TRANSLATE_NOOP("Vocab", "提示"), QT_TRANSLATE_NOOP("Vocab", "未填"),
)

_QUARTERS = tuple(str(q) for q in (
    QT_TRANSLATE_NOOP("Period", "第一季度"), QT_TRANSLATE_NOOP("Period", "第二季度"),
    QT_TRANSLATE_NOOP("Period", "第三季度"), QT_TRANSLATE_NOOP("Period", "第四季度")))
_HALVES = tuple(str(h) for h in (QT_TRANSLATE_NOOP("Period", "上半年"),
                                 QT_TRANSLATE_NOOP("Period", "下半年")))


def vocab_tr(label: str) -> str:
    """A vocabulary label (app.core.vocab) in the interface language; unknown text unchanged."""
    return QCoreApplication.translate("Vocab", label) if label else label


def period_text(key: str) -> str:
    """'2021-06' as the interface shows it: '2021年6月' in Chinese, 'Jun 2021' in English."""
    if m := re.fullmatch(r"(\d{4})-(\d{2})", key):
        # a QDate format: the translation ("MMM yyyy") names the month (C locale, English)
        pattern = QCoreApplication.translate("Period", "yyyy年M月")
        return QDate(int(m[1]), int(m[2]), 1).toString(pattern)
    if m := re.fullmatch(r"(\d{4})-([QH])([1-4])", key):
        names = _QUARTERS if m[2] == "Q" else _HALVES
        index = int(m[3]) - 1
        if index < len(names):
            part = QCoreApplication.translate("Period", names[index])
            return QCoreApplication.translate("Period", "{0}年{1}").format(m[1], part)
    if re.fullmatch(r"\d{4}", key):
        return QCoreApplication.translate("Period", "{0}年").format(key)
    from app.services.plans.query import period_label  # SQLAlchemy: not before the first frame

    return period_label(key)


# ---------------------------------------------------------------- the translator

class FallbackTranslator(QTranslator):
    """Looks a message up in its class's context, then in the empty context.

    Columns and forms built with ``tr = self.tr`` (or a ``tr`` handed to a module
    function) are extracted by lupdate without a context; at run time they are asked for
    in the calling class's context. The empty context holds them once for every class.
    """

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str:
        found = super().translate(context, source, disambiguation, n)
        if not found and context:
            found = super().translate("", source, disambiguation, n)
        # None (a null QString) says "not translated here", so Qt falls back to the source;
        # "" would translate Qt's own "Ctrl" to nothing ("Quit Q" for "Quit Ctrl+Q")
        return found or None  # type: ignore[return-value]


# Qt 6 renamed these labels ("Look in:" became "&Look in:"); qtbase_zh_CN still has the
# old ones only, so Qt's file dialog said "Look in:" and "Files of type:" in a Chinese window.
QT_CHINESE_GAPS = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
}


class QtChineseSupplement(QTranslator):
    """What qtbase_zh_CN lacks for the widgets the program shows (installed after it,
    so it is asked first; None passes every other text on to qtbase_zh_CN)."""

    def isEmpty(self) -> bool:
        return False

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str:
        return QT_CHINESE_GAPS.get((context, source))  # type: ignore[return-value]


def qt_translation_folders() -> list[Path]:
    """Where Qt's own catalogues may be: Qt's configured folder (PySide6 points it into the
    package, the bundle's runtime hook too), else the package's folder itself."""
    import PySide6

    package = Path(PySide6.__file__).resolve().parent
    found = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
             package / "Qt" / "translations", package / "translations"]
    return [f for i, f in enumerate(found) if f not in found[:i]]


def install_qt_chinese(app: QCoreApplication) -> list[QTranslator]:
    """Qt's own texts (file dialogs, standard buttons, context menus) in Chinese."""
    installed: list[QTranslator] = []
    for folder in qt_translation_folders():
        catalogue = QTranslator(app)
        if catalogue.load("qtbase_zh_CN", str(folder)):
            app.installTranslator(catalogue)
            installed.append(catalogue)
            break
    supplement = QtChineseSupplement(app)
    app.installTranslator(supplement)
    return [*installed, supplement]


# A deadline further back than this is history: shown as a date, not "已逾期 1057 天".
RELEVANT_OVERDUE_DAYS = 31


def due_text(due: dt.date, today: dt.date) -> tuple[str, str]:
    """'截止 7月5日(还有 3 天)' and the colour to show it in; the days only while relevant."""
    translate = QCoreApplication.translate
    days = (due - today).days
    # QDate formats: the English translations name the month ("MMM d")
    pattern = (translate("DueDate", "M月d日") if due.year == today.year
               else translate("DueDate", "yyyy年M月d日"))
    when = QDate(due.year, due.month, due.day).toString(pattern)
    if days > 0:
        text = translate("DueDate", "截止 {0}(还有 {1} 天)").format(when, days)
        return text, "#374151" if days > 3 else "#b45309"
    if days == 0:
        return translate("DueDate", "截止 {0}(今天截止)").format(when), "#b45309"
    if -days > RELEVANT_OVERDUE_DAYS:
        return translate("DueDate", "截止 {0}").format(when), "#6b7280"
    return translate("DueDate", "截止 {0}(已逾期 {1} 天)").format(when, -days), "#c62828"


def saved_language() -> str:
    return str(QSettings().value("language", "zh", str) or "zh")


def install_translator(app: QCoreApplication, language: str | None = None) -> QTranslator | None:
    """Install the English translator when `language` (or the saved setting) is English.

    Returns the installed translator (``remove_translator`` undoes it), else None.
    """
    lang = language or saved_language()
    if not lang.startswith("en"):
        return None
    translator = FallbackTranslator(app)
    qm = resources.files("app.resources") / "translations" / QM_NAME
    if not (qm.is_file() and translator.load(str(qm))):
        return None
    translator.setProperty("previous_locale", QLocale().name())
    app.installTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    if hasattr(app, "setApplicationDisplayName"):
        app.setApplicationDisplayName(QCoreApplication.translate("App", "台账"))
    return translator


def remove_translator(app: QCoreApplication, translator: QTranslator) -> None:
    """Back to Chinese (tests switch languages inside one process)."""
    app.removeTranslator(translator)
    QLocale.setDefault(QLocale(str(translator.property("previous_locale") or "C")))
    if hasattr(app, "setApplicationDisplayName"):
        app.setApplicationDisplayName(QCoreApplication.translate("App", "台账"))


# ---------------------------------------------------------------- column widths

def english_active() -> bool:
    return QCoreApplication.translate("App", "台账") != "台账"


class _ColumnFitter(QObject):
    """Widens a table's narrow columns to their English header and (after each reload)
    to their short contents; column widths were chosen for Chinese, which is narrower."""

    NARROW = 120  # only columns set narrower than this grow with their contents
    MAX = 170
    PADDING = 28  # header margins and the sort indicator

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self.table = table
        self.fit_headers()
        model = table.model()
        if model is not None:
            model.modelReset.connect(self.fit_contents)

    def _columns(self) -> list[int]:
        header = self.table.horizontalHeader()
        model = self.table.model()
        count = model.columnCount() if model is not None else 0
        return [c for c in range(count) if not header.isSectionHidden(c)
                and header.sectionResizeMode(c) == QHeaderView.ResizeMode.Interactive
                and not (header.stretchLastSection() and c == count - 1)]

    def fit_headers(self) -> None:
        header = self.table.horizontalHeader()
        model = self.table.model()
        metrics = header.fontMetrics()
        for c in self._columns():
            text = str(model.headerData(c, Qt.Orientation.Horizontal) or "")
            need = metrics.horizontalAdvance(text) + self.PADDING
            if header.sectionSize(c) < need:
                self.table.setColumnWidth(c, need)

    def fit_contents(self) -> None:
        header = self.table.horizontalHeader()
        for c in self._columns():
            width = header.sectionSize(c)
            if width < self.NARROW:
                need = min(self.table.sizeHintForColumn(c), self.MAX)
                if need > width:
                    self.table.setColumnWidth(c, need)


def fit_columns(root: QWidget) -> None:
    """In English, let the tables under `root` fit their (longer) headers and labels."""
    if not english_active():
        return
    for table in root.findChildren(QTableView):
        if table.model() is not None and table.findChild(_ColumnFitter) is None:
            _ColumnFitter(table)


# ---------------------------------------------------------------- the menu

def install_language_menu(window: QWidget, menu: QMenu) -> QActionGroup:
    """帮助 › 语言/Language: 中文 / English, saved in QSettings "language" for the next start.

    The entries name each language in itself, so a user who cannot read the current
    language still finds their own.
    """
    sub = menu.addMenu("语言 / Language")
    group = QActionGroup(window)
    group.setExclusive(True)
    current = saved_language()
    for code, name in LANGUAGES:
        action = QAction(name, window)
        action.setCheckable(True)
        action.setChecked(current.startswith(code))
        action.setData(code)
        group.addAction(action)
        sub.addAction(action)
    group.triggered.connect(lambda action: choose_language(window, str(action.data())))
    return group


def choose_language(window: QWidget, code: str) -> QMessageBox:
    """Save the choice and say (in both languages) that it applies at the next start."""
    QSettings().setValue("language", code)
    if code == "en":
        text = ("Taizhang will use English the next time it starts.\n"
                "下次启动台账时界面将使用英文。")
    else:
        text = "下次启动台账时界面将使用中文。\nTaizhang will use Chinese the next time it starts."
    box = QMessageBox(QMessageBox.Icon.Information, QCoreApplication.translate("App", "台账"),
                      text, QMessageBox.StandardButton.Ok, window)
    box.open()
    return box


__all__ = ["LANGUAGES", "VOCAB", "FallbackTranslator", "QtChineseSupplement",
           "install_language_menu", "install_qt_chinese", "install_translator", "period_text", "remove_translator", "vocab_tr"]
