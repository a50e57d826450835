"""Take the story elsewhere: exporters for graph tools, graph databases,
spreadsheets and the semantic web.

Every exporter reads the canonical JSON story (:func:`dossier.export.story`),
optionally narrowed by :func:`select`, and writes:

============  ======================================================  ==========
format        what                                                    written as
============  ======================================================  ==========
``json``      the canonical export (``dossier/schema/dossier.schema.json``)  file
``graphml``   entities as nodes, relations and events as edges        file
``gexf``      the same graph, GEXF 1.3 dynamic (Gephi's timeline)      file
``jsonld``    schema.org in JSON-LD                                   file
``turtle``    the same RDF graph in Turtle                            file
``csv``       one RFC 4180 table per kind of fact                     directory
``neo4j``     CSV files for ``neo4j-admin database import full``      directory
============  ======================================================  ==========

A file is written to a temporary name and renamed into place; a directory is
written into a temporary directory that replaces the old one only when every
file is complete, so a failed export never leaves a partial result. The IRI
scheme of the RDF formats is documented in ``docs/formats.md``.
"""

from __future__ import annotations

import calendar
import csv
import io
import json
import os
import re
import shutil
import tempfile
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterable
from xml.etree import ElementTree as ET

from .errors import DossierError
from .export import story, write_atomic
from .query import match_entities
from .vocab import ENTITY_CLASSES, ENTITY_TYPES, EVENT_CLASSES, EVENT_TYPES, POTENTIAL_TYPES, PREDICATES
from .vocab import SCHEMA_PROPERTIES as SCHEMA_RELATIONS

FILE_FORMATS = ("json", "graphml", "gexf", "jsonld", "turtle")
DIRECTORY_FORMATS = ("csv", "neo4j")
FORMATS = FILE_FORMATS + DIRECTORY_FORMATS
MANIFEST = "dossier-export.json"  # marks a directory as a dossier export (safe to replace)


# -- the Python API ------------------------------------------------------------


def export(store, format: str, path: str | Path | None = None, *, entity: str | None = None,
           since: str | None = None, until: str | None = None, type: str | None = None) -> str | Path:
    """Export the story in ``store`` as ``format`` (one of :data:`FORMATS`).

    File formats are written to ``path`` (the path is returned) or, without
    ``path``, returned as a string. ``csv`` and ``neo4j`` need ``path``: the
    directory to create or replace. ``entity``, ``since``, ``until`` and
    ``type`` narrow the story first (see :func:`select`).
    """
    check_format(format)
    data = select(story(store), entity=entity, since=since, until=until, type=type)
    return export_data(data, format, path)


def export_data(data: dict[str, Any], format: str, path: str | Path | None = None) -> str | Path:
    """Like :func:`export`, from a story dict (``story(store)`` or a loaded JSON export)."""
    check_format(format)
    if format in DIRECTORY_FORMATS:
        if path is None:
            raise DossierError(f"the {format} export writes a directory: give one with -o DIR")
        tables = csv_tables(data) if format == "csv" else neo4j_tables(data)
        write_directory(path, tables, {"format": format, "files": sorted(tables)})
        return Path(path)
    text = RENDERERS[format](data)
    if path is None:
        return text
    write_atomic(path, text)
    _readable(Path(path))
    return Path(path)


