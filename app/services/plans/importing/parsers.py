"""The small parsers of cell text: numbering and heading styles ("一、", "(1)"), deadlines
in words, standards ("不低于95%"), the units a cell names and their roles ("X牵头,Y配合")."""

from __future__ import annotations

import datetime as dt
import re

from app.services.plans.importing.headers import norm_text
from app.services.plans.query import parse_standard
from app.services.plans.units import (
    split_top,
    split_units,
    to_simplified,
)

CN_DIGITS = "零一二三四五六七八九十百"
CN_NUMERAL = f"[{CN_DIGITS}]+"
_HEADING_STYLES = (
    ("cn、", re.compile(rf"^({CN_NUMERAL})\s*[、.．]\s*")),
    ("(cn)", re.compile(rf"^\(({CN_NUMERAL})\)\s*[、.．]?\s*")),
    ("第cn", re.compile(rf"^第({CN_NUMERAL})(?:部分|章|节|篇|项|条)?\s*[、.．:]?\s*")),
    ("n、", re.compile(r"^(\d+)\s*、\s*")),
    ("(n)", re.compile(r"^\((\d+)\)\s*")),
    ("n.", re.compile(r"^(\d+)\s*[.．](?!\d)\s*")),
)


def code_text(value: str) -> str:
    """'1、' → '1'; '(3)' → '3'; '（一）' → '一'; '2.1.' → '2.1'."""
    text = norm_text(value).strip()
    text = re.sub(r"^第", "", text)
    text = text.strip("()、.:; ")
    text = re.sub(r"(?<=\d)\s*[、.]$", "", text)
    return re.sub(r"\s+", "", text)


def split_heading(text: str) -> tuple[str | None, str]:
    """'(一)建立健全监管制度' → ('(cn)', '建立健全监管制度'); unnumbered → (None, text)."""
    t = norm_text(text).strip()
    for style, rx in _HEADING_STYLES:
        m = rx.match(t)
        if m and len(t) > m.end():
            return style, t[m.end():].strip()
    return None, t


_NUMBERING_ONLY = re.compile(rf"^[(]?(第)?({CN_NUMERAL}|\d+)[)]?[、.]?$")


def section_values(raw: list[str], exact: bool) -> list[str]:
    """Section cells of one row as a title path: in a person's sheet a numbering-only cell
    ("(一)") joins the title beside it, a title merged across two columns counts once, and
    the numbering is dropped ("(二)生态环境质量改善" → "生态环境质量改善")."""
    if exact:
        return [v for v in raw if v]
    out: list[str] = []
    pending = ""
    for v in raw:
        v = v.replace("\n", "").strip()
        if not v:
            continue
        if _NUMBERING_ONLY.match(norm_text(v)):
            pending = v
            continue
        title = split_heading(pending + v)[1] if pending else split_heading(v)[1]
        pending = ""
        if not out or out[-1] != title:
            out.append(title)
    return out


_DEADLINE_NONE = re.compile(r"^(长期坚持|长期|持续推进|持续|常态化|长效|长期推进|持续开展|按上级要求|按要求|"
                            r"每年|每季度|每月|逐年推进|全年|年度内)")


