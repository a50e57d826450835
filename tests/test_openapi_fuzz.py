"""A property-based run of ``dossier serve``'s OpenAPI description finds no server error.

Schemathesis reads ``/openapi.json`` from the ASGI app itself and, for every
operation, generates requests that fit the description (positive) and requests
that break it (negative). Every answer must be below 500, and every error
answer must have dossier's one shape, ``{"error": {"status", "message"}}``,
with ``status`` equal to the HTTP status.

The store is real: a few short articles written for this test, built by the
real pipeline (spaCy, components, linking, SQLite). Ingest (``POST
/api/articles``) runs on a store of its own, so the read-only run never sees
what the fuzzer added.

The operations are driven directly (``APIOperation.as_strategy`` under
Hypothesis' ``@given``) rather than with ``schemathesis.pytest.from_fixture``:
that lazy loader sets ``request.node._nodeid``, which pytest 9 no longer has.
Path and query parameters that name a stored thing are also tried with real
ids, so the detail pages and filters run their deep paths, not only 404s.
"""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")
schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

from dossier.build import build_texts  # noqa: E402
from dossier.model import Article  # noqa: E402
from dossier.query import MAX_LIMIT, Query  # noqa: E402
from dossier.server import create_app  # noqa: E402
from dossier.store import open_store  # noqa: E402

ARTICLES = [
    Article(
        text=(
            "Le rachat d'OpenAI refusé\n"
            "Paris, le 11 février 2025 — Elon Musk a proposé de racheter OpenAI pour 97,4 milliards de dollars. "
            "Sam Altman, le directeur général d'OpenAI, a rejeté l'offre le lendemain. "
            "« OpenAI n'est pas à vendre », a déclaré Sam Altman à Paris.\n"
        ),
        source="Le Courrier d'exemple", published="2025-02-11", language="fr",
        url="https://example.org/fr/openai",
    ),
    Article(
        text=(
            "Microsoft stays quiet on the OpenAI bid\n"
            "Seattle, Feb. 12, 2025 — Microsoft, the largest investor in OpenAI, declined to comment on the "
            "$97.4 billion offer made by Elon Musk. \"We support Sam Altman,\" said Satya Nadella, "
            "the chief executive of Microsoft.\n"
        ),
        source="The Example Herald", published="2025-02-12", language="en",
    ),
    Article(
        text=(
            "Budget : la mairie de Lyon vote 12 millions d'euros pour les écoles\n"
            "Lyon, le 3 mars 2024 — Le conseil municipal de Lyon a voté mardi un budget de 12 millions d'euros. "
            "Grégory Doucet, le maire de Lyon, a salué « un effort sans précédent ».\n"
        ),
        source="Le Progrès d'exemple", published="2024-03-03", language="fr",
    ),
]

TOKEN = "fuzz-token-" + "x" * 20
EXAMPLES = 30  # per operation and generation mode; the whole file runs in under a minute
INGEST_EXAMPLES = 12  # each accepted article runs the full pipeline
# query parameters that name a stored thing: also tried with real ids, so the deep paths run too
ID_PARAMS = {"entity": "entity", "speaker": "entity", "near": "entity", "a": "entity", "b": "entity",
             "document": "document", "doc_id": "document", "entity_id": "entity", "fact_id": "fact"}


def _store(path: str, articles: list[Article]) -> str:
    store = open_store(path)
    try:
        report = build_texts(articles, store)
        assert report.stored == len(articles), report.messages
    finally:
        store.close()
    return path


def _ids(db: str) -> dict[str, list[str]]:
    store = open_store(db)
    try:
        qy = Query(store)
        ids = {
            "document": [d["id"] for d in qy.documents(MAX_LIMIT, 0).items],
            "entity": [e["id"] for e in qy.entities(limit=MAX_LIMIT, offset=0).items],
            "fact": [e["id"] for e in qy.events(limit=MAX_LIMIT, offset=0).items]
                    + [r["id"] for r in qy.relations(limit=MAX_LIMIT, offset=0).items],
        }
    finally:
        store.close()
    assert all(ids.values()), ids
    return ids


