"""Choose the `--min-confidence` cut-off by leave-one-document-out cross-validation.

For each candidate cut-off, the evaluation scorer runs `kg extract --min-confidence T` over an
annotated folder (texts with `*.gold.json`). Then, for each document in turn, the cut-off that
gives the best relation F1 on the *other* documents is applied to the held-out one; the held-out
counts are summed into one cross-validated F1. Prints the table and the cut-off most folds chose.

    python bench/choose_cutoff.py ../shared/eval/real [--scorer ../shared/eval/score.py]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

CUTOFFS = (0.0, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8)
Counts = dict[str, tuple[int, int, int]]  # document -> relation (tp, fp, fn)


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def score(folder: Path, scorer: Path, cutoff: float, kg: str) -> Counts:
    """Relation counts per document with claims below `cutoff` left out."""
    with tempfile.TemporaryDirectory() as tmp:
        wrapper = Path(tmp) / "kg"
        wrapper.write_text(f'#!/bin/sh\nexec {kg} "$@" --min-confidence {cutoff}\n', encoding="utf-8")
        wrapper.chmod(0o755)
        out = subprocess.run(
            [sys.executable, str(scorer), str(folder), "--kg", str(wrapper), "--json"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    documents = json.loads(out)["documents"]
    return {name: tuple(doc["relations"][k] for k in ("tp", "fp", "fn")) for name, doc in documents.items()}  # type: ignore[misc]


def cross_validate(runs: dict[float, Counts]) -> tuple[tuple[int, int, int], Counter[float]]:
    names = sorted(next(iter(runs.values())))
    held_out = [0, 0, 0]
    chosen: Counter[float] = Counter()

    def total(counts: Counts, skip: str) -> float:
        tp, fp, fn = (sum(c[i] for n, c in counts.items() if n != skip) for i in range(3))
        return f1(tp, fp, fn)

    for name in names:
        best = max(runs, key=lambda t: (total(runs[t], name), -t))
        chosen[best] += 1
        for i in range(3):
            held_out[i] += runs[best][name][i]
    return (held_out[0], held_out[1], held_out[2]), chosen


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folder", type=Path, help="annotated texts (*.txt with *.gold.json)")
    parser.add_argument("--scorer", type=Path, default=Path("../shared/eval/score.py"))
    parser.add_argument("--kg", default=str(Path(sys.executable).parent / "kg"), help="the kg command")
    args = parser.parse_args()
    if not args.scorer.exists():
        parser.error(f"{args.scorer}: no such scorer; pass --scorer PATH")
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    runs = {t: score(args.folder, args.scorer, t, args.kg) for t in CUTOFFS}
    print("cut-off   tp   fp   fn     P     R    F1")
    for t, counts in runs.items():
        tp, fp, fn = (sum(c[i] for c in counts.values()) for i in range(3))
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        print(f"{t:7.2f} {tp:4d} {fp:4d} {fn:4d}  {p:.2f}  {r:.2f}  {f1(tp, fp, fn):.3f}")
    (tp, fp, fn), chosen = cross_validate(runs)
    print(f"leave-one-document-out: F1 {f1(tp, fp, fn):.3f} (tp {tp}, fp {fp}, fn {fn})")
    print("cut-offs chosen by the folds: " + ", ".join(f"{t:.2f} x{n}" for t, n in chosen.most_common()))


if __name__ == "__main__":
    main()
