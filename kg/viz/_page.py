"""Turn a `View` into one self-contained HTML page: pyvis builds the nodes and edges, our own
template carries them, and vis-network's JavaScript is inlined from pyvis's installed copy.

The page makes no request of its own: no CDN, no web font, no image. Data travels as JSON in a
non-executed `<script type="application/json">` block with `<`, `>`, `&`, U+2028 and U+2029
escaped, and a Content-Security-Policy allows only the page's own scripts (by hash).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from functools import cache
from importlib import resources
from typing import Any

from ..errors import KGError
from ._layout import radial_positions
from ._model import OPEN_END, OPEN_START, Claim, Edge, Entity, View, local_name

FONT = '"WenQuanYi Zen Hei", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", system-ui, sans-serif'
BIG = 400
"""Beyond this many drawn nodes the page trades looks for speed (no edge labels, coarser physics)."""
SEEDED = 100
"""Beyond this many drawn nodes, positions start from a radial tree (`_layout`), not at random."""
LABELLED = 40
"""Up to `ALL_LABELLED` drawn nodes every label shows at the opening zoom; beyond, only the `LABELLED`
most important ones (degree, then number of sources) until the reader zooms in."""
ALL_LABELLED = 80
COLLAPSE = 1000
"""Beyond this many drawn nodes the page opens with each company's leaves collapsed into it."""

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_SLOT = re.compile(r"\{\{([A-Z_]+)\}\}")


def render_page(view: View) -> str:
    """The whole HTML document for `view`."""
    payload = build_payload(view)
    scripts = [vis_network_js(), _asset("app.js")]
    hashes = " ".join(f"'sha256-{_sha256(s)}'" for s in scripts)
    csp = (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
        "font-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'"
    )
    slots = {
        "CSP": html.escape(csp, quote=True),
        "LANG": "zh-Hans" if view.lang == "zh" else "en",
        "TITLE": html.escape(f"AI-chip graph · {len(view.entities)} entities, {len(view.edges)} relations"),
        "STYLE": _asset("app.css"),
        "DATA": json_for_script(payload),
        "VIS_JS": scripts[0],
        "APP_JS": scripts[1],
    }
    # One pass over the template only, so text inside a filled slot is never read as a slot.
    return _SLOT.sub(lambda m: slots[m.group(1)], _asset("template.html"))


def json_for_script(value: Any) -> str:
    """JSON that is safe inside a `<script>` element: no `</script>`, `<!--` or line separators."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group(0)], text)


def build_payload(view: View) -> dict[str, Any]:
    """The JSON the page's script reads: vis nodes and edges (built with pyvis), plus metadata."""
    from pyvis.network import Network  # heavy (pulls in IPython); only needed here

    style = page_style()
    big = len(view.core) > BIG
    start = radial_positions(view.entities, view.edges, view.core) if len(view.core) > SEEDED else {}
    important = _important(view)
    net = Network(directed=True, cdn_resources="in_line")
    for entity in view.entities.values():
        look = style["classes"].get(entity.cls, style["classes"]["Other"])
        x, y = start.get(entity.id, (None, None))
        net.add_node(
            entity.id,
            label=entity.label_zh if view.lang == "zh" else entity.label_en,
            shape=look["shape"],
            color=_node_color(look["color"]),
            value=entity.degree + len(entity.docs) + 1,
            title=f"{entity.label_en} · {entity.cls}",
            cls=entity.cls,
            labelEn=entity.label_en,
            labelZh=entity.label_zh,
            core=entity.id in view.core,
            important=entity.id in important,
            **({"x": x, "y": y} if x is not None else {}),
        )
    parallel = _parallel_rank(view.edges)
    for edge in view.edges:
        options = _edge_options(edge, style, view.lang, parallel[edge.id], big)
        net.add_edge(edge.source, edge.target, **options)
    return {
        "lang": view.lang,
        "nodes": net.nodes,
        "edges": net.edges,
        "entities": {e.id: _entity_meta(e) for e in view.entities.values()},
        "claims": {e.id: [_claim_meta(c) for c in e.claims] for e in view.edges},
        "docs": {
            d.id: {"title": d.title, "language": d.language, "source": d.source, "date": d.date}
            for d in sorted(view.docs.values(), key=lambda d: (d.date, d.title))
        },
        "style": style,
        "totals": {
            "entities": view.whole[0] if view.whole else len(view.entities),
            "edges": view.whole[1] if view.whole else len(view.edges),
            "background": view.background,
            **({"embedded": len(view.entities)} if view.whole else {}),
        },
        "timeRange": time_range(view),
        "options": vis_options(len(view.core), big),
        "big": big,
        "collapse": len(view.core) > COLLAPSE,
    }


