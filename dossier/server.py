"""``dossier serve``: the story as a JSON API (OpenAPI at ``/openapi.json``) and an offline web page.

Read-only unless started with ``allow_ingest``; every error has one shape,
``{"error": {"status": int, "message": str}}``. The page and its static files
come only from the package's ``web/static`` folder, and the interactive API
docs (``/docs``) from the Swagger UI files of the installed ``fastapi-offline``
package: nothing is loaded from elsewhere, so both work offline under the same
strict Content-Security-Policy (there is no ``/redoc``: ReDoc needs inline
styles). No request value ever reaches the file system, and every query is
parameterised (see ``query.py``).

Security (see RELIABILITY.md, "The web server under attack"): only the hosts
the server was started for are answered (loopback names, ``--host``,
``--allowed-host``), which defeats DNS rebinding; ``POST /api/articles`` takes
only ``application/json``, from no other origin, with the ingest token
(``Authorization: Bearer`` or ``X-Dossier-Token``), so no other web page can
add an article. Ingest runs in one worker process, one article at a time with
a time budget, behind a bounded queue: however long an analysis takes, reads
are answered meanwhile. Read answers are kept, as JSON bytes, until the store
changes (SQLite's ``PRAGMA data_version``).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import itertools
import logging
import multiprocessing
import os
import queue
import re
import secrets
import signal
import sqlite3
import threading
import time
from collections import OrderedDict
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Literal, Optional
from urllib.parse import urlsplit

from fastapi import FastAPI, HTTPException, Query as Q, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.encoders import jsonable_encoder
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from .errors import DossierError, Msg
from .query import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, MAX_QUERY_CHARS, Query, is_iso_prefix
from .lang import SUPPORTED
from .store import open_store
from .vocab import ENTITY_TYPES

STATIC = Path(__file__).resolve().parent / "web" / "static"
DOCS_ASSETS = "/docs-assets"  # Swagger UI, served from the installed fastapi-offline package
MAX_BODY = 2 * 1024 * 1024  # bytes accepted by POST /api/articles
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

# FastAPI parameter objects must not be shared between parameters: one per use
def Limit() -> Any:  # noqa: N802
    return Q(DEFAULT_LIMIT, ge=1, description=f"Page size; values over {MAX_LIMIT} are reduced to {MAX_LIMIT}.")


def Offset() -> Any:  # noqa: N802
    return Q(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")


def IsoDate() -> Any:  # noqa: N802
    return Q(None, max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD.")
EntityType = Literal[ENTITY_TYPES]  # type: ignore[valid-type]  (read from the vocabulary)


class ArticleIn(BaseModel):
    """An article to add to the story (``POST /api/articles``)."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(..., min_length=1, max_length=MAX_BODY)
    title: Optional[str] = Field(None, max_length=500)
    url: Optional[str] = Field(None, max_length=2000)
    published: Optional[str] = Field(None, max_length=40, pattern=r"^\d{4}(-\d{2}(-\d{2}([T ][0-9:.+\-Z]*)?)?)?$")
    language: Optional[Literal[SUPPORTED]] = None  # type: ignore[valid-type]  (the language folders)
    source: Optional[str] = Field(None, max_length=200)


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "message": message}}, status_code=status, headers=headers)


def _validation_message(errors: list[dict[str, Any]]) -> str:
    parts = []
    for e in errors[:5]:
        loc = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body"))
        parts.append(f"{loc}: {e.get('msg', 'invalid')}" if loc else str(e.get("msg", "invalid")))
    return "invalid request: " + "; ".join(parts)


def _check_dates(since: str | None, until: str | None) -> None:
    for name, v in (("since", since), ("until", until)):
        if v is not None and not is_iso_prefix(v):
            raise HTTPException(422, f"{name}: expected YYYY, YYYY-MM or YYYY-MM-DD")


def _docs_assets() -> Path:
    import fastapi_offline  # dossier[web]: the Swagger UI files, so /docs needs no CDN

    return Path(fastapi_offline.__file__).resolve().parent / "static"


