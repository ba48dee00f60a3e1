from __future__ import annotations

import pytest

from kg.text import fold_text, language_of_name, name_key, slug


@pytest.mark.parametrize("text", ["ＮＶＩＤＩＡ　H100", "英伟达ABC", "Maia 100", "café"])
def test_text_fold_keeps_length(text: str) -> None:
    assert len(fold_text(text)) == len(text)


def test_text_fold_width_and_case() -> None:
    assert fold_text("ＮＶＩＤＩＡ　Ｈ１００") == "nvidia h100"


@pytest.mark.parametrize(
    ("a", "b"),
    [("Maia 100", "Maia100"), ("昇腾 910B", "昇腾910B"), ("CoWoS-L", "cowos l"), ("ＭＩ３００Ｘ", "MI300X")],
)
def test_text_name_key_folds_spelling(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    ("name", "expected"), [("Maia 100", "maia-100"), ("SK hynix", "sk-hynix"), ("昇腾 910C", "昇腾-910c")]
)
def test_text_slug_is_readable(name: str, expected: str) -> None:
    assert slug(name) == expected


@pytest.mark.parametrize(("name", "lang"), [("英伟达", "zh"), ("NVIDIA", "en"), ("昇腾910B", "zh")])
def test_text_language_of_name(name: str, lang: str) -> None:
    assert language_of_name(name) == lang
