from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.errors import RegistryError
from kg.registry import load_registry, read_registry
from kg.text import name_key

HEADER = "id\tclass\tname\tzh\taliases\twikidata\tparent\n"


def test_registry_counts_reach_the_market_coverage() -> None:
    counts = load_registry().counts()["class"]
    assert counts["Company"] + counts["Organization"] >= 150
    assert counts["Chip"] >= 250
    assert counts["Person"] >= 50 and counts["Product"] >= 50


def test_registry_the_shipped_one_is_read_once_whatever_the_spelling() -> None:
    """The gazetteer asks for load_registry(None), the pipeline for load_registry(): one object, so
    that the tries and jieba's tables built from it are built once per process."""
    assert load_registry() is load_registry(None) is load_registry("")


def test_registry_every_name_maps_to_one_entity_or_is_declared_ambiguous() -> None:
    registry = load_registry()
    owners: dict[str, set[str]] = {}
    for entity in registry:
        for name in entity.names:
            owners.setdefault(name_key(name.text), set()).add(entity.id)
    clashes = {k: ids for k, ids in owners.items() if len(ids) > 1 and k not in registry.ambiguous}
    assert clashes == {}


def test_registry_wikidata_ids_are_well_formed() -> None:
    for entity in load_registry():
        assert not entity.wikidata or re.fullmatch(r"Q[1-9][0-9]*", entity.wikidata), entity.id


@pytest.mark.parametrize(
    ("name", "entity_id"),
    [
        ("英伟达", "nvidia"),
        ("NVIDIA", "nvidia"),
        ("Nvidia", "nvidia"),
        ("輝達", "nvidia"),
        ("台积电", "tsmc"),
        ("台積電", "tsmc"),
        ("TSMC", "tsmc"),
        ("Maia100", "maia-100"),
        ("昇腾 910B", "ascend-910b"),
        ("Instinct MI300X", "mi300x"),
        ("SK海力士", "sk-hynix"),
        ("奥特曼", "sam-altman"),
        ("微软", "microsoft"),
        ("路透社", "reuters"),
    ],
)
def test_registry_resolves_aliases_in_both_languages(name: str, entity_id: str) -> None:
    entity = load_registry().lookup(name)
    assert entity is not None and entity.id == entity_id


@pytest.mark.parametrize(
    "entity_id", ["nvidia", "tsmc", "huawei", "amd", "mlu590", "ascend-910b", "jensen-huang"]
)
def test_registry_key_entities_have_english_and_chinese_names(entity_id: str) -> None:
    entity = load_registry().get(entity_id)
    assert entity is not None
    langs = {n.lang for n in entity.names}
    assert {"en", "zh"} <= langs


def test_registry_chip_developers_are_background_facts() -> None:
    registry = load_registry()
    assert ("nvidia", "develops", "h100") in set(registry.background_facts(registry.entities["h100"]))
    assert registry.developers_of("ascend-910b") == ("huawei",)


def test_registry_export_separates_background(tmp_path: Path) -> None:
    from kg.vocab import BACKGROUND, CHIP, KG

    dataset = load_registry().to_dataset()
    assert (KG.nvidia, CHIP.develops, KG.h100) in dataset.graph(BACKGROUND)
    assert (KG.nvidia, CHIP.develops, KG.h100) not in dataset.default_graph


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("id\tname\n", "header should be"),
        (HEADER + "nvidia\tCompany\tNVIDIA\t\t\tX12\t\n", "should look like Q12345"),
        (HEADER + "nvidia\tFoundry\tNVIDIA\t\t\t\t\n", "class 'Foundry'"),
        (HEADER + "a\tCompany\tA\t\tSame\t\t\nb\tCompany\tB\t\tsame\t\t\n", "belongs to both"),
        (HEADER + "a\tCompany\tA\t\t\t\tghost\n", "unknown id 'ghost'"),
        (HEADER + "a\tCompany\tA\na\tCompany\tA2\n", "used twice"),
    ],
)
def test_registry_malformed_tables_name_file_and_problem(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "organizations.tsv").write_text(content, encoding="utf-8")
    with pytest.raises(RegistryError, match=re.escape(message)) as info:
        read_registry(tmp_path)
    assert "organizations.tsv" in str(info.value) or str(tmp_path) in str(info.value)


@pytest.mark.parametrize(
    ("name", "entity_id"),
    [
        ("云天励飞", "intellifusion"),
        ("雲天勵飛", "intellifusion"),
        ("中昊芯英", "zhonghao-xinying"),
        ("Esperanto Technologies", "esperanto"),
        ("红杉中国", "hongshan"),
        ("高瓴资本", "hillhouse"),
        ("大基金二期", "big-fund-ii"),
        ("国调基金", "china-structural-reform-fund"),
        ("CFIUS", "cfius"),
        ("國務院", "state-council"),
        ("經濟部", "moea-taiwan"),
        ("Quantum-2 InfiniBand", "quantum-2"),
        ("倚天710", "yitian-710"),
        ("风华2号", "fenghua-2"),
        ("GPT-4.5", "gpt-4-5"),
        ("沈南鹏", "neil-shen"),
    ],
)
def test_registry_resolves_market_categories(name: str, entity_id: str) -> None:
    entity = load_registry().lookup(name)
    assert entity is not None and entity.id == entity_id


def test_registry_chip_families_and_parents_chain() -> None:
    registry = load_registry()
    assert registry.developers_of("tomahawk-5") == ("broadcom",)
    assert registry.entities["yitian-710"].family == "yitian"
    # a corporate venture arm is an organization of its own, linked to its parent
    assert registry.lookup("NVentures").id == "nventures"
    assert registry.get("nventures").parent == "nvidia"
    assert registry.entities["chinext"].parent == "szse"


@pytest.mark.parametrize("alias", ["fidelity", "altimeter", "canon", "quark", "step", "hip", "lambda"])
def test_registry_no_common_english_word_is_a_name(alias: str) -> None:
    assert load_registry().lookup(alias) is None
