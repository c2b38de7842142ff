"""The small parsers: deadlines in words, standards, units and their roles in a cell."""

from __future__ import annotations

import pytest

from app.services.plans.importing.parsers import (
    parse_deadline,
    parse_roles,
    parse_standard_text,
    trailing_roles,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("2021年3月底前", ("2021-03", True)), ("2022年底前", ("2022-12", True)),
    ("2022-05", ("2022-05", True)), ("2022-05-31", ("2022-05-31", True)),
    ("2021年6月30日", ("2021-06-30", True)), ("2022年上半年", ("2022-06", True)),
    ("2018年底前,2020年底前全面完成", ("2020-12", True)), ("长期坚持", (None, True)),
    ("4月底前", ("2021-04", True)), ("尽快", (None, False)), ("", (None, True)),
])
def test_parse_deadline(text: str, expected: tuple[str | None, bool]) -> None:
    assert parse_deadline(text, 2021) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("≥20", (">=", 20.0)), ("≧95", (">=", 95.0)), ("≤0.5", ("<=", 0.5)), ("100", (">=", 100.0)),
    ("95%", (">=", 95.0)), ("不低于95%", (">=", 95.0)), ("80%以上", (">=", 80.0)),
    ("不超过0.5", ("<=", 0.5)), ("制定实施", (None, None)), ("全面实施", (None, None)),
])
def test_parse_standard_text(text: str, expected: tuple[str | None, float | None]) -> None:
    assert parse_standard_text(text) == expected


def test_roles_in_words() -> None:
    assert parse_roles("天宁生态环境局牵头,区工信局、区发改局等配合", None) == {
        "lead": ["天宁生态环境局"], "cooperating": ["区工信局", "区发改局"]}
    assert parse_roles("区农业农村局(水利局)牵头、区住建局、区城管局等配合", None) == {
        "lead": ["区农业农村局(水利局)"], "cooperating": ["区住建局", "区城管局"]}
    assert parse_roles("区商务局、区市场监管局按职责分别牵头", None) == {
        "lead": ["区商务局", "区市场监管局"]}
    assert parse_roles("牽頭單位:市水利局、市生態環境局", None) == {"lead": ["市水利局", "市生态环境局"]}
    assert parse_roles("区发改局、区工信局", "cooperating") == {
        "cooperating": ["区发改局", "区工信局"]}
    assert parse_roles("试行", None) is None
    assert trailing_roles("全面推行河长制。") is None
    assert trailing_roles("按照《办法(试行)》执行。") is None
    text, roles = trailing_roles("严格秸秆禁烧管控。(天宁生态环境局牵头)") or ("", {})
    assert (text, roles) == ("严格秸秆禁烧管控。", {"lead": ["天宁生态环境局"]})
