"""SPARQL from Python and the command line: saved questions, parameters, typed frames, formats, errors."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from rdflib import Dataset, Literal, URIRef

from kg import cli, params, query, query_text, rdfio
from kg.errors import QueryError
from kg.tables import IRI_COLUMNS, IRI_SUFFIX, display_width, format_frame
from kg.vocab import CHIP, KG

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "query_seed.ttl"
MARKET = FIXTURES / "query_market.trig"
STORES = ["default", "Oxigraph"]

# rdflib 7.6's TriG parser uses its own deprecated ConjunctiveGraph API while loading MARKET
pytestmark = pytest.mark.filterwarnings(
    "ignore:(Dataset.default_context|ConjunctiveGraph) is deprecated:DeprecationWarning"
)


@pytest.fixture(scope="module", params=STORES)
def market(request: pytest.FixtureRequest) -> Dataset:
    return rdfio.load(MARKET, store=request.param)


@pytest.fixture(scope="module", params=STORES)
def seed(request: pytest.FixtureRequest) -> Dataset:
    return rdfio.load(SEED, store=request.param)


def labels(frame: pd.DataFrame, column: str) -> set[str]:
    return {v for v in frame[column] if isinstance(v, str)}


# ---- the saved questions ------------------------------------------------------------------------


def test_query_saved_questions_are_declared() -> None:
    saved = query.saved_queries()
    assert len(saved) >= 12
    assert [q.name for q in saved] == sorted(q.name for q in saved)
    for q in saved:
        assert q.description, f"{q.name} has no '# description:' line"
        assert len(q.description.splitlines()) == 1
        for param in q.params:
            assert f"?{param}" in q.text, f"{q.name}: parameter {param} is not a variable of the query"


@pytest.mark.parametrize("name", [q.name for q in query.saved_queries()])
def test_query_saved_question_runs_on_both_stores_alike(name: str) -> None:
    frames = [query.run(rdfio.load(MARKET, store=store), name, {}) for store in STORES]
    assert list(frames[0].columns) == list(frames[1].columns)
    for frame in frames:  # GROUP_CONCAT's order is the engine's choice
        if "aliases" in frame:
            frame["aliases"] = [" | ".join(sorted(a.split(" | "))) for a in frame["aliases"]]
    key = list(frames[0].columns)
    left, right = (f.sort_values(key, na_position="first").reset_index(drop=True) for f in frames)
    pd.testing.assert_frame_equal(left, right, check_dtype=False)


SEED_ANSWERS = [
    ("fabricators", {}, "foundry", {"TSMC"}),
    ("fabricators", {"company": "OpenAI"}, "foundry", {"TSMC"}),
    ("chips-by-company", {}, "chip", {"MI300", "Maia 100", "TPU"}),
    ("chips-by-company", {"company": "微软"}, "chip", {"Maia 100"}),
    ("partners", {"company": "OpenAI"}, "partner", {"Broadcom"}),
    ("partners", {}, "partner", {"Broadcom", "OpenAI"}),
    ("partners", {"company": "博通"}, "partner", {"OpenAI"}),
    ("competitors", {"company": "OpenAI"}, "competitor", {"Meta", "Google"}),
    ("dependents", {}, "company", {"OpenAI"}),
    ("claims-by-modality", {"modality": "Planned"}, "subject", {"TSMC", "OpenAI"}),
    ("claims-by-modality", {"modality": "Reported"}, "object", {"Broadcom"}),
    ("single-source", {"company": "OpenAI"}, "supplier", {"TSMC", "NVIDIA"}),
    (
        "document-claims",
        {"document": "000_d56c37649bfd2e3a.txt"},
        "subject",
        {"OpenAI", "TSMC", "AMD", "Microsoft", "Google", "Sam Altman"},
    ),
]

MARKET_ANSWERS = [
    ("fabricators", {"company": "AMD"}, "foundry", {"TSMC", "Samsung"}),
    ("fabricators", {"company": "华为"}, "foundry", {"SMIC"}),
    ("dependents", {"supplier": "NVIDIA"}, "company", {"Microsoft", "Meta", "xAI"}),
    ("dependents", {"supplier": "TSMC"}, "company", set()),
    ("competitors", {"company": "AMD"}, "competitor", {"NVIDIA", "Intel"}),
    ("partners", {"company": "OpenAI"}, "partner", {"Microsoft"}),
    ("shared-foundry", {}, "company", {"AMD"}),
    ("shared-foundry", {}, "other", {"NVIDIA"}),
    ("single-source", {}, "company", {"NVIDIA", "Huawei", "Microsoft", "Meta", "xAI", "TSMC"}),
    (
        "evidence",
        {"subject": "NVIDIA", "predicate": "develops", "object": "H100"},
        "document",
        {"AI chip supply chain roundup", "华为与中芯国际"},
    ),
    ("claims-by-modality", {"modality": "chip:Negated"}, "object", {"Groq"}),
    ("claims-by-modality", {"modality": "Expected"}, "subject", {"Samsung"}),
    ("mention-counts", {"type": "Chip"}, "entity", {"H100", "MI300", "Ascend 910B"}),
    ("document-claims", {"document": "华为与中芯国际"}, "object", {"Huawei", "Ascend 910B", "H100"}),
    ("supply-chain", {"chip": "H100"}, "company", {"NVIDIA", "TSMC", "SK hynix", "ASE", "ASML"}),
    ("supply-chain", {"chip": "MI300"}, "company", {"AMD", "TSMC", "Samsung", "ASML"}),
    ("chip-developers", {}, "chip", {"H100", "MI300", "Ascend 910B", "B200"}),
    ("dependency-edges", {"company": "NVIDIA"}, "supplier", {"TSMC", "SK hynix", "ASE"}),
    ("entities", {"type": "Chip"}, "entity", {"H100", "MI300", "Ascend 910B"}),
    ("claims", {"modality": "Reported"}, "subject", {"NVIDIA", "SMIC"}),
    ("documents", {"language": "zh"}, "title", {"华为与中芯国际"}),
    ("documents", {"language": "ZH"}, "title", {"华为与中芯国际"}),
    ("evidence", {"subject": "Meta", "predicate": "dependsOn", "object": "NVIDIA"}, "stated", {"customerOf"}),
]


@pytest.mark.parametrize(("name", "params", "column", "expected"), SEED_ANSWERS)
def test_query_saved_question_answers_on_seed(
    seed: Dataset, name: str, params: dict[str, str], column: str, expected: set[str]
) -> None:
    assert labels(query.run(seed, name, params), column) == expected


@pytest.mark.parametrize(("name", "params", "column", "expected"), MARKET_ANSWERS)
def test_query_saved_question_answers_on_market(
    market: Dataset, name: str, params: dict[str, str], column: str, expected: set[str]
) -> None:
    assert labels(query.run(market, name, params), column) == expected


def test_query_fabricators_reports_planned_modality(seed: Dataset) -> None:
    frame = query.run(seed, "fabricators", {"company": "kg:openai"})
    assert frame.loc[0, "modality"] == "Planned"
    assert frame.loc[0, "modality_iri"] == str(CHIP.Planned)
    assert frame.loc[0, "foundry_iri"] == str(KG.tsmc)


def test_query_supply_chain_roles_follow_the_chain(market: Dataset) -> None:
    frame = query.run(market, "supply-chain", {"chip": "H100"})
    roles = dict(zip(frame["company"], frame["role"], strict=True))
    assert roles == {
        "NVIDIA": "designer",
        "TSMC": "foundry",
        "SK hynix": "memory",
        "ASE": "packaging",
        "ASML": "supplier",
    }
    assert list(frame["step"]) == sorted(frame["step"])
    assert dict(zip(frame["company"], frame["supplies"], strict=True))["ASML"] == "TSMC"


def test_query_chip_developers_unions_background(market: Dataset) -> None:
    frame = query.run(market, "chip-developers", {})
    sources = dict(zip(frame["chip"], frame["source"], strict=True))
    assert sources["B200"] == "background"
    assert sorted(sources["H100"].split(" + ")) == ["background", "extracted"]
    assert sources["MI300"] == "extracted"
    assert "B200" not in labels(query.run(market, "chips-by-company", {}), "chip")


def test_query_negated_claim_has_no_plain_fact(market: Dataset) -> None:
    assert query.run(market, "ASK { kg:nvidia chip:investsIn kg:groq }", {}).loc[0, "ask"] == False  # noqa: E712
    assert (
        len(query.run(market, "evidence", {"subject": "NVIDIA", "predicate": "investsIn", "object": "Groq"}))
        == 1
    )


def test_query_evidence_is_found_for_a_symmetric_fact_stated_backwards(market: Dataset) -> None:
    frame = query.run(
        market, "evidence", {"subject": "OpenAI", "predicate": "partnersWith", "object": "Microsoft"}
    )
    assert list(frame["evidence"]) == ["Microsoft partners with OpenAI."]


# A made-up market for the questions' corner cases: Samsung designs and makes its own Exynos and also
# has TSMC make chips for it; Acme's Rocket is known to be Acme's only from the registry (background).
CORNERS = """
@prefix chip: <https://w3id.org/aichip-kg/ontology#> .
@prefix kg: <https://w3id.org/aichip-kg/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix prov: <http://www.w3.org/ns/prov#> .

