"""The anaphor inventory (`ontology/patterns/anaphora.toml`): which words stand for which entities.

This module only reads and checks the data; `pronouns` chooses the antecedents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any

from ..datafiles import load_toml, table_line
from ..errors import RegistryError
from ..resources import ontology_dir

RULES = ("possessive", "entity", "subject", "group", "all", "latter")
CLASSES = ("Company", "Organization", "Person", "Chip", "Product")
_ORG = ("Company", "Organization")


@dataclass(frozen=True)
class Anaphor:
    """One class of anaphor: its forms and how its antecedent is chosen (see the data file)."""

    rule: str
    regex: re.Pattern[str]
    id: str = ""
    classes: tuple[str, ...] = _ORG
    last: bool = False
    reach: int = 3
    topic: bool = False
    count: int = 0
    prefer_names: re.Pattern[str] | None = None
    require_names: bool = False
    prefer_subject_of: frozenset[str] = frozenset()
    # a candidate the document describes as the anaphor does (`chips startup Rivos`, `Rivos, a chip
    # startup,`) is taken first: regexes over the text around a mention, the mention itself as `@@`
    prefer_described: re.Pattern[str] | None = None
    avoid_subject_of: frozenset[str] = frozenset()
    avoid_object_of: frozenset[str] = frozenset()
    possessor_is_subject: bool = False
    unique: bool = False
    pronoun: bool = False


@dataclass(frozen=True)
class Clause:
    """Cues for where a clause starts and whether an anaphor is its subject or an object."""

    breaks: re.Pattern[str]
    subject_prefix: re.Pattern[str]
    subject_after: re.Pattern[str]
    object_after: re.Pattern[str]
    verb_follows: re.Pattern[str]
    possessive_follows: re.Pattern[str]
    attribution: re.Pattern[str]


CLAUSE_KEYS: tuple[str, ...] = tuple(f.name for f in fields(Clause))
"""The cues every `[LANG.clause]` table of `anaphora.toml` must give."""


@dataclass(frozen=True)
class Inventory:
    """The anaphors of one language, in the order they are tried."""

    anaphors: tuple[Anaphor, ...]
    clause: Clause
    topic_min_mentions: int = 2


def _compile(file: Path, where: str, source: str) -> re.Pattern[str]:
    try:
        return re.compile(source)
    except re.error as exc:
        raise RegistryError(f"{file}: {where}: bad regex ({exc}): {source} — fix the pattern") from exc


def _alternatives(file: Path, where: str, forms: list[str]) -> re.Pattern[str]:
    if not forms:
        raise RegistryError(f"{file}: {where}: no forms — add at least one regex to `forms`")
    return _compile(file, where, "|".join(f"(?:{form})" for form in forms))


def _anaphor(file: Path, where: str, raw: dict[str, Any], reach: int) -> Anaphor:
    known = {
        "id",
        "examples",
        "counter",
        "rule",
        "forms",
        "classes",
        "last",
        "reach",
        "topic",
        "count",
        "prefer_names",
        "prefer_described",
        "require_names",
        "prefer_subject_of",
        "avoid_subject_of",
        "avoid_object_of",
        "possessor_is_subject",
        "unique",
        "pronoun",
    }
    unknown = sorted(set(raw) - known)
    if unknown:
        raise RegistryError(f"{file}: {where}: unknown keys {unknown}; known keys: {sorted(known)}")
    _check_sentences(file, where, raw)
    rule = raw.get("rule", "")
    if rule not in RULES:
        raise RegistryError(f"{file}: {where}: rule {rule!r} is not one of {', '.join(RULES)}")
    classes = tuple(raw.get("classes", _ORG))
    bad = [c for c in classes if c not in CLASSES]
    if bad:
        raise RegistryError(f"{file}: {where}: unknown classes {bad}; use {', '.join(CLASSES)}")
    names = raw.get("prefer_names", [])
    return Anaphor(
        id=str(raw["id"]),
        rule=rule,
        regex=_alternatives(file, where, list(raw.get("forms", []))),
        classes=classes,
        last=bool(raw.get("last", False)),
        reach=int(raw.get("reach", reach)),
        topic=bool(raw.get("topic", False)),
        count=int(raw.get("count", 0)),
        prefer_names=_alternatives(file, where, names) if names else None,
        prefer_described=_alternatives(file, where, list(raw["prefer_described"]))
        if raw.get("prefer_described")
        else None,
        require_names=bool(raw.get("require_names", False)),
        prefer_subject_of=frozenset(raw.get("prefer_subject_of", [])),
        avoid_subject_of=frozenset(raw.get("avoid_subject_of", [])),
        avoid_object_of=frozenset(raw.get("avoid_object_of", [])),
        possessor_is_subject=bool(raw.get("possessor_is_subject", False)),
        unique=bool(raw.get("unique", False)),
        pronoun=bool(raw.get("pronoun", False)),
    )


def _entry(file: Path, lang: str, index: int, raw: dict[str, Any], seen: dict[str, str]) -> str:
    """How errors name an entry (its number and id), once its id is checked: present and unique."""
    line = table_line(file, f"{lang}.anaphor", index + 1)
    where = f"[[{lang}.anaphor]] #{index + 1} (line {line})"
    entry_id = raw.get("id")
    if not isinstance(entry_id, str) or not entry_id.strip():
        raise RegistryError(
            f'{file}: {where}: no `id` — give the entry a unique id such as "{lang}.the-company"'
        )
    if entry_id in seen:
        raise RegistryError(
            f"{file}: {where} id {entry_id!r} is also the id of {seen[entry_id]} — ids must be unique; rename one"
        )
    seen[entry_id] = where
    return f"[[{lang}.anaphor]] #{index + 1} ({entry_id}, line {line})"


def _check_sentences(file: Path, where: str, raw: dict[str, Any]) -> None:
    """`examples = [[text, anaphor, antecedent or [antecedents]]]`, `counter = [text or
    [text, anaphor, wrong antecedent]]`: the shapes `kg.nlp.examples` expands."""
    for example in raw.get("examples", []):
        ok = isinstance(example, list) and len(example) == 3 and all(isinstance(x, str) for x in example[:2])
        if not ok or not isinstance(example[2], (str, list)):
            raise RegistryError(
                f"{file}: {where}: example {example!r} is not [text, anaphor, antecedent] — "
                "write the sentence, the anaphor as written, and the name (or list of names) it stands for"
            )
    for counter in raw.get("counter", []):
        if not (isinstance(counter, str) or (isinstance(counter, list) and len(counter) == 3)):
            raise RegistryError(
                f"{file}: {where}: counter-example {counter!r} is neither a sentence nor "
                "[text, anaphor, antecedent it must not take] — fix its shape"
            )


@cache
def load_anaphora(path: str = "") -> dict[str, Inventory]:
    """Each language's anaphor inventory (the shipped `anaphora.toml` when `path` is empty)."""
    file = Path(path) if path else ontology_dir() / "patterns" / "anaphora.toml"
    data = load_toml(file)
    settings = data.get("settings", {})
    reach = int(settings.get("reach", 3))
    out: dict[str, Inventory] = {}
    seen: dict[str, str] = {}  # entry id -> where it was first used
    for lang, table in data.items():
        if lang == "settings":
            continue
        cues = table.get("clause")
        if cues is None:
            raise RegistryError(f"{file}: [{lang}.clause] is missing — every language needs its clause cues")
        keys = CLAUSE_KEYS
        missing = [k for k in keys if k not in cues]
        if missing:
            raise RegistryError(f"{file}: [{lang}.clause] lacks {missing}")
        clause = Clause(*(_compile(file, f"[{lang}.clause] {k}", cues[k]) for k in keys))
        anaphors = tuple(
            _anaphor(file, _entry(file, lang, i, raw, seen), raw, reach)
            for i, raw in enumerate(table.get("anaphor", []))
        )
        out[lang] = Inventory(anaphors, clause, int(settings.get("topic_min_mentions", 2)))
    return out
