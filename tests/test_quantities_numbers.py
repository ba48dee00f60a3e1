"""Chinese number words: the parser on its own, then in the kg_quantities component."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from kg.nlp import pipeline_for
from kg.nlp.quantities import QuantityMention, load_quantity_words
from kg.nlp.quantities_numbers import NumberWords


def words() -> NumberWords:
    numerals = load_quantity_words("zh").numerals
    assert numerals is not None
    return numerals


@pytest.mark.parametrize(
    ("text", "value", "comparator"),
    [
        ("两", 2, ""),
        ("八", 8, ""),
        ("十", 10, ""),
        ("十五", 15, ""),
        ("二十五", 25, ""),
        ("一百零八", 108, ""),
        ("一千零五十", 1050, ""),
        ("三千", 3000, ""),
        ("两千五", 2500, ""),
        ("千", 1000, ""),
        ("一万", 10000, ""),
        ("一万五", 15000, ""),
        ("三千五百万", 35_000_000, ""),
        ("一亿五千万", 150_000_000, ""),
        ("一万亿", 10**12, ""),
        ("二〇二四", 2024, ""),
        ("数十亿", 1_000_000_000, "MoreThan"),
        ("数千", 1000, "MoreThan"),
        ("几百", 100, "MoreThan"),
        ("上百", 100, "AtLeast"),
    ],
)
def test_quantities_numbers_parse(text: str, value: int, comparator: str) -> None:
    assert words().parse(text) == (Decimal(value), comparator)


@pytest.mark.parametrize("text", ["", "数", "上", "三个", "abc", "十余"])
def test_quantities_numbers_refuse_what_is_no_number(text: str) -> None:
    assert words().parse(text) is None


def test_quantities_numbers_pattern_needs_a_unit_after_a_vague_prefix() -> None:
    pattern = re.compile(words().pattern())
    assert pattern.fullmatch("数十亿") and pattern.fullmatch("上百") and pattern.fullmatch("两")
    assert not pattern.fullmatch("数") and not pattern.fullmatch("上两")


def test_quantities_numbers_table_is_checked() -> None:
    with pytest.raises(ValueError, match="one character"):
        NumberWords.from_table({"units": {"十十": 100}})
    with pytest.raises(ValueError, match="0 to 9"):
        NumberWords.from_table({"digits": {"拾": 10}})


def quantities(text: str) -> list[QuantityMention]:
    found: list[QuantityMention] = pipeline_for("zh")(text)._.kg_quantities
    return found


@pytest.mark.parametrize(
    ("text", "kind", "value", "unit", "comparator"),
    [
        ("甲公司订购了两颗测试芯片。", "unitCount", "2", "芯片", "Exactly"),
        ("机房里放着八组服务器。", "unitCount", "8", "服务器", "Exactly"),
        ("乙公司组建了三千人的研发团队。", "headcount", "3000", "person", "Exactly"),
        ("丙公司买下一万颗 GPU。", "unitCount", "10000", "GPU", "Exactly"),
        ("已有十余家公司采用该芯片。", "unitCount", "10", "公司", "MoreThan"),
        ("丁公司计划投资数十亿美元建厂。", "amount", "1000000000", "USD", "MoreThan"),
        ("戊公司为此招募了上百人的工程团队。", "headcount", "100", "person", "AtLeast"),
        ("己公司占据 AI 芯片市场三成的份额。", "marketShare", "0.3", "fraction", "Exactly"),
        ("己公司在该市场的份额已超过两成。", "marketShare", "0.2", "fraction", "MoreThan"),
        ("庚公司拥有近千名员工。", "headcount", "1000", "person", "Approximately"),
        ("辛公司约两千五百名工程师参与研发。", "headcount", "2500", "person", "Approximately"),
        ("壬公司融资三千五百万元。", "amount", "35000000", "CNY", "Exactly"),
    ],
)
def test_quantities_numbers_in_sentences(
    text: str, kind: str, value: str, unit: str, comparator: str
) -> None:
    found = [q for q in quantities(text) if q.kind == kind]
    assert len(found) == 1, quantities(text)
    q = found[0]
    assert (q.value, q.unit, q.comparator) == (Decimal(value), unit, comparator)


@pytest.mark.parametrize(
    "text",
    [
        "第三颗芯片将于明年交付。",  # an ordinal
        "该公司成为市场第一。",  # 成为 is no tenths
        "百度发布了新芯片。",  # 百 inside a name, with nothing counted after it
        "英伟达是一家芯片公司。",  # 一家: "a company", the indefinite article
        "甲公司推出了一颗新芯片。",
    ],
)
def test_quantities_numbers_leave_other_words_alone(text: str) -> None:
    assert [q for q in quantities(text) if q.kind in ("unitCount", "marketShare", "amount")] == []
