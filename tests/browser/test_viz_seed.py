"""The seed article's real graph (built by `kg extract`, drawn by `kg viz`) in headless Chromium.

Writes the screenshot build/graph.png. Skips, saying why, only if `kg extract` itself fails.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef
from test_viz import expected_counts  # one counting rule for the fast and the browser tests

from kg import rdfio
from kg.viz._page import FONT
from kg.vocab import CHIP, KG

from .conftest import BUILD, Opened
from .test_viz_browser import ISOLATED

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
TSMC, OPENAI = KG["tsmc"], KG["openai"]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Graph, Path]:
    """The seed graph, extracted and drawn through the command line."""
    tmp = tmp_path_factory.mktemp("seed")
    ttl, page = tmp / "seed.ttl", tmp / "graph.html"
    extract = [sys.executable, "-m", "kg", "extract", str(ROOT / "seeds"), "-o", str(ttl)]
    done = subprocess.run(extract, cwd=ROOT, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        pytest.skip(
            f"`kg extract seeds/` failed (exit {done.returncode}), so no seed graph: {done.stderr[-400:]}"
        )
    draw = [sys.executable, "-m", "kg", "viz", str(ttl), "-o", str(page)]
    subprocess.run(draw, cwd=ROOT, check=True, capture_output=True, timeout=120)
    return rdfio.load(ttl).default_graph, page


@pytest.fixture
def seed_page(seed: tuple[Graph, Path], open_html: Callable[..., Opened]) -> Opened:
    return open_html(seed[1])


def drawn(opened: Opened) -> tuple[int, int]:
    counts = opened.page.evaluate("kgView.drawn()")
    return counts["nodes"], counts["edges"]


def test_viz_seed_page_is_offline_and_draws_every_entity_and_relation(
    seed: tuple[Graph, Path], seed_page: Opened
) -> None:
    graph = seed[0]
    assert seed_page.foreign_requests == [] and seed_page.errors == []
    assert drawn(seed_page) == expected_counts(graph)
    assert expected_counts(graph)[1] >= 10  # a real graph, not an empty page that trivially matches


def test_viz_seed_tsmc_openai_edge_shows_its_chinese_evidence(
    seed: tuple[Graph, Path], seed_page: Opened
) -> None:
    graph, page = seed[0], seed_page.page
    edges = page.evaluate("([a, b]) => kgView.edgesBetween(a, b)", [str(TSMC), str(OPENAI)])
    assert edges, "no TSMC–OpenAI edge drawn"
    seen_chinese = False
    for edge in edges:
        look = page.evaluate("id => kgView.edges.get(id)", edge)
        claims = [
            c
            for c in graph.subjects(RDF.type, CHIP.Claim)
            if (graph.value(c, RDF.subject), graph.value(c, RDF.predicate), graph.value(c, RDF.object))
            == (URIRef(look["from"]), CHIP[look["rel"]], URIRef(look["to"]))
        ]
        page.evaluate(
            "id => kgView.network.fit({nodes: [kgView.edges.get(id).from, kgView.edges.get(id).to]})", edge
        )
        point = page.evaluate("id => kgView.edgePoint(id)", edge)
        page.mouse.click(point["x"], point["y"])
        text = page.inner_text("#panel-body")
        for c in claims:
            sentence = str(graph.value(c, CHIP.evidence))
            assert sentence in text
            seen_chinese = seen_chinese or bool(CJK.search(sentence) and "台积电" in sentence)
    assert seen_chinese, "no Chinese evidence sentence naming 台积电 on the TSMC–OpenAI edge"


def test_viz_seed_filters_hide_what_they_should(seed: tuple[Graph, Path], seed_page: Opened) -> None:
    graph, page = seed[0], seed_page.page
    nodes, edges = expected_counts(graph)
    alone = set(page.evaluate(ISOLATED))
    (edge, *_) = page.evaluate("([a, b]) => kgView.edgesBetween(a, b)", [str(TSMC), str(OPENAI)])
    rel = page.evaluate("id => kgView.edges.get(id).rel", edge)
    same_rel = page.evaluate("r => kgView.edges.get().filter(e => e.rel === r).length", rel)
    page.uncheck(f"#rel-filters input[data-key={rel}]")
    assert drawn(seed_page)[1] == edges - same_rel
    assert page.evaluate("id => kgView.edges.get(id).hidden", edge) is True
    assert set(page.evaluate(ISOLATED)) <= alone  # no orphan dot left behind by the filter
    page.click("#reset")
    assert drawn(seed_page) == (nodes, edges)
    chips = set(graph.subjects(RDF.type, CHIP.Chip)) & set(graph.subjects(CHIP.mentionedIn))
    page.uncheck("#class-filters input[data-key=Chip]")
    chip_edges = page.evaluate(
        "ids => kgView.edges.get().filter(e => ids.includes(e.from) || ids.includes(e.to)).length",
        [str(c) for c in chips],
    )
    assert chips and drawn(seed_page)[1] == edges - chip_edges
    assert not set(page.evaluate("() => kgView.nodes.get().filter(n => !n.hidden).map(n => n.id)")) & {
        str(c) for c in chips
    }
    assert set(page.evaluate(ISOLATED)) <= alone


def test_viz_seed_screenshot_has_legible_chinese_labels(seed_page: Opened) -> None:
    page = seed_page.page
    assert page.evaluate("id => kgView.nodes.get(id).label", str(TSMC)) == "台积电"
    # Missing glyphs draw as identical boxes: distinct, non-empty bitmaps mean a CJK font is in use.
    glyphs = page.evaluate(
        """font => ['台', '积', '电'].map(ch => {
            const c = document.createElement('canvas'); c.width = c.height = 40;
            const g = c.getContext('2d'); g.font = '32px ' + font; g.fillText(ch, 2, 34);
            return Array.from(g.getImageData(0, 0, 40, 40).data).join(',');
        })""",
        FONT,
    )
    assert len(set(glyphs)) == 3 and all(re.search(r"[1-9]", g) for g in glyphs)
    BUILD.mkdir(exist_ok=True)
    page.screenshot(path=str(BUILD / "graph.png"))
    assert (BUILD / "graph.png").stat().st_size > 20_000
