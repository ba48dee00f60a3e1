"""The HTML view in real headless Chromium, on hand-made fixtures: offline, counts, evidence, filters,
search, language, large graphs, and hostile strings that must stay text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from rdflib import RDF, SKOS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from kg import viz
from kg.vocab import CHIP, KG

from .conftest import BUILD, Opened, wait_stable

pytestmark = pytest.mark.browser

SEED = "viz_seed_zh.ttl"
HOSTILE = "viz_hostile.ttl"
TSMC, OPENAI = str(KG["tsmc"]), str(KG["openai"])


def drawn(opened: Opened) -> tuple[int, int]:
    counts = opened.page.evaluate("kgView.drawn()")
    return counts["nodes"], counts["edges"]


def click_edge(opened: Opened, edge_id: str) -> str:
    """Click the middle of a drawn edge with the mouse; returns the side panel's text."""
    page = opened.page
    page.evaluate(
        "id => { const e = kgView.edges.get(id); kgView.network.fit({nodes: [e.from, e.to]}); }", edge_id
    )
    point = page.evaluate("id => kgView.edgePoint(id)", edge_id)
    page.mouse.click(point["x"], point["y"])
    return page.inner_text("#panel-body")


def click_node(opened: Opened, node_id: str) -> str:
    # click where the node rests: on a loaded machine the layout may still be moving it
    point = opened.page.evaluate("id => kgView.nodePoint(id)", node_id)
    for _ in range(30):
        opened.page.wait_for_timeout(100)
        now = opened.page.evaluate("id => kgView.nodePoint(id)", node_id)
        if abs(now["x"] - point["x"]) < 1 and abs(now["y"] - point["y"]) < 1:
            break
        point = now
    opened.page.mouse.click(point["x"], point["y"])
    return opened.page.inner_text("#panel-body")


@pytest.fixture
def seed_page(
    tmp_path: Path, fixture_graph: Callable[[str], Graph], open_html: Callable[..., Opened]
) -> Opened:
    return open_html(viz.write_html(fixture_graph(SEED), tmp_path / "seed.html"))


def test_viz_browser_fixture_page_is_offline_and_draws_every_entity_and_relation(seed_page: Opened) -> None:
    # 16 entities with chip:mentionedIn; 9 relation triples + 1 negated claim (counted by hand).
    assert drawn(seed_page) == (16, 10)
    assert seed_page.foreign_requests == []
    assert seed_page.errors == []
    assert "16 of 16 entities" in seed_page.page.inner_text("#status")
    assert seed_page.page.is_hidden("#note")
    BUILD.mkdir(exist_ok=True)
    seed_page.page.screenshot(path=str(BUILD / "graph-fixture.png"))


def test_viz_browser_edge_click_shows_chinese_evidence(seed_page: Opened) -> None:
    (edge,) = seed_page.page.evaluate("([a, b]) => kgView.edgesBetween(a, b)", [TSMC, OPENAI])
    text = click_edge(seed_page, edge)
    assert (
        "消息称博通将会帮助 OpenAI 进行芯片设计,并确保由台积电(TSMC)进行制造,预计 2026 年开始生产。" in text
    )
    assert "0.80" in text and "预计" in text  # confidence, modality (zh labels: the sources are Chinese)
    assert "OpenAI 计划自研 AI 芯片" in text and "2024-10-31" in text and "000_d56c37649bfd2e3a.txt" in text


def test_viz_browser_node_click_shows_aliases_and_wikidata(seed_page: Opened) -> None:
    text = click_node(seed_page, TSMC)
    for alias in ("台湾积体电路制造", "台積電", "Taiwan Semiconductor Manufacturing Company"):
        assert alias in text
    href = seed_page.page.get_attribute("#panel-body a", "href")
    assert href == "http://www.wikidata.org/entity/Q713418"
    assert "fabricates for" in text or "代工" in text


