"""The ``dossier`` command: a thin layer over the Python API."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn, Optional

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperCommand, TyperGroup

from .errors import DossierError, EntityLookupError, Msg


class _PlainHelp:
    """``--help`` in the usual shape: value options show a metavar (``--db FILE``),
    flags and arguments no ``<bool>``/``<list[Path]>`` type label (typer 0.29
    prints one for every parameter), and arguments appear as ``PATHS...``."""

    def get_params(self, ctx):
        params = super().get_params(ctx)
        for p in params:
            if p.param_type_name == "argument":
                p.metavar = p.metavar or p.name.upper() + ("..." if p.nargs != 1 else "")
                p.get_usage_pieces = lambda ctx, m=p.metavar, req=p.required: [m if req else f"[{m}]"]
            elif p.metavar is None and not getattr(p, "is_flag", False):
                is_int = getattr(getattr(p, "type_descriptor", None), "annotation", None) is int
                p.metavar = "N" if is_int else p.name.upper()
            if p.param_type_name == "argument" or getattr(p, "is_flag", False):
                p.display_type_rich = lambda ctx: None
        return params


class _Command(_PlainHelp, TyperCommand):
    pass


class _Group(_PlainHelp, TyperGroup):
    pass


app = typer.Typer(add_completion=False, no_args_is_help=True, cls=_Group,
                  context_settings={"help_option_names": ["-h", "--help"]},
                  help="Turn news articles (French, English) into a story with evidence for every fact.")
out = Console()
err = Console(stderr=True)

DB_OPTION = typer.Option("dossier.db", "--db", metavar="FILE", help="Story store: a SQLite file, or postgresql://… .")
ENTITY_HELP = "its name or an alias, case and accents ignored; else a name holding these words"


def _quiet(what: str = "Print only the result: no notes on standard error (errors still are)."):
    return typer.Option(False, "--quiet", "-q", help=what)


def _verbose(what: str):
    return typer.Option(False, "--verbose", "-v", help=what)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            v = version("dossier")
        except PackageNotFoundError:  # run from a source tree that was never installed
            from . import __version__ as v
        out.print(f"dossier {v}", highlight=False)
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    pass


def _fail(message: object, status: int) -> NoReturn:
    """One line on standard error, then exit: 1 nothing found or something failed, 2 usage or environment."""
    err.print(f"[red]error:[/red] {escape(str(message))}", highlight=False, soft_wrap=True)
    raise typer.Exit(status)


def _no_store(db: str) -> bool:
    """``db`` names no dossier store: a SQLite path with no file, an empty file or a
    database without dossier's tables (PostgreSQL URLs are taken as they are)."""
    import sqlite3
    from contextlib import closing

    if db.startswith(("postgresql://", "postgres://")):
        return False
    path = Path(db.removeprefix("sqlite:///"))
    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        return True
    try:  # read-only: a read command must never turn some other database into a store
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as c:
            return not c.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'documents'").fetchone()
    except sqlite3.Error:
        return False  # not a database, unreadable…: open_store says why


def _open(db: str, must_exist: bool = False):
    """The store at ``db``. Commands that only read pass ``must_exist``: a
    mistyped --db must not quietly become an empty story (and a new file)."""
    from .store import open_store

    if must_exist and _no_store(db):
        _fail(Msg.NO_STORE.format(db=db), 2)
    try:
        store = open_store(db)
    except DossierError as exc:
        _fail(exc, 2)
    _opened.append(db)  # named by main() if the store fails later in the command
    return store


_opened: list[str] = []


@contextmanager
def _lookup():
    """Around an entity lookup (query.match_entities): a name that designates no
    entity, or several, exits with status 1 in every command."""
    try:
        yield
    except EntityLookupError as exc:
        _fail(exc, 1)