def parse_deadline(text: str, default_year: int | None) -> tuple[str | None, bool]:
    """'2021年3月底前' → '2021-03'; '2022年底' → '2022-12'; '4月底前' with a year known → that
    month; 2022-05-31 → '2022-05-31'; '长期坚持' → None (no problem). Returns (value, understood)."""
    t = to_simplified(norm_text(text)).strip()
    if not t:
        return None, True
    m = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", t)
    if m:
        return t, True
    found: list[tuple[int, int, int | None]] = []
    for m in re.finditer(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?", t):
        found.append((int(m.group(1)), int(m.group(2)), int(m.group(3))))
    rest = re.sub(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?", " ", t)
    for m in re.finditer(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*月?", rest):
        found.append((int(m.group(1)), int(m.group(2)), None))
    rest = re.sub(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*月?", " ", rest)
    quarter = {"一": 3, "1": 3, "二": 6, "2": 6, "三": 9, "3": 9, "四": 12, "4": 12}
    for m in re.finditer(r"(\d{4})\s*年\s*(上半年|下半年|第?([一二三四1-4])季度|底|末|年底|年末)?", rest):
        y, what = int(m.group(1)), m.group(2) or ""
        month = 6 if what == "上半年" else quarter[m.group(3)] if m.group(3) else 12
        found.append((y, month, None))
    if not found and default_year:
        for m in re.finditer(r"(\d{1,2})\s*月", t):
            found.append((default_year, int(m.group(1)), None))
        if not found and re.search(r"年底|年末|年内|本年度|年度内", t):
            found.append((default_year, 12, None))
    found = [f for f in found if 1 <= f[1] <= 12 and 1990 <= f[0] <= 2100]
    if found:
        y, mth, d = max(found, key=lambda f: (f[0], f[1], f[2] or 32))
        if d:
            try:
                return dt.date(y, mth, d).isoformat(), True
            except ValueError:
                pass
        return f"{y}-{mth:02d}", True
    if _DEADLINE_NONE.match(t):
        return None, True
    return None, False


_STANDARD_WORDS = (
    (re.compile(r"^(不低于|不少于|大于等于|高于等于|至少|达到)\s*(-?\d+(?:\.\d+)?)\s*(%?)\s*(以上)?$"), ">="),
    (re.compile(r"^(-?\d+(?:\.\d+)?)\s*(%?)\s*(以上|及以上)$"), ">="),
    (re.compile(r"^(不高于|不超过|不大于|低于等于|小于等于|控制在)\s*(-?\d+(?:\.\d+)?)\s*(%?)\s*(以内|以下)?$"),
     "<="),
    (re.compile(r"^(-?\d+(?:\.\d+)?)\s*(%?)\s*(以下|以内|及以下)$"), "<="),
)


def parse_standard_text(text: str | None) -> tuple[str | None, float | None]:
    """``plans.parse_standard`` plus the words people write: '不低于95%', '80%以上',
    '不超过0.5'."""
    comp, value = parse_standard(text)
    if comp is not None or not text:
        return comp, value
    t = norm_text(text).strip().replace("≧", "≥").replace("≦", "≤")
    comp, value = parse_standard(t)
    if comp is not None:
        return comp, value
    for rx, op in _STANDARD_WORDS:
        m = rx.match(t)
        if m:
            num = next(g for g in m.groups() if g and re.fullmatch(r"-?\d+(?:\.\d+)?", g))
            return op, float(num)
    return None, None


def normalise_standard(text: str) -> str:
    """Keep the written standard, only unify the JIS comparison signs (≧ → ≥, ≦ → ≤)."""
    return text.replace("≧", "≥").replace("≦", "≤")


_ROLE_PREFIX = (
    (re.compile(r"^(牵头单位|牵头部门|主责单位|责任单位|责任部门|牵头)\s*[::]\s*"), "lead"),
    (re.compile(r"^(配合单位|配合部门|协办单位|协助单位|配合)\s*[::]\s*"), "cooperating"),
    (re.compile(r"^(落实单位|实施单位|责任主体)\s*[::]\s*"), "implementing"),
)
_ROLE_SUFFIXES = (
    (re.compile(r"(负责落实|具体落实|抓好落实|落实)$"), "implementing"),
    (re.compile(r"(按职责(?:分工)?分别牵头|按职责(?:分工)?牵头|分别牵头|共同牵头|牵头负责|牵头|负责|主办)$"),
     "lead"),
    (re.compile(r"(配合|协办|协助|参与)$"), "cooperating"),
)


_FILLER = re.compile(r"^(以上|以下)?(任务)?(均需|均由|均请|需|由|请|均)")


def parse_roles(text: str, default: str | None) -> dict[str, list[str]] | None:
    """'天宁生态环境局牵头,区工信局、区发改局配合' → {'lead': [...], 'cooperating': [...]}.

    Clauses are separated by commas or semicolons; a clause ends with its role word (牵头,
    配合, 负责落实…) or starts with one ("牵头单位:…"). Without any role word the whole text
    is `default`'s; with `default` None such a text is not a list of units (None)."""
    t = to_simplified(norm_text(text)).strip()
    # "X牵头、Y配合": a role word closes its clause even when a 、 follows
    t = re.sub(r"(牵头|配合|协办|负责落实|落实|负责)、", r"\1,", t)
    clauses = [c.strip() for c in split_top(t, ",;,;。") if c.strip()]
    out: dict[str, list[str]] = {}
    pending: list[str] = []
    marked = False
    for clause in clauses:
        role = None
        body = clause
        for rx, r in _ROLE_PREFIX:
            m = rx.match(body)
            if m:
                role, body = r, body[m.end():]
                break
        for rx, r in _ROLE_SUFFIXES:
            m = rx.search(body)
            if m:
                role = role or r
                body = body[:m.start()]
                break
        body = _FILLER.sub("", body)
        if role is None:
            pending.append(body)
            continue
        marked = True
        names = [*pending, body]
        pending = []
        for part in names:
            for name in split_units(part):
                if name not in out.setdefault(role, []):
                    out[role].append(name)
    if not marked and default is None:
        return None
    if pending and default is not None:
        role = default or "lead"
        for part in pending:
            for name in split_units(part):
                if name not in out.setdefault(role, []):
                    out[role].append(name)
    return out


def trailing_roles(text: str) -> tuple[str, dict[str, list[str]]] | None:
    """Split '…实施。(天宁生态环境局牵头,区工信局配合)' into the text and its units, when the
    closing parenthesis names units with role words."""
    t = text.rstrip()
    tail = ""
    while t and t[-1] in "。.;;":
        tail = t[-1] + tail
        t = t[:-1].rstrip()
    if not t or t[-1] not in "))":
        return None
    depth = 0
    for i in range(len(t) - 1, -1, -1):
        ch = t[i]
        if ch in "))":
            depth += 1
        elif ch in "((":
            depth -= 1
            if depth == 0:
                inner = t[i + 1:-1]
                roles = parse_roles(inner, None)
                if not roles or not any(roles.values()):
                    return None
                head = t[:i].rstrip()
                if tail and not head.endswith(("。", ".", ";", ";")):
                    head += tail
                return head, roles
    return None
