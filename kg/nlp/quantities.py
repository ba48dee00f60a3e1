"""Quantities sentences state, as a spaCy component: market share, counts, team size, money, process
node, memory capacity and bandwidth, each with its unit and comparator (80% 以上 -> at least 0.80).

`kg_quantities` puts one `QuantityMention` per quantity on `doc._.kg_quantities`; the resolver decides
which entity it is about. The number grammar is here; the words (units, currencies, classifiers,
comparators) are data in `ontology/patterns/quantities.toml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from ..datafiles import load_toml, require
from ..errors import RegistryError
from ..resources import ontology_dir
from ..vocab import COMPARATORS, QUANTITIES
from .model import doc_text
from .quantities_numbers import NumberWords

KINDS = QUANTITIES
"""The quantity kinds, named as the ontology's properties (`chip:marketShare` …)."""
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER = rf"(?P<num>{_DIGITS})"
# a number starts after no letter, digit or point: `\w` would also refuse a Chinese character (投资46亿)
_START = r"(?<![0-9A-Za-z_.])"
_START_DOLLAR = r"(?<![0-9A-Za-z_.$])"
_START_ZH = r"(?<![0-9A-Za-z_.第])"  # 第三 is an ordinal, not three
_PLURAL = re.compile(r"(?<=[A-Za-z]{2})s$")  # GPUs -> GPU, chips -> chip
_MARKET_WINDOW = 24  # characters around a percentage searched for a market word


@dataclass(frozen=True)
class QuantityMention:
    """One quantity: where, what kind, its value in the unit, the comparator and what is counted."""

    kind: str
    start: int
    end: int
    text: str
    value: Decimal
    unit: str
    comparator: str = "Exactly"
    item: tuple[int, int] | None = None  # for a count: the span naming what is counted (NVIDIA GPU)
    detail: str = ""  # memory type (HBM3), a node's own name (N3), the counted noun


@dataclass(frozen=True)
class QuantityWords:
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    scales: dict[str, Decimal]
    currencies: dict[str, str]
    market: re.Pattern[str] | None
    before: tuple[tuple[re.Pattern[str], str], ...]
    after: tuple[tuple[re.Pattern[str], str], ...]
    numerals: NumberWords | None = None


def _alt(items: list[str] | dict[str, Any]) -> str:
    return "|".join(f"(?:{item})" for item in sorted(items, key=len, reverse=True)) or "(?!)"


