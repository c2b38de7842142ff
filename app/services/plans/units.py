"""Unit names as people write them, matched to the units the database already knows.

A plan workbook names the same office in several ways ("市住建局", "市住房和城鄉建設局",
"区农业农村局（水利局）", "郑陆镇人民政府"). Names are reduced to a *key* (simplified characters,
half-width punctuation, no city/district prefix, no 人民政府/办事处 suffix, common
abbreviations) and matched on it; what still differs is proposed as a new unit or as an alias of
the closest existing unit, and the user's choice is stored as a ``UnitAlias`` so the next
import matches exactly.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import UserFacingError
from app.core.text import strip_invisible
from app.models import Unit, UnitAlias
from app.services.plans.query import guess_kind

# ---------------------------------------------------------------- text helpers


@functools.lru_cache(maxsize=1)
def _t2s_converter() -> object:
    import opencc  # opencc-python-reimplemented

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified characters (identity on simplified text)."""
    if not text or text.isascii():
        return text
    return str(_t2s_converter().convert(text))  # type: ignore[attr-defined]


def traditional_share(text: str) -> tuple[int, int]:
    """(characters that change under t2s, CJK characters): how traditional a text is."""
    cjk = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    if not cjk:
        return 0, 0
    converted = to_simplified(text)
    changed = sum(1 for a, b in zip(text, converted, strict=False) if a != b)
    return changed, cjk


_PAREN_FIX = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "〔": "(", "〕": ")",
                            "［": "(", "］": ")", "[": "(", "]": ")"})


def clean_name(name: str) -> str:
    """The display form of a written name: trimmed, no inner spaces, half-width parentheses
    (as the bundled examples write them), a trailing 等/等部门 dropped."""
    text = unicodedata.normalize("NFKC", strip_invisible(name)).translate(_PAREN_FIX)
    text = re.sub(r"\s+", "", text)
    text = text.strip(_EDGE_PUNCT)
    return re.sub(r"等(部门|单位|相关部门|相关单位)?$", "", text)


_EDGE_PUNCT = "、,;。.:\"'“”‘’"


# Long official forms → the short forms offices use; applied to keys only.
_ABBREVIATIONS = (
    ("城市管理综合行政执法", "城管"), ("城市管理行政执法", "城管"), ("城管执法", "城管"),
    ("城市管理", "城管"), ("发展和改革", "发改"), ("发展改革", "发改"),
    ("住房和城乡建设", "住建"), ("住房城乡建设", "住建"), ("工业和信息化", "工信"),
    ("市场监督管理", "市场监管"), ("自然资源和规划", "资规"), ("自然资源与规划", "资规"),
    ("卫生健康", "卫健"), ("卫生和计划生育", "卫计"), ("交通运输", "交通"),
    ("文化广电和旅游", "文旅"), ("文化和旅游", "文旅"), ("文体广电和旅游", "文旅"),
    ("人力资源和社会保障", "人社"), ("机关事务管理", "机关事务"), ("应急管理", "应急"),
    ("生态环境保护", "生态环境"), ("委员会", "委"),
)
_NOT_REGION = ("开发", "高新", "保护", "示范", "风景", "社区", "城区", "新区", "片区", "功能",
               "试验", "实验", "产业", "工业", "经济", "园区", "景区", "街区", "辖区", "管理")
_SUFFIXES = ("人民政府", "管理委员会", "管委会", "办事处", "政府")


def unit_key(name: str) -> str:
    """Matching key: '常州市天宁生态环境局' and '天宁生态环境局' share one; so do
    '区农业农村局（水利局）' and '农业农村局(水利局)', '郑陆镇人民政府' and '郑陆镇'."""
    text = to_simplified(unicodedata.normalize("NFKC", name)).translate(_PAREN_FIX)
    text = re.sub(r"[\s\"'“”‘’]+", "", text)
    text = re.sub(r"等(部门|单位)?$", "", text)
    for long, short in _ABBREVIATIONS:
        text = text.replace(long, short)
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and len(text) - len(suffix) >= 2:
            text = text[: -len(suffix)]
            break
    for _ in range(4):  # 江苏省常州市天宁区…
        if len(text) > 2 and text[0] in "省市区县" and text[1] != "场":
            text = text[1:]
            continue
        m = re.match(r"^([^省市区县]{2})(省|市|区|县)", text)
        if not m or m.group(1) in _NOT_REGION or (m.group(2) == "市" and text[3:4] == "场") \
                or len(text) - 3 < 2:
            break
        text = text[3:]
    return text