def _readable(path: Path, directory: bool = False) -> None:
    """The permissions a new file (or directory) gets from the umask: temporary
    files are private (0600), an export is meant to be read (by Neo4j's user, say)."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, (0o777 if directory or path.suffix == ".sh" else 0o666) & ~mask)


def check_format(format: str) -> None:
    if format not in FORMATS:
        raise DossierError(f"unknown format '{format}' (available: {', '.join(FORMATS)})")


# -- dates -----------------------------------------------------------------------

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ].*)?$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})")


def date_range(value: Any) -> tuple[str, str] | None:
    """The first and last day (ISO) a date value covers: '2024-02' ->
    ('2024-02-01', '2024-02-29'); 'A/B' intervals, ISO weeks and datetimes
    are understood; anything else gives None."""
    if not value or not isinstance(value, str):
        return None
    v = value.strip()
    if "/" in v:
        a, b = (date_range(x) for x in v.split("/", 1))
        if a and b:
            return a[0], b[1]
        return a or b
    w = _WEEK.match(v)
    try:
        if w:
            y, n = int(w.group(1)), int(w.group(2))
            return date.fromisocalendar(y, n, 1).isoformat(), date.fromisocalendar(y, n, 7).isoformat()
        m = _DATE.match(v)
        if not m:
            return None
        y, mo, d = m.groups()
        if d:
            day = date(int(y), int(mo), int(d)).isoformat()
            return day, day
        if mo:
            last = calendar.monthrange(int(y), int(mo))[1]
            return date(int(y), int(mo), 1).isoformat(), date(int(y), int(mo), last).isoformat()
        return f"{int(y):04d}-01-01", f"{int(y):04d}-12-31"
    except ValueError:
        return None


def _bound(value: str | None, option: str) -> tuple[str, str] | None:
    if value is None or value == "":
        return None
    r = date_range(value) if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value.strip()) else None
    if r is None:
        raise DossierError(f"{option}: '{value}' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
    return r


def _union(ranges: Iterable[tuple[str, str] | None]) -> tuple[str, str] | None:
    rs = [r for r in ranges if r]
    return (min(r[0] for r in rs), max(r[1] for r in rs)) if rs else None


class _Index:
    """Look-ups shared by the filters and the exporters."""

    def __init__(self, data: dict[str, Any]):
        self.data = data
        self.docs = {d["id"]: d for d in data.get("documents", [])}
        self.entities = {e["id"]: e for e in data.get("entities", [])}
        self.published = {i: date_range(d.get("published")) for i, d in self.docs.items()}

    def name(self, eid: str | None) -> str:
        if not eid:
            return ""
        e = self.entities.get(eid)
        return e["name"] if e else eid

    def fact_docs(self, kind: str, f: dict[str, Any]) -> list[str]:
        if kind == "events":
            docs = set(f.get("sources") or []) | {s["document"] for s in f.get("evidence", [])}
            if f.get("trigger"):
                docs.add(f["trigger"]["document"])
            return sorted(docs)
        if kind == "relations":
            return sorted({s["document"] for s in f.get("evidence", [])})
        if kind == "stances":
            return [f["evidence"]["document"]] if f.get("evidence") else []
        return [f["document"]] if f.get("document") else []  # quotes, amounts, dates

    def fact_range(self, kind: str, f: dict[str, Any]) -> tuple[str, str] | None:
        """When a fact happened: an event's own time, else its articles' dates."""
        if kind == "events":
            t = (f.get("roles") or {}).get("time") or {}
            r = date_range(t.get("value"))
            if r:
                return r
        return _union(self.published.get(d) for d in self.fact_docs(kind, f))

    def fact_dates(self, kind: str, f: dict[str, Any]) -> list[str]:
        """The days to put on a timeline for a fact (first day of each range)."""
        if kind == "events":
            r = date_range(((f.get("roles") or {}).get("time") or {}).get("value"))
            if r:
                return [r[0]]
        return sorted({self.published[d][0] for d in self.fact_docs(kind, f) if self.published.get(d)})


def participants(kind: str, f: dict[str, Any], entities: dict[str, Any] | None = None) -> list[str]:
    """Entity ids taking part in a fact."""
    if kind == "events":
        r = f.get("roles") or {}
        return [*r.get("agent", []), *r.get("target", []), *r.get("place", [])]
    if kind == "relations":
        return [f["subject"], f["object"]]
    if kind == "quotes":
        return [x for x in (f.get("speaker"), f.get("intermediary")) if x]
    if kind == "stances":
        out = [f["holder"]]
        if entities is None or f.get("topic") in entities:
            out.append(f["topic"])
        return out
    return []


FACTS = ("events", "relations", "quotes", "stances")


# -- filters -------------------------------------------------------------------------


def select(data: dict[str, Any], *, entity: str | None = None, since: str | None = None,
           until: str | None = None, type: str | None = None) -> dict[str, Any]:
    """The part of a story that the filters keep (all of it without filters).

    - ``entity``: facts (events, relations, quotes, stances) involving the
      entity that name designates (:func:`dossier.query.match_entities`: its
      name or an alias without regard to case or accents, else a name holding
      those words); ``EntityNotFound`` or ``AmbiguousEntity`` otherwise;
    - ``since`` / ``until`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, inclusive):
      facts whose date (an event's own time, else its article's publication
      date) overlaps the period, and the articles published in it;
    - ``type``: an entity type (``PERSON``…: facts involving an entity of that
      type), an event type (``acquisition``…: those events) or a relation
      predicate (``ceo_of``…: those relations).

    Filters combine with AND. The entities kept are the matching ones plus
    every participant of a kept fact (so each edge keeps both ends); mentions,
    amounts and dates are kept in the kept documents.
    """
    if not any(x not in (None, "") for x in (entity, since, until, type)):
        return data
    idx = _Index(data)
    lo = _bound(since, "--since")
    hi = _bound(until, "--until")
    window = (lo[0] if lo else "0000-01-01", hi[1] if hi else "9999-12-31")

    def in_window(r: tuple[str, str] | None) -> bool:
        if not (lo or hi):
            return True
        return r is not None and r[1] >= window[0] and r[0] <= window[1]

    seeds: set[str] | None = None  # entity ids the entity / entity-type filters accept
    if entity not in (None, ""):
        seeds = {e["id"] for e in match_entities(data["entities"], entity)}
    event_type = predicate = None
    if type not in (None, ""):
        t = type.strip()
        if t.upper() in ENTITY_TYPES:
            typed = {e["id"] for e in data["entities"] if e["type"] == t.upper()}
            seeds = typed if seeds is None else seeds & typed
        elif t.lower() in EVENT_TYPES:
            event_type = t.lower()
        elif t.lower() in PREDICATES:
            predicate = t.lower()
        else:
            raise DossierError(f"--type: unknown type '{type}' (entity types: {', '.join(ENTITY_TYPES)}; "
                               f"event types: {', '.join(EVENT_TYPES)}; predicates: {', '.join(PREDICATES)})")

    def keep_fact(kind: str, f: dict[str, Any]) -> bool:
        if event_type and not (kind == "events" and f["type"] == event_type):
            return False
        if predicate and not (kind == "relations" and f["predicate"] == predicate):
            return False
        if seeds is not None and not seeds & set(participants(kind, f, idx.entities)):
            return False
        return in_window(idx.fact_range(kind, f))

    out = dict(data)
    for kind in FACTS:
        out[kind] = [f for f in data.get(kind, []) if keep_fact(kind, f)]

    # documents: those holding a kept fact, plus those the filters accept as a whole
    docs = {d for kind in FACTS for f in out[kind] for d in idx.fact_docs(kind, f)}
    if not (event_type or predicate):
        for d in idx.docs:
            if not in_window(idx.published.get(d)):
                continue
            if seeds is not None and not any(
                    m["document"] == d for e in seeds for m in idx.entities.get(e, {}).get("mentions", [])):
                continue
            docs.add(d)
    out["documents"] = [d for d in data["documents"] if d["id"] in docs]

    involved = {e for kind in FACTS for f in out[kind] for e in participants(kind, f, idx.entities)}
    entities = []
    for e in data["entities"]:
        mentions = [m for m in e["mentions"] if m["document"] in docs]
        accepted = (seeds is None or e["id"] in seeds) and not (event_type or predicate)
        if e["id"] in involved or (accepted and mentions):
            entities.append(dict(e, mentions=mentions, salience=len(mentions)))
    entities.sort(key=lambda e: (-e["salience"], e["name"]))
    out["entities"] = entities
    for kind in ("amounts", "dates"):
        out[kind] = [x for x in data.get(kind, []) if x["document"] in docs]
    kept_quotes = {q["id"] for q in out["quotes"]}
    if "statements" in data:
        statements = []
        for s in data["statements"]:
            qs = [q for q in s["quotes"] if q in kept_quotes]
            if len(qs) > 1:
                statements.append(dict(s, quotes=qs, sources=sorted(
                    {q["document"] for q in out["quotes"] if q["id"] in qs})))
        out["statements"] = statements
    if "contradictions" in data:
        kept_events = {e["id"] for e in out["events"]}
        out["contradictions"] = [c for c in data["contradictions"] if c["event"] in kept_events]
    return out


# -- JSON ----------------------------------------------------------------------------


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# -- graphs: GraphML and GEXF -------------------------------------------------------------


def _money(amount: dict[str, Any] | None) -> str:
    if not amount or amount.get("value") is None:
        return ""
    v = amount["value"]
    s = f"{int(v)}" if float(v).is_integer() else repr(float(v))
    return f"{s} {amount.get('currency') or ''}".strip()


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(v: Any) -> Any:
    """Strings without the characters XML 1.0 cannot hold (GraphML and GEXF readers reject them)."""
    return _NOT_XML.sub(" ", v) if isinstance(v, str) else v


def graph_data(data: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Nodes (one per entity) and edges (relations and events, agent -> target,
    one edge per (source, label, target) with a count), with their dates."""
    idx = _Index(data)
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}

    def add(kind: str, f: dict[str, Any], src: str, dst: str, label: str, extra: dict[str, str]) -> None:
        e = edges.setdefault((src, label, dst), {
            "source": src, "target": dst, "label": label, "kind": kind, "count": 0, "facts": [], "docs": set(),
            "dates": set(), "modality": set(), "amounts": [], "evidence": ""})
        e["count"] += 1
        e["facts"].append(f.get("id") or "")
        e["docs"].update(idx.fact_docs(kind + "s", f))
        e["dates"].update(idx.fact_dates(kind + "s", f))
        if extra.get("modality"):
            e["modality"].add(extra["modality"])
        if extra.get("amount") and extra["amount"] not in e["amounts"]:
            e["amounts"].append(extra["amount"])
        ev = f.get("evidence") or []
        if not e["evidence"] and ev:
            e["evidence"] = ev[0]["text"]

    for r in data.get("relations", []):
        add("relation", r, r["subject"], r["object"], r["predicate"], {})
    for ev in data.get("events", []):
        roles = ev.get("roles") or {}
        for a in roles.get("agent", []):
            for t in roles.get("target", []):
                if a != t:
                    add("event", ev, a, t, ev["type"],
                        {"modality": ev.get("modality", ""), "amount": _money(roles.get("amount"))})

    node_dates: dict[str, set[str]] = defaultdict(set)
    for e in edges.values():
        for end in (e["source"], e["target"]):
            node_dates[end].update(e["dates"])
    nodes = []
    for ent in data.get("entities", []):
        docs = {m["document"] for m in ent["mentions"]}
        days = node_dates[ent["id"]] | {idx.published[d][0] for d in docs if idx.published.get(d)}
        nodes.append({"id": ent["id"], "label": ent["name"], "type": ent["type"], "aliases": "|".join(ent["aliases"]),
                      "mentions": len(ent["mentions"]), "documents": len(docs),
                      "start": min(days) if days else None, "end": max(days) if days else None})
    known = {n["id"] for n in nodes}
    for e in edges.values():  # an entity id no entity row describes (after a filter, say)
        for end in (e["source"], e["target"]):
            if end not in known:
                known.add(end)
                nodes.append({"id": end, "label": idx.name(end), "type": "", "aliases": "", "mentions": 0,
                              "documents": 0, "start": None, "end": None})
    out_edges = []
    for i, e in enumerate(sorted(edges.values(), key=lambda e: (e["kind"], e["label"], e["source"], e["target"]))):
        dates = sorted(e["dates"])
        out_edges.append({
            "id": f"e{i}", "source": e["source"], "target": e["target"], "label": e["label"], "kind": e["kind"],
            "count": e["count"], "documents": len(e["docs"]), "dates": "|".join(dates),
            "start": dates[0] if dates else None, "end": dates[-1] if dates else None,
            "modality": "|".join(sorted(e["modality"])), "amounts": "|".join(e["amounts"]),
            "facts": "|".join(e["facts"]), "evidence": e["evidence"]})
    nodes = [{k: _xml_safe(v) for k, v in n.items()} for n in nodes]
    out_edges = [{k: _xml_safe(v) for k, v in e.items()} for e in out_edges]
    return nodes, out_edges


def story_graph(data: dict[str, Any]):
    """The story as a ``networkx.MultiDiGraph`` (needs networkx)."""
    import networkx as nx

    nodes, edges = graph_data(data)
    g = nx.MultiDiGraph(name="dossier story")
    for n in nodes:
        g.add_node(n["id"], **{k: v for k, v in n.items() if k != "id" and v is not None})
    for e in edges:
        attrs = {k: v for k, v in e.items() if k not in ("id", "source", "target") and v is not None}
        g.add_edge(e["source"], e["target"], key=e["id"], **attrs)
    return g


def to_graphml(data: dict[str, Any]) -> str:
    import networkx as nx

    return "\n".join(nx.generate_graphml(story_graph(data), encoding="utf-8", prettyprint=True)) + "\n"


GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
TYPE_COLOURS = {"PERSON": (31, 119, 180), "ORG": (214, 39, 40), "LOC": (44, 160, 44),
                "PRODUCT": (148, 103, 189), "EVENT": (255, 127, 14), "": (127, 127, 127)}
NODE_ATTRS = (("type", "string"), ("aliases", "string"), ("mentions", "integer"), ("documents", "integer"))
EDGE_ATTRS = (("kind", "string"), ("count", "integer"), ("documents", "integer"), ("dates", "string"),
              ("modality", "string"), ("amounts", "string"), ("facts", "string"), ("evidence", "string"))


def to_gexf(data: dict[str, Any]) -> str:
    """GEXF 1.3, ``mode="dynamic"`` with ``start``/``end`` on nodes and edges
    (days), so Gephi's timeline plays the story."""
    nodes, edges = graph_data(data)
    ET.register_namespace("", GEXF_NS)
    ET.register_namespace("viz", VIZ_NS)
    q = lambda tag: f"{{{GEXF_NS}}}{tag}"  # noqa: E731
    root = ET.Element(q("gexf"), {"version": "1.3"})
    meta = ET.SubElement(root, q("meta"))
    ET.SubElement(meta, q("creator")).text = "dossier"
    ET.SubElement(meta, q("description")).text = "Story graph: entities; relations and events (agent -> target)"
    graph = ET.SubElement(root, q("graph"), {"mode": "dynamic", "defaultedgetype": "directed",
                                              "timeformat": "date", "timerepresentation": "interval"})
    for cls, attrs in (("node", NODE_ATTRS), ("edge", EDGE_ATTRS)):
        el = ET.SubElement(graph, q("attributes"), {"class": cls, "mode": "static"})
        for name, typ in attrs:
            ET.SubElement(el, q("attribute"), {"id": name, "title": name, "type": typ})

    def values(el: ET.Element, item: dict[str, Any], attrs) -> None:
        av = ET.SubElement(el, q("attvalues"))
        for name, _ in attrs:
            ET.SubElement(av, q("attvalue"), {"for": name, "value": str(item[name])})

    def period(item: dict[str, Any]) -> dict[str, str]:
        return {k: item[k] for k in ("start", "end") if item.get(k)}

    nodes_el = ET.SubElement(graph, q("nodes"))
    for n in nodes:
        el = ET.SubElement(nodes_el, q("node"), {"id": n["id"], "label": n["label"], **period(n)})
        values(el, n, NODE_ATTRS)
        r, g, b = TYPE_COLOURS.get(n["type"], TYPE_COLOURS[""])
        ET.SubElement(el, f"{{{VIZ_NS}}}color", {"r": str(r), "g": str(g), "b": str(b), "a": "1.0"})
        ET.SubElement(el, f"{{{VIZ_NS}}}size", {"value": f"{10 + 4 * min(n['mentions'], 20):.1f}"})
    edges_el = ET.SubElement(graph, q("edges"))
    for e in edges:
        el = ET.SubElement(edges_el, q("edge"), {"id": e["id"], "source": e["source"], "target": e["target"],
                                                  "label": e["label"], "weight": f"{float(e['count']):.1f}", **period(e)})
        values(el, e, EDGE_ATTRS)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# -- tables: CSV and Neo4j --------------------------------------------------------------

Table = tuple[list[str], list[list[Any]]]


def _cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _csv_text(header: list[str], rows: Iterable[list[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")  # RFC 4180
    w.writerow(header)
    for r in rows:
        w.writerow([_cell(v) for v in r])
    return buf.getvalue()


def _spans(spans: list[dict[str, Any]]) -> str:
    return ";".join(f"{s['start']}-{s['end']}" for s in spans)


def _texts(spans: list[dict[str, Any]]) -> str:
    return " … ".join(s["text"] for s in spans)


def csv_tables(data: dict[str, Any]) -> dict[str, Table]:
    """One table per kind of fact; lists are ``;``-joined."""
    idx = _Index(data)
    names = lambda ids: ";".join(idx.name(i) for i in ids)  # noqa: E731
    t: dict[str, Table] = {}
    t["documents.csv"] = (["id", "title", "url", "source", "published", "language", "path", "text"],
                          [[d.get(k) for k in ("id", "title", "url", "source", "published", "language", "path", "text")]
                           for d in data.get("documents", [])])
    t["entities.csv"] = (["id", "name", "type", "aliases", "mentions", "documents", "members"],
                         [[e["id"], e["name"], e["type"], ";".join(e["aliases"]), len(e["mentions"]),
                           len({m["document"] for m in e["mentions"]}), ";".join(e.get("members") or [e["id"]])]
                          for e in data.get("entities", [])])
    t["mentions.csv"] = (["entity", "entity_name", "document", "start", "end", "text", "heading"],
                         [[e["id"], e["name"], m["document"], m["start"], m["end"], m["text"], m.get("heading", False)]
                          for e in data.get("entities", []) for m in e["mentions"]])
    t["amounts.csv"] = (["document", "start", "end", "text", "value", "currency", "approximate", "refers_to"],
                        [[a["document"], a["start"], a["end"], a["text"], a["value"], a["currency"], a["approximate"],
                          a.get("refers_to")] for a in data.get("amounts", [])])
    t["dates.csv"] = (["document", "start", "end", "text", "value", "precision", "relative"],
                      [[d["document"], d["start"], d["end"], d["text"], d.get("value"), d.get("precision"),
                        d.get("relative", False)] for d in data.get("dates", [])])

    def span_cols(s: dict[str, Any] | None) -> list[Any]:
        return [s["text"], s["start"], s["end"]] if s else ["", "", ""]

    t["quotes.csv"] = (["id", "document", "start", "end", "text", "kind", "speaker", "speaker_name", "intermediary",
                        "intermediary_name", "cue", "cue_start", "cue_end", "statement"],
                       [[q.get("id"), q["document"], q["start"], q["end"], q["text"], q["kind"], q.get("speaker"),
                         idx.name(q.get("speaker")), q.get("intermediary"), idx.name(q.get("intermediary")),
                         *span_cols(q.get("cue")), q.get("statement", q.get("id"))] for q in data.get("quotes", [])])
    rows = []
    for ev in data.get("events", []):
        r = ev.get("roles") or {}
        amt, tm = r.get("amount") or {}, r.get("time") or {}
        rows.append([ev.get("id"), ";".join(idx.fact_docs("events", ev)), ev["type"], ev["modality"], ev.get("flavour"),
                     ";".join(r.get("agent", [])), names(r.get("agent", [])), ";".join(r.get("target", [])),
                     names(r.get("target", [])), ";".join(r.get("place", [])), names(r.get("place", [])),
                     amt.get("value"), amt.get("currency"), tm.get("value"), tm.get("precision"), tm.get("text"),
                     *span_cols(ev.get("trigger")), _spans(ev.get("evidence", [])), _texts(ev.get("evidence", [])),
                     ";".join(ev.get("members") or [])])
    t["events.csv"] = (["id", "documents", "type", "modality", "flavour", "agents", "agent_names", "targets",
                        "target_names", "places", "place_names", "amount_value", "amount_currency", "time_value",
                        "time_precision", "time_text", "trigger", "trigger_start", "trigger_end", "evidence_spans",
                        "evidence", "members"], rows)
    t["relations.csv"] = (["id", "documents", "subject", "subject_name", "predicate", "object", "object_name",
                           "evidence_spans", "evidence"],
                          [[r.get("id"), ";".join(idx.fact_docs("relations", r)), r["subject"], idx.name(r["subject"]),
                            r["predicate"], r["object"], idx.name(r["object"]), _spans(r.get("evidence", [])),
                            _texts(r.get("evidence", []))] for r in data.get("relations", [])])
    t["stances.csv"] = (["id", "document", "holder", "holder_name", "topic", "topic_name", "polarity", "start", "end",
                         "evidence"],
                        [[s.get("id"), s["evidence"]["document"], s["holder"], idx.name(s["holder"]), s["topic"],
                          idx.name(s["topic"]), s["polarity"], s["evidence"]["start"], s["evidence"]["end"],
                          s["evidence"]["text"]] for s in data.get("stances", [])])
    if "statements" in data:
        t["statements.csv"] = (["id", "speaker", "speaker_name", "quotes", "sources"],
                               [[s["id"], s.get("speaker"), idx.name(s.get("speaker")), ";".join(s["quotes"]),
                                 ";".join(s["sources"])] for s in data["statements"]])
    if "contradictions" in data:
        rows = []
        for c in data["contradictions"]:
            vals = c.get("values", [])
            flat = []
            for v in vals[:2]:
                val = v.get("value")
                flat += [val if isinstance(val, (str, int, float)) else json.dumps(val, ensure_ascii=False),
                         v.get("document"), _texts(v.get("evidence", []))]
            rows.append([c["id"], c["kind"], c["event"], c.get("type"), *flat])
        t["contradictions.csv"] = (["id", "kind", "event", "type", "value_1", "document_1", "evidence_1", "value_2",
                                    "document_2", "evidence_2"], rows)
    return t


def _array(items: Iterable[str]) -> str:
    """A Neo4j ``string[]`` cell: ``;``-separated (a ``;`` inside an item becomes ``,``)."""
    return ";".join(str(i).replace(";", ",") for i in items)


def _neo_label(t: str) -> str:
    return ENTITY_CLASSES.get(t, "")


def _iso_day(value: Any) -> str:
    """A Neo4j ``date`` cell: only a full ISO day, else empty (no property)."""
    return value[:10] if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}", value) and date_range(value) else ""


NEO4J_NODE_FILES = ("entities.csv", "documents.csv", "events.csv", "quotes.csv", "stances.csv")
NEO4J_RELATIONSHIP_FILES = ("relations.csv", "mentions.csv", "event_agents.csv", "event_roles.csv",
                            "event_documents.csv", "quote_people.csv", "quote_documents.csv",
                            "stance_holders.csv", "stance_topics.csv", "stance_documents.csv")


def neo4j_tables(data: dict[str, Any]) -> dict[str, Table]:
    """CSV files with the headers ``neo4j-admin database import full`` reads
    (ID spaces Entity, Document, Event, Quote, Stance; ``;`` array delimiter)."""
    idx = _Index(data)
    t: dict[str, Table] = {}
    t["entities.csv"] = (["entityId:ID(Entity)", "name", "type", "aliases:string[]", "mentions:int", "members:string[]",
                          ":LABEL"],
                         [[e["id"], e["name"], e["type"], _array(e["aliases"]), len(e["mentions"]),
                           _array(e.get("members") or [e["id"]]), ";".join(x for x in ("Entity", _neo_label(e["type"])) if x)]
                          for e in data.get("entities", [])])
    t["documents.csv"] = (["documentId:ID(Document)", "title", "url", "source", "published", "date:date", "language",
                           "path", "text", ":LABEL"],
                          [[d["id"], d.get("title"), d.get("url"), d.get("source"), d.get("published"),
                            _iso_day(d.get("published")), d["language"], d.get("path"), d["text"], "Document;NewsArticle"]
                           for d in data.get("documents", [])])
    ev_rows, agents, roles, ev_docs = [], [], [], []
    for ev in data.get("events", []):
        r = ev.get("roles") or {}
        amt, tm = r.get("amount") or {}, r.get("time") or {}
        ev_rows.append([ev["id"], ev["type"], ev["modality"], ev.get("flavour"), amt.get("value"), amt.get("currency"),
                        tm.get("value"), _iso_day(tm.get("value")), tm.get("text"),
                        (ev.get("trigger") or {}).get("text"), _array(s["text"] for s in ev.get("evidence", [])),
                        _array(ev.get("members") or [ev["id"]]), "Event"])
        agents += [[a, ev["id"], "AGENT_OF"] for a in r.get("agent", [])]
        roles += [[ev["id"], x, "TARGET"] for x in r.get("target", [])]
        roles += [[ev["id"], x, "PLACE"] for x in r.get("place", [])]
        ev_docs += [[ev["id"], d, "REPORTED_IN"] for d in idx.fact_docs("events", ev)]
    t["events.csv"] = (["eventId:ID(Event)", "type", "modality", "flavour", "amount:double", "currency", "time",
                        "date:date", "time_text", "trigger", "evidence:string[]", "members:string[]", ":LABEL"], ev_rows)
    t["quotes.csv"] = (["quoteId:ID(Quote)", "text", "kind", "document", "start:int", "end:int", "cue", "statement",
                        ":LABEL"],
                       [[q["id"], q["text"], q["kind"], q["document"], q["start"], q["end"], (q.get("cue") or {}).get("text"),
                         q.get("statement", q["id"]), "Quote"] for q in data.get("quotes", []) if q.get("id")])
    t["stances.csv"] = (["stanceId:ID(Stance)", "polarity", "topic", "evidence", "document", "start:int", "end:int",
                         ":LABEL"],
                        [[s["id"], s["polarity"], idx.name(s["topic"]), s["evidence"]["text"], s["evidence"]["document"],
                          s["evidence"]["start"], s["evidence"]["end"], "Stance"] for s in data.get("stances", [])
                         if s.get("id")])
    t["relations.csv"] = ([":START_ID(Entity)", ":END_ID(Entity)", ":TYPE", "relationId", "predicate",
                           "documents:string[]", "evidence:string[]"],
                          [[r["subject"], r["object"], r["predicate"].upper(), r.get("id"), r["predicate"],
                            _array(idx.fact_docs("relations", r)), _array(s["text"] for s in r.get("evidence", []))]
                           for r in data.get("relations", [])])
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for e in data.get("entities", []):
        for m in e["mentions"]:
            counts[(m["document"], e["id"])] += 1
    t["mentions.csv"] = ([":START_ID(Document)", ":END_ID(Entity)", ":TYPE", "count:int"],
                         [[d, e, "MENTIONS", n] for (d, e), n in sorted(counts.items())])
    t["event_agents.csv"] = ([":START_ID(Entity)", ":END_ID(Event)", ":TYPE"], agents)
    t["event_roles.csv"] = ([":START_ID(Event)", ":END_ID(Entity)", ":TYPE"], roles)
    t["event_documents.csv"] = ([":START_ID(Event)", ":END_ID(Document)", ":TYPE"], ev_docs)
    qp, qd = [], []
    for q in data.get("quotes", []):
        if not q.get("id"):
            continue
        if q.get("speaker"):
            qp.append([q["speaker"], q["id"], "SAID"])
        if q.get("intermediary"):
            qp.append([q["intermediary"], q["id"], "RELAYED"])
        qd.append([q["id"], q["document"], "IN_DOCUMENT"])
    t["quote_people.csv"] = ([":START_ID(Entity)", ":END_ID(Quote)", ":TYPE"], qp)
    t["quote_documents.csv"] = ([":START_ID(Quote)", ":END_ID(Document)", ":TYPE"], qd)
    stances = [s for s in data.get("stances", []) if s.get("id")]
    t["stance_holders.csv"] = ([":START_ID(Entity)", ":END_ID(Stance)", ":TYPE"],
                               [[s["holder"], s["id"], "HOLDS"] for s in stances])
    t["stance_topics.csv"] = ([":START_ID(Stance)", ":END_ID(Entity)", ":TYPE"],
                              [[s["id"], s["topic"], "ABOUT"] for s in stances if s["topic"] in idx.entities])
    t["stance_documents.csv"] = ([":START_ID(Stance)", ":END_ID(Document)", ":TYPE"],
                                 [[s["id"], s["evidence"]["document"], "IN_DOCUMENT"] for s in stances])
    t["import.sh"] = neo4j_import_command()  # type: ignore[assignment]
    return t


def neo4j_admin_command(database: str = "neo4j", directory: str = ".") -> str:
    """The ``neo4j-admin`` (Neo4j 5) command that loads a ``neo4j`` export
    from ``directory`` into ``database``."""
    d = directory.rstrip("/")
    lines = [f"neo4j-admin database import full {database}"]
    lines += [f"  --nodes={d}/{f}" for f in NEO4J_NODE_FILES]
    lines += [f"  --relationships={d}/{f}" for f in NEO4J_RELATIONSHIP_FILES]
    lines += ["  --delimiter=, --array-delimiter=';' --quote='\"'", "  --multiline-fields=true",
              "  --skip-bad-relationships=true --overwrite-destination=true"]
    return " \\\n".join(lines) + "\n"


def neo4j_import_command() -> str:
    """``import.sh``, written into every ``neo4j`` export."""
    return ("#!/bin/sh\n"
            "# Load this dossier export into Neo4j 5: stop Neo4j, run this script (neo4j-admin on the PATH;\n"
            "# optional argument: the database, default neo4j), start Neo4j. The database is replaced.\n"
            "set -e\n"
            'cd "$(dirname "$0")"\n'
            + neo4j_admin_command('"${1:-neo4j}"', "."))


def write_directory(path: str | Path, tables: dict[str, Any], manifest: dict[str, Any]) -> None:
    """Write every table into a temporary directory beside ``path``, then swap
    it into place; an existing directory is replaced only if it is empty or a
    previous dossier export (it holds ``dossier-export.json``)."""
    path = Path(path)
    if path.exists():
        if not path.is_dir():
            raise DossierError(f"{path} exists and is not a directory")
        if any(path.iterdir()) and not (path / MANIFEST).exists():
            raise DossierError(f"{path} is a directory that is not a dossier export; choose a new or empty one")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    old: Path | None = None
    try:
        for name, table in tables.items():
            text = table if isinstance(table, str) else _csv_text(*table)
            write_atomic(tmp / name, text)
            _readable(tmp / name)
        write_atomic(tmp / MANIFEST, json.dumps(manifest, indent=2) + "\n")
        _readable(tmp / MANIFEST)
        _readable(tmp, directory=True)
        if path.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.old.", dir=path.parent))
            os.rmdir(old)
            os.replace(path, old)
        os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and old.exists() and not path.exists():
            os.replace(old, path)  # put the previous export back
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


# -- RDF: JSON-LD and Turtle (schema.org) -------------------------------------------------

SCHEMA = "http://schema.org/"
VOCAB = "urn:dossier:vocab:"
IRI_PREFIX = "urn:dossier:"
# the schema.org classes and properties are the vocabulary's (dossier/lang/vocab.json)


def iri(kind: str, ident: str) -> str:
    """``urn:dossier:<kind>:<id>`` (kinds: entity, doc, event, quote, relation,
    stance, statement, amount, contradiction)."""
    return f"{IRI_PREFIX}{kind}:{ident}"


def span_iri(span: dict[str, Any]) -> str:
    """A span as an RFC 5147 fragment of its document: ``urn:dossier:doc:<id>#char=<start>,<end>``."""
    return f"{iri('doc', span['document'])}#char={span['start']},{span['end']}"


def rdf_graph(data: dict[str, Any]):
    """The story as an ``rdflib.Graph`` using schema.org (needs rdflib)."""
    from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import XSD
    from rdflib.term import Node

    S, V = Namespace(SCHEMA), Namespace(VOCAB)
    g = Graph()
    g.bind("schema", S, override=True, replace=True)  # rdflib binds schema: to https://schema.org/
    g.bind("dossier", V)
    g.bind("xsd", XSD)
    idx = _Index(data)
    U = URIRef

    def lit_date(value: str | None):
        if not value:
            return None
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) and date_range(value):
            return Literal(value, datatype=XSD.date)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})?", value):
            return Literal(value, datatype=XSD.dateTime)
        return Literal(value)

    def decimal(v: float):
        return Literal(format(Decimal(repr(float(v))), "f"), datatype=XSD.decimal)

    def add(s, p, o) -> None:
        if o is not None and o != "":
            g.add((s, p, o if isinstance(o, Node) else Literal(o)))

    def span(sp: dict[str, Any] | None):
        if not sp:
            return None
        node = U(span_iri(sp))
        if (node, RDF.type, V.Span) not in g:
            g.add((node, RDF.type, V.Span))
            g.add((node, S.isPartOf, U(iri("doc", sp["document"]))))
            g.add((node, V.start, Literal(sp["start"])))
            g.add((node, V.end, Literal(sp["end"])))
            g.add((node, S.text, Literal(sp["text"])))
        return node

    def ent(eid: str):
        return U(iri("entity", eid))

    for d in data.get("documents", []):
        n = U(iri("doc", d["id"]))
        g.add((n, RDF.type, S.NewsArticle))
        add(n, S.identifier, d["id"])
        add(n, S.headline, d.get("title"))
        if d.get("url"):
            g.add((n, S.url, Literal(d["url"], datatype=XSD.anyURI)))
        if d.get("source"):
            pub = BNode()
            g.add((n, S.publisher, pub))
            g.add((pub, RDF.type, S.Organization))
            g.add((pub, S.name, Literal(d["source"])))
        add(n, S.datePublished, lit_date(d.get("published")))
        add(n, S.inLanguage, d["language"])
        add(n, V.path, d.get("path"))
        add(n, S.articleBody, d["text"])
    for e in data.get("entities", []):
        n = ent(e["id"])
        g.add((n, RDF.type, S[ENTITY_CLASSES.get(e["type"], "Thing")]))
        add(n, S.identifier, e["id"])
        add(n, S.name, e["name"])
        for a in e["aliases"]:
            add(n, S.alternateName, a)
        add(n, V.entityType, e["type"])
        add(n, V.mentionCount, len(e["mentions"]))
        for m in e["mentions"]:
            g.add((n, V.mention, span(m)))
            g.add((U(iri("doc", m["document"])), S.mentions, n))
    for a in data.get("amounts", []):
        n = U(iri("amount", f"{a['document']}:{a['start']}-{a['end']}"))
        g.add((n, RDF.type, S.MonetaryAmount))
        g.add((n, S.value, decimal(a["value"])))
        add(n, S.currency, a.get("currency"))
        add(n, S.description, a.get("refers_to"))
        add(n, V.approximate, bool(a.get("approximate")))
        g.add((n, V.evidence, span(a)))
        g.add((n, S.subjectOf, U(iri("doc", a["document"]))))
    for q in data.get("quotes", []):
        n = U(iri("quote", q.get("id") or f"{q['document']}:{q['start']}-{q['end']}"))
        g.add((n, RDF.type, S.Quotation))
        add(n, S.text, q["text"])
        if q.get("speaker"):
            g.add((n, S.creator, ent(q["speaker"])))
        if q.get("intermediary"):
            g.add((n, V.intermediary, ent(q["intermediary"])))
        g.add((n, S.isPartOf, U(iri("doc", q["document"]))))
        add(n, V.quoteKind, q["kind"])
        g.add((n, V.evidence, span(q)))
        add(n, V.cue, span(q.get("cue")))
        if q.get("statement"):
            g.add((n, V.statement, U(iri("statement", q["statement"]))))
    for ev in data.get("events", []):
        n = U(iri("event", ev["id"]))
        r = ev.get("roles") or {}
        g.add((n, RDF.type, V.Event))
        g.add((n, RDF.type, S[EVENT_CLASSES.get(ev["type"], "Action")]))
        add(n, S.identifier, ev["id"])
        add(n, V.eventType, ev["type"])
        add(n, V.modality, ev["modality"])
        add(n, V.flavour, ev.get("flavour"))
        status = ("PotentialActionStatus" if ev["type"] in POTENTIAL_TYPES or ev["modality"] in ("planned", "possible")
                  else "FailedActionStatus" if ev["modality"] == "negated" else "CompletedActionStatus")
        g.add((n, S.actionStatus, S[status]))
        for x in r.get("agent", []):
            g.add((n, S.agent, ent(x)))
        for x in r.get("target", []):
            g.add((n, S.object, ent(x)))
        for x in r.get("place", []):
            g.add((n, S.location, ent(x)))
        if r.get("amount") and r["amount"].get("value") is not None:
            g.add((n, S.price, decimal(r["amount"]["value"])))
            add(n, S.priceCurrency, r["amount"].get("currency"))
        t = r.get("time") or {}
        add(n, S.startTime, lit_date(t.get("value")))
        add(n, V.timeText, t.get("text"))
        add(n, V.trigger, span(ev.get("trigger")))
        for sp in ev.get("evidence", []):
            g.add((n, V.evidence, span(sp)))
        for d in idx.fact_docs("events", ev):
            g.add((n, S.subjectOf, U(iri("doc", d))))
    for rel in data.get("relations", []):
        s, o = ent(rel["subject"]), ent(rel["object"])
        g.add((s, V[rel["predicate"]], o))
        if rel["predicate"] in SCHEMA_RELATIONS:
            prop, inverse = SCHEMA_RELATIONS[rel["predicate"]]
            g.add((o, S[prop], s) if inverse else (s, S[prop], o))
        n = U(iri("relation", rel.get("id") or f"{rel['subject']}-{rel['predicate']}-{rel['object']}"))
        g.add((n, RDF.type, RDF.Statement))
        g.add((n, RDF.subject, s))
        g.add((n, RDF.predicate, V[rel["predicate"]]))
        g.add((n, RDF.object, o))
        for sp in rel.get("evidence", []):
            g.add((n, V.evidence, span(sp)))
        for d in idx.fact_docs("relations", rel):
            g.add((n, S.subjectOf, U(iri("doc", d))))
    for st in data.get("stances", []):
        n = U(iri("stance", st.get("id") or f"{st['holder']}-{st['polarity']}"))
        g.add((n, RDF.type, V.Stance))
        g.add((n, V.holder, ent(st["holder"])))
        g.add((n, V.topic, ent(st["topic"]) if st["topic"] in idx.entities else Literal(st["topic"])))
        add(n, V.polarity, st["polarity"])
        add(n, V.evidence, span(st.get("evidence")))
        if st.get("evidence"):
            g.add((n, S.subjectOf, U(iri("doc", st["evidence"]["document"]))))
    for stm in data.get("statements", []):
        n = U(iri("statement", stm["id"]))
        g.add((n, RDF.type, V.Statement))
        if stm.get("speaker"):
            g.add((n, S.creator, ent(stm["speaker"])))
        for qid in stm["quotes"]:
            g.add((n, V.quote, U(iri("quote", qid))))
    for c in data.get("contradictions", []):
        n = U(iri("contradiction", c["id"]))
        g.add((n, RDF.type, V.Contradiction))
        add(n, V.kind, c["kind"])
        g.add((n, V.event, U(iri("event", c["event"]))))
        g.add((n, V["values"], Literal(json.dumps(c.get("values", []), ensure_ascii=False), datatype=RDF.JSON)))
    return g


JSONLD_CONTEXT = {"schema": SCHEMA, "dossier": VOCAB, "xsd": "http://www.w3.org/2001/XMLSchema#",
                  "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}


def to_jsonld(data: dict[str, Any]) -> str:
    return rdf_graph(data).serialize(format="json-ld", context=JSONLD_CONTEXT, indent=2, ensure_ascii=False) + "\n"


def to_turtle(data: dict[str, Any]) -> str:
    return rdf_graph(data).serialize(format="turtle")


RENDERERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "json": to_json, "graphml": to_graphml, "gexf": to_gexf, "jsonld": to_jsonld, "turtle": to_turtle}
