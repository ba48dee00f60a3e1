"""The frame lexicon (`ontology/patterns/frames.toml`): every entry reads its examples, not its counter-examples."""

from __future__ import annotations

import tomllib

import pytest

from kg.errors import RegistryError
from kg.nlp import pipeline_for
from kg.nlp.frames import _expand_frame, inflect, plural
from kg.resources import ontology_dir

FRAMES = tomllib.loads((ontology_dir() / "patterns" / "frames.toml").read_text(encoding="utf-8"))["frame"]
EXAMPLES = [
    pytest.param(f["lang"], f["id"], f["property"], *ex, id=f"{f['id']}:{ex[0][:30]}")
    for f in FRAMES
    for ex in f.get("examples", [])
]
COUNTERS = [
    pytest.param(f["lang"], f["id"], f["property"], text, id=f"{f['id']}:{text[:30]}")
    for f in FRAMES
    for text in f.get("counter", [])
]


def _readings(lang: str, text: str, frame_id: str) -> set[tuple[str, str, str]]:
    doc = pipeline_for(lang)(text)
    return {
        (m.subject.text, m.relation, m.object.text)
        for m in doc._.kg_relations
        if m.pattern.startswith(frame_id + ".") and m.modality != "Negated"
    }


def _norm(name: str) -> str:
    return "".join(name.split()).lower()


@pytest.mark.parametrize(("lang", "frame_id", "relation", "text", "subject", "obj"), EXAMPLES)
def test_frames_read_their_examples(
    lang: str, frame_id: str, relation: str, text: str, subject: str, obj: str
) -> None:
    found = {(_norm(s), r, _norm(o)) for s, r, o in _readings(lang, text, frame_id)}
    symmetric = relation in ("partnersWith", "competesWith")
    wanted = {(_norm(subject), relation, _norm(obj))}
    if symmetric:
        wanted.add((_norm(obj), relation, _norm(subject)))
    assert wanted & found, f"{frame_id} read {found or 'nothing'} from {text!r}"


@pytest.mark.parametrize(("lang", "frame_id", "relation", "text"), COUNTERS)
def test_frames_do_not_read_their_counter_examples(
    lang: str, frame_id: str, relation: str, text: str
) -> None:
    assert not _readings(lang, text, frame_id)


@pytest.mark.parametrize(
    ("lemma", "forms"),
    [
        ("invest", {"invest", "invests", "invested", "investing"}),
        ("rely on", {"rely on", "relies on", "relied on", "relying on"}),
        ("use", {"use", "uses", "used", "using"}),
        ("ship", {"ship", "ships", "shipped", "shipping"}),
        ("buy/bought", {"buy", "buys", "bought", "buying"}),
        (
            "take over/took over/taken over",
            {"take over", "takes over", "taking over", "took over", "taken over"},
        ),
        ("take over/took/taken", {"take over", "takes over", "taking over", "took over", "taken over"}),
        ("partner", {"partner", "partners", "partnered", "partnering"}),
    ],
)
def test_frames_inflect_english_lemmas(lemma: str, forms: set[str]) -> None:
    assert set(inflect(lemma)[0]) == forms


def test_frames_pluralize_role_nouns() -> None:
    assert plural("strategic investor") == ["strategic investor", "strategic investors"]
    assert plural("foundry") == ["foundry", "foundries"]


def test_frames_refuse_an_unknown_kind() -> None:
    with pytest.raises(ValueError, match="unknown kind"):
        _expand_frame({"id": "x", "lang": "en", "property": "uses", "kind": "sideways", "verbs": ["use"]})


def test_frames_refuse_an_unknown_property() -> None:
    with pytest.raises((KeyError, RegistryError)):
        _expand_frame({"id": "x", "lang": "en", "property": "likes", "kind": "verb", "verbs": ["like"]})


def test_frames_a_chinese_coverb_list_pairs_the_subject_with_each_partner_only() -> None:
    doc = pipeline_for("zh")("寒光科技与星衡半导体、百度和英伟达达成合作。")
    pairs = {frozenset((m.subject.text, m.object.text)) for m in doc._.kg_relations}
    assert pairs == {frozenset(("寒光科技", other)) for other in ("星衡半导体", "百度", "英伟达")}
