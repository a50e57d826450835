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
from datetime import date
from itertools import combinations
from typing import Any, Iterable

from .model import content_id, fold

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
    docs: set[str]
    context: set[str]  # names of entities mentioned alongside, in any document

    @property
    def keys(self) -> set[str]:
        return {norm(self.name), *(norm(a) for a in self.aliases)} - {""}

    @property
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


def load_entities(store) -> dict[str, Ent]:
    ents = {r["id"]: Ent(r["id"], r["name"], r["type"], [], set(), set()) for r in store.iter_table("entities")}
    for r in store.iter_table("aliases"):
        if r["entity"] in ents:
            ents[r["entity"]].aliases.append(r["alias"])
    by_doc: dict[str, set[str]] = defaultdict(set)
    for r in store.rows("SELECT DISTINCT document, entity FROM mentions"):
        if r["entity"] in ents:
            ents[r["entity"]].docs.add(r["document"])
            by_doc[r["document"]].add(r["entity"])
    for members in by_doc.values():
        for e in members:
            ents[e].context |= {norm(ents[o].name) for o in members if o != e}
    return ents


def _merge_reason(a: Ent, b: Ent, surname_owners: dict[str, list[Ent]]) -> str | None:
    """Why a and b are one entity, or None."""
    if a.type != b.type:
        return None
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
            owners = surname_owners.get(full.surname, [])
            if len(owners) != 1:
                return None  # two different Smiths: the text must link them
            shared = short.context & full.context
            if shared:
                return f"surname '{short.name}' of the only '{full.name}', sharing context ({', '.join(sorted(shared)[:3])})"
    return None


def resolve_entities(ents: dict[str, Ent], skip: set[str] = frozenset()) -> tuple[dict[str, str], dict[str, str]]:
    """entity id -> canonical id, and entity id -> reason it joined its cluster.
    Entities in ``skip`` (people named by title) are left to ``resolve_titles``."""
    blocks: dict[str, list[str]] = defaultdict(list)
    for e in ents.values():
        if e.id in skip:
            continue
        for k in e.keys:
            blocks[f"n:{k}"].append(e.id)
        if e.type == "PERSON":
            parts = e.name.split()
            blocks[f"s:{norm(parts[-1])}"].append(e.id)
    surname_owners: dict[str, list[Ent]] = defaultdict(list)
    for e in ents.values():
        if e.surname:
            surname_owners[e.surname].append(e)
    uf = UnionFind()
    reasons: dict[str, str] = {}
    for ids in blocks.values():
        for x, y in combinations(sorted(set(ids)), 2):
            why = _merge_reason(ents[x], ents[y], surname_owners)
            if why and uf.find(x) != uf.find(y):
                uf.union(x, y)
                reasons.setdefault(y, why)
                reasons.setdefault(x, why)
    clusters: dict[str, list[str]] = defaultdict(list)
    for e in ents:
        clusters[uf.find(e)].append(e)
    canonical: dict[str, str] = {}
    for members in clusters.values():
        # the representative: most documents, then the longest name
        rep = max(members, key=lambda m: (ents[m].type != "PERSON" or len(ents[m].name.split()) > 1,
                                          len(ents[m].docs), len(ents[m].name), m))
        for m in members:
            canonical[m] = rep
    return canonical, reasons


FAMILY = {"ceo_of": "head_of", "head_of": "head_of", "founder_of": "founder_of"}


def resolve_titles(store, ents: dict[str, Ent], canonical: dict[str, str], reasons: dict[str, str]) -> None:
    """'the OpenAI CEO' joins the one person the story makes OpenAI's CEO."""
    roles = store.rows("SELECT entity, predicate, org FROM entity_roles")
    if not roles:
        return
    titled = {r["entity"] for r in roles}
    holders: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in store.rows("SELECT subject, predicate, object, document FROM relations"):
        if r["predicate"] in FAMILY and r["subject"] not in titled:
            holders[(FAMILY[r["predicate"]], canonical.get(r["object"], r["object"]))].add(
                canonical.get(r["subject"], r["subject"]))
    for r in roles:
        who = holders.get((FAMILY[r["predicate"]], canonical.get(r["org"], r["org"])), set())
        if len(who) == 1 and r["entity"] in ents:
            person = next(iter(who))
            org = ents.get(canonical.get(r["org"], r["org"]))
            canonical[r["entity"]] = person
            reasons[r["entity"]] = (f"title match: '{ents[r['entity']].name}' is {ents[person].name}, "
                                    f"{r['predicate']} {org.name if org else r['org']} in the story")


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


