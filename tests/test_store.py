"""The story store, on both backends (``backend``: SQLite and PostgreSQL) except
where the test is about the SQLite file itself."""

import json
import sqlite3

import jsonschema
import pytest

from dossier.build import build, build_texts
from dossier.errors import DossierError
from dossier.export import story
from dossier.store import SCHEMA_VERSION, open_store

from conftest import ROOT

FR = ("Le groupe LVMH a annoncé jeudi le rachat de la maison italienne Loro Piana pour 2 milliards d’euros.\n"
      "Bernard Arnault, le PDG de LVMH, a salué « une marque exceptionnelle ».\n")
EN = ("Apple agreed to buy the music service Shazam for $400 million, the companies said on Monday.\n"
      "Tim Cook, the chief executive of Apple, said the deal was a natural fit.\n")


@pytest.fixture
def store(db_url):
    s = open_store(db_url)
    yield s
    s.close()


def check_story_evidence(data):
    texts = {d["id"]: d["text"] for d in data["documents"]}
    spans = [m for e in data["entities"] for m in e["mentions"]] + data["amounts"] + data["dates"]
    for q in data["quotes"]:
        spans += [q] + [s for s in (q["cue"], q["speaker_mention"], q["intermediary_mention"]) if s]
    for ev in data["events"]:
        spans += ev["evidence"] + ([ev["trigger"]] if ev["trigger"] else [])
    spans += [s for r in data["relations"] for s in r["evidence"]] + [s["evidence"] for s in data["stances"]]
    assert spans
    for s in spans:
        assert texts[s["document"]][s["start"]:s["end"]] == s["text"]


def test_build_stores_articles_and_facts(store):
    report = build_texts([FR, EN], store)
    assert (report.stored, report.failed) == (2, 0)
    data = story(store)
    names = {e["name"] for e in data["entities"]}
    assert {"LVMH", "Bernard Arnault", "Apple", "Tim Cook"} <= names
    assert {(a["value"], a["currency"]) for a in data["amounts"]} >= {(2e9, "EUR"), (400e6, "USD")}
    check_story_evidence(data)


def test_reingest_is_a_no_op(store):
    build_texts([FR, EN], store)
    before = store.counts()
    report = build_texts([EN, FR, FR], store)
    assert (report.stored, report.unchanged) == (0, 3)
    assert store.counts() == before


def test_export_validates_against_the_schema(store):
    build_texts([FR, EN], store)
    schema = json.loads((ROOT / "dossier" / "schema" / "dossier.schema.json").read_text())
    jsonschema.validate(story(store), schema)


def test_bad_files_do_not_stop_the_batch_or_touch_stored_articles(tmp_path, store):
    build_texts([FR], store)
    before = store.counts()
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(EN, encoding="utf-8")
    (d / "empty.txt").write_text("", encoding="utf-8")
    (d / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 20)
    (d / "german.txt").write_text("Die Bundesregierung hat am Montag ein neues Gesetz zur Energiewende "
                                  "beschlossen, das den Ausbau der Windkraft deutlich beschleunigen soll.", encoding="utf-8")
    messages = []
    report = build([d], store, notify=messages.append)
    assert report.stored == 1 and report.failed == 2 and report.skipped == 1
    assert any("empty.txt" in m for m in messages) and any("binary.txt" in m for m in messages)
    assert any("german.txt" in m and "'de'" in m for m in messages)
    after = store.counts()
    assert after["documents"] == before["documents"] + 1


def test_newer_schema_is_refused(db_url):
    with open_store(db_url) as st:
        st.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(DossierError, match="newer than this dossier"):
        open_store(db_url)


def test_open_store_picks_the_backend_and_migrates(db_url, backend):
    from dossier.store import Store

    with open_store(db_url) as st:
        assert isinstance(st, Store) and (type(st).__name__ == "PostgresStore") == (backend == "postgresql")
        assert st.schema_version() == SCHEMA_VERSION
        assert set(st.counts().values()) == {0}
        assert st.execute("SELECT id, name FROM entities WHERE id = ?", ("x",)).fetchone() is None
        assert st.execute("SELECT COUNT(*) AS n FROM documents").fetchone()["n"] == 0  # rows by name
        assert st.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 0  # and by position


# -- SQLite only: the store as a file -------------------------------------------------
# (test_newer_schema_is_refused above is the same refusal on both backends)


def test_store_is_plain_sqlite_with_wal_and_schema_version(tmp_path):
    path = tmp_path / "s.db"
    s = open_store(path)
    build_texts([EN], s)
    s.close()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
    assert con.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 1


def test_newer_schema_file_is_refused(tmp_path):
    path = tmp_path / "future.db"
    open_store(path).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    with pytest.raises(DossierError, match="newer"):
        open_store(path)


def _rows_of(store):
    tables = ("documents", "entities", "entity_roles", "aliases", "mentions", "amounts", "dates", "quotes",
              "events", "event_roles", "relations", "stances", "evidence")
    return {t: sorted(tuple(sorted((k, repr(v)) for k, v in r.items() if k != "added")) for r in store.rows(f"SELECT * FROM {t}"))
            for t in tables}


def test_write_many_fails_only_the_bad_article_and_stores_what_write_stores(databases):
    from conftest import run

    third = "Le groupe Kering a racheté Valentino pour 1,7 milliard d’euros, a annoncé mardi François-Henri Pinault.\n"
    fr, en, bad = run(FR), run(EN), run(third)
    bad.mentions.append(bad.mentions[0])  # the same mention twice: its article's insert fails
    assert bad.mentions[0].entity
    with open_store(databases.new("batch")) as batched, open_store(databases.new("one")) as single:
        out = batched.write_many([fr, bad, en, fr])
        assert out[0] is True and isinstance(out[1], Exception) and out[2:] == [True, False]
        assert batched.write_many([en, fr]) == [False, False]
        assert [single.write(fr), single.write(en)] == [True, True]
        assert _rows_of(batched) == _rows_of(single)
        assert batched.counts()["documents"] == 2
