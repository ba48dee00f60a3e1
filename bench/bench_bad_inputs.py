"""Hostile sizes: does time grow linearly, and memory with the piece rather than the file?

Each case is run at n and 2n characters in a fresh process; the script prints the time ratio
(2.0 is linear, 4.0 quadratic) and the peak resident memory of each run. `--file-mb` also runs the
whole `kg extract` path (read, decode, extract, write) over one file of that size and prints its
peak memory. Never asserts a wall-clock time.

    python bench/bench_bad_inputs.py [--chars 40000] [--file-mb 0]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

CASES = {
    "one 5 MB-style line (no sentence end)": "NVIDIA partners with TSMC on the H100 chip and Intel competes with AMD, ",
    "repeated company names": "英伟达 台积电 NVIDIA TSMC AMD 华为 ",
    "Chinese article lines": "英伟达与台积电合作生产H100芯片，华为发布了昇腾910B芯片。\n",
}

CHILD = r"""
import json, resource, sys, time
from kg.ingest import make_document
from kg.pipeline import build_documents
unit, n = sys.argv[1], int(sys.argv[2])
text = (unit * (n // len(unit) + 1))[:n]
build_documents([make_document("NVIDIA 英伟达", "warm")])
started = time.process_time()
build_documents([make_document(text, "x")])
print(json.dumps({"seconds": time.process_time() - started,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

FILE_CHILD = r"""
import json, resource, sys, time
from kg.cli import main
started = time.process_time()
code = main(["extract", sys.argv[1], "-o", sys.argv[2]])
print(json.dumps({"code": code, "seconds": time.process_time() - started,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def child(script: str, *args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, check=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--chars", type=int, default=40_000, help="n: the smaller size (default 40000)")
    parser.add_argument("--file-mb", type=float, default=0, help="also extract one file of this many MB")
    args = parser.parse_args()
    for name, unit in CASES.items():
        small = child(CHILD, unit, str(args.chars))
        large = child(CHILD, unit, str(2 * args.chars))
        print(
            f"{name:40} n={args.chars:,}: {small['seconds']:.2f} s, 2n: {large['seconds']:.2f} s, "
            f"ratio {large['seconds'] / small['seconds']:.2f} (2.0 = linear); "
            f"peak memory {small['peak_mb']:.0f} MB -> {large['peak_mb']:.0f} MB"
        )
    if args.file_mb:
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "big.txt"
            # news prose: a relation every 2 KB or so, so that the graph (held whole in memory to be
            # written) stays small and what is measured is the reading side
            filler = "The market opened higher on Monday and analysts expected more gains later this week. "
            unit = filler * 10 + "\n" + "市场周一小幅走高，分析人士预计本周晚些时候还会上涨。" * 20 + "\n"
            unit += "NVIDIA partners with TSMC on the H100 chip.\n"
            size = int(args.file_mb * 1_000_000)
            with source.open("w", encoding="utf-8") as handle:
                written = 0
                while written < size:
                    handle.write(unit * 1000)
                    written += len((unit * 1000).encode("utf-8"))
            result = child(FILE_CHILD, str(source), str(Path(folder) / "big.ttl"))
            print(
                f"kg extract of a {written / 1e6:.0f} MB file: exit {result['code']:.0f}, "
                f"{result['seconds']:.0f} s, peak memory {result['peak_mb']:.0f} MB"
            )


if __name__ == "__main__":
    main()
