"""A query too deep or too long is refused before any parser reads it: a clear error from `kg query`,
400 from `kg serve`, never a crashed process (both run as real subprocesses)."""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from kg import query
from kg.errors import QueryError

GRAPH = Path(__file__).parent / "fixtures" / "query_seed.ttl"
DEEP = "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"  # about 10 KB


def test_query_bounds_refuse_deep_and_long_text() -> None:
    with pytest.raises(QueryError, match="nested deeper than 64 levels at line 1"):
        query.bound_size(DEEP)
    with pytest.raises(QueryError, match="at most 100,000 are read"):
        query.bound_size("SELECT * WHERE { ?s ?p ?o }" + " " * 100_000)
    query.bound_size(
        'SELECT * WHERE { ?s ?p "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((" }'
    )
    for saved in query.saved_queries():
        query.bound_size(saved.text)


def test_query_bounds_kg_query_says_so_and_does_not_crash() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kg", "query", DEEP, "--graph", str(GRAPH)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode in (1, 2), done.returncode  # never -11 (SIGSEGV)
    assert "nested deeper than 64 levels" in done.stderr and "Traceback" not in done.stderr


def test_query_bounds_kg_serve_answers_400_and_keeps_serving() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", str(GRAPH), "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        found = re.search(r"(http://[\d.]+:\d+)/sparql", process.stderr.readline())
        assert found, "kg serve did not start"
        for route in ("/sparql?", "/sparql?format=html&"):
            url = found[1] + route + urllib.parse.urlencode({"query": DEEP})
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(url, timeout=60)
            assert refused.value.code == 400
            assert b"nested deeper than 64 levels" in refused.value.read()
            refused.value.close()
        ok = found[1] + "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
        with urllib.request.urlopen(ok, timeout=60) as response:
            assert response.status == 200
        assert process.poll() is None
    finally:
        process.terminate()
        process.wait(30)
        if process.stderr is not None:
            process.stderr.close()