def _patterns(
    lang: str, section: dict[str, Any], numerals: NumberWords | None
) -> tuple[tuple[str, re.Pattern[str]], ...]:
    scale, currency = _alt(section.get("scales", {})), _alt(section.get("currencies", {}))
    counted, people = _alt(section.get("counted", [])), _alt(section.get("people", []))
    process = _alt(section.get("process", []))
    num = _NUMBER
    memory = r"(?:\s*(?P<detail>HBM\d[eE]?|LPDDR\d[xX]?|GDDR\d[xX]?|DDR\d))?"
    common = [
        ("bandwidth", rf"{_START}{num}\s*(?P<unit>[TGM]B/s|[TG]bps|[TG]B/秒)"),
        ("memoryCapacity", rf"{_START}{num}\s*(?P<unit>[TGM]B)(?![/A-Za-z0-9]){memory}"),
        ("processNode", rf"{_START}{num}\s*(?:{process})(?![a-zA-Z])"),
        ("processNode", rf"{_START}(?P<detail>N(?P<num>[1-7])[PEXA]?)(?![A-Za-z0-9]|\.[A-Za-z0-9])"),
        # a foundry's own name before a process word: 4NP 工艺, 3NE process
        ("processNode", rf"{_START}(?P<detail>(?P<num>[1-7])N[PEXA]?)(?=\s*(?:工艺|制程|process|node))"),
        ("marketShare", rf"{_START}{num}\s*(?P<unit>%|％)"),
        ("marketShare", rf"百分之{num}"),
    ]
    if lang == "zh":
        classifier = _alt(section.get("classifiers", []))
        # a number in digits or in words (两颗, 三千, 数十亿, 上百人)
        words = f"|{numerals.pattern()}" if numerals else ""
        znum = rf"{_START_ZH}(?P<num>{_DIGITS}{words})"
        tenths = section.get("numerals", {}).get("tenths", "")
        specific = [
            ("amount", rf"{znum}\s*(?P<scale>{scale})?\s*(?P<currency>{currency})"),
            ("headcount", rf"{znum}\s*(?:多|余)?\s*(?P<unit>{people})"),
            *([("marketShare", rf"{znum}\s*(?P<tenths>{tenths})")] if tenths else []),
            (
                "unitCount",
                rf"{znum}\s*(?P<scale>{scale})?\s*(?:多|余)?\s*(?:{classifier})\s*"
                rf"(?P<item>[^，,。；;、（(]{{0,16}}?(?P<unit>{counted}))",
            ),
        ]
        flags = 0
    else:
        specific = [
            ("amount", rf"(?P<currency>{currency})\s?{num}(?:\s*(?P<scale>{scale})\b)?"),
            ("amount", rf"{_START}{num}(?:\s*(?P<scale>{scale}))?\s+(?P<currency>{currency})\b"),
            ("headcount", rf"{_START}{num}-(?:person|member|people|strong)\s+(?P<unit>team|group|unit)"),
            ("headcount", rf"{_START_DOLLAR}{num}\s+(?:[a-z-]+\s+)?(?P<unit>{people})\b"),
            (
                "unitCount",
                rf"{_START_DOLLAR}{num}(?:\s*(?P<scale>thousand|million|k)\b)?\s+"
                rf"(?P<item>(?-i:[A-Z0-9][\w-]*\s+){{0,3}}(?P<unit>{counted}))\b",
            ),
        ]
        flags = re.IGNORECASE
    return tuple((kind, re.compile(p, flags if kind != "amount" else 0)) for kind, p in specific + common)


@cache
def load_quantity_words(lang: str, path: str = "") -> QuantityWords:
    """The quantity words of one language (`quantities.toml` or `path`); RegistryError names a bad file."""
    file = Path(path) if path else ontology_dir() / "patterns" / "quantities.toml"
    data = load_toml(file)
    section = require(data, lang, dict, file)
    try:
        comparators = section.get("comparators", {})
        for value in [*comparators.get("before", {}).values(), *comparators.get("after", {}).values()]:
            if value not in COMPARATORS:
                raise ValueError(f"comparator {value!r} is none of {', '.join(COMPARATORS)}")
        space = r"\s*" if lang == "zh" else r"\s+"
        before = tuple(
            (re.compile(rf"(?:^|[^\w]){word}{space}$" if lang == "en" else rf"{word}\s*$", re.I), value)
            for word, value in sorted(comparators.get("before", {}).items(), key=lambda kv: -len(kv[0]))
        )
        after = tuple(
            (re.compile(rf"\s*{word}(?![\w])" if lang == "en" else rf"\s*{word}", re.I), value)
            for word, value in comparators.get("after", {}).items()
        )
        market = section.get("market", [])
        numerals = NumberWords.from_table(section["numerals"]) if "numerals" in section else None
        for value in numerals.vague.values() if numerals else ():
            if value not in COMPARATORS:
                raise ValueError(f"numerals: comparator {value!r} is none of {', '.join(COMPARATORS)}")
        return QuantityWords(
            _patterns(lang, section, numerals),
            {str(k).lower(): Decimal(str(v)) for k, v in section.get("scales", {}).items()},
            {str(k): str(v) for k, v in section.get("currencies", {}).items()},
            re.compile(_alt(market), re.IGNORECASE) if market else None,
            before,
            after,
            numerals,
        )
    except (KeyError, ValueError, re.error) as exc:
        raise RegistryError(
            f"{file}: [{lang}]: cannot read the quantity words ({exc}); fix the entry"
        ) from exc


