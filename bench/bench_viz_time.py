"""How long the HTML view's time-range filter takes to apply, beside the min-confidence filter, on
synthetic graphs (documents dated through 2025) in headless Chromium.

Prints, per size, the median milliseconds to apply a time range (Mar-Jun 2025) and to apply a
min-confidence of 0.5, each measured around a `change` event, and their ratio. Nothing is asserted.

    .venv/bin/python bench/bench_viz_time.py [--sizes 200 2000] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_viz import ARGS, CHROMIUM, settle_ms
from synthetic import synthetic_graph

from kg import viz

TIME = """() => { const t = performance.now();
  const a = document.getElementById('time-from'), b = document.getElementById('time-to');
  a.value = '2025-03-01'; b.value = '2025-06-30'; b.dispatchEvent(new Event('change'));
  const ms = performance.now() - t;
  a.value = ''; b.value = ''; b.dispatchEvent(new Event('change')); return ms; }"""
CONFIDENCE = """() => { const t = performance.now(), c = document.getElementById('min-conf');
  c.value = '0.5'; c.dispatchEvent(new Event('input'));
  const ms = performance.now() - t;
  c.value = '0'; c.dispatchEvent(new Event('input')); return ms; }"""


def median_ms(page: Page, script: str, runs: int) -> float:
    return statistics.median(float(page.evaluate(script)) for _ in range(runs))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"{'entities':>8} {'edges':>6} {'time ms':>8} {'conf ms':>8} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        for n in args.sizes:
            html = viz.write_html(synthetic_graph(n), Path(tmp) / f"g{n}.html", max_nodes=n)
            settle_ms(page, html)
            edges = page.evaluate("kgView.drawn()")["edges"]
            t, c = median_ms(page, TIME, args.runs), median_ms(page, CONFIDENCE, args.runs)
            print(f"{n:>8} {edges:>6} {t:>8.0f} {c:>8.0f} {t / c:>6.2f}")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