def _important(view: View) -> set[str]:
    """The nodes labelled at the opening zoom: all of a small view, else the best connected of the core
    (degree, then the number of documents mentioning them)."""
    if len(view.core) <= ALL_LABELLED:
        return set(view.core)
    ranked = sorted(view.core, key=lambda i: (-view.entities[i].degree, -len(view.entities[i].docs), i))
    return set(ranked[:LABELLED])


def vis_options(n_nodes: int, big: bool) -> dict[str, Any]:
    """vis-network options: barnesHut physics that stabilizes before the first paint, then stops."""
    return {
        "autoResize": True,
        "nodes": {
            "font": {
                "face": FONT,
                "size": 14,
                "color": "#1d232b",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
            "borderWidth": 1.5,
            "scaling": {
                "min": 10,
                "max": 34,
                "label": {"enabled": True, "min": 14, "max": 24, "drawThreshold": 6},
            },
        },
        "edges": {
            "font": {
                "face": FONT,
                "size": 12,
                "color": "#475060",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
                "align": "horizontal",
            },
            "smooth": False,
            "selectionWidth": 2.5,
            "hoverWidth": 1.5,
            "arrowStrikethrough": False,
        },
        "physics": {
            "enabled": True,
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -6000 if big else -9000,
                "centralGravity": 0.25,
                "springLength": 90 if big else 150,
                "springConstant": 0.04,
                "damping": 0.5,
                "avoidOverlap": 0 if big else 0.1,
                # A coarser Barnes-Hut approximation halves the cost of a step on big graphs.
                "theta": 1.0 if big else 0.8,
            },
            "maxVelocity": 60,
            "minVelocity": 1.5 if big else 0.75,
            "timestep": 0.6,
            "stabilization": {
                "enabled": True,
                "iterations": _iterations(n_nodes),
                "updateInterval": 100,
                "fit": False,  # the page fits the connected core itself (app.js: openingView)
            },
        },
        "layout": {"improvedLayout": n_nodes <= 100, "randomSeed": 7},
        "interaction": {
            "hover": True,
            "tooltipDelay": 250,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "navigationButtons": False,
            "keyboard": False,
            "multiselect": False,
        },
    }


@cache
def page_style() -> dict[str, Any]:
    """Colours, shapes and bilingual names of classes, relations and modalities (style.json)."""
    data: dict[str, Any] = json.loads(_asset("style.json"))
    return data


@cache
def vis_network_js() -> str:
    """vis-network's standalone build, read from the pyvis package (never fetched, never copied)."""
    try:
        lib = resources.files("pyvis") / "lib"
        versions = sorted(
            (p for p in lib.iterdir() if p.name.startswith("vis-")),
            key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.name)),
        )
        text = (versions[-1] / "vis-network.min.js").read_text(encoding="utf-8")
    except (ModuleNotFoundError, IndexError, OSError) as exc:
        raise KGError(
            f"kg viz: vis-network not found in the pyvis package ({exc}); reinstall pyvis>=0.3.2"
        ) from exc
    # A literal `</script` would close our inline element early; `<\/` means the same in JavaScript.
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)


