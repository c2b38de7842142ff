"""The bundled CJK fonts and their registration with matplotlib (Qt registers them itself).

Charts and printed documents must show Chinese on any machine, so they use the OFL fonts
under ``app/resources/fonts`` (built by ``tools/subset_fonts.py``) rather than whatever the
system happens to have. matplotlib is imported only when a chart is first needed.
"""

from __future__ import annotations

import threading
from importlib import resources
from pathlib import Path

SANS = "Taizhang Sans SC"  # bundled subset of Noto Sans CJK SC (tools/subset_fonts.py)
SERIF = "Taizhang Serif SC"  # bundled subset of Noto Serif CJK SC

# Families as printed documents ask for them: the official 公文 faces first (present on
# government PCs), then the bundled fallback.
BODY_FAMILIES = ["FangSong", "仿宋", "FangSong_GB2312", "仿宋_GB2312", "STFangsong", SERIF]
TITLE_FAMILIES = ["方正小标宋简体", "FZXiaoBiaoSong-B05S", "方正小标宋_GBK", SERIF]
HEADING_FAMILIES = ["SimHei", "黑体", "STHeiti", SANS]
KAI_FAMILIES = ["KaiTi", "楷体", "KaiTi_GB2312", "楷体_GB2312", "STKaiti", SERIF]
CHART_FAMILIES = [SANS, "Microsoft YaHei", "PingFang SC", "SimHei"]

_lock = threading.Lock()
_registered = False


def font_files() -> list[Path]:
    """Paths of the bundled font files (.otf/.ttf)."""
    folder = resources.files("app.resources") / "fonts"
    if not folder.is_dir():
        return []
    return sorted(Path(str(p)) for p in folder.iterdir()
                  if p.name.lower().endswith((".otf", ".ttf")))


def setup_matplotlib() -> None:
    """Register the bundled fonts with matplotlib's font manager and make them the default.

    Idempotent and thread-safe (charts may be built off the GUI thread). Tick labels use
    the ASCII hyphen for negative numbers (``axes.unicode_minus = False``) so no font can
    turn the minus sign into a box.
    """
    global _registered
    with _lock:
        if _registered:
            return
        import matplotlib
        from matplotlib import font_manager

        for path in font_files():
            font_manager.fontManager.addfont(str(path))
        rc = matplotlib.rcParams
        rc["font.family"] = "sans-serif"
        rc["font.sans-serif"] = [*CHART_FAMILIES, *[f for f in rc["font.sans-serif"]
                                                   if f not in CHART_FAMILIES]]
        rc["axes.unicode_minus"] = False
        rc["svg.fonttype"] = "path"
        rc["pdf.fonttype"] = 42
        _registered = True
