"""``dossier show``: the story in the terminal."""

from __future__ import annotations

import re
from collections import defaultdict

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .export import story
from .model import fold
from .store import Store


def _money(value: float, currency: str | None) -> str:
    for div, unit in ((1e9, "billion"), (1e6, "million")):
        if abs(value) >= div:
            return f"{value / div:g} {unit} {currency or ''}".strip()
    return f"{value:,.2f} {currency or ''}".strip()


def _sources(n: int) -> str:
    """`` (N sources)`` when several articles give a fact; nothing for one."""
    return f" [dim]({n} sources)[/dim]" if n > 1 else ""


def _quoted(text: str) -> str:
    """A quote between « », its own quotation marks turned to “ ” so that a
    quoted word inside it reads as nested (« son rival d’“escroc” »), and
    without the comma an English quote keeps before its closing mark."""
    inner = re.sub(r"«\s*", "“", " ".join(text.split()))
    inner = re.sub(r"\s*»", "”", inner)
    if inner.endswith(","):
        inner = inner[:-1]
    return f"« {inner} »"


def event_line(ev: dict, names: dict[str, str]) -> str:
    """``type: agents → targets``, with the story's names."""
    r = ev["roles"]
    who = ", ".join(names.get(x, x) for x in r["agent"]) or "?"
    whom = ", ".join(names.get(x, x) for x in r["target"])
    return f"{ev['type']}: {who}{' → ' + whom if whom else ''}"


_DESCRIBED_EVENT = re.compile(r"^([a-z_]+): ")  # how the pipeline writes an amount's event in refers_to


def _amount_referent(a: dict, events_in: dict[str, list[dict]], entity_named: dict[str, dict]) -> tuple | None:
    """What an amount is about, when that is worth saying: ("event", event) or
    ("entity", entity); None for a bare common noun (``montant``, ``bid``)."""
    here = events_in.get(a["document"], [])
    same_amount = [ev for ev in here if (ev["roles"]["amount"] or {}).get("value") == a["value"]
                   and ev["roles"]["amount"]["currency"] == a["currency"]]
    described = _DESCRIBED_EVENT.match(a["refers_to"] or "")
    if described:
        of_type = [ev for ev in here if ev["type"] == described.group(1)]
        hit = [ev for ev in of_type if ev in same_amount] or of_type
        if hit:
            return ("event", hit[0])
    if same_amount:  # the amount of an event of its article, however the sentence puts it
        return ("event", same_amount[0])
    ent = entity_named.get(fold(a["refers_to"])) if a["refers_to"] else None
    return ("entity", ent) if ent else None


def _money_rows(data: dict, names: dict[str, str]) -> list[dict]:
    """One row per sum of money and what it is about: the same amount of the same
    event (or actor, or nothing worth naming) in several articles, or twice in
    one, is one row with every way it was written and its number of sources."""
    events_in: dict[str, list[dict]] = defaultdict(list)
    for ev in data["events"]:
        for d in ev["sources"]:
            events_in[d].append(ev)
    entity_named = {}
    for e in reversed(data["entities"]):  # the most mentioned wins a shared name
        for n in (e["name"], *e["aliases"]):
            entity_named[fold(n)] = e
    rows: dict[tuple, dict] = {}
    for a in data["amounts"]:
        ref = _amount_referent(a, events_in, entity_named)
        key = (a["value"], a["currency"], ref and (ref[0], ref[1]["id"]))
        if key not in rows:
            about = "" if ref is None else event_line(ref[1], names) if ref[0] == "event" else ref[1]["name"]
            rows[key] = {"value": a["value"], "currency": a["currency"], "approximate": a["approximate"],
                         "texts": [], "documents": set(), "refers_to": about}
        row = rows[key]
        if a["text"] not in row["texts"]:
            row["texts"].append(a["text"])
        row["documents"].add(a["document"])
    return sorted(rows.values(), key=lambda r: -len(r["documents"]))  # stable: first seen first among equals


