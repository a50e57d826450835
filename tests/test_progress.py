"""Progress of ``dossier build``: true rate and time left, plain lines when
stderr is not a terminal, Ctrl-C within 2 s keeping exactly what was reported.
Real ``dossier`` processes on real SQLite files; the corpus is generated
(benchmarks/make_corpus.py: invented names, template sentences)."""

from __future__ import annotations

import io
import json
import re
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from rich.console import Console

from conftest import ROOT

from dossier import parallel

sys.path.insert(0, str(ROOT / "benchmarks"))
from make_corpus import generate  # noqa: E402

LINE = re.compile(r"^dossier build: (\d+)/(\d+) articles, (…|[\d.]+)/s, (\d+):(\d\d):(\d\d) elapsed(.*)$")


def corpus(path, n: int, seed: int):
    with path.open("w", encoding="utf-8") as f:
        for a in generate(n, seed=seed):
            f.write(json.dumps(a, ensure_ascii=False) + "\n")
    return path


def dossier(*args) -> list[str]:
    return [sys.executable, "-m", "dossier.cli", *map(str, args)]


def progress_lines(stderr: str) -> list[tuple[int, int, float | None, int, str]]:
    """(done, total, rate, elapsed seconds, rest) of each progress line."""
    out = []
    for line in stderr.splitlines():
        m = LINE.match(line)
        if m:
            rate = None if m[3] == "…" else float(m[3])
            out.append((int(m[1]), int(m[2]), rate, int(m[4]) * 3600 + int(m[5]) * 60 + int(m[6]), m[7]))
    return out


def documents(db) -> int:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return con.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    finally:
        con.close()


# -- the formatter, on a fake clock ------------------------------------------

def test_rate_is_articles_over_wall_time_since_the_start_and_time_left_follows():
    now = [1000.0]
    m = parallel.Meter(300, clock=lambda: now[0])
    assert m.text() == "0/300 · … articles/s · 0:00:00 elapsed"  # models loading: no rate yet
    now[0] += 14
    m.done = 42
    assert m.rate() == 3.0 and m.left() == 86.0
    assert m.text() == "42/300 · 3.0 articles/s · 0:00:14 elapsed · about 0:01:26 left"
    assert m.line() == "dossier build: 42/300 articles, 3.0/s, 0:00:14 elapsed, about 0:01:26 left"
    now[0] += 1  # a burst of 64 in one second does not make the rate 64/s
    m.done += 64
    assert m.rate() == pytest.approx(106 / 15)
    now[0] = 1000.0 + 3661
    m.done = 300
    assert m.text() == "300/300 · 0.082 articles/s · 1:01:01 elapsed"  # done: nothing left to announce
    assert m.line("interrupted").endswith("1:01:01 elapsed, interrupted")
    m.total = 250  # an estimate that was short never shows more done than the total
    assert m.text().startswith("300/300 ")


def test_lines_every_tenth_of_the_run_and_during_a_stall(monkeypatch):
    monkeypatch.setattr(parallel, "LINE_EVERY", 0.3)
    console = Console(file=io.StringIO(), force_terminal=False, width=40)  # narrower than a line: no wrap
    with parallel._lines(parallel.Meter(100), console) as advance:
        for _ in range(25):
            advance(1)
        time.sleep(0.8)  # nothing done for a while: the timer still reports
    lines = progress_lines(console.file.getvalue())
    assert len(lines) == len(console.file.getvalue().splitlines())  # every line whole
    assert [d for d, *_ in lines[:2]] == [10, 20] and len(lines) >= 4
    assert all(d == 25 for d, *_ in lines[2:]) and lines[-1][1] == 25  # the last line: what was done


def test_an_interrupted_run_says_how_far_it_got():
    console = Console(file=io.StringIO(), force_terminal=False)
    with pytest.raises(KeyboardInterrupt):
        with parallel._lines(parallel.Meter(100), console) as advance:
            advance(3)
            raise KeyboardInterrupt
    done, total, *_, rest = progress_lines(console.file.getvalue())[-1]
    assert (done, total, rest) == (3, 100, ", interrupted")


