"""A typed, paginated read API over the story store (used by ``dossier serve``).

Every list comes back as a :class:`Page` (``{items, total, limit, offset}``).
Every query is parameterised: request values only ever travel as ``?``
parameters, never into the SQL text, and the SQL stays backend-neutral (no
literal ``%``, no SQLite-only functions) so the PostgreSQL store works too.

Facts carry their raw evidence spans (``text[start:end] == span text``, as in
the JSON export) and ``passages``: the sentences around those spans, with the
spans to highlight as ``marks`` (absolute offsets into the document text) and
the outlet, date and title of the article, ready for an evidence panel.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, Iterable

from .errors import AmbiguousEntity, EntityNotFound, Msg
from .linking import norm
from .model import fold
from .store import Store

MAX_LIMIT = 200
DEFAULT_LIMIT = 50
MAX_OFFSET = 1_000_000_000
MAX_QUERY_CHARS = 200
NEARBY_CHARS = 400  # an amount this close to a mention is shown with the entity
TOGETHER_CHARS = 150  # two actors mentioned this close are "mentioned together"
CONTEXT_CHARS = 320  # a passage keeps at most this much text either side of a span
GRAPH_NODES = 40
_CHUNK = 500  # ids per IN (...) list

_ISO_PREFIX = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# a sentence ends at . ! ? or … (possibly followed by closing quotes or brackets) before a space
_SENT_END = re.compile(r"[.!?…]+[\"”»’')\]]*(?=\s)")


# -- small helpers ---------------------------------------------------------


@dataclass
class Page:
    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int

    def to_json(self) -> dict[str, Any]:
        return {"items": self.items, "total": self.total, "limit": self.limit, "offset": self.offset}


def bounds(limit: int | None, offset: int | None) -> tuple[int, int]:
    """Clamp a requested page to ``1 <= limit <= MAX_LIMIT`` and ``0 <= offset``."""
    lim = DEFAULT_LIMIT if limit is None else max(1, min(int(limit), MAX_LIMIT))
    off = 0 if offset is None else max(0, min(int(offset), MAX_OFFSET))
    return lim, off


def like_pattern(q: str) -> str:
    """A ``LIKE ... ESCAPE '\\'`` pattern matching ``q`` anywhere, wildcards escaped."""
    esc = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{esc}%"


def is_iso_prefix(value: str) -> bool:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    return bool(_ISO_PREFIX.match(value))


def _marks(n: int) -> str:
    return ", ".join("?" * n)


def _chunks(ids: Iterable[str]) -> Iterable[list[str]]:
    ids = list(dict.fromkeys(i for i in ids if i is not None))
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int, bool, bool]:
    """The sentence(s) around ``text[start:end]``, never past its line and at
    most ``CONTEXT_CHARS`` either side of the span: ``(start, end,
    clipped_start, clipped_end)``, the flags telling that the sentence was cut."""
    end = max(end, start)
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", max(end - 1, start))
    line_end = len(text) if line_end < 0 else line_end
    s, e = line_start, line_end
    for m in _SENT_END.finditer(text, line_start, line_end):
        if m.end() <= start:
            s = m.end()
        elif m.end() >= end:
            e = m.end()
            break
    clip_s = clip_e = False
    if start - s > CONTEXT_CHARS:
        cut = text.find(" ", start - CONTEXT_CHARS, start)
        s, clip_s = (cut + 1 if cut >= 0 else start - CONTEXT_CHARS), True
    if e - end > CONTEXT_CHARS:
        cut = text.rfind(" ", end, end + CONTEXT_CHARS)
        e, clip_e = (cut if cut > end else end + CONTEXT_CHARS), True
    while s < start and text[s].isspace():
        s += 1
    while e > end and text[e - 1].isspace():
        e -= 1
    return s, e, clip_s, clip_e


def _file(path: str | None) -> str | None:
    """Only the file name of where an article was read from (never the full path)."""
    if not path:
        return None
    base = path.rsplit(":", 1)[0] if re.search(r":\d+$", path) else path
    name = PurePath(base.replace("\\", "/")).name
    # build_texts() (the Python API, POST /api/articles) reads from a temporary file: no name to show
    return None if not name or re.fullmatch(r"tmp\w+\.jsonl", name) else name


# -- the reader --------------------------------------------------------------

# Every entity with its canonical entity (the cross-article resolution of
# linking.py); an entity that was not merged is its own canonical.
_MEMBERS = ("SELECT x.id AS entity, COALESCE(l.canonical, x.id) AS canonical "
            "FROM entities x LEFT JOIN entity_links l ON l.entity = x.id")
# canonical entities with their salience (mentions of every member)
_ENTITY_SELECT = (
    "SELECT e.id, e.name, e.type, s.salience FROM entities e JOIN ("
    "SELECT mem.canonical AS id, COUNT(m.entity) AS salience FROM (" + _MEMBERS + ") mem "
    "LEFT JOIN mentions m ON m.entity = mem.entity GROUP BY mem.canonical) s ON s.id = e.id"
)
_EVENT_SELECT = (
    "SELECT ev.id, COALESCE(c.cluster, ev.id) AS cluster, ev.document, ev.type, ev.modality, ev.flavour, "
    "ev.amount_value, ev.amount_currency, ev.time_value, ev.time_precision, ev.time_text, "
    "ev.trigger_start, ev.trigger_end, d.published, d.source "
    "FROM events ev JOIN documents d ON d.id = ev.document LEFT JOIN event_clusters c ON c.event = ev.id"
)


@dataclass
class Query:
    """One request's view of the store; caches what it reads.

    Entities are the cross-article ones: an id given to any method may be any
    member of a merged entity, and every entity returned is the canonical one.
    Events reported by several articles come back once (their cluster), with
    the evidence of every report and the list of ``sources``."""

    store: Store
    _docs: dict[str, dict[str, Any]] = field(default_factory=dict)
    _ents: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    _canon: dict[str, str] = field(default_factory=dict)

    # -- lookups ----------------------------------------------------------
    def _load_docs(self, ids: Iterable[str]) -> None:
        missing = [i for i in dict.fromkeys(ids) if i not in self._docs]
        for chunk in _chunks(missing):
            for r in self.store.rows(
                f"SELECT id, title, url, source, published, language, path, text FROM documents WHERE id IN ({_marks(len(chunk))})",
                chunk,
            ):
                self._docs[r["id"]] = r

    def _doc(self, doc_id: str) -> dict[str, Any] | None:
        self._load_docs([doc_id])
        return self._docs.get(doc_id)

    def canonical(self, ids: Iterable[str | None]) -> dict[str, str]:
        """entity id -> canonical entity id."""
        missing = [i for i in dict.fromkeys(ids) if i is not None and i not in self._canon]
        for chunk in _chunks(missing):
            found = {r["entity"]: r["canonical"] for r in self.store.rows(
                f"SELECT entity, canonical FROM entity_links WHERE entity IN ({_marks(len(chunk))})", chunk)}
            for i in chunk:
                self._canon[i] = found.get(i, i)
        return self._canon

    def members(self, entity_id: str) -> list[str]:
        """Every entity id merged into the same entity as ``entity_id`` (itself included)."""
        root = self.canonical([entity_id])[entity_id]
        rows = self.store.rows("SELECT entity FROM entity_links WHERE canonical = ? ORDER BY entity", [root])
        return list(dict.fromkeys([root, entity_id, *(r["entity"] for r in rows)]))

    def _load_entities(self, ids: Iterable[str | None]) -> None:
        ids = [i for i in ids if i is not None]
        canon = self.canonical(ids)
        missing = [i for i in dict.fromkeys([*ids, *(canon[i] for i in ids)]) if i not in self._ents]
        for chunk in _chunks(missing):
            found = {r["id"]: r for r in self.store.rows(
                f"SELECT id, name, type FROM entities WHERE id IN ({_marks(len(chunk))})", chunk)}
            for i in chunk:
                self._ents[i] = found.get(i)

    def _ref(self, entity_id: str | None) -> dict[str, Any] | None:
        """``{id, name, type}`` of the canonical entity of ``entity_id``
        (a dangling id keeps its id as name)."""
        if entity_id is None:
            return None
        self._load_entities([entity_id])
        root = self._canon.get(entity_id, entity_id)
        e = self._ents.get(root) or self._ents.get(entity_id)
        return {"id": root, "name": e["name"], "type": e["type"]} if e else {"id": entity_id, "name": entity_id, "type": None}

    def _span(self, document: str, start: int | None, end: int | None) -> dict[str, Any] | None:
        if start is None or end is None:
            return None
        d = self._doc(document)
        text = d["text"] if d else ""
        return {"document": document, "start": start, "end": end, "text": text[start:end]}

    def _meta(self, d: dict[str, Any]) -> dict[str, Any]:
        return {"document": d["id"], "title": d["title"], "source": d["source"], "published": d["published"],
                "url": d["url"], "file": _file(d["path"])}

    def passages(self, spans: Iterable[dict[str, Any] | None]) -> list[dict[str, Any]]:
        """Group spans by sentence: ``{document, title, source, published, url,
        file, start, end, text, marks: [{start, end}], clipped_start,
        clipped_end}``, offsets absolute in the document text."""
        spans = sorted((s for s in spans if s), key=lambda s: (s["document"], s["start"], s["end"]))
        self._load_docs(s["document"] for s in spans)
        out: list[dict[str, Any]] = []
        for sp in spans:
            d = self._docs.get(sp["document"])
            if d is None:
                continue
            text = d["text"]
            s, e, clip_s, clip_e = sentence_bounds(text, sp["start"], sp["end"])
            mark = {"start": sp["start"], "end": sp["end"]}
            last = out[-1] if out else None
            if last and last["document"] == d["id"] and s <= last["end"]:
                if e > last["end"]:
                    last["end"], last["clipped_end"] = e, clip_e
                last["text"] = text[last["start"] : last["end"]]
                if mark not in last["marks"]:
                    last["marks"].append(mark)
                continue
            out.append({**self._meta(d), "start": s, "end": e, "text": text[s:e], "marks": [mark],
                        "clipped_start": clip_s, "clipped_end": clip_e})
        for p in out:
            p["marks"].sort(key=lambda m: (m["start"], m["end"]))
        return out

    def _evidence(self, fact_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        ev: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for chunk in _chunks(fact_ids):
            rows = self.store.rows(
                f"SELECT fact, document, char_start, char_end FROM evidence WHERE fact IN ({_marks(len(chunk))}) "
                "ORDER BY fact, document, char_start", chunk)
            self._load_docs(r["document"] for r in rows)
            for r in rows:
                ev[r["fact"]].append(self._span(r["document"], r["char_start"], r["char_end"]))
        return ev

    def _count(self, sql: str, params: list[Any]) -> int:
        rows = self.store.rows(f"SELECT COUNT(*) AS n FROM ({sql}) sub", params)
        return int(rows[0]["n"]) if rows else 0

    def _page(self, select: str, order: str, params: list[Any], limit: int | None, offset: int | None):
        """One page of ``select`` (ordered by its output columns) and the total."""
        lim, off = bounds(limit, offset)
        total = self._count(select, params)
        rows = self.store.rows(f"SELECT * FROM ({select}) sub ORDER BY {order} LIMIT ? OFFSET ?", [*params, lim, off])
        return rows, total, lim, off

    # -- summary ----------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        counts = self.store.counts()
        counts["entities"] = self._count(_ENTITY_SELECT, [])
        counts["events"] = self._count("SELECT DISTINCT COALESCE(c.cluster, ev.id) AS cluster FROM events ev "
                                       "LEFT JOIN event_clusters c ON c.event = ev.id", [])
        dates = self.store.rows("SELECT MIN(published) AS first, MAX(published) AS last FROM documents")
        return {"counts": counts, "published": dates[0] if dates else {"first": None, "last": None},
                "types": [r["type"] for r in self.store.rows("SELECT DISTINCT type FROM entities ORDER BY type")]}

    # -- documents --------------------------------------------------------
    def documents(self, limit: int | None = None, offset: int | None = None) -> Page:
        sel = "SELECT id, title, url, source, published, language, path, LENGTH(text) AS chars FROM documents"
        rows, total, lim, off = self._page(sel, "published, id", [], limit, offset)
        items = [{"id": r["id"], "title": r["title"], "url": r["url"], "source": r["source"],
                  "published": r["published"], "language": r["language"], "file": _file(r["path"]),
                  "chars": r["chars"]} for r in rows]
        return Page(items, total, lim, off)

    def document(self, doc_id: str) -> dict[str, Any] | None:
        d = self._doc(doc_id)
        if d is None:
            return None
        counts = {t: self.store.rows(f"SELECT COUNT(*) AS n FROM {t} WHERE document = ?", [doc_id])[0]["n"]
                  for t in ("mentions", "amounts", "dates", "quotes", "events", "relations", "stances")}
        return {"id": d["id"], "title": d["title"], "url": d["url"], "source": d["source"],
                "published": d["published"], "language": d["language"], "file": _file(d["path"]),
                "text": d["text"], "counts": counts}

    # -- entities ---------------------------------------------------------
    def _aliases(self, rows: list[dict[str, Any]]) -> dict[str, list[str]]:
        """Names and aliases of every member of each canonical entity, except its own name."""
        ids = [r["id"] for r in rows]
        names: dict[str, set[str]] = defaultdict(set)
        for chunk in _chunks(ids):
            m = _marks(len(chunk))
            for r in self.store.rows(
                f"SELECT mem.canonical AS id, x.name AS name FROM ({_MEMBERS}) mem JOIN entities x ON x.id = mem.entity "
                f"WHERE mem.canonical IN ({m})", chunk):
                names[r["id"]].add(r["name"])
            for r in self.store.rows(
                f"SELECT mem.canonical AS id, a.alias AS name FROM ({_MEMBERS}) mem JOIN aliases a ON a.entity = mem.entity "
                f"WHERE mem.canonical IN ({m})", chunk):
                names[r["id"]].add(r["name"])
        own = {r["id"]: r["name"] for r in rows}
        return {i: sorted(n for n in names.get(i, ()) if n != own[i]) for i in ids}

    def _entity_json(self, r: dict[str, Any], aliases: dict[str, list[str]]) -> dict[str, Any]:
        return {"id": r["id"], "name": r["name"], "type": r["type"], "salience": int(r["salience"] or 0),
                "aliases": aliases.get(r["id"], [])}

    def entities(self, q: str | None = None, type: str | None = None,
                 limit: int | None = None, offset: int | None = None) -> Page:
        """Canonical entities, most mentioned first; ``q`` matches the name or
        any name or alias of a member (case-insensitive substring)."""
        where, params = [], []
        if q:
            pat = like_pattern(q)
            where.append(
                "(LOWER(e.name) LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM (" + _MEMBERS + ") mem "
                "JOIN entities x ON x.id = mem.entity LEFT JOIN aliases a ON a.entity = mem.entity "
                "WHERE mem.canonical = e.id AND (LOWER(x.name) LIKE ? ESCAPE '\\' OR LOWER(a.alias) LIKE ? ESCAPE '\\')))")
            params += [pat, pat, pat]
        if type:
            where.append("e.type = ?")
            params.append(type)
        sel = _ENTITY_SELECT + (" WHERE " + " AND ".join(where) if where else "")
        rows, total, lim, off = self._page(sel, "salience DESC, name, id", params, limit, offset)
        aliases = self._aliases(rows)
        return Page([self._entity_json(r, aliases) for r in rows], total, lim, off)

    def exists(self, entity_id: str) -> bool:
        return bool(self.store.rows("SELECT 1 AS x FROM entities WHERE id = ?", [entity_id]))

    def entity(self, entity_id: str, limit: int | None = None) -> dict[str, Any] | None:
        """One entity (any member id finds its canonical entity) with the first
        page of its mentions, events, quotes, relations, stances and nearby amounts."""
        root = self.canonical([entity_id])[entity_id]
        rows = self.store.rows(_ENTITY_SELECT + " WHERE e.id = ?", [root])
        if not rows:
            return None
        out = self._entity_json(rows[0], self._aliases(rows))
        out["members"] = self.members(root)
        out["mentions"] = self.mentions(root, limit, 0).to_json()
        out["events"] = self.events(entity=root, limit=limit).to_json()
        out["quotes"] = self.quotes(speaker=root, limit=limit).to_json()
        out["relations"] = self.relations(entity=root, limit=limit).to_json()
        out["stances"] = self.stances(entity=root, limit=limit).to_json()
        out["amounts"] = self.amounts(near=root, limit=limit).to_json()
        return out

    def mentions(self, entity_id: str, limit: int | None = None, offset: int | None = None) -> Page:
        ids = self.members(entity_id)
        sel = ("SELECT m.document, m.char_start, m.char_end, m.heading, d.published FROM mentions m "
               f"JOIN documents d ON d.id = m.document WHERE m.entity IN ({_marks(len(ids))})")
        rows, total, lim, off = self._page(sel, "heading, published, document, char_start", ids, limit, offset)
        self._load_docs(r["document"] for r in rows)
        items = []
        for r in rows:
            span = self._span(r["document"], r["char_start"], r["char_end"])
            items.append({**span, "heading": bool(r["heading"]), "passages": self.passages([span])})
        return Page(items, total, lim, off)

    # -- events and the timeline -----------------------------------------
    def _event_filters(self, entity: str | None, type: str | None, since: str | None, until: str | None):
        where, params = [], []
        if entity:
            ids = self.members(entity)
            where.append(f"EXISTS (SELECT 1 FROM event_roles r WHERE r.event = ev.id AND r.entity IN ({_marks(len(ids))}))")
            params += ids
        if type:
            where.append("ev.type = ?")
            params.append(type)
        # the date of an event: its own time value, else its article's publication date
        if since:
            where.append("COALESCE(ev.time_value, d.published) >= ?")
            params.append(since)
        if until:
            where.append("SUBSTR(COALESCE(ev.time_value, d.published), 1, ?) <= ?")
            params += [len(until), until]
        return where, params

    def _events(self, order: str, where: list[str], params: list[Any], limit, offset) -> Page:
        """A page of happenings: events grouped by cluster (one happening told by several articles)."""
        inner = _EVENT_SELECT + (" WHERE " + " AND ".join(where) if where else "")
        sel = ("SELECT cluster, MIN(time_value) AS time_value, MIN(published) AS published, "
               "MIN(CASE WHEN time_value IS NULL THEN 1 ELSE 0 END) AS undated, MIN(document) AS document, "
               f"MIN(trigger_start) AS trigger_start FROM ({inner}) f GROUP BY cluster")
        rows, total, lim, off = self._page(sel, order, params, limit, offset)
        clusters = [r["cluster"] for r in rows]
        members: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for chunk in _chunks(clusters):
            for r in self.store.rows(
                f"SELECT * FROM ({_EVENT_SELECT}) f WHERE cluster IN ({_marks(len(chunk))}) "
                "ORDER BY cluster, document, trigger_start, id", chunk):
                members[r["cluster"]].append(r)
        ids = [m["id"] for ms in members.values() for m in ms]
        roles: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for chunk in _chunks(ids):
            for r in self.store.rows(
                f"SELECT event, role, entity FROM event_roles WHERE event IN ({_marks(len(chunk))}) "
                "ORDER BY event, role, entity", chunk):
                roles[r["event"]][r["role"]].append(r["entity"])
        self._load_entities(e for rl in roles.values() for ents in rl.values() for e in ents)
        evidence = self._evidence(ids)
        items = [self._happening(r, members.get(r["cluster"], []), roles, evidence) for r in rows]
        return Page([i for i in items if i], total, lim, off)

    def _happening(self, row, members, roles, evidence) -> dict[str, Any] | None:
        if not members:
            return None
        first = members[0]
        role_ids: dict[str, list[str]] = {}
        for k in ("agent", "target", "place"):
            ids = [self._canon.get(x, x) for m in members for x in roles.get(m["id"], {}).get(k, [])]
            role_ids[k] = list(dict.fromkeys(ids))
        amount = time = None
        spans: list[dict[str, Any]] = []
        marks: list[dict[str, Any]] = []
        for m in members:
            if amount is None and m["amount_value"] is not None:
                amount = {"value": m["amount_value"], "currency": m["amount_currency"]}
            if m["time_text"] or m["time_value"]:
                t = {"value": m["time_value"], "precision": m["time_precision"], "text": m["time_text"]}
                # the earliest report dates the happening (as the timeline orders it)
                if time is None or (t["value"] and (not time["value"] or t["value"] < time["value"])):
                    time = t
            trigger = self._span(m["document"], m["trigger_start"], m["trigger_end"])
            own = evidence.get(m["id"], []) or ([trigger] if trigger else [])
            spans += own
            marks += own
            if m["amount_value"] is not None:
                marks += self._amount_spans(m["document"], own, m["amount_value"])
        return {
            "id": row["cluster"], "type": first["type"], "modality": first["modality"], "flavour": first["flavour"],
            "document": first["document"],
            "roles": {k: [self._ref(x) for x in v] for k, v in role_ids.items()},
            "amount": amount, "time": time,
            "date": row["time_value"] or row["published"],
            "dated": row["time_value"] is not None,
            "published": row["published"],
            "members": [m["id"] for m in members],
            "sources": sorted({m["document"] for m in members}),
            "trigger": self._span(first["document"], first["trigger_start"], first["trigger_end"]),
            "evidence": spans,
            "passages": self.passages(marks),
        }

    def _amount_spans(self, document: str, spans: list[dict], value: float | None) -> list[dict]:
        """The written amount inside an event's evidence sentences, so the panel highlights it too."""
        if value is None or not spans:
            return []
        d = self._doc(document)
        if d is None:
            return []
        lo, hi = min(s["start"] for s in spans), max(s["end"] for s in spans)
        s0 = sentence_bounds(d["text"], lo, lo)[0]
        e0 = sentence_bounds(d["text"], max(lo, hi - 1), hi)[1]
        rows = self.store.rows(
            "SELECT char_start, char_end, value FROM amounts WHERE document = ? AND char_start >= ? AND char_end <= ?",
            [document, s0, e0])
        return [self._span(document, r["char_start"], r["char_end"]) for r in rows
                if abs(float(r["value"]) - float(value)) <= 1e-6 * max(1.0, abs(float(value)))]

    def events(self, entity: str | None = None, type: str | None = None, since: str | None = None,
               until: str | None = None, limit: int | None = None, offset: int | None = None) -> Page:
        where, params = self._event_filters(entity, type, since, until)
        return self._events("published, document, trigger_start, cluster", where, params, limit, offset)

    def timeline(self, entity: str | None = None, type: str | None = None, since: str | None = None,
                 until: str | None = None, limit: int | None = None, offset: int | None = None) -> Page:
        """Events by their own date, then their article's date; events with no
        date of their own come last, with ``dated: false``."""
        where, params = self._event_filters(entity, type, since, until)
        return self._events("undated, time_value, published, document, trigger_start, cluster",
                            where, params, limit, offset)

    def event(self, event_id: str) -> dict[str, Any] | None:
        """One happening, by its cluster id or the id of any of its reports."""
        rows = self.store.rows("SELECT COALESCE(c.cluster, ev.id) AS cluster FROM events ev "
                               "LEFT JOIN event_clusters c ON c.event = ev.id WHERE ev.id = ?", [event_id])
        if not rows:
            return None
        page = self._events("cluster", ["COALESCE(c.cluster, ev.id) = ?"], [rows[0]["cluster"]], 1, 0)
        return page.items[0] if page.items else None

    # -- quotes, relations, stances, amounts -----------------------------
    def quotes(self, speaker: str | None = None, limit: int | None = None, offset: int | None = None) -> Page:
        ids = self.members(speaker) if speaker else []
        sel = ("SELECT q.*, COALESCE(l.canonical, q.speaker) AS speaker_root, st.statement, d.published "
               "FROM quotes q JOIN documents d ON d.id = q.document "
               "LEFT JOIN entity_links l ON l.entity = q.speaker LEFT JOIN statements st ON st.quote = q.id"
               + (f" WHERE q.speaker IN ({_marks(len(ids))})" if ids else ""))
        rows, total, lim, off = self._page(sel, "speaker_root, published, document, char_start", ids, limit, offset)
        self._load_docs(r["document"] for r in rows)
        self._load_entities([r["speaker"] for r in rows] + [r["intermediary"] for r in rows])
        items = []
        for r in rows:
            d = r["document"]
            span = self._span(d, r["char_start"], r["char_end"])
            cue = self._span(d, r["cue_start"], r["cue_end"])
            sm = self._span(d, r["speaker_start"], r["speaker_end"])
            items.append({
                "id": r["id"], "kind": r["kind"], "document": d, "start": span["start"], "end": span["end"],
                "text": span["text"], "speaker": self._ref(r["speaker"]), "cue": cue, "speaker_mention": sm,
                "intermediary": self._ref(r["intermediary"]),
                "intermediary_mention": self._span(d, r["intermediary_start"], r["intermediary_end"]),
                "statement": r["statement"] or r["id"], "published": r["published"],
                "passages": self.passages([span, cue, sm]),
            })
        return Page(items, total, lim, off)

    def relations(self, entity: str | None = None, predicate: str | None = None,
                  limit: int | None = None, offset: int | None = None) -> Page:
        where, params = [], []
        if entity:
            ids = self.members(entity)
            where.append(f"(r.subject IN ({_marks(len(ids))}) OR r.object IN ({_marks(len(ids))}))")
            params += [*ids, *ids]
        if predicate:
            where.append("r.predicate = ?")
            params.append(predicate)
        return self._relations(where, params, limit, offset)

    def _relations(self, where: list[str], params: list[Any], limit, offset) -> Page:
        sel = "SELECT r.id, r.document, r.subject, r.predicate, r.object FROM relations r" + (
            " WHERE " + " AND ".join(where) if where else "")
        rows, total, lim, off = self._page(sel, "predicate, subject, object, id", params, limit, offset)
        self._load_entities([r["subject"] for r in rows] + [r["object"] for r in rows])
        evidence = self._evidence([r["id"] for r in rows])
        items = [{"id": r["id"], "document": r["document"], "subject": self._ref(r["subject"]),
                  "predicate": r["predicate"], "object": self._ref(r["object"]),
                  "evidence": evidence.get(r["id"], []), "passages": self.passages(evidence.get(r["id"], []))}
                 for r in rows]
        return Page(items, total, lim, off)

    def relation(self, relation_id: str) -> dict[str, Any] | None:
        """One relation, with the evidence of every article stating the same
        relation between the same (cross-article) entities."""
        page = self._relations(["r.id = ?"], [relation_id], 1, 0)
        if not page.items:
            return None
        rel = page.items[0]
        subj, obj = self.members(rel["subject"]["id"]), self.members(rel["object"]["id"])
        same = self._relations([f"r.subject IN ({_marks(len(subj))})", f"r.object IN ({_marks(len(obj))})",
                                "r.predicate = ?"], [*subj, *obj, rel["predicate"]], MAX_LIMIT, 0)
        spans = [s for r in same.items for s in r["evidence"]] or rel["evidence"]
        return {**rel, "members": [r["id"] for r in same.items] or [rel["id"]],
                "sources": sorted({s["document"] for s in spans} | {rel["document"]}),
                "evidence": spans, "passages": self.passages(spans)}

    def stances(self, entity: str | None = None, limit: int | None = None, offset: int | None = None) -> Page:
        ids = self.members(entity) if entity else []
        m = _marks(len(ids))
        sel = ("SELECT s.*, d.published FROM stances s JOIN documents d ON d.id = s.document"
               + (f" WHERE (s.holder IN ({m}) OR s.topic IN ({m}))" if ids else ""))
        rows, total, lim, off = self._page(sel, "holder, published, document, char_start", [*ids, *ids], limit, offset)
        self._load_docs(r["document"] for r in rows)
        self._load_entities([r["holder"] for r in rows] + [r["topic"] for r in rows])
        items = []
        for r in rows:
            span = self._span(r["document"], r["char_start"], r["char_end"])
            topic = r["topic"]
            topic_ref = self._ref(topic) if self._ents.get(topic) else {"id": None, "name": topic, "type": None}
            items.append({"id": r["id"], "document": r["document"], "holder": self._ref(r["holder"]),
                          "topic": topic_ref, "polarity": r["polarity"], "evidence": span,
                          "published": r["published"],
                          "passages": self.passages([span] if span["end"] > span["start"] else [])})
        return Page(items, total, lim, off)

    def amounts(self, near: str | None = None, document: str | None = None,
                limit: int | None = None, offset: int | None = None) -> Page:
        """Money amounts; ``near`` keeps those within ``NEARBY_CHARS`` of a mention of that entity."""
        where, params = [], []
        if near:
            ids = self.members(near)
            where.append(f"EXISTS (SELECT 1 FROM mentions m WHERE m.entity IN ({_marks(len(ids))}) "
                         "AND m.document = a.document AND m.char_start < a.char_end + ? AND m.char_end > a.char_start - ?)")
            params += [*ids, NEARBY_CHARS, NEARBY_CHARS]
        if document:
            where.append("a.document = ?")
            params.append(document)
        sel = ("SELECT a.document, a.char_start, a.char_end, a.value, a.currency, a.approximate, a.refers_to, "
               "d.published FROM amounts a JOIN documents d ON d.id = a.document"
               + (" WHERE " + " AND ".join(where) if where else ""))
        rows, total, lim, off = self._page(sel, "published, document, char_start", params, limit, offset)
        self._load_docs(r["document"] for r in rows)
        items = []
        for r in rows:
            span = self._span(r["document"], r["char_start"], r["char_end"])
            items.append({**span, "value": r["value"], "currency": r["currency"],
                          "approximate": bool(r["approximate"]), "refers_to": r["refers_to"],
                          "published": r["published"], "passages": self.passages([span])})
        return Page(items, total, lim, off)

    def contradictions(self, limit: int | None = None, offset: int | None = None) -> Page:
        """Facts on which sources disagree (computed by the linking pass)."""
        rows, total, lim, off = self._page("SELECT id, kind, event, detail FROM contradictions", "event, kind, id",
                                           [], limit, offset)
        items = []
        for r in rows:
            try:
                detail = json.loads(r["detail"])
            except ValueError:
                detail = {}
            values = detail.get("values", [])
            for v in values:
                v["passages"] = self.passages(v.get("evidence", []))
            items.append({"id": r["id"], "kind": r["kind"], "event": r["event"], "type": detail.get("type"),
                          "values": values})
        return Page(items, total, lim, off)

    # -- full-text search -------------------------------------------------
    def search(self, q: str, limit: int | None = None, offset: int | None = None) -> Page:
        """Case-insensitive substring search in the articles' text.

        SQL narrows the articles (``LIKE`` with its wildcards escaped); each
        hit comes back with its offsets and the sentence around it."""
        lim, off = bounds(limit, offset)
        q = q.strip()[:MAX_QUERY_CHARS]
        if not q:
            return Page([], 0, lim, off)
        docs = self.store.rows(
            "SELECT id, title, url, source, published, language, path, text FROM documents "
            "WHERE LOWER(text) LIKE ? ESCAPE '\\' ORDER BY published, id", [like_pattern(q)])
        needle = re.compile(re.escape(q), re.IGNORECASE)
        items: list[dict[str, Any]] = []
        total = 0
        for d in docs:
            self._docs.setdefault(d["id"], d)
            for m in needle.finditer(d["text"]):
                if off <= total < off + lim:
                    span = {"document": d["id"], "start": m.start(), "end": m.end(), "text": m.group()}
                    items.append({**span, "title": d["title"], "source": d["source"], "published": d["published"],
                                  "passages": self.passages([span])})
                total += 1
        return Page(items, total, lim, off)

    # -- the story graph --------------------------------------------------
    def graph(self, limit: int | None = None, type: str | None = None, together: bool = True) -> dict[str, Any]:
        """Nodes: the most mentioned entities. Edges: relations (subject →
        object), events (each agent → each target, once per happening) and,
        with ``together``, pairs of actors mentioned close to each other
        (``kind: "together"``, weighted, unlabelled: context rather than a fact)."""
        lim = GRAPH_NODES if limit is None else max(1, min(int(limit), MAX_LIMIT))
        nodes = self.entities(type=type, limit=lim).to_json()
        keep = {n["id"] for n in nodes["items"]}
        if not keep:
            return {"nodes": [], "edges": [], "total_nodes": nodes["total"], "limit": lim}
        member_rows = []
        for chunk in _chunks(keep):
            member_rows += self.store.rows(
                f"SELECT entity, canonical FROM ({_MEMBERS}) mem WHERE canonical IN ({_marks(len(chunk))})", chunk)
        root = {r["entity"]: r["canonical"] for r in member_rows}
        self._canon.update(root)
        ids = sorted(root)
        edges: list[dict[str, Any]] = []
        seen: set[str] = set()
        for chunk in _chunks(ids):
            m = _marks(len(chunk))
            for r in self.store.rows(
                f"SELECT id, subject, predicate, object FROM relations WHERE subject IN ({m}) ORDER BY id", chunk):
                s, o = root.get(r["subject"]), root.get(r["object"])
                key = f"{s}|{r['predicate']}|{o}"
                if s and o and s != o and key not in seen:
                    seen.add(key)
                    edges.append({"id": r["id"], "kind": "relation", "fact": r["id"], "source": s, "target": o,
                                  "label": r["predicate"]})
        events: set[str] = set()
        for chunk in _chunks(ids):
            events |= {r["event"] for r in self.store.rows(
                f"SELECT DISTINCT event FROM event_roles WHERE role = 'agent' AND entity IN ({_marks(len(chunk))})", chunk)}
        roles: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        info: dict[str, dict[str, Any]] = {}
        for chunk in _chunks(sorted(events)):
            m = _marks(len(chunk))
            for r in self.store.rows(f"SELECT event, role, entity FROM event_roles WHERE event IN ({m}) "
                                     "ORDER BY event, role, entity", chunk):  # the same edges in the same order on any backend
                roles[r["event"]][r["role"]].append(r["entity"])
            for r in self.store.rows(
                f"SELECT ev.id, COALESCE(c.cluster, ev.id) AS cluster, ev.type, ev.modality, ev.amount_value, "
                f"ev.amount_currency FROM events ev LEFT JOIN event_clusters c ON c.event = ev.id "
                f"WHERE ev.id IN ({m}) ORDER BY ev.id", chunk):
                info[r["id"]] = r
        for eid in sorted(info):
            r, rl = info[eid], roles.get(eid, {})
            for a in rl.get("agent", []):
                for t in rl.get("target", []):
                    s, o = root.get(a), root.get(t)
                    key = f"{r['cluster']}|{s}|{o}"
                    if s and o and s != o and key not in seen:
                        seen.add(key)
                        edges.append({"id": key, "kind": "event", "fact": r["cluster"], "source": s, "target": o,
                                      "label": r["type"], "modality": r["modality"],
                                      "amount": ({"value": r["amount_value"], "currency": r["amount_currency"]}
                                                 if r["amount_value"] is not None else None)})
        if together and len(keep) > 1:
            m = _marks(len(ids))
            pairs: dict[tuple[str, str], int] = defaultdict(int)
            for r in self.store.rows(
                "SELECT m1.entity AS a, m2.entity AS b, COUNT(*) AS n FROM mentions m1 JOIN mentions m2 "
                "ON m2.document = m1.document AND m1.entity <> m2.entity "
                "AND m2.char_start <= m1.char_start + ? AND m2.char_start >= m1.char_start - ? "
                f"WHERE m1.entity IN ({m}) AND m2.entity IN ({m}) GROUP BY m1.entity, m2.entity",
                [TOGETHER_CHARS, TOGETHER_CHARS, *ids, *ids]):
                a, b = root[r["a"]], root[r["b"]]
                if a < b:
                    pairs[(a, b)] += int(r["n"])
            best = sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[: 3 * len(keep)]
            for (a, b), n in best:
                edges.append({"id": f"together:{a}:{b}", "kind": "together", "fact": None,
                              "source": a, "target": b, "label": None, "weight": n})
        return {"nodes": nodes["items"], "edges": edges, "total_nodes": nodes["total"], "limit": lim}

    def together(self, a: str, b: str, limit: int | None = None, offset: int | None = None) -> Page:
        """Passages where two actors are mentioned close to each other."""
        ia, ib = self.members(a), self.members(b)
        sel = ("SELECT m1.document, m1.char_start AS s1, m1.char_end AS e1, m2.char_start AS s2, m2.char_end AS e2 "
               f"FROM mentions m1 JOIN mentions m2 ON m2.document = m1.document AND m2.entity IN ({_marks(len(ib))}) "
               "AND m2.char_start <= m1.char_start + ? AND m2.char_start >= m1.char_start - ? "
               f"WHERE m1.entity IN ({_marks(len(ia))})")
        rows, total, lim, off = self._page(sel, "document, s1, s2", [*ib, TOGETHER_CHARS, TOGETHER_CHARS, *ia],
                                           limit, offset)
        self._load_docs(r["document"] for r in rows)
        items = []
        for r in rows:
            spans = [self._span(r["document"], r["s1"], r["e1"]), self._span(r["document"], r["s2"], r["e2"])]
            items.append({"document": r["document"], "mentions": spans, "passages": self.passages(spans)})
        return Page(items, total, lim, off)

    def fact(self, fact_id: str) -> dict[str, Any] | None:
        """One event (a happening) or relation by id (the page asks for it when an edge is clicked)."""
        ev = self.event(fact_id)
        if ev is not None:
            return {"kind": "event", **ev}
        rel = self.relation(fact_id)
        return {"kind": "relation", **rel} if rel else None