kg:graph\\/background {
    kg:acme chip:develops kg:rocket .
    kg:rocket a chip:Chip ; skos:prefLabel "Rocket"@en .
}
{
    kg:samsung a chip:Company ; skos:prefLabel "Samsung"@en .
    kg:tsmc a chip:Company ; skos:prefLabel "TSMC"@en .
    kg:acme a chip:Company ; skos:prefLabel "Acme"@en .
    kg:gf a chip:Company ; skos:prefLabel "GlobalFoundries"@en .
    kg:sk-hynix a chip:Company ; skos:prefLabel "SK hynix"@en .
    kg:asml a chip:Company ; skos:prefLabel "ASML"@en .
    kg:xai a chip:Company ; skos:prefLabel "xAI"@en .
    kg:exynos a chip:Chip ; skos:prefLabel "Exynos"@en .
    kg:exynos-2 a chip:Chip ; skos:prefLabel "Exynos 2"@en .

    kg:samsung chip:develops kg:exynos, kg:exynos-2 ; chip:fabricates kg:exynos ;
        chip:customerOf kg:sk-hynix .
    kg:tsmc chip:fabricatesFor kg:samsung ; chip:fabricates kg:exynos, kg:exynos-2, kg:rocket ;
        chip:dependsOn kg:sk-hynix, kg:asml .
    kg:gf chip:fabricatesFor kg:acme .
    kg:xai chip:uses kg:rocket .

    kg:c1 a chip:Claim ; rdf:subject kg:tsmc ; rdf:predicate chip:fabricatesFor ; rdf:object kg:samsung ;
        chip:modality chip:Planned ; chip:confidence 0.9 ; prov:wasDerivedFrom kg:doc-1 ;
        chip:evidence "TSMC plans to make chips for Samsung." .
    kg:c2 a chip:Claim ; rdf:subject kg:tsmc ; rdf:predicate chip:fabricates ; rdf:object kg:exynos ;
        chip:modality chip:Asserted ; chip:confidence 0.90 ; prov:wasDerivedFrom kg:doc-2 ;
        chip:evidence "TSMC makes the Exynos." .
    kg:c3 a chip:Claim ; rdf:subject kg:gf ; rdf:predicate chip:fabricatesFor ; rdf:object kg:acme ;
        chip:modality chip:Asserted ; chip:confidence 0.5 ; prov:wasDerivedFrom kg:doc-1 ;
        chip:evidence "GlobalFoundries makes chips for Acme." .
    kg:c4 a chip:Claim ; rdf:subject kg:gf ; rdf:predicate chip:fabricatesFor ; rdf:object kg:acme ;
        chip:modality chip:Reported ; chip:confidence 0.8 ; prov:wasDerivedFrom kg:doc-2 ;
        chip:evidence "Acme reportedly has GlobalFoundries make its chips." .
    kg:c5 a chip:Claim ; rdf:subject kg:samsung ; rdf:predicate chip:customerOf ; rdf:object kg:sk-hynix ;
        chip:modality chip:Asserted ; chip:confidence 0.9 ; prov:wasDerivedFrom kg:doc-1 ;
        chip:evidence "Samsung buys HBM memory from SK hynix." .
    kg:c6 a chip:Claim ; rdf:subject kg:tsmc ; rdf:predicate chip:dependsOn ; rdf:object kg:sk-hynix ;
        chip:modality chip:Asserted ; chip:confidence 0.9 ; prov:wasDerivedFrom kg:doc-1 ;
        chip:evidence "TSMC relies on SK hynix for advanced packaging." .
    kg:c7 a chip:Claim ; rdf:subject kg:tsmc ; rdf:predicate chip:dependsOn ; rdf:object kg:asml ;
        chip:modality chip:Asserted ; chip:confidence 0.9 ; prov:wasDerivedFrom kg:doc-1 ;
        chip:evidence "TSMC depends on ASML." .
    kg:c8 a chip:Claim ; rdf:subject kg:tsmc ; rdf:predicate chip:investsIn ; rdf:object kg:asml ;
        chip:modality chip:Negated ; chip:confidence 0.9 ; prov:wasDerivedFrom kg:doc-1 ;
        chip:evidence "TSMC will not invest in ASML's packaging venture." .
}
"""


@pytest.fixture(scope="module", params=STORES)
def corners(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    path = tmp_path_factory.mktemp("corners") / "corners.trig"
    path.write_text(CORNERS, encoding="utf-8")
    return rdfio.load(path, store=request.param)


def test_query_fabricators_one_row_per_foundry_and_customer(corners: Dataset) -> None:
    frame = query.run(corners, "fabricators", {"company": "Samsung"})
    assert list(frame["foundry"]) == ["TSMC"]  # not twice, and Samsung is not its own foundry
    assert sorted(frame.loc[0, "chips"].split(" | ")) == ["Exynos", "Exynos 2"]
    assert frame.loc[0, "confidence"] == pytest.approx(0.9) and frame.loc[0, "sources"] == 2
    assert frame.loc[0, "modality"] == "Asserted"  # 0.9 Planned and 0.90 Asserted: Asserted wins the tie


def test_query_fabricators_reports_the_modality_of_the_strongest_claim(corners: Dataset) -> None:
    frame = query.run(corners, "fabricators", {"company": "Acme"})
    row = frame.set_index("foundry").loc["GlobalFoundries"]
    assert (row["modality"], row["confidence"]) == ("Reported", pytest.approx(0.8))


def test_query_supply_chain_gives_one_role_per_company(corners: Dataset) -> None:
    frame = query.run(corners, "supply-chain", {"chip": "Exynos"})
    roles = dict(zip(frame["company"], frame["role"], strict=True))
    assert len(frame) == len(roles)
    # SK hynix supplies memory to Samsung and packaging to TSMC: its nearest role counts;
    # TSMC's denied investment in an ASML "packaging" venture says nothing about its dependsOn edge
    assert roles == {"Samsung": "designer", "TSMC": "foundry", "SK hynix": "memory", "ASML": "supplier"}
    assert dict(zip(frame["company"], frame["supplies"], strict=True))["SK hynix"] == "Samsung"


@pytest.mark.parametrize(
    ("name", "params", "column", "expected"),
    [
        (
            "supply-chain",
            {"chip": "Rocket"},
            "company",
            {"Acme", "TSMC", "SK hynix", "ASML", "GlobalFoundries"},
        ),
        ("fabricators", {"company": "Acme"}, "foundry", {"TSMC", "GlobalFoundries"}),
        ("dependents", {"supplier": "Acme"}, "company", {"xAI"}),
        ("shared-foundry", {"foundry": "TSMC"}, "company", {"Acme"}),
        ("single-source", {"company": "Samsung"}, "supplier", {"TSMC", "SK hynix"}),
    ],
)
def test_query_corner_cases(
    corners: Dataset, name: str, params: dict[str, str], column: str, expected: set[str]
) -> None:
    assert labels(query.run(corners, name, params), column) == expected


def test_query_evidence_follows_sub_properties(seed: Dataset, market: Dataset) -> None:
    frame = query.run(market, "evidence", {"subject": "Meta", "predicate": "dependsOn", "object": "NVIDIA"})
    assert list(frame["claim_iri"]) == [str(KG["claim-en-10"])]
    assert list(frame["predicate"]) == ["dependsOn"] and list(frame["stated"]) == ["customerOf"]
    frame = query.run(seed, "evidence", {"subject": "Altman", "predicate": "worksFor", "object": "OpenAI"})
    assert list(frame["stated"]) == ["ceoOf"]
    assert query.run(market, "evidence", {"subject": "Meta", "predicate": "uses", "object": "NVIDIA"}).empty


# ---- typed frames -------------------------------------------------------------------------------


def test_query_frame_columns_are_typed(market: Dataset) -> None:
    frame = query.run(market, "evidence", {"subject": "NVIDIA", "predicate": "develops", "object": "H100"})
    assert frame["confidence"].dtype == "float64"
    assert str(frame["char_start"].dtype) == "Int64"
    assert pd.api.types.is_datetime64_any_dtype(frame["date"])
    assert frame["date"].iloc[0] == pd.Timestamp("2025-03-01")
    assert pd.isna(frame["date"].iloc[1])  # the Chinese document prints no date
    assert frame["subject_iri"].iloc[0] == str(KG.nvidia)
    assert list(frame.columns[:2]) == ["subject", "subject_iri"]


def test_query_frame_reads_plain_iso_dates_as_dates() -> None:
    ds = Dataset()
    ds.add((KG["doc-x"], URIRef("http://purl.org/dc/terms/date"), Literal("2024-10-31 16:27:04")))
    frame = query.run(ds, "SELECT ?d WHERE { ?doc dcterms:date ?d }", {})
    assert frame.loc[0, "d"] == pd.Timestamp("2024-10-31 16:27:04")


def test_query_frame_for_ask_and_construct(seed: Dataset) -> None:
    assert bool(query.run(seed, "ASK { ?f chip:fabricatesFor kg:openai }", {}).loc[0, "ask"])
    built = query.run(seed, "CONSTRUCT { ?f chip:makesFor ?c } WHERE { ?f chip:fabricatesFor ?c }", {})
    assert list(built[["subject", "predicate", "object"]].iloc[0]) == ["TSMC", "makesFor", "OpenAI"]


# ---- parameters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "kg:tsmc",
        "<https://w3id.org/aichip-kg/id/tsmc>",
        "TSMC",
        "tsmc",
        "台积电",
        "台積電",
        "https://w3id.org/aichip-kg/id/tsmc",
        URIRef(KG.tsmc),
    ],
)
def test_query_param_value_forms_name_the_same_entity(seed: Dataset, value: object) -> None:
    assert query.to_term(seed, value, "iri") == KG.tsmc


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        ("Planned", "iri", CHIP.Planned),
        ("fabricatesfor", "any", CHIP.fabricatesFor),
        ("*", "iri", None),
        ("", "any", None),
        (None, "iri", None),
        ("3", "any", Literal(3)),
        ("0.5", "number", Literal(0.5)),
        ("zh", "any", Literal("zh")),
    ],
)
def test_query_param_values_become_terms(
    seed: Dataset, value: str | None, kind: str, expected: object
) -> None:
    assert query.to_term(seed, value, kind) == expected


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"company": "Nobody Inc"}, "no entity or document has that name"),
        ({"firm": "OpenAI"}, "no parameter 'firm'; its parameters are: company"),
    ],
)
def test_query_bad_params_are_explained(seed: Dataset, params: dict[str, str], message: str) -> None:
    with pytest.raises(QueryError, match=message):
        query.run(seed, "fabricators", params)


@pytest.mark.parametrize(
    "value", ["kg:a b", "<http://a> ) } #>", "https://a b", "<>", 'kg:x"y', URIRef("http://a b")]
)
def test_query_param_that_is_no_valid_iri_is_a_query_error(seed: Dataset, value: object) -> None:
    with pytest.raises(QueryError, match="not a valid IRI"):
        query.run(seed, "evidence", {"subject": value})


def test_query_cli_bad_iri_param_exits_2_without_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["query", "evidence", "-g", str(SEED), "-p", "subject=<http://a> ) } #>"]) == 2
    err = capsys.readouterr().err
    assert "not a valid IRI" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("chips-by-company", {"company": "Nobody Inc"}),
        ("single-source", {"company": "OpenAl"}),
        ("document-claims", {"document": "no-such-file.txt"}),
        ("claims", {"modality": "Plannned"}),
    ],
)
def test_query_iri_params_without_default_refuse_unknown_names(
    seed: Dataset, name: str, params: dict[str, str]
) -> None:
    with pytest.raises(QueryError, match="no entity or document has that name"):
        query.run(seed, name, params)


def test_query_unknown_name_gets_suggestions(seed: Dataset) -> None:
    with pytest.raises(QueryError, match=r"did you mean openai\b"):
        query.run(seed, "chips-by-company", {"company": "OpenAl"})
    with pytest.raises(QueryError, match=r"did you mean .*planned"):
        query.run(seed, "claims", {"modality": "Plannned"})


def test_query_names_are_read_once_per_run(seed: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    names = query.names

    def counted(dataset: Dataset) -> dict[str, set[URIRef]]:
        calls.append(dataset)
        return names(dataset)

    monkeypatch.setattr(params, "names", counted)
    query.run(seed, "evidence", {"subject": "台积电", "predicate": "fabricatesFor", "object": "OpenAI"})
    assert len(calls) == 1
    calls.clear()
    query.run(seed, "evidence", {"subject": "kg:tsmc"})
    assert calls == []  # no value is a name: the labels are never read


def test_query_header_declares_parameter_kinds(tmp_path: Path) -> None:
    saved = query.SavedQuery.parse("q", "# param who (iri):\n# param n: 3\n# param lang (lang):\nASK {}")
    assert saved.params == {"who": "", "n": "3", "lang": ""}
    assert [saved.kind(p) for p in saved.params] == ["iri", "number", "lang"]
    path = tmp_path / "bad.rq"
    path.write_text("# param who (person):\nASK { ?who ?p ?o }\n", encoding="utf-8")
    with pytest.raises(QueryError, match=r"bad.rq: parameter 'who' declares kind 'person'; use one of iri"):
        query.resolve(path)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE {\n  service silent <http://example.org/> { ?s ?p ?o } }",
        "ASK { ?s ?p ?o OPTIONAL { Service<http://e/> { ?s ?p ?x } } }",
    ],
)
def test_query_service_is_refused(seed: Dataset, text: str) -> None:
    with pytest.raises(QueryError, match=r"SERVICE at line \d+, column \d+ is refused"):
        query.run(seed, text, {})


@pytest.mark.parametrize(
    "text",
    [
        'SELECT ?service WHERE { ?service ?p "SERVICE" }',
        "SELECT * WHERE { ?s <http://e/SERVICE> ?o } # SERVICE <http://x/>",
        "PREFIX service: <http://e/> SELECT * WHERE { ?s service:x kg:service }",
        "SELECT * WHERE { ?s chip:serviceOf ?o . ?s ?p '''SERVICE <x> {}''' }",
    ],
)
def test_query_service_as_a_word_is_fine(seed: Dataset, text: str) -> None:
    assert query.run(seed, text, {}).empty


def test_query_cli_service_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    text = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    assert cli.main(["query", text, "--graph", str(SEED)]) == 2
    assert "SERVICE at line 1, column 18 is refused" in capsys.readouterr().err


def test_query_ad_hoc_sparql_binds_any_variable(seed: Dataset) -> None:
    frame = query.run(seed, "SELECT ?f WHERE { ?f chip:fabricatesFor ?c }", {"c": "OpenAI"})
    assert list(frame["f"]) == ["TSMC"]
    with pytest.raises(QueryError, match="no variable"):
        query.run(seed, "SELECT ?f WHERE { ?f chip:fabricatesFor ?c }", {"x": "OpenAI"})


def test_query_rq_file_with_header(tmp_path: Path, seed: Dataset) -> None:
    path = tmp_path / "makers.rq"
    path.write_text(
        "# description: who makes for whom\n# param c: kg:openai\n"
        "SELECT ?f ?c WHERE { ?f chip:fabricatesFor ?c }\n",
        encoding="utf-8",
    )
    assert query.resolve(path).params == {"c": "kg:openai"}
    assert list(query.run(seed, str(path), {})["f"]) == ["TSMC"]
    assert query.run(seed, str(path), {"c": "NVIDIA"}).empty


@pytest.mark.parametrize(
    ("text", "brace"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", 15),
        ("# {comment}\nSELECT ?s { ?s ?p '{' }", 22),
        ("PREFIX x: <http://e/{x}>\nASK { ?s ?p ?o }", 29),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", 29),
        ("CONSTRUCT WHERE { ?s ?p ?o }", 16),
        ("DESCRIBE kg:tsmc", None),
    ],
)
def test_query_values_go_into_the_outermost_where(text: str, brace: int | None) -> None:
    assert query_text.where_brace(text) == brace


# ---- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize("store", STORES)
def test_query_malformed_query_shows_line_and_caret(store: str) -> None:
    dataset = rdfio.load(SEED, store=store)
    text = "SELECT ?f WHERE {\n  ?f chip:fabricatesFor ?c .\n  FILTER(?c = }\n"
    with pytest.raises(QueryError) as caught:
        query.run(dataset, text, {})
    message = str(caught.value)
    assert "malformed query at line 3" in message
    assert "  FILTER(?c = }" in message
    source, caret = message.splitlines()[-2:]
    assert caret.strip().endswith("^")
    assert source.index("|") == caret.index("|")
    assert caught.value.exit_code == 2


def test_query_unknown_prefix_is_named() -> None:
    with pytest.raises(QueryError, match=r"unknown prefix 'foo:'.*\n.*foo:bar \"台积电\" \}\n.*\^"):
        query.run(rdfio.load(SEED, store="Oxigraph"), 'SELECT ?s WHERE { ?s foo:bar "台积电" }', {})


def test_query_caret_sits_under_cjk_text_by_display_width() -> None:
    with pytest.raises(QueryError) as caught:
        query.run(rdfio.load(SEED, store="Oxigraph"), 'SELECT ?s WHERE { ?s chip:x "台积电" . ?s ?p }', {})
    source, caret = str(caught.value).splitlines()[-2:]
    assert display_width(source[: source.rindex("}")]) == display_width(caret[: caret.index("^")])


def test_query_unknown_saved_name_lists_known() -> None:
    with pytest.raises(QueryError, match=r"did you mean 'fabricators'.*known: .*supply-chain"):
        query.saved_query("fabricatorz")


# ---- formats ------------------------------------------------------------------------------------


def test_query_table_aligns_cjk_by_display_width(market: Dataset) -> None:
    table = format_frame(query.run(market, "documents", {}), "table")
    lines = table.splitlines()
    header, rule, rows = lines[0], lines[1], lines[2:-1]
    starts = [i for i, ch in enumerate(rule) if ch == "-" and (i == 0 or rule[i - 1] == " ")]
    for row in rows:
        column_starts = [display_width(row[: _index_at_width(row, w)]) for w in starts]
        assert column_starts == starts
    assert "华为与中芯国际" in table
    assert "_iri" not in header
    assert lines[-1] == "(2 rows)"


def _index_at_width(text: str, width: int) -> int:
    for i in range(len(text) + 1):
        if display_width(text[:i]) >= width:
            return i
    return len(text)


def test_query_csv_tsv_json_keep_iris_and_types(seed: Dataset) -> None:
    frame = query.run(seed, "fabricators", {})
    rows = list(csv.DictReader(io.StringIO(format_frame(frame, "csv"))))
    assert rows[0]["foundry"] == "TSMC" and rows[0]["foundry_iri"] == str(KG.tsmc)
    tsv = list(csv.DictReader(io.StringIO(format_frame(frame, "tsv")), delimiter="\t"))
    assert tsv == rows
    records = json.loads(format_frame(frame, "json"))
    assert records[0]["confidence"] == 0.85 and records[0]["sources"] == 1 and records[0]["chips"] is None
    with pytest.raises(QueryError, match="unknown output format"):
        format_frame(frame, "xml")


@pytest.mark.parametrize("name", [q.name for q in query.saved_queries()])
def test_query_iri_columns_do_not_depend_on_the_answer(name: str) -> None:
    empty = query.run(Dataset(), name, {})
    full = query.run(rdfio.load(MARKET, store="Oxigraph"), name, {})
    assert list(empty.columns) == list(full.columns)
    for column in full.columns:
        if column in IRI_COLUMNS:
            assert column + IRI_SUFFIX in full.columns
            assert full[column].isna().equals(full[column + IRI_SUFFIX].isna()), f"{name}: {column}"
        elif not column.endswith(IRI_SUFFIX):
            assert column + IRI_SUFFIX not in full.columns, f"{name}: add {column!r} to IRI_COLUMNS"


def test_query_json_writes_dates_as_iso(market: Dataset) -> None:
    records = json.loads(format_frame(query.run(market, "documents", {}), "json"))
    assert {r["date"] for r in records} == {None, "2025-03-01T00:00:00"}


# ---- command line -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"])
def test_query_cli_answers_who_fabricates_openai_chip(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        cli.main(["query", "fabricators", "--graph", str(SEED), "--param", "company=OpenAI", "-f", fmt]) == 0
    )
    out = capsys.readouterr().out
    assert "TSMC" in out and "OpenAI" in out


def test_query_cli_malformed_query_exits_2_without_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["query", "SELECT ?x WHERE { ?x", "--graph", str(SEED)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kg: error: <query>: malformed query at line 1")
    assert "Traceback" not in err and "^" in err


def test_query_cli_lists_saved_questions(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["queries"]) == 0
    out = capsys.readouterr().out
    for saved in query.saved_queries():
        assert saved.name in out and saved.description in out
    assert "--param company=…" in out


def test_query_saved_files_ship_inside_the_package() -> None:
    for saved in query.saved_queries():
        assert saved.path is not None and saved.path.parent.name == "queries"
        assert saved.path.parent.parent.name == "kg"


# ---- the seed article's real graph ----------------------------------------------------------------

ROOT = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def seed_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed's graph, built by the real command as a user would."""
    out = tmp_path_factory.mktemp("seed") / "seed.ttl"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    subprocess.run(
        [sys.executable, "-m", "kg", "extract", str(ROOT / "seeds"), "-o", str(out)],
        check=True,
        env=env,
        capture_output=True,
        timeout=300,
    )
    return out


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"])
def test_query_cli_on_the_seed_graph_finds_tsmc(seed_graph: Path, fmt: str) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kg",
            "query",
            "fabricators",
            "--graph",
            str(seed_graph),
            "--param",
            "company=OpenAI",
            "--format",
            fmt,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    if fmt == "json":
        assert [r["foundry"] for r in json.loads(done.stdout)] == ["TSMC"]
    elif fmt in ("csv", "tsv"):
        rows = list(csv.DictReader(io.StringIO(done.stdout), delimiter="," if fmt == "csv" else "\t"))
        assert [(r["foundry"], r["company"]) for r in rows] == [("TSMC", "OpenAI")]
        assert rows[0]["foundry_iri"] == str(KG.tsmc)
    else:
        assert done.stdout.splitlines()[2].split()[:2] == ["TSMC", "OpenAI"]