def render(store: Store, console: Console, limit: int = 15) -> None:
    """The whole story, each fact once with the number of articles giving it."""
    data = story(store)
    names = {e["id"]: e["name"] for e in data["entities"]}
    docs = data["documents"]
    money = _money_rows(data, names)

    events: dict[str, set[str]] = {}  # printed line -> its sources
    for ev in data["events"]:
        r = ev["roles"]
        amount = f" for {_money(r['amount']['value'], r['amount']['currency'])}" if r.get("amount") else ""
        when = f" ({r['time']['value'] or r['time']['text']})" if r.get("time") else ""
        mod = f" [{ev['modality']}]" if ev["modality"] != "asserted" else ""
        events.setdefault(f"{event_line(ev, names)}{amount}{when}{mod}", set()).update(ev["sources"])

    said: dict[str, dict[str, list[dict]]] = defaultdict(dict)  # speaker -> statement -> its quotes
    for q in data["quotes"]:
        said[names.get(q["speaker"], "(unattributed)")].setdefault(q["statement"], []).append(q)

    relations: dict[str, set[str]] = {}
    for r in data["relations"]:
        line = f"{names.get(r['subject'], r['subject'])} {r['predicate']} {names.get(r['object'], r['object'])}"
        relations.setdefault(line, set()).update({x["document"] for x in r["evidence"]} or {r["id"]})
    stances: dict[str, set[str]] = {}
    for st in data["stances"]:
        line = f"{names.get(st['holder'], st['holder'])} {st['polarity']}s {st['topic']}"
        stances.setdefault(line, set()).add(st["evidence"]["document"])

    console.print(f"[bold]dossier[/bold] — {len(docs)} article(s), {len(data['entities'])} actors, "
                  f"{len(money)} amounts, {sum(map(len, said.values()))} quotes, {len(events)} events, "
                  f"{len(relations)} relations, {len(stances)} stances")
    for d in docs[:limit]:
        console.print(f"  • {escape(d['title'] or '(untitled)')} [dim]({escape(d['language'])}, "
                      f"{escape(d['published'] or 'undated')}, {escape(d['path'] or '')})[/dim]", highlight=False)

    t = Table(title="Actors, by importance", show_lines=False)
    for c in ("actor", "type", "mentions", "aliases"):
        t.add_column(c)
    for e in data["entities"][:limit]:
        t.add_row(escape(e["name"]), e["type"], str(len(e["mentions"])), escape(", ".join(e["aliases"])))
    console.print(t)

    if money:
        t = Table(title="Money")
        for c in ("amount", "as written", "refers to", "sources"):
            t.add_column(c)
        for row in money:
            approx = "≈ " if row["approximate"] else ""
            t.add_row(approx + _money(row["value"], row["currency"]), escape("; ".join(row["texts"])),
                      escape(row["refers_to"]), str(len(row["documents"])))
        console.print(t)

    if events:
        console.print("[bold]What happened[/bold]")
        for line, srcs in list(events.items())[: limit * 2]:
            console.print(f"  • {escape(line)}{_sources(len(srcs))}", highlight=False)

    if said:
        console.print("[bold]Who said what[/bold]")
        for who, statements in sorted(said.items(), key=lambda kv: -len(kv[1])):
            console.print(f"  [bold]{escape(who)}[/bold]", highlight=False)
            shown: set[str] = set()
            for qs in list(statements.values())[:limit]:
                text = _quoted(qs[0]["text"])
                if text in shown:  # the same words twice, not grouped as one statement
                    continue
                shown.add(text)
                n = len({q["document"] for q in qs})
                more = f", {n} sources" if n > 1 else ""
                console.print(f"    {escape(text)} [dim]({qs[0]['kind']}{more})[/dim]", highlight=False)

    if relations:
        console.print("[bold]Who is who[/bold]")
        for line, srcs in sorted(relations.items(), key=lambda kv: -len(kv[1]))[: limit * 2]:
            console.print(f"  • {escape(line)}{_sources(len(srcs))}", highlight=False)
    if stances:
        console.print("[bold]Who stands where[/bold]")
        for line, srcs in sorted(stances.items(), key=lambda kv: -len(kv[1]))[: limit * 2]:
            console.print(f"  • {escape(line)}{_sources(len(srcs))}", highlight=False)


