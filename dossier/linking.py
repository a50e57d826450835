"""One story from many articles: cross-article entity resolution, event
clusters, statements quoted by several outlets, and contradictions.

Deterministic and explainable: every merge records its reason, and
``explain`` tells why two entities were merged or kept apart. Candidates come
from blocking keys (normalised name, alias, surname), so the cost grows with
the number of candidates, not with the square of the corpus.

Results live in their own tables (``entity_links``, ``event_clusters``,
``statements``, ``contradictions``), recomputed after each build from the
per-article facts, which are never changed.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from datetime import date
from itertools import combinations
from typing import Any, Callable, Iterable, Iterator

from .model import content_id, fold
from .vocab import FAMILY  # title predicate -> the role it names

# How far apart two reports of the same amount may be before they disagree;
# an approximate figure ("près de 100 milliards") gets a wider margin.
EXACT_TOLERANCE = 0.002
APPROX_TOLERANCE = 0.10
# Events of one type and actors whose dates are further apart are different happenings.
SAME_HAPPENING_DAYS = 45


def norm(name: str) -> str:
    """'Open AI', 'open-ai', 'OpenAI' -> 'openai'."""
    return re.sub(r"[\W_]+", "", fold(name))


@dataclass
class Ent:
    id: str
    name: str
    type: str
    aliases: list[str]
    ndocs: int  # articles naming it
    context: set[str]  # names of entities mentioned alongside, in any document

    @cached_property
    def keys(self) -> set[str]:
        return {norm(self.name), *(norm(a) for a in self.aliases)} - {""}

    @cached_property
    def surname(self) -> str | None:
        parts = self.name.split()
        return norm(parts[-1]) if self.type == "PERSON" and len(parts) > 1 else None


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _chunks(ids: Iterable[str], n: int = 400):
    ids = sorted(set(ids))
    for i in range(0, len(ids), n):
        yield ids[i : i + n]


def select(store, sql: str, col: str, ids: Iterable[str] | None) -> list[dict]:
    """Rows of ``sql`` whose ``{where}`` keeps ``col IN ids`` (all rows for None),
    in chunks so that any number of ids works on both backends."""
    if ids is None:
        return store.rows(sql.format(where="1 = 1"))
    out: list[dict] = []
    for part in _chunks(ids):
        out += store.rows(sql.format(where=f"{col} IN ({', '.join('?' * len(part))})"), part)
    return out


def load_entities(store, ids: set[str] | None = None) -> dict[str, Ent]:
    """Entities (all, or ``ids``) with aliases, documents and co-mentioned names."""
    def q(sql: str, col: str) -> list[dict]:
        return select(store, sql, col, ids)

    ents = {r["id"]: Ent(r["id"], r["name"], r["type"], [], 0, set())
            for r in q("SELECT id, name, type FROM entities WHERE {where}", "id")}
    for r in q("SELECT entity, alias FROM aliases WHERE {where} ORDER BY entity, alias", "entity"):
        if r["entity"] in ents:
            ents[r["entity"]].aliases.append(r["alias"])
    for r in q("SELECT entity, COUNT(DISTINCT document) AS n FROM mentions WHERE {where} GROUP BY entity", "entity"):
        if r["entity"] in ents:
            ents[r["entity"]].ndocs = r["n"]
    # the names around a person, for the surname rule: only people need them
    people = {e for e, x in ents.items() if x.type == "PERSON"}
    docs = {r["document"] for r in select(store, "SELECT DISTINCT document FROM mentions WHERE {where}", "entity",
                                          people)} if people else set()
    pairs = select(store, "SELECT DISTINCT m.document AS document, m.entity AS entity, e.name AS name FROM mentions m "
                   "JOIN entities e ON e.id = m.entity WHERE {where}", "m.document", docs)
    by_doc: dict[str, dict[str, str]] = defaultdict(dict)
    for r in pairs:
        by_doc[r["document"]][r["entity"]] = r["name"]
    for members in by_doc.values():
        for e in people & members.keys():
            ents[e].context |= {norm(n) for o, n in members.items() if o != e}
    return ents


def entity_keys(e: Ent) -> set[str]:
    """Blocking keys: normalised names and aliases, and a person's surname."""
    keys = {f"n:{k}" for k in e.keys}
    if e.type == "PERSON":
        keys.add(f"s:{norm(e.name.split()[-1])}")
    return keys


