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
    assert data["format"] == "dossier" and len(data["documents"]) == 9
    assert {d["language"] for d in data["documents"]} == {"fr", "en"}

    # the cross-article story: one bid reported by several outlets, one of which disagrees
    bids = [e for e in data["events"] if e["type"] == "acquisition_offer" and e["roles"]["amount"]
            and e["roles"]["amount"]["value"] in (97.4e9, 98e9)]
    assert len(bids) == 1 and len(bids[0]["sources"]) >= 3
    con = dossier("contradictions", *db, cwd=tmp_path)
    assert "disagree on the amount" in con.stdout and "98,000,000,000 USD" in con.stdout
    tl = dossier("timeline", "--entity", "Musk", *db, cwd=tmp_path)
    assert tl.returncode == 0 and "acquisition_offer: Elon Musk → OpenAI" in tl.stdout
    why = dossier("why", "Musk", "Elon Musk", *db, cwd=tmp_path)
    assert why.stdout.startswith("merged")

    # the export imported into a new store of the same backend is the same story
    copy = databases.new("copy")
    imp = dossier("import", out, "--db", copy, cwd=tmp_path)
    assert imp.returncode == 0 and "9 documents stored" in imp.stdout, imp.stderr
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