def _with_script_hashes(page: HTMLResponse) -> HTMLResponse:
    """FastAPI's Swagger UI page starts Swagger UI with an inline script: the CSP allows exactly that one, by hash."""
    hashes = "".join(f" 'sha256-{base64.b64encode(hashlib.sha256(js.encode()).digest()).decode()}'"
                     for js in re.findall(r"<script>(.*?)</script>", page.body.decode(), re.S))
    page.headers["Content-Security-Policy"] = CSP.replace("script-src 'self'", "script-src 'self'" + hashes)
    return page


# -- who may ask: hosts, origins, the ingest token ------------------------------

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
WILDCARD_ADDRESSES = ("", "0.0.0.0", "::")
MIN_TOKEN_CHARS = 16


def host_name(value: str) -> str | None:
    """The name in a ``Host`` header or a host given on the command line,
    lower case, without its port or IPv6 brackets; None if malformed."""
    v = value.strip().lower()
    if v.startswith("["):
        end = v.find("]")
        name, rest = v[1:end], v[end + 1:]
        if end < 0 or (rest and not (rest[0] == ":" and rest[1:].isdigit())):
            return None
        return name or None
    if v.count(":") > 1:  # an IPv6 address without brackets: from --host, never a valid Host header
        return v
    name, sep, port = v.partition(":")
    if sep and not port.isdigit():
        return None
    return name or None


def allowed_host_names(host: str | None = None, allowed_hosts: Iterable[str] = ()) -> frozenset[str]:
    """The names a ``Host`` header may give: loopback, the address listened
    on (unless a wildcard) and ``allowed_hosts`` (``*``: any)."""
    names = set(LOOPBACK_HOSTS)
    for h in (host, *allowed_hosts):
        if h is None or h.strip() in WILDCARD_ADDRESSES:
            continue
        if h.strip() == "*":
            names.add("*")
            continue
        name = host_name(h)
        if name:
            names.add(name)
    return frozenset(names)


def _same_origin(request: Request) -> tuple[bool, str]:
    """(True, "") when the request has no ``Origin`` (nor ``Referer``) or one
    naming this very server; else (False, what it named). ``Origin: null``
    (a sandboxed page, a form under a no-referrer policy) is another origin."""
    source = request.headers.get("origin")
    if source is None:
        source = request.headers.get("referer")
        if source is None:
            return True, ""
    parts = urlsplit(source.strip())
    host = request.headers.get("host", "").strip().lower()
    ok = parts.scheme in ("http", "https") and bool(parts.netloc) and parts.netloc.lower() == host
    return ok, source.strip()[:100]


def _token_of(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get("x-dossier-token")


# -- read answers kept until the store changes ---------------------------------

class AnswerCache:
    """JSON answers of the read API, as bytes, kept until the store changes.

    The store's version is SQLite's ``PRAGMA data_version`` on one connection
    kept for that (it changes whenever another connection, in this process or
    another, commits) together with a counter bumped after every ingest. Every
    page load asks for the same answers (summary, graph, timeline...): under
    many readers each is computed once per store change instead of once per
    request. Other backends have no such version: nothing is cached for them.
    """

    MAX_ENTRIES = 512
    MAX_BYTES = 64 * 1024 * 1024
    MAX_ENTRY = 8 * 1024 * 1024

    def __init__(self, db: str):
        self.lock = threading.Lock()
        self.entries: OrderedDict[tuple, tuple[tuple, bytes]] = OrderedDict()
        self.size = 0
        self.bumps = 0
        self.stripes = [threading.Lock() for _ in range(32)]  # one computation per answer at a time
        self.conn: sqlite3.Connection | None = None
        if not db.startswith(("postgresql://", "postgres://")):
            path = db[len("sqlite:///"):] if db.startswith("sqlite:///") else db
            self.conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)

    def version(self) -> tuple | None:
        if self.conn is None:
            return None
        with self.lock:
            return self.bumps, self.conn.execute("PRAGMA data_version").fetchone()[0]

    def bump(self) -> None:
        with self.lock:
            self.bumps += 1

    def get(self, key: tuple, compute: Callable[[], bytes]) -> bytes:
        version = self.version()  # read before computing: an answer is never filed under a newer version
        if version is None:
            return compute()
        with self.lock:
            hit = self.entries.get(key)
            if hit is not None and hit[0] == version:
                self.entries.move_to_end(key)
                return hit[1]
        with self.stripes[hash(key) % len(self.stripes)]:
            with self.lock:  # computed by another request meanwhile?
                hit = self.entries.get(key)
                if hit is not None and hit[0] == version:
                    return hit[1]
            body = compute()
            if len(body) <= self.MAX_ENTRY:
                with self.lock:
                    old = self.entries.pop(key, None)
                    self.size -= len(old[1]) if old else 0
                    self.entries[key] = (version, body)
                    self.size += len(body)
                    while len(self.entries) > self.MAX_ENTRIES or self.size > self.MAX_BYTES:
                        self.size -= len(self.entries.popitem(last=False)[1][1])
            return body

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