@pytest.mark.slow
def test_query_saved_questions_answer_on_the_seed_graph(seed_graph: Path) -> None:
    dataset = rdfio.load(seed_graph, store="Oxigraph")
    assert labels(query.run(dataset, "partners", {"company": "OpenAI"}), "partner") == {"Broadcom"}
    assert {"MI300", "Maia 100"} <= labels(query.run(dataset, "chips-by-company", {}), "chip")
    assert "NVIDIA" in labels(query.run(dataset, "dependency-edges", {"company": "OpenAI"}), "supplier")
    evidence = query.run(
        dataset, "evidence", {"subject": "台积电", "predicate": "fabricatesFor", "object": "OpenAI"}
    )
    assert set(evidence["modality"]) <= {"Planned", "Expected", "Reported"}


# ---- questions without their parameter answer for everyone ---------------------------------------


def test_query_saved_questions_hide_no_default() -> None:
    for saved in query.saved_queries():
        for param, default in saved.params.items():
            assert default == "", f"{saved.name}: parameter {param} filters by {default!r} when left out"
            assert saved.examples.get(param), f"{saved.name}: parameter {param} has no '# example' line"


def test_query_fabricators_without_company_lists_every_customer(market: Dataset) -> None:
    frame = query.run(market, "fabricators", {})
    assert labels(frame, "company") == {"NVIDIA", "AMD", "Huawei"}
    assert labels(query.run(market, "competitors", {}), "company") >= {"AMD", "NVIDIA"}


