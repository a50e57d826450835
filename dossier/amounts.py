"""Pipeline components for money amounts and dates (normalisers in
``money.py`` and ``dates.py``)."""

from __future__ import annotations

from datetime import date

from .model import Doc
from .pipeline import component


def _governor(doc: Doc, start: int, end: int) -> str | None:
    """What an amount is about: the nearest noun above it in the parse
    (``offre``, ``proposition``, ``bid``), else the verb it depends on."""
    toks = doc.index.tokens_in(start, end)
    if not toks:
        return None
    inside = {t.i for t in toks}
    t = next((t for t in toks if t.head not in inside or t.head == t.i), toks[0])
    seen = set()
    while t.head != t.i and t.i not in seen:
        seen.add(t.i)
        t = doc.tokens[t.head]
        if t.pos in ("NOUN", "PROPN") and t.i not in inside:
            return t.lemma
        if t.pos == "VERB":
            nouns = [doc.tokens[c] for c in doc.index.children[t.i]
                     if doc.tokens[c].dep.startswith("nsubj") and doc.tokens[c].pos in ("NOUN", "PROPN")]
            return nouns[0].lemma if nouns else t.lemma
    return None


@component("amounts", reads=("article", "tokens"), writes=("amounts",))
def find_money(doc: Doc) -> None:
    from .money import find_amounts

    doc.amounts = find_amounts(doc.text, doc.language)
    for a in doc.amounts:
        a.refers_to = a.refers_to or _governor(doc, a.start, a.end)


def reference_date(doc: Doc) -> date | None:
    p = doc.article.published
    if not p:
        return None
    try:
        return date.fromisoformat(p[:10])
    except ValueError:
        return None


@component("dates", reads=("article",), writes=("dates",))
def find_dates(doc: Doc) -> None:
    from .dates import find_dates as _find

    doc.dates = _find(doc.text, doc.language, reference_date(doc))
