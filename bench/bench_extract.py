"""Extraction speed, per language, as a ratio to spaCy's blank pipeline on the same text in the same run.

Baseline: `spacy.blank(lang)` with spaCy's rule `sentencizer` (the floor any spaCy-based extractor
pays). Measured: `kg.pipeline.build_documents` end to end (sentences, names, relations, RDF) over the
same documents. Only the characters the pipeline reads are counted, and the baseline reads exactly
those: the article text before trailing page navigation (`kg.ingest.article_end`).

Time is CPU time (`time.process_time`, median of `--repeat` runs, baseline and pipeline alternated),
never under tracemalloc; memory is measured in a separate process per language (`--memory`), as the
peak traced by tracemalloc and the process's peak resident size.

Texts are the project's own: `corpus/`, `seeds/` and `tests/golden/*.txt`, each copy made distinct.

    python bench/bench_extract.py                     # zh and en throughput, ~300,000 chars each
    python bench/bench_extract.py --sweep             # one document of 1 KB .. 1 MB per language
    python bench/bench_extract.py --jobs 1 2 1 2 1 2  # `kg extract --jobs N` over 1,000,000 chars, medians
    python bench/bench_extract.py --memory            # peak memory, one process per language

Prints tables; never asserts a time.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("zh", "en")
SWEEP = (1_000, 2_000, 4_000, 16_000, 64_000, 256_000, 1_000_000)


def _texts(lang: str) -> list[str]:
    """The project's own texts in `lang`, as the pipeline reads them (no trailing navigation)."""
    from kg.ingest import article_end, read_document

    paths = sorted([*ROOT.glob("corpus/*.txt"), *ROOT.glob("seeds/*.txt"), *ROOT.glob("tests/golden/*.txt")])
    out = []
    for path in paths:
        document = read_document(path)
        if document.lang == lang:
            out.append(document.text[: article_end(document.text)].strip())
    return out


def corpus(lang: str, chars: int) -> list[str]:
    """Texts of `lang` repeated (each copy made distinct) up to about `chars` characters."""
    texts = _texts(lang)
    out: list[str] = []
    total, n = 0, 0
    while total < chars:
        text = texts[n % len(texts)] + (f"\n\n（第{n}份）" if lang == "zh" else f"\n\n(copy {n})")
        out.append(text)
        total += len(text)
        n += 1
    return out


def one_document(lang: str, chars: int) -> str:
    """One document of exactly `chars` characters, paragraphs of the project's texts."""
    text = "\n\n".join(corpus(lang, chars))
    return text[:chars]


def documents(texts: list[str], lang: str) -> list[object]:
    from kg.ingest import make_document

    return [make_document(t, f"bench-{lang}-{i}.txt") for i, t in enumerate(texts)]


def baseline(lang: str) -> Callable[[list[str]], None]:
    import spacy

    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    nlp.max_length = 2_000_000

    def run(texts: list[str]) -> None:
        for text in texts:
            nlp(text)

    return run


def extraction() -> Callable[[list[object]], None]:
    from kg import pipeline

    def run(docs: list[object]) -> None:
        pipeline.build_documents(docs)  # type: ignore[arg-type]

    return run


def cpu(run: Callable[[], object]) -> float:
    started = time.process_time()
    run()
    return time.process_time() - started


def compare(lang: str, texts: list[str], repeat: int) -> tuple[int, float, float]:
    """(characters, median baseline CPU s, median pipeline CPU s), the two alternated."""
    base, full = baseline(lang), extraction()
    docs = documents(texts, lang)
    full(documents(texts[:1], lang))  # warm up: registry, tries, jieba, compiled patterns
    base(texts[:1])
    base_s, full_s = [], []
    for _ in range(repeat):
        base_s.append(cpu(lambda: base(texts)))
        full_s.append(cpu(lambda: full(docs)))
    return sum(map(len, texts)), statistics.median(base_s), statistics.median(full_s)


