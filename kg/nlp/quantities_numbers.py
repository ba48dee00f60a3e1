"""Chinese number words (两, 三千, 一万五, 数十亿, 上百) read into a value, from a table of words.

The table (`[zh.numerals]` in `ontology/patterns/quantities.toml`) names the digits, the small units
(十 百 千), the large units (万 亿) and the vague prefixes (数十 "some tens" -> more than 10). The
grammar is the usual one: a digit times a unit, summed; a large unit multiplies what comes before
it; a trailing digit after a unit is one step below it (两千五 = 2500, 一万五 = 15000).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class NumberWords:
    """The words of one language's number grammar, as `quantities.toml` declares them."""

    digits: dict[str, int]
    units: dict[str, int]
    large: dict[str, int]
    vague: dict[str, str]
    """A prefix that makes the number a bound: 数 (some) -> MoreThan, 上 (up to / reaching) -> AtLeast."""
    article: frozenset[str] = frozenset()
    """Words that alone before a classifier are the indefinite article (一家公司: a company), no count."""

    @classmethod
    def from_table(cls, table: dict[str, Any]) -> NumberWords:
        """Read a `[zh.numerals]` table; ValueError names a bad entry."""
        words = cls(
            {str(k): int(v) for k, v in table.get("digits", {}).items()},
            {str(k): int(v) for k, v in table.get("units", {}).items()},
            {str(k): int(v) for k, v in table.get("large", {}).items()},
            {str(k): str(v) for k, v in table.get("vague", {}).items()},
            frozenset(str(w) for w in table.get("article", [])),
        )
        for word in [*words.digits, *words.units, *words.large, *words.vague]:
            if len(word) != 1:
                raise ValueError(f"number word {word!r} must be one character")
        if any(not 0 <= d <= 9 for d in words.digits.values()):
            raise ValueError("a digit's value must be 0 to 9")
        return words

    def pattern(self) -> str:
        """A regex for one number written in words: an optional vague prefix, then a run of digits and
        units that holds at least one word (so 数 or 上 alone are no number)."""
        run = "[" + "".join(re.escape(c) for c in [*self.digits, *self.units, *self.large]) + "]"
        if run == "[]":
            return "(?!)"
        units = "".join(re.escape(c) for c in [*self.units, *self.large])
        vague = "".join(re.escape(c) for c in self.vague)
        prefix = f"(?:[{vague}](?=[{units}]))?" if vague and units else ""
        return f"{prefix}{run}+"

    def parse(self, text: str) -> tuple[Decimal, str] | None:
        """The value of `text` and the comparator a vague prefix gives ("" without one); None when
        `text` is no number in these words."""
        comparator = ""
        if text[:1] in self.vague:
            comparator, text = self.vague[text[0]], text[1:]
        if not text or any(
            c not in self.digits and c not in self.units and c not in self.large for c in text
        ):
            return None
        if all(c in self.digits for c in text):  # 二〇二四: digit by digit
            return Decimal("".join(str(self.digits[c]) for c in text)), comparator
        total, section, digit = 0, 0, None  # section: below the last large unit
        last_unit, biggest = 0, 0
        for i, c in enumerate(text):
            if c in self.digits:
                digit = self.digits[c]
                last_unit = last_unit if i and text[i - 1] not in self.digits else 0
            elif c in self.units:
                section += (1 if digit is None else digit) * self.units[c]
                digit, last_unit = None, self.units[c]
            else:
                size = self.large[c]
                section += digit or 0
                if size > biggest:  # 一万亿: everything so far is multiplied
                    total, biggest = ((total + section) or 1) * size, size
                else:  # 一亿五千万: only the part after the larger unit is
                    total += (section or 1) * size
                section, digit, last_unit = 0, None, size
        if digit is not None:
            previous = text[-2] if len(text) > 1 else ""
            if last_unit >= 10 and previous and previous not in self.digits:
                section += digit * last_unit // 10  # 两千五 -> 2500
            else:
                section += digit
        return Decimal(total + section), comparator
