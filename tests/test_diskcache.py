"""The start-up cache: built once, read back the same, rebuilt when corrupt, safe for many writers."""

from __future__ import annotations

import marshal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kg import diskcache
from kg.nlp import segment
from kg.registry import load_registry


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_diskcache_the_folder_comes_from_the_environment(
    cache: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert diskcache.cache_dir() == cache
    monkeypatch.delenv("KG_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert diskcache.cache_dir() == tmp_path / "xdg" / "aichip-kg"


def test_diskcache_builds_once_then_reads_back(cache: Path) -> None:
    built: list[int] = []

    def build() -> dict[str, int]:
        built.append(1)
        return {"英伟达": 3, "total": 7}

    key = diskcache.content_key("test", ["a", b"b"])
    first = diskcache.cached(key, build, lambda v: isinstance(v, dict))
    second = diskcache.cached(key, build, lambda v: isinstance(v, dict))
    assert first == second == {"英伟达": 3, "total": 7}
    assert len(built) == 1
    assert [p.name for p in cache.iterdir()] == [key]  # no temporary file left behind


def test_diskcache_the_key_follows_the_content() -> None:
    assert diskcache.content_key("t", ["ab", "c"]) != diskcache.content_key("t", ["a", "bc"])
    assert diskcache.content_key("t", ["ab"]) == diskcache.content_key("t", ["ab"])
    assert diskcache.content_key("t", ["ab"]) != diskcache.content_key("u", ["ab"])


@pytest.mark.parametrize("junk", [b"", b"\x00garbage", marshal.dumps([1, 2])[:3], marshal.dumps("a string")])
def test_diskcache_a_corrupt_entry_is_rebuilt_and_replaced(cache: Path, junk: bytes) -> None:
    key = diskcache.content_key("test", ["corrupt"])
    cache.mkdir()
    (cache / key).write_bytes(junk)
    value = diskcache.cached(key, lambda: {"a": 1}, lambda v: isinstance(v, dict))
    assert value == {"a": 1}
    assert marshal.loads((cache / key).read_bytes()) == {"a": 1}


def test_diskcache_concurrent_writers_leave_one_whole_entry(cache: Path) -> None:
    key = diskcache.content_key("test", ["race"])
    big = {str(i): i for i in range(50_000)}
    results: list[object] = []
    threads = [
        threading.Thread(target=lambda: results.append(diskcache.cached(key, lambda: dict(big), bool)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [big] * 8
    assert [p.name for p in cache.iterdir()] == [key]
    assert marshal.loads((cache / key).read_bytes()) == big


def test_diskcache_an_unwritable_folder_costs_the_build_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("KG_CACHE_DIR", str(blocker / "cache"))
    assert diskcache.cached("k", lambda: [1], bool) == [1]


def test_diskcache_the_cached_jieba_tokenizer_cuts_as_a_fresh_one(cache: Path) -> None:
    import jieba

    registry = load_registry()
    names = segment._names(registry)
    fresh = jieba.Tokenizer()
    fresh.initialize()
    for name in names:
        fresh.add_word(name)
    segment.tokenizer_for.cache_clear()
    try:
        built = segment.tokenizer_for(registry)  # builds and writes the entry
        segment.tokenizer_for.cache_clear()
        read = segment.tokenizer_for(registry)  # reads it back
    finally:
        segment.tokenizer_for.cache_clear()
    assert len(list(cache.glob("jieba-names-*"))) == 1
    assert read.FREQ == built.FREQ == fresh.FREQ and read.total == fresh.total
    text = "京东在北京东路开店，寒武纪与中芯国际合作，加快手机芯片研发。"
    assert read.lcut(text, HMM=False) == fresh.lcut(text, HMM=False)


def test_diskcache_jieba_is_imported_without_pkg_resources() -> None:
    """pkg_resources costs 0.1-0.3 s of a start; jieba reads the same files without it."""
    code = (
        "import sys; from kg.nlp import segment; jieba = segment._jieba(); "
        "print('pkg_resources' in sys.modules, jieba.dt.get_dict_file().read(12))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split(" ", 1)[0] == "False"
    assert "b'" in out  # the dictionary opens
