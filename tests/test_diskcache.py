"""The start-up cache: built once, read back the same, rebuilt when corrupt, safe for many writers."""

from __future__ import annotations

import marshal
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from kg import diskcache
from kg import registry as registry_module
from kg.errors import RegistryError
from kg.nlp import segment
from kg.registry import Registry, load_registry, read_registry
from kg.resources import ontology_dir


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


_JIEBA_TEXT = "京东在北京东路开店，寒武纪与中芯国际合作，加快手机芯片研发。γ射线 T恤 2026年"


def _fresh_jieba(names: list[str]) -> tuple[Any, Any]:
    """jieba's own tokenizer and part-of-speech tokenizer, taught `names`, built from its dictionary."""
    import jieba

    posseg = segment._posseg()
    fresh = jieba.Tokenizer()
    fresh.initialize()
    for name in names:
        fresh.add_word(name)
    return fresh, posseg.POSTokenizer(fresh)


def _jieba_from_cache(registry: Registry) -> tuple[Any, Any]:
    segment.tokenizer_for.cache_clear()
    segment.pos_tokenizer_for.cache_clear()
    try:
        return segment.tokenizer_for(registry), segment.pos_tokenizer_for(registry)
    finally:
        segment.tokenizer_for.cache_clear()
        segment.pos_tokenizer_for.cache_clear()


def test_diskcache_the_cached_jieba_tokenizer_cuts_as_a_fresh_one(cache: Path) -> None:
    registry = load_registry()
    fresh, fresh_pos = _fresh_jieba(segment._names(registry))
    built, _ = _jieba_from_cache(registry)  # builds and writes the entry
    read, read_pos = _jieba_from_cache(registry)  # reads it back
    assert len(list(cache.glob("jieba-shards-*"))) == 1
    assert read.total == built.total == fresh.total
    assert read.lcut(_JIEBA_TEXT, HMM=False) == fresh.lcut(_JIEBA_TEXT, HMM=False)
    assert read.lcut(_JIEBA_TEXT) == fresh.lcut(_JIEBA_TEXT)
    assert [tuple(p) for p in read_pos.cut(_JIEBA_TEXT)] == [tuple(p) for p in fresh_pos.cut(_JIEBA_TEXT)]
    # after a cut the table answers as the whole one for every word that can begin in the text
    text = _JIEBA_TEXT
    pieces = {text[i:j] for i in range(len(text)) for j in range(i + 1, min(i + 8, len(text) + 1))}
    assert {p: read.FREQ.get(p) for p in pieces} == {p: fresh.FREQ.get(p) for p in pieces}
    assert {p: read_pos.word_tag_tab.get(p) for p in pieces} == {
        p: fresh_pos.word_tag_tab.get(p) for p in pieces
    }
    assert len(read.FREQ) < len(fresh.FREQ) // 4  # only the shards the text reaches were read


def test_diskcache_the_jieba_entry_follows_the_names(cache: Path, tmp_path: Path) -> None:
    """A registry with another Chinese name is another entry, whose tokenizer knows the name."""
    _jieba_from_cache(load_registry())
    folder = tmp_path / "registry"
    shutil.copytree(ontology_dir() / "registry", folder)
    with (folder / "organizations.tsv").open("a", encoding="utf-8") as table:
        table.write("TestCoQ\tCompany\tTestco Q\t芯曜湃科\t\t\t\n")
    tokenizer, _ = _jieba_from_cache(read_registry(folder))
    assert len(list(cache.glob("jieba-shards-*"))) == 2
    assert "芯曜湃科" in tokenizer.lcut("他说芯曜湃科今年发布新品", HMM=False)


