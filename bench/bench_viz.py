"""How long the HTML view takes to settle in headless Chromium, for growing synthetic graphs.

Prints, for each size, the time from navigation start until the physics has stabilized and stopped
(median of a few runs) and its ratio to a 200-node baseline measured in the same process, so the
numbers compare across machines. Nothing is asserted: run it, read it.

    .venv/bin/python bench/bench_viz.py [--sizes 200 1000 2000] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synthetic import synthetic_graph

from kg import viz

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip


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
