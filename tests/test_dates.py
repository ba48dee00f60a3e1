"""Document dates (datelines, --date, sidecar files) and times anchored to them."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from rdflib import XSD

from kg import cli
from kg.dates import TimeSpec, When, anchor, dateline, parse_date
from kg.errors import InputError
from kg.ingest import read_document, read_inputs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("英伟达发布新芯片\n2025年10月14日 来源：某报\n正文……", date(2025, 10, 14)),
        ("英伟达发布新芯片\n机锋资讯：2025 年 7 月 15 日消息，正文", date(2025, 7, 15)),
        ("Nvidia ships Rubin\nOct 14, 2025\nThe chip ...", date(2025, 10, 14)),
        ("Nvidia ships Rubin\nSept. 3, 2024 - The chip ...", date(2024, 9, 3)),
        ("Nvidia ships Rubin\n14 Oct 2025 – The chip ...", date(2025, 10, 14)),
        ("Nvidia ships Rubin\nOctober 14, 2025 — The chip ...", date(2025, 10, 14)),
        ("标题\n2024-10-31 16:27:04\n正文", datetime(2024, 10, 31, 16, 27, 4)),
        ("Title\nPosted 2024/10/31\nBody", date(2024, 10, 31)),
    ],
)
def test_dates_dateline_formats(text: str, expected: date) -> None:
    assert dateline(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Nvidia ships Rubin\nThe chip is made by TSMC in 2025.\n",  # a year is no dateline
        "标题\n\n\n\n\n\n\n2025年10月14日 晚些时候",  # too far down: a date in the story, not its dateline
        "Version 2024-13-45 of the driver",  # not a calendar date
    ],
)
def test_dates_undated_text_gets_no_invented_date(text: str) -> None:
    assert dateline(text) is None


def test_dates_parse_date_accepts_iso_and_written_dates_and_names_the_fix() -> None:
    assert parse_date("2025-10-14") == date(2025, 10, 14)
    assert parse_date("2025-10-14T08:30:00") == datetime(2025, 10, 14, 8, 30)
    assert parse_date("14 October 2025") == date(2025, 10, 14)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_date("last Tuesday")


@pytest.mark.parametrize(
    ("spec", "future", "expected"),
    [
        (TimeSpec(year=2026), False, When(2026)),
        (TimeSpec(years_from_now=-1), False, When(2023)),  # 去年 in a 2024 article
        (TimeSpec(years_from_now=1), True, When(2025)),  # next year
        (TimeSpec(years_from_now=-1, month=12), False, When(2023, 12)),  # 去年 12 月
        (TimeSpec(month=12), False, When(2023, 12)),  # "in December", said in October: the last one
        (TimeSpec(month=12), True, When(2024, 12)),  # "will ship in December": the coming one
        (TimeSpec(month=3), True, When(2025, 3)),  # "plans to ship in March": next year's
        (TimeSpec(month=3, day=5), False, When(2024, 3, 5)),
    ],
)
def test_dates_relative_times_are_anchored_to_the_document_date(
    spec: TimeSpec, future: bool, expected: When
) -> None:
    assert anchor(spec, date(2024, 10, 31), future=future) == expected


def test_dates_relative_time_in_an_undated_document_is_none() -> None:
    assert anchor(TimeSpec(years_from_now=-1), None) is None
    assert anchor(TimeSpec(month=12), None) is None
    assert anchor(TimeSpec(year=2026), None) == When(2026)


def test_dates_when_literals_keep_their_precision() -> None:
    assert When(2026).literal().datatype == XSD.gYear and str(When(2026).literal()) == "2026"
    assert When(2023, 12).literal().datatype == XSD.gYearMonth and str(When(2023, 12).literal()) == "2023-12"
    assert When(2024, 3, 5).literal().datatype == XSD.date


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_dates_given_date_beats_the_dateline_and_the_sidecar_beats_both(tmp_path: Path) -> None:
    dated = _write(tmp_path, "a.txt", "Title\nOct 14, 2025\nTSMC makes the H100 for Nvidia.\n")
    undated = _write(tmp_path, "b.txt", "Title\nTSMC makes the B200 for Nvidia.\n")
    assert read_document(dated).date == date(2025, 10, 14)
    assert read_document(undated).date is None
    assert {d.source: d.date for d in read_inputs([tmp_path], date(2025, 1, 2))} == {
        "a.txt": date(2025, 1, 2),
        "b.txt": date(2025, 1, 2),
    }
    (tmp_path / "b.meta.json").write_text(json.dumps({"date": "2024-05-06"}), encoding="utf-8")
    assert read_document(undated, date(2025, 1, 2)).date == date(2024, 5, 6)


def test_dates_bad_sidecar_names_the_file_and_the_fix(tmp_path: Path) -> None:
    text = _write(tmp_path, "c.txt", "Title\nBody\n")
    (tmp_path / "c.meta.json").write_text('{"date": "soon"}', encoding="utf-8")
    with pytest.raises(InputError, match=r"c\.meta\.json.*YYYY-MM-DD"):
        read_document(text)


def test_dates_cli_date_option_dates_the_graph_and_refuses_a_non_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _write(tmp_path, "d.txt", "Title\nTSMC makes the H100 for Nvidia.\n")
    out = tmp_path / "d.ttl"
    assert cli.main(["extract", str(text), "-o", str(out), "--date", "2025-02-03"]) == 0
    assert '"2025-02-03"^^xsd:date' in out.read_text(encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["extract", str(text), "-o", str(out), "--date", "someday"])
    assert exit_info.value.code == 2 and "YYYY-MM-DD" in capsys.readouterr().err