def test_the_terminal_bar_is_labelled_and_redrawn_while_nothing_ends(tmp_path):
    src = corpus(tmp_path / "a.jsonl", 5, seed=1)
    console = Console(file=io.StringIO(), force_terminal=True, color_system=None, width=160)
    with parallel.progress_bar([src], console, threshold=1) as progress:
        progress(2)
        time.sleep(0.3)
        before = console.file.getvalue()
        time.sleep(1.3)  # no article ends: the auto refresh (2 a second) redraws anyway
        assert len(console.file.getvalue()) > len(before)
    shown = console.file.getvalue()
    assert re.search(r"analysing .* 2/5 · [\d.]+ articles/s · 0:00:0\d elapsed · about 0:00:\d\d left", shown)
    assert "2/2 · " in shown.split("\r")[-1]  # at the end, what was done (the estimate said 5)


# -- the real command ------------------------------------------------------

def test_build_reports_progress_lines_when_stderr_is_not_a_terminal(tmp_path):
    n = 60
    src = corpus(tmp_path / "articles.jsonl", n, seed=21)
    db = tmp_path / ("a-store-with-a-name-long-enough-that-the-summary-passes-eighty-columns" + ".db")
    t0 = time.monotonic()
    r = subprocess.run(dossier("build", src, "--db", db, "--workers", "1"), capture_output=True, text=True,
                       timeout=600)
    wall = time.monotonic() - t0
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines() == [f"dossier build: {n} stored, 0 already in the store, 0 skipped, "
                                             f"0 failed → {db}"]  # one line, not wrapped at 80 columns
    lines = progress_lines(r.stderr)
    assert len(lines) >= 8, r.stderr  # every tenth of the run
    done = [d for d, *_ in lines]
    elapsed = [e for *_, e, _ in lines]
    assert done == sorted(done) and elapsed == sorted(elapsed) and done[-1] == n
    assert all(t == n for _, t, *_ in lines)
    for d, _, rate, e, rest in lines:
        if not d:  # a line while the models load: no rate yet
            assert rate is None
            continue
        assert d / (e + 1) - 0.05 <= rate <= d / max(e, 1e-9) + 0.05  # done / elapsed
        assert ("about" in rest) == (d < n)
    assert n / wall * 0.9 <= lines[-1][2] <= n / 1.0  # the run's own rate, not a burst's
    # --quiet: only the summary
    r = subprocess.run(dossier("build", src, "--db", db, "--quiet"), capture_output=True, text=True, timeout=600)
    assert r.returncode == 0 and r.stderr == "" and f"{n} already in the store" in r.stdout


def test_ctrl_c_stops_within_2_s_keeping_what_it_reported_then_resumes(tmp_path):
    n = 80
    src = corpus(tmp_path / "articles.jsonl", n, seed=33)
    db = tmp_path / "store.db"
    kept = 0
    for workers in (2, 1):  # a pool, then one process resuming the same store
        p = subprocess.Popen(dossier("build", src, "--db", db, "--workers", workers), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while p.poll() is None and time.monotonic() < deadline:
            try:
                if documents(db) > kept:  # this run stored some
                    break
            except sqlite3.OperationalError:
                pass  # not created yet
            time.sleep(0.05)
        assert p.poll() is None, "the build ended before it could be interrupted"
        t0 = time.monotonic()
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=60)  # until every process holding its stderr is gone: workers too
        stopped = time.monotonic() - t0
        assert p.returncode == 130 and "interrupted" in err and "rerun" in err, err
        assert stopped < 2.0, f"--workers {workers}: {stopped:.2f} s to stop"
        done, _, *_, rest = progress_lines(err)[-1]
        assert rest == ", interrupted"
        assert kept < done < n and documents(db) == done  # exactly what it reported
        kept = done
        con = sqlite3.connect(db)  # whole articles only: each has its mentions
        assert con.execute("SELECT COUNT(*) FROM documents WHERE id NOT IN (SELECT document FROM mentions)"
                           ).fetchone()[0] == 0
        con.close()
    r = subprocess.run(dossier("build", src, "--db", db), capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert f"{n - kept} stored, {kept} already in the store, 0 skipped, 0 failed" in r.stdout
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert documents(db) == n
    assert con.execute("SELECT COUNT(*) FROM documents WHERE id NOT IN (SELECT document FROM mentions)"
                       ).fetchone()[0] == 0
    con.close()