def _problem(msg: str) -> None:
    """One input that could not become a stored article, named with its reason."""
    label = "[yellow]skipped:[/yellow]" if getattr(msg, "skipped", False) else "[red]failed:[/red]"
    err.print(f"{label} {escape(msg)}", highlight=False, markup=True, soft_wrap=True)


def _summary(command: str, report, target: str, exit_on_failure: bool) -> None:
    # soft_wrap: one line even when not on a terminal (rich would cut it at 80 columns)
    out.print(f"dossier {command}: {report.summary()} → {target}", highlight=False, soft_wrap=True)
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
        err.print("[red]interrupted[/red]: articles stored so far are kept; rerun the same command to resume.",
                  soft_wrap=True)
        raise typer.Exit(130)
    finally:
        store.close()
    _summary("build", report, db, exit_on_failure=True)


@app.command()
def show(
    db: str = DB_OPTION,
    limit: int = typer.Option(15, "--limit", metavar="N", help="How many items per section."),
    entity: Optional[str] = typer.Option(
        None, "--entity", metavar="NAME", help=f"The dossier on one actor ({ENTITY_HELP})."),
    quiet: bool = _quiet(),
) -> None:
    """Print a summary of the story in the store, or the dossier on one actor."""
    from .show import render, render_entity

    store = _open(db, must_exist=True)
    try:
        if entity is not None:
            with _lookup():
                render_entity(store, out, entity)
        else:
            render(store, out, limit=limit)
    finally:
        store.close()


@app.command()
def export(
    format: str = typer.Option("json", "--format", "-f", metavar="FORMAT",
                               help="Export format: json, graphml, gexf, neo4j, csv, jsonld, turtle."),
    db: str = DB_OPTION,
    output: Optional[Path] = typer.Option(
        None, "--output", "-o", metavar="PATH",
        help="File to write (default: standard output); a directory for csv and neo4j."),
    entity: Optional[str] = typer.Option(
        None, "--entity", metavar="NAME", help=f"Keep the facts involving this entity ({ENTITY_HELP})."),
    since: Optional[str] = typer.Option(None, "--since", metavar="DATE",
                                        help="Keep facts dated on or after DATE (YYYY[-MM[-DD]])."),
    until: Optional[str] = typer.Option(None, "--until", metavar="DATE",
                                        help="Keep facts dated on or before DATE (YYYY[-MM[-DD]])."),
    type_: Optional[str] = typer.Option(
        None, "--type", metavar="TYPE",
        help="Keep an entity type (PERSON…), an event type (acquisition…) or a relation predicate."),
    quiet: bool = _quiet("Do not say which file was written."),
) -> None:
    """Export the story: JSON (dossier/schema/dossier.schema.json), graphs, Neo4j, CSV or RDF (docs/formats.md)."""
    from .formats import DIRECTORY_FORMATS, FORMATS, export as run

    if format not in FORMATS:
        _fail(Msg.UNKNOWN_FORMAT.format(format=format, formats=", ".join(FORMATS)), 2)
    if format in DIRECTORY_FORMATS and output is None:
        _fail(Msg.NEEDS_DIRECTORY.format(format=format), 2)
    store = _open(db, must_exist=True)
    try:
        result = run(store, format, output, entity=entity, since=since, until=until, type=type_)
    except EntityLookupError as exc:
        _fail(exc, 1)  # as in show and timeline
    except DossierError as exc:
        _fail(exc, 2)
    except OSError as exc:
        _fail(Msg.CANNOT_WRITE.format(path=output, detail=exc), 1)
    finally:
        store.close()
    if output:
        if not quiet:
            err.print(f"wrote {output}", highlight=False)
    else:
        sys.stdout.write(str(result))


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="A JSON export (dossier export --format json)."),
    db: str = DB_OPTION,
    quiet: bool = _quiet("Print only the summary line (the only thing import prints)."),
) -> None:
    """Load a JSON export into a store (the same ids; importing twice is a no-op)."""
    from .importer import import_file

    store = _open(db)
    try:
        report = import_file(store, file)
    except DossierError as exc:
        _fail(exc, 2)
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
        None, "--floors", metavar="FILE",
        help="JSON {section: {precision|recall|f1: minimum}}; exit 1 when a score is below."
    ),
    quiet: bool = _quiet("Do not confirm that every score is at or above its floor."),
) -> None:
    """Score the store against gold annotations: precision, recall, F1 per section."""
    from .evaluate import evaluate, overall

    bad: list[str] = []

    def gold_problem(msg: str) -> None:  # one line per gold file that cannot be scored; the rest go on
        bad.append(msg)
        err.print(f"[red]failed:[/red] {escape(msg)}", highlight=False, soft_wrap=True)

    store = _open(db, must_exist=True)
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
        if not quiet:
            out.print(f"all scores at or above the floors in {floors}")
    if bad:
        raise typer.Exit(1)


