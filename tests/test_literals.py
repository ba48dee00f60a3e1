"""The relation patterns' prefilter: the strings a regex cannot match without, and the proof that
skipping a pattern on a sentence without them changes no reading."""

from __future__ import annotations

import marshal
import re
from pathlib import Path

import pytest

from kg.nlp import pipeline_for
from kg.nlp.examples import cases
from kg.nlp.literals import Prefilter, prefilters, required
from kg.nlp.masking import CLOSE, OPEN
from kg.nlp.model import ENTITY_GROUP
from kg.nlp.patterns import load_patterns
from kg.nlp.relations import RelationExtractor

MARKERS = OPEN + CLOSE


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (r"(?P<s>X)\s+(?:acquired|bought)\s+(?P<o>Y)", [{"acquired", "bought"}, {"X"}, {"Y"}]),
        (r"\b(?:take|took) over\b", [{"take over", "took over"}]),
        (r"[Aa]cquired\b", [{"Acquired", "acquired"}]),
        (r"(?:与|和)\s*Y\s*合作", [{"合作"}, {"Y"}, {"与", "和"}]),  # the longer first, then the smaller
        (r"由\s*(?:X)?\s*(?:代工|制造)", [{"代工", "制造"}, {"由"}]),
        (r"partner(?:ed|s)?\s+with", [{"partner"}, {"with"}]),  # an optional part is not required
        (r"(?<=\d)x+(?:chips?)", [{"chip"}, {"x"}]),  # a lookbehind is not part of the match
        (r"(?<=据)X(?=表示|称)", [{"X"}, {"据"}, {"表示", "称"}]),  # but it is part of the text
        (r"(?:CEO|chief executive)\s+\w+", [{"CEO", "chief executive"}]),
        (r"a\s*b\s*c\s*d\s*e\s*f", [{"a"}, {"b"}, {"c"}, {"d"}]),  # the first four of equals
        (r"(?:吗|呢)+", [{"吗", "呢"}]),
        (r"(?:携手|携手了)Y", [{"携手Y", "携手了Y"}]),
        (r"(?:携手|携手了)\w", [{"携手"}]),  # a text holding 携手了 holds 携手
        (r"a(?:bc|d\w+)", [{"a"}, {"bc", "d"}]),  # an alternative that is no fixed string gives its best part
    ],
)
def test_literals_required_strings(source: str, expected: list[set[str]]) -> None:
    assert list(required(re.compile(source))) == expected


@pytest.mark.parametrize(
    "regex",
    [
        re.compile(r"acquired", re.IGNORECASE),  # any case: no plain string is required
        re.compile(r"(?i:acquired)"),
        re.compile(r"\w+\s+\d+"),
        re.compile(r"(?:acquired|\w+)"),  # one branch needs nothing
        re.compile(r"(?:acquired)?x?"),
        re.compile(r"(?<!not )\w+(?!acquired)"),  # what must not stand there is not required
        re.compile(f"{OPEN}[CO]?{CLOSE}"),  # only the markers' brackets, which every mention has
    ],
)
def test_literals_no_required_strings(regex: re.Pattern[str]) -> None:
    assert required(regex, MARKERS) == ()


def test_literals_prefilter_asks_every_set_of_a_pattern() -> None:
    prefilter = Prefilter([(("acquired", "bought"),), (), (("合作",), ("与", "和")), (("a",),)])
    assert prefilter.needs[1] == 0  # no set: always searched

    def searched(text: str) -> list[int]:
        passing = prefilter.passing(text)
        return [i for i, need in enumerate(prefilter.needs) if passing & need == need]

    assert searched("Nvidia bought it") == [0, 1, 3]
    assert searched("双方将合作") == [1]  # 合作 without 与 or 和
    assert searched("A与B将合作") == [1, 2]
    assert searched("") == [1]


def test_literals_every_shipped_pattern_has_a_prefilter() -> None:
    missing = [p.id for p in load_patterns().patterns if not p.required]
    assert not missing, f"no required strings found for {missing}"


def _readings(texts: list[tuple[str, str]]) -> list[list[tuple[object, ...]]]:
    out = []
    for lang, text in texts:
        doc = pipeline_for(lang)(text)
        out.append(
            [
                (r.subject.start_char, r.relation, r.object.start_char, r.pattern, r.match, r.confidence)
                for r in doc._.kg_relations
            ]
        )
    return out


def test_literals_the_prefilter_changes_no_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every relation example and counter-example reads the same with the prefilter and without, and
    no shipped pattern matches a sentence (as the relation component masks it) its prefilter rejects."""
    texts = [(c.lang, c.text) for c in cases("kg_relations")]
    sentences: list[tuple[str, str]] = []
    read = RelationExtractor._read

    def spy(self: RelationExtractor, sentence: object, topic: object) -> object:
        sentences.append((self.lang, sentence.masked))  # type: ignore[attr-defined]
        return read(self, sentence, topic)  # type: ignore[arg-type]

    monkeypatch.setattr(RelationExtractor, "_read", spy)
    with_prefilter = _readings(texts)
    assert len(sentences) > 300 and sum(map(len, with_prefilter)) > 300
    checked = 0
    for lang, masked in sentences:
        for pattern in load_patterns().patterns:
            if pattern.lang in ("any", lang) and pattern.regex.search(masked):
                checked += 1
                assert all(any(s in masked for s in strings) for strings in pattern.required), (
                    pattern.id,
                    masked,
                )
    assert checked > 300  # the examples do exercise the patterns

    monkeypatch.setattr(Prefilter, "passing", lambda self, text: -1)  # every bit set: no pattern skipped
    assert _readings(texts) == with_prefilter


def test_literals_the_discovery_prefilter_changes_no_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every discovery and lexicon example and counter-example finds the same names with the
    prefilter (a rule is not searched in a text that lacks its words) and without."""
    texts = [(c.lang, c.text) for c in cases("kg_discovery") + cases("kg_lexicon")]

    def names() -> list[list[tuple[object, ...]]]:
        out = []
        for lang, text in texts:
            doc = pipeline_for(lang)(text)
            out.append([(s.start_char, s.end_char, s.label_, s._.kg_source) for s in doc.spans[ENTITY_GROUP]])
        return out

    with_prefilter = names()
    found = {source for spans in with_prefilter for *_, source in spans}
    assert len(found) > 30  # many rules and lists do find their names
    monkeypatch.setattr(Prefilter, "passing", lambda self, text: -1)
    assert names() == with_prefilter


def test_literals_prefilters_are_kept_on_disk_and_a_foreign_entry_is_built_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    regexes = [re.compile(r"X\s+(?:acquired|bought)"), re.compile(r"\w+")]
    expected = [(("acquired", "bought"), ("X",)), ()]  # the longer words first
    assert prefilters(regexes) == expected
    (entry,) = (tmp_path / "cache").iterdir()
    assert marshal.loads(entry.read_bytes()) == expected
    entry.write_bytes(marshal.dumps([((1,),), ()]))
    assert prefilters(regexes) == expected
