"""People named by their title: ``the OpenAI CEO``, ``le patron de Tesla``,
``OpenAI's chief executive``.

A title with no name beside it is a mention of whoever holds that role. When
the article itself says who (a ``ceo_of`` relation), the title becomes a
mention of that person here; otherwise it becomes a PERSON entity named by the
title with its role recorded, and the cross-article linking (``linking.py``)
joins it to the one person the story gives that role, with the reason
"title match". The role nouns are the relation lexicon's (``relations.json``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from functools import lru_cache

from .lang import load, phrases
from .model import Doc, Entity, Mention, content_id, fold
from .pipeline import component
from .vocab import FAMILY, TITLE_PREDICATES as ROLE_PREDICATES




@lru_cache(maxsize=None)
def _patterns(lang: str) -> tuple[dict[str, str], re.Pattern, re.Pattern, re.Pattern]:
    roles = {fold(k): v for k, v in load(lang, "relations").get("roles", {}).items() if v in ROLE_PREDICATES}
    words = phrases([k for k, v in load(lang, "relations").get("roles", {}).items() if v in ROLE_PREDICATES])
    d = load(lang, "titles")
    det = phrases(d.get("determiners", []))
    of = phrases(d.get("of", []))
    # "the CEO of {org}", "le patron d'{org}": the organisation follows
    after = re.compile(rf"(?<!\w)(?:{det})\s+(?P<role>{words})\s+(?:{of})\s*$", re.I)
    # "the {org} CEO", "{org}'s chief executive": the organisation comes first
    before = re.compile(rf"(?:{phrases(d.get('genitive', []))})?\s+(?P<role>{words})(?!\w)", re.I)
    # and the determiner before it ("the OpenAI CEO") starts the title
    det_before = re.compile(rf"\b(?:{phrases(d.get('org_determiners', []))})\s*$", re.I)
    return roles, after, before, det_before


@component("titles", reads=("entities", "relations"), writes=("mentions", "entities"))
def link_titles(doc: Doc) -> None:
    roles, *patterns = _patterns(doc.language)
    if not roles:
        return
    text = doc.text
    people = [m for m in doc.mentions if doc.entities.get(m.entity or "") and doc.entities[m.entity].type == "PERSON"]
    persons = sorted(m.start for m in people), sorted(m.end for m in people)
    holders: dict[tuple[str, str], set[str]] = {}
    for r in doc.relations:
        if r.predicate in FAMILY:
            holders.setdefault((FAMILY[r.predicate], r.object), set()).add(r.subject)
    # the spans taken, by start: those overlapping [start, end) start less
    # than the longest span before it
    taken = sorted((m.start, m.end) for m in doc.mentions)
    longest = max((b - a for a, b in taken), default=0)
    for org in [e for e in doc.entities.values() if e.type == "ORG"]:
        for m in [m for m in org.mentions if not m.heading]:
            found = _title_around(text, m, *patterns)
            if not found:
                continue
            start, end, role = found
            near = taken[bisect_left(taken, (start - longest,)) : bisect_left(taken, (end,))]
            if any(start < b for a, b in near if (a, b) != (m.start, m.end)):
                continue
            if _names_someone(text, start, end, persons):
                continue  # "OpenAI CEO Sam Altman": a relation, not a title mention
            predicate = roles.get(fold(role))
            if not predicate:
                continue
            who = holders.get((FAMILY[predicate], org.id), set())
            title = text[start:end]
            if len(who) == 1:
                eid = next(iter(who))
            else:
                name = f"{role} ({org.name})"
                eid = content_id("ent", "PERSON", "title", predicate, org.id)
                doc.entities.setdefault(eid, Entity(eid, name, "PERSON", [], [], role=(predicate, org.id)))
            mention = Mention(start, end, title, "title", eid)
            doc.mentions.append(mention)
            doc.entities[eid].mentions.append(mention)
            insort(taken, (start, end))
            longest = max(longest, end - start)
    doc.mentions.sort(key=lambda x: x.start)


def _title_around(text: str, m: Mention, after: re.Pattern, before: re.Pattern, det_before: re.Pattern):
    """(start, end, role) of a title phrase containing the organisation mention m."""
    lead = text[max(0, m.start - 60) : m.start]
    a = after.search(lead)
    if a:
        return m.start - len(lead) + a.start(), m.end, a.group("role")
    b = before.match(text, m.end, min(len(text), m.end + 40))
    if b:
        det = det_before.search(text[max(0, m.start - 6) : m.start])
        start = m.start - (len(text[max(0, m.start - 6) : m.start]) - det.start()) if det else m.start
        return start, b.end(), b.group("role")
    return None


def _names_someone(text: str, start: int, end: int, persons: tuple[list[int], list[int]]) -> bool:
    """A person's name right before or after the title (apposition, or a name
    preceded by its title) makes it a description, not a mention. ``persons``:
    the starts and the ends of the person mentions, sorted."""
    starts, ends = persons
    if bisect_left(starts, end) < bisect_right(starts, end + 3) and not re.search(r"[.;:!?]", text[end : end + 3]):
        return True
    return bisect_left(ends, start - 3) < bisect_right(ends, start)