def _merge_reason(a: Ent, b: Ent, surname_owners: list[Ent]) -> str | None:
    """Why a and b are one entity, or None. ``surname_owners``: the people
    whose full name ends with the block's surname."""
    if a.type != b.type:
        return _outvoted(a, b)
    if norm(a.name) == norm(b.name):
        return f"same normalised name ('{a.name}' = '{b.name}')"
    if norm(a.name) in b.keys or norm(b.name) in a.keys:
        al, owner = (a, b) if norm(a.name) in b.keys else (b, a)
        return f"alias: '{al.name}' is a name of '{owner.name}' in another article"
    shared_alias = a.keys & b.keys
    if shared_alias:
        return f"shared alias '{sorted(shared_alias)[0]}'"
    for short, full in ((a, b), (b, a)):
        if short.type == "PERSON" and len(short.name.split()) == 1 and full.surname == norm(short.name):
            if len(surname_owners) != 1:
                return None  # two different Smiths: the text must link them
            shared = short.context & full.context
            if shared:
                return f"surname '{short.name}' of the only '{full.name}', sharing context ({', '.join(sorted(shared)[:3])})"
    return None


def block_links(key: str, members: Iterable[Ent]) -> Iterator[tuple[str, str, str]]:
    """(x, y, reason) for each pair of one blocking key's entities that are
    one actor, in a fixed order. Everything a pair's decision needs is in
    its block, so blocks can be decided anywhere (here, or on Spark)."""
    ms = sorted({e.id: e for e in members}.values(), key=lambda e: e.id)
    if key.startswith("s:"):
        # a surname block only ever links a lone surname to a full name
        owners = [e for e in ms if e.surname == key[2:]]
        pairs = [(a, b) for a in ms if len(a.name.split()) == 1 for b in ms if a is not b]
    else:
        owners, pairs = [], list(combinations(ms, 2))
    for x, y in pairs:
        why = _merge_reason(x, y, owners)
        if why:
            yield x.id, y.id, why


def representative(e: Ent) -> tuple:
    """A cluster is named by its member with the greatest key: a full name
    rather than a lone surname, then most documents, then the longest name."""
    return (e.type != "PERSON" or len(e.name.split()) > 1, e.ndocs, len(e.name), e.type != "PERSON", e.id)


def _outvoted(a: Ent, b: Ent) -> str | None:
    """One name is one actor whatever type the model voted in each article
    (spaCy calls OpenAI a person in one article, Activision Blizzard in
    several): the cluster takes the type of the articles that name it most."""
    if norm(a.name) != norm(b.name):
        return None
    few, many = sorted((a, b), key=lambda e: (e.ndocs, e.type != "PERSON"))
    return (f"same name '{a.name}', typed {many.type} in {many.ndocs} article(s) and {few.type} in "
            f"{few.ndocs}: the majority type wins")


def resolve_entities(ents: dict[str, Ent], skip: set[str] = frozenset()) -> tuple[dict[str, str], dict[str, str]]:
    """entity id -> canonical id, and entity id -> reason it joined its cluster
    (that of its first link, blocks taken in key order). Entities in ``skip``
    (people named by title) are left to ``resolve_titles``."""
    blocks: dict[str, list[Ent]] = defaultdict(list)
    for e in ents.values():
        if e.id not in skip:
            for k in entity_keys(e):
                blocks[k].append(e)
    uf = UnionFind()
    reasons: dict[str, str] = {}
    for key in sorted(blocks):
        for x, y, why in block_links(key, blocks[key]):
            uf.union(x, y)
            reasons.setdefault(x, why)
            reasons.setdefault(y, why)
    clusters: dict[str, list[str]] = defaultdict(list)
    for e in ents:
        clusters[uf.find(e)].append(e)
    canonical: dict[str, str] = {}
    for members in clusters.values():
        rep = max(members, key=lambda m: representative(ents[m]))
        for m in members:
            canonical[m] = rep
    return canonical, reasons


def resolve_titles(store, ents: dict[str, Ent], canonical: dict[str, str], reasons: dict[str, str],
                   canon=None, scoped: bool = False) -> None:
    """'the OpenAI CEO' joins the one person the story makes OpenAI's CEO.
    Only titled entities in ``ents`` are considered; ``canon`` gives the
    canonical id of an entity outside them."""
    canon = canon or (lambda i: i)
    c = lambda i: canonical.get(i) or canon(i)  # noqa: E731
    roles = select(store, "SELECT entity, predicate, org FROM entity_roles WHERE {where}", "entity",
                   set(ents) if scoped else None)
    if not roles:
        return
    titled = {r["entity"] for r in store.rows("SELECT DISTINCT entity FROM entity_roles")}
    holders: dict[tuple[str, str], set[str]] = defaultdict(set)
    orgs = {c(r["org"]) for r in roles}
    org_members = orgs | {e for e, cc in canonical.items() if cc in orgs} | {
        r["entity"] for r in select(store, "SELECT entity FROM entity_links WHERE {where}", "canonical", orgs)}
    for r in select(store, "SELECT subject, predicate, object FROM relations WHERE {where}", "object", org_members):
        if r["predicate"] in FAMILY and r["subject"] not in titled:
            holders[(FAMILY[r["predicate"]], c(r["object"]))].add(c(r["subject"]))
    names = {r["id"]: r["name"] for r in select(store, "SELECT id, name FROM entities WHERE {where}", "id",
                                               {x for v in holders.values() for x in v} | orgs)}
    matched: set[str] = set()
    for r in sorted(roles, key=lambda r: (r["entity"], r["predicate"], r["org"])):
        who = holders.get((FAMILY[r["predicate"]], c(r["org"])), set())
        if len(who) == 1 and r["entity"] not in matched:  # a person with two titles: the first, in a fixed order
            matched.add(r["entity"])
            person = next(iter(who))
            canonical[r["entity"]] = person
            reasons[r["entity"]] = title_reason(ents[r["entity"]].name, names.get(person, person), r["predicate"],
                                                names.get(c(r["org"]), r["org"]))


