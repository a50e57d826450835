"""What only the PostgreSQL store has, against a real server (tests/pg.py
starts one per test session, or uses DOSSIER_TEST_PG): the same story as a
SQLite store of the same articles, failed statements, connection errors, COPY.

The store's semantics (build, re-ingest, linking, export, import) are tested
on both backends by the other test modules, through the ``backend`` fixture
of conftest.py."""

from __future__ import annotations

import pytest

from dossier.build import build
from dossier.errors import DossierError
from dossier.export import story
from dossier.store import Store, open_store

from conftest import ROOT
from pg import ARTICLES, canonical, usable_components, write_jsonl

pytest.importorskip("psycopg", reason="the PostgreSQL backend needs psycopg (pip install 'dossier[postgres]')")


@pytest.fixture
def pg_url(pg_server):
    url = pg_server.new_database()
    yield url
    pg_server.drop_database(url)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_jsonl(tmp_path_factory.mktemp("pg") / "articles.jsonl")


@pytest.fixture(scope="module")
def sqlite_story(corpus, tmp_path_factory):
    with Store(tmp_path_factory.mktemp("sqlite") / "story.db") as st:
        report = build([corpus], st, components=usable_components())
        assert report.stored == len(ARTICLES), report.messages
        return canonical(story(st))


def test_same_story_as_sqlite(pg_url, corpus, sqlite_story):
    with open_store(pg_url) as st:
        report = build([corpus], st, components=usable_components())
        assert report.stored == len(ARTICLES) and report.ok, report.messages
        assert canonical(story(st)) == sqlite_story


@pytest.fixture(scope="module")
def example_stores(pg_server, tmp_path_factory):
    """The sample articles (some without a date) in a SQLite and a PostgreSQL store."""
    urls = [str(tmp_path_factory.mktemp("examples") / "sqlite.db"), pg_server.new_database()]
    for url in urls:
        with open_store(url) as st:
            report = build([str(ROOT / "examples")], st)
            assert report.ok and report.stored > 0, report.messages
    yield urls
    pg_server.drop_database(urls[1])


def test_same_story_in_the_same_order_as_sqlite(example_stores):
    """Not only the same facts: the same lists in the same order, undated
    articles first (SQLite sorts NULL first, PostgreSQL last unless told)."""
    lite, pg = ([open_store(u) for u in example_stores])
    try:
        a, b = story(lite), story(pg)
        assert [d["published"] for d in b["documents"]][0] is None
        for key in a:
            assert b[key] == a[key], key
    finally:
        lite.close()
        pg.close()


def test_query_pages_are_the_same_as_sqlite(example_stores):
    """The web API's answers (dossier.query) are the same on both backends."""
    from dossier.query import Query

    lite, pg = ([open_store(u) for u in example_stores])
    try:
        ql, qp = Query(lite), Query(pg)
        asks = [("summary", ()), ("documents", ()), ("entities", ()), ("entities", ("musk",)), ("events", ()),
                ("timeline", ()), ("quotes", ()), ("relations", ()), ("stances", ()), ("amounts", ()),
                ("contradictions", ()), ("search", ("OpenAI",)), ("graph", ())]
        for name, args in asks:
            x, y = getattr(ql, name)(*args), getattr(qp, name)(*args)
            x, y = (v.to_json() if hasattr(v, "to_json") else v for v in (x, y))
            assert y == x, name
        for e in ql.entities(limit=5).items:
            assert qp.entity(e["id"]) == ql.entity(e["id"]), e["name"]
            assert qp.mentions(e["id"]).to_json() == ql.mentions(e["id"]).to_json(), e["name"]
    finally:
        lite.close()
        pg.close()


def test_failed_statement_is_rolled_back(pg_url):
    with open_store(pg_url) as st:
        st.begin()
        with pytest.raises(Exception):
            st.execute("SELECT * FROM no_such_table")
        st._reset_failed_statement()
        assert st.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 0  # usable again


def test_bad_url_is_a_user_error_without_the_password():
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
