"""The view at 65, 2,000 and 10,000 entities (synthetic graphs from bench/synthetic.py): it opens on a
readable picture (labels big enough on screen, fitted to the connected core), collapses companies at
scale, makes no request, and reports how long the layout took to settle (reported, never asserted).

Screenshots of each opening view go to build/viz-<size>.png; timings to build/viz-scale.json.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import RDF, SKOS, Graph, Literal

from kg import viz
from kg.vocab import CHIP, KG

from .conftest import BUILD, Opened

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from synthetic import synthetic_graph

pytestmark = pytest.mark.browser

MIN_FONT_PX = 11.0
"""The smallest label a reader can comfortably read on screen, in CSS pixels."""

LABELS_ON_SCREEN = """() => {
    const net = kgView.network, scale = net.getScale(), box = document.getElementById('graph');
    const w = box.clientWidth, h = box.clientHeight, out = [];
    for (const id of net.body.nodeIndices) {
        const node = net.body.nodes[id], text = node.options.label;
        if (!text) continue;
        const p = net.canvasToDOM(net.getPosition(id));
        if (p.x < 0 || p.y < 0 || p.x > w || p.y > h) continue;
        out.push({id: id, text: text, px: node.labelModule.fontOptions.size * scale});
    }
    return {scale: scale, labels: out, drawn: net.body.nodeIndices.length};
}"""


def graph_of(size: int) -> Graph:
    """A synthetic graph of `size` entities; the smallest also has isolated entities (no relation)."""
    if size > 100:
        return synthetic_graph(size)
    graph = synthetic_graph(size - 10)
    for i in range(10):
        iri = KG[f"alone-{i}"]
        graph.add((iri, RDF.type, CHIP.Company))
        graph.add((iri, SKOS.prefLabel, Literal(f"Alone {i}", lang="en")))
        graph.add((iri, CHIP.mentionedIn, KG["doc-0"]))
    return graph


def record(size: int, values: dict[str, object]) -> None:
    BUILD.mkdir(exist_ok=True)
    path = BUILD / "viz-scale.json"
    known = json.loads(path.read_text()) if path.exists() else {}
    known[str(size)] = values
    path.write_text(json.dumps(known, indent=2, sort_keys=True))
    print(f"\nview of {size} entities: {values}")


@pytest.mark.slow
@pytest.mark.parametrize("size", [65, 2000, 10000])
def test_viz_scale_opening_view_is_legible_offline_and_timed(
    size: int, tmp_path: Path, open_html: Callable[..., Opened]
) -> None:
    html = viz.write_html(graph_of(size), tmp_path / f"g{size}.html")
    opened = open_html(html, timeout=240.0)
    page = opened.page
    seen = page.evaluate(LABELS_ON_SCREEN)
    BUILD.mkdir(exist_ok=True)
    page.screenshot(path=str(BUILD / f"viz-{size}.png"))
    sizes = sorted(label["px"] for label in seen["labels"])
    record(
        size,
        {
            "settled_ms": round(page.evaluate("kgView.settledMs")),
            "drawn_nodes": seen["drawn"],
            "scale": round(seen["scale"], 3),
            "labels_on_screen": len(sizes),
            "smallest_label_px": round(sizes[0], 1) if sizes else None,
            "html_kb": html.stat().st_size // 1024,
        },
    )
    assert opened.foreign_requests == [], opened.foreign_requests
    assert opened.errors == [], opened.errors
    assert len(sizes) >= 10, f"only {len(sizes)} labels in the opening view"
    assert sizes[0] >= MIN_FONT_PX, f"labels as small as {sizes[0]:.1f} px on screen"
    # isolated entities do not pull the zoom out: the opening view is on the connected core, closer
    # than fitting every entity would be
    alone = [label for label in seen["labels"] if label["text"].startswith("Alone")]
    assert len(alone) < len(seen["labels"]) / 2
    fit_all = page.evaluate(
        "() => { kgView.network.fit({animation: false}); return kgView.network.getScale(); }"
    )
    assert seen["scale"] > fit_all, (seen["scale"], fit_all)
    if size > 1000:  # a few thousand entities open with each company's leaves folded into it
        assert page.evaluate("kgView.network.body.nodeIndices.some(id => kgView.network.isCluster(id))")
        assert page.get_attribute("#collapse", "aria-pressed") == "true"
        assert " folded into " in page.inner_text("#status"), page.inner_text("#status")
        before = page.evaluate("kgView.drawn().nodes")
        page.click("#collapse")
        after = page.evaluate("kgView.drawn().nodes")
        assert after > before, (before, after, page.inner_text("#status"))
        assert page.get_attribute("#collapse", "aria-pressed") == "false"


def test_viz_scale_opening_layout_is_stable_between_openings(
    tmp_path: Path, open_html: Callable[..., Opened]
) -> None:
    html = viz.write_html(graph_of(65), tmp_path / "g65.html")
    seen = []
    for _ in range(2):
        page = open_html(html).page
        seen.append(
            page.evaluate(
                """() => { const net = kgView.network, p = net.getPositions();
                    return {scale: net.getScale(), view: net.getViewPosition(),
                            nodes: Object.keys(p).sort().map(id => [id, Math.round(p[id].x), Math.round(p[id].y)])}; }"""
            )
        )
    assert seen[0] == seen[1]  # same file, same picture: a reader's mental map survives a reload