def title_reason(titled: str, person: str, predicate: str, org: str) -> str:
    return f"title match: '{titled}' is {person}, {predicate} {org} in the story"


def explain(store, a: str, b: str) -> list[str]:
    """Why the entities named ``a`` and ``b`` are one, or why they are kept apart."""
    ents = load_entities(store)
    links = {r["entity"]: r for r in store.iter_table("entity_links")}

    def find(name: str) -> list[Ent]:
        k = norm(name)
        return [e for e in ents.values() if norm(e.name) == k] or [e for e in ents.values() if k in e.keys]

    ea, eb = find(a), find(b)
    if not ea or not eb:
        return [f"no entity named '{a if not ea else b}' in the store"]
    lines = []
    for x in ea:
        for y in eb:
            cx = links.get(x.id, {}).get("canonical", x.id)
            cy = links.get(y.id, {}).get("canonical", y.id)
            if cx == cy:
                lines.append(f"merged: '{x.name}' ({x.type}) and '{y.name}' ({y.type}) are one entity")
                for e in (x, y):
                    if links.get(e.id, {}).get("reason"):
                        lines.append(f"  '{e.name}': {links[e.id]['reason']}")
                if x.id == y.id:
                    lines.append(f"  '{a}' and '{b}' are names of the same entity in the text")
            else:
                why = "different types" if x.type != y.type else "no rule links them"
                if x.type == y.type == "PERSON" and (x.surname or norm(x.name)) == (y.surname or norm(y.name)):
                    why = "they share a surname but no text links them (different people stay apart)"
                lines.append(f"kept apart: '{x.name}' ({x.type}) and '{y.name}' ({y.type}): {why}")
    return lines


# -- events ---------------------------------------------------------------

def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10]) if len(value) >= 10 else date.fromisoformat((value + "-01-01")[:10])
    except ValueError:
        return None


def _amount_compatible(a: dict | None, b: dict | None) -> bool:
    if not a or not b:
        return True
    if a.get("currency") != b.get("currency"):
        return False
    tol = APPROX_TOLERANCE if a.get("approximate") or b.get("approximate") else EXACT_TOLERANCE
    return abs(a["value"] - b["value"]) <= tol * max(abs(a["value"]), abs(b["value"]))


def _happening(e: dict) -> tuple:
    """What decides whether two reports tell one happening, read once per event."""
    r = e["roles"]
    return (e["type"], frozenset(r["agent"]), frozenset(r["target"]), _day((r.get("time") or {}).get("value")),
            r.get("amount"))


def _same(x: tuple, y: tuple) -> bool:
    """Two reports (as :func:`_happening` reads them) tell one happening."""
    kx, ax, tx, dx, amt_x = x
    ky, ay, ty, dy, amt_y = y
    if kx != ky or not _days_agree(dx, dy):
        return False
    if ax & ay and (not tx or not ty or tx & ty):
        return True
    # same target and the same amount: one happening even if the agents disagree
    return bool(tx & ty) and bool(amt_x) and bool(amt_y) and _amount_compatible(amt_x, amt_y)


def _candidate_pairs(seen: list[tuple]) -> Iterator[tuple[int, int]]:
    """Index pairs (i < j) that :func:`_same` can accept, without trying every
    pair: two reports of one happening share a target, or share an agent
    while one of them names no target (both rules of ``_same`` imply one of
    these). A pair may come more than once."""
    by_target: dict[str, list[int]] = defaultdict(list)
    by_agent: dict[str, list[int]] = defaultdict(list)
    for i, (_, agents, targets, _, _) in enumerate(seen):
        for t in targets:
            by_target[t].append(i)
        for a in agents:
            by_agent[a].append(i)
    for ids in by_target.values():
        yield from combinations(ids, 2)
    for ids in by_agent.values():
        for i, j in combinations(ids, 2):
            if not seen[i][2] or not seen[j][2]:
                yield i, j


