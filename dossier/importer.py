"""Read a JSON export back into a store: ``dossier import story.json --db new.db``.

Each document of the export becomes a :class:`~dossier.model.Doc` again, with
its entities and mentions, amounts, dates, quotes, events, relations and
stances, and is written with ``store.write`` — so every id is the same
content-derived id as in the store that was exported, and importing twice is a
no-op.

The export shows the *linked* story (entities resolved across articles, one
event per happening with all its sources, statements grouped). The per-article
facts behind it are rebuilt from the ids, which are hashes of their content:
a member entity's name is the alias whose hash is its id, the subject of a
relation the member whose hash gives the relation's id, and so on. Into an
empty store the cross-article tables are then copied from the export, so
``story()`` of the new store equals the export; into a store that already holds
articles they are recomputed over everything (``dossier.linking.link``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import DossierError
from .model import Amount, Article, DateMention, Doc, Entity, Event, Mention, Quote, Relation, Span, Stance, content_id, event_ids, fold
from .store import Store
from .structure import split_blocks


@dataclass
class ImportReport:
    stored: int = 0
    unchanged: int = 0  # already in the store
    linking: str = "none"  # 'copied' from the export, 'recomputed', or 'none'

    def summary(self) -> str:
        how = {"copied": "cross-article links copied from the export",
               "recomputed": "cross-article links recomputed", "none": "no cross-article links"}[self.linking]
        return f"{self.stored} documents stored, {self.unchanged} already in the store; {how}"


def import_file(store: Store, path: str | Path) -> ImportReport:
    """Import the JSON export at ``path``."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DossierError(f"{p}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DossierError(f"{p}: not a JSON export ({exc})") from None
    return import_json(store, data)


