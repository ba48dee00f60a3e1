"""The HTML view's time filter in headless Chromium: a date range hides the edges whose claims all
fall outside it and the entities it leaves alone; undated claims follow their own toggle."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from viz_time_graph import iri, time_graph

from kg import viz

from .conftest import Opened
from .test_viz_browser import click_edge

pytestmark = pytest.mark.browser

NAMES = ("alpha", "beta", "gamma", "delta", "eps", "zeta", "omega")


def shown(opened: Opened) -> tuple[set[str], set[frozenset[str]]]:
    """The entities (by name) and relations (as pairs of names) not hidden by the filters."""
    back = {iri(n): n for n in NAMES}
    nodes = opened.page.evaluate("kgView.nodes.get().filter(n => !n.hidden).map(n => n.id)")
    edges = opened.page.evaluate("kgView.edges.get().filter(e => !e.hidden).map(e => [e.from, e.to])")
    return {back[n] for n in nodes}, {frozenset((back[a], back[b])) for a, b in edges}


def pair(a: str, b: str) -> frozenset[str]:
    return frozenset((a, b))


@pytest.fixture
def time_page(tmp_path: Path, open_html: Callable[..., Opened]) -> Opened:
    return open_html(viz.write_html(time_graph(), tmp_path / "time.html"))


def test_viz_time_browser_range_hides_edges_and_the_entities_they_leave(time_page: Opened) -> None:
    page = time_page.page
    every = {pair("alpha", "beta"), pair("gamma", "delta"), pair("alpha", "gamma"), pair("eps", "zeta")}
    assert shown(time_page) == (set(NAMES), every)
    assert "2020-01-01" in page.inner_text("#time-span")

    page.fill("#time-from", "2025-01-01")
    page.fill("#time-to", "2025-12-31")
    nodes, edges = shown(time_page)
    # said in 2023: out; about 2026: out; since 2020: in; undated: in while undated claims are included
    assert edges == {pair("alpha", "gamma"), pair("eps", "zeta")}
    assert nodes == {"alpha", "gamma", "eps", "zeta"}  # beta, delta lose their only edge; omega's doc is 2023

    page.uncheck("#time-undated")
    assert shown(time_page) == ({"alpha", "gamma"}, {pair("alpha", "gamma")})

    page.fill("#time-from", "2026-06-01")
    page.fill("#time-to", "")
    assert shown(time_page)[1] == {pair("gamma", "delta"), pair("alpha", "gamma")}

    page.click("#reset")
    assert shown(time_page) == (set(NAMES), every)
    assert page.input_value("#time-from") == "" and page.is_checked("#time-undated")
    assert time_page.errors == [] and time_page.foreign_requests == []


def test_viz_time_browser_evidence_shows_when_said_and_when_about(time_page: Opened) -> None:
    page = time_page.page
    (edge,) = page.evaluate("([a, b]) => kgView.edgesBetween(a, b)", [iri("gamma"), iri("delta")])
    text = click_edge(time_page, edge)
    assert "said 2025-03-10" in text and "about 2026" in text
    (undated,) = page.evaluate("([a, b]) => kgView.edgesBetween(a, b)", [iri("eps"), iri("zeta")])
    assert "undated" in click_edge(time_page, undated)
