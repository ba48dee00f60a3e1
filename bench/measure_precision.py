"""Measure each relation pattern's precision on annotated texts; write it where the loader reads it.

For every annotated text (`*.txt` with `*.gold.json`) in the folders given, `kg extract` builds the
graph and the evaluation scorer lists the relations the gold does not accept. Each claim is then
counted for the pattern (or inference rule) that made it: `fired`, and `wrong` when its triple is one
the scorer rejected. (A triple the gold marks optional counts as fired and not wrong.) The table
goes to `ontology/patterns/measured.tsv`; `kg.nlp.relations` turns it into each pattern's confidence,
shrunk towards the confidence its entry states by `PRIOR_WEIGHT` pseudo-observations, so that a
pattern seen twice keeps most of its prior and one seen fifty times speaks for itself.

    python bench/measure_precision.py ../shared/eval/dev ../shared/eval/real [--scorer ../shared/eval/score.py]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "ontology" / "patterns" / "measured.tsv"


def load_scorer(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("kg_eval_scorer", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"{path}: cannot import the scorer")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def count(folder: Path, scorer: ModuleType, kg: str, tmp: Path) -> tuple[Counter[str], Counter[str]]:
    """(claims per pattern, rejected claims per pattern) over one annotated folder."""
    import kg as toolkit

    fired: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    for gold_file in sorted(folder.glob("*.gold.json")):
        gold: dict[str, Any] = json.loads(gold_file.read_text(encoding="utf-8"))
        text_file = scorer.text_path(gold_file, gold)
        out = tmp / (gold_file.name[: -len(".gold.json")] + ".ttl")
        _seconds, error = scorer.extract(kg, text_file, out)
        if error:
            raise SystemExit(f"{text_file}: {error}")
        graph = scorer.load(out)
        rejected = set(scorer.score(gold, graph, text_file.read_text(encoding="utf-8"))["extra_relations"])
        for row in toolkit.load(out).claims().itertuples():
            triple = " ".join(
                (
                    scorer.label(graph, _iri(row.subject_iri)),
                    scorer.local(row.predicate_iri),
                    scorer.label(graph, _iri(row.object_iri)),
                )
            )
            fired[row.extracted_by] += 1
            wrong[row.extracted_by] += triple in rejected
    return fired, wrong


def _iri(text: str) -> Any:
    from rdflib import URIRef

    return URIRef(text)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folders", nargs="+", type=Path, help="annotated texts (*.txt with *.gold.json)")
    parser.add_argument("--scorer", type=Path, default=Path("../shared/eval/score.py"))
    parser.add_argument("--kg", default=str(Path(sys.executable).parent / "kg"), help="the kg command")
    parser.add_argument("-o", "--output", type=Path, default=OUT, help=f"table to write (default: {OUT})")
    args = parser.parse_args()
    if not args.scorer.exists():
        parser.error(f"{args.scorer}: no such scorer; pass --scorer PATH")
    scorer = load_scorer(args.scorer.resolve())
    fired: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for folder in args.folders:
            f, w = count(folder.resolve(), scorer, args.kg, Path(tmp))
            fired.update(f)
            wrong.update(w)
    lines = [
        "# Measured by bench/measure_precision.py: claims each pattern made on the annotated texts and",
        "# how many the gold rejects. kg/nlp/relations.py blends this with the entry's own confidence.",
        "# pattern\tfired\twrong\tprecision",
    ]
    for pattern in sorted(fired):
        n, bad = fired[pattern], wrong[pattern]
        lines.append(f"{pattern}\t{n}\t{bad}\t{(n - bad) / n:.3f}")
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    total, bad = sum(fired.values()), sum(wrong.values())
    print(f"{len(fired)} patterns, {total} claims, {bad} rejected; wrote {args.output}")
    for pattern, n in wrong.most_common(10):
        if n:
            print(f"  {pattern}: {n} of {fired[pattern]} rejected")


if __name__ == "__main__":
    main()