# -- finding an entity by name -------------------------------------------------------
#
# One rule, used by `dossier show/timeline/export --entity`, `dossier why` and
# formats.select, so that a name finds the same entity everywhere.


def _words(s: str) -> list[str]:
    return re.findall(r"\w+", fold(s))


def _contains_words(name: str, words: list[str]) -> bool:
    have = _words(name)
    return any(have[i : i + len(words)] == words for i in range(len(have) - len(words) + 1))


def match_entities(entities: Iterable[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    """The entities (dicts with ``name``, ``type`` and ``aliases``, as in the
    JSON export) that ``name`` designates, in the order given. The first rule
    that finds something wins:

    1. the name or an alias equals ``name``, case and accents aside
       (``élon MUSK`` finds ``Elon Musk``);
    2. the same, spacing and punctuation aside too (``Open AI`` finds ``OpenAI``);
    3. the name or an alias contains ``name``'s words as whole words, in order
       (``Musk`` finds ``Elon Musk``, ``Mus`` finds nothing).

    Several entities found under one name (two types) are all returned. Rule 3
    finding entities of different names raises :class:`AmbiguousEntity`
    (``.candidates`` lists them); finding nothing raises :class:`EntityNotFound`.
    """
    ents = list(entities)
    names = lambda e: (e["name"], *e.get("aliases", ()))  # noqa: E731
    words = _words(name)
    hits = [e for e in ents if _same(name, names(e), fold)]
    hits = hits or [e for e in ents if _same(name, names(e), norm)]
    if not hits and words:
        hits = [e for e in ents if any(_contains_words(x, words) for x in names(e))]
        if len({fold(e["name"]) for e in hits}) > 1:  # "Musk": Elon or Kimbal? say so rather than guess
            listed = ", ".join(f"{e['name']} ({e['type']})" for e in hits)
            raise AmbiguousEntity(Msg.AMBIGUOUS_ENTITY.format(name=name, candidates=listed), hits)
    if not hits:
        raise EntityNotFound(Msg.NO_ENTITY.format(name=name))
    return hits


def _same(given: str, names: Iterable[str], key) -> bool:
    """``given`` is one of ``names`` once both go through ``key`` (rule 1: fold, rule 2: norm)."""
    k = key(given)
    return bool(k) and k in {key(x) for x in names}


def _story_entities(q: Query) -> list[dict[str, Any]]:
    """The store's cross-article entities (``{id, name, type, salience, aliases}``, most mentioned first)."""
    rows = q.store.rows(_ENTITY_SELECT + " ORDER BY s.salience DESC, e.name, e.id")
    aliases = q._aliases(rows)
    return [q._entity_json(r, aliases) for r in rows]


def find_entities(store: Store, name: str) -> list[dict[str, Any]]:
    """:func:`match_entities` over the store's cross-article entities
    (``{id, name, type, salience, aliases}``, most mentioned first)."""
    return match_entities(_story_entities(Query(store)), name)


def explain(store: Store, a: str, b: str, detail: int = 1) -> list[str]:
    """Why the entities that ``a`` and ``b`` name (see :func:`match_entities`)
    are one entity, or why they are kept apart. ``detail`` 0: the verdict only;
    1: and how each name designates the entity; 2: and every name merged into
    it with the reason it joined."""
    q = Query(store)
    ents = _story_entities(q)  # read once for both names
    ea, eb = match_entities(ents, a), match_entities(ents, b)
    lines = []
    for x in ea:
        for y in eb:
            if x["id"] != y["id"]:
                why = "different types" if x["type"] != y["type"] else "no rule links them"
                last = lambda e: norm(e["name"].split()[-1]) if e["name"].split() else ""  # noqa: E731
                if x["type"] == y["type"] == "PERSON" and last(x) == last(y):
                    why = "they share a surname but no text links them (different people stay apart)"
                lines.append(f"'{a}' and '{b}' are two entities: {x['name']} ({x['type']}) and "
                             f"{y['name']} ({y['type']}), kept apart: {why}")
                continue
            ids = q.members(x["id"])
            members = {r["id"]: {**r, "aliases": []} for r in store.rows(
                f"SELECT e.id, e.name, e.type, l.reason FROM entities e LEFT JOIN entity_links l ON l.entity = e.id "
                f"WHERE e.id IN ({_marks(len(ids))}) ORDER BY e.id", ids)}
            for r in store.rows(f"SELECT entity, alias FROM aliases WHERE entity IN ({_marks(len(ids))})", ids):
                members[r["entity"]]["aliases"].append(r["alias"])
            root = members.pop(x["id"])
            lines.append(f"'{a}' and '{b}' are one entity: {x['name']} ({x['type']})" + (", because" if detail else ""))
            for given in ((a, b) if fold(a) != fold(b) else (a,)) if detail else ():
                lines += ["  " + r for r in _why_named(given, root, list(members.values()))]
            if detail > 1:
                lines.append("  every name merged into it:")
                lines += [f"    '{m['name']}' ({m['type']}): {m['reason'] or 'no recorded reason'}"
                          for m in members.values()] or ["    (none: it was never merged)"]
    return lines


def _why_named(given: str, root: dict[str, Any], members: list[dict[str, Any]]) -> list[str]:
    """How ``given`` names the entity ``root`` (whose merged ``members`` are given)."""
    out = []
    for m in [root, *members]:
        by_name, by_alias = _names_exactly(given, [m["name"]]), _names_exactly(given, m["aliases"])
        if not (by_name or by_alias):
            continue
        odd = " (written differently)" if by_name and fold(given) != fold(m["name"]) else ""
        if m is root:
            out.append(f"'{given}' is its name{odd}" if by_name else f"'{given}' is a name of '{m['name']}' in the text")
        elif by_name:
            out.append(f"'{given}' ({m['type']}){odd} joined it: {m['reason']}")
        else:
            out.append(f"'{given}' is a name of '{m['name']}' in the text, which joined it: {m['reason']}")
    return out or [f"'{given}' is part of its name '{root['name']}'"]


def _names_exactly(given: str, names: list[str]) -> bool:
    """``given`` is one of ``names`` by rule 1 or 2 of :func:`match_entities`."""
    return _same(given, names, fold) or _same(given, names, norm)