def test_viz_browser_negated_claim_is_a_marked_edge(seed_page: Opened) -> None:
    (edge,) = seed_page.page.evaluate(
        "([a, b]) => kgView.edgesBetween(a, b).filter(id => kgView.edges.get(id).rel === 'acquires')",
        [OPENAI, str(KG["broadcom"])],
    )
    look = seed_page.page.evaluate("id => kgView.edges.get(id)", edge)
    assert look["style"] == "negated" and look["label"].startswith("✕") and look["dashes"]
    assert "OpenAI has no plans to acquire Broadcom" in click_edge(seed_page, edge)


ISOLATED = """() => kgView.nodes.get().filter(n => !n.hidden && !kgView.edges.get().some(
    e => !e.hidden && (e.from === n.id || e.to === n.id))).map(n => n.id).sort()"""
"""The drawn entities that no drawn relation touches."""


def _set_range(opened: Opened, value: float) -> None:
    opened.page.evaluate(
        "v => { const r = document.getElementById('min-conf'); r.value = v;"
        " r.dispatchEvent(new Event('input')); }",
        value,
    )


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("#rel-filters input[data-key=fabricatesFor]", (15, 9)),
        ("#class-filters input[data-key=Chip]", (9, 7)),
        ("#kind-filters input[data-key=negated]", (16, 9)),
        ("#kind-filters input[data-key=hedged]", (14, 7)),
        (0.8, (13, 6)),
        ("https://w3id.org/aichip-kg/id/doc-brief", (2, 1)),
        ("https://w3id.org/aichip-kg/id/doc-wire", (2, 1)),
    ],
)
def test_viz_browser_filter_hides_what_it_should(
    seed_page: Opened, action: str | float, expected: tuple
) -> None:
    page = seed_page.page
    isolated = page.evaluate(ISOLATED)
    if isinstance(action, float):
        _set_range(seed_page, action)
    elif action.startswith("#"):
        page.uncheck(action)
    else:
        page.select_option("#doc-filter", action)
    assert drawn(seed_page) == expected
    # filtering relations out leaves no orphan dot behind: only entities that had no relation stand alone
    assert set(page.evaluate(ISOLATED)) <= set(isolated)
    if action == "#rel-filters input[data-key=fabricatesFor]":
        (edge,) = page.evaluate("([a, b]) => kgView.edgesBetween(a, b)", [TSMC, OPENAI])
        assert page.evaluate("id => kgView.edges.get(id).hidden", edge) is True
    page.click("#reset")
    assert drawn(seed_page) == (16, 10)


@pytest.mark.parametrize("query", ["台积电", "tsmc", "Taiwan Semiconductor", "台積電"])
def test_viz_browser_search_focuses_entity_and_neighbourhood(seed_page: Opened, query: str) -> None:
    page = seed_page.page
    page.fill("#search", query)
    page.press("#search", "Enter")
    assert page.evaluate("kgView.network.getSelectedNodes()") == [TSMC]
    assert page.inner_text("#panel-body h2") == "台积电"
    dimmed = page.evaluate("kgView.nodes.get().filter(n => n.color.background === '#d9dde3').map(n => n.id)")
    assert TSMC not in dimmed and OPENAI not in dimmed and len(dimmed) == 14


def test_viz_browser_language_toggle_relabels(seed_page: Opened) -> None:
    page = seed_page.page
    assert page.evaluate("id => kgView.nodes.get(id).label", TSMC) == "台积电"
    page.click("[data-lang=en]")
    assert page.evaluate("id => kgView.nodes.get(id).label", TSMC) == "TSMC"
    assert page.evaluate("id => kgView.nodes.get(id).label", str(KG["sam-altman"])) == "Sam Altman"


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "escaping-alone"])
def test_viz_browser_hostile_strings_stay_text(
    tmp_path: Path, fixture_graph: Callable[[str], Graph], open_html: Callable[..., Opened], bypass_csp: bool
) -> None:
    opened = open_html(
        viz.write_html(fixture_graph(HOSTILE), tmp_path / "hostile.html"), bypass_csp=bypass_csp
    )
    page = opened.page
    assert drawn(opened) == (2, 1)
    node_text = click_node(opened, str(KG["evil-corp"]))
    assert page.inner_text("#panel-body h2") == "<img src=x onerror=alert(1)>"
    assert "</script><script>alert(2)</script>" in node_text
    (edge,) = page.evaluate("kgView.edges.getIds()")
    edge_text = click_edge(opened, edge)
    assert "<img src=x onerror=alert(1)> develops </script><script>alert(2)</script> <!-- ]]>" in edge_text
    assert "<i onmouseover=alert(5)>pattern</i>" in edge_text
    assert "<script>alert('title')</script> Evil & Co. news" in edge_text
    page.fill("#search", "</script>")
    page.press("#search", "Enter")
    assert page.evaluate("kgView.network.getSelectedNodes()") == [str(KG["evil-corp"])]
    assert (
        page.evaluate("document.querySelectorAll('img, svg script, a[href^=javascript], i, b').length") == 0
    )
    assert page.evaluate("document.scripts.length") == 3
    assert opened.dialogs == [] and opened.errors == [] and opened.foreign_requests == []