def unit_level(name: str) -> str | None:
    """'省'/'市' for a provincial or city unit ('市委组织部', '唐山市水利局'), '区'/'县' for a
    district one ('常州市天宁区住建局': the last place named), None when the name does not say."""
    text = to_simplified(unicodedata.normalize("NFKC", name)).strip()
    level = None
    for _ in range(4):  # 江苏省常州市天宁区…
        if len(text) > 2 and text[0] in "省市区县" and text[1] not in ("场", "域"):
            level, text = text[0], text[1:]
            continue
        m = re.match(r"^([^省市区县]{2})(省|市|区|县)", text)
        if not m or m.group(1) in _NOT_REGION or (m.group(2) == "市" and text[3:4] == "场") \
                or len(text) - 3 < 2:
            break
        level, text = m.group(2), text[3:]
    return level


_UPPER_LEVELS = ("省", "市")


def levels_differ(a: str, b: str, *, unsaid_is_district: bool = False) -> bool:
    """Two names that cannot be one unit for their level (区 and 县 are one level).

    With `unsaid_is_district` a name that does not say its level counts as the district's
    own (a district database's units are): 市生态环境局 is never 天宁生态环境局."""
    la, lb = unit_level(a), unit_level(b)
    if la is not None and lb is not None:
        return la != lb and not {la, lb} <= {"区", "县"}
    return unsaid_is_district and (la in _UPPER_LEVELS) != (lb in _UPPER_LEVELS)


_COLLECTIVE = re.compile(
    r"^(各|有关|相关|其他|其它|全体|所有|区各|市各|县各)|"
    r"(各(相关|有关)?(部门|单位|街道|镇|乡镇|街镇|办局|地|区|县|市))|"
    r"^(相关|有关)?(部门|单位|街道|镇|乡镇|街镇)$")


def is_collective(name: str) -> bool:
    """'各相关部门', '各街道', '相关单位': a group, not one unit."""
    text = to_simplified(name)
    return bool(_COLLECTIVE.search(text)) or text in ("镇", "街道", "开发区、镇、各街道")


_SEPARATORS = set("、,,;;/\n\r\t ")


def split_top(text: str, separators: str | set[str] | frozenset[str]) -> list[str]:
    """`text` cut at each separator outside parentheses (half- or full-width): the one
    rule for lists of units and of role clauses."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        if ch in "(\uff08":
            depth += 1
        elif ch in ")\uff09":
            depth = max(depth - 1, 0)
        if ch in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def split_units(text: str) -> list[str]:
    """'区发改局、区工信局,天宁生态环境局等' → three names; a comma inside parentheses
    ('区农业农村局（水利局）') does not split."""
    text = unicodedata.normalize("NFKC", text).translate(_PAREN_FIX)
    text = re.sub(r"\s*([()])\s*", r"\1", text)
    out = []
    for raw in split_top(text, _SEPARATORS):
        name = clean_name(strip_role_words(raw))
        if name and name not in out:
            out.append(name)
    return out


_ROLE_SUFFIX = re.compile(r"(按职责(?:分工)?分别牵头|按职责(?:分工)?牵头|按职责(?:分工)?负责|分别牵头|共同牵头"
                          r"|牵头负责|牵头|负责落实|负责|配合|协办|协助|参与|落实)$")


def strip_role_words(name: str) -> str:
    name = to_simplified(name).strip()
    for _ in range(2):
        name = _ROLE_SUFFIX.sub("", name).strip()
        name = re.sub(r"等$", "", name)
    return name


# ---------------------------------------------------------------- matching

NEW = "new"
EXISTING = "existing"
ALIAS = "alias"


@dataclass(frozen=True)
class KnownUnit:
    """A unit a name can resolve to: one in the database (id) or one declared by the
    workbook's own unit list (id None)."""

    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    id: int | None = None


