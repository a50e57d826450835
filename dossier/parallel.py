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
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
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

def _init(langs: tuple[str, ...], names: tuple[str, ...]) -> None:
    """Runs once in each worker: load the models and the components."""
    import threading

    from . import nlp, pipeline

    parent = os.getppid()

    def orphaned() -> None:  # the parent was killed: do not linger
        import time

        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=orphaned, daemon=True, name="dossier-orphan-watch").start()

    for lang in langs:
        nlp.load(lang)
    pipeline.components(names)


def _work(docs: list[Doc], names: tuple[str, ...]) -> tuple[list[Doc], list[tuple[str, bool]]]:
    problems: list[tuple[str, bool]] = []
    good = _analyse_batch(docs, names, lambda msg, skipped: problems.append((msg, skipped)))
    # The parent only writes the docs to the store, which keeps no token:
    # the tokens are ~80% of a pickled Doc (unpickled by the parent, on the
    # same cores as the workers), so they stay here.
    for d in good:
        d.tokens = []
    return good, problems


# -- parent side ----------------------------------------------------------

class PoolRunner:
    """A ``build`` runner: batches go to a process pool, results come back in
    input order, at most ``2 * workers`` batches in flight."""

    work = staticmethod(_work)  # what a worker runs on one batch (module-level, so it pickles)

    def __init__(self, workers: int, context: str = "spawn"):
        self.workers = max(1, workers)
        self.window = 2 * self.workers
        self.context = context
        self.pool: ProcessPoolExecutor | None = None
        self.inflight: deque[tuple[Future, list[Doc]]] = deque()
        self.names: tuple[str, ...] = DEFAULT

    def _start(self, docs: list[Doc], names: tuple[str, ...]) -> ProcessPoolExecutor:
        self.names = names
        if self.pool is None:
            langs = tuple(sorted({d.language for d in docs}))
            # spawn: a fresh interpreter per worker, safe beside the progress
            # bar's thread (fork is not) and with nothing inherited
            self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context(self.context),
                                            initializer=_init, initargs=(langs, names))
        return self.pool

    def __call__(self, docs: list[Doc], names: tuple[str, ...], problem: Callable[[str, bool], None],
                 final: bool) -> list[Doc]:
        if docs:
            if self.pool is None and final:
                return _analyse_batch(docs, names, problem)  # one batch: not worth the processes
            self.inflight.append((self._start(docs, names).submit(self.work, docs, names), docs))
        out: list[Doc] = []
        while self.inflight and (final or len(self.inflight) > self.window or self.inflight[0][0].done()):
            future, batch = self.inflight.popleft()
            try:
                good, problems = future.result()
            except BrokenProcessPool as exc:  # a worker died (killed, out of memory): lose only its batch
                for d in batch:
                    problem(f"{d.article.path}: analysis failed (worker process died: {exc})", False)
                self._restart()
                continue
            except Exception as exc:  # noqa: BLE001  (e.g. a result that cannot be unpickled)
                for d in batch:
                    problem(f"{d.article.path}: analysis failed ({type(exc).__name__}: {exc})", False)
                continue
            for msg, skipped in problems:
                problem(msg, skipped)
            out.extend(good)
        return out

    def _restart(self) -> None:
        """After a crash every pending future is lost too: resubmit them."""
        pending = list(self.inflight)
        self.inflight.clear()
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None
        for _, batch in pending:
            self.inflight.append((self._start(batch, self.names).submit(self.work, batch, self.names), batch))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
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
