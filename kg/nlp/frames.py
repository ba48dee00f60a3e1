"""Relation frames: trigger lexicons per property and language, expanded into relation patterns.

`ontology/patterns/frames.toml` lists, per property, the words that state it (English verbs as
lemmas, inflected here; nouns; Chinese words) and the *kind* of construction they head: a verb
with its subject before and object after, a passive, a Chinese coverb frame (向X投资), a converse
(X获得Y投资, raised money from Y), a role noun (Y's rivals include X, X is an investor in Y) or
a job title (Nvidia CEO Jensen Huang). Each kind is one or two templates of the pattern language
of `patterns`; the argument slots take their classes from the property's domain and range in
`ontology/aichip.ttl`. So a new cue is a word in a data file, and a new kind of construction is a
template here that every cue of that kind shares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..datafiles import load_toml
from ..errors import RegistryError
from ..resources import ontology_dir
from ..schema import signature
from .frame_templates import (
    FILL_EN,
    MODALS,
    OWNER,
    ROLE_TEMPLATES,
    TEMPLATES,
    TIGHT_EN,
    TITLE_TEMPLATES,
)


@dataclass(frozen=True)
class FramePattern:
    """One expanded frame, in the form `patterns.load_patterns` compiles."""

    id: str
    lang: str
    source: str
    emit: str
    words: tuple[str, ...]
    confidence: float
    check_developer: bool
    unless_developer: bool
    presupposed: bool = False
    free_slot: str = ""  # the slot before the trigger, which may not be a preposition's object


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
    data = load_toml(file)
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
    elif lang == "en" and "nouns" in raw:
        for noun in raw["nouns"]:
            words.extend(plural(noun))
    else:
        words.extend(raw.get("words", []))
    if lang == "en":  # a sentence may open on the word: Built on …, Investors included …
        words += [w[0].upper() + w[1:] for w in words if w[:1].islower()]
    if not words and kind != "possessive":
        raise ValueError("no words (an entry has `verbs` or `nouns` in English, `words` in either language)")
    return sorted(set(words), key=len, reverse=True), sorted(set(bases) - set(words), key=len, reverse=True)


def _prep(prep: str, kind: str) -> str:
    """A plain alternation of words (`in|into`) follows the trigger after a space; a regex stands as it is."""
    if not prep or kind == "converse" or not re.fullmatch(r"[\w |-]+", prep):
        return prep
    return rf"(?:\s+\w+ly)?\s+(?:{prep})\b"


def _slot(name: str, classes: str, many: bool, shortest: bool = False) -> str:
    return "{" + f"{name}:{classes}" + ("+" if many else "") + ("?" if shortest else "") + "}"


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
        # a Chinese coverb is also a conjunction: in A与B、C和D合作 the first 与 is the coverb, so
        # the subject list is the shortest that reads (A), not A与B、C with 和 as the coverb
        shortest = kind == "coverb" and lang == "zh"
        slots = {"{S}": _slot("s", subject_cls, True, shortest), "{O}": _slot("o", object_cls, True)}
        if kind in ("reciprocal", "reciprocal_noun", "reciprocal_role"):
            emit_as = f"s {relation} s"
        elif kind in ("implicit", "implicit_role", "implicit_phrase"):
            emit_as = f"s {relation} @topic"
        kinds = [kind] + (["passive"] if raw.get("passive") and kind == "verb" else [])
        kinds += ["chain", "relative"] if kind == "verb" else []  # last, so that the others keep their ids
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
        # (a slot that also takes organizations: `outperforms Nvidia's H100`, 与英伟达H100竞争 compare chips)
        "{OWN}": OWNER
        if relation != "develops"
        and (owned in ("ITEM", "CHIP", "PRODUCT") or bool({"ITEM", "CHIP"} & set(owned.split("|"))))
        else "",
        "{A}": f"(?:{raw['after']})" if raw.get("after") else "",  # its own alternatives stay inside
        # what must follow the subject: a facility it owns (Samsung's new plant … will make X)
        "{SH}": f"(?:{raw['subject_head']})" if raw.get("subject_head") else "",
        "{NA}": f"(?!{raw['not_after']})" if raw.get("not_after") else "",
        # an organization followed by 's is a possessor, not the object: `absorbs Groq's engineers`
        # … unless what it owns is the deal itself: `co-led Lumora's round`, or what the entry names
        # in `possessed_object` (`competes with Nvidia's GPUs`: a rival's products stand for the rival)
        "{NP}": r"(?!\s*(?:'s|’s|’)(?!\s+(?:[\w$.-]+\s+){0,5}?(?:round|funding|financing|raise|investment|IPO)\b"
        + (f"|\\s+(?:{raw['possessed_object']})" if raw.get("possessed_object") else "")
        + "))"
        if object_cls not in ("ITEM", "CHIP", "PRODUCT")
        else "",
    }
    out = []
    for i, (template, slots, emit, k) in enumerate(templates):
        words, bases = _words(raw, lang, k if lang == "en" else kind, passive=(k == "passive"))
        gated = f"|{MODALS}(?:{alternation(bases)})" if bases else ""
        trigger = f"(?P<t>{alternation(words)}{gated})" if words else ""
        if kind == "title" and lang == "en":  # Head of Compute, head of compute
            trigger = f"(?P<t>(?i:{alternation(words)}))"
        words = words + bases
        source = template.replace("{TW}", alternation(words))
        source = source.replace("{T}", rf"\b{trigger}\b" if lang == "en" and words else trigger)
        if raw.get("tight"):
            source = source.replace(FILL_EN, TIGHT_EN)
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
                free_slot=("o" if k == "round" else "s")
                if lang == "en"
                and k in ("verb", "noun", "reciprocal", "reciprocal_noun", "adverbial", "round")
                else "",
            )
        )
    return out


def _role_slots(
    member_slot: str, member: str, subject_cls: str, object_cls: str, relation: str
) -> tuple[dict[str, str], str]:
    """Slots and emit of a role template: the member (`{M}`, a list) and the owner (`{X}`) of the role."""
    owner_slot = "s" if member_slot == "o" else "o"
    member_cls, owner_cls = (subject_cls, object_cls) if member == "s" else (object_cls, subject_cls)
    # (the owner may be a list too: `a customer of both Nvidia and AMD`, 同时是英伟达和AMD的客户)
    slots = {"{M}": _slot(member_slot, member_cls, True), "{X}": _slot(owner_slot, owner_cls, True)}
    ends = (member_slot, owner_slot) if member == "s" else (owner_slot, member_slot)
    return slots, f"{ends[0]} {relation} {ends[1]}"
