from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest import article_end, detect_language, find_date, make_document, read_inputs


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("OpenAI 与博通合作开发 AI 芯片。", "zh"),
        ("Nvidia unveiled the B200 GPU.", "en"),
        ("英伟达 NVIDIA H100 GPU 芯片", "zh"),
    ],
)
def test_ingest_detects_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("标题\n作者\n2024-10-31 16:27:04\n正文", datetime(2024, 10, 31, 16, 27, 4)),
        ("Title\n\nNovember 16, 2023 — Microsoft unveiled", date(2023, 11, 16)),
        ("标题\n2025年3月14日 讯", date(2025, 3, 14)),
        ("标题\n正文没有日期。", None),
        ("a\nb\nc\nd\ne\nf\ng\n2024-01-01 is too far down", None),
    ],
)
def test_ingest_finds_the_dateline(text: str, expected: date | None) -> None:
    assert find_date(text) == expected


def test_ingest_document_iri_is_stable_and_content_based() -> None:
    a = make_document("同一篇文章。", "a.txt")
    b = make_document("同一篇文章。", "b.txt")
    c = make_document("另一篇文章。", "a.txt")
    assert a.iri == b.iri != c.iri
    assert a.title == "同一篇文章。"


def test_ingest_reads_folders_sorted_and_skips_duplicates(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("Second text about AMD.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("First text about Nvidia.", encoding="utf-8")
    (tmp_path / "copy.md").write_text("First text about Nvidia.", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    docs = read_inputs([tmp_path])
    assert [d.source for d in docs] == ["a.txt", "b.txt"]


@pytest.mark.parametrize(
    ("data", "message"),
    [("英伟达".encode("gb18030"), "not UTF-8"), (b"   \n", "empty"), (b"ab\x00cd", "binary")],
)
def test_ingest_bad_files_raise_input_error_naming_the_file(
    tmp_path: Path, data: bytes, message: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=message) as info:
        read_inputs([path])
    assert "bad.txt" in str(info.value)


def test_ingest_missing_input_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_inputs([tmp_path / "nope.txt"])


@pytest.mark.parametrize("heading", ["相关内容", "热门资讯", "Related articles", "Read more"])
def test_ingest_article_ends_before_navigation(heading: str) -> None:
    text = f"标题\n正文：英伟达发布 H200。\n\n{heading}\n华为发布新手机\n"
    assert text[: article_end(text)].rstrip().endswith("H200。")


def test_ingest_article_without_navigation_is_whole() -> None:
    text = "Title\nBody mentions related work.\n"
    assert article_end(text) == len(text)
