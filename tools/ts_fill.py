"""Write translations into a Qt .ts file from a dictionary (source text → translation).

    python tools/ts_fill.py app/resources/translations/taizhang_en.ts

The dictionary (tools/translations_en.py: ``EN``, and ``BY_CONTEXT`` for the few sources
whose translation depends on where they appear) is the reference for the messages it
names: those are set and marked finished. Messages it does not name keep what the .ts
holds (a translator may finish them in Qt Linguist). A translation whose placeholders
({0}, %1) or accelerator (&F) differ from its source is reported and not written.
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

PLACEHOLDER = re.compile(r"\{\d*(?::[^{}]*)?\}|%L?\d+|%n")
ACCELERATOR = re.compile(r"&(?=[^&\s])")


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    translation: str
    finished: bool


@dataclass
class FillReport:
    filled: int = 0
    unchanged: int = 0
    missing: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def accelerators(text: str) -> int:
    return len(ACCELERATOR.findall(text.replace("&&", "")))


def check(source: str, translation: str) -> str | None:
    """Why `translation` cannot stand for `source`, or None."""
    if not translation.strip():
        return "empty translation"
    if placeholders(source) != placeholders(translation):
        return f"placeholders {placeholders(source)} != {placeholders(translation)}"
    if accelerators(source) != accelerators(translation):
        return "accelerator (&X) missing or added"
    return None


def _contexts(root: ET.Element) -> list[tuple[str, ET.Element]]:
    return [(c.findtext("name") or "", c) for c in root.iter("context")]


def messages(ts: Path) -> list[Message]:
    root = ET.parse(ts).getroot()
    out = []
    for name, ctx in _contexts(root):
        for m in ctx.iter("message"):
            tr = m.find("translation")
            text = (tr.text or "") if tr is not None else ""
            kind = tr.get("type") if tr is not None else "unfinished"
            out.append(Message(name, m.findtext("source") or "", text,
                               kind not in ("unfinished", "obsolete", "vanished")
                               and bool(text)))
    return out


def ts_stats(ts: Path) -> tuple[int, int]:
    """(messages, unfinished) of a .ts file."""
    found = messages(ts)
    return len(found), sum(not m.finished for m in found)


def fill_ts(ts: Path, translations: Mapping[str, str],
            by_context: Mapping[tuple[str, str], str] | None = None) -> FillReport:
    """Set the translations the dictionaries name; report the messages they miss."""
    by_context = by_context or {}
    tree = ET.parse(ts)
    root = tree.getroot()
    report = FillReport()
    for name, ctx in _contexts(root):
        for m in ctx.iter("message"):
            source = m.findtext("source") or ""
            text = by_context.get((name, source), translations.get(source))
            tr = m.find("translation")
            if tr is None:
                tr = ET.SubElement(m, "translation")
            if text is None:
                if tr.get("type") == "unfinished" or not tr.text:
                    report.missing.append((name, source))
                continue
            problem = check(source, text)
            if problem is not None:
                report.problems.append(f"[{name}] {source!r} → {text!r}: {problem}")
                continue
            if tr.text == text and "type" not in tr.attrib:
                report.unchanged += 1
                continue
            tr.text = text
            tr.attrib.pop("type", None)
            report.filled += 1
    ET.indent(tree, space="    ")
    body = ET.tostring(root, encoding="unicode")
    ts.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n",
                  encoding="utf-8")
    return report


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tools.translations_en import BY_CONTEXT, EN

    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    ts = Path(argv[0])
    report = fill_ts(ts, EN, BY_CONTEXT)
    for problem in report.problems:
        print(f"problem: {problem}", file=sys.stderr)
    for context, source in report.missing:
        print(f"missing: [{context}] {source!r}")
    print(f"{ts}: {report.filled} filled, {report.unchanged} unchanged, "
          f"{len(report.missing)} missing, {len(report.problems)} refused")
    return 1 if report.missing or report.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
