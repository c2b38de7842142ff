"""The bundle's start-up: the user's environment back for child processes, matplotlib's
cache in the user's cache folder (app.launcher.settle_frozen_environment)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from app.launcher import UNSET, settle_frozen_environment

BUNDLE = "/opt/taizhang/_internal"


def _bundle_environ(**user: str) -> dict[str, str]:
    """What the bootloader and PyInstaller's run-time hooks leave behind."""
    mpl = tempfile.mkdtemp(prefix="_MEI-mpl-")
    env = {
        "PATH": "/usr/bin", "LD_LIBRARY_PATH": BUNDLE,
        "QT_PLUGIN_PATH": BUNDLE + "/PySide6/Qt/plugins",
        "QML2_IMPORT_PATH": BUNDLE + "/PySide6/Qt/qml", "MPLCONFIGDIR": mpl,
    }
    for name in ("QT_PLUGIN_PATH", "QML2_IMPORT_PATH", "MPLCONFIGDIR"):
        env["TAIZHANG_ORIG_" + name] = user.get(name, UNSET)
    if "LD_LIBRARY_PATH" in user:
        env["LD_LIBRARY_PATH_ORIG"] = user["LD_LIBRARY_PATH"]
        env["LD_LIBRARY_PATH"] = BUNDLE + ":" + user["LD_LIBRARY_PATH"]
    return env


def test_variables_the_user_had_not_set_are_removed(tmp_path: Path) -> None:
    env = _bundle_environ()
    temporary = Path(env["MPLCONFIGDIR"])
    settle_frozen_environment(env, cache_dir=tmp_path / "cache" / "matplotlib")
    assert env == {"PATH": "/usr/bin", "MPLCONFIGDIR": str(tmp_path / "cache" / "matplotlib")}
    assert (tmp_path / "cache" / "matplotlib").is_dir()
    assert not temporary.exists()  # PyInstaller's per-start folder is gone at once


def test_the_users_own_values_come_back(tmp_path: Path) -> None:
    env = _bundle_environ(LD_LIBRARY_PATH="/home/me/lib", QT_PLUGIN_PATH="/home/me/plugins",
                          MPLCONFIGDIR="/home/me/.mpl")
    settle_frozen_environment(env, cache_dir=tmp_path / "unused")
    assert env["LD_LIBRARY_PATH"] == "/home/me/lib"
    assert env["QT_PLUGIN_PATH"] == "/home/me/plugins"
    assert env["MPLCONFIGDIR"] == "/home/me/.mpl"
    assert "QML2_IMPORT_PATH" not in env
    assert not any(k.endswith("_ORIG") or k.startswith("TAIZHANG_ORIG_") for k in env)
    assert not (tmp_path / "unused").exists()


def test_an_unwritable_cache_folder_leaves_matplotlib_its_temporary_one(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    env = _bundle_environ()
    temporary = env["MPLCONFIGDIR"]
    settle_frozen_environment(env, cache_dir=blocker / "matplotlib")
    assert env["MPLCONFIGDIR"] == temporary and Path(temporary).is_dir()
    Path(temporary).rmdir()
