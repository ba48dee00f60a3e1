"""Start-up: `kg extract` of one short file and `kg --help`, wall and CPU time, per checkout.

Each command runs in a fresh `python -m kg` process (after one untimed run that fills the cache
folder), `--runs` times; with `--base DIR` (another checkout of the project, e.g. `git worktree add`
or `git archive | tar -x` of an older commit) the two checkouts run alternately, so that the load of
other jobs falls on both alike. CPU time is the child's user + system time. The load average is
printed with the table: on a shared machine the numbers move with it.

    python bench/bench_startup.py                                   # this checkout, 8 runs
    python bench/bench_startup.py --base /tmp/old --runs 8          # before and after, alternated
    python bench/bench_startup.py --file corpus/2024-01-15_en_foundry_outlook.txt

Prints a table; never asserts a time.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILE = ROOT / "seeds" / "000_d56c37649bfd2e3a.txt"


def _timed(checkout: Path, args: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of `python -m kg ARGS` run with `checkout` as the working folder (so that
    its `kg` package is the one imported)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "kg", *args],
        cwd=checkout,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _row(label: str, times: list[tuple[float, float]]) -> str:
    walls, cpus = [t[0] for t in times], [t[1] for t in times]
    return (
        f"| {label} | {statistics.median(walls):.2f} | {min(walls):.2f}–{max(walls):.2f} "
        f"| {statistics.median(cpus):.2f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--file", type=Path, default=FILE, help="the text to extract (default: the seed article)"
    )
    parser.add_argument("--runs", type=int, default=8, help="timed runs per command and checkout (default 8)")
    parser.add_argument("--base", type=Path, help="another checkout, run alternately with this one")
    args = parser.parse_args()
    checkouts = {"this": ROOT} | ({"base": args.base.resolve()} if args.base else {})
    source = args.file.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        commands = {
            "extract": ["extract", str(source), "-o", str(Path(tmp) / "out.ttl"), "--force"],
            "--help": ["--help"],
        }
        for checkout in checkouts.values():
            _timed(checkout, commands["extract"])  # fills the cache folder
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        loads = []
        for _ in range(args.runs):
            for command, argv in commands.items():
                for name, checkout in checkouts.items():
                    times.setdefault((command, name), []).append(_timed(checkout, argv))
            loads.append(os.getloadavg()[0])
    print(f"`kg extract {args.file.name}` and `kg --help`, {args.runs} runs each, seconds")
    print("| command, checkout | wall median | wall min–max | CPU median |")
    print("| --- | ---: | ---: | ---: |")
    for (command, name), runs in times.items():
        print(_row(f"{command}, {name}", runs))
    if args.base:
        this = statistics.median(t[0] for t in times[("extract", "this")])
        base = statistics.median(t[0] for t in times[("extract", "base")])
        print(f"extract wall, this / base: {this / base:.2f}")
    print(f"load average (1 min) during the runs: {min(loads):.1f} to {max(loads):.1f}")


if __name__ == "__main__":
    main()
