"""The kg_time component: which times a sentence is about, and in which role."""

from __future__ import annotations

import pytest

from kg.dates import TimeSpec
from kg.nlp import pipeline_for
from kg.nlp.examples import Case, entries, entry_cases, passes, readings
from kg.nlp.times import TimeMention
from kg.resources import ontology_dir


def times(text: str, lang: str) -> list[TimeMention]:
    found: list[TimeMention] = pipeline_for(lang)(text)._.kg_times
    return found


@pytest.mark.parametrize(
    ("lang", "text", "surface", "role", "spec"),
    [
        ("zh", "台积电负责制造，预计 2026 年开始生产。", "2026 年", "point", TimeSpec(year=2026)),
        ("zh", "2020 年以来，OpenAI 一直使用英伟达 GPU。", "2020 年", "since", TimeSpec(year=2020)),
        ("zh", "自2019年起，华为自研昇腾芯片。", "2019年", "since", TimeSpec(year=2019)),
        ("zh", "截至 2025 年 6 月，三星为其代工。", "2025 年 6 月", "until", TimeSpec(year=2025, month=6)),
        ("zh", "AMD 在去年推出了 MI300 芯片。", "去年", "point", TimeSpec(years_from_now=-1)),
        (
            "zh",
            "英伟达去年 12 月发布了新芯片。",
            "去年 12 月",
            "point",
            TimeSpec(month=12, years_from_now=-1),
        ),
        ("zh", "华为于 3 月 5 日发布了昇腾芯片。", "3 月 5 日", "point", TimeSpec(month=3, day=5)),
        ("zh", "百度将于 2025年3月5日 发布新芯片。", "2025年3月5日", "point", TimeSpec(2025, 3, 5)),
        ("en", "TSMC expects to start production in 2026.", "in 2026", "point", TimeSpec(year=2026)),
        ("en", "Since 2020, OpenAI has trained on Nvidia GPUs.", "Since 2020", "since", TimeSpec(year=2020)),
        ("en", "AMD launched the MI300 last year.", "last year", "point", TimeSpec(years_from_now=-1)),
        ("en", "Nvidia will ship the chip in December.", "in December", "point", TimeSpec(month=12)),
        ("en", "The deal runs until 2030.", "until 2030", "until", TimeSpec(year=2030)),
        (
            "en",
            "Intel said on March 3, 2025 that it would...",
            "March 3, 2025",
            "point",
            TimeSpec(2025, 3, 3),
        ),
    ],
)
def test_times_expression_role_and_value(
    lang: str, text: str, surface: str, role: str, spec: TimeSpec
) -> None:
    found = times(text, lang)
    assert [(t.text, t.role, t.spec) for t in found] == [(surface, role, spec)]
    assert text[found[0].start : found[0].end] == surface


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "The cluster holds 2000 engineers' worth of code and 2048 GPUs."),
        ("en", "Revenue rose 2025% in the quarter."),
        ("zh", "公司共有 3 个月的库存和 2000 名员工。"),
        ("zh", "20 世纪 90 年代的芯片。"),
    ],
)
def test_times_numbers_that_are_not_times(lang: str, text: str) -> None:
    assert times(text, lang) == []


# each reading's own sentences in time.toml, expanded as bench/score_components.py expands them
ENTRIES = entries("example", ontology_dir() / "patterns" / "time.toml")
CASES = [pytest.param(c, id=c.label) for entry in ENTRIES for c in entry_cases("kg_time", "example", entry)]


def test_times_every_reading_carries_examples_and_counter_examples() -> None:
    covered = {(e["lang"], e["reading"]) for e in ENTRIES if e.get("examples") and e.get("counter")}
    assert covered == {(lang, r) for lang in ("zh", "en") for r in ("point", "since", "until")}


@pytest.mark.parametrize("case", CASES)
def test_times_reading_given_by_its_examples_not_its_counter_examples(case: Case) -> None:
    assert passes(case), f"{case.entry} read {readings(case) or 'nothing'} from {case.text!r}"