def throughput(chars: int, repeat: int) -> None:
    print(f"throughput: CPU time, median of {repeat}, one process; baseline = spaCy blank + sentencizer")
    print("| language | characters | baseline chars/s | kg chars/s | kg / baseline |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for lang in LANGS:
        n, base_s, full_s = compare(lang, corpus(lang, chars), repeat)
        print(f"| {lang} | {n:,} | {n / base_s:,.0f} | {n / full_s:,.0f} | 1/{full_s / base_s:.1f} |")


def sweep(repeat: int) -> None:
    print("length sweep: one document per length, CPU time (median of 3 below 100,000 chars, else 1 run)")
    print("| language | characters | kg chars/s | vs 2 KB | baseline chars/s |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for lang in LANGS:
        reference = None
        for size in SWEEP:
            n, base_s, full_s = compare(lang, [one_document(lang, size)], repeat if size < 100_000 else 1)
            speed = n / full_s
            if size == 2_000:
                reference = speed
            versus = f"{speed / reference:.2f}" if reference else ""
            print(f"| {lang} | {n:,} | {speed:,.0f} | {versus} | {n / base_s:,.0f} |")


def jobs_scaling(jobs: list[int], chars: int) -> None:
    """Wall time of `kg extract --jobs N` over a folder of both languages' documents, then the same
    documents through what it runs, in this (warmed) process: `kg.pipeline.build_documents_quads`
    and writing the file (an older tree without it: `build_documents` and `kg.rdfio.save`), with the
    CPU time of this process (the parent: merging, the graph) and of its workers apart. The load
    average before each run is printed; medians per job count at the end."""
    import os

    from kg import pipeline, rdfio
    from kg.ingest import read_document

    def extract(docs: list[object], n: int, out: Path) -> None:
        if hasattr(pipeline, "build_documents_quads"):
            quads, _ = pipeline.build_documents_quads(docs, jobs=n)  # type: ignore[arg-type]
            quads.save(out)
        else:
            dataset, _ = pipeline.build_documents(docs, jobs=n)  # type: ignore[arg-type]
            rdfio.save(dataset, out)

    for n in sorted(set(jobs) - {1}):
        print(f"what this machine gives {n} processes now: {ceiling(n):.2f}x one (a CPU loop, no data)")
    print("jobs: `kg extract --jobs N` over one folder (start-up included), then in-process (warmed)")
    print(
        "| jobs | load average | documents | characters | wall s | chars/s | vs 1 job | CPU s, all processes "
        "| in-process wall s | vs 1 job | parent CPU s | workers CPU s |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    walls: dict[int, list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        total = 0
        texts = [(lang, t) for lang in LANGS for t in corpus(lang, chars // 2)]
        for i, (lang, text) in enumerate(texts):
            (folder / f"{i:05d}-{lang}.txt").write_text(text, encoding="utf-8")
            total += len(text)
        docs = [read_document(path) for path in sorted(folder.iterdir())]
        # warm up on one copy of each text: registry, tries, jieba, the patterns compiled as a sentence
        # first needs them (forked workers inherit them); and a pool (what it builds before it forks)
        left = {lang: len(_texts(lang)) for lang in LANGS}
        firsts = []
        for document, (lang, _) in zip(docs, texts, strict=True):
            if left[lang] > 0:
                firsts.append(document)
                left[lang] -= 1
        extract(firsts, 1, Path(tmp) / "warm.nt")
        extract([docs[0], docs[-1]], max(jobs), Path(tmp) / "warm.nt")
        kg = Path(sys.executable).with_name("kg")
        first, first_in = None, None
        for n in jobs:
            load = os.getloadavg()[0]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            out = Path(tmp) / f"out{n}.nt"
            subprocess.run(
                [str(kg), "extract", str(folder), "-o", str(out), "--jobs", str(n), "--force"],
                check=True,
                capture_output=True,
            )
            seconds = time.perf_counter() - started
            used = _cpu(resource.RUSAGE_CHILDREN) - (before.ru_utime + before.ru_stime)
            first = first or seconds
            parent, children = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            extract(docs, n, Path(tmp) / f"in{n}.nt")  # type: ignore[arg-type]
            inside = time.perf_counter() - started
            parent, children = _cpu(resource.RUSAGE_SELF) - parent, _cpu(resource.RUSAGE_CHILDREN) - children
            first_in = first_in or inside
            walls.setdefault(n, []).append((seconds, inside))
            print(
                f"| {n} | {load:.1f} | {len(texts)} | {total:,} | {seconds:.1f} | {total / seconds:,.0f} "
                f"| {first / seconds:.2f}x | {used:.1f} | {inside:.1f} | {first_in / inside:.2f}x "
                f"| {parent:.1f} | {children:.1f} |"
            )
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if len(walls.get(jobs[0], [])) > 1 or len(walls) > 1:
        one = walls[jobs[0]]
        base = statistics.median(s for s, _ in one), statistics.median(i for _, i in one)
        print(f"medians over the runs of each job count (vs {jobs[0]} job)")
        print("| jobs | runs | `kg extract` wall s | vs one | in-process wall s | vs one |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: |")
        for n, runs in sorted(walls.items()):
            ext, ins = statistics.median(s for s, _ in runs), statistics.median(i for _, i in runs)
            print(
                f"| {n} | {len(runs)} | {ext:.1f} | {base[0] / ext:.2f}x | {ins:.1f} | {base[1] / ins:.2f}x |"
            )


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def ceiling(jobs: int, n: int = 10_000_000) -> float:
    """The speed-up `jobs` processes of pure CPU work get over one, on this machine at this moment:
    with other sessions busy (the kernel shares the CPU between sessions) it can be far below `jobs`."""
    from concurrent.futures import ProcessPoolExecutor

    started = time.perf_counter()
    for _ in range(jobs):
        _spin(n)
    one = time.perf_counter() - started
    with ProcessPoolExecutor(jobs) as pool:
        started = time.perf_counter()
        list(pool.map(_spin, [n] * jobs))
        return one / (time.perf_counter() - started)


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def memory_of(lang: str, chars: int) -> dict[str, float]:
    """Peak memory of one extraction run, in this (fresh) process."""
    docs = documents(corpus(lang, chars), lang)
    run = extraction()
    tracemalloc.start()
    run(docs)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {"traced_mib": peak / 2**20, "max_rss_mib": rss}


def memory(chars: int) -> None:
    print("memory: one process per language, tracemalloc peak of the extraction and peak RSS of the process")
    print("| language | characters | traced peak MiB | process peak RSS MiB |")
    print("| --- | ---: | ---: | ---: |")
    for lang in LANGS:
        out = subprocess.run(
            [sys.executable, __file__, "--memory-of", lang, "--chars", str(chars)],
            check=True,
            capture_output=True,
            text=True,
        )
        got = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"| {lang} | {chars:,} | {got['traced_mib']:.0f} | {got['max_rss_mib']:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--chars",
        type=int,
        help="characters per language (default 300000; with --jobs, 1000000 for both languages together)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed runs, the median is kept (default 3)")
    parser.add_argument("--sweep", action="store_true", help="one document per length, 1 KB .. 1 MB")
    parser.add_argument("--jobs", type=int, nargs="+", help="time `kg extract --jobs N` for each N")
    parser.add_argument("--memory", action="store_true", help="peak memory, a process per language")
    parser.add_argument("--memory-of", choices=LANGS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.chars is None:
        args.chars = 1_000_000 if args.jobs else 300_000
    if args.memory_of:
        print(json.dumps(memory_of(args.memory_of, args.chars)))
        return
    if args.sweep:
        sweep(args.repeat)
    elif args.jobs:
        jobs_scaling(args.jobs, args.chars)
    elif args.memory:
        memory(args.chars)
    else:
        throughput(args.chars, args.repeat)


if __name__ == "__main__":
    main()
