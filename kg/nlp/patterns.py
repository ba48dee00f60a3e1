"""The relation patterns as data: `ontology/patterns/relations.toml` and the frames compiled into
one list, each with the confidence it has earned (`measured.tsv`).

A pattern is a regex over a sentence whose entity mentions are markers (see `masking`), with
slots such as `{s:ORG}`, `{o:CHIP+}` (a coordinated list) or `{s:ORG+?}` (the shortest list that matches), word lists `{@launch}` / `{!launch}`
(the `!` form marks the trigger for modality), and gaps `{gap:12}` (no entity) / `{any:30}`.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field, fields, replace
from functools import cache, cached_property
from pathlib import Path
from types import ModuleType
from typing import Any

from .. import schema, vocab
from ..datafiles import load_toml, table_line
from ..diskcache import cached, content_key
from ..errors import RegistryError
from ..resources import ontology_dir
from ..vocab import RELATIONS
from . import compiled, frame_templates, frames, literals, masking
from .compiled import SIGNATURE, Program, from_program, program
from .frames import alternation, load_frames
from .literals import required
from .masking import CLASS_LETTER, CLOSE, OPEN

TOPIC = "@topic"
"""An emit object meaning: the document's topic, the organization it names most (`The round was led by A`)."""
EMPLOYER = "@employer"
"""An emit object meaning: the subject person's employer as the registry knows it (`CEO Elon Musk`)."""
_PLACEHOLDER = re.compile(
    r"\{(?:(?P<slot>[a-z]\w*):(?P<type>[A-Z|]+)(?P<many>\+\??)?|(?P<word>[@!]\w+)|"
    r"(?P<gap>gap|any)(?::(?P<n>\d+))?|(?P<macro>[A-Z_]+))\}"
)


@dataclass(frozen=True)
class Emit:
    subject: str
    relation: str
    object: str


@dataclass(frozen=True)
class Pattern:
    id: str
    lang: str
    source: str  # the regex, compiled on first use (`regex`)
    emits: tuple[Emit, ...]
    confidence: float
    slots: dict[str, str]  # slot name -> class letters it accepts
    check_developer: bool = False
    rest: str = ""  # "", "clause" or "sentence"
    unless_developer: bool = False
    presupposed: bool = False
    cue_source: str = ""  # a case-insensitive alternation: a sentence without one of these words cannot match
    free_slot: str = ""  # the agent's slot, which may not be a preposition's object (`backed by X`)
    slot_first: bool = False  # the pattern opens on a slot (after optional space or quote)
    needs: tuple[frozenset[str], ...] = ()  # per slot, the class letters it accepts
    # speed only: sets of strings, a sentence that lacks every string of one of them cannot match
    required: tuple[tuple[str, ...], ...] = ()
    program: Program | None = field(default=None, repr=False, compare=False)  # `source` compiled, as data

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """The compiled pattern, built on first use (most sentences need few patterns)."""
        return from_program(self.source, self.program)

    @cached_property
    def cue(self) -> re.Pattern[str] | None:
        """The cue words, compiled on first use."""
        return re.compile(self.cue_source, re.IGNORECASE) if self.cue_source else None


@dataclass(frozen=True)
class PatternSet:
    patterns: tuple[Pattern, ...]
    # per language: a sentence saying an organization was funded (its marker in the group `r`)
    funded: dict[str, re.Pattern[str]] = field(default_factory=dict)


def _expand(file: Path, pid: str, source: str, data: dict[str, Any], lang: str) -> tuple[str, dict[str, str]]:
    slots: dict[str, str] = {}
    types: dict[str, str] = data["slots"]
    words: dict[str, list[str]] = data["words"]
    macros: dict[str, str] = data.get("macros", {})
    separator = data["lists"]["separator"]

    def letters_of(type_names: str) -> str:
        letters = ""
        for name in type_names.split("|"):
            if name not in types:
                raise RegistryError(f"{file}: pattern {pid}: unknown slot type {name!r}")
            letters += "".join(CLASS_LETTER[c] for c in types[name])
        return letters

    def replace(m: re.Match[str]) -> str:
        if m.group("slot"):
            letters = slots[m.group("slot")] = letters_of(m.group("type"))
            one = f'[「“"『]?{OPEN}[{letters}]\\d+{CLOSE}[」”"』]?'
            # `+` a list, `+?` the shortest list that lets the pattern match
            lazy = "?" if m.group("many") == "+?" else ""
            body = f"{one}(?:{separator}{one})*{lazy}" if m.group("many") else one
            # Chinese text puts spaces around Latin names (与 OpenAI 合作): a slot absorbs them
            pad = "\\s*" if lang == "zh" else ""
            return f"{pad}(?P<{m.group('slot')}>{body}){pad}"
        if m.group("word"):
            name = m.group("word")[1:]
            if name not in words:
                raise RegistryError(f"{file}: pattern {pid}: unknown word list {name!r}")
            alternatives = "|".join(re.escape(w) for w in sorted(words[name], key=len, reverse=True))
            return f"(?P<t>{alternatives})" if m.group("word")[0] == "!" else f"(?:{alternatives})"
        if m.group("gap"):
            n = m.group("n") or ("12" if m.group("gap") == "gap" else "40")
            excluded = f"{OPEN}{CLOSE}" if m.group("gap") == "gap" else ""
            return f"[^{excluded}。；;！？]{{0,{n}}}?"
        name = m.group("macro")
        if name not in macros:
            raise RegistryError(f"{file}: pattern {pid}: unknown macro {{{name}}}")
        return f"(?:{macros[name]})"

    return _PLACEHOLDER.sub(replace, source), slots


