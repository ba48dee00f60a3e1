"""The discovery rules' regexes, built from the compiled programs kept on disk (`kg.diskcache`)."""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.errors import RegistryError
from kg.nlp import discovery_rules
from kg.nlp.discovery_rules import Rules, load_rules
from kg.resources import ontology_dir


def _regexes(rules: Rules) -> list[re.Pattern[str]]:
    """Every regex of the rules, in a fixed order."""
    out = [rule.regex for rule in rules.rules]
    out += [regex for rule in rules.lists for regex in (rule.whole, rule.separator, rule.item)]
    out += [rules.after_family, rules.after_designer, rules.list_continuation, rules.not_model]
    out += [rules.modifier_after, *rules.head_regex.values()]
    return out


def _fresh(path: str = "") -> Rules:
    """The rules loaded anew (not the ones this process already holds)."""
    loaded: Rules = load_rules.__wrapped__(path)  # type: ignore[attr-defined]
    return loaded


def _compiling(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sources compiled from now on (a regex built from a kept program is not compiled)."""
    compiled: list[str] = []
    program = discovery_rules.program

    def counting(source: str) -> object:
        compiled.append(source)
        return program(source)

    monkeypatch.setattr(discovery_rules, "program", counting)
    return compiled


def test_discovery_cache_a_second_load_compiles_nothing_and_equals_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    compiled = _compiling(monkeypatch)
    first = _regexes(_fresh())
    assert len(compiled) == len({r.pattern for r in first}) > 50
    assert [p.name[:18] for p in (tmp_path / "cache").iterdir()] == ["discovery-regexes-"]
    compiled.clear()
    second = _regexes(_fresh())
    assert compiled == []
    # the same regex (`==` compares source, flags and code) as `re.compile` makes
    assert second == first == [re.compile(r.pattern) for r in first]
    assert second == _regexes(load_rules())


@pytest.mark.parametrize("junk", [[1, 2], {"(?!)": "not a program"}, {"(?!)": (0, b"\x00", 0, {}, ())}])
def test_discovery_cache_a_foreign_or_damaged_entry_gives_the_same_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, junk: object
) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    built = _regexes(_fresh())
    (entry,) = (tmp_path / "cache").iterdir()
    entry.write_bytes(marshal.dumps(junk))
    assert _regexes(_fresh()) == built


def test_discovery_cache_a_bad_regex_is_named_though_the_shipped_rules_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    _fresh()
    shipped = (ontology_dir() / "patterns" / "discovery.toml").read_text(encoding="utf-8")
    first = re.search(r'^id = "([^"]+)"\n(?:[^\[]*\n)?regex = ', shipped, re.MULTILINE)
    assert first is not None
    bad = tmp_path / "discovery.toml"
    bad.write_text(shipped.replace("regex = '", "regex = '(", 1), encoding="utf-8")
    with pytest.raises(RegistryError, match=rf"discovery\.toml: {re.escape(first.group(1))}: bad regex"):
        _fresh(str(bad))
    assert len(list((tmp_path / "cache").iterdir())) == 1  # a file that fails keeps nothing


def test_discovery_cache_the_sources_are_the_same_in_every_process() -> None:
    """The word lists' alternations are written in a fixed order, whatever the string hashing of
    the process: otherwise every start would miss the entries kept on disk."""
    script = (
        "import hashlib; from kg.nlp.discovery_rules import load_rules; r = load_rules(); "
        "print(hashlib.sha256(repr([x.regex.pattern for x in r.rules]"
        " + [x.pattern for x in r.head_regex.values()]).encode()).hexdigest())"
    )
    digests = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        digests.add(done.stdout.strip())
    rules = load_rules()
    here = repr([x.regex.pattern for x in rules.rules] + [x.pattern for x in rules.head_regex.values()])
    assert digests == {hashlib.sha256(here.encode()).hexdigest()}
