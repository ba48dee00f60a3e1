"""What each `kg` command does, given its parsed arguments (`kg.cli` declares them): each handler
calls the library and turns its report into lines on stderr and an exit code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from . import startup


def _job_count(args: argparse.Namespace) -> int:
    from .parallel import default_jobs

    return int(args.jobs) if args.jobs is not None else default_jobs()


SKIPPED_INPUTS = 3
"""Exit code of a `kg extract` that wrote its graph but skipped inputs it could not read."""


def extract(args: argparse.Namespace) -> int:
    with startup.command():  # start-up's objects out of the collector's way (kg.startup)
        return _extract(args)


def _extract(args: argparse.Namespace) -> int:
    from . import pipeline, rdfio
    from .output import refuse_overwriting_inputs, refuse_replacing

    rdfio.format_for(args.output)  # an unknown output format fails before the long part
    refuse_overwriting_inputs(args.output, args.inputs, "kg extract")
    refuse_replacing(
        [args.output],
        "kg extract",
        force=args.force,
        instead="add the documents to a store with `kg ingest INPUT... --store DIR`",
    )
    bar = _progress(None, "extract", False)
    quads, report = pipeline.build_quads(
        args.inputs,
        args.min_confidence,
        args.date,
        strict=args.strict,
        jobs=_job_count(args),
        dask=args.dask,
        progress=(lambda path: bar.update(1)) if bar is not None else None,
    )
    if bar is not None:
        bar.close()
    quads.save(args.output)
    for note in report.notes():
        print(f"kg: {note}", file=sys.stderr)
    print(report.summary(args.output), file=sys.stderr)
    return SKIPPED_INPUTS if report.skipped else 0


def ingest(args: argparse.Namespace) -> int:
    with startup.command():  # start-up's objects out of the collector's way (kg.startup)
        return _ingest(args)


def _ingest(args: argparse.Namespace) -> int:
    from . import pipeline
    from .store import Store

    bar = _progress(None, "ingest", args.quiet)
    with Store.open(args.store) as store:
        report = pipeline.ingest(
            store,
            args.inputs,
            args.min_confidence,
            validate=not args.no_validate,
            published=args.date,
            progress=(lambda path: bar.update(1)) if bar is not None else None,
            jobs=_job_count(args),
            dask=args.dask,
        )
    if bar is not None:
        bar.close()
    if args.verbose:
        for source, problems in report.problems.items():
            for problem in problems:
                print(f"{source}: {problem}", file=sys.stderr)
    for skipped in report.unreadable:
        print(f"kg: skipped {skipped.path}: {skipped.reason}", file=sys.stderr)
    if not args.quiet:
        print(report.summary(store.path), file=sys.stderr)
    return SKIPPED_INPUTS if report.unreadable else 0


def _progress(total: int | None, what: str, quiet: bool) -> Any:
    """A progress bar on a terminal only: pipes, logs and CI stay clean."""
    if quiet or (total is not None and total < 2) or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=what, unit="doc", file=sys.stderr, leave=False)


def remove(args: argparse.Namespace) -> int:
    from . import pipeline
    from .store import Store

    with Store.open(args.store, create=False) as store:
        for name in args.documents:
            for source in pipeline.remove(store, name):
                print(f"removed {source}", file=sys.stderr)
    return 0


def export(args: argparse.Namespace) -> int:
    """A graph file or a store, as RDF (a store with its own serializers) or as a network file."""
    from . import graph, netexport
    from . import store as _store
    from .output import refuse_overwriting_inputs, refuse_replacing

    if args.graph is not None and args.store is not None:
        raise argparse.ArgumentTypeError(f"give a graph file or --store {args.store}, not both")
    source = args.graph or args.store
    written = (
        netexport.csv_paths(args.output) if Path(args.output).suffix.lower() == ".csv" else [args.output]
    )
    refuse_overwriting_inputs(args.output, [source] if source is not None else [], "kg export")
    refuse_replacing(written, "kg export", force=args.force)
    if netexport.is_network(args.output) or (source is not None and Path(source).is_file()):
        for path in netexport.export(graph.load(source), args.output):
            print(f"wrote {path}", file=sys.stderr)
        return 0
    with _store.Store.open(source, read_only=True) as opened:
        out = _store.export(opened, args.output)
        print(f"wrote {out} ({len(opened):,} quads in the store)", file=sys.stderr)
    return 0


def push(args: argparse.Namespace) -> int:
    from . import push
    from .store import Store

    with Store.open(args.store, read_only=True) as store:
        report = push.push(store, args.endpoint)
    if not args.quiet:
        print(report.summary(args.endpoint), file=sys.stderr)
    return 0


def validate(args: argparse.Namespace) -> int:
    from . import validate
    from .store import open_dataset

    dataset, name = open_dataset(args.graph, args.store)
    result = validate.validate(dataset.default_graph)
    print(result.report(name))
    return 0 if result.conforms else 1


def viz(args: argparse.Namespace) -> int:
    from . import viz
    from .output import refuse_overwriting_inputs, refuse_replacing
    from .store import open_dataset

    refuse_overwriting_inputs(args.output, [p for p in (args.graph,) if p is not None], "kg viz")
    refuse_replacing([args.output], "kg viz", force=args.force)
    dataset, _ = open_dataset(args.graph, args.store)
    out = viz.write_html(dataset, args.output, lang=args.lang, max_nodes=args.max_nodes)
    print(f"wrote {out}", file=sys.stderr)
    return 0


def query(args: argparse.Namespace) -> int:
    from . import query
    from .store import open_dataset

    params = dict(_split_param(p) for p in args.param)
    dataset, _ = open_dataset(args.graph, args.store, oxigraph=True)
    frame = query.run(dataset, args.query, params)
    print(query.format_frame(frame, args.format))
    return 0


def conflicts(args: argparse.Namespace) -> int:
    from . import query, rdfio, sources

    frame = sources.conflicts(rdfio.load(args.graph, store="Oxigraph"), args.entity)
    print(sources.report(frame) if args.format == "text" else query.format_frame(frame, args.format))
    return 0


def queries(args: argparse.Namespace) -> int:
    from . import query

    for saved in query.saved_queries():
        print(f"{saved.name:<20} {saved.description}")
        for line in query.usage(saved).splitlines():
            print(f"{'':<22}{line}")
    print("\nA parameter left out answers for everyone; `kg query NAME --param NAME=VALUE` narrows it.")
    return 0


def serve(args: argparse.Namespace) -> int:
    from . import serve
    from .store import default_path

    if args.graph is not None and args.store is not None:
        raise argparse.ArgumentTypeError(f"give a graph file or --store {args.store}, not both")
    source = args.graph or args.store or default_path()
    settings = serve.Settings(
        timeout=args.timeout,
        limit=args.limit,
        allowed_hosts=frozenset(args.allow_host),
        in_process=args.in_process,
    )
    if args.workers is not None:
        settings.workers = args.workers
    serve.serve(source, host=args.host, port=args.port, settings=settings)
    return 0


def registry_stats(args: argparse.Namespace) -> int:
    from . import registry

    print(registry.load_registry().stats_table())
    return 0


def registry_export(args: argparse.Namespace) -> int:
    from . import rdfio, registry
    from .output import refuse_replacing

    refuse_replacing([args.output], "kg registry export", force=args.force)
    rdfio.save(registry.load_registry().to_dataset(), args.output)
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


def _split_param(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"--param {text!r}: write it as NAME=VALUE")
    return name, value