PRIOR_WEIGHT = 10
"""How many observations an entry's stated confidence is worth against its measured precision."""


def load_measured(path: str = "") -> dict[str, tuple[int, int]]:
    """pattern id -> (claims made, claims the gold rejected) on the annotated texts
    (`ontology/patterns/measured.tsv`, written by `bench/measure_precision.py`)."""
    file = Path(path) if path else ontology_dir() / "patterns" / "measured.tsv"
    if not file.exists():
        return {}
    out: dict[str, tuple[int, int]] = {}
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            pid, fired, wrong, _precision = line.split("\t")
            out[pid] = (int(fired), int(wrong))
        except ValueError:
            raise RegistryError(
                f"{file}:{number}: expected `pattern<TAB>fired<TAB>wrong<TAB>precision`; "
                "rerun bench/measure_precision.py to rewrite it"
            ) from None
    return out


def measured_confidence(stated: float, fired: int, wrong: int) -> float:
    """The measured precision, shrunk towards the stated confidence by `PRIOR_WEIGHT` observations."""
    return round((fired - wrong + PRIOR_WEIGHT * stated) / (fired + PRIOR_WEIGHT), 3)


@cache
def load_patterns(path: str = "", frames_path: str = "", measured_path: str = "") -> PatternSet:
    """Read and compile the relation patterns and the frames, with each
    confidence blended with its measured precision (the shipped files where a path is empty).

    Expanding, checking and compiling them takes seconds; the result is kept on disk
    (`kg.diskcache`) with each regex's compiled program, keyed by the content of the files, the
    code that expands them and the interpreter, and each regex is built from its program when a
    sentence first needs it."""
    files = (
        Path(path) if path else ontology_dir() / "patterns" / "relations.toml",
        Path(frames_path) if frames_path else ontology_dir() / "patterns" / "frames.toml",
        Path(measured_path) if measured_path else ontology_dir() / "patterns" / "measured.tsv",
        ontology_dir() / "aichip.ttl",  # the frames' slot classes
    )
    try:
        parts = [f.read_bytes() if f.exists() else b"" for f in files] + _code()
    except OSError:
        return _build(path, frames_path, measured_path)  # it names the file that cannot be read
    key = content_key("relation-patterns", [sys.version, SIGNATURE, *parts])
    value = cached(key, lambda: _to_data(_build(path, frames_path, measured_path)), _readable)
    return _from_data(value)


_EXPANDERS: tuple[ModuleType, ...] = (compiled, frame_templates, frames, literals, masking, schema, vocab)


def _code() -> list[bytes]:
    """The source of the code a pattern set is built with (this module and what it expands with)."""
    modules = (sys.modules[__name__], *_EXPANDERS)
    return [Path(m.__file__).read_bytes() for m in modules if m.__file__]


def _to_data(patterns: PatternSet) -> dict[str, Any]:
    """A pattern set as marshal-able data: no compiled regex, each `Emit` a tuple."""
    return {
        "patterns": [
            {f.name: getattr(p, f.name) for f in fields(p)}
            | {"emits": [tuple(vars(e).values()) for e in p.emits]}
            for p in patterns.patterns
        ],
        "funded": {lang: regex.pattern for lang, regex in patterns.funded.items()},
    }


def _readable(value: Any) -> bool:
    """Whether an entry read from disk is a pattern set (not a truncated or foreign file)."""
    try:
        _from_data(value)
    except (TypeError, KeyError, AttributeError, ValueError, re.error):
        return False
    return True


def _from_data(value: dict[str, Any]) -> PatternSet:
    patterns = tuple(
        Pattern(**(p | {"emits": tuple(Emit(*e) for e in p["emits"])})) for p in value["patterns"]
    )
    return PatternSet(patterns, {lang: re.compile(source) for lang, source in value["funded"].items()})


