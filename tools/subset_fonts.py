"""Build the bundled CJK fonts in app/resources/fonts from the system's Noto CJK collections.

    python tools/subset_fonts.py [--src /usr/share/fonts/opentype/noto] [--check]

Why: charts and printed 通报 must render Chinese on machines without 仿宋/黑体 (a bare
Linux, a locked-down government PC), and a PDF must carry its fonts. The full Noto CJK
collections are 20–27 MB each; the GB 2312 repertoire (6,763 hanzi, what official
documents are typeset in) plus ASCII, CJK punctuation, full-width forms, the symbols the
application draws and every character of the seed documents and the application's own
strings keeps each face at a few MB.

The faces (all SIL OFL 1.1, licence text copied beside them), renamed so that they never
stand in for an installed full Noto CJK font nor the other way round ("Noto" is Google's
trademark, so a modified version does not carry it):
* Taizhang Sans SC  (from Noto Sans CJK SC Regular)  — headings (黑体-like), charts
* Taizhang Serif SC (from Noto Serif CJK SC Regular) — body text (宋/仿宋-like)
* Taizhang Serif SC Bold (from Noto Serif CJK SC Bold) — the title (小标宋-like)

The CJK radicals (U+2E80–U+2FDF) and compatibility ideographs are left out: they share
glyphs with the unified ideographs, and a PDF writer that maps each glyph back to the
first code point using it would then turn 生 into ⽣ in the PDF's text layer, so that
copying or searching the PDF fails. Outlines are kept as CFF (.otf). fontTools (a matplotlib dependency) does the work; it is
listed in pyproject's [build] extra because only this script needs it directly.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "app" / "resources" / "fonts"
SEEDS = ROOT.parent / "shared" / "seeds"

# (collection file, face family inside it, new family, style, output file)
FACES = [
    ("NotoSansCJK-Regular.ttc", "Noto Sans CJK SC", "Taizhang Sans SC", "Regular",
     "TaizhangSansSC-Regular.otf"),
    ("NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC", "Taizhang Serif SC", "Regular",
     "TaizhangSerifSC-Regular.otf"),
    ("NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC", "Taizhang Serif SC", "Bold",
     "TaizhangSerifSC-Bold.otf"),
]
# code points that only duplicate a unified ideograph's glyph
DUPLICATES = [(0x2E80, 0x2FDF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)]

# Symbols the application draws: status marks, comparators, minus, bullets, dashes,
# circled and Roman numbers used in plan texts, ℃ ‰ № etc.
EXTRA = (
    "●◐○◎◆◇■□▲△▼▽★☆√×÷±≥≤≠≈∶−–—―‖…‰′″℃№§※→←↑↓·•"
    "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽"
    "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫⅰⅱⅲⅳⅴⅵⅶⅷⅸⅹ"
    "²³¹°µ²㎡㎞㎏㎎㎜㎝㎎‧"
)


def gb2312_chars() -> set[str]:
    """Every character of the GB 2312 code table (rows 0xA1–0xF7, cells 0xA1–0xFE)."""
    out: set[str] = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                out.add(bytes((hi, lo)).decode("gb2312"))
    return out


def text_chars() -> set[str]:
    """Characters of the seed documents and of the application's sources and resources."""
    out: set[str] = set()
    files = [*SEEDS.glob("*.txt"), *(ROOT / "app").rglob("*.py"),
             *(ROOT / "app" / "resources" / "examples").glob("*.json"),
             *(ROOT / "app" / "resources" / "translations").glob("*.ts")]
    for path in files:
        try:
            out |= set(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
    return {c for c in out if ord(c) >= 0x20}


def wanted_codepoints() -> set[int]:
    chars = gb2312_chars() | text_chars() | set(EXTRA)
    cps = {ord(c) for c in chars}
    cps |= set(range(0x20, 0x7F))        # ASCII
    cps |= set(range(0xA0, 0x100))       # Latin-1 (·, °, ×, ÷, ±, ²)
    cps |= set(range(0x2000, 0x2070))    # general punctuation
    cps |= set(range(0x3000, 0x3040))    # CJK symbols and punctuation
    cps |= set(range(0xFF00, 0xFFF0))    # full-width forms
    cps |= {0x2212}                      # MINUS SIGN: matplotlib's tick labels
    return {c for c in cps if not any(lo <= c <= hi for lo, hi in DUPLICATES)}


def find_face(collection: Path, family: str):  # type: ignore[no-untyped-def]
    from fontTools.ttLib import TTCollection

    for font in TTCollection(str(collection)).fonts:
        if font["name"].getDebugName(1) == family:
            return font
    raise SystemExit(f"{family} not found in {collection}")


def rename(font, family: str, style: str, source: str) -> None:  # type: ignore[no-untyped-def]
    """New family/full/PostScript names in the name table and the CFF top dict."""
    ps = f"{family.replace(' ', '')}-{style}"
    full = family if style == "Regular" else f"{family} {style}"
    names = font["name"]
    for rec in list(names.names):
        if rec.nameID in (16, 17, 21, 22):
            names.removeNames(nameID=rec.nameID)
    for name_id, text in ((1, family), (2, style), (3, f"{ps};subset of {source}"),
                          (4, full), (6, ps)):
        names.setName(text, name_id, 3, 1, 0x409)
        names.setName(text, name_id, 1, 0, 0)
    for rec in names.names:  # localised family names of the original (e.g. 思源) go too
        if rec.nameID in (1, 4) and rec.langID not in (0x409, 0):
            rec.string = full if rec.nameID == 4 else family
    cff = font["CFF "].cff
    top = cff.topDictIndex[0]
    cff.fontNames = [ps]
    top.FamilyName = family
    top.FullName = full
    if hasattr(top, "FontName"):
        top.FontName = ps
    font["OS/2"].usWeightClass = 700 if style == "Bold" else 400


def subset(collection: Path, family: str, dest: Path, codepoints: set[int],
           new_family: str, style: str) -> int:
    from fontTools import subset as ft_subset

    font = find_face(collection, family)
    options = ft_subset.Options()
    options.layout_features = ["kern"]  # horizontal text only: no vert/locl alternates
    options.name_IDs = ["*"]  # keep copyright, licence and licence URL records
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = True
    options.desubroutinize = False
    sub = ft_subset.Subsetter(options)
    present = set(font.getBestCmap())
    sub.populate(unicodes=sorted(codepoints & present))
    sub.subset(font)
    rename(font, new_family, style, f"{family} {style}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(dest))
    return len(font.getGlyphOrder())


def write_licence(src: Path) -> None:
    """The OFL text with the fonts' copyright line (OFL condition 2)."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(src / FACES[0][0]), fontNumber=2)
    copyright_ = font["name"].getDebugName(0) or "© 2014-2021 Adobe (http://www.adobe.com/)."
    deb = Path("/usr/share/doc/fonts-noto-cjk/copyright")
    body = ""
    if deb.is_file():
        text = deb.read_text("utf-8")
        start = text.find("License: SIL-1.1\n -----")
        if start >= 0:
            block = text[start:].split("\n", 1)[1]
            lines = []
            for line in block.splitlines():
                if line and not line.startswith(" "):
                    break
                lines.append("" if line.strip() == "." else line[1:])
            body = "\n".join(lines).strip() + "\n"
    if not body:
        raise SystemExit("OFL text not found (install fonts-noto-cjk)")
    notice = (f"Taizhang Sans SC, Taizhang Serif SC\n{copyright_}\n\n"
              "The files in this folder are subsets of Noto Sans CJK SC and Noto Serif CJK SC\n"
              "(https://github.com/notofonts/noto-cjk), renamed, made by\n"
              "tools/subset_fonts.py. They are licensed under the SIL Open Font License,\n"
              "Version 1.1:\n\n")
    (OUT / "OFL.txt").write_text(notice + body, "utf-8")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", default="/usr/share/fonts/opentype/noto")
    args = ap.parse_args()
    src = Path(args.src)
    cps = wanted_codepoints()
    for old in OUT.glob("*.otf"):
        old.unlink()
    for collection, family, new_family, style, name in FACES:
        dest = OUT / name
        glyphs = subset(src / collection, family, dest, cps, new_family, style)
        print(f"{dest.relative_to(ROOT)}: {glyphs} glyphs, {dest.stat().st_size / 1e6:.2f} MB")
    write_licence(src)
    return 0


if __name__ == "__main__":
    sys.exit(main())
