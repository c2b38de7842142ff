"""Render installer/icons/taizhang.svg to app/resources/icons/taizhang.png (256 px: the
window icon and the Linux desktop icon) and installer/icons/taizhang.ico (16–256 px: the
Windows executable and installer).

    python tools/make_icons.py

Qt's SVG renderer draws each size from the vector source (small sizes stay crisp);
Pillow packs the sizes into the .ico. Run again after editing the SVG; commit all three.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PySide6.QtCore import QBuffer, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "installer" / "icons"
PNG = ROOT / "app" / "resources" / "icons" / "taizhang.png"
ICO = FOLDER / "taizhang.ico"
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> Image.Image:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(buffer.data().data()))).convert("RGBA")


def main() -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(FOLDER / "taizhang.svg"))
    if not renderer.isValid():
        print("taizhang.svg is not a valid SVG", file=sys.stderr)
        return 1
    images = {size: render(renderer, size) for size in ICO_SIZES}
    PNG.parent.mkdir(parents=True, exist_ok=True)
    images[256].save(PNG, optimize=True)
    images[256].save(ICO, sizes=[(s, s) for s in ICO_SIZES],
                     append_images=[images[s] for s in ICO_SIZES if s != 256])
    for path in (PNG, ICO):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
