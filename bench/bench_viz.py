"""How long the HTML view takes to settle in headless Chromium, for growing synthetic graphs.

Prints, for each size, the time from navigation start until the physics has stabilized and stopped
(median of a few runs) and its ratio to a 200-node baseline measured in the same process, so the
numbers compare across machines. Nothing is asserted: run it, read it.

    .venv/bin/python bench/bench_viz.py [--sizes 200 1000 2000] [--runs 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright
from rdflib import RDF, SKOS, XSD, Graph, Literal, URIRef
from rdflib.namespace import PROV

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synthetic import add_documents

from kg import viz
from kg.vocab import CHIP, KG, RELATIONS

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
CLASSES = ("Company", "Company", "Company", "Organization", "Person", "Chip", "Chip", "Product")
MODALITIES = ("Asserted", "Asserted", "Planned", "Expected", "Reported", "Negated")


def synthetic_graph(n: int, seed: int = 1) -> Graph:
    """`n` entities with about 1.5 relations each (preferential attachment), each with a claim."""
    rnd = random.Random(seed)
    g = Graph()
    docs = add_documents(g, n // 20, "doc", zh_every=3)
    ends: list[int] = []
    for i in range(n):
        iri = KG[f"e{i}"]
        g.add((iri, RDF.type, CHIP[rnd.choice(CLASSES)]))
        g.add((iri, SKOS.prefLabel, Literal(f"Entity {i}", lang="en")))
        g.add((iri, SKOS.altLabel, Literal(f"实体{i}", lang="zh")))
        g.add((iri, CHIP.mentionedIn, rnd.choice(docs)))
        for _ in range(0 if i == 0 else rnd.choice((1, 1, 2))):
            j = rnd.choice(ends) if ends and rnd.random() < 0.7 else rnd.randrange(i)
            _relate(g, rnd, iri, KG[f"e{j}"], rnd.choice(docs), len(ends))
            ends += [i, j]
    return g


def _relate(g: Graph, rnd: random.Random, s: URIRef, o: URIRef, doc: URIRef, k: int) -> None:
    pred, modality = CHIP[rnd.choice(RELATIONS)], rnd.choice(MODALITIES)
    if modality != "Negated":
        g.add((s, pred, o))
    claim = KG[f"claim-{k}"]
    for p, v in ((RDF.type, CHIP.Claim), (RDF.subject, s), (RDF.predicate, pred), (RDF.object, o),
                 (PROV.wasDerivedFrom, doc), (CHIP.modality, CHIP[modality]),
                 (CHIP.evidence, Literal(f"第 {k} 句证据:某公司与另一家公司合作开发芯片。")),
                 (CHIP.confidence, Literal(f"{rnd.uniform(0.3, 1):.2f}", datatype=XSD.decimal))):  # fmt: skip
        g.add((claim, p, v))


def settle_ms(page: Page, path: Path) -> float:
    """Milliseconds from navigation start until the view has stabilized and switched physics off."""
    page.goto(path.as_uri())
    # Poll from outside: the page's CSP forbids the eval that wait_for_function would use inside.
    while not page.evaluate("Boolean(window.kgView && window.kgView.stable)"):
        page.wait_for_timeout(50)
    return float(page.evaluate("kgView.settledMs"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000, 2000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    sizes = sorted(set([200, *args.sizes]))
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        for n in sizes:
            graph = synthetic_graph(n)
            t0 = time.perf_counter()
            html = viz.write_html(graph, Path(tmp) / f"g{n}.html", max_nodes=n)
            render_s = time.perf_counter() - t0
            times = [settle_ms(page, html) for _ in range(args.runs)]
            drawn = page.evaluate("kgView.drawn()")
            size = html.stat().st_size
            rows.append((n, drawn["nodes"], drawn["edges"], size, render_s, statistics.median(times)))
        browser.close()
    base = rows[0][5]
    heads = ("entities", 8), ("drawn", 6), ("edges", 6), ("html KB", 8), ("python s", 9), ("settle ms", 10)
    print(" ".join(f"{h:>{w}}" for h, w in heads), f"{'÷ 200':>6}")
    for n, nodes, edges, size, render_s, ms in rows:
        print(
            f"{n:>8} {nodes:>6} {edges:>6} {size / 1024:>8.0f} {render_s:>9.2f} {ms:>10.0f} {ms / base:>6.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
