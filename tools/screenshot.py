"""Render a window of the application to PNG (run under Xvfb or offscreen).

    python tools/screenshot.py --db FILE --out shot.png [--page 任务] [--period 2021-06] [--lang en]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QTimer

from app.services.db import open_database
from app.views.app import install_translator, main_window_for, make_application


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--out", required=True)
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

    def grab() -> None:
        window.grab().save(args.out)
        app.quit()

    QTimer.singleShot(args.wait, grab)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
