"""Shared fixtures: the seed article's graph is built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seed_dataset() -> Dataset:
    from kg import pipeline

    dataset, _report = pipeline.build([SEEDS])
    return dataset


@pytest.fixture(scope="session")
def seed_text() -> str:
    return next(SEEDS.glob("*.txt")).read_text(encoding="utf-8")
