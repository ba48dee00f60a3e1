"""Every word of the discovery lexicons (ontology/lexicon/*.tsv) makes a name in its example sentence
and none in its counter-example, through the real pipeline (expanded by `kg.nlp.lexicon_cases`, as
bench/score_components.py expands them)."""

from __future__ import annotations

import pytest

from kg.nlp.examples import Case, cases, fired, readings
from kg.nlp.lexicon_cases import COMPONENT, lexicon_cases, lexicon_fired

CASES = cases(COMPONENT)


def test_lexicon_cases_cover_every_table() -> None:
    tables = {c.table for c in CASES}
    assert tables == {"org_heads", "titles", "descriptors", "heads", "surnames"}
    assert all(c.component == COMPONENT for c in CASES)
    # every word but a surname has both an example and a counter-example
    by_entry: dict[str, set[bool]] = {}
    for c in CASES:
        by_entry.setdefault(c.entry, set()).add(c.positive)
    assert all(
        kinds == {True, False} for entry, kinds in by_entry.items() if not entry.startswith("surnames")
    )


@pytest.mark.parametrize("case", [pytest.param(c, id=c.label) for c in CASES])
def test_lexicon_word_reads_its_example_not_its_counter_example(case: Case) -> None:
    found = readings(case)
    assert fired(case, found) == case.positive, (case.entry, case.text, sorted(found))


def test_lexicon_cases_fail_when_the_word_does_nothing() -> None:
    # a case whose name the pipeline cannot find is a failing example; a name read is a failing counter
    example = next(c for c in lexicon_cases() if c.positive and c.table == "org_heads" and c.lang == "en")
    assert not lexicon_fired(example, {("Something Else", "Company")})
    counter = next(c for c in lexicon_cases() if not c.positive and c.table == "titles")
    assert lexicon_fired(counter, {("Dana Whitfield", "Person")})
