"""The resolver: one id per thing, class checks, developers standing in for their chips, inference."""

from __future__ import annotations

import pytest

from kg import pipeline
from kg.ingest import make_document
from kg.registry import load_registry
from kg.resolve import Resolver, load_rules


def triples(text: str) -> set[tuple[str, str, str]]:
    dataset, _ = pipeline.build_documents([make_document(text, "t.txt")])
    return {
        (str(s).rsplit("/", 1)[-1], str(p).rsplit("#", 1)[-1], str(o).rsplit("/", 1)[-1])
        for s, p, o in dataset.default_graph
        if str(p).startswith("https://w3id.org/aichip-kg/ontology#")
        and str(o).startswith("https://w3id.org/aichip-kg/id/")
        and not str(p).endswith("mentionedIn")
    }


def test_resolve_aliases_in_two_languages_are_one_entity() -> None:
    resolver = Resolver(load_registry())
    for lang, text in (("zh", "英伟达发布了新芯片。"), ("en", "Nvidia launched a chip.")):
        doc = pipeline.pipeline_for(lang)(text)
        resolver.add(make_document(text, f"{lang}.txt"), doc)
    assert resolver.entities["nvidia"].documents and len(resolver.entities["nvidia"].documents) == 2
    assert {("英伟达", "zh"), ("Nvidia", "en")} <= resolver.entities["nvidia"].names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a chip standing where an organization is needed stands for its developer
        ("AMD 的 MI300X 同样依赖台积电的 CoWoS 封装。", ("amd", "dependsOn", "tsmc")),
        # fabricates + develops -> fabricatesFor, from the text or the registry (the developer is mentioned)
        (
            "Microsoft unveiled Maia 100. The chips will be manufactured by TSMC.",
            ("tsmc", "fabricatesFor", "microsoft"),
        ),
        ("Microsoft said Maia 100 will be manufactured by TSMC.", ("tsmc", "fabricatesFor", "microsoft")),
        # uses + develops in one sentence -> dependsOn the maker
        ("AMD 的 MI300X 搭载了 SK 海力士的 HBM3 内存。", ("amd", "dependsOn", "sk-hynix")),
        # a discovered chip keeps its family's designer: 昇腾910X is Huawei's
        ("华为表示，昇腾910X 由中芯国际代工生产。", ("smic", "fabricatesFor", "huawei")),
    ],
)
def test_resolve_completes_what_a_sentence_implies(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in triples(text)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("AWS offers Trainium chips to its customers.", ("aws", "uses", "trainium")),  # its own chip
        ("OpenAI's H100 clusters grew.", ("openai", "develops", "h100")),  # the registry knows NVIDIA made it
        ("Nvidia partnered with the H100.", ("nvidia", "partnersWith", "h100")),  # wrong classes
        # the registry's developer is not mentioned: no claim about an entity the graph does not describe
        ("The Maia 100 chips will be manufactured by TSMC.", ("tsmc", "fabricatesFor", "microsoft")),
    ],
)
def test_resolve_drops_what_the_registry_or_the_classes_rule_out(
    text: str, absent: tuple[str, str, str]
) -> None:
    assert absent not in triples(text)


def test_resolve_inference_rules_are_data() -> None:
    rules = {rule.id: rule for rule in load_rules()}
    assert rules["infer.fabricatesFor-developer"].conclusion == ("f", "fabricatesFor", "d")
    assert rules["infer.dependsOn-maker"].scope == "sentence"


def test_resolve_symmetric_relations_are_one_triple() -> None:
    found = triples("OpenAI 与博通合作开发芯片。博通与 OpenAI 合作多年。")
    pairs = {(s, o) for s, p, o in found if p == "partnersWith"}
    assert len(pairs) == 1 and pairs <= {("openai", "broadcom"), ("broadcom", "openai")}


def test_resolve_bare_title_names_the_registry_employer_only_when_mentioned() -> None:
    assert ("elon-musk", "ceoOf", "tesla") in triples(
        "Tesla will build AI5. Chief Executive Elon Musk said so."
    )
    assert not any(p == "ceoOf" for _s, p, _o in triples("Chief Executive Elon Musk said so."))


def test_resolve_readings_differing_in_modality_are_two_claims() -> None:
    from rdflib import Dataset

    from kg import rdf
    from kg.resolve import Claim
    from kg.vocab import CHIP

    readings = [
        Claim("tsmc", "fabricates", "gaudi-3", "doc-x", "It is made by TSMC.", 0, 19, 0.7, modality, "p")
        for modality in ("Asserted", "Negated")
    ]
    dataset = Dataset()
    rdf.add_claims(dataset, readings)
    claims = set(dataset.default_graph.subjects(CHIP.modality, None))
    assert len(claims) == 2
    assert all(len(set(dataset.default_graph.objects(c, CHIP.modality))) == 1 for c in claims)


def test_resolve_infers_no_customer_from_a_shared_standard() -> None:
    # HBM3 is developed by several memory makers: making it does not make one of them a customer
    found = triples("三星电子推出了HBM3。SK海力士生产的HBM3供应市场。")
    assert ("sk-hynix", "fabricatesFor", "samsung") not in found
    assert ("sk-hynix", "fabricates", "hbm3") in found


def test_resolve_a_developer_in_the_same_corporate_group_is_plausible() -> None:
    # the registry credits AWS with Trainium; Annapurna Labs is Amazon's too, so its claim stands,
    # while a company outside the group is still refused
    assert ("annapurna-labs", "develops", "trainium") in triples(
        "Annapurna Labs designed the Trainium chips."
    )
    assert ("intel", "develops", "trainium") not in triples("Intel designed the Trainium chips.")


def test_resolve_a_registry_name_that_begins_with_its_maker_names_the_maker() -> None:
    # the maker is mentioned only inside the product's name, and gets an entity of its own
    found = triples("Developers can now rent the chips on Google Cloud in three regions.")
    assert ("google", "develops", "google-cloud") in found
    # a name the gazetteer splits (maker, then item) is read by the patterns; nothing develops itself
    split = triples("Lumora Systems Inc. bought NVIDIA H100 chips.")
    assert ("nvidia", "develops", "h100") in split
    assert not any(s == o for s, _p, o in split)


def test_resolve_a_product_name_without_its_maker_names_no_maker() -> None:
    assert not any(p == "develops" for _s, p, _o in triples("Developers can now rent the chips in Azure."))


def test_resolve_a_description_by_what_one_makes_names_its_maker() -> None:
    """`the ChatGPT maker`: its maker (OpenAI, named in the text) develops ChatGPT; an item whose maker
    the text never names says nothing."""
    found = triples("OpenAI hired bankers this week, as the ChatGPT maker seeks new computing resources.")
    assert ("openai", "develops", "chatgpt") in found
    assert not {t for t in triples("Lumora Systems hired the ChatGPT maker's bankers.") if t[1] == "develops"}
