"""The program's front door: no subcommand opens the window, anything else runs headless.

It sits above both faces so that `app/cli` never imports the views (and the views never
the command line).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from app.cli import main as cli


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        args = cli.parse(argv)
    except cli.UsageError as exc:
        return cli.usage_error(exc)
    if args.version:
        print(cli.version_text())
        return 0
    if args.self_test:
        return self_test()
    if args.command is None:
        from app.views.app import run_gui

        return run_gui(args.db, args.lang)
    return cli.run(args)


def self_test() -> int:
    """`--self-test`: the command line's service steps, then the windows (offscreen)."""
    from app.cli.selftest import run_self_test
    from app.views.selftest import WINDOW_STEPS, prepare_application

    prepare_application()  # before the PDF step, which would otherwise start a bare Qt
    return run_self_test(WINDOW_STEPS)
