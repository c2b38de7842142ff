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
    if args.command is None:
        from app.views.app import run_gui

        return run_gui(args.db, args.lang)
    return cli.run(args)
