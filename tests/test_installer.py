"""The desktop bundle end to end (slow: a PyInstaller build takes minutes of CPU).

The build test is left out of the default run and CI (pyproject: `-m "not slow"`); run it
by hand: `bash scripts/test.sh -m slow tests/test_installer.py`. It builds with
installer/build.sh (which self-tests the bundle under `env -i` with an empty HOME), packs
the .deb, then installer/test_install.sh installs both, self-tests them through the
installed launchers and uninstalls.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


UNPACKED_LIMIT_MB = 200
ARCHIVE_LIMIT_MB = 75


def _run(*cmd: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    if importlib.util.find_spec("PyInstaller") is not None:  # else build.sh sets up .venv
        env["TAIZHANG_VENV"] = str(Path(sys.executable).parents[1])
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    return done.stdout


def _bundled_modules() -> set[str]:
    """The spec's APP_MODULES, computed by the spec's own expression."""
    spec = (ROOT / "installer" / "taizhang.spec").read_text("utf-8")
    for node in ast.parse(spec).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "APP_MODULES":
            expr = ast.Expression(node.value)
            return set(eval(compile(expr, "taizhang.spec", "eval"), {"ROOT": ROOT}))
    raise AssertionError("installer/taizhang.spec has no APP_MODULES")


def test_the_bundle_holds_every_module_imported_by_name() -> None:
    """Pages, subcommands and the self-test are imported by name when first used; the
    bundle once shipped without the pages and its window failed to open."""
    from app.views.main_window import PAGES

    modules = _bundled_modules()
    named = {page.module for page in PAGES} | {
        "app.cli.office", "app.cli.district", "app.cli.plans", "app.cli.reports",
        "app.cli.selftest", "app.views.selftest", "app.views.reports.chart_view"}
    assert named <= modules, named - modules
    for name in named:
        assert importlib.util.find_spec(name) is not None, name
    assert not any(m.startswith("app.migrations") for m in modules)


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux build scripts")
@pytest.mark.skipif(shutil.which("zstd") is None or shutil.which("objdump") is None,
                    reason="needs zstd and binutils")
def test_build_self_test_install_uninstall() -> None:
    out = _run("bash", "installer/build.sh")
    assert "自检全部通过" in out
    unpacked = int(re.search(r"^unpacked: (\d+) MB", out, re.MULTILINE).group(1))  # type: ignore[union-attr]
    packed = int(re.search(r"^archive:  (\d+) MB", out, re.MULTILINE).group(1))  # type: ignore[union-attr]
    assert unpacked <= UNPACKED_LIMIT_MB, out[-2000:]
    assert packed <= ARCHIVE_LIMIT_MB, out[-2000:]
    bundle = ROOT / "dist" / "taizhang" / "_internal"
    notices = (bundle / "THIRD-PARTY-NOTICES.txt").read_text("utf-8")
    assert "PySide6_Essentials" in notices and "SIL OPEN FONT LICENSE" in notices.upper()
    assert (bundle / "LICENSE").read_text("utf-8").startswith("MIT License")
    assert (bundle / "matplotlib/mpl-data/fonts/ttf/LastResortHE-Regular.ttf").is_file()
    assert not list(bundle.rglob("libqgtk3.so"))
    deb = _run("bash", "installer/deb/build_deb.sh")
    assert "Depends: " in deb and "libc6 (>= 2." in deb
    installed = _run("bash", "installer/test_install.sh")
    assert "per-user install, self-test, upgrade, uninstall: ok" in installed
