"""Parallel local builds: a process pool analyses batches of articles, the
parent process alone writes them (SQLite has one writer).

Each worker process loads spaCy and the components once and sends analysed
:class:`~dossier.model.Doc` objects back as each spaCy minibatch is done, not
at the end of its batch (pickled dataclasses without their tokens, which the
store does not keep: negligible next to the analysis), so progress moves
steadily. Articles are written in input order, so a parallel build stores
exactly what a sequential one does (the first article naming an entity gives
it its name in both). Workers ignore Ctrl-C: the parent ends them at once.

The pool runs parsing *and* components in parallel, with ``n_process=1``
inside each worker: spaCy's ``n_process`` starts new processes at every
``pipe`` call and ships every parsed spaCy Doc back, and only its parsing
would run in them, the components staying serial; both at once oversubscribe
the cores (the measurements are in BENCHMARKS.md). A run of fewer than
``PARALLEL_FROM`` articles (estimated from the files) stays in one process.

Batches hold one language and the parent gives each worker batches in the
languages it already has (see ``LOAD_BATCHES``), so on a mixed corpus each
model is loaded by one worker. The parent never imports spaCy, starts its
workers as soon as the first articles are read, and gets back Docs without
tokens, sentences or raw NER spans.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import threading
import time
from collections import deque
from contextlib import contextmanager
from multiprocessing.connection import wait
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .build import BuildReport, _analyse_iter
from .build import build as _build
from .model import Doc
from .pipeline import DEFAULT

# articles per task: small enough to balance the workers at the end of a run,
# large enough for spaCy's batching and a cheap round trip. Measured (400
# synthetic articles, CPU time of one process): batches of 8 cost 8-10% more
# than batches of 32 (spaCy's minibatches of blocks stay under-filled and every
# call pays its set-up), 64 saves another ~4% but leaves up to twice as long a
# tail with one worker idle; 32 is also the sequential build's batch. A worker
# sends each article back as soon as it is done, so the batch size does not
# make progress jump.
BATCH = 32
# The first batches are smaller (FIRST_BATCH articles each, doubling at each
# round of one batch per worker up to BATCH): results can only be written in
# input order, so the first write waits for the whole first batch's first
# spaCy minibatch, after its worker loaded its model; a small first batch is
# written (and kept by an interrupted build) a few seconds sooner.
FIRST_BATCH = 4
# show progress from this many articles on
PROGRESS_FROM = 50
# below this many articles, loading the models in every worker costs more than it saves
PARALLEL_FROM = 50


def default_workers() -> int:
    return os.cpu_count() or 1


# -- worker side ----------------------------------------------------------

def _serve(tasks, results, names: tuple[str, ...]) -> None:
    """A worker process: analyse the batches ``(order, docs)`` received on
    ``tasks``, sending back ``(order, docs, None)`` for the docs of each spaCy
    minibatch as soon as they are done, ``(order, [], message)`` for one that
    failed (all in the batch's order), then ``(order, None, None)``."""
    from . import pipeline

    # Ctrl-C reaches every process of the terminal's group: the parent alone
    # decides, and ends the workers at once (it started them with SIGINT blocked)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    parent = os.getppid()

    def orphaned() -> None:  # the parent was killed: do not linger
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    inbox: queue.SimpleQueue = queue.SimpleQueue()

    def receive() -> None:  # always reading, so the parent never blocks sending while this sends it results
        while True:
            try:
                task = tasks.recv()
            except (EOFError, OSError):
                task = None
            inbox.put(task)
            if task is None:
                return

    outbox: queue.SimpleQueue = queue.SimpleQueue()

    def send() -> None:  # sending from here, the analysis never waits for the parent (writing) to read
        while (message := outbox.get()) is not None:
            try:
                results.send(message)
            except OSError:  # the parent is gone: nobody to tell
                os._exit(1)

    threading.Thread(target=orphaned, daemon=True, name="dossier-orphan-watch").start()
    threading.Thread(target=receive, daemon=True, name="dossier-receive").start()
    sender = threading.Thread(target=send, daemon=True, name="dossier-send")
    sender.start()
    pipeline.components(names)  # a model is loaded with the first batch in its language
    while (task := inbox.get()) is not None:
        order, docs = task
        for group in _analyse_iter(docs, names, lambda msg, skipped: outbox.put((order, [], msg))):
            # The parent only writes the docs to the store, which keeps no
            # token, sentence or raw NER span: they are ~85% of a pickled Doc
            # (unpickled by the parent, on the same cores as the workers).
            for d in group:
                d.tokens, d.sentences, d.ner = [], [], []
            outbox.put((order, group, None))
        outbox.put((order, None, None))
    outbox.put(None)
    sender.join()
    os._exit(0)  # everything is sent: tearing down spaCy's objects would only delay the parent ~0.5 s


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
    """One article in input order: done once it came back, ``out`` is then
    the analysed Doc (None if it failed, with its message in ``problem``)."""

    __slots__ = ("doc", "done", "out", "problem")

    def __init__(self, doc: Doc):
        self.doc, self.done, self.out = doc, False, None
        self.problem: str | None = None


class _Batch:
    def __init__(self, order: int, slots: list[_Slot]):
        self.order, self.slots, self.lang = order, slots, slots[0].doc.language
        self.next = 0  # the worker answers for the slots in order

    def take(self, doc: Doc | None, message: str | None) -> None:
        if self.next == len(self.slots):  # the batch already failed (a result that could not be read)
            return
        slot = self.slots[self.next]
        self.next += 1
        slot.done, slot.out, slot.problem = True, doc, message

    def fail(self, reason: str) -> None:
        while self.next < len(self.slots):
            self.take(None, f"{self.slots[self.next].doc.article.path}: analysis failed ({reason})")


@contextmanager
def _sigint_blocked() -> Iterator[None]:
    """A process started in here inherits SIGINT blocked, so a Ctrl-C while
    it starts is neither a traceback there nor lost here (delivered after)."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


class _Worker:
    """One process, fed one-language batches on a pipe; it streams results back on another."""

    def __init__(self, context, names: tuple[str, ...]):
        their_tasks, self.tasks = context.Pipe(duplex=False)
        self.results, their_results = context.Pipe(duplex=False)
        # daemon: never outlives the parent's interpreter
        self.process = context.Process(target=_serve, args=(their_tasks, their_results, names), daemon=True,
                                       name="dossier-worker")
        with _sigint_blocked():
            self.process.start()
        their_tasks.close()  # the parent's copies: the worker's death then reads as EOF here
        their_results.close()
        self.langs: set[str] = set()
        self.inflight: list[_Batch] = []  # sent, in order; the first is the one being analysed
        self.outbox: queue.SimpleQueue = queue.SimpleQueue()
        threading.Thread(target=self._feed, daemon=True, name="dossier-feed").start()

    def _feed(self) -> None:
        """Send the batches from a thread: a worker busy parsing takes a while
        to read one (100 kB and more), and meanwhile the parent must go on
        writing and reporting progress. None, the last, ends the worker."""
        while True:
            task = self.outbox.get()
            try:
                self.tasks.send(task)
            except OSError:  # the worker is gone: its results read as EOF in _collect
                return
            if task is None:
                return

    def send(self, batch: _Batch) -> None:
        self.outbox.put((batch.order, [s.doc for s in batch.slots]))
        self.inflight.append(batch)

    def end(self, now: bool) -> None:
        """Ask the worker to end; ``now``: at once, its work is not wanted."""
        if now:
            self.process.terminate()
        self.outbox.put(None)

    def reap(self, now: bool) -> None:
        self.process.join(1 if now else 10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.tasks.close()
        self.results.close()


class PoolRunner:
    """A ``build`` runner: one-language batches go to worker processes, results
    come back a few articles at a time and are released in input order, at most
    ``AHEAD_BATCHES`` batches per worker read ahead of the oldest article not
    yet written."""

    def __init__(self, workers: int, context: str = "spawn"):
        self.workers = max(1, workers)
        self.context = context
        self.pool: list[_Worker] | None = None
        self.names: tuple[str, ...] = DEFAULT
        self.sequence: deque[_Slot] = deque()  # read and not yet returned, in input order
        self.filling: dict[str, list[_Slot]] = {}  # per language, the batch being filled
        self.ready: dict[str, deque[_Batch]] = {}  # per language, batches waiting for a worker
        self.batches = 0

    def _start(self, names: tuple[str, ...]) -> None:
        self.names = names
        if self.pool is None:
            # spawn: a fresh interpreter per worker, safe beside the progress
            # display's thread (fork is not) and with nothing inherited
            self.pool = [self._new() for _ in range(self.workers)]

    def _new(self) -> _Worker:
        return _Worker(multiprocessing.get_context(self.context), self.names)

    def __call__(self, docs: list[Doc], names: tuple[str, ...], problem: Callable[[str, bool], None],
                 final: bool) -> Iterator[list[Doc]]:
        """Yields the analysed docs as soon as they can be written in input
        order, so the parent writes (and progress moves) as the workers go."""
        if docs:
            if self.pool is None and final:  # one batch: not worth the processes
                yield from _analyse_iter(docs, names, problem)
                return
            self._start(names)
            for d in docs:
                slot = _Slot(d)
                self.sequence.append(slot)
                group = self.filling.setdefault(d.language, [])
                group.append(slot)
                if len(group) >= self._size():
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

    def _size(self) -> int:
        """Articles in the next batch: FIRST_BATCH for the first batch of each
        worker, twice as many at each later round, at most BATCH."""
        return min(BATCH, FIRST_BATCH << min(8, self.batches // self.workers))

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
                    w.send(batch)

    def _collect(self, block: bool) -> None:
        """Take in what the workers sent (with ``block``, wait for something)."""
        if block:
            wait([w.results for w in self.pool or ()])
        for i, w in enumerate(self.pool or ()):
            while True:
                try:
                    if not w.results.poll():
                        break
                    _, docs, message = w.results.recv()
                except (EOFError, OSError) as exc:  # the worker died (killed, out of memory)
                    self.pool[i] = self._replace(w, exc)
                    break
                except Exception as exc:  # noqa: BLE001  (e.g. a result that cannot be unpickled)
                    w.inflight[0].fail(f"{type(exc).__name__}: {exc}")  # the rest of its batch goes with it
                    continue
                batch = w.inflight[0]  # a worker answers for its batches in order
                if docs is None:
                    batch.fail("no result")  # nothing left, normally
                    w.inflight.pop(0)
                    continue
                for d in docs:
                    batch.take(d, None)
                if message:
                    batch.take(None, message)

    def _replace(self, w: _Worker, exc: Exception) -> _Worker:
        """A new worker for one that died: only the batch it was analysing is lost,
        the ones queued behind it go back to be sent again."""
        if w.inflight:
            w.inflight.pop(0).fail(f"worker process died: {str(exc) or type(exc).__name__}")
        for b in reversed(w.inflight):
            self.ready.setdefault(b.lang, deque()).appendleft(b)
        w.inflight.clear()
        w.end(now=True)
        w.reap(now=True)
        return self._new()

    def _release(self, problem: Callable[[str, bool], None]) -> list[Doc]:
        out: list[Doc] = []
        while self.sequence and self.sequence[0].done:
            slot = self.sequence.popleft()
            if slot.problem:
                problem(slot.problem, False)
            if slot.out is not None:
                out.append(slot.out)
        return out

    def close(self, now: bool = False) -> None:
        """End the workers; ``now`` (on Ctrl-C or an error): without waiting for their batches."""
        for w in self.pool or ():  # all asked first, then each waited for
            w.end(now)
        for w in self.pool or ():
            w.reap(now)
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
    done = False
    try:
        # the runner is handed articles FIRST_BATCH at a time: the workers start,
        # and the first small batch goes out, as soon as that many are read
        report = _build(paths, store, components=components, notify=notify, progress=progress,
                        runner=runner, batch=FIRST_BATCH)
        done = True
        return report
    finally:
        runner.close(now=not done)  # on Ctrl-C, stop at once: what is stored stays


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


# without a terminal (a file, a CI log): a progress line every tenth of the
# run or every LINE_EVERY seconds, whichever comes first
LINE_EVERY = 10.0


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


class Meter:
    """Articles done against the wall clock since the start: the true average
    rate (not an estimate over a window, which bursts of results inflate) and
    the time left at that rate."""

    def __init__(self, total: int, clock: Callable[[], float] = time.monotonic):
        self.total, self.done, self.clock = total, 0, clock
        self.start = clock()

    def elapsed(self) -> float:
        return self.clock() - self.start

    def rate(self) -> float | None:
        elapsed = self.elapsed()
        return self.done / elapsed if self.done and elapsed > 0 else None

    def left(self) -> float | None:
        rate = self.rate()
        return max(0, self.total - self.done) / rate if rate else None

    def _parts(self, per: str, end: str | None) -> list[str]:
        rate, left = self.rate(), self.left()
        shown = "…" if not rate else f"{rate:.1f}" if rate >= 1 else f"{rate:.2g}"  # not 0.0 while slow
        parts = [shown + per, f"{_clock(self.elapsed())} elapsed"]
        if end:
            parts.append(end)
        elif left is not None and self.done < self.total:
            parts.append(f"about {_clock(left)} left")
        return parts

    def text(self) -> str:
        """``42/300 · 3.1 articles/s · 0:00:14 elapsed · about 0:01:23 left``"""
        return " · ".join([f"{self.done}/{max(self.total, self.done)}", *self._parts(" articles/s", None)])

    def line(self, end: str | None = None) -> str:
        """``dossier build: 120/300 articles, 3.0/s, 0:00:40 elapsed, about 0:01:20 left``"""
        return ", ".join([f"dossier build: {self.done}/{max(self.total, self.done)} articles",
                          *self._parts("/s", end)])


@contextmanager
def progress_bar(paths: Iterable[str | Path], console=None,
                 threshold: int = PROGRESS_FROM) -> Iterator[Callable[[int], None] | None]:
    """Progress of a build of more than ``threshold`` articles on ``console``
    (stderr): on a terminal a bar redrawn twice a second, otherwise a plain
    line now and then; yields the ``progress`` callback for ``build``, or None."""
    from rich.console import Console

    console = console or Console(stderr=True)
    total = estimate(list(paths))
    if total <= threshold:
        yield None
        return
    meter = Meter(total)
    if not console.is_terminal:
        with _lines(meter, console) as advance:
            yield advance
        return
    from rich.progress import Progress, ProgressColumn
    from rich.text import Text

    # the longest the words get (so the bar keeps its width): "analysing 300/300 · 00.0 articles/s · …"
    longest = len(f"analysing {total}/{total} · 00.0 articles/s · 0:00:00 elapsed · about 0:00:00 left ")

    class Line(ProgressColumn):
        """One line that fits the terminal (rich's table of columns wraps at 80):
        a bar, up to 40 columns, only where the words leave room for it."""

        def render(self, task) -> Text:
            words = meter.text()
            room = min(40, console.width - longest - 1)
            if room < 10:
                return Text(f"analysing {words}", no_wrap=True, overflow="ellipsis")
            full = round(room * meter.done / max(meter.total, meter.done, 1))
            return Text.assemble("analysing ", ("━" * full, "bar.complete"), ("━" * (room - full), "bar.back"),
                                 " " + words, no_wrap=True, overflow="ellipsis")

    # auto refresh: elapsed and time left move even while no article ends (models loading, a long article)
    with Progress(Line(), console=console, transient=False, refresh_per_second=2) as bar:
        bar.add_task("build", total=None)

        def advance(n: int) -> None:
            meter.done += n

        yield advance
        meter.total = meter.done  # the estimate may be off: end at 100%
        bar.refresh()


@contextmanager
def _lines(meter: Meter, console) -> Iterator[Callable[[int], None]]:
    """Plain progress lines: every tenth of the run, and every ``LINE_EVERY``
    seconds from a timer thread (so a stall shows too); a last line at the end."""
    every = max(1, -(-meter.total // 10))
    lock = threading.RLock()
    last = [meter.elapsed(), 0]  # time and count of the last line
    stop = threading.Event()

    def emit(end: str | None = None) -> None:
        with lock:
            last[:] = [meter.elapsed(), meter.done]
            console.print(meter.line(end), soft_wrap=True, highlight=False, markup=False)

    def advance(n: int) -> None:
        meter.done += n
        if meter.done // every > last[1] // every or meter.elapsed() - last[0] >= LINE_EVERY:
            emit()

    def tick() -> None:
        while not stop.wait(LINE_EVERY / 10):
            if meter.elapsed() - last[0] >= LINE_EVERY:
                emit()

    timer = threading.Thread(target=tick, daemon=True, name="dossier-progress")
    timer.start()
    try:
        yield advance
    except BaseException as exc:
        stop.set()
        emit("stopped by an error" if isinstance(exc, Exception) else "interrupted")
        raise
    finally:
        stop.set()
        timer.join(1)
    if last[1] != meter.done or meter.total != meter.done:  # the last line says what was done, all of it
        meter.total = meter.done
        emit()
