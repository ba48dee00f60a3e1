"""Pattern confidences: the stated one blended with the precision measured on annotated texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import RegistryError
from kg.nlp.patterns import PRIOR_WEIGHT, load_measured, load_patterns, measured_confidence


def test_patterns_measured_confidence_moves_with_evidence() -> None:
    assert measured_confidence(0.6, 0, 0) == 0.6  # never seen: the stated confidence
    few, many = measured_confidence(0.6, 2, 0), measured_confidence(0.6, 200, 0)
    assert 0.6 < few < many < 1.0  # right every time: up, more so the more it was seen
    assert measured_confidence(0.6, 20, 10) < 0.6  # wrong half the time: down
    assert measured_confidence(0.6, PRIOR_WEIGHT, 0) == pytest.approx(0.8)


def test_patterns_take_their_measured_precision(tmp_path: Path) -> None:
    shipped = {p.id: p.confidence for p in load_patterns().patterns}
    table = tmp_path / "measured.tsv"
    table.write_text(
        "# pattern\tfired\twrong\tprecision\nen.partnersWith.verb.0\t40\t30\t0.250\n", encoding="utf-8"
    )
    measured = {p.id: p.confidence for p in load_patterns(measured_path=str(table)).patterns}
    assert measured["en.partnersWith.verb.0"] < 0.5 < shipped["en.partnersWith.verb.0"]
    assert load_measured(str(tmp_path / "absent.tsv")) == {}


def test_patterns_malformed_measured_table_names_its_line(tmp_path: Path) -> None:
    table = tmp_path / "measured.tsv"
    table.write_text("# header\nen.partnersWith.verb.0\tforty\t3\t0.9\n", encoding="utf-8")
    with pytest.raises(RegistryError, match=r"measured.tsv:2: expected"):
        load_measured(str(table))
