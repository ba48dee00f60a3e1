"""`kg.order`: a SELECT's final ORDER BY done in Python gives the engine's own rows in its own order."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pyoxigraph as ox
import pytest
from rdflib import Dataset
from test_query_rewrites import market

from kg import native, order, query, rdfio
from kg.tables import PREFIXES

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from bench_query import generate

FIXTURES = Path(__file__).parent / "fixtures"
WHOLE_GRAPH = (
    "claims",
    "claims-by-modality",
    "document-claims",
    "entities",
    "corroboration",
    "mention-counts",
)
XSD = "http://www.w3.org/2001/XMLSchema#"


def iri(name: str) -> ox.NamedNode:
    return ox.NamedNode(f"https://example.org/{name}")


def number(text: str, kind: str = "integer") -> ox.Literal:
    return ox.Literal(text, datatype=ox.NamedNode(XSD + kind))


def test_order_split_order_takes_the_final_clause_off() -> None:
    text = "SELECT ?a ?b WHERE { ?a ?p ?b }\nORDER BY ?a DESC(?b) asc( $p ) # last\n"
    stripped, keys = order.split_order(text) or ("", [])
    assert stripped == "SELECT ?a ?b WHERE { ?a ?p ?b }\n"
    assert keys == [("a", False), ("b", True), ("p", False)]


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { ?a ?p ?b } ORDER BY ?a LIMIT 10",  # a LIMIT applies after the order
        "SELECT * WHERE { ?a ?p ?b } ORDER BY STR(?a)",  # an expression
        "SELECT * WHERE { ?a ?p ?b } ORDER BY DESC(?a + 1)",
        "SELECT * WHERE { { SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?a } }",  # a sub-SELECT's own order
        "SELECT * WHERE { ?a ?p 'ORDER BY ?a' }",  # words in a string
        "SELECT * WHERE { ?a ?p ?b } ORDER BY",
        "SELECT * WHERE { ?a ?p ?b }",
    ],
)
def test_order_split_order_leaves_other_queries_alone(text: str) -> None:
    assert order.split_order(text) is None


def test_order_sort_rows_follows_sparql_order() -> None:
    rows = [
        (iri("b"), number("10")),
        (iri("a"), number("9")),
        (None, number("2.5", "decimal")),
        (iri("B"), None),
        (iri("a"), number("11")),
    ]
    ordered = order.sort_rows(["x", "n"], rows, [("x", False), ("n", True)])
    # unbound first, IRIs by their text (capitals first), numbers by value, descending with DESC
    assert ordered == [rows[2], rows[3], rows[4], rows[1], rows[0]]
    by_number = order.sort_rows(["x", "n"], rows, [("n", False), ("x", False)])
    assert by_number == [rows[3], rows[2], rows[1], rows[0], rows[4]]
    strings = [(ox.Literal("b"),), (ox.Literal("a"),), (ox.Literal("Z"),)]
    assert order.sort_rows(["s"], strings, [("s", True)]) == [strings[0], strings[1], strings[2]]


@pytest.mark.parametrize(
    "column",
    [
        [ox.BlankNode("x"), iri("a")],
        [ox.Literal("chip", language="en"), ox.Literal("chip")],
        [ox.Literal("2025-01-01Z", datatype=ox.NamedNode(XSD + "date"))],  # a time zone
        [ox.Literal("10:00:00", datatype=ox.NamedNode(XSD + "time"))],
        [ox.Literal("2025-01-01", datatype=ox.NamedNode(XSD + "date")), ox.Literal("2025")],
        [number("1"), ox.Literal("one")],
        [number("1"), number("1.0", "decimal")],  # two spellings of one number
        [number("1.5", "double"), number("1", "decimal")],
        [number("NaN", "double")],
        [number("ten")],
    ],
)
def test_order_sort_rows_leaves_unsure_orders_to_the_engine(column: list[ox.Term]) -> None:
    rows = [(term,) for term in column]
    assert order.sort_rows(["v"], rows, [("v", False)]) is None


def test_order_sort_rows_leaves_ties_and_unknown_keys_to_the_engine() -> None:
    rows = [(iri("a"), number("1")), (iri("a"), number("2")), (iri("b"), number("2"))]
    assert order.sort_rows(["x", "n"], rows, [("x", False)]) is None  # two different rows tie on ?x
    assert order.sort_rows(["x", "n"], rows, [("y", False)]) is None
    assert order.sort_rows(["x", "n"], [rows[0], rows[0]], [("x", False)]) == [rows[0], rows[0]]


@pytest.fixture(scope="module", params=["market", "query_market", "generated"])
def graph(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    source: Dataset | Path
    if request.param == "query_market":
        source = FIXTURES / "query_market.trig"
    else:
        made = market() if request.param == "market" else generate(120)
        source = rdfio.save(made, tmp_path_factory.mktemp("order") / "graph.trig")
    return rdfio.load(source, store="oxigraph")


@pytest.mark.parametrize("name", [saved.name for saved in query.saved_queries()])
def test_order_saved_questions_come_in_the_engines_order(graph: Dataset, name: str) -> None:
    store = native.oxigraph_of(graph)
    assert store is not None
    text = query.prepare(graph, name)
    result = store.query(text, prefixes=PREFIXES)
    assert isinstance(result, ox.QuerySolutions)
    columns = [v.value for v in result.variables]
    engine = native.frame(store, columns, [tuple(solution) for solution in result])
    pd.testing.assert_frame_equal(query.run(graph, name), engine)
    if name in WHOLE_GRAPH:  # these are sorted here, not by the engine
        split = order.split_order(text)
        assert split is not None
        unordered = [tuple(solution) for solution in store.query(split[0], prefixes=PREFIXES)]
        assert len(unordered) > 1
        rows = order.sort_rows(columns, unordered, split[1])
        assert rows is not None
        assert native.frame(store, columns, rows).equals(engine)


@pytest.mark.parametrize("name", WHOLE_GRAPH)
def test_order_whole_graph_questions_give_one_order_on_both_engines(name: str, tmp_path: Path) -> None:
    path = rdfio.save(market(), tmp_path / "market.trig")
    on_rdflib = query.run(rdfio.load(path), name)
    on_oxigraph = query.run(rdfio.load(path, store="oxigraph"), name)
    assert len(on_rdflib) > 1
    pd.testing.assert_frame_equal(on_rdflib, on_oxigraph)


@pytest.mark.parametrize(
    "keys",
    [
        "?v ?s",
        "DESC(?v) ?s",
        "?name DESC(?s)",
        "DESC(?name) ?s",
        "?other ?s",
        "DESC(?other) DESC(?s)",
        "?day ?s",
        "DESC(?day) ?v ?s",
    ],
)
def test_order_sort_rows_matches_oxigraph(keys: str) -> None:
    store = ox.Store()
    values = ["5", None, "10", "2.5", "-1", "0.75", None, "100"]
    names = ["台积电", "TSMC", "tsmc", None, "Ascend 910B", "英伟达", "Z", ""]
    days = ["2025-03-01", "2024-12-31", None, "2025-03-01", "1999-01-09", "2025-10-02", "2025-02-28", None]
    for i, (value, name, day) in enumerate(zip(values, names, days, strict=True)):
        subject = iri(f"s{i}")
        store.add(ox.Quad(subject, iri("type"), iri("Thing")))
        if value is not None:
            store.add(ox.Quad(subject, iri("v"), number(value, "decimal" if "." in value else "integer")))
        if name is not None:
            store.add(ox.Quad(subject, iri("name"), ox.Literal(name)))
        if day is not None:
            store.add(ox.Quad(subject, iri("day"), ox.Literal(day, datatype=ox.NamedNode(XSD + "date"))))
        store.add(
            ox.Quad(subject, iri("other"), iri((name or "_").replace(" ", "-")) if i % 3 else iri(f"x{i}"))
        )
    text = (
        "SELECT ?s ?v ?name ?other ?day WHERE { ?s <https://example.org/type> ?t "
        "OPTIONAL { ?s <https://example.org/day> ?day } "
        "OPTIONAL { ?s <https://example.org/v> ?v } OPTIONAL { ?s <https://example.org/name> ?name } "
        f"OPTIONAL {{ ?s <https://example.org/other> ?other }} }} ORDER BY {keys}"
    )
    split = order.split_order(text)
    assert split is not None
    result = store.query(split[0])
    assert isinstance(result, ox.QuerySolutions)
    rows = order.sort_rows([v.value for v in result.variables], [tuple(row) for row in result], split[1])
    assert rows is not None
    assert rows == [tuple(row) for row in store.query(text)]
