"""Render a window of the application to PNG (run under Xvfb or offscreen).

    python tools/screenshot.py --db FILE --out shot.png [--page 任务] [--period 2021-06] [--lang en]
    python tools/screenshot.py --welcome --out welcome.png       # the first-start screen
    python tools/screenshot.py --db FILE --menu 文件/最近使用 --out menu.png  # an open menu
    python tools/screenshot.py --db FILE --shell --out shell.png  # the first frame at start

An open menu is a separate window: with --menu the screen is grabbed (use Xvfb).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QPoint, QTimer
from PySide6.QtWidgets import QMainWindow, QMenu

from app.services.db import open_database
from app.views.app import install_translator, main_window_for, make_application


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="")
    ap.add_argument("--welcome", action="store_true", help="the first-start screen")
    ap.add_argument("--menu", default="", help="open a menu (and a submenu: 文件/最近使用)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--shell", action="store_true",
                    help="the district window as it first paints at start, before its database")
    ap.add_argument("--page", default="")
    ap.add_argument("--period", default="")
    ap.add_argument("--size", default="1360x820")
    ap.add_argument("--lang", default="zh", choices=("zh", "en"),
                    help="interface language (page names stay the Chinese titles)")
    ap.add_argument("--wait", type=int, default=1500,
                    help="ms before grabbing (pages that draw charts in the background need more)")
    args = ap.parse_args()
    app = make_application()
    if args.lang == "en":
        install_translator(app, "en")
    if args.welcome:
        from app.views.welcome import WelcomeWindow

        window: QMainWindow = WelcomeWindow()
    elif args.shell:
        from app.views.main_window import MainWindow

        window = MainWindow(target=args.db)
    else:
        if not args.db:
            ap.error("--db or --welcome")
        window = main_window_for(open_database(args.db, create=False))
    w, h = (int(x) for x in args.size.split("x"))
    window.resize(w, h)
    window.show()
    if args.period and hasattr(window, "select_period"):
        window.select_period(args.period)
    if args.page and hasattr(window, "pages"):
        for page in window.pages:
            if page.title == args.page:
                window.show_page(page)

    def open_menu() -> None:
        title, _, sub = args.menu.partition("/")
        bar = window.menuBar()
        action = next(a for a in bar.actions() if a.text().startswith(title))
        menu = action.menu()
        assert isinstance(menu, QMenu)
        menu.popup(window.mapToGlobal(bar.actionGeometry(action).bottomLeft()) + QPoint(0, 24))
        if sub:
            item = next(a for a in menu.actions() if a.text() == sub)
            menu.setActiveAction(item)
            submenu = item.menu()
            assert isinstance(submenu, QMenu)
            submenu.popup(menu.mapToGlobal(menu.actionGeometry(item).topRight()))

    def grab() -> None:
        if args.menu:
            top = window.frameGeometry().topLeft()
            screen = app.primaryScreen()
            screen.grabWindow(0, top.x(), top.y(), 900, 420).save(args.out)
        else:
            window.grab().save(args.out)
        app.quit()

    if args.menu:
        QTimer.singleShot(args.wait // 2, open_menu)

    QTimer.singleShot(args.wait, grab)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
