"""The program's front door: no subcommand opens the window, anything else runs headless.

It sits above both faces so that `app/cli` never imports the views (and the views never
the command line).
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from app.cli import main as cli

UNSET = "\x01"  # installer/runtime_hook.py's mark for a variable the user had not set
# What the bundle's start-up changes in the environment: the user's value is kept under
# TAIZHANG_ORIG_<NAME> by installer/runtime_hook.py (the bootloader keeps <NAME>_ORIG).
BUNDLE_VARIABLES = ("QT_PLUGIN_PATH", "QML2_IMPORT_PATH")


def settle_frozen_environment(environ: dict[str, str] | os._Environ[str] = os.environ,
                              cache_dir: Path | None = None) -> None:
    """Inside the PyInstaller bundle: give child processes the user's own environment and
    keep matplotlib's font cache in the user's cache folder.

    The loader reads LD_LIBRARY_PATH once, at start, and PySide6 finds its plug-ins from
    its embedded qt.conf, so this process needs neither variable any more; a file manager
    or mail client started from it would otherwise load the bundle's libraries. PyInstaller
    points MPLCONFIGDIR at a new temporary folder at every start, which makes matplotlib
    rebuild its font list each time (1.3-1.9 s); a folder per version in the user's cache
    keeps it built once.
    """
    for name in ("LD_LIBRARY_PATH", "DYLD_LIBRARY_PATH"):
        if name + "_ORIG" in environ:
            environ[name] = environ.pop(name + "_ORIG")
        elif name in environ and sys.platform != "win32":
            del environ[name]
    for name in BUNDLE_VARIABLES:
        original = environ.pop("TAIZHANG_ORIG_" + name, UNSET)
        if original == UNSET:
            environ.pop(name, None)
        else:
            environ[name] = original
    original = environ.pop("TAIZHANG_ORIG_MPLCONFIGDIR", UNSET)
    temporary = environ.get("MPLCONFIGDIR", "")
    if original != UNSET:
        environ["MPLCONFIGDIR"] = original
    else:
        if cache_dir is None:
            from platformdirs import user_cache_dir

            from app import __version__

            cache_dir = Path(user_cache_dir("Taizhang", appauthor=False)) / \
                f"matplotlib-{__version__}"
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            environ["MPLCONFIGDIR"] = str(cache_dir)
        except OSError:  # read-only home: matplotlib then uses the temporary folder
            return
    if temporary and Path(temporary).is_relative_to(tempfile.gettempdir()):
        shutil.rmtree(temporary, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if getattr(sys, "frozen", False):
        settle_frozen_environment()
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