@app.command()
def why(
    a: str = typer.Argument(..., help="An entity name or alias."),
    b: str = typer.Argument(..., help="Another one."),
    db: str = DB_OPTION,
    quiet: bool = _quiet("Print only the verdict, not the reasons."),
    verbose: bool = _verbose("Also list every name merged into the entity, with the reason it joined."),
) -> None:
    """Explain why two names are one entity (merged across articles), or two kept apart."""
    from .query import explain

    store = _open(db, must_exist=True)
    try:
        with _lookup():
            lines = explain(store, a, b, detail=0 if quiet else 2 if verbose else 1)
    finally:
        store.close()
    for line in lines:
        out.print(line, highlight=False, markup=False, soft_wrap=True)


@app.command()
def timeline(
    entity: Optional[str] = typer.Option(
        None, "--entity", metavar="NAME", help=f"Only events involving this entity ({ENTITY_HELP})."),
    db: str = DB_OPTION,
    quiet: bool = _quiet("One line per event, without its sources."),
    verbose: bool = _verbose("Also print the sentences that report each event."),
) -> None:
    """The story's events in date order, with their sources."""
    from .export import story
    from .linking import timeline as rows_of
    from .show import event_line

    store = _open(db, must_exist=True)
    try:
        data = story(store)
    finally:
        store.close()
    with _lookup():
        rows = rows_of(data, entity)
    names = {e["id"]: e["name"] for e in data["entities"]}
    docs = {d["id"]: d for d in data["documents"]}
    for r in rows:
        ev = r["event"]
        mark = "" if r["placed_by"] == "event date" else f" [{r['placed_by']}]"
        out.print(f"{r['date'] or '????-??-??'}  {event_line(ev, names)}{mark}", highlight=False, markup=False)
        for s in [] if quiet else ev["sources"]:
            d = docs.get(s, {})
            out.print(f"             {d.get('source') or d.get('path') or s} ({d.get('published') or 'undated'})",
                      highlight=False, markup=False, style="dim")
            for text in dict.fromkeys(e["text"] for e in ev["evidence"] if e["document"] == s) if verbose else ():
                out.print(f"               “{text}”", highlight=False, markup=False, soft_wrap=True)


@app.command()
def contradictions(
    db: str = DB_OPTION,
    quiet: bool = _quiet("The values only, without the evidence of each."),
    verbose: bool = _verbose("Every evidence of each value, not only the first."),
) -> None:
    """Facts on which sources disagree, with both values and both evidences."""
    from .export import story

    store = _open(db, must_exist=True)
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
            said = [] if quiet else [e["text"] for e in v["evidence"][: None if verbose else 1]]
            evidence = "".join(f": “{t}”" if i == 0 else f"\n      “{t}”" for i, t in enumerate(said))
            out.print(f"  {value}  — {d.get('source') or d.get('path')}{evidence}", highlight=False, markup=False)


