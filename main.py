"""Entry point: `python main.py` opens the GUI; subcommands run headless (see README)."""

from __future__ import annotations

import multiprocessing
import sys

if __name__ == "__main__":
    # First: in the bundle, a worker process (issuing writes packets in several) starts
    # here too, and must run its task instead of the application
    multiprocessing.freeze_support()
    from app.launcher import main

    sys.exit(main())
