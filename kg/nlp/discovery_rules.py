"""The data behind `kg_discovery`: rules from `ontology/patterns/discovery.toml` and the word lists
of `ontology/lexicon/` (organization heads, titles, descriptors, chip and product heads, surnames,
capitalised words that name nothing alone).

A rule's regex may say `<<MACRO>>`: a `[macro]` of the TOML file or a word list from the lexicon,
so a domain expert adds a title or a fund head to a table, not to a regular expression.

Compiling the rules' regexes (large alternations of the word lists) takes most of a load; their
compiled programs are kept on disk (`kg.diskcache`, `kg/nlp/compiled.py`), keyed by the data files,
this code and the interpreter, and looked up by each regex's exact source: a start builds each
regex from its program in C, and a source the entry lacks is simply compiled.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..datafiles import load_toml, require
from ..diskcache import cached, content_key
from ..errors import RegistryError
from ..resources import ontology_dir
from . import compiled
from .compiled import SIGNATURE, Program, from_program, program

_MACRO = re.compile(r"<<([A-Z_]+)>>")
CHECKS = frozenset(
    {
        "en_name",
        "en_rare",
        "en_proper",
        "not_sentence_start",
        "not_org",
        "not_surname",
        "model_code",
        "zh_surname",
        "zh_pos",
        "zh_proper",
        "zh_model",
    }
)
CLASS_FROM = frozenset({"", "head", "descriptor", "window"})


@dataclass(frozen=True)
class Rule:
    id: str
    lang: str
    cls: str
    regex: re.Pattern[str]
    confidence: float
    class_from: str = ""
    checks: tuple[str, ...] = ()
    min_words: int = 0
    drop_leading: bool = False
    extends: bool = False
    trim_known: bool = False
    reach: int = 16  # class_from = "window": how far (characters) a head may stand from the name


@dataclass(frozen=True)
class ListRule:
    """A coordination whose unknown members take the class of its known ones."""

    id: str
    lang: str
    whole: re.Pattern[str]
    separator: re.Pattern[str]
    item: re.Pattern[str]
    min_known: int
    classes: tuple[str, ...]  # the first types the members of a list with no known one
    confidence: float
    # the list's end is anchored by its own cue (A、B、C等机构): each member is a whole name, as written
    whole_members: bool = False
    # one known member types the rest, however many (a list of people checked name by name)
    any_known: bool = False


@dataclass(frozen=True)
class Lexicon:
    """Word lists; English entries are compared in lower case."""

    org_heads: dict[str, dict[str, tuple[str, bool]]]  # lang -> head -> (class, extends)
    heads: dict[str, dict[str, str]]  # lang -> chip/product head -> class
    descriptors: dict[str, str]  # word -> class (both languages)
    titles: dict[str, tuple[str, ...]]
    not_names: frozenset[str]
    surnames: frozenset[str]
    legal_suffixes: tuple[str, ...] = ()
    common_caps: frozenset[str] = frozenset()  # places, nationalities, dates, generic words (lower case)

    def org_head(self, lang: str, name: str) -> tuple[str, bool] | None:
        """The class and `extends` flag of the organization head `name` ends with, if any."""
        bare = re.sub(r"\s*[（(]有限合伙[）)]$", "", name)
        for head in sorted(self.org_heads.get(lang, {}), key=len, reverse=True):
            if bare.endswith(head) and (lang == "zh" or bare[: -len(head)].endswith(" ")):
                return self.org_heads[lang][head]
        return None

    def strip_heads(self, lang: str, name: str) -> str:
        """The name without its trailing organization heads: `Lumora Systems` -> `Lumora`."""
        bare = re.sub(r"\s*[（(]有限合伙[）)]$", "", name)
        changed = True
        while changed:
            changed = False
            for head in sorted(self.org_heads.get(lang, {}), key=len, reverse=True):
                if bare.endswith(head) and len(bare) > len(head):
                    bare, changed = bare[: -len(head)].rstrip(), True
                    break
        return bare


@dataclass(frozen=True)
class Rules:
    rules: tuple[Rule, ...]
    after_family: re.Pattern[str]
    after_designer: re.Pattern[str]
    list_continuation: re.Pattern[str]
    not_model: re.Pattern[str]
    family_kinds: frozenset[str]
    not_argument_kinds: frozenset[str]
    modifier_after: re.Pattern[str]
    model_confidence: float
    zh_common_freq: int
    lexicon: Lexicon
    # places an organization's name may open with (Korea Development Bank): kept when more follows
    name_places: frozenset[str] = frozenset()
    lists: tuple[ListRule, ...] = ()
    head_regex: dict[str, re.Pattern[str]] = field(default_factory=dict)  # lang -> chip/product heads


Programs = dict[str, Program | None]
"""Each regex source's compiled program (`compiled.program`), as kept on disk."""