def check_error_shape(response) -> None:
    """Every 4xx/5xx answer is ``{"error": {"status": <the status>, "message": <text>}}``."""
    if response.status_code < 400:
        return
    body = response.json()
    assert isinstance(body, dict) and set(body) == {"error"}, body
    err = body["error"]
    assert isinstance(err, dict) and set(err) == {"status", "message"}, body
    assert err["status"] == response.status_code, body
    assert isinstance(err["message"], str) and err["message"], body


def _strategies(op, ids: dict[str, list[str]]):
    """(mode, strategy) pairs for one operation: schema-driven, plus real ids where a parameter names one."""
    has_input = bool(op.body) or any(True for _ in op.iter_parameters())
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        if mode is GenerationMode.NEGATIVE and not has_input:
            continue  # nothing to break: GET /api/summary takes no input
        yield mode.value, op.as_strategy(mode)
    path = {p.name: ID_PARAMS[p.name] for p in op.path_parameters if p.name in ID_PARAMS}
    query = {p.name: ID_PARAMS[p.name] for p in op.query if p.name in ID_PARAMS}
    if path or query:
        paths = st.fixed_dictionaries({k: st.sampled_from(ids[v]) for k, v in path.items()}) if path else st.none()
        # one real id at a time in the query (several at once would mostly find nothing)
        queries = (st.sampled_from(sorted(query)).flatmap(
            lambda k: st.sampled_from(ids[query[k]]).map(lambda i: {k: i})) if query else st.none())
        yield "real ids", st.tuples(paths, queries).flatmap(
            lambda pq: op.as_strategy(GenerationMode.POSITIVE, path_parameters=pq[0], query=pq[1]))


def _fuzz(schema, ids: dict[str, list[str]], examples: int, include=lambda op: True,
          headers: dict[str, str] | None = None) -> list[str]:
    """Run every operation of ``schema``; return the operations it ran (a failure raises, with the request)."""
    ran = []
    for result in schema.get_all_operations():
        op = result.ok()
        if not include(op):
            continue
        for mode, strategy in _strategies(op, ids):
            @given(case=strategy)
            @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            def run(case):
                response = case.call_and_validate(headers=headers, checks=[not_a_server_error])
                check_error_shape(response)

            try:
                run()
            except Unsatisfiable:
                if mode != "negative":
                    raise
                continue  # every input is valid (an unconstrained path string): nothing to break
            except Exception as exc:
                raise AssertionError(f"{op.label} ({mode}): {exc}") from exc
            ran.append(f"{op.label} ({mode})")
    return ran


@pytest.fixture(scope="module")
def read_only(tmp_path_factory):
    db = _store(str(tmp_path_factory.mktemp("fuzz") / "story.db"), ARTICLES)
    # schemathesis calls the app as "testserver": a name the server must be told (Host check)
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(db, allowed_hosts=["testserver"])), _ids(db)


@pytest.fixture(scope="module")
def ingest(tmp_path_factory):
    db = _store(str(tmp_path_factory.mktemp("fuzz-ingest") / "story.db"), ARTICLES[:1])
    app = create_app(db, allow_ingest=True, token=TOKEN, allowed_hosts=["testserver"])
    app.state.ingest.start(wait=300)  # the worker process loads its models before the first request
    return schemathesis.openapi.from_asgi("/openapi.json", app), _ids(db)


def test_read_only_api_has_no_server_error(read_only):
    schema, ids = read_only
    ran = _fuzz(schema, ids, EXAMPLES)
    labels = {r.split(" (")[0] for r in ran}
    # every operation of the description ran, POST /api/articles included (403 on a read-only server)
    assert {"GET /api/summary", "GET /api/entities/{entity_id}", "GET /api/search", "POST /api/articles"} <= labels
    assert len(labels) == sum(1 for _ in schema.get_all_operations())


def test_ingest_api_has_no_server_error(ingest):
    schema, ids = ingest
    ran = _fuzz(schema, ids, INGEST_EXAMPLES, include=lambda op: op.method.upper() == "POST",
                headers={"Authorization": f"Bearer {TOKEN}"})  # the ingest token: the articles reach the pipeline
    assert ran == ["POST /api/articles (positive)", "POST /api/articles (negative)"]
