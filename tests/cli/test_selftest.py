"""`--self-test` and `--version`: the real round trip in a subprocess, and how a failure reads."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import __version__
from app.cli import selftest
from app.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    env.update(HOME=str(home), PYTHONPATH=str(ROOT))
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME",
                "MPLCONFIGDIR"):
        env.pop(var, None)
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], env=env, cwd=home,
                          capture_output=True, text=True, encoding="utf-8", timeout=300)


def test_self_test_passes_every_step_without_a_display(tmp_path: Path) -> None:
    done = _run("--self-test", home=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    steps = [line for line in lines if line.startswith("[")]
    assert len(steps) == len(selftest.SERVICE_STEPS) + 3  # + Qt's Chinese, the two windows
    assert all(":通过" in line for line in steps), done.stdout
    assert any("通报 PDF" in line for line in steps)
    assert any("主窗口" in line for line in steps)
    assert any("查找范围" in line for line in steps)  # qtbase_zh_CN found and completed
    assert lines[-1].startswith("自检全部通过")
    assert "propagateSizeHints" not in done.stderr
    # the user's settings are left alone: nothing written under the (empty) home
    assert not (tmp_path / ".config" / "Taizhang").exists()


def test_version_prints_the_package_version(tmp_path: Path) -> None:
    done = _run("--version", home=tmp_path)
    assert done.returncode == 0
    assert done.stdout.strip() == f"taizhang {__version__}"
    assert main(["--version"]) == 0


def test_a_failed_step_stops_the_run_and_exits_1(monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[str] = []

    def fine(ctx: selftest.SelfTestContext) -> str:
        ran.append("fine")
        assert ctx.folder.is_dir()
        return "好"

    def broken(_ctx: selftest.SelfTestContext) -> str:
        raise OSError("找不到 libQt6Gui.so.6")

    def never(_ctx: selftest.SelfTestContext) -> str:
        ran.append("never")
        return ""

    monkeypatch.setattr(selftest, "SERVICE_STEPS", [("甲", fine), ("乙", broken), ("丙", never)])
    out = io.StringIO()
    assert selftest.run_self_test(out=out) == 1
    text = out.getvalue()
    assert ran == ["fine"]
    assert "[1/3] 甲:通过" in text
    assert "[2/3] 乙:失败 — OSError: 找不到 libQt6Gui.so.6" in text
    assert "Traceback" in text  # an unexpected error shows where it came from
    assert "[3/3] 丙:未运行" in text
    assert text.splitlines()[-1].startswith("自检失败")


def test_a_wrong_result_is_reported_without_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def wrong(_ctx: selftest.SelfTestContext) -> str:
        selftest._check(False, "报送包状态应为 applied,实际 rejected")
        return ""

    monkeypatch.setattr(selftest, "SERVICE_STEPS", [("导入", wrong)])
    out = io.StringIO()
    assert selftest.run_self_test(out=out) == 1
    assert "失败 — SelfTestFailure: 报送包状态应为 applied,实际 rejected" in out.getvalue()
    assert "Traceback" not in out.getvalue()
