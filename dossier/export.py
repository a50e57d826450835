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


def story(store: Store) -> dict[str, Any]:
    """The whole story in the store as one JSON-ready dict."""
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
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def to_json(store: Store) -> str:
    return json.dumps(story(store), ensure_ascii=False, indent=2)