def _hub_graph(n_hub: int, n_pairs: int) -> Graph:
    """A hub with `n_hub` spokes plus `n_pairs` disconnected pairs: the hub side is the connected core."""
    g = Graph()
    doc = KG["doc-big"]
    g.add((doc, RDF.type, CHIP.Document))
    g.add((doc, DCTERMS.language, Literal("en")))
    g.add((doc, DCTERMS.title, Literal("synthetic")))

    def entity(key: str) -> URIRef:
        iri = KG[key]
        g.add((iri, RDF.type, CHIP.Company))
        g.add((iri, SKOS.prefLabel, Literal(key.title(), lang="en")))
        g.add((iri, CHIP.mentionedIn, doc))
        return iri

    hub = entity("hub")
    for i in range(n_hub):
        g.add((hub, CHIP.partnersWith, entity(f"spoke-{i}")))
    for i in range(n_pairs):
        g.add((entity(f"left-{i}"), CHIP.competesWith, entity(f"right-{i}")))
    return g


def test_viz_browser_large_graph_opens_on_most_connected_part(
    tmp_path: Path, open_html: Callable[..., Opened]
) -> None:
    opened = open_html(viz.write_html(_hub_graph(30, 20), tmp_path / "big.html", max_nodes=21))
    page = opened.page
    assert drawn(opened) == (21, 20)  # the hub and its 20 best spokes; 70 entities in all
    note = page.inner_text("#note")
    assert "21 most connected of 71 entities" in note and "50 entities and 30 relations are not drawn" in note
    page.fill("#search", "Left-7")
    page.press("#search", "Enter")
    assert drawn(opened) == (23, 21)
    page.click("#show-all")
    wait_stable(page)
    assert drawn(opened) == (71, 50)
    assert page.is_hidden("#note")


def test_viz_browser_notebook_iframe_renders_inline(
    browser: Browser, tmp_path: Path, fixture_graph: Callable[[str], Graph]
) -> None:
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    host = tmp_path / "notebook.html"
    host.write_text(
        f"<!DOCTYPE html><p>cell output</p>{viz.notebook_html(fixture_graph(SEED))}", encoding="utf-8"
    )
    page.goto(host.as_uri())
    frame = page.frames[1]
    for _ in range(200):
        if frame.evaluate("Boolean(window.kgView && window.kgView.stable)"):
            break
        page.wait_for_timeout(50)
    assert frame.evaluate("kgView.drawn()") == {"nodes": 16, "edges": 10}
    assert requests == [host.as_uri()]
    context.close()


