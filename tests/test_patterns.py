"""Pattern confidences: the stated one blended with the precision measured on annotated texts; the
pattern set kept on disk between runs."""

from __future__ import annotations

import marshal
import re
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from kg.errors import RegistryError
from kg.nlp.compiled import from_program, program
from kg.nlp.patterns import PRIOR_WEIGHT, load_measured, load_patterns, measured_confidence
from kg.resources import ontology_dir


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


def _fresh(path: str = "", frames_path: str = "") -> tuple[object, ...]:
    """Every field of every pattern, loaded anew (not the set this process already holds)."""
    loaded = load_patterns.__wrapped__(path, frames_path)  # type: ignore[attr-defined]
    return tuple(tuple(getattr(p, f.name) for f in fields(p)) for p in loaded.patterns)


def test_patterns_kept_on_disk_read_back_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    built = _fresh()
    assert [p.name[:18] for p in (tmp_path / "cache").iterdir()] == ["relation-patterns-"]
    read_back = load_patterns.__wrapped__()  # type: ignore[attr-defined]
    assert tuple(tuple(getattr(p, f.name) for f in fields(p)) for p in read_back.patterns) == built
    first = read_back.patterns[0]
    assert "regex" not in vars(first)  # compiled only when a sentence needs it
    assert first.regex.pattern == first.source
    assert read_back.funded.keys() == load_patterns().funded.keys()


@pytest.mark.parametrize("junk", [{"patterns": [{"id": "x"}], "funded": {}}, [1, 2]])
def test_patterns_a_foreign_entry_on_disk_is_built_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, junk: object
) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    no_frames = tmp_path / "frames.toml"
    no_frames.write_text("", encoding="utf-8")
    built = _fresh("", str(no_frames))
    (entry,) = (tmp_path / "cache").iterdir()
    entry.write_bytes(marshal.dumps(junk))
    assert _fresh("", str(no_frames)) == built
    assert marshal.loads(entry.read_bytes()) != junk  # and the entry was written again


def test_patterns_an_edited_file_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    shipped = (ontology_dir() / "patterns" / "relations.toml").read_text(encoding="utf-8")
    edited, no_frames = tmp_path / "relations.toml", tmp_path / "frames.toml"
    edited.write_text(shipped, encoding="utf-8")
    no_frames.write_text("", encoding="utf-8")
    loaded = _fresh(str(edited), str(no_frames))
    before, first = {p[0] for p in loaded}, str(loaded[0][0])  # the file's first [[pattern]]
    edited.write_text(shipped.replace(f'id = "{first}"', f'id = "{first}.renamed"'), encoding="utf-8")
    after = {p[0] for p in _fresh(str(edited), str(no_frames))}
    assert f"{first}.renamed" in after and first not in after and f"{first}.renamed" not in before
    assert len(list((tmp_path / "cache").iterdir())) == 2


def test_patterns_built_from_their_program_are_the_compiled_regex() -> None:
    """A regex built from the program kept on disk equals (same flags, source and code) `re.compile`."""
    for pattern in load_patterns().patterns:
        assert pattern.program is not None
        assert from_program(pattern.source, pattern.program) == re.compile(pattern.source), pattern.id


@pytest.mark.parametrize(
    "data",
    [(0, b"\x00\x01\x02\x03", 1, {}, (None, None)), (0, b"", 0, {}, (None,)), ("x", b"", 0, {}, ())],
)
def test_patterns_a_damaged_program_falls_back_to_compiling(data: Any) -> None:
    assert from_program("a(b)c", data) == re.compile("a(b)c")
    assert from_program("a(b)c", program("a(b)c")) == re.compile("a(b)c")
