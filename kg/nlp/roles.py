"""What a masked sentence says about the roles of its mentions, beyond a pattern's own slots.

- the rest of a clause or sentence (`rest = "clause"` patterns);
- a venue (`unveiled … at GTC`) that is not what was launched;
- a preposition's object (`backed by X`), which is no verb's subject unless a relative clause
  makes it one; a coordination (A and B), which a reciprocal reading needs.
"""

from __future__ import annotations

import re

from .masking import CLASS_LETTER, CLOSE, MARKER, OPEN, MaskedSentence, Mention

_REST_END = {
    "sentence": re.compile(r"[;；。]"),
    "clause": re.compile(r"[;；。]|,\s*(?:and|but|while|which|who|whereas)\b|[，,]\s*(?:而|但)"),
}
_VENUE = re.compile(rf"\b(?:at|during)\s+(?:the\s+|its\s+|{OPEN}[A-Z]\d+{CLOSE}\s*)?[「“\"]?$")


def rest_of(sentence: MaskedSentence, start: int, letters: str, scope: str) -> list[Mention]:
    """Mentions of the given classes after `start`, up to the end of the clause or sentence."""
    end_match = _REST_END[scope].search(sentence.masked, start)
    tail = sentence.masked[start : end_match.start() if end_match else len(sentence.masked)]
    return [sentence.mentions[int(m.group(2))] for m in MARKER.finditer(tail) if m.group(1) in letters]


# (`unlike A or B, C uses …`: the names coordinated after a preposition are its objects too)
_GOVERNED = re.compile(
    r"\b(?:[Bb]y|from|of|with|for|among|than|according to|[Uu]nlike|versus|vs\.)\s+(?:the\s+|a\s+|an\s+)?"
    rf"(?:[「“\"]?{OPEN}[A-Z]\d+{CLOSE}[」”\"]?\s*(?:,\s*)?(?:and|or)\s+)*(?:[\w'’-]+\s+){{0,2}}$"
)


COORDINATED = re.compile(r"\band\b|&|、|和|与|及|以及|\bas well as\b")
_RELATIVE = re.compile(r"\b(?:which|who|that)\b")
_IN_RELATIVE = re.compile(r",\s*(?:which|who|whose)\b[^,;:.]*$")


def free_mentions(sentence: MaskedSentence, match: re.Match[str], slot: str) -> list[Mention]:
    """The mentions of the agent's slot that are no preposition's object, unless a relative clause
    makes them its subject (`customers A and B, which have agreed to buy`)."""
    mentions = sentence.mentions_in(match.group(slot) or "")
    between = sentence.masked[match.end(slot) : match.start("t")] if match.group("t") else ""
    if _RELATIVE.search(between):
        return mentions
    return [m for m in mentions if not _governed(sentence, m)]


def _governed(sentence: MaskedSentence, mention: Mention) -> bool:
    """Whether an English mention is the object of a preposition (`backed by the kingdom's X`)."""
    marker = f"{OPEN}{CLASS_LETTER[mention.cls]}{sentence.mentions.index(mention)}{CLOSE}"
    return after_preposition(sentence.masked, sentence.masked.find(marker))


def after_preposition(text: str, at: int) -> bool:
    """Whether what starts at `at` is the object of an English preposition (`who joined from X`), or
    stands inside a relative clause that a comma opened (`Ember, which rivals X, designs …`)."""
    if at <= 0:
        return False
    return bool(_GOVERNED.search(text, max(0, at - 40), at) or _IN_RELATIVE.search(text, max(0, at - 80), at))


def after_venue(sentence: MaskedSentence, mention: Mention) -> bool:
    marker = f"{OPEN}{CLASS_LETTER[mention.cls]}{sentence.mentions.index(mention)}{CLOSE}"
    at = sentence.masked.find(marker)
    return at > 0 and bool(_VENUE.search(sentence.masked, max(0, at - 30), at))
