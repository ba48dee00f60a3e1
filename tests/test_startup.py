"""Start-up: the collector kept out of the way of what a run builds once, and only what a run needs built."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

from kg import startup

ROOT = Path(__file__).resolve().parents[1]


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return done.stdout.strip()


def test_startup_building_pauses_the_collector_and_freezes_nothing_outside_a_command() -> None:
    frozen = gc.get_freeze_count()
    assert gc.isenabled()
    with startup.building():
        assert not gc.isenabled()
    assert gc.isenabled() and gc.get_freeze_count() == frozen
    gc.disable()
    try:
        with startup.building():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()


def test_startup_a_command_freezes_what_its_building_makes_and_only_during_it() -> None:
    out = _run(
        "import gc; from kg import startup\n"
        "with startup.command():\n"
        "    with startup.building():\n"
        "        tables = [[i] for i in range(10000)]\n"
        "    inside = gc.get_freeze_count()\n"
        "with startup.building():\n"
        "    more = [[i] for i in range(10000)]\n"
        "print(inside >= 10000, gc.get_freeze_count() <= inside)  # (a few frozen ones freed since)"
    )
    assert out == "True True"


def test_startup_extracting_chinese_builds_only_the_chinese_pipeline(tmp_path: Path) -> None:
    text = tmp_path / "zh.txt"
    text.write_text("英伟达发布了新的芯片。台积电为其代工。\n", encoding="utf-8")
    out = _run(
        "import sys; from kg.cli import main; from kg.nlp import pipeline_for\n"
        f"code = main(['extract', {str(text)!r}, '-o', {str(tmp_path / 'g.ttl')!r}])\n"
        "print(code, pipeline_for.cache_info().currsize, pipeline_for.cache_info().misses)"
    )
    assert out.splitlines()[-1] == "0 1 1"