@dataclass
class UnitDecision:
    """What one written name becomes. `target` is the canonical unit name: the name itself
    for a new unit, an existing unit's name for `existing`/`alias`."""

    name: str
    action: str
    target: str
    kind: str
    score: float = 1.0  # 1.0: same name or same key; else the similarity of the proposal
    candidates: tuple[str, ...] = ()
    cells: list[str] = field(default_factory=list)
    declared: bool = False  # listed in the workbook's unit sheet

    @property
    def confident(self) -> bool:
        return self.action != ALIAS or self.score >= 1.0

    def describe(self) -> str:
        if self.action == NEW:
            return "新建单位"
        if self.action == EXISTING:
            return "已有单位" if self.name == self.target else f"已有单位“{self.target}”"
        return f"作为“{self.target}”的别名"


def known_units(session: Session) -> list[KnownUnit]:
    aliases: dict[int, list[str]] = {}
    for unit_id, alias in session.execute(select(UnitAlias.unit_id, UnitAlias.alias)
                                          .order_by(UnitAlias.id)):
        aliases.setdefault(unit_id, []).append(alias)
    return [KnownUnit(u.name, u.kind, tuple(aliases.get(u.id, ())), u.id)
            for u in session.scalars(select(Unit).order_by(Unit.id))]


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, unit_key(a), unit_key(b)).ratio()


# At or above: propose "alias of the closest" (still to be confirmed); below: a new unit,
# with the closest units offered as choices. High, because one wrong click stores a wrong
# lead unit on every task that names it.
ALIAS_THRESHOLD = 0.9


class UnitMatcher:
    """Decides what each written name becomes: a database unit (same name, stored alias or
    same key), a proposal (alias of the most similar database unit), or a new unit. Names
    with the same key inside one workbook become one unit."""

    def __init__(self, existing: Sequence[KnownUnit], declared: Sequence[KnownUnit] = ()):
        self.existing = list(existing)
        self._db_kind = {u.name: u.kind for u in self.existing}
        self._exact: dict[str, str] = {}
        self._by_key: dict[str, list[tuple[str, str]]] = {}  # key → (written, unit name)
        for u in self.existing:
            for written in (u.name, *u.aliases):
                self._register(written, u.name)
        self._new_kind: dict[str, str] = {}
        self.decisions: dict[str, UnitDecision] = {}
        for u in declared:
            self._declare(u)

    def _register(self, written: str, target: str) -> None:
        self._exact.setdefault(written, target)
        self._exact.setdefault(clean_name(written), target)
        self._by_key.setdefault(unit_key(written), []).append((written, target))

    def _declare(self, unit: KnownUnit) -> None:
        decision = self.match(unit.name, kind=unit.kind)
        decision.declared = True
        for alias in unit.aliases:
            if alias in self.decisions:
                continue
            if alias in self._exact:
                d = self.match(alias)
            else:
                d = UnitDecision(alias, ALIAS, decision.target, decision.kind)
                self.decisions[alias] = d
                self._register(alias, decision.target)
            d.declared = True

    def kind_of(self, name: str) -> str:
        return self._db_kind.get(name) or self._new_kind.get(name) or guess_kind(name)

    def closest(self, name: str, limit: int = 3) -> list[tuple[float, str]]:
        """Most similar database units by difflib ratio on the keys; a unit of another
        level (a city unit for a district one) is never a candidate."""
        key = unit_key(name)
        scored = [(difflib.SequenceMatcher(None, key, unit_key(u.name)).ratio(), u.name)
                  for u in self.existing
                  if not levels_differ(name, u.name, unsaid_is_district=True)]
        scored.sort(key=lambda x: (-x[0], x[1]))
        return scored[:limit]

    def _decide(self, name: str, kind: str | None) -> UnitDecision:
        target = self._exact.get(name)
        if target is not None:
            action = EXISTING if target in self._db_kind else ALIAS
            return UnitDecision(name, action, target, self.kind_of(target))
        same_key = [t for w, t in self._by_key.get(unit_key(name), [])
                     if not levels_differ(name, w) and not levels_differ(name, t)]
        if same_key:
            target = same_key[0]
            return UnitDecision(name, ALIAS, target, self.kind_of(target))
        closest = self.closest(name)
        candidates = tuple(n for _, n in closest)
        if closest and closest[0][0] >= ALIAS_THRESHOLD:
            ratio, target = closest[0]
            return UnitDecision(name, ALIAS, target, self.kind_of(target), round(ratio, 2),
                                candidates)
        kind = kind or guess_kind(name)
        self._new_kind[name] = kind
        return UnitDecision(name, NEW, name, kind, round(closest[0][0], 2) if closest else 0.0,
                            candidates)

    def match(self, name: str, cell: str | None = None, kind: str | None = None
              ) -> UnitDecision:
        decision = self.decisions.get(name)
        if decision is None:
            decision = self._decide(name, kind)
            self.decisions[name] = decision
            self._register(name, decision.target)
        if cell and cell not in decision.cells:
            decision.cells.append(cell)
        return decision

    def ordered(self) -> list[UnitDecision]:
        return list(self.decisions.values())


