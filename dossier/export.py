"""The canonical JSON export (format ``dossier``, version 1).

Its JSON Schema ships as ``dossier/schema/dossier.schema.json``. Files are
written to a temporary name and renamed, so a failed export never leaves a
truncated file.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from .store import Store

FORMAT_VERSION = 1


def _ev(texts: dict[str, str], document: str, start: int, end: int) -> dict[str, Any]:
    return {"document": document, "start": start, "end": end, "text": texts[document][start:end]}


def raw_story(store: Store) -> dict[str, Any]:
    """Every article's own facts, before cross-article linking."""
    texts = store.texts()
    docs = [
        {k: r[k] for k in ("id", "title", "url", "source", "published", "language", "path", "text")}
        for r in store.documents()
    ]
    aliases: dict[str, list[str]] = defaultdict(list)
    for r in store.iter_table("aliases", "entity, alias"):
        aliases[r["entity"]].append(r["alias"])
    mentions: dict[str, list[dict]] = defaultdict(list)
    for r in store.iter_table("mentions", "document, char_start"):
        m = _ev(texts, r["document"], r["char_start"], r["char_end"])
        m["heading"] = bool(r["heading"])
        mentions[r["entity"]].append(m)
    entities = [
        {"id": r["id"], "name": r["name"], "type": r["type"], "aliases": aliases.get(r["id"], []),
         "salience": len(mentions.get(r["id"], [])), "mentions": mentions.get(r["id"], [])}
        for r in store.iter_table("entities", "id")
    ]
    entities.sort(key=lambda e: (-e["salience"], e["name"]))
    amounts = [
        {"value": r["value"], "currency": r["currency"], "approximate": bool(r["approximate"]),
         "refers_to": r["refers_to"], **_ev(texts, r["document"], r["char_start"], r["char_end"])}
        for r in store.iter_table("amounts", "document, char_start")
    ]
    dates = [
        {"value": r["value"], "precision": r["precision"], "relative": bool(r["relative"]),
         **_ev(texts, r["document"], r["char_start"], r["char_end"])}
        for r in store.iter_table("dates", "document, char_start")
    ]
    quotes = []
    for r in store.iter_table("quotes", "document, char_start"):
        d = r["document"]
        q = {"id": r["id"], "kind": r["kind"], "speaker": r["speaker"], **_ev(texts, d, r["char_start"], r["char_end"])}
        q["cue"] = _ev(texts, d, r["cue_start"], r["cue_end"]) if r["cue_start"] is not None else None
        q["speaker_mention"] = _ev(texts, d, r["speaker_start"], r["speaker_end"]) if r["speaker_start"] is not None else None
        q["intermediary"] = r["intermediary"]
        q["intermediary_mention"] = (
            _ev(texts, d, r["intermediary_start"], r["intermediary_end"]) if r["intermediary_start"] is not None else None
        )
        quotes.append(q)
    evidence: dict[str, list[dict]] = defaultdict(list)
    for r in store.iter_table("evidence", "fact, document, char_start"):
        evidence[r["fact"]].append(_ev(texts, r["document"], r["char_start"], r["char_end"]))
    roles: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in store.iter_table("event_roles", "event, role, entity"):
        roles[r["event"]][r["role"]].append(r["entity"])
    events = []
    for r in store.iter_table("events", "document, trigger_start"):
        rl = roles.get(r["id"], {})
        d = r["document"]
        events.append({
            "id": r["id"], "type": r["type"], "modality": r["modality"], "flavour": r["flavour"],
            "roles": {
                "agent": rl.get("agent", []), "target": rl.get("target", []), "place": rl.get("place", []),
                "amount": {"value": r["amount_value"], "currency": r["amount_currency"]} if r["amount_value"] is not None else None,
                "time": {"value": r["time_value"], "precision": r["time_precision"], "text": r["time_text"]} if r["time_text"] else None,
            },
            "trigger": _ev(texts, d, r["trigger_start"], r["trigger_end"]) if r["trigger_start"] is not None else None,
            "evidence": evidence.get(r["id"], []),
        })
    relations = [
        {"id": r["id"], "subject": r["subject"], "predicate": r["predicate"], "object": r["object"],
         "evidence": evidence.get(r["id"], [])}
        for r in store.iter_table("relations", "document, id")
    ]
    stances = [
        {"id": r["id"], "holder": r["holder"], "topic": r["topic"], "polarity": r["polarity"],
         "evidence": _ev(texts, r["document"], r["char_start"], r["char_end"])}
        for r in store.iter_table("stances", "document, char_start")
    ]
    return {
        "format": "dossier", "version": FORMAT_VERSION, "documents": docs, "entities": entities,
        "amounts": amounts, "dates": dates, "quotes": quotes, "events": events,
        "relations": relations, "stances": stances,
    }


