"""The `kg` command line: a thin layer over the library.

Exit codes: 0 success, 1 a failed job (KGError), 2 bad usage or a malformed query.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .errors import KGError

Handler = Callable[[argparse.Namespace], int]


def _confidence(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number: give a confidence from 0 to 1") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{value} is outside 0..1: give a confidence from 0 to 1")
    return value


def _extract(args: argparse.Namespace) -> int:
    from . import pipeline, rdfio

    dataset, report = pipeline.build(args.inputs, args.min_confidence)
    rdfio.save(dataset, args.output)
    print(report.summary(args.output), file=sys.stderr)
    return 0


def _validate(args: argparse.Namespace) -> int:
    from . import rdfio, validate

    result = validate.validate(rdfio.load(args.graph).default_graph)
    print(result.report(args.graph))
    return 0 if result.conforms else 1


def _viz(args: argparse.Namespace) -> int:
    from . import rdfio, viz

    out = viz.write_html(rdfio.load(args.graph), args.output, lang=args.lang, max_nodes=args.max_nodes)
    print(f"wrote {out}", file=sys.stderr)
    return 0


def _query(args: argparse.Namespace) -> int:
    from . import query, rdfio

    params = dict(_split_param(p) for p in args.param)
    frame = query.run(rdfio.load(args.graph, store="Oxigraph"), args.query, params)
    print(query.format_frame(frame, args.format))
    return 0


def _queries(args: argparse.Namespace) -> int:
    from . import query

    for saved in query.saved_queries():
        print(f"{saved.name:<20} {saved.description}")
        for line in query.usage(saved).splitlines():
            print(f"{'':<22}{line}")
    print("\nA parameter left out answers for everyone; `kg query NAME --param NAME=VALUE` narrows it.")
    return 0


def _export(args: argparse.Namespace) -> int:
    from . import graph, netexport

    for path in netexport.export(graph.load(args.graph), args.output):
        print(f"wrote {path}", file=sys.stderr)
    return 0


def _serve(args: argparse.Namespace) -> int:
    from . import serve

    serve.serve(args.graph, host=args.host, port=args.port)
    return 0


def _registry_stats(args: argparse.Namespace) -> int:
    from . import registry

    print(registry.load_registry().stats_table())
    return 0


def _registry_export(args: argparse.Namespace) -> int:
    from . import rdfio, registry

    rdfio.save(registry.load_registry().to_dataset(), args.output)
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


def _split_param(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"--param {text!r}: write it as NAME=VALUE")
    return name, value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; every command and option is declared here once, with its help."""
    parser = argparse.ArgumentParser(
        prog="kg", description="Build, validate, explore and query the AI-chip market knowledge graph."
    )
    from . import __version__

    parser.add_argument(
        "--version", action="version", version=f"kg {__version__}", help="print the version and exit"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, handler: Handler, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(handler=handler)
        return p

    p = command(
        "extract", _extract, "Extract a knowledge graph from Chinese or English text files or folders."
    )
    p.add_argument(
        "inputs", nargs="+", type=Path, metavar="INPUT", help="UTF-8 text files or folders of them"
    )
    p.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="OUT",
        help="graph file to write; format from the extension (.ttl .nt .nq .trig .jsonld)",
    )
    p.add_argument(
        "--min-confidence",
        type=_confidence,
        default=0.0,
        metavar="X",
        help="leave out claims whose confidence is below X (0 to 1; default 0: keep every claim)",
    )

    p = command("validate", _validate, "Check a graph against the contract (SHACL shapes and extra checks).")
    p.add_argument("graph", type=Path, metavar="GRAPH", help="graph file written by `kg extract`")

    p = command("viz", _viz, "Write an interactive, self-contained HTML view of a graph.")
    p.add_argument("graph", type=Path, metavar="GRAPH", help="graph file written by `kg extract`")
    p.add_argument("-o", "--output", required=True, type=Path, metavar="OUT.html", help="HTML file to write")
    p.add_argument(
        "--lang",
        choices=["zh", "en"],
        default=None,
        help="language of node labels (default: the language of the sources)",
    )
    p.add_argument(
        "--max-nodes",
        type=_positive_int,
        default=1500,
        metavar="N",
        help="beyond N nodes the page opens on the most connected part (default: 1500)",
    )

    p = command("query", _query, "Run SPARQL text, a .rq file or a saved question against a graph.")
    p.add_argument(
        "query",
        metavar="QUERY",
        help="SPARQL text, a .rq file, or a saved question's name (see `kg queries`)",
    )
    p.add_argument("--graph", "-g", required=True, type=Path, metavar="FILE", help="graph file to query")
    p.add_argument(
        "--param",
        "-p",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a saved question's parameter; repeat for several",
    )
    p.add_argument(
        "--format",
        "-f",
        choices=["table", "csv", "tsv", "json"],
        default="table",
        help="output format (default: table)",
    )

    command(
        "queries",
        _queries,
        "List the saved market questions with each parameter, its default and an example.",
    )

    p = command(
        "export", _export, "Write a graph as RDF or as a network file for Gephi, Cytoscape, yEd or Excel."
    )
    p.add_argument("graph", type=Path, metavar="GRAPH", help="graph file written by `kg extract`")
    p.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="FILE",
        help="file to write; format from the extension: .graphml .gexf .gml, .csv (NAME.nodes.csv and "
        "NAME.edges.csv), or RDF (.ttl .nt .jsonld .trig .nq)",
    )

    p = command("serve", _serve, "Serve a graph as a read-only SPARQL 1.1 endpoint over HTTP at /query.")
    p.add_argument("graph", type=Path, metavar="GRAPH", help="graph file written by `kg extract`")
    p.add_argument(
        "--port",
        type=int,
        default=7878,
        metavar="PORT",
        help="TCP port to listen on; 0 picks a free one (default: 7878)",
    )
    p.add_argument(
        "--host",
        default="127.0.0.1",
        metavar="HOST",
        help="address to listen on (default: 127.0.0.1, this machine only)",
    )

    p = command("registry", _registry_stats, "Inspect or export the reference registry of market entities.")
    reg = p.add_subparsers(dest="registry_command", metavar="ACTION")
    r = reg.add_parser(
        "stats",
        help="counts by class and by alias language",
        description="Counts by class and alias language.",
    )
    r.set_defaults(handler=_registry_stats)
    r = reg.add_parser("export", help="write the registry as RDF", description="Write the registry as RDF.")
    r.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="OUT",
        help="file to write (.ttl for entities only, .trig to include background facts)",
    )
    r.set_defaults(handler=_registry_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except argparse.ArgumentTypeError as exc:
        parser.error(str(exc))
    try:
        handler: Handler = args.handler
        return handler(args)
    except argparse.ArgumentTypeError as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        return 2
    except KGError as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `kg query … | head` closed our output: not an error
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
