"""Anaphors (the startup, 该公司, 其, the two companies, he) and the antecedents they take, in zh and en."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import RegistryError
from kg.nlp import entity_spans, pipeline_for
from kg.nlp.anaphora import CLAUSE_KEYS, RULES, load_anaphora
from kg.nlp.pronouns import Pronouns


def relations(text: str, lang: str) -> set[tuple[str, str, str]]:
    doc = pipeline_for(lang)(text)
    return {
        (m.subject._.kg_id or m.subject._.kg_name, m.relation, m.object._.kg_id or m.object._.kg_name)
        for m in doc._.kg_relations
    }


def anaphors(text: str, lang: str) -> list[tuple[str, list[str]]]:
    """Each anaphor the resolver binds, sentence by sentence, with the names it stands for."""
    doc = pipeline_for(lang)(text)
    resolver = Pronouns.load()[lang]
    spans = entity_spans(doc)
    out = []
    for sent in doc.sents:
        inside = [s for s in spans if sent.start_char <= s.start_char and s.end_char <= sent.end_char]
        earlier = [m for m in doc._.kg_relations if m.sentence[1] <= sent.start_char]
        bounds = (sent.start_char, sent.end_char)
        for binding in resolver.bind(doc.text, bounds, inside, [], doc, earlier):
            out.append((doc.text[binding.start : binding.end], [s.text for s in binding.antecedents]))
    return out


def test_anaphora_inventory_covers_both_languages() -> None:
    inventories = load_anaphora()
    assert set(inventories) == {"zh", "en"}
    assert {a.rule for inventory in inventories.values() for a in inventory.anaphors} == set(RULES)


def test_anaphora_bad_entry_names_the_file_and_the_entry(tmp_path: Path) -> None:
    bad = tmp_path / "anaphora.toml"
    clause = "\n".join(f"{k} = 'x'" for k in CLAUSE_KEYS)
    bad.write_text(
        f"[en.clause]\n{clause}\n\n[[en.anaphor]]\nid = 'x'\nrule = 'entity'\nforms = ['the (firm']\n",
        encoding="utf-8",
    )
    with pytest.raises(
        RegistryError, match=r"anaphora\.toml: \[\[en\.anaphor\]\] #1 \(x, line 10\): bad regex"
    ):
        load_anaphora(str(bad))
    bad.write_text(
        "[en.clause]\n" + clause + "\n\n[[en.anaphor]]\nid = 'x'\nrule = 'nearest'\nforms = ['it']\n",
        encoding="utf-8",
    )
    with pytest.raises(RegistryError, match="rule 'nearest' is not one of"):
        load_anaphora(str(bad))


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # a descriptor in object position takes the company the sentence before named
        (
            "en",
            "Lumora Systems Inc. unveiled a new accelerator. Veltrix Inc. plans to invest $2 billion in the startup.",
            ("Veltrix Inc.", "investsIn", "Lumora Systems Inc."),
        ),
        # … and not a co-subject of its own clause's subject
        (
            "en",
            "Veltrix Inc. and Ridgeline Labs invested in Lumora Systems Inc. "
            "Later, Veltrix Inc. agreed to acquire the startup.",
            ("Veltrix Inc.", "acquires", "Lumora Systems Inc."),
        ),
        ("en", "AMD unveiled the MI300X. TSMC will manufacture the chip.", ("tsmc", "fabricates", "mi300x")),
        (
            "en",
            "NVIDIA said it will invest in Lumora Systems Inc.",
            ("nvidia", "investsIn", "Lumora Systems Inc."),
        ),
        # the previous sentence's subject, not the company named inside it
        (
            "en",
            "Lumora Systems Inc. was founded in 2021 by former AMD engineers. The company partners with TSMC.",
            ("Lumora Systems Inc.", "partnersWith", "tsmc"),
        ),
        # a source is not an antecedent
        (
            "en",
            "Lumora Systems Inc. builds chips. According to Reuters, the company will partner with TSMC.",
            ("Lumora Systems Inc.", "partnersWith", "tsmc"),
        ),
        # `the fund` takes an organization that looks like one
        (
            "en",
            "Northgate Capital Inc. led the round. The fund also invested in Veltrix Inc.",
            ("Northgate Capital Inc.", "investsIn", "Veltrix Inc."),
        ),
        ("en", "NVIDIA and AMD compete. The two companies rely on TSMC.", ("amd", "dependsOn", "tsmc")),
        ("zh", "华为发布昇腾910B芯片。该芯片由台积电代工。", ("tsmc", "fabricates", "ascend-910b")),
        ("zh", "寒光科技表示，其将与英伟达合作。", ("寒光科技", "partnersWith", "nvidia")),
        ("zh", "寒光科技成立于2020年。公司计划与华为合作。", ("寒光科技", "partnersWith", "huawei")),
        ("zh", "北辰半导体发布新芯片。寒光科技宣布投资该初创企业。", ("寒光科技", "investsIn", "北辰半导体")),
        (
            "zh",
            "寒光科技发布新品。据路透社报道，该公司将与华为合作。",
            ("寒光科技", "partnersWith", "huawei"),
        ),
    ],
)
def test_anaphora_relations_read_through_an_anaphor(
    lang: str, text: str, expected: tuple[str, str, str]
) -> None:
    assert expected in relations(text, lang)


@pytest.mark.parametrize(
    ("lang", "text", "absent"),
    [
        # co-argument: the startup Veltrix invests in is not Veltrix, and nothing else is in reach
        ("en", "Veltrix Inc. plans to invest $2 billion in the startup.", None),
        # wrong type: a company is not `the chip`
        ("en", "Lumora Systems Inc. raised money. TSMC will manufacture the chip.", None),
        # ambiguous: two chips, one `the chip`
        (
            "en",
            "AMD unveiled the MI300X and Nvidia launched the H200. TSMC will manufacture the chip.",
            ("tsmc", "fabricates", "mi300x"),
        ),
        # a company that raised money is no fund
        (
            "en",
            "Lumora Systems Inc. raised $80 million. The fund also invested in Veltrix Inc.",
            ("Lumora Systems Inc.", "investsIn", "Veltrix Inc."),
        ),
        ("zh", "寒光科技与该公司合作。", None),
        ("zh", "北辰半导体完成B轮融资。该基金持有公司3%股权。", None),
    ],
)
def test_anaphora_does_not_bind_what_it_must_not(
    lang: str, text: str, absent: tuple[str, str, str] | None
) -> None:
    found = relations(text, lang)
    if absent is None:
        assert not any(s == o for s, _, o in found)
        assert found == set()
    else:
        assert absent not in found


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "Veltrix Inc. plans to invest $2 billion in the startup.", []),
        ("zh", "寒光科技向该公司投资5亿元。", []),
        # possessive: 其 opens a new clause and stands for the speaker
        ("zh", "寒光科技表示，其将与英伟达合作。", [("其", ["寒光科技"])]),
        # the startup is not the company that bought
        (
            "en",
            "Lumora Systems Inc. acquired Veltrix Inc. in May. The startup will ship chips next year.",
            [("The startup", ["Veltrix Inc."])],
        ),
        # as a possessor, the company may be its clause's own subject
        (
            "en",
            "Lumora Systems Inc. fired a shot across NVIDIA's bow, announcing chips that reuse the company's designs.",
            [("the company", ["Lumora Systems Inc."])],
        ),
        (
            "en",
            "Veltrix Inc. and Lumora Systems Inc. said they will partner with TSMC.",
            [("they", ["Veltrix Inc.", "Lumora Systems Inc."])],
        ),
        ("zh", "英伟达与寒光科技签署协议。双方将展开合作。", [("双方", ["英伟达", "寒光科技"])]),
        ("zh", "英伟达与华为、寒光科技签署协议。双方将展开合作。", []),
        # 其 after a verb of holding shares: another's, never its own clause's subject
        (
            "zh",
            "华岳基金持有英伟达0.8%股权；启明星创投、远山资本亦持有其股份。",
            [("其", ["英伟达"])],
        ),
        # a counted group in its own sentence: the names nearest before it, not the data source
        (
            "zh",
            "据星衡研究的数据，从3月的英伟达开始，到5月的华为和6月的美光，三家公司都推出了新品。",
            [("三家公司", ["英伟达", "华为", "美光"])],
        ),
        (
            "en",
            "Jane Doe, chief executive of Lumora Systems Inc., said so. Later he joined AMD.",
            [("he", ["Jane Doe"])],
        ),
        ("zh", "寒光科技董事长林思远表示，他将带领公司与华为合作。", [("他", ["林思远"])]),
        # bare 公司 after a comma stays in its sentence: the speaker here is no known company
        ("zh", "寒光科技发布新品。某环保企业表示，公司将参与投资。", []),
        # 其 as a coverb's object is the other company, not the clause's subject
        (
            "zh",
            "寒光科技与北辰半导体签约，公司与其合作多年。",
            [("公司", ["寒光科技"]), ("其", ["北辰半导体"])],
        ),
        # a plural object does not take the group its own clause names
        ("en", "Veltrix Inc. and Lumora Systems Inc. hired engineers without acquiring the companies.", []),
        # a personal pronoun is a subject, even with a contraction after it
        (
            "en",
            "Lumora Systems Inc. announced Monday it's partnering with TSMC.",
            [("it", ["Lumora Systems Inc."])],
        ),
        (
            "en",
            "Lumora Systems Inc. builds chips. The fabless chipmaker partners with TSMC.",
            [("The fabless chipmaker", ["Lumora Systems Inc."])],
        ),
        ("zh", "寒光科技发布新品。这家芯片设计公司计划与华为合作。", [("这家芯片设计公司", ["寒光科技"])]),
        # the document's topic, when the sentence before names it, over that sentence's first name
        (
            "en",
            "Veltrix Inc. makes cars. Veltrix Inc. sells cars in Europe. In March, Lumora Systems Inc. bought "
            "a stake in a lab, while Veltrix Inc. opened a plant. The carmaker also plans to partner with TSMC.",
            [("The carmaker", ["Veltrix Inc."])],
        ),
        # `its` after a verb that takes from another company is that company, not the subject
        (
            "en",
            "Lumora Systems Inc. will license designs from Veltrix Inc. and hire its founders.",
            [("its", ["Veltrix Inc."])],
        ),
        ("en", "Lumora Systems Inc. will hire its own engineers.", [("its", ["Lumora Systems Inc."])]),
        # 这两款芯片 gathers chips from the sentences before until it has two
        (
            "zh",
            "华为推出昇腾910B。此后寒光科技推出昇腾910C。这两款芯片由中芯国际制造。",
            [("这两款芯片", ["昇腾910C", "昇腾910B"])],
        ),
    ],
)
def test_anaphora_resolver_binds(lang: str, text: str, expected: list[tuple[str, list[str]]]) -> None:
    assert anaphors(text, lang) == expected


def test_anaphora_resolver_reads_history_without_a_doc() -> None:
    doc = pipeline_for("en")("Lumora Systems Inc. builds chips. The company partners with TSMC.")
    first, second = list(doc.sents)
    spans = entity_spans(doc)
    resolver = Pronouns.load()["en"]
    history = [[s for s in spans if s.end_char <= first.end_char]]
    inside = [s for s in spans if s.start_char >= second.start_char]
    found = resolver.bind(doc.text, (second.start_char, second.end_char), inside, history)
    assert [(doc.text[b.start : b.end], [s.text for s in b.antecedents]) for b in found] == [
        ("The company", ["Lumora Systems Inc."])
    ]


def test_anaphora_a_fund_anaphor_takes_the_fund_before_its_investor() -> None:
    # 星衡科技 invested in the fund just before, yet 该基金 names the fund, not its investor
    found = relations("星衡科技认购了华岳产业基金合伙企业（有限合伙）的份额。该基金持有寒武纪股权。", "zh")
    assert any(s.startswith("华岳产业基金") and r == "investsIn" and o == "cambricon" for s, r, o in found)
    assert not any(s == "星衡科技" and o == "cambricon" for s, _r, o in found)


@pytest.mark.parametrize(
    ("lang", "text", "triple"),
    [
        (
            "zh",
            "寒武纪是一家芯片设计公司。思元590和思元370均出自这支团队之手。",
            ("cambricon", "develops", "mlu590"),
        ),
        (
            "en",
            "Cambricon hired 200 engineers. The team also designed the MLU370 chip.",
            ("cambricon", "develops", "mlu370"),
        ),
    ],
)
def test_anaphora_a_team_stands_for_its_organization(
    lang: str, text: str, triple: tuple[str, str, str]
) -> None:
    assert triple in relations(text, lang)


def test_anaphora_a_subject_anaphor_does_not_reach_into_an_oblique() -> None:
    # Qualcomm only stands in `who joined from Qualcomm`: `the company` that must compete is not it
    found = relations(
        "Lumora Systems Inc. hired a new boss. Chief executive Dana Whitfield, who joined from Qualcomm "
        "in 2023, has said the company needs more capital to compete with Nvidia.",
        "en",
    )
    assert ("qualcomm", "competesWith", "nvidia") not in found


def test_anaphora_bare_company_after_a_comma_with_an_adverb() -> None:
    # 公司此前…: the company that opens the sentence, whatever adverb follows
    assert ("cambricon", "dependsOn", "tsmc") in relations(
        "寒武纪董事长陈天石表示，公司此前主要依赖台积电代工。", "zh"
    )


@pytest.mark.parametrize(
    ("lang", "text", "investors", "recipient"),
    [
        (
            "en",
            "Lumora raised $80 million in March. Investors included Ridgeline Capital and Northgate Ventures.",
            {"Ridgeline Capital", "Northgate Ventures"},
            "Lumora",
        ),
        (
            "zh",
            "云岫芯上月完成B轮融资。本轮由远山资本领投，启明星创投跟投。",
            {"远山资本", "启明星创投"},
            "云岫芯",
        ),
    ],
)
def test_anaphora_a_round_without_its_company_went_to_the_one_just_funded(
    lang: str, text: str, investors: set[str], recipient: str
) -> None:
    found = relations(text, lang)
    assert {(i, "investsIn", recipient) for i in investors} <= found, found


@pytest.mark.parametrize(
    ("lang", "text", "wanted", "unwanted"),
    [
        # a clause that goes on without a subject after 其中 keeps the sentence's subject …
        (
            "zh",
            "寒光科技计划斥资百亿元，其中一半用于购买英伟达晶片。",
            ("寒光科技", "dependsOn", "nvidia"),
            None,
        ),
        # … and an amount exceeded (超过一半) is no rival
        (
            "zh",
            "寒光科技计划斥资百亿元，其中超过一半资金将用于购买英伟达晶片。",
            ("寒光科技", "dependsOn", "nvidia"),
            ("寒光科技", "competesWith", "nvidia"),
        ),
        # a list with a serial comma before its last member: `…, B100, and the upcoming B200`
        (
            "en",
            "Nvidia's AI GPUs, such as the H100, B100, and the upcoming B200, sell well.",
            ("nvidia", "develops", "b200"),
            None,
        ),
    ],
)
def test_anaphora_clauses_and_lists_keep_their_arguments(
    lang: str, text: str, wanted: tuple[str, str, str], unwanted: tuple[str, str, str] | None
) -> None:
    found = relations(text, lang)
    assert wanted in found, found
    assert unwanted not in found


def test_anaphora_a_funded_company_three_sentences_back_is_too_far() -> None:
    text = (
        "Lumora raised $80 million in March. It hired engineers. It opened an office. "
        "It rented a lab. Investors included Ridgeline Capital."
    )
    assert not {r for r in relations(text, "en") if r[1] == "investsIn"}
