"""Nothing lost, nothing let in: kills, Ctrl-C, concurrent readers and writers,
schema migration. Real processes on a real SQLite file."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from make_corpus import generate  # noqa: E402

from dossier.export import story  # noqa: E402
from dossier.store import MIGRATIONS, SCHEMA_VERSION, open_store  # noqa: E402

N = 120


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("corpus")
    for i, a in enumerate(generate(N, seed=11)):
        (d / f"a{i:04d}.txt").write_text(a["text"], encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory):
    db = tmp_path_factory.mktemp("ref") / "ref.db"
    r = cli("build", corpus, "--db", db)
    assert r.returncode == 0, r.stderr
    return db


def cli(*args, **kw):
    return subprocess.run([sys.executable, "-m", "dossier.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=900, **kw)


def start(*args):
    return subprocess.Popen([sys.executable, "-m", "dossier.cli", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def snapshot(db) -> str:
    s = open_store(db)
    try:
        data = story(s)
    finally:
        s.close()
    for d in data["documents"]:
        d.pop("path")
    return json.dumps(data, sort_keys=True)


def wait_for_documents(db, n, proc, limit=120.0):
    t0 = time.time()
    while time.time() - t0 < limit and proc.poll() is None:
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
            count = con.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
            con.close()
            if count >= n:
                return
        except sqlite3.OperationalError:
            pass  # the store is not created yet
        time.sleep(0.05)


def test_sigkill_at_random_points_then_resume_equals_uninterrupted(corpus, reference, tmp_path):
    db = tmp_path / "killed.db"
    rnd = random.Random(3)
    for target in sorted(rnd.sample(range(5, N - 5), 3)):
        p = start("build", corpus, "--db", db)
        wait_for_documents(db, target, p)
        p.send_signal(signal.SIGKILL)
        p.wait()
    r = cli("build", corpus, "--db", db)
    assert r.returncode == 0, r.stderr
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == N
    con.close()
    assert snapshot(db) == snapshot(reference)


def test_ctrl_c_stops_cleanly_and_says_how_to_resume(corpus, reference, tmp_path):
    db = tmp_path / "int.db"
    p = start("build", corpus, "--db", db)
    wait_for_documents(db, 10, p)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=120)
    assert p.returncode == 130
    assert "interrupted" in err and "rerun" in err
    assert cli("build", corpus, "--db", db).returncode == 0
    assert snapshot(db) == snapshot(reference)


def test_readers_never_see_half_an_article_nor_a_lock_error(corpus, reference, tmp_path):
    db = tmp_path / "live.db"
    final = sqlite3.connect(reference)
    expected = dict(final.execute("SELECT document, COUNT(*) FROM mentions GROUP BY document"))
    final.close()
    p = start("build", corpus, "--db", db)
    checks = 0
    while p.poll() is None:
        if db.exists():
            try:
                con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
                con.execute("BEGIN")  # one consistent snapshot
                docs = [r[0] for r in con.execute("SELECT id FROM documents")]
                seen = dict(con.execute("SELECT document, COUNT(*) FROM mentions GROUP BY document"))
                con.execute("COMMIT")
                con.close()
            except sqlite3.OperationalError as exc:
                if "no such table" in str(exc):
                    continue  # the very first migration is not committed yet
                raise
            for d in docs:
                assert seen.get(d, 0) == expected.get(d, 0)
            checks += 1
        time.sleep(0.02)
    assert p.returncode == 0
    assert checks > 5


def test_two_builds_on_one_store_serialise_safely(corpus, reference, tmp_path):
    db = tmp_path / "twice.db"
    p1, p2 = start("build", corpus, "--db", db), start("build", corpus, "--db", db)
    for p in (p1, p2):
        _, err = p.communicate(timeout=900)
        assert p.returncode == 0, err
        assert "locked" not in err
    assert snapshot(db) == snapshot(reference)


def test_older_store_is_migrated_and_keeps_its_data(tmp_path):
    db = tmp_path / "v1.db"
    con = sqlite3.connect(db)
    con.executescript(MIGRATIONS[0])
    con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    con.execute("INSERT INTO documents (id, language, text) VALUES ('doc_x', 'en', 'An old article.')")
    con.commit()
    con.close()
    s = open_store(db)
    assert s.schema_version() == SCHEMA_VERSION
    assert [d["id"] for d in s.documents()] == ["doc_x"]
    assert story(s)["contradictions"] == []  # v2 tables exist
    s.close()


def test_failed_export_leaves_no_partial_file(tmp_path, monkeypatch):
    from dossier import export as ex

    target = tmp_path / "story.json"
    target.write_text("previous export", encoding="utf-8")

    class Boom(Exception):
        pass

    def fail(*a, **k):
        raise Boom()

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(Boom):
        ex.write_atomic(target, "new content")
    assert target.read_text(encoding="utf-8") == "previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["story.json"]


def test_server_reads_a_store_while_a_build_writes_it(corpus, tmp_path):
    """`dossier serve` on a store being built answers every request, never a lock error."""
    import socket
    import urllib.request

    db = tmp_path / "served.db"
    seed = cli("build", ROOT / "examples", "--db", db)  # the server needs a store to open
    assert seed.returncode == 0, seed.stderr
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # the access log goes to a file: an unread pipe would fill and stall the server
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "dossier.cli", "serve", "--db", str(db), "--port", str(port)],
                              stdout=log, stderr=log)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/api/summary", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        builder = start("build", corpus, "--db", db)
        answers, seen_docs = 0, []
        while builder.poll() is None:
            for path in ("/api/summary", "/api/entities?limit=50", "/api/events?limit=50"):
                with urllib.request.urlopen(base + path, timeout=30) as r:
                    assert r.status == 200
                    json.loads(r.read())
                    answers += 1
            with urllib.request.urlopen(base + "/api/documents?limit=1", timeout=30) as r:
                seen_docs.append(json.loads(r.read())["total"])
        assert builder.returncode == 0
        assert answers > 10
        assert seen_docs == sorted(seen_docs)  # the store only grows, article by article
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
