"""``dossier serve``: the story as a JSON API (OpenAPI at ``/openapi.json``) and an offline web page.

Read-only unless started with ``allow_ingest``; every error has one shape,
``{"error": {"status": int, "message": str}}``. The page and its static files
come only from the package's ``web/static`` folder, and the interactive API
docs (``/docs``) from the Swagger UI files of the installed ``fastapi-offline``
package: nothing is loaded from elsewhere, so both work offline under the same
strict Content-Security-Policy (there is no ``/redoc``: ReDoc needs inline
styles). No request value ever reaches the file system, and every query is
parameterised (see ``query.py``).
"""

from __future__ import annotations

import base64
import hashlib
import re
import threading
from pathlib import Path
from typing import Any, Iterator, Literal, Optional

from fastapi import Depends, FastAPI, HTTPException, Query as Q, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from .query import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, MAX_QUERY_CHARS, Query, is_iso_prefix
from .lang import SUPPORTED
from .store import Store, open_store
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


def create_app(db: str, allow_ingest: bool = False) -> FastAPI:
    """The FastAPI app serving the story in ``db`` (a SQLite path or ``postgresql://`` URL)."""
    open_store(db).close()  # fail now, not on the first request, if the store cannot be opened
    ingest_lock = threading.Lock()

    app = FastAPI(
        title="dossier",
        docs_url=None,  # FastAPI's own /docs and /redoc load their scripts from a CDN: /docs is served below
        redoc_url=None,
        version="1",
        description="The story built from news articles: actors, money, quotes, events, relations and stances, "
                    "each with the evidence that supports it. Every list is paginated as "
                    "`{items, total, limit, offset}`; every error is `{\"error\": {\"status\", \"message\"}}`.",
    )
    app.state.db = db
    app.state.allow_ingest = allow_ingest

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
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)  # /docs sets its own, as strict
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers.setdefault("Cache-Control", "no-store" if request.url.path.startswith("/api/") else "no-cache")
        return response

    # -- one store connection per request ----------------------------------
    def store() -> Iterator[Store]:
        s = open_store(db)
        try:
            yield s
        finally:
            s.close()

    def query(s: Store = Depends(store)) -> Query:
        return Query(s)

    def not_found(what: str) -> HTTPException:
        return HTTPException(404, f"{what} not found")

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
    def summary(qy: Query = Depends(query)) -> dict[str, Any]:
        return {**qy.summary(), "allow_ingest": allow_ingest}

    @app.get("/api/documents", tags=["documents"], summary="Articles (without their text)")
    def documents(limit: int = Limit(), offset: int = Offset(), qy: Query = Depends(query)) -> dict[str, Any]:
        return qy.documents(limit, offset).to_json()

    @app.get("/api/documents/{doc_id}", tags=["documents"], summary="One article with its text")
    def document(doc_id: str, qy: Query = Depends(query)) -> dict[str, Any]:
        d = qy.document(doc_id)
        if d is None:
            raise not_found("document")
        return d

    @app.get("/api/entities", tags=["entities"], summary="Actors, most salient first; search by name or alias")
    def entities(q: Optional[str] = Q(None, max_length=MAX_QUERY_CHARS), type: Optional[EntityType] = None,
                 limit: int = Limit(), offset: int = Offset(), qy: Query = Depends(query)) -> dict[str, Any]:
        return qy.entities(q=(q or "").strip() or None, type=type, limit=limit, offset=offset).to_json()

    @app.get("/api/entities/{entity_id}", tags=["entities"],
             summary="One actor with its mentions, events, quotes, relations, stances and nearby amounts")
    def entity(entity_id: str, limit: int = Limit(), qy: Query = Depends(query)) -> dict[str, Any]:
        e = qy.entity(entity_id, limit)
        if e is None:
            raise not_found("entity")
        return e

    @app.get("/api/entities/{entity_id}/mentions", tags=["entities"], summary="Every mention of one actor")
    def mentions(entity_id: str, limit: int = Limit(), offset: int = Offset(), qy: Query = Depends(query)) -> dict[str, Any]:
        if not qy.exists(entity_id):
            raise not_found("entity")
        return qy.mentions(entity_id, limit, offset).to_json()

    @app.get("/api/events", tags=["facts"], summary="Events, filtered by participant, type and date")
    def events(entity: Optional[str] = None, type: Optional[str] = Q(None, max_length=100),
               since: Optional[str] = IsoDate(), until: Optional[str] = IsoDate(),
               limit: int = Limit(), offset: int = Offset(), qy: Query = Depends(query)) -> dict[str, Any]:
        _check_dates(since, until)
        return qy.events(entity, type, since, until, limit, offset).to_json()

    @app.get("/api/timeline", tags=["facts"],
             summary="Events by date (their own, then their article's); events without a date last, dated=false")
    def timeline(entity: Optional[str] = None, type: Optional[str] = Q(None, max_length=100),
                 since: Optional[str] = IsoDate(), until: Optional[str] = IsoDate(),
                 limit: int = Limit(), offset: int = Offset(), qy: Query = Depends(query)) -> dict[str, Any]:
        _check_dates(since, until)
        return qy.timeline(entity, type, since, until, limit, offset).to_json()

    @app.get("/api/facts/{fact_id}", tags=["facts"], summary="One event or relation by id")
    def fact(fact_id: str, qy: Query = Depends(query)) -> dict[str, Any]:
        f = qy.fact(fact_id)
        if f is None:
            raise not_found("fact")
        return f

    @app.get("/api/quotes", tags=["facts"], summary="Quotes, optionally by one speaker")
    def quotes(speaker: Optional[str] = None, limit: int = Limit(), offset: int = Offset(),
               qy: Query = Depends(query)) -> dict[str, Any]:
        return qy.quotes(speaker, limit, offset).to_json()

    @app.get("/api/relations", tags=["facts"], summary="Relations between actors")
    def relations(entity: Optional[str] = None, predicate: Optional[str] = Q(None, max_length=100),
                  limit: int = Limit(), offset: int = Offset(), qy: Query = Depends(query)) -> dict[str, Any]:
        return qy.relations(entity, predicate, limit, offset).to_json()

    @app.get("/api/stances", tags=["facts"], summary="Who supports or opposes what")
    def stances(entity: Optional[str] = None, limit: int = Limit(), offset: int = Offset(),
                qy: Query = Depends(query)) -> dict[str, Any]:
        return qy.stances(entity, limit, offset).to_json()

    @app.get("/api/amounts", tags=["facts"], summary="Money amounts; near=<entity id> keeps those near its mentions")
    def amounts(near: Optional[str] = None, document: Optional[str] = None, limit: int = Limit(),
                offset: int = Offset(), qy: Query = Depends(query)) -> dict[str, Any]:
        return qy.amounts(near=near, document=document, limit=limit, offset=offset).to_json()

    @app.get("/api/contradictions", tags=["facts"], summary="Facts on which the sources disagree")
    def contradictions(limit: int = Limit(), offset: int = Offset(), qy: Query = Depends(query)) -> dict[str, Any]:
        return qy.contradictions(limit, offset).to_json()

    @app.get("/api/search", tags=["search"], summary="Full-text search in the articles, with snippets and offsets")
    def search(q: str = Q(..., min_length=1, max_length=MAX_QUERY_CHARS), limit: int = Limit(), offset: int = Offset(),
               qy: Query = Depends(query)) -> dict[str, Any]:
        if not q.strip():
            raise HTTPException(422, "q: the search text is empty")
        return qy.search(q, limit, offset).to_json()

    @app.get("/api/graph", tags=["story"],
             summary="The story graph: the most salient actors, relations and events (agent → target)")
    def graph(limit: int = Q(40, ge=1, description=f"How many actors (at most {MAX_LIMIT})."),
              type: Optional[EntityType] = None,
              together: bool = Q(True, description="Also link actors mentioned close to each other."),
              qy: Query = Depends(query)) -> dict[str, Any]:
        return qy.graph(limit, type, together)

    @app.get("/api/together", tags=["story"], summary="Passages where two actors are mentioned close to each other")
    def together(a: str = Q(..., max_length=100), b: str = Q(..., max_length=100), limit: int = Limit(),
                 offset: int = Offset(), qy: Query = Depends(query)) -> dict[str, Any]:
        return qy.together(a, b, limit, offset).to_json()

    @app.post("/api/articles", tags=["ingest"], status_code=201,
              summary="Add an article (only when the server runs with --allow-ingest)",
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/json": {"schema": ArticleIn.model_json_schema()}}}})
    async def ingest(request: Request) -> JSONResponse:
        if not allow_ingest:
            raise HTTPException(403, "this server is read-only; start it with --allow-ingest to add articles")
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
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(_ingest, article)

    def _ingest(article: ArticleIn) -> JSONResponse:
        from .build import build_texts
        from .model import Article

        a = Article(text=article.text.replace("\r\n", "\n").replace("\r", "\n"), title=article.title,
                    url=article.url, published=article.published, language=article.language, source=article.source)
        with ingest_lock:
            s = open_store(db)
            try:
                report = build_texts([a], s)
                stored = s.has_document(a.id)
            finally:
                s.close()
        if report.failed or not stored:
            reason = "; ".join(m.split(": ", 1)[-1] for m in report.messages) or "the article was not stored"
            raise HTTPException(422, reason)
        # 201 for a new article, 200 when it was already in the store (a no-op)
        return JSONResponse({"id": a.id, "stored": report.stored, "unchanged": report.unchanged},
                            status_code=201 if report.stored else 200)

    return app


def serve(db: str, host: str = "127.0.0.1", port: int = 8000, allow_ingest: bool = False) -> None:
    import uvicorn

    uvicorn.run(create_app(db, allow_ingest=allow_ingest), host=host, port=port, log_level="info")


__all__ = ["create_app", "serve", "ArticleIn", "MAX_BODY", "CSP"]