def happening_links(members: list[dict], fresh: set[str] | None = None) -> list[tuple[str, str]]:
    """The pairs of one (type, actor) block's events, from different articles,
    that report one happening (with ``fresh``, pairs with a fresh event only),
    as a spanning forest: only pairs that share a target, or an agent when one
    names no target, are candidates, and a pair already joined through other
    members is not compared. The clusters are those of comparing every pair;
    the comparisons far fewer when a block is large (one agent's many
    acquisitions, or many reports of one). Local and Spark linking both
    cluster with it."""
    members = sorted(members, key=lambda e: e["id"])
    seen = [_happening(e) for e in members]
    return _join(members, seen, _candidate_pairs(seen), _same, UnionFind(), fresh)


def _join(items: list[dict], seen: list, pairs: Iterable[tuple[int, int]], same: Callable, uf: UnionFind,
          fresh: set[str] | None = None) -> list[tuple[str, str]]:
    """Join in ``uf`` the candidate ``pairs`` of ``items`` (indexes) from
    different articles that ``same`` accepts, as ``seen`` reads them; a pair
    already joined through others is not compared (the same clusters, far
    fewer comparisons). Returns the (id, id) pairs that joined."""
    out = []
    for i, j in pairs:
        x, y = items[i], items[j]
        if fresh is not None and x["id"] not in fresh and y["id"] not in fresh:
            continue
        if x["document"] == y["document"] or uf.find(x["id"]) == uf.find(y["id"]):
            continue
        if same(seen[i], seen[j]):
            uf.union(x["id"], y["id"])
            out.append((x["id"], y["id"]))
    return out


def cluster_events(events: list[dict], settled: dict[str, str] | None = None,
                   fresh: set[str] | None = None) -> dict[str, str]:
    """event id -> cluster id (the smallest member id); blocking on (type, actor).
    Incrementally: ``settled`` events keep the cluster they had, and only pairs
    with a ``fresh`` event are compared."""
    blocks: dict[tuple, list[dict]] = defaultdict(list)
    for e in events:
        for actor in set(e["roles"]["agent"]) | set(e["roles"]["target"]):
            blocks[(e["type"], actor)].append(e)
    uf = UnionFind()
    for e in events:
        uf.find(e["id"])
        if settled and e["id"] in settled:
            uf.union(e["id"], settled[e["id"]])
    for members in blocks.values():
        for x, y in happening_links(members, fresh):
            uf.union(x, y)
    _join_agentless(events, blocks, uf)
    return {e["id"]: uf.find(e["id"]) for e in events}


def _join_agentless(events: list[dict], blocks: dict[tuple, list[dict]], uf: UnionFind) -> None:
    """A report that names no agent ("le rachat d'Activision se complique")
    joins the one happening with an agent that has its type and target and
    agrees on amount and date, when there is exactly one such (two rival
    bidders for one target leave it apart). The clusters are read before any
    such join, so the order of the reports does not matter (Spark joins them
    alike)."""
    root = {e["id"]: uf.find(e["id"]) for e in events}
    joins: dict[str, set[str]] = defaultdict(set)
    for e, o in agentless_pairs(blocks.values()):
        joins[e].add(root[o])
    for e, roots in joins.items():
        if len(roots) == 1:
            uf.union(e, roots.pop())


def agentless_pairs(blocks: Iterable[list[dict]]) -> Iterator[tuple[str, str]]:
    """(agentless report, report with an agent) pairs of one (type, target)
    block that :func:`_compatible_report` accepts."""
    for members in blocks:
        seen = [(m, _happening(m)) for m in members]
        acting = [(m, h) for m, h in seen if h[1]]
        for m, h in seen:
            if h[1] or not h[2]:
                continue
            for o, ho in acting:
                if _compatible_report(h, ho):
                    yield m["id"], o["id"]


def _compatible_report(x: tuple, y: tuple) -> bool:
    """An agentless report x and a report y: same type, a shared target, no
    disagreement on amount or date."""
    kx, _, tx, dx, amt_x = x
    ky, _, ty, dy, amt_y = y
    return kx == ky and bool(tx & ty) and _amount_compatible(amt_x, amt_y) and _days_agree(dx, dy)


def _days_agree(dx: date | None, dy: date | None) -> bool:
    """Two reports' dates allow one happening (either undated, or close)."""
    return not (dx and dy and abs((dx - dy).days) > SAME_HAPPENING_DAYS)


