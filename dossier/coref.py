"""Subject pronouns and pair phrases resolved to entities, for relations and
stances. Sentence numbers ``k`` index ``doc.index.sentences``.

A pronoun (``il``, ``elle``, ``he``, ``she``) is the one subject before it in
its sentence, else the topic of the previous sentences: the one subject of
the nearest body sentence naming an entity of the wanted types (None when
that sentence is ambiguous). A pair phrase (``tous les deux``, ``both``) is the
two people of its sentence, or of the previous body sentence.
"""

from __future__ import annotations

from .index import Index
from .model import Doc, Mention, Sentence

PERSON = frozenset({"PERSON"})


def is_subject(ix: Index, m: Mention) -> bool:
    """The mention is a grammatical subject: so parsed, or a name before a
    finite verb and not after a preposition."""
    toks = ix.tokens_from(m.start, m.end)
    if not toks:
        return False
    if any(t.dep.startswith("nsubj") for t in toks):
        return True
    tokens = ix.tokens
    first, last = toks[0].i, toks[-1].i
    prev = tokens[first - 1] if first > 0 and tokens[first - 1].sent == toks[0].sent else None
    if prev is not None and prev.pos == "ADP":
        return False
    j = last + 1
    while j < len(tokens) and tokens[j].pos in ("ADV", "PART") and j - last < 4:
        j += 1
    if j < len(tokens):
        nxt = tokens[j]
        return nxt.pos in ("AUX", "VERB") and ("VerbForm=Fin" in nxt.morph or nxt.pos == "AUX")
    return False


def entities_in(ix: Index, s: Sentence, types: set[str], before: int | None = None,
                subject: bool = False) -> list[str]:
    """Entity ids of the given types named in the sentence (before offset
    ``before``), in order; with ``subject``, only where they are subjects."""
    out: list[str] = []
    for m in ix.mentions_in(s.start, s.end if before is None else min(before, s.end)):
        if ix.etype(m.entity) in types and m.entity not in out and (not subject or is_subject(ix, m)):
            out.append(m.entity)  # type: ignore[arg-type]
    return out


def subjects(ix: Index, s: Sentence, types: set[str], before: int | None = None) -> list[str]:
    """Entity ids of the given types that are grammatical subjects in the sentence."""
    return entities_in(ix, s, types, before, subject=True)


def topic(ix: Index, k: int, types: set[str], lookback: int = 2) -> str | None:
    """The entity the sentences before sentence k are about (see the module docstring)."""
    seen = 0
    for j in range(k - 1, -1, -1):
        s = ix.sentences[j]
        if s.heading:
            continue
        seen += 1
        subj = subjects(ix, s, types)
        if subj:
            return subj[0] if len(subj) == 1 else None
        named = entities_in(ix, s, types)
        if named:
            return named[0] if len(named) == 1 else None
        if seen >= lookback:
            break
    return None


def resolve_pronoun(ix: Index, k: int, offset: int, types: frozenset[str] = PERSON) -> str | None:
    """The subject pronoun at ``offset`` in sentence ``k``."""
    s = ix.sentences[k]
    subj = subjects(ix, s, set(types), before=offset)
    if subj:
        return subj[-1] if len(subj) == 1 else None
    if entities_in(ix, s, set(types), before=offset):
        return None  # named in this sentence but not as a subject: ambiguous
    return topic(ix, k, set(types))


def resolve_pair(ix: Index, k: int, offset: int) -> list[str]:
    """The two people a pair phrase at ``offset`` in sentence ``k`` stands for."""
    here = entities_in(ix, ix.sentences[k], {"PERSON"}, before=offset)
    if len(here) == 2:
        return here
    if here:
        return []
    for j in range(k - 1, -1, -1):
        s = ix.sentences[j]
        if s.heading:
            continue
        people = entities_in(ix, s, {"PERSON"})
        return people if len(people) == 2 else []
    return []


def main_org(doc: Doc, tie_break: bool = False) -> str | None:
    """The organisation the article is about: the most salient ORG (mentions,
    headline). On a tie, None, or with ``tie_break`` the one the body names
    first ("Acme rejects bid from Globex … Acme Corp on Monday rejected")."""
    orgs = sorted((e for e in doc.entities.values() if e.type == "ORG"), key=lambda e: -e.salience)
    if not orgs:
        return None
    top = [e for e in orgs if e.salience >= orgs[0].salience]
    if len(top) == 1:
        return top[0].id
    if not tie_break:
        return None  # no single main organisation
    first = {e.id: min((m.start for m in e.mentions if not m.heading), default=len(doc.text)) for e in top}
    return min(top, key=lambda e: first[e.id]).id
