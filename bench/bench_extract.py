"""Extraction speed and memory, as ratios against a baseline run in the same process.

Baseline: spaCy's blank pipeline tokenizing the same texts (the floor any spaCy-based extractor
pays). Measured: `kg.pipeline.build_documents` over the same texts. Prints characters per second
for both and the ratio; never asserts a wall-clock time.

    python bench/bench_extract.py [--chars 300000]
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import spacy

from kg import pipeline
from kg.ingest import Document, make_document

ROOT = Path(__file__).resolve().parent.parent


def corpus(chars: int) -> list[Document]:
    """Seed and golden texts repeated (each copy made distinct) up to about `chars` characters."""
    texts = [
        p.read_text(encoding="utf-8") for p in [*ROOT.glob("seeds/*.txt"), *ROOT.glob("tests/golden/*.txt")]
    ]
    docs, total, n = [], 0, 0
    while total < chars:
        text = texts[n % len(texts)] + f"\n\n(copy {n})\n"
        docs.append(make_document(text, f"copy-{n}.txt"))
        total += len(text)
        n += 1
    return docs


def measure(run: Callable[[], object], repeat: int = 3) -> tuple[float, int]:
    """(best CPU seconds of `repeat` untraced runs, peak traced bytes of one more run).

    Time and memory are measured apart: tracemalloc slows allocation-heavy code several times
    over, and unevenly, so a timed run under it would report a distorted ratio."""
    seconds = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        run()
        seconds = min(seconds, time.process_time() - started)
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--chars", type=int, default=300_000, help="size of the corpus (default: 300000)")
    args = parser.parse_args()
    docs = corpus(args.chars)
    chars = sum(len(d.text) for d in docs)
    pipeline.build_documents(docs[:2])  # warm up: registry, tries, compiled patterns

    blanks = {lang: spacy.blank(lang) for lang in ("zh", "en")}

    def tokenize() -> None:
        for doc in docs:
            blanks[doc.lang](doc.text)

    base_s, base_mem = measure(tokenize)
    full_s, full_mem = measure(lambda: pipeline.build_documents(docs))
    print(f"corpus: {len(docs)} documents, {chars:,} characters")
    print(
        f"baseline (spaCy blank tokenizer): {chars / base_s:,.0f} chars/s CPU, peak {base_mem / 2**20:.1f} MiB"
    )
    print(
        f"kg extract pipeline:              {chars / full_s:,.0f} chars/s CPU, peak {full_mem / 2**20:.1f} MiB"
    )
    print(f"time ratio (pipeline / baseline): {full_s / base_s:.1f}x")
    print(f"memory ratio (pipeline / baseline): {full_mem / max(base_mem, 1):.1f}x")


if __name__ == "__main__":
    main()
