"""The command line: every command works, fails clearly, and is documented in the README."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, Dataset, Graph

from kg.cli import build_parser, main
from kg.vocab import CHIP

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def commands_and_options() -> list[tuple[str, str]]:
    found = []

    def walk(parser: argparse.ArgumentParser, prefix: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    found.append((f"{prefix} {name}".strip(), ""))
                    walk(sub, f"{prefix} {name}".strip())
            elif action.option_strings and action.dest != "help":
                found.append((prefix, max(action.option_strings, key=len)))

    walk(build_parser(), "")
    return found


@pytest.mark.parametrize(("command", "option"), commands_and_options())
def test_cli_every_command_and_option_is_in_the_readme(command: str, option: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"kg {command}" in readme, f"`kg {command}` is not documented in README.md"
    if option:
        assert option in readme, f"`kg {command} {option}` is not documented in README.md"


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".nq", ".trig", ".jsonld"])
def test_cli_extract_writes_every_format(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"seed{suffix}"
    assert main(["extract", str(SEEDS), "-o", str(out)]) == 0
    graph = Dataset() if suffix in (".nq", ".trig") else Graph()
    graph.parse(out)
    assert len(graph) > 100


def test_cli_extract_unknown_format_is_a_failed_job(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["extract", str(SEEDS), "-o", str(tmp_path / "out.xyz")]) == 1
    err = capsys.readouterr().err
    assert "out.xyz" in err and ".ttl" in err and "Traceback" not in err


def test_cli_bad_input_keeps_the_existing_graph(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "graph.ttl"
    assert main(["extract", str(SEEDS), "-o", str(out)]) == 0
    before = out.read_bytes()
    bad = tmp_path / "gbk.txt"
    bad.write_bytes("台积电".encode("gb18030"))
    assert main(["extract", str(bad), "-o", str(out), "--force"]) == 1
    assert "gbk.txt" in capsys.readouterr().err
    assert out.read_bytes() == before


def test_cli_usage_error_exits_2() -> None:
    done = subprocess.run([sys.executable, "-m", "kg", "extract"], capture_output=True, text=True)
    assert done.returncode == 2
    assert "usage:" in done.stderr


def test_cli_validate_exit_codes(tmp_path: Path) -> None:
    good = tmp_path / "good.ttl"
    assert main(["extract", str(SEEDS), "-o", str(good)]) == 0
    assert main(["validate", str(good)]) == 0
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix chip: <https://w3id.org/aichip-kg/ontology#> .\n"
        "<https://w3id.org/aichip-kg/id/x> a chip:Company .\n",
        encoding="utf-8",
    )
    assert main(["validate", str(bad)]) == 1


def test_cli_registry_stats_reports_counts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["registry", "stats"]) == 0
    out = capsys.readouterr().out
    counts = dict(re.findall(r"^\s*(\S[^\d]*?)\s+(\d+)$", out, re.MULTILINE))
    assert int(counts["organizations (all)"]) >= 150 and int(counts["Chip"]) >= 250


def test_cli_registry_export_round_trips(tmp_path: Path) -> None:
    out = tmp_path / "registry.trig"
    assert main(["registry", "export", "-o", str(out)]) == 0
    dataset = Dataset()
    dataset.parse(out)
    assert len(dataset) > 1000


def test_cli_min_confidence_leaves_out_weaker_claims(tmp_path: Path) -> None:
    text = tmp_path / "note.en.txt"
    text.write_text(
        "Lumora Systems Inc. relies on Nvidia. Lumora Systems Inc. is backed by Nvidia.\n", encoding="utf-8"
    )
    all_claims, strong = tmp_path / "all.ttl", tmp_path / "strong.ttl"
    assert main(["extract", str(text), "-o", str(all_claims)]) == 0
    assert main(["extract", str(text), "-o", str(strong), "--min-confidence", "0.99"]) == 0

    def claims(path: Path) -> int:
        return len(set(Graph().parse(path).subjects(RDF.type, CHIP.Claim)))

    assert claims(all_claims) >= 2
    assert claims(strong) == 0


@pytest.mark.parametrize("value", ["1.5", "-0.1", "high"])
def test_cli_min_confidence_refuses_bad_values(
    value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "note.en.txt"
    text.write_text("Lumora Systems Inc. relies on Nvidia.\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["extract", str(text), "-o", str(tmp_path / "g.ttl"), "--min-confidence", value])
    assert exit_info.value.code == 2
    assert "confidence from 0 to 1" in capsys.readouterr().err


def test_cli_version_prints_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    import kg

    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"kg {kg.__version__}"
    assert kg.__version__ != "0.0.0"