def _compile(path: Path, where: str, pattern: str, programs: Programs) -> re.Pattern[str]:
    """The regex `pattern`, built from its program in `programs` (compiled and added there if missing)."""
    try:
        if pattern not in programs:
            programs[pattern] = program(pattern)
        return from_program(pattern, programs[pattern])
    except re.error as exc:
        raise RegistryError(f"{path}: {where}: bad regex: {exc}; fix the pattern") from exc


def _rows(path: Path, columns: int) -> Iterable[list[str]]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        row = line.split("\t")
        if len(row) != columns:
            raise RegistryError(
                f"{path}:{number}: want {columns} tab-separated columns, found {len(row)}: {line!r}"
            )
        yield [cell.strip() for cell in row]


def load_lexicon(folder: Path, legal_suffixes: Iterable[str] = ()) -> Lexicon:
    """Read the word lists of `ontology/lexicon/`."""
    org_heads: dict[str, dict[str, tuple[str, bool]]] = {}
    for head, lang, cls, extends in _rows(folder / "org_heads.tsv", 4):
        org_heads.setdefault(lang, {})[head] = (cls, extends == "yes")
    heads: dict[str, dict[str, str]] = {}
    for head, lang, cls in _rows(folder / "heads.tsv", 3):
        heads.setdefault(lang, {})[head] = cls
    titles: dict[str, list[str]] = {}
    for title, lang in _rows(folder / "titles.tsv", 2):
        titles.setdefault(lang, []).append(title)
    descriptors = {word: cls for word, _lang, cls in _rows(folder / "descriptors.tsv", 3)}
    not_names = frozenset(word for word, _lang in _rows(folder / "not_names.tsv", 2))
    surnames = (folder / "zh_surnames.txt").read_text(encoding="utf-8")
    return Lexicon(
        org_heads=org_heads,
        heads=heads,
        descriptors=descriptors,
        titles={lang: tuple(words) for lang, words in titles.items()},
        not_names=not_names,
        surnames=frozenset(
            word for line in surnames.splitlines() if not line.startswith("#") for word in line.split()
        ),
        legal_suffixes=tuple(legal_suffixes),
        common_caps=frozenset(word.lower() for word, _kind in _rows(folder / "common_caps.tsv", 2)),
    )


