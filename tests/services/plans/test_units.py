from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import UserFacingError
from app.models import Unit, UnitAlias
from app.services.db import Database
from app.services.plans.units import (
    ALIAS,
    ALIAS_THRESHOLD,
    EXISTING,
    NEW,
    KnownUnit,
    UnitMatcher,
    apply_overrides,
    clean_name,
    is_collective,
    known_units,
    levels_differ,
    split_top,
    split_units,
    to_simplified,
    unit_key,
    write_units,
)


@pytest.mark.parametrize(("a", "b"), [
    ("常州市天宁生态环境局", "天宁生态环境局"),
    ("区农业农村局（水利局）", "农业农村局(水利局)"),
    ("郑陆镇人民政府", "郑陆镇"),
    ("雕庄街道办事处", "雕庄街道"),
    ("开发区管委会", "开发区"),
    ("市住房和城鄉建設局", "市住建局"),  # traditional and the long official form
    ("市發展改革委", "市发改委"),
    ("市城市管理綜合行政執法局", "市城管执法局"),
    ("区市场监督管理局", "区市场监管局"),
    ("自然资源和规划天宁分局", "资规天宁分局"),
    ("唐山市委组织部", "市委组织部"),
    ("江苏省常州市天宁区住建局", "住建局"),
])
def test_spellings_of_one_unit_share_a_key(a: str, b: str) -> None:
    assert unit_key(a) == unit_key(b)


@pytest.mark.parametrize(("a", "b"), [
    ("市委组织部", "市委宣传部"), ("区发改局", "区工信局"), ("开发区", "高新区"),
    ("宜兴市人民政府", "江阴市人民政府"), ("钟楼区", "天宁区"), ("常州市天宁区人民政府", "天宁街道"),
])
def test_different_units_keep_different_keys(a: str, b: str) -> None:
    assert unit_key(a) != unit_key(b)


def test_clean_name_keeps_half_width_parentheses_and_drops_deng() -> None:
    assert clean_name(" 区农业农村局（水利局） ") == "区农业农村局(水利局)"
    assert clean_name("区发改局等") == "区发改局"
    assert clean_name("区住建局等部门") == "区住建局"
    assert to_simplified("牽頭單位") == "牵头单位"


def test_split_top_ignores_separators_inside_parentheses() -> None:
    """One splitter for unit lists and role clauses, half- and full-width parentheses."""
    assert split_top("甲(乙,丙),丁", ",") == ["甲(乙,丙)", "丁"]
    assert split_top("区农业农村局（水利局；林业局）牵头；区工信局配合", ";；") == [
        "区农业农村局（水利局；林业局）牵头", "区工信局配合"]
    assert split_top("一)二,三", ",") == ["一)二", "三"]  # a stray closing parenthesis


def test_split_units_respects_parentheses_and_role_words() -> None:
    assert split_units("区发改局、区工信局，天宁生态环境局等") == ["区发改局", "区工信局", "天宁生态环境局"]
    assert split_units("区农业农村局（水利局、林业局）、天宁生态环境局按职责分别牵头") == [
        "区农业农村局(水利局、林业局)", "天宁生态环境局"]
    assert split_units("市生态环境局 市水利局\n市住建局") == ["市生态环境局", "市水利局", "市住建局"]
    assert split_units("区发改局、区发改局") == ["区发改局"]
    assert split_units("  ") == []


@pytest.mark.parametrize(("name", "collective"), [
    ("各相关部门", True), ("各街道", True), ("相关单位", True), ("区各办局", True), ("各镇", True),
    ("镇", True), ("各市(县)区", True), ("天宁街道", False), ("郑陆镇", False), ("区教育局", False),
])
def test_groups_are_not_units(name: str, collective: bool) -> None:
    assert is_collective(name) is collective


EXISTING_UNITS = [
    KnownUnit("天宁生态环境局", "department", ("常州市天宁生态环境局",), 1),
    KnownUnit("区市场监督管理局", "department", ("区市场监管局",), 2),
    KnownUnit("郑陆镇", "town", (), 3),
    KnownUnit("区农业农村局(水利局)", "department", (), 4),
    KnownUnit("区住房和城乡建设局", "department", (), 5),
]


def test_matcher_exact_alias_key_similar_and_new() -> None:
    m = UnitMatcher(EXISTING_UNITS)
    exact = m.match("天宁生态环境局", "任务!C3")
    assert (exact.action, exact.target, exact.score) == (EXISTING, "天宁生态环境局", 1.0)
    stored_alias = m.match("常州市天宁生态环境局")
    assert (stored_alias.action, stored_alias.target) == (EXISTING, "天宁生态环境局")
    by_key = m.match("郑陆镇人民政府")
    assert (by_key.action, by_key.target, by_key.confident) == (ALIAS, "郑陆镇", True)
    paren = m.match("区农业农村局（水利局）")
    assert (paren.action, paren.target) == (ALIAS, "区农业农村局(水利局)")
    similar = m.match("区住房城乡建设管理局")  # not the same key, not close enough: new,
    assert similar.action == NEW and similar.target == "区住房城乡建设管理局"  # unless picked
    assert similar.candidates[0] == "区住房和城乡建设局" and similar.score < ALIAS_THRESHOLD
    new = m.match("区禁放办", "任务!D9")
    assert (new.action, new.target, new.kind) == (NEW, "区禁放办", "department")
    assert new.candidates and new.cells == ["任务!D9"]
    street = m.match("茶山街道")
    assert (street.action, street.kind) == (NEW, "street")
    again = m.match("区禁放办", "任务!D12")
    assert again is new and new.cells == ["任务!D9", "任务!D12"]
    # a second spelling of a name this import creates joins it
    twin = m.match("区禁放办等")
    assert twin.action in (ALIAS, EXISTING) and twin.target == "区禁放办"


