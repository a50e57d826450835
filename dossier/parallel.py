"""Parallel local builds: a process pool analyses batches of articles, the
parent process alone writes them (SQLite has one writer).

Each worker process loads spaCy and the components once (the pool's
initializer) and returns analysed :class:`~dossier.model.Doc` objects
(pickled dataclasses without their tokens, which the store does not keep:
negligible next to the analysis). Batches are written in input order, so a
parallel build stores exactly what a sequential one does (the first article
naming an entity gives it its name in both).

Where the parallelism goes, measured on this 2-core machine: 300 French and
English articles (JSONL, 0.6-9 kB, 1.9 kB on average), components entities,
quotes, events, relations and stances, fresh process per run including model
loading, the benchmark run at real-time priority because other sessions keep
the two cores busy (at normal priority the wall times swing by +-40%):

====================================  ========  =======  =========
mode                                  wall (s)  speedup  CPU (s)
====================================  ========  =======  =========
one process (``--workers 1``)         20.2      1.00     19.4
spaCy ``nlp.pipe(n_process=2)``       19.0      1.07     26.9
pool of 2 workers over articles       14.7      1.38     26.0
both (pool of 2, ``n_process=2``)     > 60      < 0.34   (killed)
====================================  ========  =======  =========

* spaCy's ``n_process`` starts new processes at every ``pipe`` call (one per
  batch and language) and ships every parsed spaCy Doc back; only parsing
  (~5/6 of the analysis time here) runs in them, the components stay serial.
  The start-ups and the shipping eat most of the gain.
* The pool runs parsing *and* components in parallel; it pays a second model
  load and interpreter start (~5 CPU-s) and the pickling of the Docs (under
  10% more CPU per article), so it gains from about 50 articles on and should
  approach 2x on long runs.
* Both at once oversubscribes the cores and multiplies the process start-ups.

So ``dossier build --workers N`` (default: every core) runs a pool over
articles with ``n_process=1`` inside each worker, and a run of fewer than
``PARALLEL_FROM`` articles (estimated from the files) stays in one process.

Later profiling (2,005 articles, half French, half English) showed the fixed
costs of the pool bounding the speed-up: every worker loaded both models
(~4 CPU-s, French ~3.5 of it), which a sequential build pays once. Batches
now hold one language and the parent gives each worker batches in the
languages it already has (see ``LOAD_BATCHES``), so on a mixed corpus each
model is loaded by one worker: children CPU time 39 -> 36 s. The parent
never imports spaCy, starts its workers as soon as the first articles are
read, and gets back Docs without tokens, sentences or raw NER spans.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .build import BuildReport, _analyse_batch
from .build import build as _build
from .model import Doc
from .pipeline import DEFAULT

# articles per task: small enough to balance the workers at the end of a run,
# large enough for spaCy's batching and a cheap round trip. Measured (400
# synthetic articles, CPU time of one process): batches of 8 cost 8-10% more
# than batches of 32 (spaCy's minibatches of blocks stay under-filled and every
# call pays its set-up), 64 saves another ~4% but leaves up to twice as long a
# tail with one worker idle; 32 is also the sequential build's batch.
BATCH = 32
# show a progress bar from this many articles on, when stderr is a terminal
PROGRESS_FROM = 50
# below this many articles, loading the models in every worker costs more than it saves
PARALLEL_FROM = 50


def default_workers() -> int:
    return os.cpu_count() or 1


# -- worker side ----------------------------------------------------------

def _init(names: tuple[str, ...]) -> None:
    """Runs once in each worker: load the components (a model is loaded with
    the first batch in its language: a worker may never need the other)."""
    import threading

    from . import pipeline

    parent = os.getppid()

    def orphaned() -> None:  # the parent was killed: do not linger
        import time

        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=orphaned, daemon=True, name="dossier-orphan-watch").start()
    pipeline.components(names)


def _work(docs: list[Doc], names: tuple[str, ...]) -> tuple[list[Doc], list[tuple[str, bool]]]:
    problems: list[tuple[str, bool]] = []
    good = _analyse_batch(docs, names, lambda msg, skipped: problems.append((msg, skipped)))
    # The parent only writes the docs to the store, which keeps no token,
    # sentence or raw NER span: they are ~85% of a pickled Doc (unpickled by
    # the parent, on the same cores as the workers), so they stay here.
    for d in good:
        d.tokens, d.sentences, d.ner = [], [], []
    return good, problems


# -- parent side ----------------------------------------------------------

# Loading a model costs a worker seconds (French: ~1.4 s with its tokenizer
# pattern cached, as much as analysing 3 batches; English: ~0.5 s; a worker
# that takes up a language it lacks gains only if the backlog it shares is
# at least twice that), and a worker that got articles in both
# languages loaded both. So batches hold one language, a worker is given the
# languages it already has, and takes up another only when it has nothing
# else to do and that language's backlog is at least this many batches per
# worker that has it (or no worker has it yet): on a mixed corpus each model
# is then loaded once per pool instead of once per worker.
LOAD_BATCHES = 6
# batches read ahead of the oldest article not yet written, per worker: room
# for one worker to run ahead in its language while another catches up
AHEAD_BATCHES = 16
# batches queued per worker: the next one is there when the current one ends
DEPTH = 2


class _Slot:
    """One article in input order: done once its batch came back, ``out`` is
    then the analysed Doc (None if it failed)."""

    __slots__ = ("doc", "done", "out", "problems")

    def __init__(self, doc: Doc):
        self.doc, self.done, self.out = doc, False, None
        self.problems: list[tuple[str, bool]] = []  # its batch's, on the batch's first slot


class _Batch:
    def __init__(self, order: int, slots: list[_Slot]):
        self.order, self.slots, self.lang = order, slots, slots[0].doc.language

    def finish(self, docs: list[Doc], problems: list[tuple[str, bool]]) -> None:
        by_id = {d.id: d for d in docs}
        for s in self.slots:
            s.done, s.out = True, by_id.get(s.doc.id)
        self.slots[0].problems = problems

    def fail(self, reason: str) -> None:
        self.finish([], [(f"{s.doc.article.path}: analysis failed ({reason})", False) for s in self.slots])


class _Worker:
    """One process (a pool of one, so that the parent chooses what it gets)."""

    def __init__(self, context, names: tuple[str, ...]):
        self.pool = ProcessPoolExecutor(1, mp_context=context, initializer=_init, initargs=(names,))
        self.pool.submit(int)  # start the process now, while the parent reads on
        self.langs: set[str] = set()
        self.inflight: list[tuple[Future, _Batch]] = []


class PoolRunner:
    """A ``build`` runner: one-language batches go to worker processes, results
    come back in input order, at most ``AHEAD_BATCHES`` batches per worker
    read ahead of the oldest article not yet written."""

    work = staticmethod(_work)  # what a worker runs on one batch (module-level, so it pickles)

    def __init__(self, workers: int, context: str = "spawn"):
        self.workers = max(1, workers)
        self.context = context
        self.pool: list[_Worker] | None = None
        self.names: tuple[str, ...] = DEFAULT
        self.sequence: deque[_Slot] = deque()  # read and not yet returned, in input order
        self.filling: dict[str, list[_Slot]] = {}  # per language, the batch being filled
        self.ready: dict[str, deque[_Batch]] = {}  # per language, batches waiting for a worker
        self.batches = 0

    def _start(self, docs: list[Doc], names: tuple[str, ...]) -> list[_Worker]:
        self.names = names
        if self.pool is None:
            # spawn: a fresh interpreter per worker, safe beside the progress
            # bar's thread (fork is not) and with nothing inherited
            context = multiprocessing.get_context(self.context)
            self.pool = [_Worker(context, names) for _ in range(self.workers)]
        return self.pool

    def __call__(self, docs: list[Doc], names: tuple[str, ...], problem: Callable[[str, bool], None],
                 final: bool) -> Iterator[list[Doc]]:
        """Yields the analysed docs as soon as they can be written in input
        order, so the parent writes (and the progress bar moves) while the
        workers finish, not all at once after the last batch."""
        if docs:
            if self.pool is None and final:
                yield _analyse_batch(docs, names, problem)  # one batch: not worth the processes
                return
            self._start(docs, names)
            for d in docs:
                slot = _Slot(d)
                self.sequence.append(slot)
                group = self.filling.setdefault(d.language, [])
                group.append(slot)
                if len(group) >= BATCH:
                    self._cut(d.language)
        if self.pool is None:
            return
        if final:
            for lang in list(self.filling):
                self._cut(lang)
        limit = 0 if final else AHEAD_BATCHES * BATCH * self.workers
        while True:
            self._collect(block=False)
            self._dispatch()
            out = self._release(problem)
            if out:
                yield out
            if len(self.sequence) <= limit:
                return
            if not any(w.inflight for w in self.pool):  # all read ahead is in unfilled batches
                for lang in list(self.filling):
                    self._cut(lang)
                continue
            self._collect(block=True)

    def _cut(self, lang: str) -> None:
        slots = self.filling.pop(lang, [])
        if slots:
            self.ready.setdefault(lang, deque()).append(_Batch(self.batches, slots))
            self.batches += 1

    def _choose(self, w: _Worker) -> _Batch | None:
        ready = [lang for lang, q in self.ready.items() if q]
        if not ready:
            return None
        take = [lang for lang in ready if lang in w.langs]
        if not take and not w.inflight:  # another language only for a worker with nothing to do
            holders = {lang: sum(lang in o.langs for o in self.pool or ()) for lang in ready}
            take = [lang for lang in ready if len(self.ready[lang]) >= LOAD_BATCHES * holders[lang]]
            if not take and not w.langs:
                take = ready  # a new worker has no model to waste
            if not take and not any(o.inflight for o in self.pool or ()):
                take = ready  # nobody is working: anything rather than wait
        if not take:
            return None
        lang = min(take, key=lambda x: self.ready[x][0].order)
        w.langs.add(lang)
        return self.ready[lang].popleft()

    def _dispatch(self) -> None:
        for depth in range(1, DEPTH + 1):  # every idle worker first, then the queues behind
            for w in self.pool or ():
                batch = self._choose(w) if len(w.inflight) < depth else None
                if batch is not None:
                    w.inflight.append((w.pool.submit(self.work, [s.doc for s in batch.slots], self.names), batch))

    def _collect(self, block: bool) -> None:
        """Take in the batches that came back (with ``block``, wait for one)."""
        if block:
            wait([f for w in self.pool or () for f, _ in w.inflight[:1]], return_when=FIRST_COMPLETED)
        for i, w in enumerate(self.pool or ()):
            while w.inflight and w.inflight[0][0].done():
                future, batch = w.inflight.pop(0)
                try:
                    good, problems = future.result()
                except BrokenProcessPool as exc:  # the worker died (killed, out of memory): lose only its batch
                    batch.fail(f"worker process died: {exc}")
                    for _, b in reversed(w.inflight):
                        self.ready.setdefault(b.lang, deque()).appendleft(b)
                    w.pool.shutdown(wait=False, cancel_futures=True)
                    self.pool[i] = _Worker(multiprocessing.get_context(self.context), self.names)
                    break
                except Exception as exc:  # noqa: BLE001  (e.g. a result that cannot be unpickled)
                    batch.fail(f"{type(exc).__name__}: {exc}")
                    continue
                batch.finish(good, problems)

    def _release(self, problem: Callable[[str, bool], None]) -> list[Doc]:
        out: list[Doc] = []
        while self.sequence and self.sequence[0].done:
            slot = self.sequence.popleft()
            for msg, skipped in slot.problems:
                problem(msg, skipped)
            if slot.out is not None:
                out.append(slot.out)
        return out

    def close(self) -> None:
        for w in self.pool or ():
            w.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = None


def build(
    paths: Iterable[str | Path],
    store,
    workers: int | None = None,
    components: Iterable[str] = DEFAULT,
    notify: Callable[[str], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> BuildReport:
    """:func:`dossier.build.build` with ``workers`` processes (default: every core)."""
    n = default_workers() if workers is None else workers
    paths = list(paths)
    if n <= 1 or estimate(paths) < PARALLEL_FROM:
        return _build(paths, store, components=components, notify=notify, progress=progress)
    runner = PoolRunner(n)
    try:
        return _build(paths, store, components=components, notify=notify, progress=progress,
                      runner=runner, batch=BATCH)
    finally:
        runner.close()


# -- progress ---------------------------------------------------------------

def estimate(paths: Iterable[str | Path]) -> int:
    """How many articles ``paths`` hold, cheaply: one per file, one per
    non-blank line of a JSON Lines file."""
    from .readers import _READERS

    total = 0

    def count(p: Path) -> None:
        nonlocal total
        suffix = p.suffix.lower()
        if suffix in (".jsonl", ".ndjson"):
            try:
                with open(p, "rb") as f:
                    total += sum(1 for line in f if line.strip())
            except OSError:
                pass
        elif suffix in _READERS:
            total += 1

    for p in map(Path, paths):
        if p.is_dir():
            for root, dirs, files in os.walk(p, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        count(Path(root, name))
        else:
            count(p)
    return total


@contextmanager
def progress_bar(paths: Iterable[str | Path], console=None,
                 threshold: int = PROGRESS_FROM) -> Iterator[Callable[[int], None] | None]:
    """A rich progress bar (articles done, rate, time left) for long runs on a
    terminal; yields the ``progress`` callback for ``build``, or None."""
    from rich.console import Console

    console = console or Console(stderr=True)
    paths = list(paths)
    if not console.is_terminal:
        yield None
        return
    total = estimate(paths)
    if total <= threshold:
        yield None
        return
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task) -> Text:
            return Text(f"{task.speed:.1f} articles/s" if task.speed else "… articles/s", style="progress.data.speed")

    with Progress(TextColumn("analysing"), BarColumn(), MofNCompleteColumn(), Rate(), TimeElapsedColumn(),
                  TextColumn("left"), TimeRemainingColumn(), console=console, transient=False) as bar:
        task = bar.add_task("build", total=total)
        yield lambda n: bar.advance(task, n)
        bar.update(task, completed=total)