def _currency(text: str, words: QuantityWords) -> str:
    for pattern, code in sorted(words.currencies.items(), key=lambda kv: -len(kv[0])):
        if re.fullmatch(pattern, text, re.IGNORECASE):
            return code
    return text


def _comparator(text: str, start: int, number_end: int, end: int, sentence: int, words: QuantityWords) -> str:
    before = text[max(sentence, start - 16) : start]
    for pattern, value in words.before:
        if pattern.search(before):
            return value
    for position in (number_end, end):
        for pattern, value in words.after:
            if pattern.match(text, position, position + 8):
                return value
    return "Exactly"


def _mention(
    kind: str, match: re.Match[str], text: str, sentence: tuple[int, int], words: QuantityWords
) -> QuantityMention | None:
    groups = match.groupdict()
    vague = ""
    try:
        value = Decimal(groups["num"].replace(",", ""))
    except (InvalidOperation, AttributeError):
        parsed = words.numerals.parse(groups["num"]) if words.numerals and groups.get("num") else None
        if parsed is None:
            return None
        value, vague = parsed
        if kind in ("unitCount", "headcount") and words.numerals and groups["num"] in words.numerals.article:
            return None
    unit, detail, item = groups.get("unit") or "", groups.get("detail") or "", None
    if groups.get("scale"):
        value *= words.scales.get(groups["scale"].lower(), Decimal(1))
    if kind == "marketShare":
        near = text[
            max(sentence[0], match.start() - _MARKET_WINDOW) : min(sentence[1], match.end() + _MARKET_WINDOW)
        ]
        whole = 10 if groups.get("tenths") else 100
        if words.market is None or not words.market.search(near) or value > whole:
            return None
        value, unit = value / whole, "fraction"
    elif kind == "amount":
        unit = _currency(groups["currency"], words)
    elif kind == "processNode":
        if value <= 0 or value > 100:
            return None
        unit = "nm"
    elif kind == "memoryCapacity" or kind == "bandwidth":
        unit = unit.replace("秒", "s")
    elif kind == "headcount":
        unit = "person"
    elif kind == "unitCount":
        item = match.span("item")
        unit = detail = _PLURAL.sub("", unit)
    number_end = match.end("num") if match.start("num") >= 0 else match.end()
    comparator = _comparator(text, match.start(), number_end, match.end(), sentence[0], words)
    if comparator == "Exactly" and vague:
        comparator = vague
    return QuantityMention(
        kind, match.start(), match.end(), match[0], _plain(value), unit, comparator, item, detail
    )


def _plain(value: Decimal) -> Decimal:
    """The value without trailing zeros or an exponent (10000, 0.8, 4600000000)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def find_quantities(text: str, start: int, end: int, words: QuantityWords) -> list[QuantityMention]:
    """The quantities in `text[start:end]`, the first kind to claim a stretch of text keeping it."""
    taken: list[tuple[int, int]] = []
    found: list[QuantityMention] = []
    for kind, pattern in words.patterns:
        for match in pattern.finditer(text, start, end):
            a, b = match.span()
            if any(a < y and x < b for x, y in taken):
                continue
            mention = _mention(kind, match, text, (start, end), words)
            if mention is not None:
                taken.append((a, b))
                found.append(mention)
    return sorted(found, key=lambda q: q.start)


class QuantityTagger:
    def __init__(self, words: QuantityWords) -> None:
        self.words = words

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        found: list[QuantityMention] = []
        for sentence in doc.sents:
            found.extend(find_quantities(text, sentence.start_char, sentence.end_char, self.words))
        doc._.kg_quantities = found
        return doc


@Language.factory(
    "kg_quantities",
    default_config={"words_path": ""},
    requires=["doc.spans"],
    assigns=["doc._.kg_quantities"],
)
def make_quantities(nlp: Language, name: str, words_path: str) -> QuantityTagger:
    """`words_path`: a quantity-word TOML file; empty for the shipped `ontology/patterns/quantities.toml`."""
    return QuantityTagger(load_quantity_words(nlp.lang, words_path))
