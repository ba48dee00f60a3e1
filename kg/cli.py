"""The `kg` command line: a thin layer over the library.

Exit codes: 0 success, 1 a failed job (KGError), 2 bad usage or a malformed query, 3 `kg extract`
wrote its graph but skipped some inputs it could not read (each named on stderr).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import argtypes, commands
from .errors import KGError

Handler = Callable[[argparse.Namespace], int]


_STORE_HELP = "graph store folder (default: $KG_STORE, else ./kg-store)"


def _reading_options(p: argparse.ArgumentParser) -> None:
    """What `extract` and `ingest` share: the confidence cut-off and the inputs' publication date."""
    p.add_argument(
        "--min-confidence",
        type=argtypes.confidence,
        default=0.0,
        metavar="X",
        help="leave out claims whose confidence is below X (0 to 1; default 0: keep every claim)",
    )
    p.add_argument(
        "--date",
        type=argtypes.publication_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="publication date of the inputs (a sidecar NAME.meta.json beside a file wins; "
        "default: each text's dateline, else undated)",
    )
    p.add_argument(
        "--jobs",
        "-j",
        type=argtypes.jobs,
        default=None,
        metavar="N",
        help="read documents on N processes (default: every core); the graph is the same as with 1",
    )
    p.add_argument(
        "--dask",
        default=None,
        metavar="tcp://HOST:PORT",
        help="read documents on the Dask cluster whose scheduler is at this address (needs the "
        "`dask` extra); the graph is the same as with one process",
    )


def _store_option(p: argparse.ArgumentParser, help: str = _STORE_HELP) -> None:
    p.add_argument("--store", "-s", type=Path, default=None, metavar="DIR", help=help)


def _force_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--force", action="store_true", help="replace the -o file if it exists (default: refuse, exit 2)"
    )


def _graph_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "graph",
        nargs="?",
        type=Path,
        default=None,
        metavar="GRAPH",
        help="graph file written by `kg extract`, or a store folder (default: the store, see --store)",
    )
    _store_option(p)


