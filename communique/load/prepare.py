"""Turning articles into ready-to-write updates: NLP, rules, RDF, validation.

This is the CPU-heavy part of loading. It runs in the loading process, or in
worker processes (``communique load --workers N``) that each load the spaCy
pipeline once; what comes back is text (N-Triples and the violations), cheap
to send between processes. Writing stays with the one process that holds the
store.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import dataclasses
import functools
import gc
import os
import signal
import threading
import time
from dataclasses import dataclass

from communique.loaders.extract import ExtractionFailure, extract_each
from communique.loaders.lexicon.gazetteer import load_gazetteer
from communique.loaders.model import PERSON, Extraction
from communique.loaders.nlp.pipeline import load_pipeline
from communique.loaders.rdfmap import actor_iri, article_write
from communique.loaders.read.article import Article
from communique.loaders.scoring.decide import asserted
from communique.loaders.scoring.threshold import DEFAULT_MIN_CONFIDENCE
from communique.rdf import SerializedWrite, serialize_write
from communique.store.summary_parts import part_of_facts
from communique.store.text_index import entries_of_facts
from communique.validation.batch import core_shapes, validate_batch
from communique.vocab import Iris


@dataclass(frozen=True)
class Prepared:
    """One article's update, or why it cannot be stored (the shapes it breaks)."""

    write: SerializedWrite
    problems: tuple[str, ...] = ()
    # (node, name, offices held) of each person it names
    persons: tuple[tuple[str, str, tuple[str, ...]], ...] = ()


def warm(model: str) -> None:
    """Ready a worker process: see ``ready``. Ctrl-C is the loader's to handle (it
    ends the workers), so a worker ignores it rather than print a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent(os.getppid())
    ready(model)


PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the watching thread remains
        pass


@functools.cache
def ready(model: str) -> None:
    """Load the pipeline, the gazetteer and the shapes once per process, then
    freeze the garbage collector's view of them: they live as long as the
    process, and every full collection walked all their objects again, 0.75 s
    of a 14 s load of 96 articles (0.26 s frozen, measured)."""
    load_pipeline(model)
    load_gazetteer()
    core_shapes()
    gc.freeze()


def _exit_with_parent(parent: int, interval: float = 0.2) -> None:
    """End this worker when the loader is gone: a loader killed with SIGKILL
    cannot shut its pool down, and its workers would otherwise wait forever,
    each holding a spaCy pipeline in memory. On Linux the kernel kills the worker
    the moment its parent dies (PR_SET_PDEATHSIG); elsewhere, and as a second
    line, a thread notices the new parent (a thread needs the interpreter, which
    a long parse can hold for seconds)."""
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-loader", daemon=True).start()


def prepare_batch(
    articles: list[Article],
    model: str,
    base_iri: str,
    time_limit: float = 0,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
) -> list[Prepared]:
    """Each article's update and the shapes it breaks; an article the rules failed
    on (or ran out of time on) is prepared as a failure of its own. Events under
    ``min_confidence`` are not asserted."""
    ready(model)
    iris = Iris(base_iri)
    extracted = list(extract_each(articles, model, time_limit=time_limit))
    writes = [
        article_write(article, asserted(found, min_confidence), iris)
        for article, found in zip(articles, extracted, strict=True)
        if not isinstance(found, ExtractionFailure)
    ]
    verdicts = iter(validate_batch([(w.facts, w.entities) for w in writes]))
    ready_writes = iter(writes)
    prepared = []
    for article, found in zip(articles, extracted, strict=True):
        if isinstance(found, ExtractionFailure):
            empty = SerializedWrite(str(iris.article(article.identifier)), "", "")
            prepared.append(Prepared(empty, (found.problem,)))
            continue
        problems = tuple(f"does not conform: {v}" for v in next(verdicts))
        persons = tuple(
            (str(actor_iri(actor, iris)), actor.label, _offices(found, actor_id))
            for actor_id, actor in found.actors.items()
            if actor.kind == PERSON
        )
        made = next(ready_writes)
        write = serialize_write(made)
        if not problems:  # its summary cells and search entries: here, off the writer's path
            write = dataclasses.replace(
                write,
                summary_part=part_of_facts(write.article, made.facts, iris),
                text_entries=entries_of_facts(write.article, made.facts),
            )
        prepared.append(Prepared(write, problems, persons))
    return prepared


def _offices(found: Extraction, person: str) -> tuple[str, ...]:
    """The roles (dip:Role local names) the article says the person holds."""
    return tuple(sorted({h.role for h in found.holdings if h.holder == person}))
