"""Time the saved questions on rdflib's in-memory store and on Oxigraph (oxrdflib), in one process.

    .venv/bin/python bench/bench_query.py [--companies 400] [--repeat 3]

Generates a contract-shaped graph (companies, chips, documents, claims with evidence), writes it as
Turtle, loads it into each store the way `kg.load` does, runs every saved question through
`kg.query.run` (so label lookup and DataFrame typing are included) and prints each time and the
memory/Oxigraph ratio. Nothing is downloaded; the graph is made here, deterministically.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD
from synthetic import add_documents

from kg import query, rdfio
from kg.vocab import CHIP, KG

PROV_DERIVED = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
ORG_RELATIONS = ("partnersWith", "dependsOn", "customerOf", "competesWith", "investsIn", "fabricatesFor")
MODALITIES = ("Asserted", "Asserted", "Asserted", "Planned", "Expected", "Reported", "Negated")


def generate(companies: int, seed: int = 7) -> Dataset:
    """A graph with `companies` companies, two chips each, companies/4 documents and ~6 claims per company."""
    rng = random.Random(seed)
    ds = Dataset()
    g = ds.default_graph
    docs = add_documents(g, companies // 4, "doc-bench")
    orgs = [KG[f"company-{i}"] for i in range(companies)]
    chips = [KG[f"chip-{i}"] for i in range(2 * companies)]
    for i, org in enumerate(orgs):
        g.add((org, RDF.type, CHIP.Company))
        g.add((org, SKOS.prefLabel, Literal(f"Company {i}", lang="en")))
        g.add((org, SKOS.altLabel, Literal(f"公司{i}", lang="zh")))
    for i, chip in enumerate(chips):
        g.add((chip, RDF.type, CHIP.Chip))
        g.add((chip, SKOS.prefLabel, Literal(f"Chip {i}", lang="en")))
    for entity in (*orgs, *chips):
        for doc in rng.sample(docs, k=min(len(docs), 2)):
            g.add((entity, CHIP.mentionedIn, doc))
    claim_no = 0

    def claim(s: URIRef, p: str, o: URIRef) -> None:
        nonlocal claim_no
        claim_no += 1
        c = KG[f"claim-bench-{claim_no}"]
        modality = rng.choice(MODALITIES)
        g.add((c, RDF.type, CHIP.Claim))
        g.add((c, RDF.subject, s))
        g.add((c, RDF.predicate, CHIP[p]))
        g.add((c, RDF.object, o))
        g.add((c, PROV_DERIVED, rng.choice(docs)))
        g.add((c, CHIP.evidence, Literal(f"Sentence {claim_no} says {p}.")))
        g.add((c, CHIP.charStart, Literal(claim_no * 10)))
        g.add((c, CHIP.charEnd, Literal(claim_no * 10 + 9)))
        g.add((c, CHIP.confidence, Literal(f"0.{rng.randint(50, 99)}", datatype=XSD.decimal)))
        g.add((c, CHIP.modality, CHIP[modality]))
        g.add((c, CHIP.extractedBy, Literal("bench")))
        if modality != "Negated":
            g.add((s, CHIP[p], o))

    for i, org in enumerate(orgs):
        claim(org, "develops", chips[2 * i])
        claim(org, "develops", chips[2 * i + 1])
        if i % 5 == 0:
            claim(org, "fabricates", rng.choice(chips))
        for _ in range(4):
            claim(org, rng.choice(ORG_RELATIONS), rng.choice(orgs))
    return ds


PARAMS = {  # entities the generated graph has, in place of the questions' defaults (kg:openai, kg:h100 …)
    "company": KG["company-0"],
    "supplier": KG["company-1"],
    "chip": KG["chip-0"],
    "subject": KG["company-0"],
    "predicate": CHIP.develops,
    "object": KG["chip-0"],
}


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Median seconds of `repeat` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=400, help="companies in the generated graph")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        path = rdfio.save(generate(args.companies), Path(tmp) / "bench.ttl")
        loaded = {}
        print(f"graph: {args.companies} companies, {path.stat().st_size // 1024} KiB of Turtle")
        print(f"{'step':<24}{'memory s':>10}{'oxigraph s':>12}{'ratio':>8}")
        load_times = {}
        for store in ("default", "Oxigraph"):
            load_times[store] = timed(lambda s=store: loaded.__setitem__(s, rdfio.load(path, store=s)), 1)
        print(
            f"{'load (rdfio.load)':<24}{load_times['default']:>10.3f}{load_times['Oxigraph']:>12.3f}"
            f"{load_times['default'] / load_times['Oxigraph']:>8.2f}"
        )
        native = timed(lambda: Dataset(store="Oxigraph").default_graph.parse(path, format="ox-turtle"), 1)
        print(
            f"{'load (ox-turtle parser)':<24}{load_times['default']:>10.3f}{native:>12.3f}"
            f"{load_times['default'] / native:>8.2f}"
        )
        total = {"default": 0.0, "Oxigraph": 0.0}
        for saved in query.saved_queries():
            params = {k: v for k, v in PARAMS.items() if saved.params.get(k)}
            row = {}
            for store, dataset in loaded.items():
                row[store] = timed(lambda d=dataset, n=saved.name, p=params: query.run(d, n, p), args.repeat)
                total[store] += row[store]
            ratio = row["default"] / row["Oxigraph"] if row["Oxigraph"] else float("inf")
            print(f"{saved.name:<24}{row['default']:>10.3f}{row['Oxigraph']:>12.3f}{ratio:>8.2f}")
        print(
            f"{'all saved questions':<24}{total['default']:>10.3f}{total['Oxigraph']:>12.3f}"
            f"{total['default'] / total['Oxigraph']:>8.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