def story(store: Store) -> dict[str, Any]:
    """The whole story in the store as one JSON-ready dict: entities resolved
    across articles, each happening once with all its sources, statements
    quoted by several outlets grouped, and contradictions listed."""
    data = raw_story(store)
    canonical = {r["entity"]: r["canonical"] for r in store.iter_table("entity_links")}
    c = lambda i: canonical.get(i, i)  # noqa: E731

    merged: dict[str, dict] = {}
    for e in data["entities"]:
        root = c(e["id"])
        m = merged.setdefault(root, {"id": root, "name": None, "type": e["type"], "aliases": [], "mentions": [], "members": []})
        m["members"].append(e["id"])
        m["mentions"] += e["mentions"]
        m["aliases"] += [e["name"], *e["aliases"]]
        if e["id"] == root:
            m["name"], m["type"] = e["name"], e["type"]
    for m in merged.values():
        m["name"] = m["name"] or m["aliases"][0]
        m["aliases"] = sorted({a for a in m["aliases"] if a != m["name"]})
        m["mentions"].sort(key=lambda x: (x["document"], x["start"]))
        m["salience"] = len(m["mentions"])
    data["entities"] = sorted(merged.values(), key=lambda e: (-e["salience"], e["name"]))

    for q in data["quotes"]:
        q["speaker"] = q["speaker"] and c(q["speaker"])
        q["intermediary"] = q["intermediary"] and c(q["intermediary"])
    for r in data["relations"]:
        r["subject"], r["object"] = c(r["subject"]), c(r["object"])
    for s in data["stances"]:
        s["holder"] = c(s["holder"])

    clusters = {r["event"]: r["cluster"] for r in store.iter_table("event_clusters")}
    events: dict[str, dict] = {}
    for e in data["events"]:
        for role in ("agent", "target", "place"):
            e["roles"][role] = sorted({c(x) for x in e["roles"][role]})
        cid = clusters.get(e["id"], e["id"])
        first = cid not in events
        if first:
            events[cid] = dict(e, id=cid, members=[], sources=[])
        ev = events[cid]
        ev["members"].append(e["id"])
        if not first:
            for role in ("agent", "target", "place"):
                ev["roles"][role] = sorted(set(ev["roles"][role]) | set(e["roles"][role]))
            ev["roles"]["amount"] = ev["roles"]["amount"] or e["roles"]["amount"]
            ev["roles"]["time"] = ev["roles"]["time"] or e["roles"]["time"]
            ev["evidence"] = ev["evidence"] + e["evidence"]
        ev["sources"] = sorted({x["document"] for x in ev["evidence"]})
    data["events"] = list(events.values())

    groups: dict[str, list[str]] = defaultdict(list)
    statement_of: dict[str, str] = {}
    for r in store.iter_table("statements", "statement, quote"):
        groups[r["statement"]].append(r["quote"])
        statement_of[r["quote"]] = r["statement"]
    for q in data["quotes"]:
        q["statement"] = statement_of.get(q["id"], q["id"])
    by_id = {q["id"]: q for q in data["quotes"]}
    data["statements"] = [
        {"id": s, "speaker": by_id[qs[0]]["speaker"], "quotes": qs,
         "sources": sorted({by_id[q]["document"] for q in qs if q in by_id})}
        for s, qs in groups.items() if len(qs) > 1 and qs[0] in by_id
    ]
    data["contradictions"] = [json.loads(r["detail"]) for r in store.iter_table("contradictions", "id")]
    return data


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; an export is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def to_json(store: Store) -> str:
    return json.dumps(story(store), ensure_ascii=False, indent=2)
