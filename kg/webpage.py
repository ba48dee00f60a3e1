"""The query page of `kg serve` (`/`): an editor, the saved questions as forms, results as a table.

Server-rendered HTML with inline CSS and no script, so it works offline and needs no CDN: forms submit
to `/sparql` and `/saved/NAME` with `format=html`, and the answer comes back as this same page with a
table (labels shown, IRIs linked to what the graph says about them) or one line saying what went wrong.
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

import pandas as pd

from .query import SavedQuery
from .tables import IRI_SUFFIX, cell_value

EXAMPLE = "SELECT ?foundry ?company WHERE { ?foundry chip:fabricatesFor ?company } LIMIT 100"

_CSS = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 1.5em auto; max-width: 72em; padding: 0 1em; color: #222 }
textarea { width: 100%; font: 14px/1.4 ui-monospace, monospace; box-sizing: border-box }
table { border-collapse: collapse; margin: 1em 0 } td, th { border: 1px solid #ccc; padding: .2em .5em; vertical-align: top }
th { background: #f3f3f3; text-align: left } .error { color: #a00; font-weight: 600 } .note { color: #666 }
details { margin: .3em 0 } form.saved { margin: .2em 0 .6em 1em } input { margin-right: .4em }
nav a { margin-right: 1em }
"""


def about_link(iri: str) -> str:
    """Where a link on an IRI goes: a table of what the graph says about it."""
    text = f"SELECT ?property ?value WHERE {{ <{iri}> ?property ?value }} ORDER BY ?property"
    return "/sparql?" + urlencode({"query": text, "format": "html"})


def table(frame: pd.DataFrame, *, limit: int) -> str:
    """A DataFrame from `kg.query.run` as an HTML table: label columns link to their `<name>_iri`."""
    shown = [
        c for c in frame.columns if not (str(c).endswith(IRI_SUFFIX) and str(c)[: -len(IRI_SUFFIX)] in frame)
    ]
    head = "".join(f"<th>{escape(str(c))}</th>" for c in shown)
    body = []
    for record in frame.head(limit).to_dict(orient="records"):
        cells = []
        for column in shown:
            value = cell_value(record[column])
            iri = cell_value(record.get(f"{column}{IRI_SUFFIX}"))
            text = "" if value is None else escape(str(value))
            if iri is not None:
                text = f'<a href="{escape(about_link(str(iri)))}" title="{escape(str(iri))}">{text}</a>'
            cells.append(f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    if len(frame) > limit:  # the endpoint reads one row past its limit, no further
        note = f'<p class="note">more than {limit} rows; the first {limit} shown (the endpoint\'s result limit)</p>'
    else:
        note = f'<p class="note">{len(frame)} rows</p>'
    return f"<table><tr>{head}</tr>{''.join(body)}</table>{note}"


def page(
    saved: list[SavedQuery],
    *,
    title: str,
    query: str = EXAMPLE,
    result: str = "",
    error: str | None = None,
) -> str:
    """The whole page; `result` is HTML from `table`, `error` one line of text."""
    forms = []
    for question in saved:
        inputs = "".join(
            f'<label>{escape(name)} <input name="{escape(name)}" placeholder="{escape(default or "all")}"></label>'
            for name, default in question.params.items()
        )
        forms.append(
            f"<details><summary><b>{escape(question.name)}</b>: {escape(question.description)}</summary>"
            f'<form class="saved" action="/saved/{escape(question.name)}" method="get">'
            f'<input type="hidden" name="format" value="html">{inputs}<button type="submit">Ask</button>'
            f' <a href="/saved/{escape(question.name)}?format=csv">CSV</a>'
            f' <a href="/saved/{escape(question.name)}?format=json">JSON</a></form></details>'
        )
    shown = f'<p class="error">{escape(error)}</p>' if error else result
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>aichip-kg · {escape(title)}</title><style>{_CSS}</style></head>
<body>
<h1>aichip-kg SPARQL endpoint</h1>
<nav><a href="/graph">graph view</a><a href="/saved">saved questions (JSON)</a><a href="/saved?format=csv">(CSV)</a>
<span class="note">{escape(title)}</span></nav>
<p>Read-only SPARQL 1.1 at <code>/sparql</code> (GET or POST). Prefixes chip:, kg:, skos:, rdfs:, owl:,
prov:, dcterms:, xsd: need no declaration.</p>
<form action="/sparql" method="get">
<textarea name="query" rows="8" spellcheck="false">{escape(query)}</textarea>
<input type="hidden" name="format" value="html"><button type="submit">Run</button>
</form>
<section id="result">{shown}</section>
<h2>Saved questions</h2>
{"".join(forms)}
</body></html>
"""


__all__ = ["EXAMPLE", "about_link", "page", "table"]
