"""`kg.extract(..., errors=...)`: raise on the first bad file (default) or skip it as `kg extract` does."""

from __future__ import annotations

from pathlib import Path

import pytest

import kg
from kg.vocab import KG

EN = "Acme Silicon said TSMC will manufacture its new accelerator."


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    news = tmp_path / "news"
    news.mkdir()
    (news / "a.txt").write_text(EN, encoding="utf-8")
    (news / "b.txt").write_bytes(b"")
    return news


def test_extract_errors_raise_by_default(folder: Path) -> None:
    with pytest.raises(kg.InputError, match=r"b\.txt.*empty"):
        kg.extract(folder)


def test_extract_errors_skip_warns_and_reports(folder: Path) -> None:
    with pytest.warns(UserWarning, match=r"^kg\.extract: skipped .*b\.txt: the file is empty") as caught:
        graph = kg.extract(folder, errors="skip")
    assert len(caught) == 1
    report = graph.report
    assert [Path(s.path).name for s in report.skipped] == ["b.txt"]
    assert report.skipped[0].reason.startswith("the file is empty")
    assert report.documents == 1
    assert (KG.tsmc, None, None) in graph.rdf.default_graph  # the good file was read


def test_extract_errors_skip_still_fails_when_nothing_is_readable(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_bytes(b"")
    with pytest.raises(kg.InputError, match="no input documents"):
        kg.extract(tmp_path / "b.txt", errors="skip")


def test_extract_errors_unknown_choice_is_refused(folder: Path) -> None:
    with pytest.raises(kg.InputError, match="'raise' or 'skip'"):
        kg.extract(folder, errors="ignore")  # type: ignore[arg-type]
