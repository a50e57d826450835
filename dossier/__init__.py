"""dossier: news articles in, the story out.

The public Python API::

    import dossier
    store = dossier.open("dossier.db")          # SQLite file or postgresql://…
    report = dossier.build(["examples"], store)  # read, analyse, store, link
    data = dossier.story(store)                  # the whole story as a dict
    docs = list(dossier.analyse(["Elon Musk a proposé de racheter OpenAI."]))
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["open", "build", "build_texts", "story", "analyse"]


def open(url="dossier.db"):  # noqa: A001 - mirrors sqlite3.connect / builtins.open
    """Open (creating or migrating) a story store."""
    from .store import open_store

    return open_store(url)


def build(paths, store, **kw):
    """Ingest files or directories into ``store``; returns a BuildReport."""
    from .build import build as _build

    return _build(paths, store, **kw)


def build_texts(texts, store, **kw):
    """Ingest in-memory texts or :class:`dossier.model.Article` objects."""
    from .build import build_texts as _bt

    return _bt(texts, store, **kw)


def story(store):
    """The linked story in ``store`` (the JSON export as a dict)."""
    from .export import story as _story

    return _story(store)


def analyse(texts):
    """Analyse texts without storing them; yields :class:`dossier.model.Doc`."""
    from .pipeline import analyse_texts

    return analyse_texts(texts)