# the test graphs were written before quantity claims existed; tests/test_sources.py runs that one
@pytest.mark.parametrize(
    "saved", [q for q in query.saved_queries() if q.params and q.name != "quantities"], ids=lambda q: q.name
)
def test_query_examples_bind_on_a_real_graph(saved: query.SavedQuery) -> None:
    bound = []
    for fixture in (MARKET, SEED):
        try:
            query.prepare(rdfio.load(fixture), saved.name, saved.examples)
        except QueryError:
            continue
        bound.append(fixture)
    assert bound, f"{saved.name}: its examples {saved.examples} name nothing in the test graphs"


def test_query_cli_lists_each_parameter_with_default_and_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["queries"]) == 0
    out = capsys.readouterr().out
    assert "--param company=…  (iri; default: all; e.g. company=OpenAI)" in out
    assert out.count("default: all") == sum(len(q.params) for q in query.saved_queries())


def test_query_catalogue_has_a_row_per_parameter() -> None:
    frame = query.catalogue()
    evidence = frame[frame["question"] == "evidence"]
    assert list(evidence["parameter"]) == ["subject", "predicate", "object"]
    assert set(evidence["default"]) == {"all"} and list(evidence["example"])[1] == "fabricatesFor"
    assert frame[frame["question"] == "documents"]["kind"].tolist() == ["lang"]


