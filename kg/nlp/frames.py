"""Relation frames: trigger lexicons per property and language, expanded into relation patterns.

`ontology/patterns/frames.toml` lists, per property, the words that state it (English verbs as
lemmas, inflected here; nouns; Chinese words) and the *kind* of construction they head: a verb
with its subject before and object after, a passive, a Chinese coverb frame (向X投资), a converse
(X获得Y投资, raised money from Y), a role noun (Y's rivals include X, X is an investor in Y) or
a job title (Nvidia CEO Jensen Huang). Each kind is one or two templates of the pattern language
of `relations`; the argument slots take their classes from the property's domain and range in
`ontology/aichip.ttl`. So a new cue is a word in a data file, and a new kind of construction is a
template here that every cue of that kind shares.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import RegistryError
from ..resources import ontology_dir
from ..schema import signature

# Fillers between a trigger and its object: a few words, no entity, no clause break.
_FILL_EN = r"(?:[^\uE000\uE001;!?,]|(?<=\d),(?=\d)){0,40}?"
# a `tight` frame, and every converse one after its preposition, allows determiners and numbers only
_TIGHT_EN = (
    r"(?:\s*\b(?:the|a|an|its|their|his|her|some|several|more than|about|over|up to|[\d,.]+|\w+ly)\b)*\s*"
)
_FILL_ZH = r"[^\uE000\uE001。；;！？，,]{0,12}?"
# Before a chip or product the filler may hold its maker: `uses Nvidia's H100`, `采用英伟达的 H100`
_OWNER = r"(?:\uE000[CO]\d+\uE001\s*(?:'s|’s|’|的)?\s*(?:[A-Za-z][\w-]*\s+){0,2}?)?"
# where a pronoun may stand (`trains its models on`, `buys most of its memory from`)
_ANY_EN = r"[^;!?,]{0,40}?"
_AUX_EN = r"(?:[^\uE000\uE001;!?]{0,45}?\b)?"
# between an object and a converse verb: shorter, and within one clause
_NEAR_EN = r"(?:[^\uE000\uE001;!?,]{0,30}?\b)?"
# a Chinese subject is not the object of a coverb (百度向华为订购: 华为 does not order)
_NOT_COVERBED = r"(?<![向从与和同跟为给对被由把替帮])"
# an English bare verb is a verb only after a modal, `to` or a negation (`the design` is a noun)
_MODALS = r"(?:to|will|would|can|could|may|might|must|should|shall|did|does|do|not|n't|also|jointly|now|then)\s+(?:\w+ly\s+)?"

# kind -> (language, template, which slot is the subject of the emitted triple)
# `{S}` / `{O}`: the subject / object slot of the property; `{T}` the trigger; `{P}` the
# preposition the entry asks for (or nothing); `{C}` the coverbs of a Chinese entry.
TEMPLATES: dict[str, list[tuple[str, str]]] = {
    "verb": [
        # `Humain, backed by X`: a participle before `by` is the passive's, not this frame's
        (
            "en",
            # an appositive may stand between the subject and its verb: `Humain, backed by X, uses …`
            r"{S}{SH}(?:\s*,[^,;!?]{1,60},)?"
            + _AUX_EN
            + r"{T}(?!\s+by\b){P}(?:\s+(?:the|a|an))?\b"
            + _FILL_EN
            + "{OWN}{O}{NA}{A}{NP}",
        ),
        # `对英伟达的依赖`: a trigger after 的 is a noun, read by the noun frame
        (
            "zh",
            _NOT_COVERBED
            + r"{S}{gap:15}(?<!的){T}(?:了|过|着)?"
            + _FILL_ZH
            + "{OWN}"
            + _FILL_ZH
            + "{O}{NA}{A}",
        ),
    ],
    "passive": [
        # a short time or place adjunct may stand before `by` (founded in 2022 by)
        (
            "en",
            r"{O}{gap:45}\b{T}(?:\s+(?:in|on|at|last|this|early|late)\s+[\w-]+(?:\s+[\w-]+)?)?\s+by\b"
            + _FILL_EN
            + "{S}",
        ),
        ("zh", r"{O}{gap:25}(?:由|被)\s*{S}{any:16}{T}"),
    ],
    # a possessive names the relation (Nvidia's landmark H100, 英伟达最新推出的 H20); `{T}` is empty
    "possessive": [
        (
            "en",
            r"{S}\s*(?:'s|’s|’)\s*(?:(?!(?:the|a|an|to|of|and|or|for|in|with|by|from|on|at|that|which)\b)[\w-]+\s+){0,3}?{T}{O}",
        ),
        # … and a list of examples: Nvidia's high-end AI GPUs, such as the H100, H200 and B200
        (
            "en",
            r"{S}\s*(?:'s|’s|’)\s*(?:[\w-]+\s+){0,3}?[\w-]+\s*,?\s+(?:such as|like|including|e\.g\.)\s+(?:the\s+)?{T}{O}",
        ),
        # a modifier that opens with a coverb is a clause (微软在西雅图举行的年度大会), not an ownership
        (
            "zh",
            r"{S}\s*(?:(?![在于对向与和为从到把被])[^\uE000\uE001，,。；;]{0,8}?的)\s*[^\uE000\uE001，,。；;]{0,6}?{T}{O}",
        ),
    ],
    # a funding round names its investors: X raised $N in a round led by A and B / X完成B轮融资，由A领投
    "round": [
        (
            "en",
            r"{O}[^;!?]{0,90}?\b(?:round|funding|financing|raise|investment|Series [A-H]\d?)\b"
            r"[^\uE000\uE001;!?]{0,25}?\b{T}\b\s*(?:by|from)?\b" + _TIGHT_EN + "{S}",
        ),
        (
            "zh",
            r"{O}[^。；;！？]{0,40}?融资[^\uE000\uE001。；;！？]{0,15}?(?:由)?\s*{S}\s*(?:等)?(?:共同|联合)?{T}",
        ),
        (
            "zh",
            r"{O}[^。；;！？]{0,40}?融资[^\uE000\uE001。；;！？]{0,15}?{T}\s*(?:包括|为|有|是|：|:)?\s*{S}",
        ),
    ],
    # a process named first, its chip after: Built on TSMC's N3 process, the X … / 采用台积电5nm工艺，X…
    "process_first": [
        (
            "en",
            r"\b{T}\s+(?:on|using|with|in|at)\s+"
            + _TIGHT_EN
            + r"{S}{A}\s*,\s*(?:the\s+|its\s+)?"
            + _TIGHT_EN
            + "{O}",
        ),
        ("zh", r"{T}\s*{S}{any:10}(?:工艺|制程|节点)(?:技术)?(?:制造|生产|打造)?[，,]?\s*{O}"),
    ],
    # a round whose company the sentence does not name: the document's topic (`@topic`)
    # received it: `The round was led by A and B` / `其中天使轮由A领投，B跟投`
    "implicit": [
        (
            "en",
            r"\b(?:round|funding|financing|raise|investment|Series [A-H]\d?)\b[^\uE000\uE001;!?]{0,25}?\b{T}\b\s*(?:by|from)?\b"
            + _TIGHT_EN
            + "{S}",
        ),
        ("zh", r"(?:轮|融资)[^\uE000\uE001。；;！？]{0,6}?(?:由)?\s*{S}\s*(?:等)?(?:机构)?(?:共同|联合)?{T}"),
        # a clause of its own in a round's sentence: …，B跟投
        ("zh", r"(?:轮|融资)[^。；;！？]{0,40}?[，,；;]\s*{S}\s*(?:等)?(?:机构)?(?:共同|联合)?{T}"),
    ],
    # … or by a role noun with no owner: `Investors included A and B` / `投资方包括A、B`
    "implicit_role": [
        (
            "en",
            r"(?<![\uE001’'])\s\b{T}\s+(?:include|includes|included|including|are|were|such as)\b"
            + _TIGHT_EN
            + "{S}",
        ),
        ("zh", r"(?<![\uE001的])\s*{T}\s*(?:包括|为|有|是|：|:)\s*{S}"),
    ],
    # the object first, then the trigger and the subject: 真武芯片已用于阿里巴巴 / chips shipped to X
    "inverse": [
        ("en", r"{O}" + _NEAR_EN + r"{T}\b" + _TIGHT_EN + "{S}"),
        ("zh", r"{O}{gap:15}{T}" + _FILL_ZH + "{S}"),
    ],
    "coverb": [
        # a short place or kind word may stand between the coverb and its object (与南韩三星合作)
        ("zh", _NOT_COVERBED + r"{S}{gap:15}(?:{C})[^\uE000\uE001，,。；;]{0,3}?{O}{gap:10}{T}{A}"),
    ],
    "converse": [
        ("en", r"{O}" + _NEAR_EN + r"{T}\b" + _ANY_EN + r"\b(?:{P})\b" + _TIGHT_EN + "{OWN}{S}{A}"),
        ("zh", r"{O}{gap:15}(?:{C})(?:了)?\s*{S}{gap:6}(?:的)?{gap:4}{T}"),
    ],
    # a reciprocal predicate over one coordinated subject: A and B compete / A、B和C将展开竞争
    "reciprocal": [
        ("en", r"{S}" + _AUX_EN + r"{T}(?!\s+(?:\w+\s+){0,2}?(?:with|against|to)\b){A}"),
        # not a noun compound: A、B等也被认为是潜在合作伙伴 names no partnership between A and B
        ("zh", _NOT_COVERBED + r"{S}{gap:20}(?<!的){T}(?!伙伴|方|者|关系)"),
    ],
    # a partner in an adverbial: designing its chip with Broadcom's help / in partnership with TSMC
    "adverbial": [
        ("en", r"{S}[^;!?]{0,80}?\b{T}\s+(?:the\s+)?{O}{A}"),
        ("zh", _NOT_COVERBED + r"{S}[^。；;！？]{0,30}?{T}\s*{O}{A}"),
    ],
    "noun": [
        # the noun's owner: a possessive, or the subject of a light verb (`announced a partnership with`)
        (
            "en",
            # a relative clause may separate them: `A and B, which have built chips while reducing reliance on`
            r"{S}(?:\s*(?:'s|’s|’)|(?=\s+(?:[\w-]+\s+){0,2}?(?:{TW})\b)|"
            + r"(?:\s*,\s*(?:which|who)\b[^\uE000\uE001;!?]{0,80}?\b(?:while|by|and|as)\s+)?"
            + _AUX_EN
            + r"\b(?:{L})\b)\s*(?:(?:[\w$.,%-]+|\uE000[A-Z]\d+\uE001)\s+){0,4}?{T}{P}\b"
            + _FILL_EN
            + "{OWN}{O}",
        ),
        ("zh", _NOT_COVERBED + r"{S}{gap:6}(?:{C})\s*{O}{gap:4}的{gap:6}{T}"),
    ],
}
# role nouns: the owner (Y in `Y's rivals`) and the member (X) of the role
ROLE_TEMPLATES: list[tuple[str, str, str]] = [
    # (language, template, slot of the member); `{X}` the owner slot, `{M}` the member slot
    (
        "en",
        r"{X}\s*(?:'s|’s|’)\s*(?:[\w-]+\s+){0,3}?{T}\b(?:\s*[,:]|\s+(?:include|includes|included|including|such as|like|are|were|is|was)\b)?"
        + _FILL_EN
        + "{M}",
        "o",
    ),
    (
        "en",
        r"{M}(?:[^\uE000\uE001;!?,]{0,30}?\b(?:as|is|are|was|were|be|been|become|became|becomes|remains?)(?:\s+(?:now|also|still|already|\w+ly))*)?,?\s+"
        r"(?:a|an|the|one of|another|its|their|both)\s+(?:[\w-]+\s+){0,3}?{T}\s+(?:of|to|for|in|at|with|against|behind)\b"
        + _FILL_EN
        + "{X}",
        "s",
    ),
    # the clause's subject owns the role: `Nvidia aims to shut out rivals like AMD` (entries with `owner_subject`)
    ("en+", r"{X}" + _AUX_EN + r"{T}\s*,?\s+(?:like|such as|including|among them)\s+{M}", "o"),
    ("zh", r"{X}(?:的)?{gap:6}{T}(?:包括|有|为|是|如|：|:)?\s*{M}", "o"),
    ("zh", r"{M}{gap:4}(?:是|为|成为|作为|系)\s*{X}(?:的)?{gap:6}{T}", "s"),
]
TITLE_TEMPLATES: list[tuple[str, str]] = [
    ("en", r"{O}\s*(?:'s|’s|’)?\s*(?:[\w-]+\s+){0,2}?{T},?\s+{S}"),
    # … its domain may come first: `senior vice president of networking at Nvidia`
    (
        "en",
        r"{S},\s+(?:the\s+|its\s+|a\s+|former\s+)*(?:[\w-]+\s+){0,3}?{T}"
        r"(?:\s+(?:of|for)\s+[\w&\s-]{1,30}?)?\s+(?:of|at)\s+(?:the\s+)?{O}",
    ),
    ("en", r"{S},\s+{O}\s*(?:'s|’s|’)\s*(?:[\w-]+\s+){0,2}?{T}\b"),
    ("zh", r"{O}{gap:6}{T}(?:兼[^\uE000\uE001，,。]{0,8})?\s*{S}"),
    ("zh", r"{S}\s*[（(,，]?\s*(?:现任|担任|出任|是|为)?{O}(?:的)?{gap:4}{T}"),
]


@dataclass(frozen=True)
class FramePattern:
    """One expanded frame, in the form `relations.load_patterns` compiles."""

    id: str
    lang: str
    source: str
    emit: str
    words: tuple[str, ...]
    confidence: float
    check_developer: bool
    unless_developer: bool
    presupposed: bool = False
    free_subject: bool = False


def inflect(lemma: str) -> tuple[list[str], list[str]]:
    """(all forms, past participles) of an English verb lemma; `buy/bought` gives the irregular past.

    The first word inflects (`rely on` -> `relies on`); the rest stays.
    """
    base, _, irregular = lemma.partition("/")
    head, _, tail = base.partition(" ")
    tail = f" {tail}" if tail else ""
    if head.endswith("e"):
        third, past, ing = head + "s", head + "d", head[:-1] + "ing"
    elif head.endswith("y") and len(head) > 2 and head[-2] not in "aeiou":
        third, past, ing = head[:-1] + "ies", head[:-1] + "ied", head + "ing"
    elif head.endswith(("s", "sh", "ch", "x", "z")):
        third, past, ing = head + "es", head + "ed", head + "ing"
    elif _doubles(head):
        third, past, ing = head + "s", head + head[-1] + "ed", head + head[-1] + "ing"
    else:
        third, past, ing = head + "s", head + "ed", head + "ing"
    # an irregular form may repeat the particle or not: take over/took or take over/took over
    pasts = (
        [p if tail and p.endswith(tail) else p + tail for p in irregular.split("/")]
        if irregular
        else [past + tail]
    )
    forms = [head + tail, third + tail, ing + tail, *pasts]
    return forms, pasts


def _doubles(word: str) -> bool:
    """Short consonant-vowel-consonant verbs double their last letter (ship -> shipped)."""
    return (
        3 <= len(word) <= 4 and word[-1] not in "aeiouwxy" and word[-2] in "aeiou" and word[-3] not in "aeiou"
    )


def plural(noun: str) -> list[str]:
    head, _, tail = noun.rpartition(" ")
    last = tail or noun
    prefix = f"{head} " if head else ""
    if last.endswith("y") and last[-2:-1] not in tuple("aeiou"):
        many = last[:-1] + "ies"
    elif last.endswith(("s", "sh", "ch", "x")):
        many = last + "es"
    else:
        many = last + "s"
    return [noun, prefix + many]


@cache
def load_frames(path: str = "") -> tuple[FramePattern, ...]:
    """Expand `ontology/patterns/frames.toml` (or `path`) into relation patterns."""
    file = Path(path) if path else ontology_dir() / "patterns" / "frames.toml"
    try:
        data: dict[str, Any] = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RegistryError(f"{file}: {exc}") from exc
    light: tuple[str, ...] = tuple(
        f for lemma in data.get("light", {}).get("en", []) for f in inflect(lemma)[0]
    )
    out: list[FramePattern] = []
    for number, raw in enumerate(data.get("frame", []), 1):
        where = f"{file}: frame {raw.get('id', number)}"
        try:
            out.extend(_expand_frame(raw, light))
        except (KeyError, ValueError) as exc:
            raise RegistryError(f"{where}: {exc}; see the header of the file for the fields") from exc
    return tuple(out)


def _words(raw: dict[str, Any], lang: str, kind: str, passive: bool) -> tuple[list[str], list[str]]:
    """(words, bare English verbs): a bare verb counts only after a modal, `to` or a negation."""
    words: list[str] = []
    bases: list[str] = []
    if lang == "en" and "verbs" in raw:
        for lemma in raw["verbs"]:
            forms, pasts = inflect(lemma)
            words.extend(pasts if passive else forms[1:])
            if not passive:
                bases.append(forms[0])
    elif lang == "en":
        for noun in raw.get("nouns", []):
            words.extend(plural(noun))
    else:
        words.extend(raw.get("words", []))
    if lang == "en":  # a sentence may open on the word: Built on …, Investors included …
        words += [w[0].upper() + w[1:] for w in words if w[:1].islower()]
    if not words and kind != "possessive":
        raise ValueError("no words (an English entry has `verbs` or `nouns`, a Chinese one `words`)")
    return sorted(set(words), key=len, reverse=True), sorted(set(bases) - set(words), key=len, reverse=True)


def _prep(prep: str, kind: str) -> str:
    """A plain alternation of words (`in|into`) follows the trigger after a space; a regex stands as it is."""
    if not prep or kind == "converse" or not re.fullmatch(r"[\w |-]+", prep):
        return prep
    return rf"(?:\s+\w+ly)?\s+(?:{prep})\b"


def _slot(name: str, classes: str, many: bool) -> str:
    return "{" + f"{name}:{classes}" + ("+" if many else "") + "}"


def alternation(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


def _expand_frame(raw: dict[str, Any], light: tuple[str, ...] = ()) -> list[FramePattern]:
    """The patterns of one `[[frame]]`: one per template of its kind (and its passive, if asked)."""
    fid, lang, kind, relation = raw["id"], raw["lang"], raw["kind"], raw["property"]
    default_s, default_o = signature(relation)
    subject_cls, object_cls = raw.get("subject", default_s), raw.get("object", default_o)
    emit_as = raw.get("emit", "s {p} o").replace("{p}", relation)
    member = raw.get("member", "s")  # role frames: which end of the triple holds the role
    if kind == "role":
        langs = (lang, lang + "+") if raw.get("owner_subject") else (lang,)
        templates: list[tuple[str, dict[str, str], str, str]] = [
            (t, *_role_slots(slot, member, subject_cls, object_cls, relation), kind)
            for lg, t, slot in ROLE_TEMPLATES
            if lg in langs
        ]
    elif kind == "title":
        slots = {"{S}": _slot("s", subject_cls, False), "{O}": _slot("o", object_cls, False)}
        templates = [(t, slots, emit_as, kind) for lg, t in TITLE_TEMPLATES if lg == lang]
    elif kind in TEMPLATES:
        slots = {"{S}": _slot("s", subject_cls, True), "{O}": _slot("o", object_cls, True)}
        if kind == "reciprocal":
            emit_as = f"s {relation} s"
        elif kind in ("implicit", "implicit_role"):
            emit_as = f"s {relation} @topic"
        kinds = [kind] + (["passive"] if raw.get("passive") and kind == "verb" else [])
        templates = [(t, slots, emit_as, k) for k in kinds for lg, t in TEMPLATES[k] if lg == lang]
    else:
        raise ValueError(f"unknown kind {kind!r}: use one of {sorted([*TEMPLATES, 'role', 'title'])}")
    if not templates:
        raise ValueError(f"kind {kind!r} has no template for language {lang!r}")
    owned = subject_cls if kind == "converse" else object_cls  # the slot that follows `{OWN}`
    common = {
        "{P}": _prep(raw.get("prep", ""), kind),
        "{C}": alternation(raw.get("coverbs", [])),
        "{L}": alternation(list(light)),
        # another maker's name before the item (`uses Nvidia's H100`); never for develops, where that
        # maker, not the subject, is the developer (推出集成 NVIDIA RTX 的芯片)
        "{OWN}": _OWNER if owned in ("ITEM", "CHIP", "PRODUCT") and relation != "develops" else "",
        "{A}": raw.get("after", ""),
        # what must follow the subject: a facility it owns (Samsung's new plant … will make X)
        "{SH}": raw.get("subject_head", ""),
        "{NA}": f"(?!{raw['not_after']})" if raw.get("not_after") else "",
        # an organization followed by 's is a possessor, not the object: `absorbs Groq's engineers`
        # … unless what it owns is the deal itself: `co-led Lumora's round`
        "{NP}": r"(?!\s*(?:'s|’s|’)(?!\s+(?:[\w$.-]+\s+){0,3}?(?:round|funding|financing|raise|investment|IPO)\b))"
        if object_cls not in ("ITEM", "CHIP", "PRODUCT")
        else "",
    }
    out = []
    for i, (template, slots, emit, k) in enumerate(templates):
        words, bases = _words(raw, lang, k if lang == "en" else kind, passive=(k == "passive"))
        gated = f"|{_MODALS}(?:{alternation(bases)})" if bases else ""
        trigger = f"(?P<t>{alternation(words)}{gated})" if words else ""
        if kind == "title" and lang == "en":  # Head of Compute, head of compute
            trigger = f"(?P<t>(?i:{alternation(words)}))"
        words = words + bases
        source = template.replace("{TW}", alternation(words))
        source = source.replace("{T}", rf"\b{trigger}\b" if lang == "en" and words else trigger)
        if raw.get("tight"):
            source = source.replace(_FILL_EN, _TIGHT_EN)
        for key, value in {**common, **slots}.items():
            source = source.replace(key, value)
        out.append(
            FramePattern(
                id=f"{fid}.{i}",
                lang=lang,
                source=source,
                emit=emit,
                words=tuple(words),
                confidence=float(raw.get("confidence", 0.65)),
                check_developer=bool(raw.get("check_developer", False)),
                unless_developer=bool(raw.get("unless_developer", False)),
                presupposed=kind == "possessive",
                # an English subject before its verb is not a preposition's object
                free_subject=lang == "en" and k in ("verb", "noun", "reciprocal", "adverbial"),
            )
        )
    return out


def _role_slots(
    member_slot: str, member: str, subject_cls: str, object_cls: str, relation: str
) -> tuple[dict[str, str], str]:
    """Slots and emit of a role template: the member (`{M}`, a list) and the owner (`{X}`) of the role."""
    owner_slot = "s" if member_slot == "o" else "o"
    member_cls, owner_cls = (subject_cls, object_cls) if member == "s" else (object_cls, subject_cls)
    slots = {"{M}": _slot(member_slot, member_cls, True), "{X}": _slot(owner_slot, owner_cls, False)}
    ends = (member_slot, owner_slot) if member == "s" else (owner_slot, member_slot)
    return slots, f"{ends[0]} {relation} {ends[1]}"