def _asset(name: str) -> str:
    return (resources.files("kg.viz") / name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _iterations(n_nodes: int) -> int:
    # A step costs O(n log n); big graphs start from a radial layout, so they need fewer steps.
    for limit, steps in ((SEEDED, 400), (BIG, 200), (800, 120)):
        if n_nodes <= limit:
            return steps
    return 60


def _node_color(hex_color: str) -> dict[str, Any]:
    return {
        "background": hex_color,
        "border": "#ffffff",
        "highlight": {"background": hex_color, "border": "#111111"},
        "hover": {"background": hex_color, "border": "#111111"},
    }


def _relation_name(relation: str, lang: str, style: dict[str, Any]) -> str:
    names = style["relations"].get(relation)
    if names:
        return str(names[lang])
    return re.sub(r"(?<!^)(?=[A-Z])", " ", relation).lower()


def _edge_options(edge: Edge, style: dict[str, Any], lang: str, rank: int, big: bool) -> dict[str, Any]:
    look = style["edges"][edge.style]
    name = _relation_name(edge.relation, lang, style)
    label = ("✕ " + name) if edge.style == "negated" else name
    options: dict[str, Any] = {
        "id": edge.id,
        "label": "" if big else label,
        "title": f"{_relation_name(edge.relation, 'en', style)} · {edge.modality.lower()}"
        + (f" · confidence {edge.confidence:.2f}" if edge.confidence is not None else "")
        + (" · also denied by a claim" if edge.contested else "")
        + _edge_times(edge),
        # on a big graph the edges recede so that the labelled entities stand out
        "color": {
            "color": look["color"],
            "highlight": "#111111",
            "hover": "#111111",
            "opacity": 0.4 if big else 0.9,
        },
        "dashes": look["dashes"],
        "width": 2.5 if edge.style == "negated" else 1.5,
        "arrows": {
            "to": {"enabled": not edge.symmetric, "scaleFactor": 0.6},
            "middle": {"enabled": edge.style == "negated", "type": "bar", "scaleFactor": 0.8},
        },
        "rel": edge.relation,
        "style": edge.style,
        "modality": edge.modality,
        "conf": edge.confidence,
        "docs": edge.docs,
        "spans": [list(span) for span in edge.spans],
        "undated": edge.undated,
    }
    if rank:
        # Several relations between the same two entities: bend them apart instead of overlapping.
        options["smooth"] = {
            "enabled": True,
            "type": "curvedCW" if rank % 2 else "curvedCCW",
            "roundness": 0.18 * ((rank + 1) // 2),
        }
    return options


def _parallel_rank(edges: list[Edge]) -> dict[str, int]:
    """0 for the first edge between a pair of entities, 1, 2, ... for the next ones."""
    seen: dict[frozenset[str], int] = {}
    ranks = {}
    for edge in edges:
        pair = frozenset((edge.source, edge.target))
        ranks[edge.id] = seen.get(pair, 0)
        seen[pair] = ranks[edge.id] + 1
    return ranks


def _entity_meta(entity: Entity) -> dict[str, Any]:
    return {
        "pref": entity.pref_label,
        "cls": entity.cls,
        "aliases": [{"text": t, "lang": lg} for t, lg in entity.aliases],
        "wikidata": entity.wikidata,
        "docs": entity.docs,
        "degree": entity.degree,
        "key": local_name(entity.id),
    }


def _claim_meta(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.id,
        "doc": claim.doc,
        "evidence": claim.evidence,
        "start": claim.start,
        "end": claim.end,
        "confidence": claim.confidence,
        "modality": claim.modality,
        "extractedBy": claim.extracted_by,
        "date": claim.date[:10],
        "time": claim.time,
    }


def _edge_times(edge: Edge) -> str:
    """The tooltip's dates: when the claims were said, and the times they are about."""
    said = sorted({c.date[:10] for c in edge.claims if c.date})
    about = sorted({c.time for c in edge.claims if c.time})
    text = ""
    if said:
        text += " · said " + (said[0] if len(said) == 1 else f"{said[0]} – {said[-1]}")
    if about:
        text += " · about " + ", ".join(about[:3]) + (" …" if len(about) > 3 else "")
    return text


def time_range(view: View) -> list[str]:
    """The earliest and latest day any claim is dated or about (open ends left out); [] if none."""
    days = [d for e in view.edges for span in e.spans for d in span if d not in (OPEN_START, OPEN_END)]
    return [min(days), max(days)] if days else []
