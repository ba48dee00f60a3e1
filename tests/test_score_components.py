"""The per-component scorer (bench/score_components.py) counts what the entries read from their own
sentences: a wrong example is a miss, a counter-example the entry reads is a false positive."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from kg.nlp.examples import cases, entries
from kg.resources import ontology_dir

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("score_components", ROOT / "bench" / "score_components.py")
assert _spec is not None and _spec.loader is not None
score_components = importlib.util.module_from_spec(_spec)
sys.modules["score_components"] = score_components  # dataclasses look their module up
_spec.loader.exec_module(score_components)

PATTERN = entries("pattern", ontology_dir() / "patterns" / "relations.toml")[0]
SENTENCE, SUBJECT, OBJECT = PATTERN["examples"][0]


def _patterns(tmp_path: Path) -> Path:
    """A pattern folder whose one relation pattern has a right and a wrong example, a right and a
    wrong counter-example (its own example sentence)."""
    q = json.dumps
    (tmp_path / "relations.toml").write_text(
        "[[pattern]]\n"
        f"id = {q(PATTERN['id'])}\nlang = {q(PATTERN['lang'])}\n"
        f"examples = [[{q(SENTENCE)}, {q(SUBJECT)}, {q(OBJECT)}], [{q(SENTENCE)}, {q(OBJECT + 'x')}, {q(SUBJECT)}]]\n"
        f"counter = [{q(SENTENCE)}, {q('Nothing of note happened.')}]\n",
        encoding="utf-8",
    )
    (tmp_path / "frames.toml").write_text("# no frames\n", encoding="utf-8")
    return tmp_path


def test_score_components_counts_misses_and_false_positives(tmp_path: Path) -> None:
    outcomes = score_components.run(cases("kg_relations", _patterns(tmp_path)))
    (row,) = score_components.summarize(outcomes)
    assert (row.component, row.lang) == ("kg_relations", PATTERN["lang"])
    assert (row.examples, row.counter, row.found, row.false_positives, row.passed) == (2, 2, 1, 1, 2)
    assert row.precision == pytest.approx(0.5)
    assert row.recall == pytest.approx(0.5)
    failed = score_components.failures(outcomes)
    assert [(o.case.entry, o.case.positive, o.case.text) for o in failed] == [
        (PATTERN["id"], True, SENTENCE),
        (PATTERN["id"], False, SENTENCE),
    ]


def test_score_components_json_names_the_failing_entry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = score_components.main(
        ["--component", "kg_relations", "--json", "--patterns", str(_patterns(tmp_path))]
    )
    report = json.loads(capsys.readouterr().out)
    assert status == 1
    assert report["components"][0]["false_positives"] == 1
    assert {f["entry"] for f in report["failing"]} == {PATTERN["id"]}


def test_score_components_table_per_component_and_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    patterns = _patterns(tmp_path)
    (patterns / "relations.toml").write_text(
        (patterns / "relations.toml").read_text(encoding="utf-8").split("examples")[0]
        + f"examples = [[{json.dumps(SENTENCE)}, {json.dumps(SUBJECT)}, {json.dumps(OBJECT)}]]\n"
        "counter = ['Nothing of note happened.']\n",
        encoding="utf-8",
    )
    assert score_components.main(["--component", "kg_relations", "--patterns", str(patterns)]) == 0
    out = capsys.readouterr().out
    assert f"kg_relations   {PATTERN['lang']}" in out
    assert "2/2" in out and "failing" not in out


def test_score_components_refuse_an_unknown_component() -> None:
    with pytest.raises(ValueError, match="unknown component"):
        cases("kg_nothing")


def test_score_components_counts_a_quantity_kind_per_language(tmp_path: Path) -> None:
    (tmp_path / "quantities.toml").write_text(
        '[[example]]\nid = "en.amount"\nlang = "en"\nreading = "amount"\n'
        'examples = [["Vantor raised $250 million.", "250000000", "USD", "Exactly"],'
        ' ["Vantor raised $250 million.", "25", "USD", "Exactly"]]\n'
        'counter = ["Vantor paid $9 million for the plant.", "Vantor hired 40 engineers."]\n',
        encoding="utf-8",
    )
    outcomes = score_components.run(cases("kg_quantities", tmp_path))
    (row,) = score_components.summarize(outcomes)
    assert (row.component, row.lang, row.examples, row.found, row.counter, row.false_positives) == (
        "kg_quantities",
        "en",
        2,
        1,
        2,
        1,
    )
    assert [o.case.text for o in score_components.failures(outcomes)] == [
        "Vantor raised $250 million.",
        "Vantor paid $9 million for the plant.",
    ]