def import_json(store: Store, data: dict[str, Any] | str | bytes) -> ImportReport:
    """Write the story of a JSON export (a dict, or its text) into ``store``."""
    if isinstance(data, (str, bytes)):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise DossierError(f"not a JSON export ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != "dossier":
        raise DossierError("not a dossier JSON export (expected \"format\": \"dossier\")")
    if data.get("version") != 1:
        raise DossierError(f"unsupported export version {data.get('version')!r} (this dossier reads version 1)")
    docs = _rebuild(data)
    was_empty = store.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 0
    report = ImportReport()
    for doc in docs:
        if store.write(doc):
            report.stored += 1
        else:
            report.unchanged += 1
    if report.stored:
        if was_empty:
            if _copy_links(store, data):
                report.linking = "copied"
        else:
            try:
                from .linking import link
            except ImportError:  # a dossier without cross-article linking
                link = None
            if link is not None:
                link(store)
                report.linking = "recomputed"
    return report


# -- rebuilding the per-article facts ---------------------------------------------------


class _Rebuild:
    def __init__(self, data: dict[str, Any]):
        self.data = data
        self.texts: dict[str, str] = {}
        self.docs: dict[str, Doc] = {}
        for i, d in enumerate(data.get("documents", [])):
            where = f"documents[{i}]"
            if not isinstance(d, dict) or not isinstance(d.get("id"), str) or not isinstance(d.get("text"), str):
                raise DossierError(f"{where}: a document needs a string id and text")
            a = Article(text=d["text"], title=d.get("title"), url=d.get("url"), published=d.get("published"),
                        language=d.get("language"), source=d.get("source"), path=d.get("path"), id=d["id"])
            self.texts[d["id"]] = d["text"]
            self.docs[d["id"]] = Doc(article=a, language=d.get("language") or "", blocks=split_blocks(d["text"]))
        self.members: dict[str, list[str]] = {}  # canonical entity -> member ids
        self.owner: dict[tuple[str, int, int], str] = {}  # mention span -> member entity id
        self.known = {e["id"]: e for e in data.get("entities", [])}
        self.attached: set[str] = set()

    def span(self, s: dict[str, Any] | None, where: str) -> Span | None:
        if s is None:
            return None
        d = s.get("document")
        if d not in self.texts:
            raise DossierError(f"{where}: refers to document {d!r}, which is not in the export")
        start, end = s.get("start"), s.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(self.texts[d])) \
                or self.texts[d][start:end] != s.get("text"):
            raise DossierError(f"{where}: the span {start}:{end} of {d} is not the text it quotes")
        return Span(start, end, s["text"])

    def doc(self, d: str | None) -> Doc:
        return self.docs[d] if d in self.docs else next(iter(self.docs.values()))

    def attach(self, d: str | None, ent: Entity) -> None:
        self.doc(d).entities.setdefault(ent.id, ent)
        self.attached.add(ent.id)

    # -- entities
    def entities(self) -> None:
        for i, e in enumerate(self.data.get("entities", [])):
            where = f"entities[{i}] ({e.get('name')!r})"
            members = list(e.get("members") or [e["id"]])
            if e["id"] not in members:
                members.insert(0, e["id"])
            self.members[e["id"]] = members
            mentions = [(m["document"], self.span(m, where), bool(m.get("heading"))) for m in e.get("mentions", [])]
            forms = [e["name"], *e.get("aliases", []), *(sp.text for _, sp, _ in mentions)]
            names = {mid: (e["name"] if mid == e["id"] else _unhash(mid, e["type"], forms) or e["name"]) for mid in members}
            owner = _assign(members, names, mentions, e["id"])
            for mid in members:
                if mid != e["id"]:
                    aliases = []
                elif len(members) > 1:  # the merged aliases hold the other members' names
                    aliases = [a for a in e.get("aliases", []) if a not in names.values()]
                else:
                    aliases = list(e.get("aliases", []))
                ent = Entity(mid, names[mid], e["type"], aliases, [])
                docs_of = [d for (d, _, _), o in zip(mentions, owner) if o == mid]
                self.attach(docs_of[0] if docs_of else None, ent)
            for (d, sp, heading), mid in zip(mentions, owner):
                self.docs[d].mentions.append(Mention(sp.start, sp.end, sp.text, "", mid, heading))
                self.owner[(d, sp.start, sp.end)] = mid

    def raw(self, canonical: str | None) -> list[str]:
        return self.members.get(canonical, [canonical]) if canonical else []

    # -- facts
    def amounts_dates(self) -> None:
        for i, a in enumerate(self.data.get("amounts", [])):
            sp = self.span(a, f"amounts[{i}]")
            self.docs[a["document"]].amounts.append(
                Amount(a["value"], a.get("currency"), bool(a.get("approximate")), sp.start, sp.end, sp.text, a.get("refers_to")))
        for i, x in enumerate(self.data.get("dates", [])):
            sp = self.span(x, f"dates[{i}]")
            self.docs[x["document"]].dates.append(
                DateMention(sp.start, sp.end, sp.text, x.get("value"), x.get("precision") or "unknown", bool(x.get("relative"))))

    def quotes(self) -> None:
        for i, q in enumerate(self.data.get("quotes", [])):
            where = f"quotes[{i}]"
            sp = self.span(q, where)
            d = q["document"]
            spk, inter = self.span(q.get("speaker_mention"), where), self.span(q.get("intermediary_mention"), where)

            def who(canonical: str | None, at: Span | None) -> str | None:
                if not canonical:
                    return None
                m = self.owner.get((d, at.start, at.end)) if at else None
                return m if m in self.raw(canonical) else canonical

            self.docs[d].quotes.append(Quote(sp.text, sp.start, sp.end, q["kind"], who(q.get("speaker"), spk), spk,
                                             self.span(q.get("cue"), where), who(q.get("intermediary"), inter), inter))
            self.entity_refs(d, [q.get("speaker"), q.get("intermediary")])

    def entity_refs(self, d: str, ids) -> None:
        """Entities a fact names that have no entity row yet: stored with the fact's document."""
        for i in ids:
            if i in self.known and i not in self.attached:
                e = self.known[i]
                self.attach(d, Entity(i, e["name"], e["type"], list(e.get("aliases", [])), []))

    def events(self) -> None:
        for i, ev in enumerate(self.data.get("events", [])):
            where = f"events[{i}] ({ev.get('type')})"
            roles = ev.get("roles") or {}
            evidence = [(s["document"], self.span(s, where)) for s in ev.get("evidence", [])]
            trigger = self.span(ev.get("trigger"), where)
            tdoc = (ev.get("trigger") or {}).get("document")
            members = list(ev.get("members") or [ev.get("id")])
            blocks = _split_evidence(members, ev["type"], evidence, self.texts)
            placed: dict[str, int] = {}  # document -> trigger start of the previous member there
            for k, mid in enumerate(members):
                block = blocks[k]
                d, first = _event_key(mid, ev["type"], block, trigger if k == 0 else None, tdoc if k == 0 else None,
                                      self.texts)
                if d is None:
                    d = block[0][0] if block else (tdoc or (ev.get("sources") or [None])[0])
                spans = [s for _, s in block]
                if first is not None and spans and spans[0].start != first:
                    spans.sort(key=lambda s: s.start != first)  # the span the id was derived from goes first
                if k == 0:
                    trig = trigger
                elif not spans and first is not None:
                    trig = Span(first, first, "")  # the id was derived from the trigger's offset
                else:  # keep the members in their order within a shared document
                    trig = Span(placed[d], placed[d], "") if d in placed else None
                if trig is not None:
                    placed.setdefault(d, trig.start)
                doc = self.doc(d)
                doc.events.append(Event(
                    type=ev["type"], modality=ev["modality"], agent=list(roles.get("agent", [])),
                    target=list(roles.get("target", [])), amount=_money(roles.get("amount")), time=roles.get("time"),
                    place=list(roles.get("place", [])), trigger=trig, evidence=spans, flavour=ev.get("flavour")))
                self.entity_refs(doc.id, [*roles.get("agent", []), *roles.get("target", []), *roles.get("place", [])])

    def relations(self) -> None:
        for i, r in enumerate(self.data.get("relations", [])):
            where = f"relations[{i}] ({r.get('predicate')})"
            evidence = [(s["document"], self.span(s, where)) for s in r.get("evidence", [])]
            docs = list(dict.fromkeys(d for d, _ in evidence)) or list(self.docs)
            found = _search(r.get("id"), "rel", docs, self.raw(r["subject"]), [r["predicate"]], self.raw(r["object"]))
            d, subj, obj = found if found else (docs[0], r["subject"], r["object"])
            self.doc(d).relations.append(Relation(subj, r["predicate"], obj, [s for dd, s in evidence if dd == d]))
            self.entity_refs(self.doc(d).id, [r["subject"], r["object"]])

    def stances(self) -> None:
        for i, s in enumerate(self.data.get("stances", [])):
            sp = self.span(s["evidence"], f"stances[{i}]")
            d = s["evidence"]["document"]
            found = _search(s.get("id"), "sta", [d], self.raw(s["holder"]), [s["topic"]], [s["polarity"]])
            holder = found[1] if found else s["holder"]
            self.docs[d].stances.append(Stance(holder, s["topic"], s["polarity"], sp))
            self.entity_refs(d, [s["holder"]])


