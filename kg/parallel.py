"""The NLP stage on other cores or machines, with results identical to one process.

A worker runs the spaCy pipeline over one document's pieces and sends back each processed Doc as
bytes: the Doc's own fields (`Doc.to_dict`, pickled), plus its `user_data` (our extension attributes: relation
mentions, times, quantities) pickled with every spaCy Span in it replaced by its token bounds and
label, since spaCy refuses to pickle a Span. The parent rebuilds each Doc over a vocabulary of its
own and resolves documents in input order, so entities, claims and the graph come out exactly as
in a serial run.

    readings(documents, 50_000, jobs=4)         # a process pool on this machine
    readings(documents, 50_000, dask="tcp://host:8786")  # a Dask cluster (pip install 'aichip-kg[dask]')
"""

from __future__ import annotations

import io
import itertools
import multiprocessing
import os
import pickle
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from functools import cache
from typing import Any

from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from .errors import InputError
from .ingest import Document, article_end

Piece = tuple[int, bytes, bytes, list[str]]
"""A processed piece: (offset in the document, Doc bytes, user_data bytes, labels it uses)."""


def _entry_points_once() -> None:
    """Speed only: spaCy's Doc.to_bytes/from_bytes ask srsly for its msgpack coders on every call, and
    srsly scans every installed package's entry points each time (about 2 ms per Doc, two thirds of a
    short document's trip). The coders the entry points name are registered here once, the scan is
    turned off: the same coders, found without the scan."""
    from srsly.msgpack import msgpack_decoders, msgpack_encoders

    for registry in (msgpack_encoders, msgpack_decoders):
        if registry.entry_points:
            for name, coder in registry.get_entry_points().items():
                registry.register(name, func=coder)
            registry.entry_points = False


_entry_points_once()


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


class _SpanPickler(pickle.Pickler):
    def persistent_id(self, obj: Any) -> Any:
        if isinstance(obj, Span):
            return (obj.start, obj.end, obj.label_, obj.kb_id_, obj.id_)
        return None


class _SpanUnpickler(pickle.Unpickler):
    def __init__(self, data: bytes, doc: Doc) -> None:
        super().__init__(io.BytesIO(data))
        self.doc = doc

    def persistent_load(self, pid: Any) -> Span:
        start, end, label, kb_id, span_id = pid
        return Span(self.doc, start, end, label=label, kb_id=kb_id, span_id=span_id)


def pack(start: int, doc: Doc) -> Piece:
    buffer = io.BytesIO()
    _SpanPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(dict(doc.user_data))
    labels = sorted({span.label_ for group in doc.spans.values() for span in group})
    fields = doc.to_dict(exclude=["user_data", "tensor"])  # pickled: no msgpack round per field
    return start, pickle.dumps(fields, protocol=pickle.HIGHEST_PROTOCOL), buffer.getvalue(), labels


@cache
def _vocab(lang: str) -> Vocab:
    import spacy

    return spacy.blank(lang).vocab


def unpack(piece: Piece, lang: str) -> tuple[int, Doc]:
    start, doc_bytes, user_data, labels = piece
    vocab = _vocab(lang)
    for label in labels:
        vocab.strings.add(label)
    doc = Doc(vocab).from_dict(pickle.loads(doc_bytes), exclude=["user_data", "tensor"])
    doc.user_data.update(_SpanUnpickler(user_data, doc).load())
    return start, doc


def read_packed(document: Document, size: int) -> list[Piece]:
    """A worker's job: one document's processed pieces, as bytes."""
    return [pack(start, doc) for start, doc in process(document, size)]


def readings(
    documents: Iterable[Document], size: int, jobs: int = 1, dask: str | None = None
) -> Iterator[tuple[Document, int, Doc]]:
    """(document, offset, Doc) for each piece of each document, in input order.

    `jobs` > 1 processes documents on that many worker processes, `dask` on the Dask cluster at that
    address; at most a few documents per worker are in flight, so inputs are read as they are needed."""
    if dask:
        yield from _distributed(documents, dask, size)
        return
    inputs = iter(documents)
    first = list(itertools.islice(inputs, 2))
    if jobs <= 1 or len(first) < 2:  # one document: a pool would only add its start-up
        for document in itertools.chain(first, inputs):
            for start, doc in process(document, size):
                yield document, start, doc
        return
    if multiprocessing.get_start_method() == "fork":
        _warm()  # built once here, the workers inherit it: no start-up paid per worker
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from _ordered(pool, itertools.chain(first, inputs), 2 * jobs, size)


def _warm() -> None:
    """Build both pipelines and jieba's tables in this process, before workers are forked from it."""
    from .nlp import pipeline_for
    from .nlp.segment import pos_tokenizer_for
    from .registry import load_registry

    for lang in ("zh", "en"):
        pipeline_for(lang)
    pos_tokenizer_for(load_registry())


def _ordered(
    pool: Executor, documents: Iterable[Document], window: int, size: int
) -> Iterator[tuple[Document, int, Doc]]:
    pending: deque[tuple[Document, Future[list[Piece]]]] = deque()
    for document in documents:
        pending.append((document, pool.submit(read_packed, document, size)))
        if len(pending) >= window:
            yield from _finished(*pending.popleft())
    while pending:
        yield from _finished(*pending.popleft())


def _finished(document: Document, future: Future[list[Piece]]) -> Iterator[tuple[Document, int, Doc]]:
    for piece in future.result():
        start, doc = unpack(piece, document.lang)
        yield document, start, doc


def _distributed(
    documents: Iterable[Document], address: str, size: int
) -> Iterator[tuple[Document, int, Doc]]:
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
        yield from _ordered(client.get_executor(pure=False), documents, 2 * workers, size)
