from __future__ import annotations

import pytest

from kg.nlp.trie import NameTrie


@pytest.fixture
def trie() -> NameTrie:
    t = NameTrie()
    for name, payload in [
        ("AMD", "amd"),
        ("英伟达", "nvidia"),
        ("NVIDIA", "nvidia"),
        ("Maia 100", "maia-100"),
        ("TPU", "tpu"),
        ("Arm", "arm"),
        ("MI300", "mi300"),
        ("MI300X", "mi300x"),
        ("Trainium", "trainium"),
        ("Trainium2", "trainium2"),
        ("昇腾910B", "ascend-910b"),
        ("Tensor Processing Unit", "tpu"),
    ]:
        t.add(name, payload)
    return t


def found(trie: NameTrie, text: str) -> list[tuple[str, str]]:
    return [(text[h.start : h.end], h.payload) for h in trie.find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LAMDA and AMD", [("AMD", "amd")]),
        ("英伟达H100", [("英伟达", "nvidia")]),
        ("Maia100 and Maia 100", [("Maia100", "maia-100"), ("Maia 100", "maia-100")]),
        ("MI300X beats MI300", [("MI300X", "mi300x"), ("MI300", "mi300")]),
        ("Trainium2, not Trainium", [("Trainium2", "trainium2"), ("Trainium", "trainium")]),
        ("its TPUs", [("TPUs", "tpu")]),
        ("昇腾 910B 芯片", [("昇腾 910B", "ascend-910b")]),
        ("ＡＭＤ", [("ＡＭＤ", "amd")]),
        ("Google's tensor processing units", [("tensor processing units", "tpu")]),
    ],
)
def test_trie_finds_names_with_boundaries(trie: NameTrie, text: str, expected: list[tuple[str, str]]) -> None:
    assert found(trie, text) == expected


@pytest.mark.parametrize("text", ["a robotic arm", "the ARMY", "TPUSH", "AMDX"])
def test_trie_rejects_words_and_lowercase_common_words(trie: NameTrie, text: str) -> None:
    assert found(trie, text) == []


def test_trie_accepts_capitalised_forms(trie: NameTrie) -> None:
    assert found(trie, "Arm and ARM") == [("Arm", "arm"), ("ARM", "arm")]
