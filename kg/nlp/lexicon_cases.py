"""The discovery lexicons' sentences (`ontology/lexicon/*.tsv`), expanded into cases.

A lexicon row is one word, so its sentences are frames written once per table and filled with the
word: every organization head, title, descriptor, chip or product head and surname gets an
example (a sentence in which that word makes a name) and, but for surnames, a counter-example (the
same word where it makes none). Tests (tests/test_lexicon_cases.py) and the per-component scorer
(bench/score_components.py, component `kg_lexicon`) expand the same cases.

    example:  (name, class) must be among the names the pipeline finds
    counter:  ("contains", word) no name found holds the word; ("class", C[, word]) no name of class
              C (but the word itself); ("any",) no name at all
"""

from __future__ import annotations

from pathlib import Path

from ..resources import ontology_dir
from .discovery_rules import Lexicon, load_lexicon
from .examples import Case, norm

COMPONENT = "kg_lexicon"

# table -> lang -> (example frame, the name it makes, counter frame, what the counter must not read)
_FRAMES: dict[str, dict[str, tuple[str, str, str, tuple[str, ...]]]] = {
    "org_heads": {
        "en": (
            "The round drew Kestrel {w} and others.",
            "Kestrel {w}",
            "Analysts said {l} demand was weak.",
            ("contains", "{w}"),
        ),
        "zh": ("，云岚{w}宣布完成融资。", "云岚{w}", "分析师认为{w}需求疲软。", ("contains", "{w}")),
    },
    "titles": {
        "en": (
            "Lumora {w} Dana Whitfield said the chip is late. Dana Whitfield, {w} at Lumora, agreed.",
            "Dana Whitfield",
            "The {w} role at the firm is open.",
            ("class", "Person"),
        ),
        "zh": (
            "寒光科技{w}林思远表示，产品将在明年量产。",
            "林思远",
            "该公司的{w}职位目前空缺。",
            ("class", "Person"),
        ),
    },
    "descriptors": {
        "en": (
            "Kestrel, a {w} based in Austin, raised money.",
            "Kestrel",
            "Many {w}s raised money this year.",
            ("any",),
        ),
        "zh": ("上海{w}云岚宣布完成融资。", "云岚", "许多{w}今年完成了融资。", ("any",)),
    },
    "heads": {
        # (a head that is a registry name itself, TPU, is that chip: no other name of the class is read)
        "en": (
            "Lumora unveiled the Corsa-7, a new {w}.",
            "Corsa-7",
            "Demand for the {w} market rose.",
            ("class", "{c}", "{w}"),
        ),
        "zh": ("寒光科技发布了代号「青鸾」的{w}。", "青鸾", "今年{w}需求上升。", ("class", "{c}", "{w}")),
    },
}


def _rows(lexicon: Lexicon, table: str, lang: str) -> list[tuple[str, str]]:
    """(word, class) of a table's rows in one language; a title's class is Person."""
    if table == "titles":
        return [(w, "Person") for w in lexicon.titles.get(lang, [])]
    if table == "descriptors":
        zh = lang == "zh"
        return sorted(
            (w, c)
            for w, c in lexicon.descriptors.items()
            if any("\u4e00" <= ch <= "\u9fff" for ch in w) == zh
        )
    rows = getattr(lexicon, table).get(lang, {})
    return sorted((w, c[0] if isinstance(c, tuple) else c) for w, c in rows.items())


def lexicon_cases(folder: Path | None = None) -> list[Case]:
    """Every lexicon word's example and counter-example, and every surname's example."""
    lexicon = load_lexicon(folder or ontology_dir() / "lexicon")
    out: list[Case] = []
    for table, langs in _FRAMES.items():
        for lang, (example, name, counter, wrong) in langs.items():
            for word, cls in _rows(lexicon, table, lang):
                entry = f"{table}.{lang}:{word}"

                def fill(frame: str, word: str = word, cls: str = cls) -> str:
                    return frame.format(w=word, l=word.lower(), c=cls)

                out.append(Case(COMPONENT, table, entry, lang, fill(example), True, (fill(name), cls)))
                out.append(
                    Case(COMPONENT, table, entry, lang, fill(counter), False, tuple(fill(p) for p in wrong))
                )
    for surname in sorted(lexicon.surnames):
        text = f"寒光科技董事长{surname}明远表示看好。"
        out.append(
            Case(
                COMPONENT,
                "surnames",
                f"surnames.zh:{surname}",
                "zh",
                text,
                True,
                (f"{surname}明远", "Person"),
            )
        )
    return out


def lexicon_fired(case: Case, found: set[tuple[str, ...]]) -> bool:
    """An example fired when its name and class were found; a counter-example when it read what it must not."""
    if case.positive:
        return any(norm(name) == norm(case.expected[0]) and cls == case.expected[1] for name, cls in found)
    how, *what = case.expected
    if how == "contains":
        return any(norm(what[0]) in norm(name) for name, _cls in found)
    if how == "class":  # (but for the word itself, where the registry knows it: TPU)
        return any(cls == what[0] and norm(name) != norm(what[-1]) for name, cls in found)
    return bool(found)
