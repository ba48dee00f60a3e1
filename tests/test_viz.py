"""Fast tests of the HTML view (no browser): what it counts, labels, escapes and embeds."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, SKOS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from kg import viz
from kg.cli import main as cli_main
from kg.errors import InputError
from kg.viz import _layout, _model, _page
from kg.vocab import BACKGROUND, CHIP, KG, RELATIONS

FIXTURES = Path(__file__).parent / "fixtures"
DATA_BLOCK = re.compile(r'<script type="application/json" id="kg-data">(.*?)</script>', re.S)


def fixture(name: str) -> Graph:
    return Graph().parse(FIXTURES / name, format="turtle")


def payload(page: str) -> dict[str, Any]:
    match = DATA_BLOCK.search(page)
    assert match, "no data block in the page"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def expected_counts(graph: Graph) -> tuple[int, int]:
    """The counting rule of `kg.viz._model`, written out independently over the raw triples."""
    entities = {s for s in graph.subjects(CHIP.mentionedIn)}
    claims = set(graph.subjects(RDF.type, CHIP.Claim))  # relation claims; a chip:QuantityClaim is no edge
    preds = {CHIP[r] for r in RELATIONS} | {graph.value(c, RDF.predicate) for c in claims}
    asserted = {(s, p, o) for p in preds for s, o in graph.subject_objects(p)}
    negated = {
        (graph.value(c, RDF.subject), graph.value(c, RDF.predicate), graph.value(c, RDF.object))
        for c in graph.subjects(CHIP.modality, CHIP.Negated)
        if c in claims
    }
    symmetric = {CHIP.partnersWith, CHIP.competesWith}  # one edge whichever way it was stated
    edges = {(frozenset((s, o)), p) if p in symmetric else (s, p, o) for s, p, o in asserted | negated}
    return len(entities), len(edges)


def entity(g: Graph, key: str, cls: str = "Company", doc: str = "doc-1", **labels: str) -> URIRef:
    iri = KG[key]
    g.add((iri, RDF.type, CHIP[cls]))
    g.add((iri, SKOS.prefLabel, Literal(key.upper(), lang="en")))
    for lang, text in labels.items():
        g.add((iri, SKOS.altLabel, Literal(text, lang=lang.replace("_", "-"))))
    g.add((iri, CHIP.mentionedIn, KG[doc]))
    return iri


def claim(g: Graph, k: int, s: URIRef, rel: str, o: URIRef, modality: str, conf: str = "0.5") -> None:
    c = KG[f"claim-{k}"]
    for p, v in ((RDF.type, CHIP.Claim), (RDF.subject, s), (RDF.predicate, CHIP[rel]), (RDF.object, o),
                 (PROV.wasDerivedFrom, KG["doc-1"]), (CHIP.modality, CHIP[modality]),
                 (CHIP.evidence, Literal(f"sentence {k}")),
                 (CHIP.confidence, Literal(conf, datatype=XSD.decimal))):  # fmt: skip
        g.add((c, p, v))


def doc(g: Graph, key: str, lang: str) -> None:
    g.add((KG[key], RDF.type, CHIP.Document))
    g.add((KG[key], DCTERMS.language, Literal(lang)))


@pytest.mark.parametrize("name", ["viz_seed_zh.ttl", "viz_hostile.ttl"])
def test_viz_draws_one_node_per_entity_and_one_edge_per_relation(name: str) -> None:
    graph = fixture(name)
    data = payload(viz.render_html(graph))
    assert (len(data["nodes"]), len(data["edges"])) == expected_counts(graph)
    assert data["totals"] == {"entities": len(data["nodes"]), "edges": len(data["edges"]), "background": 0}
    assert all(n["core"] for n in data["nodes"])


def test_viz_fixture_counts_by_hand() -> None:
    data = payload(viz.render_html(fixture("viz_seed_zh.ttl")))
    styles = [e["style"] for e in data["edges"]]
    assert (len(data["nodes"]), len(data["edges"])) == (16, 10)
    assert (styles.count("asserted"), styles.count("hedged"), styles.count("negated")) == (6, 3, 1)
    (negated,) = [e for e in data["edges"] if e["style"] == "negated"]
    assert negated["rel"] == "acquires" and negated["label"] == "✕ 收购" and negated["dashes"]
    assert negated["arrows"]["middle"]["enabled"] is True


@pytest.mark.parametrize(
    ("lang", "tsmc", "openai", "altman"),
    [
        (None, "台积电", "OpenAI", "奥特曼"),
        ("zh", "台积电", "OpenAI", "奥特曼"),
        ("en", "TSMC", "OpenAI", "Sam Altman"),
    ],
)
def test_viz_labels_follow_language(lang: str | None, tsmc: str, openai: str, altman: str) -> None:
    data = payload(viz.render_html(fixture("viz_seed_zh.ttl"), lang=lang))
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    assert (labels[str(KG.tsmc)], labels[str(KG.openai)], labels[str(KG["sam-altman"])]) == (
        tsmc,
        openai,
        altman,
    )
    assert data["lang"] == (lang or "zh")


@pytest.mark.parametrize(
    ("langs", "expected"), [(["zh", "zh", "en"], "zh"), (["en", "zh"], "en"), ([], "en")]
)
def test_viz_default_language_is_the_majority_of_documents(langs: list[str], expected: str) -> None:
    g = Graph()
    for i, lang in enumerate(langs):
        doc(g, f"doc-{i}", lang)
    assert _model.build_view(g).lang == expected


def test_viz_symmetric_relation_is_one_edge_whichever_way_it_was_stated() -> None:
    g = Graph()
    a, b = entity(g, "a"), entity(g, "b")
    g.add((a, CHIP.partnersWith, b))
    g.add((b, CHIP.partnersWith, a))
    g.add((a, CHIP.investsIn, b))
    g.add((b, CHIP.investsIn, a))
    claim(g, 1, b, "partnersWith", a, "Asserted")
    claim(g, 2, a, "partnersWith", b, "Planned")
    edges = _model.build_view(g).edges
    assert sorted((e.relation, e.symmetric, len(e.claims)) for e in edges) == [
        ("investsIn", False, 0),
        ("investsIn", False, 0),
        ("partnersWith", True, 2),
    ]
    assert expected_counts(g) == (2, 3)
    arrows = [e["arrows"]["to"]["enabled"] for e in payload(viz.render_html(g))["edges"]]
    assert sorted(arrows) == [False, True, True]


@pytest.mark.parametrize("rel", ["partnersWith", "competesWith"])
def test_viz_denial_stated_the_other_way_round_contests_a_symmetric_edge(rel: str) -> None:
    g = Graph()
    a, b = entity(g, "a"), entity(g, "b")
    g.add((b, CHIP[rel], a))
    claim(g, 1, b, rel, a, "Asserted")
    claim(g, 2, a, rel, b, "Negated", conf="0.9")
    (edge,) = _model.build_view(g).edges
    assert edge.asserted and edge.contested and len(edge.claims) == 2


@pytest.mark.parametrize(
    ("modalities", "asserted", "style", "modality", "contested"),
    [
        (["Planned"], True, "hedged", "Planned", False),
        (["Reported", "Expected", "Expected"], True, "hedged", "Expected", False),
        (["Planned", "Asserted"], True, "asserted", "Asserted", False),
        (["Asserted", "Negated"], True, "asserted", "Asserted", True),
        (["Negated"], False, "negated", "Negated", False),
    ],
)
def test_viz_edge_style_follows_claim_modalities(
    modalities: list[str], asserted: bool, style: str, modality: str, contested: bool
) -> None:
    g = Graph()
    a, b = entity(g, "a"), entity(g, "b", "Chip")
    if asserted:
        g.add((a, CHIP.develops, b))
    for k, m in enumerate(modalities):
        claim(g, k, a, "develops", b, m, conf=f"0.{k + 1}")
    (edge,) = _model.build_view(g).edges
    assert (edge.style, edge.modality, edge.contested) == (style, modality, contested)
    assert len(edge.claims) == len(modalities)
    relevant = [(k + 1) / 10 for k, m in enumerate(modalities) if (m == "Negated") != asserted]
    assert edge.confidence == pytest.approx(max(relevant))


def test_viz_claim_for_a_finer_property_draws_that_property() -> None:
    g = Graph()
    a, b = entity(g, "a"), entity(g, "b")
    finer = URIRef(str(CHIP._NS) + "licensesFrom")
    g.add((a, finer, b))
    g.add((KG["claim-x"], RDF.type, CHIP.Claim))
    for p, v in ((RDF.subject, a), (RDF.predicate, finer), (RDF.object, b)):
        g.add((KG["claim-x"], p, v))
    assert [e.relation for e in _model.build_view(g).edges] == ["licensesFrom"]


def test_viz_dataset_uses_default_graph_only() -> None:
    ds = Dataset()
    a, b = entity(ds.default_graph, "a"), entity(ds.default_graph, "b")
    ds.default_graph.add((a, CHIP.uses, b))
    background = ds.graph(BACKGROUND)
    background.add((KG["c"], CHIP.mentionedIn, KG["doc-1"]))
    background.add((a, CHIP.acquires, KG["c"]))
    data = payload(viz.render_html(ds))
    assert sorted(n["id"] for n in data["nodes"]) == [str(a), str(b)]
    assert [e["rel"] for e in data["edges"]] == ["uses"]


def test_viz_entity_panel_data_keeps_aliases_and_only_wikidata_links() -> None:
    data = payload(viz.render_html(fixture("viz_seed_zh.ttl")))
    tsmc = data["entities"][str(KG.tsmc)]
    assert tsmc["wikidata"] == ["http://www.wikidata.org/entity/Q713418"]
    assert {"text": "台積電", "lang": "zh-Hant"} in tsmc["aliases"] and tsmc["pref"] == "TSMC"
    evil = payload(viz.render_html(fixture("viz_hostile.ttl")))["entities"][str(KG["evil-corp"])]
    assert evil["wikidata"] == []  # the javascript: sameAs is never offered as a link


@pytest.mark.parametrize(
    "text",
    [
        "</script><script>alert(1)</script>",
        "<!-- x -->",
        "a & b",
        "line\u2028sep\u2029",
        "<img src=x onerror=alert(1)>",
    ],
)
def test_viz_json_for_script_escapes_markup(text: str) -> None:
    out = _page.json_for_script({"k": [text]})
    assert not set("<>&\u2028\u2029") & set(out)
    assert json.loads(out) == {"k": [text]}


def test_viz_hostile_strings_never_reach_the_markup() -> None:
    page = viz.render_html(fixture("viz_hostile.ttl"))
    assert page.lower().count("</script") == 3  # the three closing tags, nothing from the data
    assert "<img" not in page and "onerror=alert" not in page.replace("onerror=alert(1)\\u003e", "")
    assert "\u2028" not in page and "\u2029" not in page
    data = payload(page)
    names = {n["labelEn"] for n in data["nodes"]}
    assert "<img src=x onerror=alert(1)>" in names
    (claims,) = data["claims"].values()
    assert claims[0]["evidence"].startswith("<img src=x onerror=alert(1)> develops </script>")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script" and not dict(attrs).get("type")
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def test_viz_page_is_self_contained_with_hash_pinned_scripts() -> None:
    page = viz.render_html(fixture("viz_seed_zh.ttl"))
    parser = _Tags()
    parser.feed(page)
    assert not [t for t, a in parser.tags if t in ("link", "img", "iframe", "object", "embed", "base")]
    assert not [a for _, a in parser.tags if "src" in a or "href" in a]
    assert "@import" not in page and "url(http" not in page
    csp = next(
        a["content"]
        for t, a in parser.tags
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    assert csp and "default-src 'none'" in csp and "connect-src 'none'" in csp
    assert len(parser.scripts) == 2
    for script in parser.scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert parser.scripts[0] == _page.vis_network_js() and "vis-network" in parser.scripts[0][:200]


def test_viz_most_connected_part_is_connected_and_bounded() -> None:
    g = Graph()
    hub = entity(g, "hub")
    for i in range(10):
        g.add((hub, CHIP.partnersWith, entity(g, f"s{i}")))
    for i in range(5):
        g.add((entity(g, f"l{i}"), CHIP.competesWith, entity(g, f"r{i}")))
    view = _model.build_view(g, max_nodes=6)
    assert len(view.core) == 6 and str(hub) in view.core
    assert all(i.split("/")[-1] in {"hub", *(f"s{k}" for k in range(10))} for i in view.core)
    hidden_edges = [e for e in view.edges if e.source not in view.core or e.target not in view.core]
    assert (len(view.entities) - len(view.core), len(hidden_edges)) == (15, 10)
    data = payload(viz.render_html(g, max_nodes=6))
    assert sum(n["core"] for n in data["nodes"]) == 6 and len(data["nodes"]) == 21


def test_viz_big_graphs_start_from_distinct_radial_positions() -> None:
    g = Graph()
    prev = entity(g, "n0")
    for i in range(1, _page.SEEDED + 20):
        node = entity(g, f"n{i}")
        g.add((prev if i % 3 else KG["n0"], CHIP.uses, node))
        prev = node
    view = _model.build_view(g)
    positions = _layout.radial_positions(view.entities, view.edges, view.core)
    assert set(positions) == view.core and len(set(positions.values())) == len(positions)
    assert all("x" in n for n in payload(viz.render_html(g))["nodes"])
    assert not any("x" in n for n in payload(viz.render_html(fixture("viz_seed_zh.ttl")))["nodes"])


@pytest.mark.parametrize(("kwargs", "message"), [({"lang": "fr"}, "'fr'"), ({"max_nodes": 0}, "at least 1")])
def test_viz_rejects_bad_arguments(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match=message):
        viz.render_html(Graph(), **kwargs)


@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_viz_cli_max_nodes_below_one_is_a_usage_error(
    tmp_path: Path, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        cli_main(
            ["viz", str(FIXTURES / "viz_seed_zh.ttl"), "-o", str(tmp_path / "g.html"), "--max-nodes", value]
        )
    assert caught.value.code == 2 and "--max-nodes" in capsys.readouterr().err
    assert not (tmp_path / "g.html").exists()


def test_viz_counts_the_background_facts_it_does_not_draw() -> None:
    ds = Dataset()
    background = ds.graph(BACKGROUND)
    background.add((KG.nvidia, CHIP.develops, KG.h100))
    background.add((KG.nvidia, CHIP.develops, KG.b200))
    background.add((KG.h100, SKOS.prefLabel, Literal("H100")))
    data = payload(viz.render_html(ds))
    assert data["nodes"] == [] and data["totals"] == {"entities": 0, "edges": 0, "background": 2}
    app = _page._asset("app.js")
    assert "background facts are not drawn" in app and "t.background" in app
    assert payload(viz.render_html(fixture("viz_seed_zh.ttl")))["totals"]["background"] == 0


def test_viz_write_html_creates_folders_and_returns_path(tmp_path: Path) -> None:
    out = viz.write_html(fixture("viz_seed_zh.ttl"), tmp_path / "deep" / "g.html")
    assert out == tmp_path / "deep" / "g.html" and out.read_text(encoding="utf-8").startswith(
        "<!DOCTYPE html>"
    )
    assert not list(out.parent.glob("*.part"))


def test_viz_empty_graph_renders() -> None:
    data = payload(viz.render_html(Graph()))
    assert data["nodes"] == [] and data["edges"] == [] and data["lang"] == "en"


def test_viz_notebook_html_is_a_sandboxed_srcdoc_iframe() -> None:
    graph = fixture("viz_hostile.ttl")
    snippet = viz.notebook_html(graph, lang="en")
    match = re.fullmatch(r'<iframe srcdoc="([^"]*)" (.*)></iframe>', snippet, re.S)
    assert match and html.unescape(match.group(1)) == viz.render_html(graph, lang="en")
    assert 'sandbox="allow-scripts' in match.group(2) and "allow-same-origin" not in snippet
    assert "<" not in match.group(1)


def test_viz_cli_writes_the_page(tmp_path: Path) -> None:
    out = tmp_path / "g.html"
    assert (
        cli_main(
            ["viz", str(FIXTURES / "viz_seed_zh.ttl"), "-o", str(out), "--lang", "en", "--max-nodes", "5"]
        )
        == 0
    )
    data = payload(out.read_text(encoding="utf-8"))
    assert data["lang"] == "en" and sum(n["core"] for n in data["nodes"]) == 5


def test_viz_exported_members() -> None:
    assert viz.__all__ == sorted(viz.__all__) == ["notebook_html", "render_html", "write_html"]


@pytest.mark.parametrize(
    ("names", "texts", "expected"),
    [
        (["台积", "台积电", "台湾积体电路制造"], ["由台积电(TSMC)进行制造", "台积电的股价"], "台积电"),
        (["台积", "台积电"], ["台积的客户"], "台积"),
        (["英伟达", "辉达"], [], "辉达"),
        ([], ["anything"], ""),
    ],
)
def test_viz_commonest_name_counts_longest_matches(names: list[str], texts: list[str], expected: str) -> None:
    assert _model._commonest(names, texts) == expected


def test_viz_chinese_label_follows_how_the_sources_write_the_name() -> None:
    g = Graph()
    doc(g, "doc-1", "zh")
    meta = entity(g, "meta", zh="脸书")
    nv = entity(g, "nv", zh="英伟达")
    g.add((meta, CHIP.competesWith, nv))
    claim(g, 1, meta, "competesWith", nv, "Asserted")
    g.set((KG["claim-1"], CHIP.evidence, Literal("META 和英伟达都在研发芯片。")))
    labels = {e.id: e.label_zh for e in _model.build_view(g).entities.values()}
    assert (labels[str(meta)], labels[str(nv)]) == ("META", "英伟达")


@pytest.mark.parametrize(
    "sink", ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function("]
)
def test_viz_page_script_never_parses_data_as_markup_or_code(sink: str) -> None:
    assert sink not in _page._asset("app.js")


def test_viz_same_graph_gives_the_same_page_whatever_the_hash_seed(tmp_path: Path) -> None:
    code = "import sys; from rdflib import Graph; from kg import viz; print(viz.render_html(Graph().parse(sys.argv[1])))"
    pages = {
        subprocess.run(
            [sys.executable, "-c", code, str(FIXTURES / "viz_seed_zh.ttl")],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).parents[1],
        ).stdout
        for seed in ("1", "2")
    }
    assert len(pages) == 1


def test_viz_nodes_are_sized_by_relations_and_sources_and_the_important_ones_labelled() -> None:
    g = Graph()
    for key in ("doc-1", "doc-2"):
        doc(g, key, "en")
    hub = entity(g, "hub", doc="doc-1")
    g.add((hub, CHIP.mentionedIn, KG["doc-2"]))
    spokes = [entity(g, f"spoke-{i:03d}") for i in range(_page.ALL_LABELLED + 5)]
    for i, spoke in enumerate(spokes):
        g.add((hub, CHIP.partnersWith, spoke))
        claim(g, i, hub, "partnersWith", spoke, "Asserted")
    data = payload(viz.render_html(g))
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes[str(hub)]["value"] == len(spokes) + 2 + 1  # relations + sources + 1
    assert nodes[str(spokes[0])]["value"] == 1 + 1 + 1
    important = [i for i, n in nodes.items() if n["important"]]
    assert len(important) == _page.LABELLED and str(hub) in important
    assert data["options"]["physics"]["stabilization"]["fit"] is False  # the page fits the core itself
    small = payload(viz.render_html(fixture("viz_seed_zh.ttl")))
    assert all(n["important"] for n in small["nodes"] if n["core"])
