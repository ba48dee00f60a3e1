"""The kg_quantities component: each quantity kind with its value, unit and comparator."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.errors import RegistryError
from kg.nlp import pipeline_for
from kg.nlp.examples import Case, entries, entry_cases, passes, readings
from kg.nlp.quantities import QuantityMention, load_quantity_words
from kg.resources import ontology_dir
from kg.vocab import QUANTITIES


def quantities(text: str, lang: str) -> list[QuantityMention]:
    found: list[QuantityMention] = pipeline_for(lang)(text)._.kg_quantities
    return found


@pytest.mark.parametrize(
    ("lang", "text", "kind", "value", "unit", "comparator"),
    [
        ("zh", "英伟达控制着 AI 芯片全球 80% 以上的市场。", "marketShare", "0.8", "fraction", "AtLeast"),
        ("zh", "英伟达占据了 AI 芯片市场约 90% 的份额。", "marketShare", "0.9", "fraction", "Approximately"),
        (
            "en",
            "Nvidia holds more than 80% of the market for AI chips.",
            "marketShare",
            "0.8",
            "fraction",
            "MoreThan",
        ),
        ("en", "AMD's market share is 12.5% today.", "marketShare", "0.125", "fraction", "Exactly"),
        ("zh", "这台计算机使用了 10000 个 NVIDIA GPU。", "unitCount", "10000", "GPU", "Exactly"),
        ("zh", "百度订购了 1600 颗昇腾芯片。", "unitCount", "1600", "芯片", "Exactly"),
        ("en", "xAI runs up to 100,000 H100 GPUs in Memphis.", "unitCount", "100000", "GPU", "AtMost"),
        ("zh", "OpenAI 组建了一支约 20 人的研发团队。", "headcount", "20", "person", "Approximately"),
        (
            "en",
            "The startup hired about 20 engineers from Google.",
            "headcount",
            "20",
            "person",
            "Approximately",
        ),
        ("en", "Meta built a 50-person team for the chip.", "headcount", "50", "person", "Exactly"),
        ("zh", "英伟达向 OpenAI 投资 46 亿美元。", "amount", "4600000000", "USD", "Exactly"),
        ("zh", "摩尔线程募资逾 80 亿元。", "amount", "8000000000", "CNY", "MoreThan"),
        ("zh", "字节跳动今年投入逾1,600亿元。", "amount", "160000000000", "CNY", "MoreThan"),
        ("zh", "显卡配备96GB显存。", "memoryCapacity", "96", "GB", "Exactly"),
        ("en", "Amazon invested $4 billion in Anthropic.", "amount", "4000000000", "USD", "Exactly"),
        ("en", "The deal is worth more than US$1.5 billion.", "amount", "1500000000", "USD", "MoreThan"),
        ("en", "Maia 100 is built on a 5nm process.", "processNode", "5", "nm", "Exactly"),
        ("zh", "该芯片采用 3 纳米工艺。", "processNode", "3", "nm", "Exactly"),
        ("en", "The chip uses TSMC's N3 node.", "processNode", "3", "nm", "Exactly"),
        ("en", "The H200 carries 141GB HBM3E memory.", "memoryCapacity", "141", "GB", "Exactly"),
        ("zh", "MI300X 配备 192GB HBM3 内存。", "memoryCapacity", "192", "GB", "Exactly"),
        ("en", "It moves data at 4TB/s.", "bandwidth", "4", "TB/s", "Exactly"),
        ("zh", "带宽高达 8 TB/s。", "bandwidth", "8", "TB/s", "AtMost"),
    ],
)
def test_quantities_kind_value_unit_comparator(
    lang: str, text: str, kind: str, value: str, unit: str, comparator: str
) -> None:
    found = quantities(text, lang)
    assert [(q.kind, q.value, q.unit, q.comparator) for q in found] == [
        (kind, Decimal(value), unit, comparator)
    ]


def test_quantities_memory_type_node_name_and_counted_item() -> None:
    (memory,) = quantities("The B200 has 192GB HBM3E.", "en")
    assert memory.detail == "HBM3E"
    (node,) = quantities("Apple's chip uses N3E.", "en")
    assert (node.value, node.detail) == (Decimal(3), "N3E")
    text = "这台计算机使用了 10000 个 NVIDIA GPU。"
    (count,) = quantities(text, "zh")
    assert count.item is not None and text[count.item[0] : count.item[1]] == "NVIDIA GPU"


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Shares of Nvidia rose 225% in 2023."),  # a percentage that is no market share
        ("zh", "营收同比增长 94%。"),
        ("en", "The chip is 5 times faster."),
    ],
)
def test_quantities_ignores_numbers_of_no_kind(lang: str, text: str) -> None:
    assert quantities(text, lang) == []


def test_quantities_bad_comparator_names_the_file(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "q.toml"
    path.write_text("[en]\n[en.comparators.before]\n'about' = 'Roughly'\n", encoding="utf-8")
    with pytest.raises(RegistryError, match=r"q\.toml.*Roughly"):
        load_quantity_words("en", str(path))


# each reading's own sentences in quantities.toml, expanded as bench/score_components.py expands them
ENTRIES = entries("example", ontology_dir() / "patterns" / "quantities.toml")
CASES = [
    pytest.param(c, id=c.label) for entry in ENTRIES for c in entry_cases("kg_quantities", "example", entry)
]


def test_quantities_every_reading_carries_examples_and_counter_examples() -> None:
    covered = {(e["lang"], e["reading"]) for e in ENTRIES if e.get("examples") and e.get("counter")}
    assert covered == {(lang, r) for lang in ("zh", "en") for r in QUANTITIES}


@pytest.mark.parametrize("case", CASES)
def test_quantities_reading_given_by_its_examples_not_its_counter_examples(case: Case) -> None:
    assert passes(case), f"{case.entry} read {readings(case) or 'nothing'} from {case.text!r}"
