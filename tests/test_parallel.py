"""Parallel local builds: a process pool analyses, the parent alone writes."""

from __future__ import annotations

import io

from rich.console import Console

from dossier import parallel
from dossier.export import story
from dossier.store import Store

from pg import ARTICLES, canonical, usable_components, write_jsonl


def test_two_workers_store_the_same_story(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "BATCH", 2)  # 6 articles: three batches, two workers busy
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 0)  # a pool even for so few
    src = write_jsonl(tmp_path / "articles.jsonl", ARTICLES + ARTICLES[:1])  # with a duplicate
    names = usable_components()
    stories, reports = [], []
    for workers in (1, 2):
        with Store(tmp_path / f"w{workers}.db") as st:
            done: list[int] = []
            report = parallel.build([src], st, workers=workers, components=names, progress=done.append)
            reports.append((report.stored, report.unchanged, report.failed))
            assert sum(done) == len(ARTICLES) + 1
            stories.append(story(st))
    assert reports[0] == reports[1] == (len(ARTICLES), 1, 0)
    # written in input order, so even the order of the story is the same
    assert stories[0] == stories[1]


def test_a_small_run_stays_in_process(tmp_path, monkeypatch):
    runner = parallel.PoolRunner(2)
    docs = list(runner([], ("entities",), lambda *a: None, True))
    assert docs == [] and runner.pool is None


def test_progress_for_long_runs_as_a_bar_on_a_terminal_else_as_lines(tmp_path):
    src = write_jsonl(tmp_path / "many.jsonl", ARTICLES * 10)
    assert parallel.estimate([src, tmp_path]) == 2 * len(ARTICLES) * 10  # the file, then its directory
    short = write_jsonl(tmp_path / "few.jsonl")
    for terminal in (False, True):
        console = Console(file=io.StringIO(), force_terminal=terminal, width=200)
        with parallel.progress_bar([short], console) as progress:
            assert progress is None
        with parallel.progress_bar([src], console) as progress:
            progress(3)
            progress(1)
        shown = console.file.getvalue()
        if terminal:
            assert "analysing" in shown and "4/4" in shown and "articles/s" in shown  # the estimate was off: 4/4
        else:
            assert shown.splitlines()[-1].startswith("dossier build: 4/4 articles, ")


def test_few_articles_are_analysed_in_process(tmp_path, monkeypatch):
    started = []
    monkeypatch.setattr(parallel.PoolRunner, "_start", lambda self, *a: started.append(a))
    src = write_jsonl(tmp_path / "few.jsonl", ARTICLES[:2])
    with Store(tmp_path / "few.db") as st:
        report = parallel.build([src], st, workers=2, components=("entities",))
    assert report.stored == 2 and not started


def test_default_workers_is_every_core():
    import os

    assert parallel.default_workers() == (os.cpu_count() or 1)
