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


# -- schema v5: foreign keys declared (SQLite) -----------------------------------------

FOREIGN_KEYS = {  # table -> {(column, parent table)}, as v5 declares them
    "aliases": {("entity", "entities")},
    "mentions": {("document", "documents"), ("entity", "entities")},
    "amounts": {("document", "documents")},
    "dates": {("document", "documents")},
    "quotes": {("document", "documents"), ("speaker", "entities"), ("intermediary", "entities")},
    "events": {("document", "documents")},
    "event_roles": {("event", "events"), ("entity", "entities")},
    "relations": {("document", "documents"), ("subject", "entities"), ("object", "entities")},
    "stances": {("document", "documents"), ("holder", "entities")},
    "evidence": {("document", "documents")},
    "entity_links": {("entity", "entities"), ("canonical", "entities")},
    "event_clusters": {("event", "events"), ("cluster", "events")},
    "statements": {("quote", "quotes"), ("statement", "quotes")},
    "contradictions": {("event", "events")},
    "entity_roles": {("entity", "entities"), ("org", "entities")},
    "entity_keys": {("entity", "entities")},
    "documents": set(), "entities": set(), "meta": set(),
}


def _schema(con) -> dict:
    """Per table: its columns (PRAGMA table_info), indexes and foreign keys."""
    out = {}
    for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
        out[t] = {
            "columns": [tuple(r) for r in con.execute(f"PRAGMA table_info({t})")],
            "indexes": sorted((r[1], r[2], r[3]) for r in con.execute(f"PRAGMA index_list({t})")),
            "foreign_keys": {(r[3], r[2], r[4]) for r in con.execute(f"PRAGMA foreign_key_list({t})")},
        }
    return out


def _rows(con, tables) -> dict:
    return {t: sorted(map(tuple, con.execute(f"SELECT * FROM {t}"))) for t in tables if t != "meta"}


def _v4_copy(src: str, dst) -> None:
    """``dst``: the rows of store ``src`` in a store of schema version 4 (the
    tables as versions 1 to 4 made them, without foreign keys)."""
    from dossier.store import MIGRATIONS

    con = sqlite3.connect(dst)
    for script in MIGRATIONS[:4]:
        con.executescript(script)
    con.execute("INSERT INTO meta (key, value) VALUES ('schema_version', '4')")
    con.execute("ATTACH DATABASE ? AS src", (str(src),))
    for (t,) in con.execute("SELECT name FROM src.sqlite_master WHERE type = 'table' AND name <> 'meta'").fetchall():
        con.execute(f"INSERT INTO main.{t} SELECT * FROM src.{t}")
    con.commit()
    con.execute("DETACH DATABASE src")
    assert not any(_schema(con)[t]["foreign_keys"] for t in FOREIGN_KEYS)
    con.close()


def test_a_version_4_store_is_migrated_to_foreign_keys_keeping_rows_and_indexes(tmp_path):
    built = tmp_path / "built.db"
    with open_store(built) as s:
        build_texts([FR, EN, FR.replace("jeudi", "vendredi")], s)  # two reports of one happening: links too
        assert s.counts()["quotes"] and s.counts()["events"]
        fresh = sqlite3.connect(built)
        fresh_schema = _schema(fresh)
        fresh.close()
    old = tmp_path / "v4.db"
    _v4_copy(built, old)
    con = sqlite3.connect(old)
    rows_before = _rows(con, FOREIGN_KEYS)
    indexes_before = {t: v["indexes"] for t, v in _schema(con).items()}
    con.close()
    assert any(rows_before[t] for t in ("entity_links", "event_clusters", "statements"))

    with open_store(old) as s:
        assert s.schema_version() == SCHEMA_VERSION == 5
        assert s.execute("PRAGMA foreign_keys").fetchone()[0] == 0  # declared, not enforced
        migrated_story = story(s)

    con = sqlite3.connect(old)
    schema = _schema(con)
    assert set(schema) == set(FOREIGN_KEYS)
    for table, expected in FOREIGN_KEYS.items():
        assert {(col, parent) for col, parent, _ in schema[table]["foreign_keys"]} == expected, table
        assert all(key == "id" for _, _, key in schema[table]["foreign_keys"]), table
        assert schema[table]["indexes"] == indexes_before[table], table  # same keys and indexes
    assert schema == fresh_schema  # a migrated store is a new store
    assert _rows(con, FOREIGN_KEYS) == rows_before
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []  # every id points to a row
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    with open_store(built) as s:
        assert migrated_story == story(s)


def test_writes_and_links_go_on_after_the_migration(tmp_path):
    """Articles are still written (and the story relinked) on a migrated store,
    and what is written satisfies the declared keys."""
    built, old = tmp_path / "built.db", tmp_path / "v4.db"
    with open_store(built) as s:
        build_texts([FR], s)
    _v4_copy(built, old)
    third = "Le groupe Kering a racheté Valentino pour 1,7 milliard d’euros, a annoncé mardi François-Henri Pinault.\n"
    with open_store(old) as s:
        report = build_texts([EN, third, FR], s)
        assert (report.stored, report.unchanged, report.failed) == (2, 1, 0)
        assert s.counts()["documents"] == 3
    con = sqlite3.connect(old)
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    con.close()