def _rebuild(data: dict[str, Any]) -> list[Doc]:
    rb = _Rebuild(data)
    if not rb.docs:
        return []
    rb.entities()
    rb.amounts_dates()
    rb.quotes()
    rb.events()
    rb.relations()
    rb.stances()
    return list(rb.docs.values())


def _money(amount: dict[str, Any] | None) -> dict[str, Any] | None:
    if not amount:
        return None
    return {"value": amount.get("value"), "currency": amount.get("currency")}


def _unhash(member: str, etype: str, forms: list[str]) -> str | None:
    """The name whose content id is ``member`` (entity ids hash type and folded name)."""
    for f in forms:
        if content_id("ent", etype, fold(f)) == member:
            return f
    return None


def _order_key(mid: str, names: dict[str, str], count: int) -> tuple:
    return (-count, names[mid], mid)


def _assign(members: list[str], names: dict[str, str], mentions: list[tuple[str, Span, bool]], root: str) -> list[str]:
    """Which member entity each mention belonged to.

    In one article a name and its short forms are one entity; so in each
    document the mentions go to the member whose name the document uses (by
    exact form when several are used). The store lists members by mention
    count, so if that guess does not reproduce the export's order of members,
    counts that do are chosen instead.
    """
    if len(members) == 1:
        return [members[0]] * len(mentions)
    by_form = {fold(names[m]): m for m in members}
    per_doc: dict[str, list[int]] = defaultdict(list)
    for i, (d, _, _) in enumerate(mentions):
        per_doc[d].append(i)
    owner = [root] * len(mentions)
    for d, idxs in per_doc.items():
        present = [by_form[fold(mentions[i][1].text)] for i in idxs if fold(mentions[i][1].text) in by_form]
        default = max(set(present), key=lambda m: (present.count(m), len(names[m]), m)) if present else root
        for i in idxs:
            owner[i] = by_form.get(fold(mentions[i][1].text), default)
    counts = {m: owner.count(m) for m in members}
    if sorted(members, key=lambda m: _order_key(m, names, counts[m])) == members:
        return owner
    # the smallest counts that keep the members in the exported order
    need = {members[-1]: 0}
    for a, b in zip(reversed(members[:-1]), reversed(members[1:])):
        need[a] = need[b] + (0 if (names[a], a) <= (names[b], b) else 1)
    if sum(need.values()) > len(mentions):
        return owner
    need[members[0]] += len(mentions) - sum(need.values())
    out: list[str] = []
    for m in members:
        out += [m] * need[m]
    return out


