"""The checks a discovered name must pass: word lists for both languages, jieba's part-of-speech
tags for Chinese (a name has no verb or function word in it, and is not an everyday word)."""

from __future__ import annotations

import re
from typing import Any

from ..registry import Registry
from ..text import is_cjk
from .common_words import is_rare_english
from .discovery_rules import Rule, Rules
from .segment import pos_tokenizer_for

_SENTENCE_END = re.compile(r"[.!?。！？\n]\s*[\"“'‘]?$")
_BAD_POS = ("v", "d", "p", "u", "c", "r", "m", "q", "y", "e")


def is_sentence_start(text: str, start: int) -> bool:
    before = text[max(0, start - 4) : start]
    return start == 0 or bool(_SENTENCE_END.search(before)) or before.strip() == ""


def _cjk_part(name: str) -> str:
    """The Chinese characters of a name (青鸾 of 青鸾300)."""
    return "".join(ch for ch in name if is_cjk(ch))


def title_case_line(text: str, start: int, legal_forms: tuple[str, ...] = ()) -> bool:
    """A headline ("Nvidia Unveils New AI Systems"): capitalised words everywhere are no cue."""
    lo, hi = text.rfind("\n", 0, start) + 1, text.find("\n", start)
    line = text[lo : hi if hi != -1 else len(text)]
    if any(is_cjk(ch) for ch in line):
        return False
    # legal forms are capitalised in running text too (`invested in Vantor Inc. and Lumora Corp.`)
    words = [w for w in line.split() if len(w) > 3 and w[0].isalpha() and w.rstrip(",;:") not in legal_forms]
    lower = sum(not w[0].isupper() for w in words)
    return (len(words) >= 4 and lower == 0) or (len(words) >= 8 and lower <= 1)