def _alternation(words: Iterable[str]) -> str:
    """The words as one regex, longest first; words of one length in a fixed order, so that the
    source is the same in every process (what the caches on disk are looked up by). Which of them
    is tried first never changes a match: two plain words of one length that both match at one
    place match the same characters."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w))) + ")"


def _lexicon_macros(lexicon: Lexicon) -> dict[str, str]:
    macros = {}
    for lang in ("en", "zh"):
        heads = lexicon.org_heads.get(lang, {})
        macros[f"ORG_HEAD_{lang.upper()}"] = _alternation(heads)
        macros[f"FUND_HEAD_{lang.upper()}"] = _alternation(h for h, (_c, ext) in heads.items() if ext)
        macros[f"TITLE_{lang.upper()}"] = _alternation(lexicon.titles.get(lang, ()))
        for cls in ("Chip", "Product"):
            words = [h for h, c in lexicon.heads.get(lang, {}).items() if c == cls]
            macros[f"{cls.upper()}_HEAD_{lang.upper()}"] = _alternation(words)
        words = [w for w in lexicon.descriptors if (lang == "zh") == any(ord(ch) > 0x2E80 for ch in w)]
        macros[f"DESC_{lang.upper()}"] = _alternation(words)
    macros["SURNAME_ZH"] = _alternation(lexicon.surnames)
    return macros


def _expand(pattern: str, macros: dict[str, str], file: Path, where: str) -> str:
    for _ in range(5):  # macros may use macros
        if "<<" not in pattern:
            return pattern

        def one(match: re.Match[str]) -> str:
            if match.group(1) not in macros:
                raise RegistryError(
                    f"{file}: {where}: unknown macro <<{match.group(1)}>>; define it in [macro]"
                )
            return macros[match.group(1)]

        pattern = _MACRO.sub(one, pattern)
    raise RegistryError(f"{file}: {where}: macros nest too deep")


@cache
def load_rules(path: str = "", lexicon_dir: str = "") -> Rules:
    """Read the discovery rules and word lists (the shipped ones when the paths are empty), each
    regex built from the program kept on disk for it (see the module's docstring)."""
    file = Path(path) if path else ontology_dir() / "patterns" / "discovery.toml"
    folder = Path(lexicon_dir) if lexicon_dir else ontology_dir() / "lexicon"
    try:
        parts = [file.read_bytes(), *_folder_parts(folder), *_code()]
    except OSError:
        return _load(file, folder, {})  # it names the file that cannot be read
    made: Programs = {}
    loaded: list[Rules] = []

    def build() -> Programs:
        loaded.append(_load(file, folder, made))  # compiles each regex, keeping its program in `made`
        return made

    key = content_key("discovery-regexes", [sys.version, SIGNATURE, *parts])
    programs: Programs = cached(key, build, _readable)
    return loaded[0] if loaded else _load(file, folder, programs)


def _folder_parts(folder: Path) -> list[str | bytes]:
    """The name and content of each file of the lexicon folder, in name order."""
    parts: list[str | bytes] = []
    for item in sorted(folder.iterdir()):
        if item.is_file():
            parts += [item.name, item.read_bytes()]
    return parts


def _code() -> list[bytes]:
    """The source of the code the regexes are expanded and compiled with."""
    return [Path(m.__file__).read_bytes() for m in (sys.modules[__name__], compiled) if m.__file__]


def _readable(value: object) -> bool:
    """Whether an entry read from disk maps regex sources to programs (a damaged program still
    only falls back to compiling, in `from_program`)."""
    return isinstance(value, dict) and all(
        isinstance(source, str) and (data is None or isinstance(data, tuple))
        for source, data in value.items()
    )


def _load(file: Path, folder: Path, programs: Programs) -> Rules:
    """The rules of `file` with the word lists of `folder`, each regex built by `_compile`."""
    data = load_toml(file)
    model = require(data, "model", dict, file)
    lexicon = load_lexicon(folder, model.get("legal_suffixes", ()))
    macros = {**_lexicon_macros(lexicon), **data.get("macro", {})}
    rules = []
    for raw in data.get("rule", []):
        unknown = set(raw.get("checks", ())) - CHECKS or {raw.get("class_from", "")} - CLASS_FROM
        if unknown:
            raise RegistryError(
                f"{file}: rule {raw.get('id', '?')}: unknown check or class_from {sorted(unknown)};"
                f" use one of {sorted(CHECKS)} / {sorted(CLASS_FROM - {''})}"
            )
        try:
            regex = _compile(file, raw["id"], _expand(raw["regex"], macros, file, raw["id"]), programs)
            rules.append(
                Rule(
                    id=raw["id"],
                    lang=raw.get("lang", "any"),
                    cls=raw.get("class", ""),
                    regex=regex,
                    confidence=float(raw["confidence"]),
                    class_from=raw.get("class_from", ""),
                    checks=tuple(raw.get("checks", ())),
                    min_words=int(raw.get("min_words", 0)),
                    drop_leading=bool(raw.get("drop_leading", False)),
                    extends=bool(raw.get("extends", False)),
                    trim_known=bool(raw.get("trim_known", False)),
                    reach=int(raw.get("reach", 16)),
                )
            )
        except KeyError as exc:
            raise RegistryError(f"{file}: rule {raw.get('id', '?')}: missing key {exc}") from exc
    lists = []
    for raw in data.get("list", []):
        try:
            where = f"list {raw['id']}"
            whole, separator, item = (
                _compile(file, where, _expand(raw[k], macros, file, where), programs)
                for k in ("whole", "separator", "item")
            )
            lists.append(
                ListRule(
                    raw["id"],
                    raw["lang"],
                    whole,
                    separator,
                    item,
                    int(raw["min_known"]),
                    tuple(raw["classes"]),
                    float(raw["confidence"]),
                    bool(raw.get("whole_members", False)),
                    bool(raw.get("any_known", False)),
                )
            )
        except KeyError as exc:
            raise RegistryError(f"{file}: list {raw.get('id', '?')}: missing key {exc}") from exc
    head_regex = {}
    for lang in ("en", "zh"):
        words = {**lexicon.heads.get("en", {}), **lexicon.heads.get(lang, {})}
        body = _alternation(words)
        source = rf"(?<![A-Za-z]){body}(?![A-Za-z])" if lang == "en" else body
        head_regex[lang] = _compile(folder / "heads.tsv", f"{lang} heads", source, programs)
    return Rules(
        rules=tuple(rules),
        after_family=_compile(file, "model.after_family", model["after_family"], programs),
        after_designer=_compile(file, "model.after_designer", model["after_designer"], programs),
        list_continuation=_compile(file, "model.list_continuation", model["list_continuation"], programs),
        not_model=_compile(file, "model.not_model", model.get("not_model", "(?!)"), programs),
        family_kinds=frozenset(model["family_kinds"]),
        not_argument_kinds=frozenset(model.get("not_argument_kinds", [])),
        modifier_after=_compile(file, "model.modifier_after", model.get("modifier_after", "(?!)"), programs),
        model_confidence=float(model["confidence"]),
        zh_common_freq=int(model.get("zh_common_freq", 1000)),
        name_places=frozenset(p.lower() for p in model.get("name_places", ())),
        lexicon=lexicon,
        lists=tuple(lists),
        head_regex=head_regex,
    )