def _event_key(mid: str | None, etype: str, block: list[tuple[str, Span]], trigger: Span | None,
               tdoc: str | None, texts: dict[str, str]) -> tuple[str | None, int | None]:
    """(document, first offset) from which the store derived the event id ``mid``."""
    if not mid:
        return None, None
    if block:
        for d, s in block:
            if mid in event_ids(d, etype, s.start):
                return d, s.start
        return None, None
    cands = [(tdoc, trigger.start)] if trigger is not None and tdoc else []
    cands += [(d, 0) for d in texts]
    for d, s in cands:
        if mid in event_ids(d, etype, s):
            return d, s
    for d, text in texts.items():  # an event with neither evidence nor a known trigger
        for s in range(len(text) + 1):
            if content_id("evt", d, etype, s) == mid:
                return d, s
    return None, None


def _split_evidence(members: list[str | None], etype: str, evidence: list[tuple[str, Span]],
                    texts: dict[str, str]) -> list[list[tuple[str, Span]]]:
    """Split the concatenated evidence of a merged event among its members.

    A member's spans come in one run, in one document, by offset; the run holds
    the span its id was derived from (its anchor). Members without an anchor
    (no evidence) get none."""
    blocks: list[list[tuple[str, Span]]] = [[] for _ in members]
    anchors = [next((j for j, (d, s) in enumerate(evidence) if mid and mid in event_ids(d, etype, s.start)), None)
               for mid in members]
    anchored = [k for k, a in enumerate(anchors) if a is not None]
    if len(members) == 1 or not anchored:
        blocks[0] = list(evidence)
        return blocks
    pos = 0
    for n, k in enumerate(anchored):
        a = anchors[k]
        if a < pos:
            continue
        limit = anchors[anchored[n + 1]] if n + 1 < len(anchored) else len(evidence)
        end = a + 1
        while end < limit and evidence[end][0] == evidence[end - 1][0] and \
                evidence[end][1].start >= evidence[end - 1][1].start:
            end += 1
        blocks[k] = evidence[pos:end]
        pos = end
    blocks[anchored[-1]] += evidence[pos:]
    return blocks


def _search(fact_id: str | None, prefix: str, docs: list[str], firsts: list[str], middles: list[str],
            lasts: list[str]) -> tuple[str, str, str] | None:
    """(document, first, last) whose content id is ``fact_id``."""
    if not fact_id:
        return None
    for d in docs:
        for a in firsts:
            for m in middles:
                for b in lasts:
                    if content_id(prefix, d, a, m, b) == fact_id:
                        return d, a, b
    return None


# -- the cross-article tables ---------------------------------------------------------


def _copy_links(store: Store, data: dict[str, Any]) -> bool:
    """Copy entity merges, event clusters, statements and contradictions from a
    linked export (one whose entities list their members). False when there is
    nothing to copy or the store has no such tables."""
    linked = (any("members" in e for e in data.get("entities", [])) or any("statement" in q for q in data.get("quotes", []))
              or bool(data.get("statements")) or bool(data.get("contradictions")))
    if not linked:
        return False
    try:
        store.execute("SELECT 1 FROM entity_links LIMIT 1").fetchone()
    except Exception:
        store._reset_failed_statement()
        return False
    links = [(m, e["id"], None) for e in data.get("entities", []) for m in (e.get("members") or []) if m != e["id"]]
    clusters = sorted({(m, ev["id"]) for ev in data.get("events", []) for m in (ev.get("members") or [ev["id"]])})
    statements = sorted({(q["id"], q.get("statement") or q["id"]) for q in data.get("quotes", []) if q.get("id")})
    contradictions = [(c["id"], c["kind"], c["event"], json.dumps(c, ensure_ascii=False))
                      for c in data.get("contradictions", [])]
    with store.transaction():
        for t in ("entity_links", "event_clusters", "statements", "contradictions"):
            store.execute(f"DELETE FROM {t}")
        store.executemany("INSERT INTO entity_links (entity, canonical, reason) VALUES (?, ?, ?)", links)
        store.executemany("INSERT INTO event_clusters (event, cluster) VALUES (?, ?)", clusters)
        store.executemany("INSERT INTO statements (quote, statement) VALUES (?, ?)", statements)
        store.executemany("INSERT INTO contradictions (id, kind, event, detail) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                          contradictions)
    return True
