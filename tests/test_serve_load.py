"""`kg serve` under a crowd and with bad options: every request gets an answer, every mistake a line."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from kg.accesslog import AccessLog
from kg.cli import main

ROOT = Path(__file__).parents[1]
SEED = ROOT / "tests" / "fixtures" / "query_seed.ttl"
TIMEOUT = 60


class BlockedStream:
    """A stderr whose reader has stopped reading: every write waits until `reading` is set."""

    def __init__(self) -> None:
        self.reading = threading.Event()
        self.lines: list[str] = []

    def write(self, text: str) -> int:
        self.reading.wait()
        self.lines.append(text)
        return len(text)

    def flush(self) -> None:
        pass


def test_serve_load_access_log_never_blocks_a_request(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = BlockedStream()
    monkeypatch.setattr(sys, "stderr", stream)
    log = AccessLog(size=5)
    for i in range(40):  # returns although nobody reads: lines past the 5 waiting ones are dropped
        log.write(f"request {i}\n")
    assert log.dropped >= 40 - 5 - 1
    stream.reading.set()
    waited = threading.Event()

    def wait_for(text: str) -> None:
        for _ in range(400):  # the writer thread catches up once stderr is read
            if any(text in line for line in stream.lines):
                return
            waited.wait(0.05)

    wait_for("request 4")
    log.write("after\n")
    wait_for("after")
    text = "".join(stream.lines)
    assert "request 0" in text and "after" in text
    assert re.search(r"\(\d+ log lines dropped while stderr was not read\)", text)


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--port", "99999"], "a TCP port from 0 to 65535"),
        (["--port", "-1"], "a TCP port from 0 to 65535"),
        (["--port", "http"], "a TCP port from 0 to 65535"),
        (["--workers", "0"], "at least 1"),
        (["--timeout", "-3"], "above 0"),
        (["--limit", "many"], "at least 1"),
    ],
)
def test_serve_load_bad_options_are_one_line_usage_errors(
    option: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["serve", str(SEED), *option])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_serve_load_an_unknown_host_names_the_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", str(SEED), "--host", "no-such-host.invalid", "--port", "0", "--in-process"]) == 1
    assert "cannot listen on no-such-host.invalid:0" in capsys.readouterr().err


@pytest.mark.slow
def test_serve_load_500_clients_each_get_an_answer() -> None:
    # the server's stderr is a pipe nobody reads, as under a supervisor: the access log must not stall it
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", str(SEED), "--port", "0", "--timeout", "20"],
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        found = re.search(r"(http://[\d.]+:\d+)/sparql", line)
        assert found, line
        url = f"{found[1]}/sparql?{urllib.parse.urlencode({'query': 'ASK { ?s ?p ?o }'})}"
        statuses: Counter[str] = Counter()
        lock = threading.Lock()

        def client() -> None:
            for _ in range(2):
                try:
                    with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
                        response.read()
                        status = str(response.status)
                except urllib.error.HTTPError as error:
                    with error:
                        status = str(error.code)
                except OSError as error:
                    status = type(error).__name__
                with lock:
                    statuses[status] += 1

        threads = [threading.Thread(target=client) for _ in range(500)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert set(statuses) <= {"200", "503"} and sum(statuses.values()) == 1000, statuses
    finally:
        process.terminate()
        process.wait(TIMEOUT)
        if process.stderr is not None:
            process.stderr.close()