def _day_value(e: dict) -> str | None:
    t = e["roles"].get("time")
    return t["value"] if t and t.get("value") and t.get("precision") == "day" else None


# kind -> (the value a report gives or None, whether two values disagree, the value as shown)
ASPECTS: dict[str, tuple[Callable, Callable, Callable]] = {
    "amount": (lambda e: e["roles"].get("amount") or None, lambda a, b: not _amount_compatible(a, b),
               lambda v, names: v),
    "date": (_day_value, lambda a, b: a != b, lambda v, names: v),
    "agent": (lambda e: frozenset(e["roles"]["agent"]) or None, lambda a, b: not a & b,
              lambda v, names: sorted(names.get(x, x) for x in v)),
}


def _group_key(v: Any) -> Any:
    return tuple(sorted(v.items())) if isinstance(v, dict) else tuple(sorted(v)) if isinstance(v, frozenset) else v


def find_contradictions(events: list[dict], clusters: dict[str, str], names: dict[str, str]) -> list[dict]:
    """Where the reports of one happening disagree. Each report is paired
    with the most widely reported value it disagrees with (one report of
    it from another article), so the list grows with the reports, not with
    their pairs: 300 outlets giving 97.4 and one giving 98 make 300 entries."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for e in events:
        groups[clusters[e["id"]]].append(e)
    out, seen = [], set()
    for cid, members in groups.items():
        members = sorted(members, key=lambda e: e["id"])  # the same report whatever order the events came in
        for kind, (value, disagree, shown) in ASPECTS.items():
            reports = [(e, v) for e in members if (v := value(e)) is not None]
            for (a, va), (b, vb) in _partners(reports, disagree):
                con = _contradiction(kind, cid, a, b, shown(va, names), shown(vb, names))
                if con["id"] not in seen:
                    seen.add(con["id"])
                    out.append(con)
    return out


def _partners(reports: list[tuple[dict, Any]], disagree: Callable) -> Iterator[list[tuple[dict, Any]]]:
    """Each (event, value) report with one report, from another article, of
    the most widely given value it disagrees with; each pair in id order."""
    by_value: dict[Any, list[tuple[dict, Any]]] = defaultdict(list)
    for r in reports:
        by_value[_group_key(r[1])].append(r)
    ranked = sorted(by_value.values(), key=lambda g: (-len(g), g[0][0]["id"]))
    for x in reports:
        for g in ranked:
            y = next((r for r in g if r[0]["document"] != x[0]["document"]), None)
            if y is not None and disagree(x[1], y[1]):
                yield sorted([x, y], key=lambda r: r[0]["id"])
                break


def _contradiction(kind: str, cluster: str, x: dict, y: dict, vx: Any, vy: Any) -> dict:
    return {
        "id": content_id("con", kind, *sorted((x["id"], y["id"]))), "kind": kind, "event": cluster, "type": x["type"],
        "values": [{"value": vx, "event": x["id"], "document": x["document"], "evidence": x["evidence"][:1]},
                   {"value": vy, "event": y["id"], "document": y["document"], "evidence": y["evidence"][:1]}],
    }


# -- quotes ---------------------------------------------------------------

_NUM = re.compile(r"\d+(?:[.,]\d+)?")
_NAME = re.compile(r"(?<!^)(?<![.!?] )\b[A-Z][\w'’-]+")
_CAMEL = re.compile(r"\b[A-Z][a-z]*[A-Z][\w]*\b")
_WORD = re.compile(r"\w{4,}")


def _quote_keys(text: str) -> tuple[set[str], set[str], set[str]]:
    nums = {n.replace(",", ".") for n in _NUM.findall(text)}
    names = {fold(w) for w in _NAME.findall(text)} | {fold(w) for w in _CAMEL.findall(text)}
    words = set(_WORD.findall(fold(text)))
    return nums, names, words


def _same_statement(a: tuple, b: tuple) -> bool:
    """Two quotes (as :func:`_quote_keys` reads them) say the same thing."""
    na, ca, wa = a
    nb, cb, wb = b
    if wa and wb and len(wa & wb) / len(wa | wb) >= 0.5:
        return True
    # translations share numbers and names rather than words
    return bool(na & nb) and bool((ca & cb) or (wa & wb))


def _statement_pairs(keys: list[tuple]) -> Iterator[tuple[int, int]]:
    """Index pairs (i < j) that :func:`_same_statement` can accept, without
    trying every pair of a speaker's quotes: they share a number, or one of
    the rarest words of each. (Prefix filtering: two word sets whose Jaccard
    similarity is at least 1/2 share one of the first ``n - ceil(n/2) + 1``
    words of each, the words taken in one fixed order.) A pair may come more
    than once."""
    freq: dict[str, int] = defaultdict(int)
    for _, _, words in keys:
        for w in words:
            freq[w] += 1
    by_number: dict[str, list[int]] = defaultdict(list)
    by_word: dict[str, list[int]] = defaultdict(list)
    for i, (numbers, _, words) in enumerate(keys):
        for n in numbers:
            by_number[n].append(i)
        rarest = sorted(words, key=lambda w: (freq[w], w))
        for w in rarest[: len(rarest) - (len(rarest) + 1) // 2 + 1]:
            by_word[w].append(i)
    for ids in (*by_number.values(), *by_word.values()):
        yield from combinations(ids, 2)


def group_statements(quotes: list[dict]) -> dict[str, str]:
    """quote id -> statement id; candidates share a speaker and a number or a
    rare word (each quote read once; a pair already joined through others is
    not compared)."""
    by_speaker: dict[str, list[dict]] = defaultdict(list)
    for q in quotes:
        if q["speaker"] and q["kind"] != "indirect":
            by_speaker[q["speaker"]].append(q)
    uf = UnionFind()
    for qs in by_speaker.values():
        keys = [_quote_keys(q["text"]) for q in qs]
        _join(qs, keys, _statement_pairs(keys), _same_statement, uf)
    return {q["id"]: uf.find(q["id"]) for q in quotes}


# -- the whole pass ---------------------------------------------------------

def _canon_lookup(store):
    """The stored canonical id of any entity (itself when unlinked), cached."""
    cache: dict[str, str] = {}

    def canon(i: str) -> str:
        if i not in cache:
            row = store.execute("SELECT canonical FROM entity_links WHERE entity = ?", (i,)).fetchone()
            cache[i] = row[0] if row else i
        return cache[i]

    return canon


def _members(store, canonicals: set[str]) -> set[str]:
    return set(canonicals) | {r["entity"] for r in select(
        store, "SELECT entity FROM entity_links WHERE {where}", "canonical", canonicals)}


def _entity_scope(store, documents: set[str], canon) -> set[str]:
    """Entities whose links a new article can change: those it names, people
    titled by an organisation it names, and the closure over shared blocking
    keys and current clusters (bounded by candidates, not by the store)."""
    scope = {r["entity"] for r in select(store, "SELECT DISTINCT entity FROM mentions WHERE {where}",
                                         "document", documents)}
    scope |= {r["entity"] for r in select(store, "SELECT entity FROM entity_roles WHERE {where}", "org", scope)}
    frontier = set(scope)
    while frontier:
        keys = {r["key"] for r in select(store, "SELECT key FROM entity_keys WHERE {where}", "entity", frontier)}
        found = {r["entity"] for r in select(store, "SELECT entity FROM entity_keys WHERE {where}", "key", keys)}
        found |= _members(store, {canon(e) for e in frontier | found})
        frontier = found - scope
        scope |= frontier
    return scope


def load_events(store, ids: set[str] | None) -> list[dict]:
    """Per-article events (all, or ``ids``) as the export shapes them, with
    their document and the approximate flag of their amount."""
    roles: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in select(store, "SELECT event, role, entity FROM event_roles WHERE {where} ORDER BY event, role, entity",
                    "event", ids):
        roles[r["event"]][r["role"]].append(r["entity"])
    evidence: dict[str, list[dict]] = defaultdict(list)
    for r in select(store, "SELECT fact, document, char_start, char_end FROM evidence WHERE {where} "
                    "ORDER BY fact, document, char_start", "fact", ids):
        evidence[r["fact"]].append({"document": r["document"], "start": r["char_start"], "end": r["char_end"]})
    rows = select(store, "SELECT * FROM events WHERE {where} ORDER BY document, trigger_start, id", "id", ids)
    approx = {(r["document"], r["value"], r["currency"]) for r in select(
        store, "SELECT document, value, currency FROM amounts WHERE approximate = 1 AND {where}", "document",
        None if ids is None else {r["document"] for r in rows})}
    out = []
    for r in rows:
        rl = roles.get(r["id"], {})
        amount = None
        if r["amount_value"] is not None:
            amount = {"value": r["amount_value"], "currency": r["amount_currency"],
                      "approximate": (r["document"], r["amount_value"], r["amount_currency"]) in approx}
        out.append({
            "id": r["id"], "type": r["type"], "document": r["document"], "evidence": evidence.get(r["id"], []),
            "roles": {"agent": list(rl.get("agent", [])), "target": list(rl.get("target", [])),
                      "place": list(rl.get("place", [])), "amount": amount,
                      "time": {"value": r["time_value"], "precision": r["time_precision"]} if r["time_value"] else None},
        })
    return out


def _evidence_text(store, events: list[dict]) -> None:
    """Fill the text of each event's first evidence span (for contradictions)."""
    docs = {e["evidence"][0]["document"] for e in events if e["evidence"]}
    texts = {r["id"]: r["text"] for r in select(store, "SELECT id, text FROM documents WHERE {where}", "id", docs)}
    for e in events:
        for x in e["evidence"][:1]:
            x["text"] = texts[x["document"]][x["start"] : x["end"]]


