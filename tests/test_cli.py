"""The real ``dossier`` command, end to end, on the sample articles."""

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, shared_or_skip

DOSSIER = [sys.executable, "-m", "dossier.cli"]


def dossier(*args, cwd):
    env = {**os.environ, "COLUMNS": "160"}
    return subprocess.run([*DOSSIER, *map(str, args)], cwd=cwd, capture_output=True, text=True, env=env, timeout=600)


def example_articles() -> int:
    """How many articles examples/ holds (one per file, one per JSON line): others add examples."""
    return sum(sum(1 for line in p.read_text(encoding="utf-8").splitlines() if line.strip()) if p.suffix == ".jsonl"
               else 1 for p in (ROOT / "examples").iterdir() if p.suffix in (".txt", ".html", ".htm", ".jsonl"))


def test_build_show_export_on_examples(tmp_path, backend, databases):
    """On both backends: SQLite is the default store in the working directory,
    PostgreSQL is given with --db postgresql://…"""
    db = [] if backend == "sqlite" else ["--db", databases.new()]
    r = dossier("build", ROOT / "examples", *db, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "failed" in r.stdout and " 0 failed" in r.stdout
    assert (tmp_path / "dossier.db").exists() == (backend == "sqlite")
    again = dossier("build", ROOT / "examples", *db, cwd=tmp_path)
    assert "0 stored" in again.stdout

    show = dossier("show", *db, cwd=tmp_path)
    assert show.returncode == 0, show.stderr
    for name in ("Elon Musk", "Sam Altman", "OpenAI"):
        assert name in show.stdout
    assert "97.4 billion USD" in show.stdout

    out = tmp_path / "story.json"
    exp = dossier("export", "--format", "json", "-o", out, *db, cwd=tmp_path)
    assert exp.returncode == 0, exp.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "dossier" and len(data["documents"]) == example_articles()
    assert {d["language"] for d in data["documents"]} == {"fr", "en"}

    # the cross-article story: one bid reported by several outlets, one of which disagrees
    bids = [e for e in data["events"] if e["type"] == "acquisition_offer" and e["roles"]["amount"]
            and e["roles"]["amount"]["value"] in (97.4e9, 98e9)]
    assert len(bids) == 1 and len(bids[0]["sources"]) >= 3
    con = dossier("contradictions", *db, cwd=tmp_path)
    assert "disagree on the amount" in con.stdout and "98,000,000,000 USD" in con.stdout
    tl = dossier("timeline", "--entity", "Musk", *db, cwd=tmp_path)
    assert tl.returncode == 0 and "acquisition_offer: Elon Musk → OpenAI" in tl.stdout
    quiet = dossier("timeline", "--entity", "Musk", "-q", *db, cwd=tmp_path).stdout.splitlines()
    assert quiet == [line for line in tl.stdout.splitlines() if not line.startswith(" ")]  # no sources
    verbose = dossier("timeline", "--entity", "Musk", "-v", *db, cwd=tmp_path).stdout
    assert "“Elon Musk propose 97,4 milliards de dollars pour reprendre OpenAI”" in verbose  # the reporting sentences
    why = dossier("why", "Musk", "Elon Musk", *db, cwd=tmp_path)
    assert why.returncode == 0 and why.stdout.startswith("'Musk' and 'Elon Musk' are one entity: Elon Musk (PERSON)")

    # the export imported into a new store of the same backend is the same story
    copy = databases.new("copy")
    imp = dossier("import", out, "--db", copy, cwd=tmp_path)
    assert imp.returncode == 0 and f"{example_articles()} documents stored" in imp.stdout, imp.stderr
    again = dossier("export", "--db", copy, cwd=tmp_path)
    assert json.loads(again.stdout) == data


def test_bad_input_is_named_and_exit_status_is_non_zero(tmp_path):
    (tmp_path / "ok.txt").write_text(
        "Le constructeur Renault a présenté lundi à Paris sa nouvelle voiture électrique, la R5.\n", encoding="utf-8")
    (tmp_path / "broken.jsonl").write_text('{"text": "Fine line about Paris and Renault."}\n{not json\n', encoding="utf-8")
    r = dossier("build", tmp_path / "ok.txt", tmp_path / "broken.jsonl", tmp_path / "missing.txt", "--db", tmp_path / "s.db",
                cwd=tmp_path)
    assert r.returncode == 1
    assert "broken.jsonl:2" in r.stderr and "missing.txt" in r.stderr
    assert "2 stored" in r.stdout and "2 failed" in r.stdout


def test_export_rejects_unknown_format(tmp_path):
    r = dossier("export", "--format", "docx", "--db", tmp_path / "s.db", cwd=tmp_path)
    assert r.returncode == 2 and "unknown format" in r.stderr


def test_eval_against_gold_with_floors(tmp_path):
    corpus = shared_or_skip("corpus", "openai-bid-fr.txt")
    gold = shared_or_skip("gold", "openai-bid-fr.json")
    db = tmp_path / "gold.db"
    assert dossier("build", corpus, "--db", db, cwd=tmp_path).returncode == 0
    r = dossier("eval", gold, "--db", db, "--json", "--floors", ROOT / ".ci" / "floors.json", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    scores = json.loads(r.stdout[: r.stdout.rindex("}") + 1])
    assert scores["entities"]["f1"] >= 0.9
    assert scores["amounts"]["found"] == 2


def test_eval_names_a_missing_document(tmp_path):
    gold = shared_or_skip("gold", "openai-bid-fr.json")
    assert dossier("build", ROOT / "examples" / "airbus-fr.txt", "--db", tmp_path / "other.db", cwd=tmp_path).returncode == 0
    r = dossier("eval", gold, "--db", tmp_path / "other.db", cwd=tmp_path)
    assert r.returncode == 1 and "not in the store" in r.stderr and "openai-bid-fr.json" in r.stderr


# -- conventions: a missing store, --version, -h, -q/-v, a busy port -----------------------------


def invoke(*args):
    from typer.testing import CliRunner

    from dossier.cli import app

    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200", "NO_COLOR": "1"})


READ_ONLY = [("show",), ("export",), ("timeline",), ("contradictions",), ("why", "Musk", "Elon Musk"),
             ("eval", "gold.json"), ("serve",)]


def test_read_commands_refuse_a_store_that_is_not_there_and_create_none(tmp_path):
    import sqlite3

    (tmp_path / "empty.db").touch()  # an empty file is no store either
    other = tmp_path / "other.db"  # nor some other SQLite database, which stays untouched
    with sqlite3.connect(other) as c:
        c.execute("CREATE TABLE t (x)")
    c.close()
    before = other.read_bytes()
    for name in ("nosuch.db", "empty.db", "other.db"):
        db = tmp_path / name
        for args in READ_ONLY:
            r = invoke(*args, "--db", db)
            assert r.exit_code == 2, (args, r.output)
            hint = "first, or start with --allow-ingest" if args[0] == "serve" else "first)"
            assert f"error: no store at '{db}' (run 'dossier build PATH --db {db}' {hint}" in r.stderr, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db", "other.db"]
    assert (tmp_path / "empty.db").stat().st_size == 0 and other.read_bytes() == before


def test_version_and_h():
    from importlib.metadata import version

    r = invoke("--version")
    assert r.exit_code == 0 and r.stdout == f"dossier {version('dossier')}\n"
    assert invoke("-h").stdout == invoke("--help").stdout
    assert invoke("show", "-h").stdout == invoke("show", "--help").stdout
    assert "--version" in invoke("-h").stdout


def test_help_names_values_not_python_types_and_every_command_takes_quiet():
    import re

    import typer.main

    from dossier.cli import app

    for name, cmd in typer.main.get_command(app).commands.items():
        options = {o for p in cmd.params for o in p.opts}
        assert {"-q", "--quiet"} <= options, name
        text = invoke(name, "--help").stdout
        assert not re.search(r"<(bool|str|int|path|list)", text, flags=re.I), f"dossier {name} --help:\n{text}"
    show = invoke("show", "--help").stdout
    assert re.search(r"--db +FILE", show) and re.search(r"--limit +N", show) and re.search(r"--entity +NAME", show)
    assert re.search(r"Usage: \S+ build \[OPTIONS\] PATHS\.\.\.\s", invoke("build", "--help").stdout)


def test_serve_on_a_busy_port_says_so_before_serving(tmp_path):
    import socket

    from dossier.store import open_store

    open_store(tmp_path / "s.db").close()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = subprocess.run([*DOSSIER, "serve", "--db", tmp_path / "s.db", "--port", str(port)], capture_output=True,
                           text=True, timeout=120, env={**os.environ, "COLUMNS": "200"})
    assert r.returncode == 2
    assert r.stderr.strip() == f"error: port {port} on 127.0.0.1 is in use (choose another with --port)"
    assert "serving" not in r.stdout + r.stderr
