"""The PostgreSQL store gives the same story as SQLite, against a real server
(tests/pg.py starts a throwaway one, or uses DOSSIER_TEST_PG)."""

from __future__ import annotations

import pytest

from dossier.build import build
from dossier.errors import DossierError
from dossier.export import story
from dossier.store import SCHEMA_VERSION, Store, open_store

from pg import ARTICLES, TempPostgres, Unavailable, canonical, usable_components, write_jsonl

pytest.importorskip("psycopg", reason="the PostgreSQL backend needs psycopg (pip install 'dossier[postgres]')")


@pytest.fixture(scope="module")
def server():
    pg = TempPostgres()
    try:
        pg.start()
    except Unavailable as exc:
        pytest.skip(f"no PostgreSQL server for the tests: {exc}")
    yield pg
    pg.stop()


@pytest.fixture
def pg_url(server):
    url = server.new_database()
    yield url
    server.drop_database(url)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_jsonl(tmp_path_factory.mktemp("pg") / "articles.jsonl")


@pytest.fixture(scope="module")
def sqlite_story(corpus, tmp_path_factory):
    with Store(tmp_path_factory.mktemp("sqlite") / "story.db") as st:
        report = build([corpus], st, components=usable_components())
        assert report.stored == len(ARTICLES), report.messages
        return canonical(story(st))


def test_open_store_picks_postgres(pg_url):
    from dossier.store_postgres import PostgresStore

    with open_store(pg_url) as st:
        assert isinstance(st, PostgresStore)
        assert st.schema_version() == SCHEMA_VERSION
        assert set(st.counts().values()) == {0}
        row = st.execute("SELECT id, name FROM entities WHERE id = ?", ("x",)).fetchone()
        assert row is None
        assert st.execute("SELECT COUNT(*) AS n FROM documents").fetchone()["n"] == 0  # dict rows
        assert st.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 0  # and positional


def test_same_story_as_sqlite(pg_url, corpus, sqlite_story):
    with open_store(pg_url) as st:
        report = build([corpus], st, components=usable_components())
        assert report.stored == len(ARTICLES) and report.ok, report.messages
        assert canonical(story(st)) == sqlite_story


def test_reingest_is_a_no_op(pg_url, corpus):
    with open_store(pg_url) as st:
        build([corpus], st, components=usable_components())
        counts, first = st.counts(), canonical(story(st))
        again = build([corpus], st, components=usable_components())
        assert (again.stored, again.unchanged) == (0, len(ARTICLES))
        assert st.counts() == counts and canonical(story(st)) == first
    with open_store(pg_url) as st:  # reopening migrates nothing
        assert st.counts() == counts


def test_newer_schema_is_refused(pg_url):
    with open_store(pg_url) as st:
        st.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(DossierError, match="newer than this dossier"):
        open_store(pg_url)


def test_failed_statement_is_rolled_back(pg_url):
    with open_store(pg_url) as st:
        st.begin()
        with pytest.raises(Exception):
            st.execute("SELECT * FROM no_such_table")
        st._reset_failed_statement()
        assert st.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 0  # usable again


def test_bad_url_is_a_user_error_without_the_password(server):
    with pytest.raises(DossierError) as info:
        open_store("postgresql://someone:s3cret@127.0.0.1:1/nothing")
    assert "s3cret" not in str(info.value) and "cannot open store" in str(info.value)


def test_copy_load_of_parquet_facts(pg_url, corpus, sqlite_story, tmp_path):
    """dossier load into PostgreSQL (COPY) gives the same story; loading twice is a no-op."""
    pytest.importorskip("pyarrow")
    from dossier.pipeline import analyse, make_doc
    from dossier.readers import read_paths
    from dossier.spark import load, write_facts

    docs = analyse([make_doc(a) for a in read_paths([corpus])], usable_components())
    write_facts(docs, str(tmp_path / "facts"))
    with open_store(pg_url) as st:
        first = load(str(tmp_path / "facts"), st, batch=4)  # two transactions
        assert (first.stored, first.unchanged) == (len(ARTICLES), 0)
        assert canonical(story(st)) == sqlite_story
        counts = st.counts()
        again = load(str(tmp_path / "facts"), st)
        assert (again.stored, again.unchanged) == (0, len(ARTICLES))
        assert st.counts() == counts


def test_copy_rows_skips_existing_keys_in_order(pg_url):
    with open_store(pg_url) as st:
        st.copy_rows("entities", ("id", "name", "type"),
                     [("e1", "First", "ORG"), ("e1", "Second", "ORG"), ("e2", "L'Oréal 100%", "ORG")])
        st.copy_rows("entities", ("id", "name", "type"), [("e2", "Other", "ORG")])
        assert st.rows("SELECT id, name FROM entities ORDER BY id") == [
            {"id": "e1", "name": "First"}, {"id": "e2", "name": "L'Oréal 100%"}]