class NameChecks:
    """Whether a span a rule matched is a name, per the rule's `checks`."""

    def __init__(self, lang: str, registry: Registry, rules: Rules) -> None:
        self.lang = lang
        self.registry = registry
        self.rules = rules
        self.lexicon = rules.lexicon
        self._pos: Any = None

    def passes(self, rule: Rule, text: str, start: int, name: str) -> bool:
        lex = self.lexicon
        latin = not any(is_cjk(ch) for ch in name)
        words = name.split()
        if rule.min_words and latin and len(words) < rule.min_words:
            return False
        for check in rule.checks:
            if check == "en_name" and latin:
                stem = lex.strip_heads("en", name).split()  # `Adept AI`: the head may be a common word
                if stem and len(name.split()) > 1 and stem[0].lower() in self.rules.name_places:
                    stem = stem[1:]  # a place opening a longer name: Korea Development Bank
                if any(w.lower().strip(",") in lex.not_names for w in stem) or title_case_line(
                    text, start, lex.legal_suffixes
                ):
                    return False
            elif check == "en_rare" and latin:
                # a bare capitalised word names something only if it is no everyday word (Groq, not Analysts)
                if not all(is_rare_english(w) for w in words):
                    return False
            elif check == "en_proper" and latin and not self._proper(text, start, words):
                return False
            elif check == "not_sentence_start":
                if len(words) == 1 and is_sentence_start(text, start):
                    return False
            elif check == "not_surname":
                # `Whitfield said` after `Dana Whitfield`: a person's surname, not a company
                if len(words) == 1 and self._after_given_name(text, name):
                    return False
            elif check == "not_org":
                if lex.org_head("en", name) is not None:
                    return False
            elif check == "model_code":
                if not (any(c.isdigit() for c in name) and any(c.isalpha() for c in name)):
                    return False
                if self.rules.not_model.search(name) or name.lower() in lex.not_names:
                    return False
            elif check == "zh_surname" and not latin:
                if name in lex.not_names or not self._has_surname(name):
                    return False
            elif check == "zh_pos" and not latin:
                if not self._plain_org(name):
                    return False
            elif (check == "zh_proper" and not latin and not self.plain_name(name, proper=True)) or (
                check == "zh_model" and not latin and not self._model_stem(_cjk_part(name))
            ):
                return False
        return True

    def _proper(self, text: str, start: int, words: list[str]) -> bool:
        """A rare word names something anywhere (Groq); a capitalised everyday word only inside a
        sentence, and when it is no place, nationality, date, acronym or generic word: `its Cobalt
        CPU`, `the Halo chip`, not `the Arizona chip plant`, `Korean chips`, `the AI chip`."""
        if any(w.lower() in self.lexicon.common_caps for w in words):
            return False
        if all(is_rare_english(w) for w in words):
            return True
        return not is_sentence_start(text, start) and all(
            w[:1].isupper() and not (w.isupper() and len(w) <= 3) for w in words
        )

    def _model_stem(self, stem: str) -> bool:
        """The Chinese part of a model name is a plain name (青鸾 of 青鸾100), neither an everyday
        word (售价300) nor a registry name, whose models the registry's own rule reads (昇腾910X)."""
        return self.registry.lookup(stem) is None and self.plain_name(stem, proper=True)

    def _has_surname(self, name: str) -> bool:
        """A listed surname and one or two given characters that are no form of address (王先生, 李总)."""
        return any(
            name[:size] in self.lexicon.surnames
            and 1 <= len(name) - size <= 2
            and name[size:] not in self.lexicon.not_names
            for size in (2, 1)
        )

    def plain_name(self, stem: str, proper: bool = False) -> bool:
        """jieba sees no verb, adverb or function word in a Chinese name; with `proper`, the name
        is not one everyday word either (媒体, 市场)."""
        if stem in self.lexicon.not_names or len(stem) < 2:
            return False
        pairs = self.cut(stem)
        # an unknown name falls apart into single characters with arbitrary tags: trust words only
        if any(len(word) > 1 and (flag in _BAD_POS or flag.startswith("u")) for word, flag in pairs):
            return False
        if proper and len(pairs) == 1:
            freq = self._pos.tokenizer.FREQ.get(stem, 0)
            return bool(freq < self.rules.zh_common_freq or pairs[0][1] in ("nr", "ns", "nt", "nz"))
        return True

    def cut(self, text: str) -> list[tuple[str, str]]:
        if self._pos is None:
            self._pos = pos_tokenizer_for(self.registry)
        return [(p.word, p.flag) for p in self._pos.cut(text)]

    def _plain_org(self, name: str) -> bool:
        """A Chinese organization name: its part before the head is a plain name that is not
        only a place (中国半导体, 美国科技), the whole is not one dictionary word (人工智能), and a
        one-character head (部, 局) is a word of its own (美国当局 is 美国 + 当局)."""
        stem = self.lexicon.strip_heads("zh", name)
        if not self.plain_name(stem):
            return False
        stem_words = self.cut(stem)
        freq = self._pos.tokenizer.FREQ
        if all(
            (flag == "ns" and freq.get(word, 0) >= self.rules.zh_common_freq)
            or word in self.lexicon.not_names
            for word, flag in stem_words
        ):
            return False  # a well-known place and a head is a phrase, not a name
        proper = stem_words[0][1] in ("nr", "ns", "nt", "nz")
        if len(stem_words) == 1 and not proper and freq.get(stem, 0) >= self.rules.zh_common_freq:
            return False  # an everyday word and a head (人工 + 智能)
        whole = self.cut(name)
        if len(whole) == 1 and whole[0][1] not in ("nt", "nz", "ns", "nr", "x"):
            return False
        head = name[len(stem) :]
        if len(head) == 1:
            cuts, pos = set(), 0
            for word, _flag in whole:
                pos += len(word)
                cuts.add(pos)
            return len(stem) in cuts
        return True

    # ---------------------------------------------------------------- lists, aliases and repeats

    def name_prefix(self, item: str) -> str:
        """The name at the start of a list's Chinese member (圣元环保分别上涨 -> 圣元环保)."""
        if not any(is_cjk(ch) for ch in item):
            return item
        name = ""
        words = self.cut(item)
        for at, (word, flag) in enumerate(words):
            if name and at == len(words) - 1 and word.isascii() and word.isalnum():
                name += word  # a model's number or code ends the name (青鸾300)
                break
            bad = flag in _BAD_POS or flag.startswith(("u", "v", "t"))
            # (a word that closes the list, right before 等, is the name's own: 临芯投资等投资方)
            closes = at + 1 < len(words) and words[at + 1][0] in ("等", "等等")
            if name and ((len(word) > 1 and bad and not closes) or word in ("和", "与", "及", "或")):
                break
            if word in ("等", "等等"):
                break
            name += word
        return name

    def _after_given_name(self, text: str, name: str) -> bool:
        for match in re.finditer(rf"\b([A-Z][a-z]+)(?: [A-Z]\.)? {re.escape(name)}\b", text):
            if match.group(1).lower() not in self.lexicon.not_names:
                return True
        return False

    def member_passes(self, text: str, start: int, name: str) -> bool:
        if any(is_cjk(ch) for ch in name):
            # a model's number is no word to judge (青鸾300): its Chinese part is the name
            return self.plain_name(_cjk_part(name), proper=True)
        words = name.split()
        if len(words) == 1 and is_sentence_start(text, start) and not is_rare_english(name):
            return False  # `Analysts and Nvidia …`; a rare word is a name there too (`Veltrix and AMD …`)
        return not any(w.lower() in self.lexicon.not_names for w in words)