def _same_happening(x: dict, y: dict) -> bool:
    if x["type"] != y["type"]:
        return False
    ax, ay = set(x["roles"]["agent"]), set(y["roles"]["agent"])
    tx, ty = set(x["roles"]["target"]), set(y["roles"]["target"])
    dx, dy = _day((x["roles"].get("time") or {}).get("value")), _day((y["roles"].get("time") or {}).get("value"))
    if dx and dy and abs((dx - dy).days) > SAME_HAPPENING_DAYS:
        return False
    if ax & ay and (not tx or not ty or tx & ty):
        return True
    # same target and the same amount: one happening even if the agents disagree
    amt_x, amt_y = x["roles"].get("amount"), y["roles"].get("amount")
    return bool(tx & ty) and bool(amt_x) and bool(amt_y) and _amount_compatible(amt_x, amt_y)


def cluster_events(events: list[dict]) -> dict[str, str]:
    """event id -> cluster id; blocking on (type, actor)."""
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for i, e in enumerate(events):
        for actor in set(e["roles"]["agent"]) | set(e["roles"]["target"]):
            blocks[(e["type"], actor)].append(i)
    uf = UnionFind()
    for ids in blocks.values():
        for i, j in combinations(sorted(set(ids)), 2):
            if events[i]["document"] != events[j]["document"] and _same_happening(events[i], events[j]):
                uf.union(events[i]["id"], events[j]["id"])
    return {e["id"]: uf.find(e["id"]) for e in events}


def find_contradictions(events: list[dict], clusters: dict[str, str], names: dict[str, str]) -> list[dict]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for e in events:
        groups[clusters[e["id"]]].append(e)
    out = []
    for cid, members in groups.items():
        for x, y in combinations(members, 2):
            if x["document"] == y["document"]:
                continue
            ax, ay = x["roles"].get("amount"), y["roles"].get("amount")
            if ax and ay and not _amount_compatible(ax, ay):
                out.append(_contradiction("amount", cid, x, y, ax, ay))
            tx, ty = x["roles"].get("time"), y["roles"].get("time")
            if (tx and ty and tx.get("value") and ty.get("value") and tx.get("precision") == ty.get("precision") == "day"
                    and tx["value"] != ty["value"]):
                out.append(_contradiction("date", cid, x, y, tx["value"], ty["value"]))
            gx, gy = set(x["roles"]["agent"]), set(y["roles"]["agent"])
            if gx and gy and not gx & gy:
                out.append(_contradiction("agent", cid, x, y, sorted(names.get(a, a) for a in gx),
                                          sorted(names.get(a, a) for a in gy)))
    return out


def _contradiction(kind: str, cluster: str, x: dict, y: dict, vx: Any, vy: Any) -> dict:
    return {
        "id": content_id("con", kind, *sorted((x["id"], y["id"]))), "kind": kind, "event": cluster, "type": x["type"],
        "values": [{"value": vx, "event": x["id"], "document": x["document"], "evidence": x["evidence"][:1]},
                   {"value": vy, "event": y["id"], "document": y["document"], "evidence": y["evidence"][:1]}],
    }


# -- quotes ---------------------------------------------------------------

_NUM = re.compile(r"\d+(?:[.,]\d+)?")


def _quote_keys(text: str) -> tuple[set[str], set[str], set[str]]:
    nums = {n.replace(",", ".") for n in _NUM.findall(text)}
    names = {fold(w) for w in re.findall(r"(?<!^)(?<![.!?] )\b[A-Z][\w'’-]+", text)} | {
        fold(w) for w in re.findall(r"\b[A-Z][a-z]*[A-Z][\w]*\b", text)}
    words = {w for w in re.findall(r"\w{4,}", fold(text))}
    return nums, names, words


def _same_statement(a: str, b: str) -> bool:
    na, ca, wa = _quote_keys(a)
    nb, cb, wb = _quote_keys(b)
    if wa and wb and len(wa & wb) / len(wa | wb) >= 0.5:
        return True
    # translations share numbers and names rather than words
    return bool(na & nb) and bool((ca & cb) or (wa & wb))