# ---- answers keep what makes them trustworthy -------------------------------------------------

TRUST = ["modality", "confidence", "evidence", "document", "date"]
NOT_CLAIMS = {"entities", "documents", "mention-counts"}  # about entities and documents, not facts
# each row is drawn from several facts: compared (conflicts), counted (corroboration) or chained
DERIVED = {"shared-foundry", "single-source", "supply-chain", "conflicts", "corroboration"}


@pytest.mark.parametrize(
    "name", [q.name for q in query.saved_queries() if q.name not in NOT_CLAIMS | DERIVED]
)
def test_query_fact_questions_carry_modality_confidence_source_date_and_evidence(
    market: Dataset, name: str
) -> None:
    frame = query.run(market, name, {})
    assert set(TRUST) <= set(frame.columns), f"{name} lacks {set(TRUST) - set(frame.columns)}"
    if name == "quantities":  # the market fixture states no quantity: the columns are what is checked
        return
    assert len(frame) and frame["modality"].notna().any() and frame["evidence"].notna().any()


def test_query_dependents_keep_modality_and_confidence_of_the_strongest_claim(market: Dataset) -> None:
    frame = query.run(market, "dependents", {"supplier": "NVIDIA"}).set_index("company")
    assert frame.loc["Meta", "modality"] == "Asserted" and frame.loc["Meta", "confidence"] == 0.9
    assert frame.loc["Meta", "evidence"] == "Meta is one of Nvidia's largest customers."
    assert frame.loc["Meta", "document"] == "AI chip supply chain roundup"
    assert frame.loc["Meta", "date"] == pd.Timestamp("2025-03-01")
    ase = query.run(market, "dependents", {"supplier": "ASE"}).iloc[0]
    assert (ase["modality"], ase["sources"]) == ("Reported", 1)
