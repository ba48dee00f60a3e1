"""Every NLP data file loads through one loader: a broken file names its path, line and what to fix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kg.errors import RegistryError
from kg.nlp.anaphora import load_anaphora
from kg.nlp.discovery_rules import load_rules
from kg.nlp.frames import load_frames
from kg.nlp.modality import load_cues
from kg.nlp.patterns import load_patterns
from kg.nlp.quantities import load_quantity_words
from kg.nlp.times import load_time_cues

LOADERS: dict[str, Callable[[str], Any]] = {
    "relations.toml": lambda p: load_patterns(p),
    "frames.toml": lambda p: load_frames(p),
    "anaphora.toml": lambda p: load_anaphora(p),
    "discovery.toml": lambda p: load_rules(p),
    "modality.toml": lambda p: load_cues.__wrapped__("zh", p),
    "time.toml": lambda p: load_time_cues.__wrapped__("zh", p),
    "quantities.toml": lambda p: load_quantity_words.__wrapped__("zh", p),
}


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_datafiles_a_syntax_error_names_file_and_line(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text('# a comment\n[zh]\nkey = "unclosed\n', encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        LOADERS[name](str(path))
    assert f"{path}:3: not valid TOML" in str(err.value)


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_datafiles_a_file_not_in_utf8_names_its_line(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes("# ok\n# 注释\n".encode() + "[zh]\nx = '英伟达'\n".encode("gb18030"))
    with pytest.raises(RegistryError) as err:
        LOADERS[name](str(path))
    assert f"{path}:4: not UTF-8" in str(err.value)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("modality.toml", "[en]\nplanned = []\n", "missing `zh`"),
        ("time.toml", "[en]\n", "missing `zh`"),
        ("quantities.toml", "[en]\n", "missing `zh`"),
        ("discovery.toml", "[macro]\n", "missing `model`"),
        (
            "relations.toml",
            '[slots]\n[lists]\nseparator = ","\n[words]\n\n[[pattern]]\nid = "x"\n',
            ":6: pattern x: missing pattern, emit",
        ),
    ],
)
def test_datafiles_a_missing_part_is_named(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        LOADERS[name](str(path))
    assert message in str(err.value)
    assert str(path) in str(err.value)