def group_statements(quotes: list[dict]) -> dict[str, str]:
    """quote id -> statement id; candidates share a speaker."""
    by_speaker: dict[str, list[dict]] = defaultdict(list)
    for q in quotes:
        if q["speaker"] and q["kind"] != "indirect":
            by_speaker[q["speaker"]].append(q)
    uf = UnionFind()
    for qs in by_speaker.values():
        for x, y in combinations(qs, 2):
            if x["document"] != y["document"] and _same_statement(x["text"], y["text"]):
                uf.union(x["id"], y["id"])
    return {q["id"]: uf.find(q["id"]) for q in quotes}


# -- the whole pass ---------------------------------------------------------

def link(store) -> dict[str, int]:
    """Recompute the cross-article tables from the per-article facts."""
    from .export import raw_story

    ents = load_entities(store)
    titled = {r["entity"] for r in store.rows("SELECT entity FROM entity_roles")}
    canonical, reasons = resolve_entities(ents, skip=titled)
    resolve_titles(store, ents, canonical, reasons)
    data = raw_story(store)
    remap = lambda ids: sorted({canonical.get(i, i) for i in ids})  # noqa: E731
    events = []
    for e in data["events"]:
        e = json.loads(json.dumps(e))
        e["document"] = e["evidence"][0]["document"] if e["evidence"] else ""
        for role in ("agent", "target", "place"):
            e["roles"][role] = remap(e["roles"][role])
        events.append(e)
    _approximate_amounts(events, data["amounts"])
    clusters = cluster_events(events)
    names = {i: ents[c].name for i, c in canonical.items()}
    contradictions = find_contradictions(events, clusters, names)
    quotes = [dict(q, speaker=canonical.get(q["speaker"], q["speaker"])) for q in data["quotes"]]
    statements = group_statements(quotes)

    store.begin()
    try:
        for t in ("entity_links", "event_clusters", "statements", "contradictions"):
            store.execute(f"DELETE FROM {t}")
        store.executemany("INSERT INTO entity_links (entity, canonical, reason) VALUES (?, ?, ?)",
                          [(e, c, reasons.get(e)) for e, c in canonical.items() if e != c or e in reasons])
        store.executemany("INSERT INTO event_clusters (event, cluster) VALUES (?, ?)", sorted(clusters.items()))
        store.executemany("INSERT INTO statements (quote, statement) VALUES (?, ?)", sorted(statements.items()))
        store.executemany("INSERT INTO contradictions (id, kind, event, detail) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                          [(c["id"], c["kind"], c["event"], json.dumps(c, ensure_ascii=False)) for c in contradictions])
        store.execute("INSERT INTO meta (key, value) VALUES ('linked_documents', ?) "
                      "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (str(_document_count(store)),))
        store.commit()
    except BaseException:
        store.rollback()
        raise
    return {"merged_entities": sum(1 for e, c in canonical.items() if e != c),
            "event_clusters": len(set(clusters.values())), "contradictions": len(contradictions)}


def _document_count(store) -> int:
    return store.execute("SELECT COUNT(*) FROM documents").fetchone()[0]


def stale(store) -> bool:
    """True when articles were stored after the last linking pass (e.g. a
    build killed between its last article and its linking pass)."""
    row = store.execute("SELECT value FROM meta WHERE key = 'linked_documents'").fetchone()
    return (int(row[0]) if row else 0) != _document_count(store)


def _approximate_amounts(events: list[dict], amounts: list[dict]) -> None:
    """Carry the 'approximate' flag of the amount mention onto event amounts."""
    approx = {(a["document"], a["value"], a["currency"]) for a in amounts if a["approximate"]}
    for e in events:
        amt = e["roles"].get("amount")
        if amt:
            amt["approximate"] = (e["document"], amt["value"], amt["currency"]) in approx


def timeline(data: dict[str, Any], entity: str | None = None) -> list[dict[str, Any]]:
    """Events in date order; undated ones placed by their article's date and marked."""
    published = {d["id"]: d.get("published") for d in data["documents"]}
    ids = None
    if entity:
        k = norm(entity)
        ids = {e["id"] for e in data["entities"]
               if k in {norm(e["name"]), *(norm(a) for a in e["aliases"]), *(norm(w) for w in e["name"].split())}}
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


def iter_ids(values: Iterable[str]) -> list[str]:
    return sorted(set(values))
