"""``dossier show``: the story in the terminal."""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .export import story
from .store import Store


def _money(value: float, currency: str | None) -> str:
    for div, unit in ((1e9, "billion"), (1e6, "million")):
        if abs(value) >= div:
            return f"{value / div:g} {unit} {currency or ''}".strip()
    return f"{value:,.2f} {currency or ''}".strip()


def render(store: Store, console: Console, limit: int = 15) -> None:
    data = story(store)
    names = {e["id"]: e["name"] for e in data["entities"]}
    docs = data["documents"]
    console.print(f"[bold]dossier[/bold] — {len(docs)} article(s), {len(data['entities'])} actors, "
                  f"{len(data['amounts'])} amounts, {len(data['quotes'])} quotes, {len(data['events'])} events, "
                  f"{len(data['relations'])} relations, {len(data['stances'])} stances")
    for d in docs[:limit]:
        console.print(f"  • {d['title'] or '(untitled)'} [dim]({d['language']}, {d['published'] or 'undated'}, {d['path']})[/dim]",
                      highlight=False)

    t = Table(title="Actors, by importance", show_lines=False)
    for c in ("actor", "type", "mentions", "aliases"):
        t.add_column(c)
    for e in data["entities"][:limit]:
        t.add_row(e["name"], e["type"], str(len(e["mentions"])), ", ".join(e["aliases"]))
    console.print(t)

    if data["amounts"]:
        t = Table(title="Money")
        for c in ("amount", "as written", "refers to"):
            t.add_column(c)
        seen = set()
        for a in data["amounts"]:
            key = (a["document"], a["value"], a["currency"], a["refers_to"])
            if key in seen:
                continue
            seen.add(key)
            approx = "≈ " if a["approximate"] else ""
            t.add_row(approx + _money(a["value"], a["currency"]), a["text"], a["refers_to"] or "")
        console.print(t)

    if data["events"]:
        console.print("[bold]What happened[/bold]")
        for ev in data["events"][: limit * 2]:
            r = ev["roles"]
            who = ", ".join(names.get(x, x) for x in r["agent"]) or "?"
            whom = ", ".join(names.get(x, x) for x in r["target"])
            amount = f" for {_money(r['amount']['value'], r['amount']['currency'])}" if r.get("amount") else ""
            when = f" ({r['time']['value'] or r['time']['text']})" if r.get("time") else ""
            mod = f" [{ev['modality']}]" if ev["modality"] != "asserted" else ""
            console.print(f"  • {ev['type']}: {who}{' → ' + whom if whom else ''}{amount}{when}{mod}", highlight=False)

    if data["quotes"]:
        console.print("[bold]Who said what[/bold]")
        by: dict[str, list[dict]] = defaultdict(list)
        for q in data["quotes"]:
            by[names.get(q["speaker"], "(unattributed)")].append(q)
        for who, qs in sorted(by.items(), key=lambda kv: -len(kv[1])):
            console.print(f"  [bold]{who}[/bold]", highlight=False)
            for q in qs[:limit]:
                console.print(f"    « {q['text']} » [dim]({q['kind']})[/dim]", highlight=False)

    if data["relations"]:
        console.print("[bold]Who is who[/bold]")
        for r in data["relations"][: limit * 2]:
            console.print(f"  • {names.get(r['subject'], r['subject'])} {r['predicate']} {names.get(r['object'], r['object'])}",
                          highlight=False)
    if data["stances"]:
        console.print("[bold]Who stands where[/bold]")
        for s in data["stances"][: limit * 2]:
            console.print(f"  • {names.get(s['holder'], s['holder'])} {s['polarity']}s {s['topic']}", highlight=False)


def find_entities(data: dict, name: str) -> list[dict]:
    """The story's entities named ``name`` (name or alias; case, accents and, failing
    that, spacing and punctuation ignored), most mentioned first."""
    from .linking import norm
    from .model import fold

    k = fold(name)
    hits = [e for e in data["entities"] if k in {fold(e["name"]), *(fold(a) for a in e["aliases"])}]
    if not hits and norm(name):
        n = norm(name)
        hits = [e for e in data["entities"] if n in {norm(e["name"]), *(norm(a) for a in e["aliases"])}]
    return hits  # data["entities"] is already ordered by salience


def render_entity(store: Store, console: Console, name: str) -> bool:
    """The dossier on one actor; False (and nothing printed) when no entity has that name."""
    from .linking import timeline

    data = story(store)
    hits = find_entities(data, name)
    if not hits:
        return False
    names = {e["id"]: e["name"] for e in data["entities"]}
    docs = {d["id"]: d for d in data["documents"]}

    def outlet(doc_id: str) -> str:
        d = docs.get(doc_id, {})
        return f"{d.get('source') or d.get('path') or doc_id} ({d.get('published') or 'undated'})"

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

        rows = [r for r in timeline(data, entity=ent["name"])
                if eid in {*r["event"]["roles"]["agent"], *r["event"]["roles"]["target"], *r["event"]["roles"].get("place", [])}]
        console.print("[bold]Events[/bold]" if rows else "[bold]Events[/bold]: none")
        for r in rows:
            ev, rl = r["event"], r["event"]["roles"]
            who = ", ".join(names.get(x, x) for x in rl["agent"]) or "?"
            whom = ", ".join(names.get(x, x) for x in rl["target"])
            amount = f" for {_money(rl['amount']['value'], rl['amount']['currency'])}" if rl.get("amount") else ""
            mark = "" if r["placed_by"] == "event date" else f" [{r['placed_by']}]"
            line = escape(f"{r['date'] or '????-??-??'}  {ev['type']}: {who}{' → ' + whom if whom else ''}{amount}{mark}")
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
    return True
