"""Ingest: read articles, analyse them in batches, store each in one transaction.

One bad document is reported and the batch goes on (as trafilatura does);
an article already in the store is not analysed again.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .errors import Msg
from .lang import SUPPORTED
from .model import Article, Doc, ReadError
from .pipeline import DEFAULT, analyse_iter, make_doc
from .store import Store

log = logging.getLogger("dossier")
BATCH = 32
# Seconds of analysis (parsing and components) one article may take before it
# fails, unless DOSSIER_BUDGET says otherwise; see budget(). 120 s and 0.5 s
# per 1,000 characters: a 5,000,000-character article (the most a reader
# accepts) gets 44 minutes; its whole build took 9.5 minutes on a shared
# 2-core machine, 12.6 under a heavier load (benchmarks/growth.py --big).
BUDGET = 120.0
BUDGET_PER_CHAR = 0.0005


@dataclass
class BuildReport:
    stored: int = 0
    unchanged: int = 0  # already in the store: a no-op
    skipped: int = 0  # deliberately not processed (unsupported language or file type)
    failed: int = 0
    messages: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def summary(self) -> str:
        return (f"{self.stored} stored, {self.unchanged} already in the store, "
                f"{self.skipped} skipped, {self.failed} failed")


class Problem(str):
    """A message about one input; ``skipped`` tells a deliberate skip (another
    language, a file type dossier does not read) from a failure."""

    skipped: bool

    def __new__(cls, msg: str, skipped: bool = False) -> "Problem":
        obj = super().__new__(cls, msg)
        obj.skipped = skipped
        return obj


Notify = Callable[[str], None]
# runner(batch, components, problem, final) -> lists of analysed docs, in input
# order, each written as it comes; it may hold a batch back and return it with a
# later call (final=True: return all)
Runner = Callable[[list[Doc], tuple[str, ...], Callable[[str, bool], None], bool], Iterable[list[Doc]]]


def build(paths: Iterable[str | Path], store: Store, **options) -> BuildReport:
    """Read every path, analyse new articles and write them to ``store``.

    ``options`` are those of :func:`ingest`: ``components``, ``notify``,
    ``progress``, ``runner`` (``dossier.parallel`` passes a process pool;
    articles are still written here, in input order) and ``batch``."""
    from .readers import read_paths

    return ingest(read_paths(paths), store, **options)


def ingest(
    items: Iterable[Article | ReadError],
    store: Store,
    components: Iterable[str] = DEFAULT,
    notify: Notify | None = None,
    progress: Callable[[int], None] | None = None,
    runner: Runner | None = None,
    batch: int = BATCH,
) -> BuildReport:
    """Analyse and store articles (or report read errors) as they come.

    ``progress(1)`` is called once per input (article or unreadable one) as
    soon as it is done: stored, found already stored, skipped or failed."""
    from .linking import stale, update

    report = BuildReport()
    was_linked = not stale(store)
    stored: list[str] = []
    names = tuple(components)
    say = notify or (lambda msg: log.warning(msg))
    tick = progress or (lambda n: None)
    pending: list[Doc] = []
    seen: set[str] = set()

    def problem(msg: str, skipped: bool) -> None:
        report.messages.append(msg)
        if skipped:
            report.skipped += 1
        else:
            report.failed += 1
        say(Problem(msg, skipped))
        tick(1)

    def flush(final: bool = False) -> None:
        docs = list(pending)
        pending.clear()
        # docs are written as soon as their spaCy minibatch is analysed (a
        # fraction of a second): progress moves, and Ctrl-C keeps, what is done
        for done in runner(docs, names, problem, final) if runner else _analyse_iter(docs, names, problem):
            write(done)

    def write(done: list[Doc]) -> None:
        with _sigint_held():
            for doc, outcome in zip(done, store.write_many(done)):
                if isinstance(outcome, Exception):  # a store error on one article must not lose the others
                    problem(f"{doc.article.path}: cannot store the article ({outcome})", False)
                    continue
                if outcome:
                    report.stored += 1
                    stored.append(doc.id)
                else:
                    report.unchanged += 1
                tick(1)

    for item in items:
        if isinstance(item, ReadError):
            problem(str(item), item.skipped)
            continue
        if item.id in seen or store.has_document(item.id):
            report.unchanged += 1
            tick(1)
            continue
        seen.add(item.id)
        try:
            doc = make_doc(item)
        except ValueError as exc:
            problem(f"{item.path}: " + Msg.UNSUPPORTED_LANGUAGE.format(lang=exc.args[0], supported=", ".join(SUPPORTED)), True)
            continue
        pending.append(doc)
        if len(pending) >= batch:
            flush()
    flush(final=True)
    update(store, stored, was_linked)  # the cross-article story
    return report


@contextmanager
def _sigint_held() -> Iterator[None]:
    """Hold a Ctrl-C (SIGINT) back until the block ends: an article's commit
    and its count in the progress go together, so an interrupted build has
    stored exactly what it last reported (microseconds: one write)."""
    if threading.current_thread() is not threading.main_thread() or not callable(signal.getsignal(signal.SIGINT)):
        yield
        return
    caught: list = []
    previous = signal.signal(signal.SIGINT, lambda *a: caught.append(a))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught:
            previous(*caught[0])  # raises KeyboardInterrupt, now


def budget() -> Callable[[Doc], float | None]:
    """The seconds of analysis an article may take: ``DOSSIER_BUDGET`` if set
    (seconds for every article; 0 or less: no limit), else ``BUDGET`` plus
    ``BUDGET_PER_CHAR`` per character. Read at each batch, in the process that
    analyses it (a worker inherits the variable)."""
    raw = os.environ.get("DOSSIER_BUDGET", "").strip()
    if raw:
        try:
            seconds = float(raw)
        except ValueError:
            log.warning("DOSSIER_BUDGET=%r is not a number of seconds; using the default", raw)
        else:
            return lambda doc: seconds if seconds > 0 else None
    return lambda doc: round(BUDGET + BUDGET_PER_CHAR * len(doc.text))


def _analyse_iter(docs: list[Doc], names: tuple[str, ...], problem) -> Iterator[list[Doc]]:
    """Analyse a batch, yielding the docs (in input order) a few at a time as
    they are done; if the batch fails, the docs not yet yielded are retried
    one by one to isolate the bad article. An article whose analysis takes
    longer than :func:`budget` fails (``Msg.OVER_BUDGET``) and nothing of it
    is yielded; the others go on."""
    if not docs:
        return
    limit = budget()
    handled: set[int] = set()  # ids of the docs yielded or reported

    def over(d: Doc) -> None:
        handled.add(id(d))
        problem(f"{d.article.path}: " + Msg.OVER_BUDGET.format(seconds=f"{limit(d):g}"), False)

    try:
        for group in analyse_iter(docs, names, limit, over):
            handled.update(id(d) for d in group)
            yield group
        return
    except Exception:
        log.debug("batch failed, isolating", exc_info=True)
    for d in docs:
        if id(d) in handled:
            continue
        fresh = Doc(article=d.article, language=d.language, blocks=d.blocks)
        try:
            good = [g for group in analyse_iter([fresh], names, limit, over) for g in group]
        except Exception as exc:
            problem(f"{d.article.path}: analysis failed ({type(exc).__name__}: {exc})", False)
            continue
        if good:
            yield good


def _analyse_batch(docs: list[Doc], names: tuple[str, ...], problem) -> list[Doc]:
    """Analyse a batch; if it fails, retry one by one to isolate the bad article."""
    return [d for group in _analyse_iter(docs, names, problem) for d in group]


def build_texts(texts: Iterable[str | Article], store: Store, **kw) -> BuildReport:
    """Build from in-memory texts or Articles (Python API, web ingest, tests)."""
    articles = (t if isinstance(t, Article) else Article(text=t) for t in texts)
    return ingest((a if a.path else _named(a, i) for i, a in enumerate(articles, 1)), store, **kw)


def _named(a: Article, i: int) -> Article:
    a.path = f"<text {i}>"
    return a