def test_diskcache_a_damaged_jieba_shard_is_rebuilt(cache: Path) -> None:
    """A shard whose bytes changed fails the entry's checksum: the entry is built again."""
    registry = load_registry()
    _jieba_from_cache(registry)
    [entry] = cache.glob("jieba-shards-*")
    shards, total, crc = marshal.loads(entry.read_bytes())
    blob = bytearray(shards["京"])
    blob[len(blob) // 2] ^= 0xFF
    shards["京"] = bytes(blob)
    entry.write_bytes(marshal.dumps((shards, total, crc)))
    tokenizer, _ = _jieba_from_cache(registry)
    assert "京东" in tokenizer.lcut("京东在北京东路开店", HMM=False)
    rebuilt = marshal.loads(entry.read_bytes())
    assert segment._is_table(rebuilt) and rebuilt[0]["京"] != shards["京"]


def test_diskcache_jieba_posseg_module_still_reads_its_dictionary() -> None:
    """kg imports `jieba.posseg` without its dictionary; the module's own tokenizer reads it before
    its first cut, so that a program using `jieba.posseg.cut` beside kg gets jieba's tags."""
    code = (
        "from kg.nlp import segment; from kg.registry import load_registry; "
        "segment.pos_tokenizer_for(load_registry()).lcut('芯片'); import jieba.posseg; "
        "print(jieba.posseg.lcut('京东在北京东路开店'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == (
        "[pair('京东', 'ns'), pair('在', 'p'), pair('北京', 'ns'), pair('东路', 'ns'), pair('开店', 'n')]"
    )


def test_diskcache_jieba_is_imported_without_pkg_resources() -> None:
    """pkg_resources costs 0.1-0.3 s of a start; jieba reads the same files without it."""
    code = (
        "import sys; from kg.nlp import segment; jieba = segment._jieba(); "
        "print('pkg_resources' in sys.modules, jieba.dt.get_dict_file().read(12))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split(" ", 1)[0] == "False"
    assert "b'" in out  # the dictionary opens


def _counted_registry_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    reads: list[Path] = []
    real = registry_module.read_registry

    def counted(folder: Path) -> Registry:
        reads.append(folder)
        return real(folder)

    monkeypatch.setattr(registry_module, "read_registry", counted)
    return reads


def _load_uncached(folder: Path) -> Registry:
    """`load_registry(folder)` as a new process runs it (no registry read yet in this one)."""
    loaded: Registry = registry_module._load_registry.__wrapped__(str(folder))
    return loaded


def test_diskcache_the_registry_is_read_once_then_from_the_cache(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "registry"
    shutil.copytree(ontology_dir() / "registry", folder)
    reads = _counted_registry_reads(monkeypatch)
    first = _load_uncached(folder)
    second = _load_uncached(folder)
    assert len(reads) == 1 and len(list(cache.glob("registry-*"))) == 1
    fresh = read_registry(folder)
    for loaded in (first, second):
        assert loaded.entities == fresh.entities and list(loaded.entities) == list(fresh.entities)
        assert loaded.by_key == fresh.by_key and loaded.ambiguous == fresh.ambiguous
    assert second.lookup("英伟达") == fresh.lookup("英伟达") is not None


def test_diskcache_a_changed_registry_table_is_read_again(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "registry"
    shutil.copytree(ontology_dir() / "registry", folder)
    reads = _counted_registry_reads(monkeypatch)
    assert _load_uncached(folder).get("TestCoQ") is None
    with (folder / "organizations.tsv").open("a", encoding="utf-8") as table:
        table.write("TestCoQ\tCompany\tTestco Q\t芯曜湃科\t\t\t\n")
    changed = _load_uncached(folder)
    assert len(reads) == 2 and len(list(cache.glob("registry-*"))) == 2
    entity = changed.lookup("芯曜湃科")
    assert entity is not None and entity.id == "TestCoQ"


def test_diskcache_a_corrupt_registry_entry_is_rebuilt(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "registry"
    shutil.copytree(ontology_dir() / "registry", folder)
    _load_uncached(folder)
    [entry] = cache.glob("registry-*")
    entry.write_bytes(marshal.dumps(([("too", "short")], {}, {})))  # reads, but is no registry
    reads = _counted_registry_reads(monkeypatch)
    rebuilt = _load_uncached(folder)
    assert len(reads) == 1 and rebuilt.get("nvidia") is not None
    assert registry_module._is_data(marshal.loads(entry.read_bytes()))


def test_diskcache_a_registry_with_an_error_is_never_stored(cache: Path, tmp_path: Path) -> None:
    folder = tmp_path / "registry"
    shutil.copytree(ontology_dir() / "registry", folder)
    with (folder / "organizations.tsv").open("a", encoding="utf-8") as table:
        table.write("nvidia\tCompany\tNvidia again\t\t\t\t\n")  # an id used twice
    for _ in range(2):
        with pytest.raises(RegistryError, match="used twice"):
            _load_uncached(folder)
    assert list(cache.glob("registry-*")) == []
