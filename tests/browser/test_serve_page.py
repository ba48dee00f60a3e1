"""The endpoint's query page in headless Chromium: ask a saved question, read the table, open the view."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from kg import pipeline, serve
from kg.store import Store

pytestmark = pytest.mark.browser
TEXT = (
    "TSMC makes chips for OpenAI.\nNVIDIA develops the H100 chip.\nTSMC manufactures the H100 for NVIDIA.\n"
)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("page")
    (folder / "news.txt").write_text(TEXT, encoding="utf-8")
    with Store.open(folder / "store") as store:
        pipeline.ingest(store, [folder / "news.txt"])
    endpoint = serve.Endpoint(folder / "store")
    server = serve.make_server(endpoint, "127.0.0.1", 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}"
    server.shutdown()
    server.server_close()
    thread.join(20)
    endpoint.close()


def test_serve_page_runs_a_saved_question_and_opens_the_graph_view(browser: Browser, base: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(f"{base}/")
        page.click("summary:has-text('fabricators')")
        page.fill("form[action='/saved/fabricators'] input[name='company']", "NVIDIA")
        page.click("form[action='/saved/fabricators'] button")
        page.wait_for_selector("#result table")
        cells = page.locator("#result table td").all_inner_texts()
        assert "TSMC" in cells and "NVIDIA" in cells
        page.click("#result table td a:text-is('TSMC')")  # what the graph says about TSMC
        page.wait_for_selector("#result table")
        assert "prefLabel" in " ".join(page.locator("#result table td").all_inner_texts())
        page.click("nav a:text-is('graph view')")
        page.wait_for_load_state()
        assert page.url == f"{base}/graph"
        assert page.locator("body").inner_text()
        assert all(r.startswith(base) for r in requests), [r for r in requests if not r.startswith(base)]
    finally:
        context.close()
