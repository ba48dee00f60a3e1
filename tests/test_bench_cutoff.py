"""The cut-off chooser: each held-out document gets the cut-off the other documents prefer."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("choose_cutoff", ROOT / "bench" / "choose_cutoff.py")
assert _spec is not None and _spec.loader is not None
choose_cutoff = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(choose_cutoff)


def test_bench_cutoff_f1_counts() -> None:
    assert choose_cutoff.f1(0, 3, 4) == 0.0
    assert choose_cutoff.f1(2, 0, 0) == 1.0
    assert round(choose_cutoff.f1(6, 2, 2), 3) == 0.75


def test_bench_cutoff_cross_validation_holds_each_document_out() -> None:
    # at 0.0 every document has one false positive; at 0.5 they are gone, except from `c`,
    # where the cut-off also loses its only true positive
    runs = {
        0.0: {"a": (3, 1, 0), "b": (3, 1, 0), "c": (1, 0, 0)},
        0.5: {"a": (3, 0, 0), "b": (3, 0, 0), "c": (0, 0, 1)},
    }
    (tp, fp, fn), chosen = choose_cutoff.cross_validate(runs)
    # holding out a: b and c score 8/9 at 0.0 and 6/7 at 0.5, so a is read at 0.0 (likewise b);
    # holding out c: a and b score 1.0 at 0.5, so c is read at 0.5 and loses its true positive
    assert chosen == {0.0: 2, 0.5: 1}
    assert (tp, fp, fn) == (6, 2, 1)


def test_bench_cutoff_ties_go_to_the_lower_cut_off() -> None:
    runs = {0.0: {"a": (1, 0, 0), "b": (1, 0, 0)}, 0.6: {"a": (1, 0, 0), "b": (1, 0, 0)}}
    _counts, chosen = choose_cutoff.cross_validate(runs)
    assert chosen == {0.0: 2}
