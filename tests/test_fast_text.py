"""The table-driven text helpers (issue 11) agree with their one-character definitions."""

from __future__ import annotations

from kg.text import _CJK_RANGES, fold_char, fold_text, is_cjk, name_key


def test_fold_text_is_fold_char_on_every_character() -> None:
    chars = "".join(chr(c) for c in range(0x30000) if not 0xD800 <= c <= 0xDFFF)
    assert fold_text(chars) == "".join(fold_char(ch) for ch in chars)
    assert fold_text("ＮＶＩＤＩＡ\u3000H100") == "nvidia h100"


def test_is_cjk_is_the_listed_ranges() -> None:
    for code in range(0x30000):
        assert is_cjk(chr(code)) == any(lo <= code <= hi for lo, hi in _CJK_RANGES), hex(code)


def test_name_key_is_stable_when_cached() -> None:
    assert name_key("Co-WoS L") == name_key("cowosl") == "cowosl"
    assert name_key("Ｈ１００") == "h100"