def _build(path: str, frames_path: str, measured_path: str) -> PatternSet:
    """The pattern set read from the files, every regex compiled and checked."""
    file = Path(path) if path else ontology_dir() / "patterns" / "relations.toml"
    data = load_toml(file)
    patterns = []
    seen: set[str] = set()
    for number, raw in enumerate(data.get("pattern", []), 1):
        pid = raw.get("id", "?")
        if pid in seen:
            raise RegistryError(f"{file}: pattern id {pid!r} is used twice")
        seen.add(pid)
        missing = [k for k in ("id", "pattern", "emit") if k not in raw]
        if missing:
            line = table_line(file, "pattern", number)
            raise RegistryError(
                f"{file}:{line}: pattern {pid}: missing {', '.join(missing)}; every [[pattern]] needs id, pattern and emit"
            )
        source, slots = _expand(file, pid, raw["pattern"], data, raw.get("lang", "any"))
        try:
            compiled = program(source)
            regex = from_program(source, compiled)
        except re.error as exc:
            raise RegistryError(f"{file}: pattern {pid}: bad regex ({exc}): {raw['pattern']}") from exc
        emits = []
        for text in raw["emit"]:
            subject, relation, obj = text.split()
            if (
                relation not in RELATIONS
                or subject not in slots
                or (obj not in slots and obj not in (EMPLOYER, TOPIC))
            ):
                raise RegistryError(f"{file}: pattern {pid}: cannot emit {text!r} (slots: {sorted(slots)})")
            emits.append(Emit(subject, relation, obj))
        patterns.append(
            Pattern(
                pid,
                raw.get("lang", "any"),
                source,
                tuple(emits),
                float(raw.get("confidence", 0.8)),
                slots,
                bool(raw.get("check_developer", False)),
                str(raw.get("rest", "")),
                bool(raw.get("unless_developer", False)),
                bool(raw.get("presupposed", False)),
                free_slot="s" if _subject_first(regex, raw.get("lang", "any")) else "",
                program=compiled,
            )
        )
    frames_file = Path(frames_path) if frames_path else ontology_dir() / "patterns" / "frames.toml"
    for frame in load_frames(frames_path):
        if frame.id in seen:
            raise RegistryError(f"{frames_file}: frame id {frame.id!r} is also a pattern id")
        seen.add(frame.id)
        source, slots = _expand(file, frame.id, frame.source, data, frame.lang)
        try:
            compiled = program(source)
        except re.error as exc:
            raise RegistryError(f"{frames_file}: frame {frame.id}: bad regex ({exc})") from exc
        subject, relation, obj = frame.emit.split()
        patterns.append(
            Pattern(
                frame.id,
                frame.lang,
                source,
                (Emit(subject, relation, obj),),
                frame.confidence,
                slots,
                check_developer=frame.check_developer,
                unless_developer=frame.unless_developer,
                presupposed=frame.presupposed,
                free_slot=frame.free_slot,
                # a prefilter only: case-insensitive, so it never hides a match (Head of Compute)
                cue_source=alternation(list(frame.words)) if frame.words else "",
                program=compiled,
            )
        )
    measured = load_measured(measured_path)
    ready = [
        replace(
            p,
            needs=tuple(frozenset(v) for v in p.slots.values()),
            slot_first=_opens_on_slot(p.regex),
            required=tuple(tuple(sorted(strings)) for strings in required(p.regex, OPEN + CLOSE)),
            confidence=measured_confidence(p.confidence, *measured[p.id])
            if p.id in measured
            else p.confidence,
        )
        for p in patterns
    ]
    funded = {}
    for lang, source in data.get("discourse", {}).get("funded", {}).items():
        try:
            funded[lang] = re.compile(source.replace("{R}", f"(?P<r>{OPEN}[CO]\\d+{CLOSE})"))
        except re.error as exc:
            raise RegistryError(f"{file}: [discourse.funded] {lang}: bad regex ({exc})") from exc
    return PatternSet(tuple(ready), funded)


def _opens_on_slot(regex: re.Pattern[str]) -> bool:
    """Whether every match of a pattern starts on a slot (after a lookbehind, space or quote)."""
    source = re.sub(r"^\(\?<!\[[^\]]*\]\)", "", regex.pattern)
    return source.startswith(("(?P<", "\\s*(?P<"))


def _subject_first(regex: re.Pattern[str], lang: str) -> bool:
    """An English template whose subject stands before its trigger word (the active voice)."""
    groups = regex.groupindex
    return lang == "en" and "s" in groups and "t" in groups and groups["s"] < groups["t"]
