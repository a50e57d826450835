"""The ``dossier`` command: a thin layer over the Python API."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape

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


def _problem(msg: str) -> None:
    """One input that could not become a stored article, named with its reason."""
    label = "[yellow]skipped:[/yellow]" if getattr(msg, "skipped", False) else "[red]failed:[/red]"
    err.print(f"{label} {escape(msg)}", highlight=False, markup=True, soft_wrap=True)


def _summary(command: str, report, target: str, exit_on_failure: bool) -> None:
    out.print(f"dossier {command}: {report.summary()} → {target}", highlight=False)
    if exit_on_failure and report.failed:
        raise typer.Exit(1)


@app.command()
def build(
    paths: list[Path] = typer.Argument(..., help="Files or directories: .txt, .html, .jsonl."),
    db: str = DB_OPTION,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only print the summary line."),
    workers: Optional[int] = typer.Option(
        None, "--workers", "-w", min=1, help="Processes analysing articles in parallel (default: every core)."),
) -> None:
    """Read articles and add their story to the store."""
    from contextlib import nullcontext

    from .parallel import build as run, progress_bar

    store = _open(db)

    try:
        with (nullcontext() if quiet else progress_bar([str(p) for p in paths], err)) as progress:
            report = run([str(p) for p in paths], store, workers=workers, notify=_problem, progress=progress)
    except KeyboardInterrupt:
        err.print("[red]interrupted[/red]: articles stored so far are kept; rerun the same command to resume.")
        raise typer.Exit(130)
    finally:
        store.close()
    _summary("build", report, db, exit_on_failure=True)


@app.command()
def show(
    db: str = DB_OPTION,
    limit: int = typer.Option(15, help="How many items per section."),
    entity: Optional[str] = typer.Option(
        None, "--entity", help="The dossier on one actor (name or alias; case and accents ignored)."),
) -> None:
    """Print a summary of the story in the store, or the dossier on one actor."""
    from .show import render, render_entity

    store = _open(db)
    try:
        if entity is not None:
            if not render_entity(store, out, entity):
                from rich.markup import escape

                err.print(f"[red]error:[/red] no entity named '{escape(entity)}' in the store", highlight=False)
                raise typer.Exit(1)
        else:
            render(store, out, limit=limit)
    finally:
        store.close()


@app.command()
def export(
    format: str = typer.Option(
        "json", "--format", "-f", help="Export format: json, graphml, gexf, neo4j, csv, jsonld, turtle."),
    db: str = DB_OPTION,
    output: Optional[Path] = typer.Option(
        None, "--output", "-o", help="File to write (default: standard output); a directory for csv and neo4j."),
    entity: Optional[str] = typer.Option(
        None, "--entity", help="Keep the facts involving this entity (name or alias; case and accents ignored)."),
    since: Optional[str] = typer.Option(None, "--since", help="Keep facts dated on or after DATE (YYYY[-MM[-DD]])."),
    until: Optional[str] = typer.Option(None, "--until", help="Keep facts dated on or before DATE (YYYY[-MM[-DD]])."),
    type_: Optional[str] = typer.Option(
        None, "--type", help="Keep an entity type (PERSON…), an event type (acquisition…) or a relation predicate."),
) -> None:
    """Export the story: JSON (dossier/schema/dossier.schema.json), graphs, Neo4j, CSV or RDF (docs/formats.md)."""
    from .formats import DIRECTORY_FORMATS, FORMATS, export as run

    if format not in FORMATS:
        err.print(f"[red]error:[/red] unknown format '{format}' (available: {', '.join(FORMATS)})")
        raise typer.Exit(2)
    if format in DIRECTORY_FORMATS and output is None:
        err.print(f"[red]error:[/red] the {format} export writes a directory: give one with -o DIR")
        raise typer.Exit(2)
    store = _open(db)
    try:
        result = run(store, format, output, entity=entity, since=since, until=until, type=type_)
    except DossierError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2)
    except OSError as exc:
        err.print(f"[red]error:[/red] cannot write {output}: {exc}", highlight=False)
        raise typer.Exit(1)
    finally:
        store.close()
    if output:
        err.print(f"wrote {output}", highlight=False)
    else:
        sys.stdout.write(str(result))


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="A JSON export (dossier export --format json)."),
    db: str = DB_OPTION,
) -> None:
    """Load a JSON export into a store (the same ids; importing twice is a no-op)."""
    from .importer import import_file

    store = _open(db)
    try:
        report = import_file(store, file)
    except DossierError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2)
    finally:
        store.close()
    out.print(f"dossier import: {report.summary()} → {db}", highlight=False)


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
    from .evaluate import evaluate, overall

    bad: list[str] = []

    def gold_problem(msg: str) -> None:  # one line per gold file that cannot be scored; the rest go on
        bad.append(msg)
        err.print(f"[red]failed:[/red] {escape(msg)}", highlight=False, soft_wrap=True)

    store = _open(db)
    try:
        scores = evaluate(store, [str(g) for g in gold], notify=gold_problem)
    finally:
        store.close()
    if as_json:
        out.print_json(json.dumps({k: s.to_json() for k, s in scores.items()}))
        raise typer.Exit(1 if bad else 0)
    from rich.table import Table

    t = Table(title="dossier eval")
    for c in ("section", "precision", "recall", "F1", "found/gold", "system"):
        t.add_column(c, justify="right" if c != "section" else "left")
    for k, s in scores.items():
        t.add_row(k, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", f"{s.tp_gold}/{s.n_gold}", str(s.n_sys))
    t.add_row("overall (mean F1)", "", "", f"{overall(scores):.3f}", "", "")
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
    if bad:
        raise typer.Exit(1)


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


@app.command()
def serve(
    db: str = DB_OPTION,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (127.0.0.1: this machine only)."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    allow_ingest: bool = typer.Option(False, "--allow-ingest", help="Accept new articles with POST /api/articles."),
) -> None:
    """Serve the story: a web page with the graph, timeline and evidence, and a JSON API."""
    try:
        import uvicorn  # noqa: F401  (imported here: the web extra is optional)
        from .server import create_app
    except ImportError:
        err.print("[red]error:[/red] serving needs the web extra: pip install 'dossier[web]'")
        raise typer.Exit(2)
    local = db[len("sqlite:///"):] if db.startswith("sqlite:///") else db
    if not db.startswith(("postgresql://", "postgres://")) and not Path(local).exists() and not allow_ingest:
        err.print(f"[red]error:[/red] no store at {db}; build one first (dossier build ARTICLES --db {db}), "
                  "or start with --allow-ingest to fill an empty one")
        raise typer.Exit(2)
    try:
        web = create_app(db, allow_ingest=allow_ingest)
    except DossierError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    err.print(f"dossier: serving {db} on http://{host}:{port}/" + (" (ingest allowed)" if allow_ingest else ""),
              highlight=False)
    uvicorn.run(web, host=host, port=port, log_level="info")


@app.command("spark-build")
def spark_build(
    input: str = typer.Argument(..., help="JSON Lines or Parquet articles: a file, directory or glob, on any Hadoop path."),
    output: str = typer.Argument(..., help="Directory for the Parquet facts (documents/, entities/, errors/)."),
    master: Optional[str] = typer.Option(None, "--master", help="Spark master URL (default: local[*])."),
    format: Optional[str] = typer.Option(None, "--format", help="Input format: jsonl or parquet (default: from the name)."),
    partitions: Optional[int] = typer.Option(None, "--partitions", min=1, help="Analysis partitions (default: from cores and input)."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing OUTPUT."),
) -> None:
    """Analyse articles with Spark and write Parquet facts; put them in a store with `dossier load`."""
    try:
        from .spark import session, spark_build as run
        import pyspark  # noqa: F401
    except ImportError:
        err.print("[red]error:[/red] Spark builds need the spark extra: pip install 'dossier[spark]' (and Java 17)")
        raise typer.Exit(2)
    spark = session(master)
    try:
        report = run(spark, input, output, input_format=format, partitions=partitions, overwrite=overwrite)
    except DossierError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2)
    except Exception as exc:  # noqa: BLE001  (Spark's own errors: a missing path, an existing output)
        from pyspark.errors import PySparkException

        if not isinstance(exc, PySparkException):
            raise
        err.print(f"[red]error:[/red] {str(exc).splitlines()[0]}", highlight=False)
        raise typer.Exit(2)
    finally:
        spark.stop()
    for msg in report.messages[:20]:
        _problem(msg)
    _summary("spark-build", report, output, exit_on_failure=True)


@app.command()
def load(
    parquet_dir: str = typer.Argument(..., help="The OUTPUT of dossier spark-build (or its documents/ directory)."),
    db: str = DB_OPTION,
) -> None:
    """Put spark-build's Parquet facts into the store (articles already there are skipped)."""
    try:
        from .spark import load as run
        import pyarrow  # noqa: F401
    except ImportError:
        err.print("[red]error:[/red] loading Parquet needs pyarrow: pip install 'dossier[spark]'")
        raise typer.Exit(2)
    store = _open(db)
    try:
        report = run(parquet_dir, store)
    except DossierError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2)
    finally:
        store.close()
    _summary("load", report, db, exit_on_failure=False)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