def test_matcher_uses_the_workbooks_own_unit_list() -> None:
    declared = [KnownUnit("开发区", "zone", ("开发区管委会", "天宁经济开发区"))]
    m = UnitMatcher([], declared)
    assert m.match("开发区").action == NEW and m.match("开发区").kind == "zone"
    d = m.match("天宁经济开发区")
    assert (d.action, d.target, d.declared) == (ALIAS, "开发区", True)


def test_overrides_new_alias_chain_and_errors() -> None:
    m = UnitMatcher(EXISTING_UNITS)
    for name in ("区住房城乡建设管理局", "区禁放办", "禁放办公室", "天宁生态环境局"):
        m.match(name)
    decisions = m.ordered()
    out = apply_overrides(decisions, {"区住房城乡建设管理局": "区住房城乡建设管理局",
                                      "禁放办公室": "区禁放办"}, EXISTING_UNITS)
    by = {d.name: d for d in out}
    assert (by["区住房城乡建设管理局"].action, by["区住房城乡建设管理局"].target) == (NEW, "区住房城乡建设管理局")
    assert (by["禁放办公室"].action, by["禁放办公室"].target) == (ALIAS, "区禁放办")
    # an alias of an existing unit written by its alias resolves to the unit itself
    out = apply_overrides(m.ordered(), {"区禁放办": "区市场监管局"}, EXISTING_UNITS)
    assert {d.name: d.target for d in out}["区禁放办"] == "区市场监督管理局"
    with pytest.raises(UserFacingError, match="既不是已有单位"):
        apply_overrides(m.ordered(), {"区禁放办": "没有这个单位"}, EXISTING_UNITS)
    with pytest.raises(UserFacingError, match="没有单位"):
        apply_overrides(m.ordered(), {"没写过的单位": "区禁放办"}, EXISTING_UNITS)
    m2 = UnitMatcher([])
    m2.match("甲单位")
    m2.match("乙单位")
    with pytest.raises(UserFacingError, match="成环"):
        apply_overrides(m2.ordered(), {"甲单位": "乙单位", "乙单位": "甲单位"}, [])


def test_write_units_remembers_aliases_for_the_next_import(db: Database) -> None:
    with Session(db) as s, s.begin():
        s.add(Unit(name="郑陆镇", kind="town"))
    with Session(db) as s:
        m = UnitMatcher(known_units(s))
    for name in ("郑陆镇人民政府", "区禁放办"):
        m.match(name)
    with Session(db) as s, s.begin():
        ids = write_units(s, m.ordered())
    with Session(db) as s:
        assert s.scalar(select(UnitAlias.alias).where(UnitAlias.unit_id == ids["郑陆镇人民政府"])) \
            == "郑陆镇人民政府"
        assert s.scalar(select(Unit.kind).where(Unit.name == "区禁放办")) == "department"
        again = UnitMatcher(known_units(s)).match("郑陆镇人民政府")
    assert (again.action, again.target) == (EXISTING, "郑陆镇")


def test_a_city_unit_never_aliases_a_district_unit() -> None:
    """市生态环境局 scored 83 % against 天宁生态环境局: one click stored the wrong lead unit."""
    m = UnitMatcher(EXISTING_UNITS)
    city = m.match("市生态环境局")
    assert (city.action, city.target) == (NEW, "市生态环境局")
    assert "天宁生态环境局" not in city.candidates
    assert m.match("常州市生态环境局").target == "市生态环境局"  # the same city unit
    assert m.match("省生态环境厅").action == NEW
    assert levels_differ("市住建局", "区住房和城乡建设局")
    assert levels_differ("江苏省生态环境厅", "天宁生态环境局", unsaid_is_district=True)
    assert not levels_differ("区住建局", "常州市天宁区住建局")  # the last place named
    assert not levels_differ("县住建局", "区住建局")  # both county level
    assert not levels_differ("郑陆镇", "天宁生态环境局", unsaid_is_district=True)
    # the same key still joins a city-prefixed spelling of the district's own unit
    assert m.match("常州市天宁生态环境局").target == "天宁生态环境局"


def test_a_close_but_not_certain_match_is_proposed_only_above_a_high_score() -> None:
    m = UnitMatcher(EXISTING_UNITS)
    for written in ("区住房城乡建设管理局", "区禁放办"):
        d = m.match(written)
        assert d.action == NEW or d.score >= ALIAS_THRESHOLD >= 0.9