def _listen(host: str, port: int):
    """The server's socket, bound now: a busy port is an error before anything is printed."""
    import errno
    import socket

    try:
        family, kind, proto, _, addr = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
    except OSError as exc:
        _fail(Msg.CANNOT_LISTEN.format(host=host, port=port, detail=exc.strerror or exc), 2)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: a port in TIME_WAIT is free
        sock.bind(addr)
    except OSError as exc:
        sock.close()
        busy = exc.errno == errno.EADDRINUSE
        _fail((Msg.PORT_IN_USE if busy else Msg.CANNOT_LISTEN).format(host=host, port=port, detail=exc.strerror), 2)
    return sock


@app.command()
def serve(
    db: str = DB_OPTION,
    host: str = typer.Option("127.0.0.1", "--host", metavar="ADDRESS",
                             help="Address to listen on (127.0.0.1: this machine only)."),
    port: int = typer.Option(8000, "--port", metavar="PORT", min=0, max=65535, help="Port to listen on."),
    allow_ingest: bool = typer.Option(False, "--allow-ingest", help="Accept new articles with POST /api/articles."),
    token: Optional[str] = typer.Option(None, "--token", metavar="TOKEN", envvar="DOSSIER_TOKEN", show_envvar=False,
                                        help="The ingest token (or DOSSIER_TOKEN; default: a new one, printed)."),
    allowed_host: list[str] = typer.Option([], "--allowed-host", metavar="NAME",
                                           help="Another name clients use for this server (repeatable; * any)."),
    ingest_timeout: float = typer.Option(60.0, "--ingest-timeout", metavar="SECONDS", min=1,
                                         help="Analysis time allowed per ingested article."),
    quiet: bool = _quiet("No address line and no request log; warnings and errors only."),
    verbose: bool = _verbose("Debug log of the web server."),
) -> None:
    """Serve the story: a web page with the graph, timeline and evidence, and a JSON API."""
    import ipaddress
    import secrets

    try:
        import uvicorn  # imported here: the web extra is optional

        from .server import create_app
    except ImportError:
        _fail(Msg.NEEDS_EXTRA.format(what="serving", extra="web"), 2)
    if not allow_ingest and _no_store(db):  # --allow-ingest may fill a new, empty store
        _fail(Msg.NO_STORE_SERVE.format(db=db), 2)
    made = allow_ingest and not token
    token = (secrets.token_urlsafe(32) if made else token) if allow_ingest else None
    sock = _listen(host, port)
    try:
        web = create_app(db, allow_ingest=allow_ingest, token=token, host=host, allowed_hosts=allowed_host,
                         ingest_timeout=ingest_timeout)
    except DossierError as exc:
        sock.close()
        _fail(exc, 2)
    bound, port = sock.getsockname()[:2]
    if not ipaddress.ip_address(bound.split("%")[0]).is_loopback:  # another machine can connect: say so, always
        err.print(f"[yellow]warning:[/yellow] {escape(Msg.EXPOSED.format(host=host))}", highlight=False)
        if allow_ingest:
            err.print(f"[yellow]warning:[/yellow] {escape(Msg.EXPOSED_INGEST)}", highlight=False)
        names = ", ".join(sorted(web.state.allowed_hosts))
        err.print(f"[yellow]warning:[/yellow] {escape(Msg.EXPOSED_HOSTS.format(allowed=names))}", highlight=False)
    name = "127.0.0.1" if bound in ("0.0.0.0", "::") else f"[{bound}]" if ":" in bound else host
    url = f"http://{name}:{port}/"
    if not quiet:
        err.print(f"dossier: serving {db} on {url}" + (" (ingest allowed)" if allow_ingest else ""), highlight=False)
    if allow_ingest and (made or not quiet):  # a token made here is printed even with --quiet: nobody else knows it
        shown = token if made else "the one given (--token or DOSSIER_TOKEN)"
        err.print(f"dossier: ingest token: {shown}\n"
                  f"  POST {url}api/articles with 'Content-Type: application/json' and "
                  f"'Authorization: Bearer <token>' (or 'X-Dossier-Token: <token>'); on {url}docs: Authorize",
                  highlight=False, markup=False, soft_wrap=True)
    level = "warning" if quiet else "debug" if verbose else "info"
    uvicorn.Server(uvicorn.Config(web, host=host, port=port, log_level=level,
                                  timeout_graceful_shutdown=5)).run(sockets=[sock])