class _Version(argparse.Action):
    """`--version`, reading the installed version only when asked (importlib.metadata is slow to load)."""

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        import kg

        print(f"kg {kg.__version__}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; every command and option is declared here once, with its help."""
    parser = argparse.ArgumentParser(
        prog="kg", description="Build, validate, explore and query the AI-chip market knowledge graph."
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="print the version and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, handler: Handler, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(handler=handler)
        return p

    p = command(
        "extract",
        commands.extract,
        "Extract a knowledge graph from Chinese or English text files or folders.",
    )
    p.add_argument(
        "inputs",
        nargs="+",
        type=Path,
        metavar="INPUT",
        help="news files (.txt .md .html, any common encoding) or folders of them",
    )
    p.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="OUT",
        help="graph file to write; format from the extension (.ttl .nt .nq .trig .jsonld)",
    )
    _force_option(p)
    _reading_options(p)
    p.add_argument(
        "--strict",
        action="store_true",
        help="stop at the first input that cannot be read (default: skip it, say why, exit 3)",
    )

    p = command(
        "ingest",
        commands.ingest,
        "Add text files or folders to the graph store, one named graph per document (incremental).",
    )
    p.add_argument(
        "inputs", nargs="+", type=Path, metavar="INPUT", help="UTF-8 text files or folders of them"
    )
    _store_option(p, "store folder to add to, created if new (default: $KG_STORE, else ./kg-store)")
    _reading_options(p)
    p.add_argument(
        "--no-validate",
        action="store_true",
        help="skip checking each new document's graph against the contract",
    )
    verbosity = p.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="print nothing unless something fails")
    verbosity.add_argument(
        "-v", "--verbose", action="store_true", help="also list each new document's contract problems"
    )

    p = command(
        "remove", commands.remove, "Take documents out of the graph store (entities others mention stay)."
    )
    p.add_argument(
        "documents",
        nargs="+",
        metavar="DOC",
        help="a stored document's file name (or path), IRI (kg:doc-…) or id (see `kg query documents`)",
    )
    _store_option(p)

    p = command(
        "export",
        commands.export,
        "Write a graph file or the store as RDF, or as a network file for Gephi, Cytoscape, yEd or Excel.",
    )
    _graph_argument(p)
    p.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="FILE",
        help="file to write, by extension: .graphml .gexf .gml, .csv (NAME.nodes.csv and NAME.edges.csv), "
        "or RDF (.ttl .nt .jsonld; from a store .nq and .trig keep each document's named graph)",
    )
    _force_option(p)

    p = command(
        "push",
        commands.push,
        "Copy the store to a remote SPARQL store (Graph Store Protocol), graph by graph.",
    )
    _store_option(p)
    p.add_argument(
        "--endpoint",
        required=True,
        metavar="URL",
        help="the remote store's Graph Store Protocol URL (Oxigraph: http://HOST:PORT/store)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing unless something fails")

    p = command(
        "validate", commands.validate, "Check a graph against the contract (SHACL shapes and extra checks)."
    )
    _graph_argument(p)

    p = command("viz", commands.viz, "Write an interactive, self-contained HTML view of a graph.")
    _graph_argument(p)
    p.add_argument("-o", "--output", required=True, type=Path, metavar="OUT.html", help="HTML file to write")
    _force_option(p)
    p.add_argument(
        "--lang",
        choices=["zh", "en"],
        default=None,
        help="language of node labels (default: the language of the sources)",
    )
    p.add_argument(
        "--max-nodes",
        type=argtypes.positive_int,
        default=1500,
        metavar="N",
        help="beyond N nodes the page opens on the most connected part (default: 1500)",
    )

    p = command("query", commands.query, "Run SPARQL text, a .rq file or a saved question against a graph.")
    p.add_argument(
        "query",
        metavar="QUERY",
        help="SPARQL text, a .rq file, or a saved question's name (see `kg queries`)",
    )
    p.add_argument(
        "--graph", "-g", type=Path, default=None, metavar="FILE", help="graph file (or store folder) to query"
    )
    _store_option(p, "store folder to query when no --graph is given (default: $KG_STORE, else ./kg-store)")
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
        commands.queries,
        "List the saved market questions with each parameter, its default and an example.",
    )

    p = command(
        "conflicts",
        commands.conflicts,
        "List where documents disagree (stated vs negated or cancelled, rival foundries, different shares).",
    )
    p.add_argument("graph", type=Path, metavar="GRAPH", help="graph file written by `kg extract`")
    p.add_argument(
        "--entity", "-e", default=None, metavar="NAME", help="only disagreements about this entity (any name)"
    )
    p.add_argument(
        "--format",
        "-f",
        choices=["text", "table", "csv", "tsv", "json"],
        default="text",
        help="output format (default: text, each side with its date, document and evidence)",
    )

    p = command(
        "serve",
        commands.serve,
        "Serve a store or graph as a read-only SPARQL 1.1 endpoint (/sparql) with a query page (/).",
    )
    _graph_argument(p)
    p.add_argument(
        "--timeout",
        type=argtypes.positive_float,
        default=10.0,
        metavar="S",
        help="seconds a query may run before it is stopped and answered 503 (default: 10)",
    )
    p.add_argument(
        "--limit",
        type=argtypes.positive_int,
        default=10_000,
        metavar="N",
        help="rows (or triples) an answer holds at most; longer ones are cut (default: 10000)",
    )
    p.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also answer requests whose Host header is NAME (default: loopback names only); repeatable",
    )
    p.add_argument(
        "--workers",
        type=argtypes.positive_int,
        default=None,
        metavar="N",
        help="queries answered at once, each in a worker process that is killed past --timeout or when "
        "its client leaves; later queries wait, then get 503 busy (default: the cores, at least 2)",
    )
    p.add_argument(
        "--in-process",
        action="store_true",
        help="answer queries in the server's own threads, without worker processes: less memory, but a "
        "query past --timeout keeps a core busy until it ends",
    )
    p.add_argument(
        "--port",
        type=argtypes.port,
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

    p = command(
        "registry", commands.registry_stats, "Inspect or export the reference registry of market entities."
    )
    reg = p.add_subparsers(dest="registry_command", metavar="ACTION")
    r = reg.add_parser(
        "stats",
        help="counts by class and by alias language",
        description="Counts by class and alias language.",
    )
    r.set_defaults(handler=commands.registry_stats)
    r = reg.add_parser("export", help="write the registry as RDF", description="Write the registry as RDF.")
    r.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="OUT",
        help="file to write (.ttl for entities only, .trig to include background facts)",
    )
    _force_option(r)
    r.set_defaults(handler=commands.registry_export)
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
