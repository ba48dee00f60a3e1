"""The spaCy component contract of the NLP stages: declared order, initialize, to_disk / from_disk."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import spacy

from kg.nlp import PIPES, pipeline_for
from kg.resources import ontology_dir

SENTENCES = {
    "en": "Lumora Systems Inc. will partner with Nvidia on a new accelerator.",
    "zh": "壁仞科技将与英伟达合作开发新一代推理芯片。",
}


def _readings(nlp: spacy.language.Language, text: str) -> set[tuple[str, str, str]]:
    return {(m.subject.text, m.relation, m.object.text) for m in nlp(text)._.kg_relations}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_component_order_is_checked_by_spacy(lang: str) -> None:
    analysis = spacy.blank(lang)
    for pipe in PIPES:
        analysis.add_pipe(pipe)
    assert analysis.analyze_pipes()["problems"] == {pipe: [] for pipe in PIPES}
    # relations before the names they read: spaCy reports what nothing assigned yet
    wrong = spacy.blank(lang)
    for pipe in ("kg_relations", "kg_gazetteer", "kg_sentences"):
        wrong.add_pipe(pipe)
    problems = wrong.analyze_pipes()["problems"]
    assert set(problems["kg_relations"]) == {"doc.spans", "token.is_sent_start", "span._.kg_antecedents"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_component_pipeline_round_trips_through_disk(lang: str, tmp_path: Path) -> None:
    nlp = pipeline_for(lang)
    before = _readings(nlp, SENTENCES[lang])
    assert before, "the sentence must be read before the round trip means anything"
    nlp.to_disk(tmp_path / "pipeline")
    saved = tmp_path / "pipeline"
    assert (saved / "kg_relations" / "frames.toml").is_file()
    assert (saved / "kg_gazetteer" / "registry").is_dir()
    assert (saved / "kg_discovery" / "lexicon").is_dir()
    assert (saved / "kg_anaphora" / "anaphora.toml").is_file()
    loaded = spacy.load(saved)
    assert loaded.pipe_names == list(PIPES)
    assert _readings(loaded, SENTENCES[lang]) == before


def test_component_reads_the_files_it_was_loaded_from(tmp_path: Path) -> None:
    """A saved pipeline carries its knowledge: an edited copy changes what it reads."""
    nlp = pipeline_for("en")
    nlp.to_disk(tmp_path / "pipeline")
    frames = tmp_path / "pipeline" / "kg_relations" / "frames.toml"
    relations = tmp_path / "pipeline" / "kg_relations" / "relations.toml"
    # take the partnership verbs out of both pattern files of the saved copy
    frames.write_text(frames.read_text(encoding="utf-8").replace('"partner", ', ""), encoding="utf-8")
    text = relations.read_text(encoding="utf-8")
    relations.write_text(
        text.replace('"partners", "partner", "partnered", "partnering", ', ""), encoding="utf-8"
    )
    loaded = spacy.load(tmp_path / "pipeline")
    assert ("Lumora Systems Inc.", "partnersWith", "Nvidia") in _readings(nlp, SENTENCES["en"])
    assert ("Lumora Systems Inc.", "partnersWith", "Nvidia") not in _readings(loaded, SENTENCES["en"])


def test_component_initialize_takes_other_files(tmp_path: Path) -> None:
    cues = tmp_path / "modality.toml"
    shutil.copyfile(ontology_dir() / "patterns" / "modality.toml", cues)
    nlp = spacy.blank("en")
    for pipe in PIPES:
        nlp.add_pipe(pipe)
    modality = nlp.get_pipe("kg_modality")
    modality.initialize(cues_path=str(cues))  # type: ignore[attr-defined]
    assert modality.paths == {"cues_path": str(cues)}  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="unknown data settings"):
        modality.initialize(patterns_path=str(cues))  # type: ignore[attr-defined]


def test_component_every_pipe_is_documented() -> None:
    """The README and `kg.nlp`'s docstring list every component of the pipeline."""
    import kg.nlp

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for pipe in PIPES:
        assert f"`{pipe}`" in readme, f"{pipe} is not described in README.md"
        assert f"    {pipe}" in (kg.nlp.__doc__ or ""), f"{pipe} is not listed in kg/nlp/__init__.py"