def _candidates(store, events: set[str], c) -> set[str]:
    """Events sharing a (type, canonical actor) block with ``events``, and the
    other members of their clusters."""
    blocks = {(r["type"], c(r["entity"])) for r in select(
        store, "SELECT e.type AS type, r.entity AS entity FROM events e JOIN event_roles r ON r.event = e.id "
        "WHERE r.role IN ('agent', 'target') AND {where}", "e.id", events)}
    actors = _members(store, {a for _, a in blocks})
    found = {r["event"] for r in select(
        store, "SELECT r.event AS event, e.type AS type, r.entity AS entity FROM event_roles r "
        "JOIN events e ON e.id = r.event WHERE r.role IN ('agent', 'target') AND {where}", "r.entity", actors)
        if (r["type"], c(r["entity"])) in blocks}
    clusters = {r["cluster"] for r in select(store, "SELECT cluster FROM event_clusters WHERE {where}", "event", found)}
    return found | {r["event"] for r in select(store, "SELECT event FROM event_clusters WHERE {where}", "cluster",
                                               clusters)}


def link(store, documents: Iterable[str] | None = None) -> dict[str, int]:
    """Recompute the cross-article tables: for the whole store, or (given the
    ids of newly stored ``documents``) for what those articles can change.
    Both give the same tables; the second costs what the new articles touch."""
    full = documents is None
    docs = None if full else set(documents)
    if full:
        with store.transaction():
            store.execute("DELETE FROM entity_keys")
    _write_keys(store, load_entities(store, None if full else {
        r["entity"] for r in select(store, "SELECT DISTINCT entity FROM mentions WHERE {where}", "document", docs)}))
    canon = _canon_lookup(store)
    ent_scope = None if full else _entity_scope(store, docs, canon)
    ents = load_entities(store, ent_scope)
    titled = {r["entity"] for r in select(store, "SELECT entity FROM entity_roles WHERE {where}", "entity", ent_scope)}
    canonical, reasons = resolve_entities(ents, skip=titled)
    resolve_titles(store, ents, canonical, reasons, canon, scoped=not full)

    def c(i: str) -> str:
        return canonical.get(i) or canon(i)

    if full:
        events, settled, fresh = load_events(store, None), None, None
    else:
        # events whose actors changed cluster are regrouped from scratch (rare:
        # a merge); the new articles' events are compared with the candidates
        # sharing a (type, actor) block, and every other event keeps its cluster
        changed = {e for e in ents if c(e) != canon(e)}
        # merges only add links, so those events' old clusters stay valid and
        # they are compared again like new ones (a split waits for a full pass)
        regroup = {r["event"] for r in select(store, "SELECT event FROM event_roles WHERE {where}", "entity", changed)}
        new = {r["id"] for r in select(store, "SELECT id FROM events WHERE {where}", "document", docs)}
        fresh = new | regroup
        events = load_events(store, fresh | _candidates(store, fresh, c))
        settled = {r["event"]: r["cluster"] for r in select(
            store, "SELECT event, cluster FROM event_clusters WHERE {where}", "event", {e["id"] for e in events})
            if r["event"] not in fresh}
    for e in events:
        for role in ("agent", "target", "place"):
            e["roles"][role] = sorted({c(i) for i in e["roles"][role]})
    clusters = cluster_events(events, settled, fresh)
    _evidence_text(store, events)
    names = {r["id"]: r["name"] for r in select(store, "SELECT id, name FROM entities WHERE {where}", "id",
                                               {a for e in events for a in e["roles"]["agent"]})}
    contradictions = find_contradictions(events, clusters, names)

    speakers = None if full else {c(e) for e in ents} | {c(r["speaker"]) for r in select(
        store, "SELECT speaker FROM quotes WHERE speaker IS NOT NULL AND {where}", "document", docs)}
    quotes = [dict(q, speaker=q["speaker"] and c(q["speaker"])) for q in select(
        store, "SELECT id, document, text, kind, speaker FROM quotes WHERE {where}", "speaker",
        None if full else _members(store, speakers) | {e for e, cc in canonical.items() if cc in speakers})]
    statements = group_statements(quotes)

    with store.transaction():
        if full:
            for t in LINK_TABLES:
                if t != "entity_keys":  # rewritten above
                    store.execute(f"DELETE FROM {t}")
        else:
            _delete_in(store, "entity_links", "entity", set(ents))
            old = {r["cluster"] for r in select(store, "SELECT cluster FROM event_clusters WHERE {where}", "event",
                                                set(clusters))}
            _delete_in(store, "contradictions", "event", old | set(clusters.values()))
            _delete_in(store, "event_clusters", "event", set(clusters))
            _delete_in(store, "statements", "quote", set(statements))
        store.executemany("INSERT INTO entity_links (entity, canonical, reason) VALUES (?, ?, ?)",
                          [(e, cc, reasons.get(e)) for e, cc in sorted(canonical.items()) if e != cc or e in reasons])
        store.executemany("INSERT INTO event_clusters (event, cluster) VALUES (?, ?)", sorted(clusters.items()))
        store.executemany("INSERT INTO statements (quote, statement) VALUES (?, ?)", sorted(statements.items()))
        store.executemany("INSERT INTO contradictions (id, kind, event, detail) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                          [(x["id"], x["kind"], x["event"], json.dumps(x, ensure_ascii=False)) for x in contradictions])
        _mark_linked(store)
    return {"merged_entities": sum(1 for e, cc in canonical.items() if e != cc),
            "event_clusters": len(set(clusters.values())), "contradictions": len(contradictions)}


# the cross-article tables and their columns, as the store declares them
LINK_TABLES: dict[str, tuple[str, ...]] = {
    "entity_keys": ("key", "entity"),
    "entity_links": ("entity", "canonical", "reason"),
    "event_clusters": ("event", "cluster"),
    "statements": ("quote", "statement"),
    "contradictions": ("id", "kind", "event", "detail"),
}


def replace_links(store, batches: Iterable[tuple[str, list[tuple]]]) -> None:
    """Replace the whole cross-article story by rows computed elsewhere (a
    Spark build's links), in one transaction: ``batches`` of (table, rows)."""
    with store.transaction():
        for t in LINK_TABLES:
            store.execute(f"DELETE FROM {t}")
        for t, rows in batches:
            store.copy_rows(t, LINK_TABLES[t], rows)
        _mark_linked(store)


def update(store, new: list[str], was_linked: bool) -> None:
    """After storing the articles ``new``: link only what they can change
    when the store was linked before (cost follows the candidates, not the
    store); everything after an interrupted run or when most articles are new."""
    if new and was_linked and 2 * len(new) < _document_count(store):
        link(store, new)
    elif new or stale(store):
        link(store)


def _mark_linked(store) -> None:
    store.execute("INSERT INTO meta (key, value) VALUES ('linked_documents', ?) "
                  "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (str(_document_count(store)),))


def _write_keys(store, ents: dict[str, Ent]) -> None:
    with store.transaction():
        store.executemany("INSERT INTO entity_keys (key, entity) VALUES (?, ?) ON CONFLICT DO NOTHING",
                          sorted((k, e.id) for e in ents.values() for k in entity_keys(e)))


def _delete_in(store, table: str, col: str, ids: set[str]) -> None:
    for part in _chunks(ids):
        store.execute(f"DELETE FROM {table} WHERE {col} IN ({', '.join('?' * len(part))})", part)


def _document_count(store) -> int:
    return store.execute("SELECT COUNT(*) FROM documents").fetchone()[0]


def stale(store) -> bool:
    """True when articles were stored after the last linking pass (e.g. a
    build killed between its last article and its linking pass)."""
    row = store.execute("SELECT value FROM meta WHERE key = 'linked_documents'").fetchone()
    return (int(row[0]) if row else 0) != _document_count(store)


def timeline(data: dict[str, Any], entity: str | None = None) -> list[dict[str, Any]]:
    """Events in date order; undated ones placed by their article's date and
    marked. ``entity``: only the events of the entities that name designates
    (:func:`dossier.query.match_entities`, which raises when it designates none
    or is ambiguous)."""
    from .query import match_entities  # query imports this module

    published = {d["id"]: d.get("published") for d in data["documents"]}
    ids = None if entity is None else {e["id"] for e in match_entities(data["entities"], entity)}
    rows = []
    for ev in data["events"]:
        r = ev["roles"]
        if ids is not None and not ids & set(r["agent"] + r["target"] + r.get("place", [])):
            continue
        t = (r.get("time") or {}).get("value")
        placed = "event date"
        if not t:
            pubs = sorted(p for p in (published.get(s) for s in ev.get("sources", [])) if p)
            t, placed = (pubs[0][:10], "publication date") if pubs else (None, "undated")
        rows.append({"date": t, "placed_by": placed, "event": ev})
    rows.sort(key=lambda r: (r["date"] is None, r["date"] or "", r["event"]["type"]))
    return rows
