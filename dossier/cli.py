"""The ``dossier`` command: a thin layer over the Python API."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from .errors import DossierError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Turn news articles (French, English) into a story with evidence for every fact.")
out = Console()
err = Console(stderr=True)

DB_OPTION = typer.Option("dossier.db", "--db", help="Story store: a SQLite file, or postgresql://… .")


def _open(db: str):
    from .store import open_store

    try:
        return open_store(db)
    except DossierError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)


@app.command()
def build(
    paths: list[Path] = typer.Argument(..., help="Files or directories: .txt, .html, .jsonl."),
    db: str = DB_OPTION,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only print the summary line."),
) -> None:
    """Read articles and add their story to the store."""
    from .build import build as run

    store = _open(db)

    def notify(msg: str) -> None:
        err.print(f"[yellow]skip:[/yellow] {msg}", highlight=False, markup=True, soft_wrap=True)

    try:
        report = run([str(p) for p in paths], store, notify=notify)
    except KeyboardInterrupt:
        err.print("[red]interrupted[/red]: articles stored so far are kept; rerun the same command to resume.")
        raise typer.Exit(130)
    finally:
        store.close()
    out.print(f"dossier build: {report.summary()} → {db}", highlight=False)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def show(db: str = DB_OPTION, limit: int = typer.Option(15, help="How many items per section.")) -> None:
    """Print a summary of the story in the store."""
    from .show import render

    store = _open(db)
    try:
        render(store, out, limit=limit)
    finally:
        store.close()


@app.command()
def export(
    format: str = typer.Option("json", "--format", "-f", help="Export format: json."),
    db: str = DB_OPTION,
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="File to write (default: standard output)."),
) -> None:
    """Export the story (JSON, documented by dossier/schema/dossier.schema.json)."""
    from .export import to_json, write_atomic

    if format != "json":
        err.print(f"[red]error:[/red] unknown format '{format}' (available: json)")
        raise typer.Exit(2)
    store = _open(db)
    try:
        data = to_json(store)
    finally:
        store.close()
    if output:
        write_atomic(output, data + "\n")
        err.print(f"wrote {output}")
    else:
        sys.stdout.write(data + "\n")


@app.command("eval")
def eval_(
    gold: list[Path] = typer.Argument(..., help="Gold files in the shared/gold/FORMAT.md format."),
    db: str = DB_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="List false positives and misses."),
    floors: Optional[Path] = typer.Option(
        None, "--floors", help="JSON {section: {precision|recall|f1: minimum}}; exit 1 when a score is below."
    ),
) -> None:
    """Score the store against gold annotations: precision, recall, F1 per section."""
    from .evaluate import evaluate

    store = _open(db)
    try:
        scores = evaluate(store, [str(g) for g in gold])
    except DossierError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    finally:
        store.close()
    if as_json:
        out.print_json(json.dumps({k: s.to_json() for k, s in scores.items()}))
        return
    from rich.table import Table

    t = Table(title="dossier eval")
    for c in ("section", "precision", "recall", "F1", "found/gold", "system"):
        t.add_column(c, justify="right" if c != "section" else "left")
    for k, s in scores.items():
        t.add_row(k, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", f"{s.tp_gold}/{s.n_gold}", str(s.n_sys))
    out.print(t)
    if verbose:
        for k, s in scores.items():
            for e in s.errors:
                out.print(f"  {k} false positive: {e}", highlight=False)
            for m in s.missed:
                out.print(f"  {k} missed: {m}", highlight=False)
    if floors:
        from .evaluate import below_floors

        failures = below_floors(scores, json.loads(floors.read_text(encoding="utf-8")))
        for f in failures:
            err.print(f"[red]below floor:[/red] {f}", highlight=False)
        if failures:
            raise typer.Exit(1)
        out.print(f"all scores at or above the floors in {floors}")


@app.command()
def why(a: str = typer.Argument(..., help="An entity name or alias."), b: str = typer.Argument(..., help="Another one."),
        db: str = DB_OPTION) -> None:
    """Explain why two entities were merged into one, or kept apart."""
    from .linking import explain

    store = _open(db)
    try:
        for line in explain(store, a, b):
            out.print(line, highlight=False)
    finally:
        store.close()


@app.command()
def timeline(
    entity: Optional[str] = typer.Option(None, "--entity", help="Only events involving this entity (name or alias)."),
    db: str = DB_OPTION,
) -> None:
    """The story's events in date order, with their sources."""
    from .export import story
    from .linking import timeline as rows_of

    store = _open(db)
    try:
        data = story(store)
    finally:
        store.close()
    names = {e["id"]: e["name"] for e in data["entities"]}
    docs = {d["id"]: d for d in data["documents"]}
    for r in rows_of(data, entity):
        ev = r["event"]
        who = ", ".join(names.get(x, x) for x in ev["roles"]["agent"]) or "?"
        whom = ", ".join(names.get(x, x) for x in ev["roles"]["target"])
        mark = "" if r["placed_by"] == "event date" else f" [{r['placed_by']}]"
        out.print(f"{r['date'] or '????-??-??'}  {ev['type']}: {who}{' → ' + whom if whom else ''}{mark}", highlight=False)
        for s in ev["sources"]:
            d = docs.get(s, {})
            out.print(f"             {d.get('source') or d.get('path') or s} ({d.get('published') or 'undated'})",
                      highlight=False, style="dim")


@app.command()
def contradictions(db: str = DB_OPTION) -> None:
    """Facts on which sources disagree, with both values and both evidences."""
    from .export import story

    store = _open(db)
    try:
        data = story(store)
    finally:
        store.close()
    docs = {d["id"]: d for d in data["documents"]}
    if not data["contradictions"]:
        out.print("no contradictions between sources")
    for c in data["contradictions"]:
        out.print(f"[bold]{c['type']}[/bold]: sources disagree on the {c['kind']}", highlight=False)
        for v in c["values"]:
            d = docs.get(v["document"], {})
            value = v["value"]
            if isinstance(value, dict):
                value = f"{value['value']:,.0f} {value.get('currency') or ''}"
            ev = v["evidence"][0]["text"] if v["evidence"] else ""
            out.print(f"  {value}  — {d.get('source') or d.get('path')}: “{ev}”", highlight=False)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
