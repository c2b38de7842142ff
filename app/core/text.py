"""Invisible characters that must not reach anything the district prints.

Bidirectional controls (U+202A–U+202E, U+2066–U+2069, LRM/RLM, ALM) reorder how a line
is shown, so "…完成100%‮前月3" can print as something it does not say; zero-width
characters (U+200B–U+200D, U+2060, BOM) hide inside names and make equal-looking texts
differ. Reported values with a bidi control are refused (the clerk retypes them);
zero-width characters are dropped; plan texts and names lose both; the printed 通报 and
汇总表 strip both as a last guard.
"""

from __future__ import annotations

import re

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
_ZERO_WIDTH = re.compile(f"[{ZERO_WIDTH}]")
_INVISIBLE = re.compile(f"[{BIDI_CONTROLS}{ZERO_WIDTH}]")


def has_bidi_control(text: str) -> bool:
    return bool(_BIDI.search(text))


def strip_zero_width(text: str) -> str:
    return _ZERO_WIDTH.sub("", text)


def strip_invisible(text: str) -> str:
    """``text`` without bidi controls and zero-width characters."""
    return _INVISIBLE.sub("", text) if text else text
