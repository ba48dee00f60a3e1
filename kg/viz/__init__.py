"""An interactive, self-contained HTML view of a knowledge graph (vis-network via pyvis).

One file, no external request: a legend by class, evidence for every edge and node in a side
panel (sorted by date and confidence), filters that hide the entities they leave without relations,
search, a one- or two-hop neighbourhood on click, collapse by company, PNG/SVG export, and physics
that settles and then stops; it opens fitted to the connected core at a zoom where labels read.
See `_model` for how entities and relations are counted into nodes and edges.
"""

from __future__ import annotations

import html
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
from rdflib import DCTERMS, Dataset, Graph

from .. import native
from ..errors import InputError
from ..output import write_text_atomic
from ._model import Doc, build_view, default_language
from ._page import render_page
from ._store import trimmed


def render_html(graph: Graph | Dataset, *, lang: str | None = None, max_nodes: int = 1500) -> str:
    """The HTML page for `graph` (a Dataset's default graph is used).

    `lang` ("zh" or "en") picks node labels, by default the majority language of the documents;
    beyond `max_nodes` entities the page opens on the most connected part and says what is hidden.
    """
    if lang not in (None, "zh", "en"):
        raise InputError(f"kg viz: unknown label language {lang!r}; use 'zh' or 'en'")
    if max_nodes < 1:
        raise InputError(f"kg viz: --max-nodes must be at least 1, not {max_nodes}")
    default: Graph = getattr(graph, "default_graph", graph)
    store = native.oxigraph_of(graph) if isinstance(graph, Dataset) else None
    part = trimmed(store, max_nodes) if store is not None else None
    if store is None or part is None:
        return render_page(build_view(default, lang=lang, max_nodes=max_nodes))
    view = build_view(part.graph, lang=lang or _store_language(store), max_nodes=max_nodes)
    view = replace(view, background=part.background, whole=(part.entities, part.edges))
    return render_page(view)


def _store_language(store: ox.Store) -> str:
    """The majority document language of the whole store (as `build_view` finds it for a graph)."""
    languages = [
        Doc(id="", title="", language=q.object.value, source="", date="")
        for q in store.quads_for_pattern(None, ox.NamedNode(str(DCTERMS.language)), None, ox.DefaultGraph())
        if isinstance(q.object, ox.Literal)
    ]
    return default_language(languages)


def write_html(
    graph: Graph | Dataset, out: str | Path, *, lang: str | None = None, max_nodes: int = 1500
) -> Path:
    """Write the HTML view of `graph` to `out` (parent folders are created); returns the path."""
    out = Path(out)
    page = render_html(graph, lang=lang, max_nodes=max_nodes)
    return write_text_atomic(out, page)


def notebook_html(
    graph: Graph | Dataset, *, lang: str | None = None, max_nodes: int = 1500, height: int = 640
) -> str:
    """An `<iframe srcdoc>` snippet showing the view inline in a notebook.

    The page is attribute-escaped into `srcdoc` and sandboxed (scripts run, but with an opaque
    origin, so it cannot touch the notebook); `lang` and `max_nodes` are those of `render_html`.
    """
    page = render_html(graph, lang=lang, max_nodes=max_nodes)
    return (
        f'<iframe srcdoc="{html.escape(page, quote=True)}" '
        f'style="width:100%;height:{int(height)}px;border:1px solid #d0d5dc;border-radius:4px" '
        'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" '
        'referrerpolicy="no-referrer" title="AI-chip knowledge graph"></iframe>'
    )


__all__ = ["notebook_html", "render_html", "write_html"]