@app.command("spark-build")
def spark_build(
    input: str = typer.Argument(
        ..., help="JSON Lines or Parquet articles: a file, directory or glob, on any Hadoop path."),
    output: str = typer.Argument(..., help="Directory for the Parquet facts (documents/, entities/, errors/)."),
    master: Optional[str] = typer.Option(None, "--master", metavar="URL", help="Spark master URL (default: local[*])."),
    format: Optional[str] = typer.Option(None, "--format", metavar="FORMAT",
                                         help="Input format: jsonl or parquet (default: from the name)."),
    partitions: Optional[int] = typer.Option(None, "--partitions", metavar="N", min=1,
                                             help="Analysis partitions (default: from cores and input)."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing OUTPUT."),
    quiet: bool = _quiet("No Spark progress bar or log (failed articles and the summary are still printed)."),
    verbose: bool = _verbose("A line for every article that failed (default: the first 20)."),
) -> None:
    """Analyse articles with Spark and write Parquet facts; put them in a store with `dossier load`."""
    try:
        from .spark import session, spark_build as run
        import pyspark  # noqa: F401
    except ImportError:
        _fail(Msg.NEEDS_EXTRA.format(what="Spark builds", extra="spark") + " (and Java 17)", 2)
    spark = session(master, conf={"spark.ui.showConsoleProgress": "false"} if quiet else None)
    if quiet:
        spark.sparkContext.setLogLevel("ERROR")
    try:
        report = run(spark, input, output, input_format=format, partitions=partitions, overwrite=overwrite)
    except DossierError as exc:
        _fail(exc, 2)
    except Exception as exc:  # noqa: BLE001  (Spark's own errors: a missing path, an existing output)
        from pyspark.errors import PySparkException

        if not isinstance(exc, PySparkException):
            raise
        _fail(str(exc).splitlines()[0], 2)
    finally:
        spark.stop()
    for msg in report.messages if verbose else report.messages[:20]:
        _problem(msg)
    _summary("spark-build", report, output, exit_on_failure=True)


@app.command()
def load(
    parquet_dir: str = typer.Argument(
        ..., help="The OUTPUT of dossier spark-build (or its documents/ directory)."),
    db: str = DB_OPTION,
    quiet: bool = _quiet("Print only the summary line (the only thing load prints)."),
) -> None:
    """Put spark-build's Parquet facts into the store (articles already there are skipped)."""
    try:
        from .spark import load as run
        import pyarrow  # noqa: F401
    except ImportError:
        _fail(Msg.NEEDS_EXTRA.format(what="loading Parquet", extra="spark"), 2)
    store = _open(db)
    try:
        report = run(parquet_dir, store)
    except DossierError as exc:
        _fail(exc, 2)
    finally:
        store.close()
    _summary("load", report, db, exit_on_failure=False)


# every command's help in one shape (see _PlainHelp); set here so the commands stay plain typer
for _info in app.registered_commands:
    if _info.cls in (None, TyperCommand):
        _info.cls = _Command


def main() -> None:
    try:
        app()
    except Exception as exc:
        message = _store_failure(exc)
        if message is None:
            raise
        err.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
        sys.exit(2)


def _store_failure(exc: Exception) -> str | None:
    """One line for a store found full or damaged during a command (exit 2, no
    traceback): dossier's StoreError, or SQLite's own error read from a
    cursor, named with the store the command opened; None for anything else."""
    from .store import StoreError, store_error, unusable

    if isinstance(exc, StoreError):
        return str(exc)
    if unusable(exc) and _opened:
        return str(store_error(exc, _opened[-1]))
    return None


if __name__ == "__main__":
    main()
