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