# -- ingest: one worker process, a bounded queue, a time budget ------------------

INGEST_WAITING = 8  # articles waiting behind the one being analysed; more: 503
INGEST_TIMEOUT = 60.0  # seconds of analysis per article (default of --ingest-timeout)
RETRY_AFTER = 10  # seconds, in the 503's Retry-After
WORKER_START = 300.0  # seconds for the worker process to import spaCy and load the models
log = logging.getLogger("dossier")


def _ingest_worker(conn, parent: int) -> None:
    """The ingest worker process: loads spaCy and every installed model, says
    ``("ready",)``, then for each ``(job, db, fields)`` received reads,
    analyses and stores the article (``build_texts``: the same path as
    ``dossier build``), saying ``("analysed", job)`` once the analysis is done
    (the time budget ends there: writing and linking are not cut short) and
    ``("done", job, outcome)`` at the end."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's: it ends this process

    def orphaned() -> None:  # the server was killed: do not linger
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=orphaned, daemon=True, name="dossier-orphan-watch").start()
    from . import nlp, pipeline
    from .build import _analyse_iter, build_texts
    from .model import Article

    pipeline.components(pipeline.DEFAULT)
    for lang in SUPPORTED:
        try:
            nlp.load(lang)
            # the first analysis also sets things up (~3 s): not on an article's time budget
            pipeline.analyse([pipeline.make_doc(Article(text="Paris, 3 March 2025. Warm-up.", language=lang))])
        except Exception:  # noqa: BLE001  (no model for it: its articles fail with that message)
            log.debug("ingest worker: no warm-up for %s", lang, exc_info=True)
    conn.send(("ready",))
    while True:
        try:
            job, db, fields = conn.recv()
        except (EOFError, OSError):
            os._exit(0)

        def runner(docs, names, problem, final):
            out = [d for group in _analyse_iter(docs, names, problem) for d in group]
            conn.send(("analysed", job))
            return [out]

        try:
            article = Article(**fields)
            store = open_store(db)
            try:
                report = build_texts([article], store, runner=runner, notify=lambda msg: None)
                present = store.has_document(article.id)
            finally:
                store.close()
            conn.send(("done", job, {"id": article.id, "stored": report.stored, "unchanged": report.unchanged,
                                     "failed": report.failed, "messages": list(report.messages),
                                     "present": present}))
        except Exception as exc:  # noqa: BLE001  (reported to the client, the worker goes on)
            conn.send(("done", job, {"error": f"{type(exc).__name__}: {exc}"}))


class _Job:
    __slots__ = ("fields", "loop", "future", "id")

    def __init__(self, fields: dict[str, Any], loop: asyncio.AbstractEventLoop, job_id: int):
        self.fields = fields
        self.loop = loop
        self.future: asyncio.Future = loop.create_future()
        self.id = job_id

    def resolve(self, outcome: tuple[int, dict[str, Any]]) -> None:
        def set_() -> None:
            if not self.future.done():
                self.future.set_result(outcome)
        try:
            self.loop.call_soon_threadsafe(set_)
        except RuntimeError:  # the loop is closed: nobody waits any more
            pass


class IngestQueue:
    """Articles POSTed to the server, analysed one at a time in one worker
    process (spawned: nothing inherited from the server's threads) while
    the server process goes on answering reads.

    At most ``waiting`` articles wait behind the one being analysed (more:
    :class:`queue.Full`, a 503). An analysis that takes more than ``timeout``
    seconds is stopped by killing the worker, which the next article starts
    again. SQLite keeps one writer: this worker is the server's only one.
    """

    def __init__(self, db: str, timeout: float = INGEST_TIMEOUT, waiting: int = INGEST_WAITING,
                 on_stored: Callable[[], None] = lambda: None):
        self.db = db
        self.timeout = timeout
        self.waiting = waiting
        self.on_stored = on_stored
        self.jobs: queue.Queue[_Job | None] = queue.Queue(maxsize=waiting)
        self.ids = itertools.count(1)
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.process = None
        self.conn = None
        self.closed = False
        self.ready = threading.Event()  # set once the first worker has loaded its models (or failed to)

    def start(self, wait: float = 0) -> bool:
        """Start the dispatcher thread and the worker (loading its models) now,
        not at the first article; wait up to ``wait`` seconds for it to be ready."""
        with self.lock:
            if not self.closed and self.thread is None:
                self.thread = threading.Thread(target=self._dispatch, name="dossier-ingest", daemon=True)
                self.thread.start()
        return self.ready.wait(wait) if wait else self.ready.is_set()

    def reopen(self) -> None:
        """After :meth:`close` (an app whose lifespan runs again): take articles again."""
        with self.lock:
            self.closed = False
            while True:
                try:
                    self.jobs.get_nowait()  # the stop sentinel
                except queue.Empty:
                    break

    def submit(self, fields: dict[str, Any]) -> asyncio.Future:
        """Queue an article; the future gives ``(status, body)``. Raises
        :class:`queue.Full` when ``waiting`` articles already wait, RuntimeError once closed."""
        self.start()
        if self.closed:
            raise RuntimeError(Msg.INGEST_STOPPING)
        job = _Job(fields, asyncio.get_running_loop(), next(self.ids))
        self.jobs.put_nowait(job)
        return job.future

    def close(self) -> None:
        self.closed = True
        while True:  # whoever still waits is told, now
            try:
                job = self.jobs.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                job.resolve((503, {"message": Msg.INGEST_STOPPING}))
        try:
            self.jobs.put_nowait(None)
        except queue.Full:
            pass
        self._stop_worker()
        if self.thread is not None:
            self.thread.join(timeout=5)
            self.thread = None

    # -- the dispatcher thread ------------------------------------------------
    def _dispatch(self) -> None:
        try:
            self._worker()  # warm: the models load before the first article comes
        except Exception:  # noqa: BLE001  (tried again, and reported, with the first article)
            log.debug("ingest worker did not start", exc_info=True)
        self.ready.set()
        while not self.closed:
            job = self.jobs.get()
            if job is None:
                break
            try:
                outcome = self._run(job)
            except Exception:  # noqa: BLE001
                log.exception("ingest failed")
                outcome = (500, {"message": "internal error"})
            job.resolve(outcome)
        self._stop_worker()

    def _worker(self):
        if self.process is not None and self.process.is_alive():
            return self.conn
        self._stop_worker()
        if self.closed:
            raise RuntimeError("closed")
        ctx = multiprocessing.get_context("spawn")
        ours, theirs = ctx.Pipe()
        process = ctx.Process(target=_ingest_worker, args=(theirs, os.getpid()), daemon=True,
                              name="dossier-ingest-worker")
        process.start()
        theirs.close()
        self.process, self.conn = process, ours
        if not ours.poll(WORKER_START) or ours.recv() != ("ready",):
            raise RuntimeError("the ingest worker did not start")
        return ours

    def _stop_worker(self) -> None:
        process, conn = self.process, self.conn
        self.process = self.conn = None
        if process is not None:
            process.kill()
            process.join(timeout=10)
        if conn is not None:
            conn.close()

    def _run(self, job: _Job) -> tuple[int, dict[str, Any]]:
        if self.closed:
            return 503, {"message": Msg.INGEST_STOPPING}
        try:
            conn = self._worker()
            conn.send((job.id, self.db, job.fields))
        except (OSError, EOFError, RuntimeError) as exc:
            self._stop_worker()
            return 500, {"message": Msg.INGEST_WORKER.format(detail=exc)}
        deadline = time.monotonic() + self.timeout
        analysed = False
        while True:
            left = deadline - time.monotonic()
            if not analysed and left <= 0:
                self._stop_worker()  # the article goes with it; the next one starts a fresh worker
                return 422, {"message": Msg.INGEST_TIMEOUT.format(seconds=self.timeout)}
            if self.closed:
                self._stop_worker()
                return 503, {"message": Msg.INGEST_STOPPING}
            try:
                ready = conn.poll(min(left, 0.5) if not analysed else 0.5)
                message = conn.recv() if ready else None
            except (EOFError, OSError):
                message, ready = None, False
            if message is None:
                if self.process is None or not self.process.is_alive():
                    code = None if self.process is None else self.process.exitcode
                    self._stop_worker()
                    return 500, {"message": Msg.INGEST_WORKER.format(detail=f"exit status {code}")}
                continue
            if message[1] != job.id:
                continue
            if message[0] == "analysed":
                analysed = True
            elif message[0] == "done":
                return self._outcome(message[2])

    def _outcome(self, r: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if "error" in r:
            return 500, {"message": Msg.INGEST_WORKER.format(detail=r["error"])}
        if r["stored"]:
            self.on_stored()
        if r["failed"] or not r["present"]:
            reason = "; ".join(m.split(": ", 1)[-1] for m in r["messages"]) or "the article was not stored"
            return 422, {"message": reason}
        # 201 for a new article, 200 when it was already in the store (a no-op)
        return (201 if r["stored"] else 200), {"id": r["id"], "stored": r["stored"], "unchanged": r["unchanged"]}


def create_app(db: str, allow_ingest: bool = False, *, token: str | None = None, host: str | None = None,
               allowed_hosts: Iterable[str] = (), ingest_timeout: float = INGEST_TIMEOUT,
               ingest_waiting: int = INGEST_WAITING) -> FastAPI:
    """The FastAPI app serving the story in ``db`` (a SQLite path or ``postgresql://`` URL).

    ``host`` (the address listened on) and ``allowed_hosts`` are the names,
    besides loopback ones, that a request's ``Host`` may give (``*``: any).
    With ``allow_ingest``, ``POST /api/articles`` needs ``token`` (one is made
    when none is given: ``app.state.token``); each article gets
    ``ingest_timeout`` seconds of analysis, and at most ``ingest_waiting``
    wait behind the one being analysed."""
    open_store(db).close()  # fail now, not on the first request, if the store cannot be opened
    allowed = allowed_host_names(host, allowed_hosts)
    if allow_ingest:
        token = token if token is not None else secrets.token_urlsafe(32)
        if len(token) < MIN_TOKEN_CHARS:
            raise DossierError(Msg.SHORT_TOKEN.format(n=MIN_TOKEN_CHARS))
    else:
        token = None
    cache = AnswerCache(db)
    ingest_queue = IngestQueue(db, ingest_timeout, ingest_waiting, on_stored=cache.bump) if allow_ingest else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        if ingest_queue is not None:
            ingest_queue.reopen()
            ingest_queue.start()  # the worker loads its models now, not with the first article
        try:
            yield
        finally:
            if ingest_queue is not None:
                await asyncio.get_running_loop().run_in_executor(None, ingest_queue.close)

    app = FastAPI(
        lifespan=lifespan,
        title="dossier",
        docs_url=None,  # FastAPI's own /docs and /redoc load their scripts from a CDN: /docs is served below
        redoc_url=None,
        version="1",
        description="The story built from news articles: actors, money, quotes, events, relations and stances, "
                    "each with the evidence that supports it. Every list is paginated as "
                    "`{items, total, limit, offset}`; every error is `{\"error\": {\"status\", \"message\"}}`.")
    app.state.db = db
    app.state.allow_ingest = allow_ingest
    app.state.token = token
    app.state.allowed_hosts = allowed
    app.state.ingest = ingest_queue
    app.state.cache = cache

    # -- errors: one shape ------------------------------------------------
    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException):
        return _error(exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError):
        return _error(422, _validation_message(exc.errors()))

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, _exc: Exception):
        return _error(500, "internal error")

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        # DNS rebinding: a page of evil.example resolved to 127.0.0.1 sends Host: evil.example
        name = host_name(request.headers.get("host", ""))
        if "*" in allowed or name in allowed:
            response = await call_next(request)
        else:
            response = _error(400, Msg.HOST_NOT_ALLOWED.format(host=request.headers.get("host", "")[:100],
                                                               allowed=", ".join(sorted(allowed))))
        response.headers.setdefault("Content-Security-Policy", CSP)  # /docs sets its own, as strict
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers.setdefault("Cache-Control", "no-store" if request.scope["path"].startswith("/api/") else "no-cache")
        return response

    # -- read answers: computed on a store connection of their own, kept until the store changes --
    def answer(key: tuple, compute: Callable[[Query], Any]) -> Response:
        def run() -> bytes:
            s = open_store(db)
            try:
                data = compute(Query(s))
            finally:
                s.close()
            return JSONResponse(jsonable_encoder(data)).body

        return Response(cache.get(key, run), media_type="application/json")

    def not_found(what: str) -> HTTPException:
        return HTTPException(404, f"{what} not found")

    def found(item: dict[str, Any] | None, what: str) -> dict[str, Any]:
        if item is None:
            raise not_found(what)
        return item

    # -- the page ---------------------------------------------------------
    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    app.mount("/static", StaticFiles(directory=STATIC, follow_symlink=False), name="static")

    # -- the API docs, from local files -----------------------------------
    app.mount(DOCS_ASSETS, StaticFiles(directory=_docs_assets(), follow_symlink=False), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return _with_script_hashes(get_swagger_ui_html(
            openapi_url=root + app.openapi_url, title="dossier API",
            swagger_js_url=f"{root}{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{DOCS_ASSETS}/swagger-ui.css", swagger_favicon_url=f"{root}/static/favicon.svg"))

    # -- API --------------------------------------------------------------
    @app.get("/api/summary", tags=["story"], summary="Counts, publication range and entity types")
    def summary() -> dict[str, Any]:
        return answer(("summary",), lambda qy: {**qy.summary(), "allow_ingest": allow_ingest})

    @app.get("/api/documents", tags=["documents"], summary="Articles (without their text)")
    def documents(limit: int = Limit(), offset: int = Offset()) -> dict[str, Any]:
        return answer(("documents", limit, offset), lambda qy: qy.documents(limit, offset).to_json())

    @app.get("/api/documents/{doc_id}", tags=["documents"], summary="One article with its text")
    def document(doc_id: str) -> dict[str, Any]:
        return answer(("document", doc_id), lambda qy: found(qy.document(doc_id), "document"))

    @app.get("/api/entities", tags=["entities"], summary="Actors, most salient first; search by name or alias")
    def entities(q: Optional[str] = Q(None, max_length=MAX_QUERY_CHARS), type: Optional[EntityType] = None,
                 limit: int = Limit(), offset: int = Offset()) -> dict[str, Any]:
        q = (q or "").strip() or None
        return answer(("entities", q, type, limit, offset),
                      lambda qy: qy.entities(q=q, type=type, limit=limit, offset=offset).to_json())

    @app.get("/api/entities/{entity_id}", tags=["entities"],
             summary="One actor with its mentions, events, quotes, relations, stances and nearby amounts")
    def entity(entity_id: str, limit: int = Limit()) -> dict[str, Any]:
        return answer(("entity", entity_id, limit), lambda qy: found(qy.entity(entity_id, limit), "entity"))

    @app.get("/api/entities/{entity_id}/mentions", tags=["entities"], summary="Every mention of one actor")
    def mentions(entity_id: str, limit: int = Limit(), offset: int = Offset()) -> dict[str, Any]:
        def compute(qy: Query) -> dict[str, Any]:
            if not qy.exists(entity_id):
                raise not_found("entity")
            return qy.mentions(entity_id, limit, offset).to_json()

        return answer(("mentions", entity_id, limit, offset), compute)

    @app.get("/api/events", tags=["facts"], summary="Events, filtered by participant, type and date")
    def events(entity: Optional[str] = None, type: Optional[str] = Q(None, max_length=100),
               since: Optional[str] = IsoDate(), until: Optional[str] = IsoDate(),
               limit: int = Limit(), offset: int = Offset()) -> dict[str, Any]:
        _check_dates(since, until)
        return answer(("events", entity, type, since, until, limit, offset),
                      lambda qy: qy.events(entity, type, since, until, limit, offset).to_json())

    @app.get("/api/timeline", tags=["facts"],
             summary="Events by date (their own, then their article's); events without a date last, dated=false")
    def timeline(entity: Optional[str] = None, type: Optional[str] = Q(None, max_length=100),
                 since: Optional[str] = IsoDate(), until: Optional[str] = IsoDate(),
                 limit: int = Limit(), offset: int = Offset()) -> dict[str, Any]:
        _check_dates(since, until)
        return answer(("timeline", entity, type, since, until, limit, offset),
                      lambda qy: qy.timeline(entity, type, since, until, limit, offset).to_json())

    @app.get("/api/facts/{fact_id}", tags=["facts"], summary="One event or relation by id")
    def fact(fact_id: str) -> dict[str, Any]:
        return answer(("fact", fact_id), lambda qy: found(qy.fact(fact_id), "fact"))

    @app.get("/api/quotes", tags=["facts"], summary="Quotes, optionally by one speaker")
    def quotes(speaker: Optional[str] = None, limit: int = Limit(), offset: int = Offset()) -> dict[str, Any]:
        return answer(("quotes", speaker, limit, offset), lambda qy: qy.quotes(speaker, limit, offset).to_json())

    @app.get("/api/relations", tags=["facts"], summary="Relations between actors")
    def relations(entity: Optional[str] = None, predicate: Optional[str] = Q(None, max_length=100),
                  limit: int = Limit(), offset: int = Offset()) -> dict[str, Any]:
        return answer(("relations", entity, predicate, limit, offset),
                      lambda qy: qy.relations(entity, predicate, limit, offset).to_json())

    @app.get("/api/stances", tags=["facts"], summary="Who supports or opposes what")
    def stances(entity: Optional[str] = None, limit: int = Limit(), offset: int = Offset()) -> dict[str, Any]:
        return answer(("stances", entity, limit, offset), lambda qy: qy.stances(entity, limit, offset).to_json())

    @app.get("/api/amounts", tags=["facts"], summary="Money amounts; near=<entity id> keeps those near its mentions")
    def amounts(near: Optional[str] = None, document: Optional[str] = None, limit: int = Limit(),
                offset: int = Offset()) -> dict[str, Any]:
        return answer(("amounts", near, document, limit, offset),
                      lambda qy: qy.amounts(near=near, document=document, limit=limit, offset=offset).to_json())

    @app.get("/api/contradictions", tags=["facts"], summary="Facts on which the sources disagree")
    def contradictions(limit: int = Limit(), offset: int = Offset()) -> dict[str, Any]:
        return answer(("contradictions", limit, offset), lambda qy: qy.contradictions(limit, offset).to_json())

    @app.get("/api/search", tags=["search"], summary="Full-text search in the articles, with snippets and offsets")
    def search(q: str = Q(..., min_length=1, max_length=MAX_QUERY_CHARS), limit: int = Limit(),
               offset: int = Offset()) -> dict[str, Any]:
        if not q.strip():
            raise HTTPException(422, "q: the search text is empty")
        return answer(("search", q, limit, offset), lambda qy: qy.search(q, limit, offset).to_json())

    @app.get("/api/graph", tags=["story"],
             summary="The story graph: the most salient actors, relations and events (agent → target)")
    def graph(limit: int = Q(40, ge=1, description=f"How many actors (at most {MAX_LIMIT})."),
              type: Optional[EntityType] = None,
              together: bool = Q(True, description="Also link actors mentioned close to each other.")) -> dict[str, Any]:
        return answer(("graph", limit, type, together), lambda qy: qy.graph(limit, type, together))

    @app.get("/api/together", tags=["story"], summary="Passages where two actors are mentioned close to each other")
    def together(a: str = Q(..., max_length=100), b: str = Q(..., max_length=100), limit: int = Limit(),
                 offset: int = Offset()) -> dict[str, Any]:
        return answer(("together", a, b, limit, offset), lambda qy: qy.together(a, b, limit, offset).to_json())

    # -- ingest: JSON, same origin, with the token; analysed in the worker process --
    refused = {401: "no token, or a wrong one", 403: "read-only server, or a request from another origin",
               413: f"body over {MAX_BODY} bytes", 415: "not application/json",
               422: "invalid article, or its analysis failed or took too long",
               503: "too many articles waiting (see Retry-After)"}

    @app.post("/api/articles", tags=["ingest"], status_code=201,
              summary="Add an article (only when the server runs with --allow-ingest)",
              description="Needs the token printed when the server started, as `Authorization: Bearer TOKEN` "
                          "or `X-Dossier-Token: TOKEN`, and `Content-Type: application/json`; requests from "
                          "another origin are refused. Articles are analysed one at a time, each within the "
                          "server's time budget; the answer comes once the article is stored.",
              responses={status: {"description": text} for status, text in refused.items()},
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/json": {"schema": ArticleIn.model_json_schema()}}},
                  "security": [{"bearer": []}, {"token": []}]})
    async def ingest(request: Request) -> JSONResponse:
        if ingest_queue is None:
            raise HTTPException(403, "this server is read-only; start it with --allow-ingest to add articles")
        same, source = _same_origin(request)
        if not same:  # a page of another site (fetch no-cors, a form) must not add articles
            raise HTTPException(403, Msg.CROSS_ORIGIN.format(origin=source or "an unknown origin"))
        ctype = request.headers.get("content-type", "")
        if ctype.split(";")[0].strip().lower() != "application/json":  # text/plain and forms need no preflight
            raise HTTPException(415, Msg.NOT_JSON.format(got=ctype[:100] or "none"))
        given = _token_of(request)
        if given is None or not secrets.compare_digest(given.encode(), token.encode()):
            raise HTTPException(401, Msg.NO_TOKEN, headers={"WWW-Authenticate": "Bearer"})
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
            raise HTTPException(413, f"request body over {MAX_BODY} bytes")
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY:
                raise HTTPException(413, f"request body over {MAX_BODY} bytes")
        try:
            article = ArticleIn.model_validate_json(bytes(body))
        except ValidationError as exc:
            raise RequestValidationError(
                [{**e, "loc": ("body", *e.get("loc", ()))} for e in exc.errors(include_url=False)]) from None
        if not article.text.strip():
            raise HTTPException(422, "text: the article is empty")
        fields = {"text": article.text.replace("\r\n", "\n").replace("\r", "\n"), "title": article.title,
                  "url": article.url, "published": article.published, "language": article.language,
                  "source": article.source}
        try:
            future = ingest_queue.submit(fields)
        except queue.Full:
            raise HTTPException(503, Msg.INGEST_BUSY.format(waiting=ingest_queue.waiting, retry=RETRY_AFTER),
                                headers={"Retry-After": str(RETRY_AFTER)}) from None
        except RuntimeError:
            raise HTTPException(503, Msg.INGEST_STOPPING) from None
        status, out = await future
        if status >= 400:
            raise HTTPException(status, out["message"])
        return JSONResponse(out, status_code=status)

    base_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        spec = base_openapi()
        spec.setdefault("components", {}).setdefault("securitySchemes", {
            "bearer": {"type": "http", "scheme": "bearer", "description": "The ingest token printed at start."},
            "token": {"type": "apiKey", "in": "header", "name": "X-Dossier-Token",
                      "description": "The ingest token printed at start."}})
        return spec

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def serve(db: str, host: str = "127.0.0.1", port: int = 8000, allow_ingest: bool = False, *,
          token: str | None = None, allowed_hosts: Iterable[str] = (), ingest_timeout: float = INGEST_TIMEOUT) -> None:
    """Serve ``db`` until interrupted (``dossier serve`` with its checks and messages is the CLI way).
    With ``allow_ingest`` and no ``token``, one is made and printed on standard error."""
    import sys

    import uvicorn

    app = create_app(db, allow_ingest=allow_ingest, token=token, host=host, allowed_hosts=allowed_hosts,
                     ingest_timeout=ingest_timeout)
    if allow_ingest and token is None:
        print(f"dossier: ingest token: {app.state.token}", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, log_level="info")


__all__ = ["create_app", "serve", "ArticleIn", "MAX_BODY", "CSP", "INGEST_TIMEOUT", "INGEST_WAITING",
           "allowed_host_names", "host_name"]
