"""The HTML view's time data: each edge carries its claims' dates and the times they are about."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from rdflib.namespace import DCTERMS
from viz_time_graph import iri, time_graph

from kg import viz
from kg.viz import _model
from kg.vocab import KG

DATA_BLOCK = re.compile(r'<script type="application/json" id="kg-data">(.*?)</script>', re.S)


def page_data() -> dict[str, Any]:
    match = DATA_BLOCK.search(viz.render_html(time_graph()))
    assert match
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def edge_between(data: dict[str, Any], a: str, b: str) -> dict[str, Any]:
    (edge,) = [e for e in data["edges"] if {e["from"], e["to"]} == {iri(a), iri(b)}]
    return edge


@pytest.mark.parametrize(
    ("value", "span"),
    [
        ("2026", ("2026-01-01", "2026-12-31")),
        ("2024-02", ("2024-02-01", "2024-02-29")),
        ("2025-02", ("2025-02-01", "2025-02-28")),
        ("2024-10-31", ("2024-10-31", "2024-10-31")),
        ("2024-11-02T09:30:00Z", ("2024-11-02", "2024-11-02")),
    ],
)
def test_viz_time_span_of_each_precision(value: str, span: tuple[str, str]) -> None:
    assert _model.time_span(value) == span


def test_viz_time_claim_span_prefers_the_time_it_is_about() -> None:
    said = _model.Claim("c", "fabricates", None, "", None, None, None, "Asserted", "", date="2025-03-10")
    assert said.span == ("2025-03-10", "2025-03-10") and said.time == ""
    about = _model.Claim("c", "fabricates", None, "", None, None, None, "Asserted", "", "2025-03-10", "2026")
    assert about.span == ("2026-01-01", "2026-12-31") and about.time == "2026"
    since = _model.Claim("c", "x", None, "", None, None, None, "Asserted", "", "2025-03-10", since="2020")
    assert since.span == ("2020-01-01", _model.OPEN_END) and since.time == "since 2020"
    until = _model.Claim("c", "x", None, "", None, None, None, "Asserted", "", until="2024-06")
    assert until.span == (_model.OPEN_START, "2024-06-30") and until.time == "until 2024-06"
    assert _model.Claim("c", "x", None, "", None, None, None, "Asserted", "").span is None


def test_viz_time_edges_carry_spans_and_the_undated_flag() -> None:
    data = page_data()
    assert edge_between(data, "alpha", "beta")["spans"] == [["2023-05-01", "2023-05-01"]]
    assert edge_between(data, "gamma", "delta")["spans"] == [["2026-01-01", "2026-12-31"]]
    assert edge_between(data, "alpha", "gamma")["spans"] == [["2020-01-01", _model.OPEN_END]]
    undated = edge_between(data, "eps", "zeta")
    assert undated["spans"] == [] and undated["undated"] is True
    assert not edge_between(data, "alpha", "beta")["undated"]
    # the range the date inputs offer: open ends left out
    assert data["timeRange"] == ["2020-01-01", "2026-12-31"]


def test_viz_time_tooltip_and_evidence_show_both_dates() -> None:
    data = page_data()
    edge = edge_between(data, "gamma", "delta")
    assert "said 2025-03-10" in edge["title"] and "about 2026" in edge["title"]
    (claim,) = data["claims"][edge["id"]]
    assert claim["date"] == "2025-03-10" and claim["time"] == "2026"
    assert "about since 2020" in edge_between(data, "alpha", "gamma")["title"]
    undated = edge_between(data, "eps", "zeta")
    assert "said" not in undated["title"] and data["claims"][undated["id"]][0]["date"] == ""


def test_viz_time_claim_without_its_own_date_takes_its_documents() -> None:
    g = time_graph()
    g.remove((KG["claim-ab"], DCTERMS.date, None))
    view = _model.build_view(g)
    (edge,) = [e for e in view.edges if e.source == iri("alpha") and e.target == iri("beta")]
    assert edge.claims[0].date == "2023-05-01" and edge.spans == [("2023-05-01", "2023-05-01")]


def test_viz_time_page_has_the_time_controls() -> None:
    page = viz.render_html(time_graph())
    for control in ('id="time-from" type="date"', 'id="time-to" type="date"', 'id="time-undated"'):
        assert control in page
