"""Entry point: `python main.py` opens the GUI; subcommands run headless (see README)."""

from __future__ import annotations

import sys

from app.launcher import main

if __name__ == "__main__":
    sys.exit(main())
