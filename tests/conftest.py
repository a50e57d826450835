"""Shared fixtures: run the real pipeline (real spaCy models) on text written for the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.model import Article, Doc
from dossier.pipeline import DEFAULT, analyse, make_doc

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def run(text: str, lang: str | None = None, names=DEFAULT, published: str | None = None) -> Doc:
    """Analyse one article with the given components; every span is checked."""
    doc = make_doc(Article(text=text, language=lang, published=published))
    analyse([doc], names)
    check_evidence(doc)
    return doc


def check_evidence(doc: Doc) -> None:
    """The evidence invariant: text[start:end] equals every reported span."""
    t = doc.text
    for m in doc.mentions:
        assert t[m.start:m.end] == m.text
    for a in doc.amounts:
        assert t[a.start:a.end] == a.text
    for d in doc.dates:
        assert t[d.start:d.end] == d.text
    for q in doc.quotes:
        assert t[q.start:q.end] == q.text
        for s in (q.cue, q.speaker_span, q.intermediary_span):
            assert s is None or t[s.start:s.end] == s.text
    for e in doc.events:
        for s in [*e.evidence, *([e.trigger] if e.trigger else [])]:
            assert t[s.start:s.end] == s.text
    for r in doc.relations:
        for s in r.evidence:
            assert t[s.start:s.end] == s.text
    for s in doc.stances:
        assert s.evidence is not None and t[s.evidence.start:s.evidence.end] == s.evidence.text


def quote(doc: Doc, start_of_text: str, kind: str | None = None):
    """The first quote of ``doc`` whose text starts with ``start_of_text``."""
    found = [q for q in doc.quotes if q.text.startswith(start_of_text) and (kind is None or q.kind == kind)]
    assert found, f"no quote starting {start_of_text!r} in {[(q.kind, q.text[:40]) for q in doc.quotes]}"
    return found[0]


def name_of(doc: Doc, entity_id: str | None) -> str | None:
    return doc.entities[entity_id].name if entity_id in doc.entities else None


@pytest.fixture
def analyse_text():
    return run


def shared_or_skip(*parts: str) -> Path:
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} is absent (the shared peer/gold folder is not beside the repo)")
    return p


def story_at(path) -> dict:
    """The linked story of the store at ``path``."""
    from dossier.export import story
    from dossier.store import open_store

    store = open_store(path)
    try:
        return story(store)
    finally:
        store.close()


# -- the store backends ------------------------------------------------------------
#
# Every test of store semantics runs on both backends: ``backend`` is
# parametrized over BACKENDS (module scope, so a module runs all its SQLite
# cases, then all its PostgreSQL ones). PostgreSQL databases come from one
# server per test session (tests/pg.py), each test getting fresh databases.
# Without a server the postgresql cases are skipped with the reason.

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def pg_server():
    """The session's throwaway PostgreSQL server (started on first use)."""
    from pg import server_or_skip

    server = server_or_skip()
    yield server
    server.stop()


class Databases:
    """Fresh, empty stores on one backend: ``new(name)`` returns a URL for
    :func:`dossier.store.open_store` (a file in ``folder`` for SQLite, a new
    database for PostgreSQL); ``drop()`` throws the PostgreSQL ones away."""

    def __init__(self, backend: str, folder: Path, request) -> None:
        self.backend, self.folder, self._request = backend, Path(folder), request
        self._server = None
        self._made: list[str] = []

    def new(self, name: str = "story") -> str:
        if self.backend == "sqlite":
            return str(self.folder / f"{name}.db")
        return self._made_here(self._pg().new_database())

    def copy(self, url: str, name: str = "copy") -> str:
        """A new store holding a copy of the (closed) store at ``url``."""
        if self.backend == "sqlite":
            import shutil

            return str(shutil.copy(url, self.folder / f"{name}.db"))
        return self._made_here(self._pg().new_database(template=url))

    def _pg(self):
        if self._server is None:
            self._server = self._request.getfixturevalue("pg_server")
        return self._server

    def _made_here(self, url: str) -> str:
        self._made.append(url)
        return url

    def drop(self) -> None:
        for url in self._made:
            self._server.drop_database(url)
        self._made.clear()


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request) -> str:
    """The store backend under test: 'sqlite' or 'postgresql'."""
    return request.param


@pytest.fixture
def databases(backend, tmp_path, request):
    """Fresh stores on the backend under test, for one test."""
    dbs = Databases(backend, tmp_path, request)
    yield dbs
    dbs.drop()


@pytest.fixture(scope="module")
def module_databases(backend, tmp_path_factory, request):
    """Fresh stores on the backend under test, shared by a module's tests."""
    dbs = Databases(backend, tmp_path_factory.mktemp(backend), request)
    yield dbs
    dbs.drop()


@pytest.fixture
def db_url(databases) -> str:
    """The URL of one fresh, empty store on the backend under test."""
    return databases.new()