def _chain_graph() -> Graph:
    """Alpha–Beta–Gamma–Delta in a chain, Alpha–Epsilon beside; Alpha→Beta said by three dated documents."""
    from rdflib.namespace import PROV, XSD

    g = Graph()
    names = ["alpha", "beta", "gamma", "delta", "epsilon"]
    docs = [("d-old", "2024-01-05", 0.95), ("d-new", "2025-06-01", 0.55), ("d-mid", "2024-09-09", 0.75)]
    for key, date, _ in docs:
        g.add((KG[key], RDF.type, CHIP.Document))
        g.add((KG[key], DCTERMS.title, Literal(f"Report {key}")))
        g.add((KG[key], DCTERMS.language, Literal("en")))
        g.add((KG[key], DCTERMS.date, Literal(date, datatype=XSD.date)))
    for name in names:
        g.add((KG[name], RDF.type, CHIP.Company))
        g.add((KG[name], SKOS.prefLabel, Literal(name.title(), lang="en")))
        g.add((KG[name], CHIP.mentionedIn, KG["d-old"]))
    pairs = [("alpha", "beta"), ("beta", "gamma"), ("gamma", "delta"), ("alpha", "epsilon")]
    for i, (s, o) in enumerate(pairs):
        g.add((KG[s], CHIP.dependsOn, KG[o]))
        for j, (doc, _date, conf) in enumerate(docs if i == 0 else docs[:1]):
            claim = KG[f"claim-{i}-{j}"]
            for p, v in (
                (RDF.type, CHIP.Claim),
                (RDF.subject, KG[s]),
                (RDF.predicate, CHIP.dependsOn),
                (RDF.object, KG[o]),
                (PROV.wasDerivedFrom, KG[doc]),
                (CHIP.modality, CHIP.Asserted),
                (CHIP.evidence, Literal(f"{s.title()} relies on {o.title()} ({doc}).")),
                (CHIP.confidence, Literal(str(conf), datatype=XSD.decimal)),
            ):
                g.add((claim, p, v))
    return g


@pytest.fixture
def chain_page(tmp_path: Path, open_html: Callable[..., Opened]) -> Opened:
    return open_html(viz.write_html(_chain_graph(), tmp_path / "chain.html"))


def test_viz_browser_click_shows_one_or_two_hop_neighbourhood(chain_page: Opened) -> None:
    page = chain_page.page
    alpha = str(KG.alpha)
    click_node(chain_page, alpha)
    near = "kgView.neighbourhood.map(id => id.split('/').pop()).sort()"
    dimmed = "kgView.nodes.get().filter(n => n.color.background === '#d9dde3').map(n => n.id.split('/').pop()).sort()"
    assert page.evaluate(near) == ["alpha", "beta", "epsilon"]
    assert page.evaluate(dimmed) == ["delta", "gamma"]
    page.select_option("#hops", "2")
    assert page.evaluate(near) == ["alpha", "beta", "epsilon", "gamma"]
    assert page.evaluate(dimmed) == ["delta"]
    assert page.inner_text("#panel-body h2") == "Alpha"


def test_viz_browser_evidence_is_sorted_by_date_then_confidence(chain_page: Opened) -> None:
    page = chain_page.page
    (edge,) = page.evaluate("([a, b]) => kgView.edgesBetween(a, b)", [str(KG.alpha), str(KG.beta)])
    click_edge(chain_page, edge)
    order = "Array.from(document.querySelectorAll('#panel-body .evidence')).map(q => q.textContent.match(/\\((d-\\w+)\\)/)[1])"
    assert page.evaluate(order) == ["d-new", "d-mid", "d-old"]
    page.select_option("#evidence-sort", "confidence")
    assert page.evaluate(order) == ["d-old", "d-mid", "d-new"]


def test_viz_browser_exports_the_current_view_as_png_and_svg(chain_page: Opened) -> None:
    page = chain_page.page
    with page.expect_download() as png:
        page.click("#export-png")
    data = Path(png.value.path()).read_bytes()
    assert png.value.suggested_filename == "aichip-graph.png"
    assert data.startswith(b"\x89PNG") and len(data) > 5_000
    with page.expect_download() as svg:
        page.click("#export-svg")
    text = Path(svg.value.path()).read_text(encoding="utf-8")
    assert text.startswith("<svg") and text.count("<circle") == 5 and text.count("<line") == 4
    assert ">Alpha</text>" in text and ">Epsilon</text>" in text
    page.uncheck("#rel-filters input[data-key=dependsOn]")  # the export follows the view: nothing drawn now
    assert page.evaluate("kgView.exportSVG()").count("<circle") == 0
