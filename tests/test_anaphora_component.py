"""The `kg_anaphora` component: its entries' own sentences, what it records on the document, its
spaCy contract (order, initialize, to_disk / from_disk), and the loader's errors for a bad entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import spacy

from kg.errors import RegistryError
from kg.nlp import PIPES, pipeline_for
from kg.nlp.anaphora import CLAUSE_KEYS, load_anaphora
from kg.nlp.coreference import ANTECEDENTS, GROUP, bindings
from kg.nlp.examples import Case, cases, entries, entry_cases, passes
from kg.resources import ontology_dir

ANAPHORA = ontology_dir() / "patterns" / "anaphora.toml"
ENTRIES = [(table, entry) for table in ("en.anaphor", "zh.anaphor") for entry in entries(table, ANAPHORA)]
CASES = [c for table, entry in ENTRIES for c in entry_cases("kg_anaphora", table, entry)]


def test_anaphora_every_entry_carries_examples_and_counter_examples() -> None:
    inventories = load_anaphora()
    assert len(ENTRIES) == sum(len(inventory.anaphors) for inventory in inventories.values())
    for table, entry in ENTRIES:
        assert entry.get("examples"), f"{table} {entry['id']} has no example"
        assert entry.get("counter"), f"{table} {entry['id']} has no counter-example"
        assert entry["id"].startswith(table.split(".")[0] + "."), entry["id"]
    assert {c.lang for c in CASES} == {"zh", "en"}
    assert cases("kg_anaphora") == CASES  # the scorer expands the same sentences


@pytest.mark.parametrize("case", [pytest.param(c, id=c.label) for c in CASES])
def test_anaphora_entry_reads_its_own_sentences(case: Case) -> None:
    assert passes(case), (case.entry, case.text, bindings(pipeline_for(case.lang)(case.text)))


def _case(entry: str, text: str, expected: tuple[str, ...], positive: bool = True) -> Case:
    lang = entry.split(".")[0]
    return Case("kg_anaphora", f"{lang}.anaphor", entry, lang, text, positive, expected)


def test_anaphora_a_wrong_example_or_counter_example_fails() -> None:
    text = "Vantor Inc. acquired Corvane Labs in May. The startup will keep its name."
    assert passes(_case("en.the-startup", text, ("The startup", "Corvane Labs")))
    # the wrong antecedent, a group that is too large, or a counter-example it does bind: each fails
    assert not passes(_case("en.the-startup", text, ("The startup", "Vantor Inc.")))
    assert not passes(_case("en.the-startup", text, ("The startup", "Corvane Labs", "Vantor Inc.")))
    assert not passes(_case("en.the-startup", text, (), positive=False))
    assert not passes(_case("en.the-startup", text, ("The startup", "Corvane Labs"), positive=False))
    assert passes(_case("en.the-startup", text, ("The startup", "Vantor Inc."), positive=False))
    # another entry's binding is not this entry's
    assert not passes(_case("en.the-company", text, ("The startup", "Corvane Labs")))


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "en",
            "Lumora Systems raised $80 million in March. The company said it will partner with TSMC.",
            [
                ("en.the-company", "The company", ("Lumora Systems",)),
                ("en.it", "it", ("Lumora Systems",)),
            ],
        ),
        (
            "zh",
            "英伟达与寒光科技签署协议。双方将展开合作。",
            [("zh.both-sides", "双方", ("英伟达", "寒光科技"))],
        ),
    ],
)
def test_anaphora_component_records_what_each_anaphor_stands_for(
    lang: str, text: str, expected: list[tuple[str, str, tuple[str, ...]]]
) -> None:
    doc = pipeline_for(lang)(text)
    assert bindings(doc) == expected
    for span in doc.spans[GROUP]:
        assert all(a.label_ in ("Company", "Organization") for a in span._.get(ANTECEDENTS))


def test_anaphora_relations_use_the_bindings_the_component_records() -> None:
    # roles read from the relations before: the startup is not the company seen acquiring
    doc = pipeline_for("en")("Vantor Inc. acquired Corvane Labs in May. The startup will partner with TSMC.")
    assert bindings(doc) == [("en.the-startup", "The startup", ("Corvane Labs",))]
    read = {(m.subject.text, m.relation, m.object.text) for m in doc._.kg_relations}
    assert ("Corvane Labs", "partnersWith", "TSMC") in read
    assert ("Vantor Inc.", "partnersWith", "TSMC") not in read


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_anaphora_component_binds_alone_without_relations(lang: str) -> None:
    """Without `kg_relations` to ask sentence by sentence, the component binds the document itself."""
    nlp = spacy.blank(lang)
    for pipe in ("kg_sentences", "kg_gazetteer", "kg_discovery", "kg_anaphora"):
        nlp.add_pipe(pipe)
    text = {
        "en": "Lumora Systems was founded in 2021. The company partners with TSMC.",
        "zh": "寒光科技成立于2020年。该公司计划与华为合作。",
    }[lang]
    alone, full = bindings(nlp(text)), bindings(pipeline_for(lang)(text))
    assert alone == full
    assert len(alone) == 1


def test_anaphora_component_order_is_checked_by_spacy() -> None:
    assert PIPES.index("kg_anaphora") < PIPES.index("kg_relations")
    wrong = spacy.blank("en")
    for pipe in ("kg_sentences", "kg_gazetteer", "kg_relations", "kg_anaphora"):
        wrong.add_pipe(pipe)
    problems = wrong.analyze_pipes()["problems"]
    assert problems["kg_relations"] == [f"span._.{ANTECEDENTS}"]


def test_anaphora_component_initialize_and_disk_round_trip(tmp_path: Path) -> None:
    text = "Lumora Systems was founded in 2021. The company partners with TSMC."
    nlp = pipeline_for("en")
    assert bindings(nlp(text)) == [("en.the-company", "The company", ("Lumora Systems",))]
    nlp.to_disk(tmp_path / "pipeline")
    saved = tmp_path / "pipeline" / "kg_anaphora" / "anaphora.toml"
    assert saved.is_file()
    assert not (tmp_path / "pipeline" / "kg_relations" / "anaphora.toml").exists()  # one owner
    # an edited copy without `the company` binds nothing there, and says so after loading
    edited = saved.read_text(encoding="utf-8").replace("'\\b[Tt]he (?:company|firm|", "'\\b[Tt]he (?:firm|")
    assert edited != saved.read_text(encoding="utf-8")
    saved.write_text(edited, encoding="utf-8")
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.pipe_names == list(PIPES)
    assert bindings(loaded(text)) == []
    # initialize takes another file; an unknown setting is refused
    fresh = spacy.blank("en")
    for pipe in PIPES:
        fresh.add_pipe(pipe)
    anaphora = fresh.get_pipe("kg_anaphora")
    anaphora.initialize(anaphora_path=str(saved))  # type: ignore[attr-defined]
    assert bindings(fresh(text)) == []
    with pytest.raises(ValueError, match="unknown data settings"):
        anaphora.initialize(cues_path=str(saved))  # type: ignore[attr-defined]


# ------------------------------------------------------------------ the loader's errors

CLAUSE = "\n".join(f"{k} = 'x'" for k in CLAUSE_KEYS)


def _write(tmp_path: Path, entries_text: str) -> str:
    path = tmp_path / "anaphora.toml"
    path.write_text(f"[en.clause]\n{CLAUSE}\n\n{entries_text}", encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("entries_text", "message"),
    [
        # no id: the entry's number, its line and what to add
        (
            "[[en.anaphor]]\nrule = 'entity'\nforms = ['the firm']\n",
            r"anaphora\.toml: \[\[en\.anaphor\]\] #1 \(line 10\): no `id` — give the entry a unique id",
        ),
        (
            "[[en.anaphor]]\nid = 'en.firm'\nrule = 'entity'\nforms = ['the firm']\n\n"
            "[[en.anaphor]]\nid = 'en.firm'\nrule = 'entity'\nforms = ['the group']\n",
            r"#2 \(line 15\) id 'en\.firm' is also the id of \[\[en\.anaphor\]\] #1 \(line 10\) — ids must be unique",
        ),
        (
            "[[en.anaphor]]\nid = 'en.firm'\nrule = 'entity'\nforms = ['the (firm']\n",
            r"anaphora\.toml: \[\[en\.anaphor\]\] #1 \(en\.firm, line 10\): bad regex .* fix the pattern",
        ),
        (
            "[[en.anaphor]]\nid = 'en.firm'\nrule = 'nearest'\nforms = ['it']\n",
            r"\(en\.firm, line 10\): rule 'nearest' is not one of",
        ),
        (
            "[[en.anaphor]]\nid = 'en.firm'\nrule = 'entity'\nforms = ['the firm']\n"
            "examples = [['The firm grew.', 'The firm']]\n",
            r"\(en\.firm, line 10\): example .* is not \[text, anaphor, antecedent\]",
        ),
    ],
)
def test_anaphora_a_bad_entry_names_file_entry_and_fix(
    tmp_path: Path, entries_text: str, message: str
) -> None:
    path = _write(tmp_path, entries_text)
    with pytest.raises(RegistryError, match=message) as err:
        load_anaphora(path)
    assert path in str(err.value)


def test_anaphora_ids_may_not_repeat_across_languages(tmp_path: Path) -> None:
    clause = CLAUSE
    path = tmp_path / "anaphora.toml"
    path.write_text(
        f"[en.clause]\n{clause}\n\n[[en.anaphor]]\nid = 'it'\nrule = 'entity'\nforms = ['it']\n\n"
        f"[zh.clause]\n{clause}\n\n[[zh.anaphor]]\nid = 'it'\nrule = 'entity'\nforms = ['它']\n",
        encoding="utf-8",
    )
    with pytest.raises(
        RegistryError, match=r"\[\[zh\.anaphor\]\] #1 .* id 'it' is also the id of \[\[en\.anaphor\]\] #1"
    ):
        load_anaphora(str(path))


def test_anaphora_the_shipped_copy_loads_from_anywhere(tmp_path: Path) -> None:
    copy = tmp_path / "anaphora.toml"
    shutil.copyfile(ANAPHORA, copy)
    assert {a.id for inv in load_anaphora(str(copy)).values() for a in inv.anaphors} == {
        entry["id"] for _table, entry in ENTRIES
    }


def test_anaphora_a_participle_clause_takes_the_sentences_subject_for_its() -> None:
    """`X was chosen …, effectively blocking Y's deals with its rival Z`: `its` is X's (the participle
    clause has no subject of its own), so Z rivals X, not Y."""
    from kg.nlp import pipeline_for

    doc = pipeline_for("en")(
        "In October, Samsung Electronics was selected as the foundry for Vexlora's chips, "
        "effectively blocking Vexlora's deals with its competitor, TSMC."
    )
    rivals = {(m.subject._.kg_id or m.subject.text, m.object._.kg_id or m.object.text)
              for m in doc._.kg_relations if m.relation == "competesWith"}  # fmt: skip
    assert ("tsmc", "samsung") in rivals
    assert not {pair for pair in rivals if "Vexlora" in pair}
