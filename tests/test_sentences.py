from __future__ import annotations

import pytest

from kg.nlp.sentences import sentence_spans


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "OpenAI 与博通合作。台积电将代工！预计 2026 年量产？",
            ["OpenAI 与博通合作。", "台积电将代工！", "预计 2026 年量产？"],
        ),
        ("标题一行\n\n正文第一句。", ["标题一行", "正文第一句。"]),
        ("他说：“会的。”然后离开。", ["他说：“会的。”", "然后离开。"]),
        (
            "Taiwan Semiconductor Manufacturing Co. makes it. TSMC chairman C. C. Wei spoke in the U.S. Today.",
            [
                "Taiwan Semiconductor Manufacturing Co. makes it.",
                "TSMC chairman C. C. Wei spoke in the U.S. Today.",
            ],
        ),
        ("AMD's Instinct MI300X. Nvidia does not.", ["AMD's Instinct MI300X.", "Nvidia does not."]),
        ("Version 2.5 ships today. It works.", ["Version 2.5 ships today.", "It works."]),
        # a legal form ends a sentence before a word that opens one, not before a name or a title
        (
            "Veltrix agreed to buy Vantor Inc. The deal closes in May. Vantor Inc. Chief Executive Dana Whitfield spoke.",
            [
                "Veltrix agreed to buy Vantor Inc.",
                "The deal closes in May.",
                "Vantor Inc. Chief Executive Dana Whitfield spoke.",
            ],
        ),
    ],
)
def test_sentences_split(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in sentence_spans(text)] == expected


def test_sentences_offsets_slice_the_text(seed_text: str) -> None:
    spans = sentence_spans(seed_text)
    assert spans
    for start, end in spans:
        piece = seed_text[start:end]
        assert piece == piece.strip() and piece
