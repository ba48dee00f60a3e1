"""The NLP stage and the resolver on other cores or machines, with results identical to one process.

A worker runs the spaCy pipeline over one document's pieces, resolves the document alone (a resolver
that has read no other document: `Resolver.resolve`) and sends back only the result: its entities,
claims and quantities, and the entities it took for mentioned nowhere yet. The parent merges the
results in input order (`Resolver.merge`), which gives what a serial run gives: the first class of
an entity and the first direction of a symmetric relation over all documents win. A document whose
reading alone may differ from the serial one (it took an entity an earlier document mentions for
unmentioned, or first saw an entity with another class) is read again in the parent. For `kg extract`
the worker also renders the document's statements as N-Triples lines (`kg.ntriples.render`), which
the parent adds as they are unless the merge changed them.

    resolutions(documents, 50_000, jobs=4)         # a process pool on this machine
    resolutions(documents, 50_000, dask="tcp://host:8786")  # a Dask cluster (pip install 'aichip-kg[dask]')
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from functools import cache

from spacy.tokens import Doc

from . import ntriples
from .errors import InputError
from .ingest import Document, article_end
from .registry import load_registry
from .resolve import Resolved, Resolver


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def process(document: Document, size: int) -> Iterator[tuple[int, Doc]]:
    """(offset, Doc) for each piece of the article (without trailing page navigation), in this process."""
    from .nlp import pipeline_for
    from .pipeline import chunks

    nlp = pipeline_for(document.lang)
    body_end = article_end(document.text)
    nlp.max_length = max(nlp.max_length, min(body_end, size) + 1)
    for start, end in chunks(document.text, size, body_end):
        yield start, nlp(document.text[start:end])


@cache
def _resolver() -> Resolver:
    """This process's resolver, of the registry the spaCy components read; it never reads a document
    itself, it only makes resolvers that read one alone."""
    return Resolver(load_registry())


def resolve(document: Document, size: int) -> Resolved:
    """One document's pieces processed and resolved alone (a small result, no Doc)."""
    return _resolver().resolve(document, process(document, size))


Reading = tuple[Resolved, ntriples.Rendered | None]
"""A document resolved alone, and (when asked for) its statements rendered as N-Triples lines."""


def read(document: Document, size: int, render: float | None) -> Reading:
    """One document resolved alone, its statements with at least the confidence `render` rendered as
    lines (`kg.ntriples.render`) when it is not None."""
    resolved = resolve(document, size)
    return resolved, None if render is None else ntriples.render(document, resolved, render)


def resolve_all(documents: list[Document], size: int, render: float | None = None) -> list[Reading]:
    """A worker's job: a batch of documents, each resolved alone (and rendered, see `read`)."""
    return [read(document, size, render) for document in documents]


BATCH = 4_000
"""A worker is sent documents in batches of about this many characters: a task per short document
cost more in pickling, pipes and wake-ups than reading it."""


def resolutions(
    documents: Iterable[Document],
    size: int,
    jobs: int = 2,
    dask: str | None = None,
    batch: int = BATCH,
    render: float | None = None,
) -> Iterator[tuple[Document, Resolved, ntriples.Rendered | None]]:
    """(document, what it says read alone, its statements as lines or None) for each document, in
    input order. With `render` (a confidence) the workers also render the statements at least that
    confident as N-Triples lines (`kg.ntriples.render`), so that the parent need not.

    `jobs` worker processes read the documents, or the Dask cluster at address `dask`, in batches of
    about `batch` characters; at most two batches per worker are in flight, so inputs are read as they
    are needed. A lone document is read in this process (a pool would only add its start-up)."""
    if dask:
        yield from _distributed(documents, dask, size, batch, render)
        return
    inputs = iter(documents)
    first = list(itertools.islice(inputs, 2))
    if jobs <= 1 or len(first) < 2:
        for document in itertools.chain(first, inputs):
            yield document, *read(document, size, render)
        return
    if multiprocessing.get_start_method() == "fork":
        _warm()  # built once here, the workers inherit it: no start-up paid per worker
    # a worker never collects what it inherited (a collection of the parent's heap cost a tenth of the
    # work, and copied its pages)
    with ProcessPoolExecutor(max_workers=jobs, initializer=gc.freeze) as pool:
        yield from _ordered(pool, itertools.chain(first, inputs), 2 * jobs, size, batch, render)


def _warm() -> None:
    """Build both pipelines, jieba's tables and the resolver in this process, before workers are
    forked from it."""
    from .nlp import pipeline_for
    from .nlp.segment import pos_tokenizer_for

    for lang in ("zh", "en"):
        pipeline_for(lang)
    pos_tokenizer_for(load_registry())
    _resolver()


def _ordered(
    pool: Executor, documents: Iterable[Document], window: int, size: int, batch: int, render: float | None
) -> Iterator[tuple[Document, Resolved, ntriples.Rendered | None]]:
    pending: deque[tuple[list[Document], Future[list[Reading]]]] = deque()
    for group in _batches(documents, batch):
        pending.append((group, pool.submit(resolve_all, group, size, render)))
        if len(pending) >= window:
            yield from _finished(*pending.popleft())
    while pending:
        yield from _finished(*pending.popleft())


def _batches(documents: Iterable[Document], chars: int) -> Iterator[list[Document]]:
    group: list[Document] = []
    total = 0
    for document in documents:
        group.append(document)
        total += len(document.text)
        if total >= chars:
            yield group
            group, total = [], 0
    if group:
        yield group


def _finished(
    group: list[Document], future: Future[list[Reading]]
) -> Iterator[tuple[Document, Resolved, ntriples.Rendered | None]]:
    for document, (resolved, rendered) in zip(group, future.result(), strict=True):
        yield document, resolved, rendered


def _distributed(
    documents: Iterable[Document], address: str, size: int, batch: int, render: float | None
) -> Iterator[tuple[Document, Resolved, ntriples.Rendered | None]]:
    try:
        from distributed import Client
    except ImportError:
        raise InputError(
            f"--dask {address}: the Dask client is not installed; run pip install 'aichip-kg[dask]'"
        ) from None
    try:
        client = Client(address, timeout=30)
    except OSError as exc:
        raise InputError(
            f"--dask {address}: cannot reach the Dask scheduler ({exc}); start one with "
            "`dask scheduler` and workers with `dask worker ADDRESS`"
        ) from None
    with client:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        yield from _ordered(client.get_executor(pure=False), documents, 2 * workers, size, batch, render)