def render_entity(store: Store, console: Console, name: str) -> None:
    """The dossier on the actor(s) ``name`` designates (see :func:`dossier.query.match_entities`,
    which raises ``EntityNotFound`` or ``AmbiguousEntity`` before anything is printed)."""
    from .linking import timeline
    from .query import match_entities

    data = story(store)
    hits = match_entities(data["entities"], name)  # already ordered by salience
    names = {e["id"]: e["name"] for e in data["entities"]}
    docs = {d["id"]: d for d in data["documents"]}

    def outlet(doc_id: str) -> str:
        d = docs.get(doc_id, {})
        return f"{d.get('source') or d.get('path') or doc_id} ({d.get('published') or 'undated'})"

    events = timeline(data)
    for n, ent in enumerate(hits):
        eid = ent["id"]
        if n:
            console.print()
        console.print(f"[bold]{escape(ent['name'])}[/bold] ({ent['type']}) — {ent['salience']} mention(s)", highlight=False)
        console.print(f"  aliases: {escape(', '.join(ent['aliases']) or '—')}", highlight=False)

        roles: dict[str, set[str]] = defaultdict(set)
        for r in data["relations"]:
            if eid not in (r["subject"], r["object"]):
                continue
            line = f"{names.get(r['subject'], r['subject'])} {r['predicate']} {names.get(r['object'], r['object'])}"
            roles[line] |= {x["document"] for x in r["evidence"]}
        console.print("[bold]Roles[/bold]" if roles else "[bold]Roles[/bold]: none")
        for line, srcs in sorted(roles.items()):
            console.print(f"  • {escape(line)} [dim]({len(srcs)} source(s))[/dim]", highlight=False)

        rows = [r for r in events
                if eid in {*r["event"]["roles"]["agent"], *r["event"]["roles"]["target"], *r["event"]["roles"].get("place", [])}]
        console.print("[bold]Events[/bold]" if rows else "[bold]Events[/bold]: none")
        for r in rows:
            ev, rl = r["event"], r["event"]["roles"]
            amount = f" for {_money(rl['amount']['value'], rl['amount']['currency'])}" if rl.get("amount") else ""
            mark = "" if r["placed_by"] == "event date" else f" [{r['placed_by']}]"
            line = escape(f"{r['date'] or '????-??-??'}  {event_line(ev, names)}{amount}{mark}")
            console.print(f"  {line} [dim]({len(ev['sources'])} source(s))[/dim]", highlight=False)

        said: dict[str, list[dict]] = defaultdict(list)
        for q in data["quotes"]:
            if q["speaker"] == eid:
                said[q["statement"]].append(q)
        console.print("[bold]Quotes[/bold]" if said else "[bold]Quotes[/bold]: none")
        for qs in said.values():
            srcs = sorted({outlet(q["document"]) for q in qs})
            console.print(f"  « {escape(qs[0]['text'])} » [dim]({qs[0]['kind']}; {escape('; '.join(srcs))})[/dim]",
                          highlight=False)
            for text in dict.fromkeys(q["text"] for q in qs[1:]):
                if text != qs[0]["text"]:
                    console.print(f"    also « {escape(text)} »", highlight=False)

        stances = [s for s in data["stances"] if s["holder"] == eid]
        console.print("[bold]Stances[/bold]" if stances else "[bold]Stances[/bold]: none")
        for s in stances:
            console.print(f"  • {s['polarity']}s {escape(s['topic'])} [dim]({escape(outlet(s['evidence']['document']))})[/dim]",
                          highlight=False)

        mentioned = sorted({m["document"] for m in ent["mentions"]},
                           key=lambda d: (docs.get(d, {}).get("published") or "9999", d))
        console.print(f"[bold]Sources[/bold] ({len(mentioned)})")
        for d in mentioned:
            doc = docs.get(d, {})
            console.print(f"  • {escape(outlet(d))}: {escape(doc.get('title') or doc.get('path') or d)}", highlight=False)