def apply_overrides(decisions: Iterable[UnitDecision], overrides: dict[str, str],
                    existing: Sequence[KnownUnit]) -> list[UnitDecision]:
    """The user's choices: NAME=NAME → a new unit, NAME=OTHER → OTHER's unit (an existing
    unit, one of its aliases, or another name this import creates)."""
    out = list(decisions)
    by_name = {d.name: d for d in out}
    db: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for u in existing:
        kinds[u.name] = u.kind
        for written in (u.name, *u.aliases):
            db[written] = u.name
    for raw, choice in overrides.items():
        d = by_name.get(raw) or by_name.get(clean_name(raw))
        if d is None:
            raise UserFacingError(f"工作簿中没有单位“{raw}”,无法指定其对应单位。")
        target = choice.strip()
        if target in (d.name, raw, clean_name(raw)):
            if d.name in db:
                d.action, d.target = EXISTING, db[d.name]
            else:
                if d.action != NEW:
                    d.kind = guess_kind(d.name)
                d.action, d.target = NEW, d.name
        elif target in db or clean_name(target) in db:
            d.target = db.get(target) or db[clean_name(target)]
            d.action = EXISTING if d.name in db and db[d.name] == d.target else ALIAS
        elif target in by_name or clean_name(target) in by_name:
            d.action, d.target = ALIAS, target if target in by_name else clean_name(target)
        else:
            raise UserFacingError(f"单位“{choice}”既不是已有单位,也不是本工作簿中的单位。")
        d.score = 1.0
    # an alias of another written name ends at that name's unit (follow the chain)
    for d in out:
        seen = [d.name]
        target = d.target
        while target not in db.values() and target in by_name and by_name[target].action != NEW:
            nxt = by_name[target].target
            if nxt in seen or nxt == target:
                raise UserFacingError(f"单位对应关系成环:{'→'.join([*seen, target])}")
            seen.append(target)
            target = nxt
        if target not in db.values() and not (target in by_name
                                              and by_name[target].action == NEW):
            raise UserFacingError(f"单位“{d.name}”对应的“{target}”不存在。")
        if d.action != NEW:
            d.target = target
            d.kind = kinds.get(target) or by_name[target].kind
    return out


def canonical_map(decisions: Iterable[UnitDecision]) -> dict[str, str]:
    return {d.name: d.target for d in decisions}


def write_units(session: Session, decisions: Sequence[UnitDecision]) -> dict[str, int]:
    """Create the new units and remember every other spelling as an alias, inside the
    caller's transaction. Returns written name → unit id."""
    ids: dict[str, int] = {}
    for d in decisions:
        if d.action == NEW:
            uid = session.scalar(select(Unit.id).where(Unit.name == d.name))
            if uid is None:
                unit = Unit(name=d.name, kind=d.kind)
                session.add(unit)
                session.flush()
                uid = unit.id
            ids[d.name] = uid
    for d in decisions:
        if d.action == NEW:
            continue
        uid = ids.get(d.target)
        if uid is None:
            uid = session.scalar(select(Unit.id).where(Unit.name == d.target))
        if uid is None:
            uid = session.scalar(select(UnitAlias.unit_id).where(UnitAlias.alias == d.target))
        if uid is None:
            raise UserFacingError(f"单位“{d.target}”不存在。")
        ids[d.name] = uid
        if d.name != d.target and session.scalar(
                select(Unit.id).where(Unit.name == d.name)) is None and session.scalar(
                select(UnitAlias.id).where(UnitAlias.alias == d.name)) is None:
            session.add(UnitAlias(unit_id=uid, alias=d.name))
    session.flush()
    return ids
