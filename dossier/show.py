"""``dossier show``: the story in the terminal."""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console
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
