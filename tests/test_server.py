"""The HTTP API (``dossier serve``) over a real store built by the real pipeline.

The articles are written for these tests (an OpenAI-bid-like story told in
French and in English, plus an article full of markup); nothing is mocked:
spaCy, the components, the linking pass and SQLite all run.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from dossier.build import build_texts  # noqa: E402
from dossier.model import Article  # noqa: E402
from dossier.query import MAX_LIMIT, Query, sentence_bounds  # noqa: E402
from dossier.server import MAX_BODY, create_app  # noqa: E402
from dossier.store import open_store  # noqa: E402
from conftest import story_at  # noqa: E402

HOSTILE = Path(__file__).parent / "fixtures" / "hostile.txt"

FR = Article(
    text=(
        "Elon Musk veut racheter OpenAI\n"
        "Paris, le 11 février 2025 — Elon Musk a proposé lundi de racheter OpenAI pour 97,4 milliards de dollars, "
        "à la tête d'un groupe d'investisseurs.\n"
        "Sam Altman, le directeur général d'OpenAI, a rejeté l'offre dès le lendemain. "
        "« OpenAI n'est pas à vendre », a déclaré Sam Altman lors du sommet sur l'intelligence artificielle à Paris.\n"
        "Elon Musk, cofondateur d'OpenAI, reproche à l'entreprise d'avoir abandonné sa mission d'origine.\n"
    ),
    source="Le Courrier d'exemple", published="2025-02-11", language="fr", url="https://example.org/fr/musk-openai",
)
EN = Article(
    text=(
        "Musk-led group offers $97.4 billion for OpenAI\n"
        "San Francisco, Feb. 10, 2025 — A group of investors led by Elon Musk offered $97.4 billion on Monday "
        "to take control of OpenAI, the maker of ChatGPT.\n"
        "\"OpenAI is not for sale,\" Sam Altman, the chief executive of OpenAI, told reporters in Paris.\n"
        "Microsoft, the largest investor in OpenAI, declined to comment on the offer.\n"
    ),
    source="The Example Herald", published="2025-02-10", language="en",
)
BASE = "http://localhost"
TOKEN = "test-token-" + "x" * 20
INJECTIONS = ["'; DROP TABLE documents; --", "\" OR 1=1 --", "%' OR '1'='1", "Musk') UNION SELECT * FROM meta --"]


# -- fixtures ------------------------------------------------------------------


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("serve") / "story.db")
    store = open_store(path)
    try:
        report = build_texts([FR, EN, Article(text=HOSTILE.read_text(encoding="utf-8"), source="Hostile Times",
                                              published="2025-02-12")], store)
        assert report.stored == 3, report.messages
    finally:
        store.close()
    return path


@pytest.fixture(scope="module")
def client(db) -> TestClient:
    with TestClient(create_app(db), base_url=BASE) as c:  # a Host the server answers (see test_security.py)
        yield c


@pytest.fixture(scope="module")
def data(db) -> dict:
    return story_at(db)


@pytest.fixture(scope="module")
def texts(data) -> dict[str, str]:
    return {d["id"]: d["text"] for d in data["documents"]}


def entity_named(client: TestClient, name: str) -> dict:
    page = client.get("/api/entities", params={"q": name, "limit": 200}).json()
    found = [e for e in page["items"] if e["name"] == name]
    assert found, f"{name} not among {[e['name'] for e in page['items']]}"
    return found[0]


def assert_page(body: dict, limit: int | None = None) -> None:
    assert set(body) == {"items", "total", "limit", "offset"}
    assert isinstance(body["items"], list) and isinstance(body["total"], int)
    assert len(body["items"]) <= body["limit"] <= MAX_LIMIT
    if limit is not None:
        assert body["limit"] == limit


def assert_error(resp, status: int) -> None:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "message"}
    assert body["error"]["status"] == status
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]


def assert_span(texts: dict[str, str], span: dict) -> None:
    assert texts[span["document"]][span["start"] : span["end"]] == span["text"]


def assert_passages(texts: dict[str, str], passages: list[dict]) -> None:
    """A passage is the document's own text, and every mark lies inside it."""
    for p in passages:
        text = texts[p["document"]]
        assert text[p["start"] : p["end"]] == p["text"]
        assert p["marks"], p
        for m in p["marks"]:
            assert p["start"] <= m["start"] <= m["end"] <= p["end"], (p, m)
        assert {"source", "published", "title"} <= set(p)


# -- the page, OpenAPI ---------------------------------------------------------


def test_openapi_describes_every_endpoint(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/documents", "/api/documents/{doc_id}", "/api/entities", "/api/entities/{entity_id}",
                 "/api/events", "/api/quotes", "/api/relations", "/api/stances", "/api/timeline", "/api/search",
                 "/api/graph", "/api/articles", "/api/amounts", "/api/together"):
        assert path in spec["paths"], path
    assert "post" in spec["paths"]["/api/articles"]
    assert "requestBody" in spec["paths"]["/api/articles"]["post"]


def test_page_is_served_with_a_content_security_policy(client):
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "object-src 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert 'data-testid="graph"' in r.text and 'data-testid="evidence"' in r.text
    assert '<script src="/static/app.js"' in r.text
    assert "http://" not in r.text and "https://" not in r.text  # no CDN, nothing from elsewhere
    js = client.get("/static/app.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    for sink in (".innerHTML", ".outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in js.text, sink
    assert client.get("/static/app.css").status_code == 200


def test_api_docs_come_from_this_server_under_a_strict_csp(client):
    r = client.get("/docs")
    assert r.status_code == 200 and "SwaggerUIBundle" in r.text
    assert "http://" not in r.text and "https://" not in r.text  # no CDN
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "unsafe" not in csp
    # the one inline script (Swagger UI's start-up) is allowed by its hash, and nothing else is
    inline = re.findall(r"<script>(.*?)</script>", r.text, re.S)
    assert len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    assert f"script-src 'self' 'sha256-{digest}';" in csp
    for src in re.findall(r'(?:src|href)="([^"]+)"', r.text):
        asset = client.get(src)
        assert asset.status_code == 200 and asset.headers["content-security-policy"].startswith("default-src 'self'"), src
    assert client.get("/redoc").status_code == 404
    assert client.get("/docs-assets/../server.py").status_code == 404


@pytest.mark.parametrize("path", [
    "/static/../server.py", "/static/%2e%2e/server.py", "/static/..%2fserver.py", "/static/%2e%2e%2f%2e%2e%2fstore.py",
    "/static//etc/passwd", "/static/..\\server.py", "/static/web/../../server.py", "/..%2f..%2fetc/passwd",
])
def test_no_path_traversal(client, path):
    r = client.get(path)
    assert r.status_code == 404, (path, r.status_code)
    assert "def create_app" not in r.text and "root:" not in r.text


def test_serve_command_is_registered():
    from typer.testing import CliRunner

    from dossier.cli import app

    out = CliRunner().invoke(app, ["serve", "--help"], env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})
    assert out.exit_code == 0, out.output
    for opt in ("--db", "--host", "--port", "--allow-ingest"):
        assert opt in out.output
    # a mistyped --db is not silently served as an empty story
    missing = CliRunner().invoke(app, ["serve", "--db", "no-such-story.db"])
    assert missing.exit_code == 2 and "no store" in missing.output
    assert not Path("no-such-story.db").exists()


# -- lists and pagination --------------------------------------------------------


def test_documents_paginate(client, texts):
    first = client.get("/api/documents", params={"limit": 2}).json()
    assert_page(first, 2)
    assert first["total"] == 3 and len(first["items"]) == 2
    rest = client.get("/api/documents", params={"limit": 2, "offset": 2}).json()
    assert rest["offset"] == 2 and len(rest["items"]) == 1
    ids = [d["id"] for d in first["items"] + rest["items"]]
    assert sorted(ids) == sorted(texts)
    assert all("text" not in d for d in first["items"])  # the list stays light
    assert [d["published"] for d in first["items"] + rest["items"]] == ["2025-02-10", "2025-02-11", "2025-02-12"]
    assert client.get("/api/documents", params={"offset": 10}).json()["items"] == []


def test_limit_is_bounded(client):
    assert client.get("/api/entities", params={"limit": 100000}).json()["limit"] == MAX_LIMIT
    assert_error(client.get("/api/entities", params={"limit": 0}), 422)
    assert_error(client.get("/api/entities", params={"offset": -1}), 422)
    assert_error(client.get("/api/documents", params={"limit": "many"}), 422)


def test_document_has_its_text_and_metadata(client, texts):
    page = client.get("/api/documents").json()
    fr = next(d for d in page["items"] if d["language"] == "fr")
    doc = client.get(f"/api/documents/{fr['id']}").json()
    assert doc["text"] == FR.text == texts[fr["id"]]
    assert doc["source"] == "Le Courrier d'exemple" and doc["published"] == "2025-02-11"
    assert doc["url"] == FR.url and doc["counts"]["mentions"] > 0
    assert_error(client.get("/api/documents/doc_0000"), 404)


def test_entities_search_by_name_alias_and_type(client, data):
    musk = entity_named(client, "Elon Musk")
    assert musk["type"] == "PERSON" and musk["salience"] >= 3
    for name in ("Sam Altman", "OpenAI"):
        entity_named(client, name)
    # a search on a short form finds the entity through its alias
    altman = client.get("/api/entities", params={"q": "altman"}).json()
    assert any(e["name"] == "Sam Altman" for e in altman["items"])
    people = client.get("/api/entities", params={"type": "PERSON", "limit": 200}).json()
    assert people["items"] and all(e["type"] == "PERSON" for e in people["items"])
    assert_error(client.get("/api/entities", params={"type": "DRAGON"}), 422)
    # the same entities, merged across articles, as the JSON export
    everything = client.get("/api/entities", params={"limit": 200}).json()
    assert everything["total"] == len(data["entities"])
    assert {e["id"]: e["salience"] for e in everything["items"]} == {e["id"]: e["salience"] for e in data["entities"]}
    sal = [e["salience"] for e in everything["items"]]
    assert sal == sorted(sal, reverse=True)


def test_entity_detail_with_evidence(client, texts):
    musk = entity_named(client, "Elon Musk")
    e = client.get(f"/api/entities/{musk['id']}", params={"limit": 5}).json()
    assert e["name"] == "Elon Musk" and e["id"] == musk["id"]
    for key in ("mentions", "events", "quotes", "relations", "stances", "amounts"):
        assert_page(e[key], 5)
    assert e["mentions"]["total"] == musk["salience"]
    for m in e["mentions"]["items"]:
        assert_span(texts, m)
        assert_passages(texts, m["passages"])
        assert "Musk" in m["text"]
    # the amount near Musk's mentions: the bid
    amounts = client.get(f"/api/amounts", params={"near": musk["id"], "limit": 200}).json()
    written = {a["text"] for a in amounts["items"]}
    assert {"97,4 milliards de dollars", "$97.4 billion"} & written, written
    for a in amounts["items"]:
        assert_span(texts, a)
        assert_passages(texts, a["passages"])
    more = client.get(f"/api/entities/{musk['id']}/mentions", params={"limit": 1, "offset": 1}).json()
    assert_page(more, 1)
    assert more["items"][0]["start"] == e["mentions"]["items"][1]["start"]
    assert_error(client.get("/api/entities/ent_missing"), 404)
    assert_error(client.get("/api/entities/ent_missing/mentions"), 404)


def test_events_and_timeline(client, data, texts):
    events = client.get("/api/events", params={"limit": 200}).json()
    assert_page(events)
    assert events["total"] == len(data["events"])  # one per happening, as in the export
    for ev in events["items"]:
        assert {"agent", "target", "place"} == set(ev["roles"])
        for span in ev["evidence"]:
            assert_span(texts, span)
        assert_passages(texts, ev["passages"])
    timeline = client.get("/api/timeline", params={"limit": 200}).json()
    assert_page(timeline)
    items = timeline["items"]
    assert sorted(e["id"] for e in items) == sorted(e["id"] for e in events["items"])
    flags = [e["dated"] for e in items]
    assert flags == sorted(flags, reverse=True), "events without a date of their own come last"
    dated = [e["date"] for e in items if e["dated"]]
    assert dated == sorted(dated)
    assert all(e["time"] is None or e["time"]["value"] is None for e in items if not e["dated"])
    # date filters
    after = client.get("/api/timeline", params={"since": "2025-02-11"}).json()
    assert all((e["date"] or "") >= "2025-02-11" for e in after["items"])
    before = client.get("/api/timeline", params={"until": "2025-02-10"}).json()
    assert all((e["date"] or "")[:10] <= "2025-02-10" for e in before["items"]), before["items"]
    assert_error(client.get("/api/timeline", params={"since": "yesterday"}), 422)
    assert_error(client.get("/api/events", params={"until": "2025-13-45x"}), 422)


def test_the_offer_if_the_events_component_finds_it(client, data):
    names = {e["id"]: e["name"] for e in data["entities"]}
    offers = [ev for ev in data["events"]
              if "Elon Musk" in {names.get(a) for a in ev["roles"]["agent"]}
              and "OpenAI" in {names.get(t) for t in ev["roles"]["target"]} and ev["roles"]["amount"]]
    if not offers:
        pytest.skip("the events component does not report Musk's offer for OpenAI (yet)")
    musk = entity_named(client, "Elon Musk")
    mine = client.get("/api/events", params={"entity": musk["id"], "limit": 200}).json()["items"]
    offer = next(ev for ev in mine if ev["id"] == offers[0]["id"])
    assert offer["amount"]["value"] == pytest.approx(97.4e9)
    assert [r["name"] for r in offer["roles"]["target"]] == ["OpenAI"]
    # the written amount is highlighted in the evidence sentence
    marked = {p["text"][m["start"] - p["start"]: m["end"] - p["start"]] for p in offer["passages"] for m in p["marks"]}
    assert {"97,4 milliards de dollars", "$97.4 billion"} & marked, marked
    fact = client.get(f"/api/facts/{offer['id']}").json()
    assert fact["kind"] == "event" and fact["id"] == offer["id"]
    graph = client.get("/api/graph").json()
    assert any(e["kind"] == "event" and e["source"] == musk["id"] and e["fact"] == offer["id"] for e in graph["edges"])


def test_quotes_relations_stances(client, data, texts):
    quotes = client.get("/api/quotes", params={"limit": 200}).json()
    assert_page(quotes)
    assert quotes["total"] == len(data["quotes"])
    for q in quotes["items"]:
        assert_span(texts, q)
        assert_passages(texts, q["passages"])
        if q["speaker"]:
            assert {"id", "name", "type"} == set(q["speaker"])
            only = client.get("/api/quotes", params={"speaker": q["speaker"]["id"]}).json()["items"]
            assert only and all(x["speaker"]["id"] == q["speaker"]["id"] for x in only)
    relations = client.get("/api/relations", params={"limit": 200}).json()
    assert_page(relations)
    assert relations["total"] == len(data["relations"])
    for r in relations["items"]:
        assert r["subject"]["name"] and r["predicate"] and r["object"]["name"]
        for span in r["evidence"]:
            assert_span(texts, span)
        one = client.get(f"/api/facts/{r['id']}").json()
        assert one["kind"] == "relation" and r["document"] in one["sources"]
    stances = client.get("/api/stances", params={"limit": 200}).json()
    assert_page(stances)
    assert stances["total"] == len(data["stances"])
    for s in stances["items"]:
        assert s["polarity"] in ("support", "oppose")
        assert_span(texts, s["evidence"])
    assert client.get("/api/quotes", params={"speaker": "ent_nobody"}).json()["total"] == 0
    assert_error(client.get("/api/facts/rel_nothing"), 404)
    assert_page(client.get("/api/contradictions").json())


# -- search ----------------------------------------------------------------------


def test_search_returns_snippets_with_offsets(client, texts):
    r = client.get("/api/search", params={"q": "OpenAI", "limit": 3}).json()
    assert_page(r, 3)
    total = sum(t.lower().count("openai") for t in texts.values())
    assert r["total"] == total and len(r["items"]) == 3
    for hit in r["items"]:
        assert texts[hit["document"]][hit["start"] : hit["end"]].lower() == "openai"
        assert_passages(texts, hit["passages"])
    page2 = client.get("/api/search", params={"q": "openai", "limit": 3, "offset": 3}).json()
    assert {(h["document"], h["start"]) for h in page2["items"]}.isdisjoint({(h["document"], h["start"]) for h in r["items"]})
    accents = client.get("/api/search", params={"q": "milliards de dollars"}).json()
    assert accents["total"] == 1 and accents["items"][0]["text"] == "milliards de dollars"


def test_search_wildcards_are_literal(client, texts):
    for q in ("%", "_", "\\", "%%", "_a_"):
        r = client.get("/api/search", params={"q": q}).json()
        assert r["total"] == sum(t.count(q) for t in texts.values()), q
        assert client.get("/api/entities", params={"q": q}).json()["total"] == 0


@pytest.mark.parametrize("q", INJECTIONS)
def test_injection_in_q_is_harmless(client, texts, q):
    for path in ("/api/search", "/api/entities"):
        r = client.get(path, params={"q": q})
        assert r.status_code == 200, r.text
        assert r.json()["total"] == (sum(t.lower().count(q.lower()) for t in texts.values()) if path == "/api/search" else 0)
    for path, key in (("/api/events", "entity"), ("/api/quotes", "speaker"), ("/api/amounts", "near"),
                      ("/api/relations", "entity"), ("/api/stances", "entity")):
        assert client.get(path, params={key: q}).json()["total"] == 0
    assert_error(client.get(f"/api/entities/{q}"), 404)
    assert client.get("/api/documents").json()["total"] == 3  # the tables are all still there


def test_search_validation(client):
    assert_error(client.get("/api/search"), 422)
    assert_error(client.get("/api/search", params={"q": ""}), 422)
    assert_error(client.get("/api/search", params={"q": "   "}), 422)
    assert_error(client.get("/api/search", params={"q": "x" * 201}), 422)


def test_hostile_markup_comes_back_as_json_data(client, texts):
    r = client.get("/api/search", params={"q": "<script>alert(1)</script>"})
    assert r.headers["content-type"].startswith("application/json")
    hits = r.json()["items"]
    assert hits and hits[0]["text"] == "<script>alert(1)</script>"
    docs = client.get("/api/documents").json()["items"]
    hostile = next(d for d in docs if d["source"] == "Hostile Times")
    assert hostile["title"].startswith("Board rejects <script>alert(1)</script>")
    assert "<img src=x onerror=alert(1)>" in client.get(f"/api/documents/{hostile['id']}").json()["text"]


# -- graph -----------------------------------------------------------------------


def test_graph_nodes_and_labelled_edges(client, data):
    g = client.get("/api/graph", params={"limit": 200}).json()
    ids = {n["id"] for n in g["nodes"]}
    assert len(ids) == len(g["nodes"]) == min(200, len(data["entities"]))
    assert {"Elon Musk", "Sam Altman", "OpenAI"} <= {n["name"] for n in g["nodes"]}
    for n in g["nodes"]:
        assert n["type"] in ("PERSON", "ORG", "LOC", "PRODUCT", "EVENT") and n["salience"] >= 0
    assert g["edges"], "the actors are at least mentioned together"
    for e in g["edges"]:
        assert e["source"] in ids and e["target"] in ids and e["source"] != e["target"]
        assert e["kind"] in ("relation", "event", "together")
        if e["kind"] != "together":
            assert e["label"] and e["fact"]
    assert len({e["id"] for e in g["edges"]}) == len(g["edges"])
    facts = [e for e in g["edges"] if e["kind"] != "together"]
    assert len(facts) >= min(1, len(data["relations"]) + len(data["events"]))
    small = client.get("/api/graph", params={"limit": 2}).json()
    assert len(small["nodes"]) == 2 and small["total_nodes"] == len(data["entities"])
    assert client.get("/api/graph", params={"together": "false"}).json()["edges"] == [
        e for e in client.get("/api/graph").json()["edges"] if e["kind"] != "together"]


def test_together_passages(client, texts):
    musk, openai = entity_named(client, "Elon Musk"), entity_named(client, "OpenAI")
    page = client.get("/api/together", params={"a": musk["id"], "b": openai["id"]}).json()
    assert_page(page)
    assert page["total"] >= 1
    for it in page["items"]:
        for span in it["mentions"]:
            assert_span(texts, span)
        assert_passages(texts, it["passages"])


# -- errors, read-only, ingest -------------------------------------------------------


def test_every_error_has_one_shape(client):
    assert_error(client.get("/api/nothing-here"), 404)
    assert_error(client.get("/nothing-here"), 404)
    assert_error(client.post("/api/documents"), 405)
    assert_error(client.delete("/api/entities"), 405)
    assert_error(client.put("/api/articles", json={"text": "x"}), 405)
    assert_error(client.get("/api/graph", params={"limit": -3}), 422)


def test_read_only_by_default(client):
    before = client.get("/api/documents").json()["total"]
    assert_error(client.post("/api/articles", json={"text": "Elon Musk a proposé de racheter OpenAI."}), 403)
    assert client.get("/api/documents").json()["total"] == before


@pytest.fixture(scope="module")
def ingest_client(tmp_path_factory) -> TestClient:
    db = str(tmp_path_factory.mktemp("ingest") / "ingest.db")
    with TestClient(create_app(db, allow_ingest=True, token=TOKEN), base_url=BASE,
                    headers={"Authorization": f"Bearer {TOKEN}"}) as c:
        yield c


def test_ingest_builds_the_article(ingest_client):
    c = ingest_client
    body = {"text": EN.text, "title": "Musk-led group offers $97.4 billion for OpenAI", "source": "Wire",
            "published": "2025-02-10", "language": "en", "url": "https://example.org/en/1"}
    r = c.post("/api/articles", json=body)
    assert r.status_code == 201, r.text
    doc_id = r.json()["id"]
    assert r.json()["stored"] == 1
    doc = c.get(f"/api/documents/{doc_id}").json()
    assert doc["text"] == EN.text and doc["source"] == "Wire" and doc["published"] == "2025-02-10"
    assert entity_named(c, "Elon Musk")
    again = c.post("/api/articles", json=body)
    assert again.status_code == 200 and again.json() == {"id": doc_id, "stored": 0, "unchanged": 1}
    assert c.get("/api/documents").json()["total"] == 1


def test_ingest_bounds_and_validation(ingest_client):
    c = ingest_client
    big = json.dumps({"text": "a" * (MAX_BODY + 10)})
    assert_error(c.post("/api/articles", content=big, headers={"content-type": "application/json"}), 413)

    def chunks():  # no Content-Length: the server counts what it reads
        for _ in range(MAX_BODY // 65536 + 2):
            yield b"a" * 65536

    assert_error(c.post("/api/articles", content=chunks(), headers={"content-type": "application/json"}), 413)
    assert_error(c.post("/api/articles", content=b"{not json", headers={"content-type": "application/json"}), 422)
    assert_error(c.post("/api/articles", json={"title": "no text"}), 422)
    assert_error(c.post("/api/articles", json={"text": "   "}), 422)
    assert_error(c.post("/api/articles", json={"text": "Hallo Welt", "language": "de"}), 422)
    assert_error(c.post("/api/articles", json={"text": "x", "published": "tomorrow"}), 422)
    assert_error(c.post("/api/articles", json={"text": "x", "path": "/etc/passwd"}), 422)  # no such field
    assert_error(c.post("/api/articles", json=["text"]), 422)


# -- the read API itself: offsets and sentences ---------------------------------------


def test_sentence_bounds():
    text = "Titre\nPremière phrase. Elon Musk a proposé 97,4 milliards de dollars. Fin ici.\nAutre ligne."
    start = text.index("97,4")
    s, e, cs, ce = sentence_bounds(text, start, start + 4)
    assert text[s:e] == "Elon Musk a proposé 97,4 milliards de dollars."
    assert not cs and not ce
    s, e, _, _ = sentence_bounds(text, 0, 5)
    assert text[s:e] == "Titre"
    long = "mot " * 400 + "cible " + "mot " * 400
    i = long.index("cible")
    s, e, cs, ce = sentence_bounds(long, i, i + 5)
    assert cs and ce and s < i < e and e - s < 700


@pytest.fixture(scope="module")
def pg_url(pg_server):
    url = pg_server.new_database()
    yield url
    pg_server.drop_database(url)


def test_the_same_answers_on_postgresql(pg_url, db):
    """The read API is backend-neutral SQL: PostgreSQL answers as SQLite does."""
    pg = open_store(pg_url)
    lite = open_store(db)
    try:
        build_texts([FR, EN, Article(text=HOSTILE.read_text(encoding="utf-8"), source="Hostile Times",
                                     published="2025-02-12")], pg)
        a, b = Query(lite), Query(pg)

        def same(x, y):
            assert json.dumps(x, sort_keys=True, default=str) == json.dumps(y, sort_keys=True, default=str)

        same(a.entities(limit=200).to_json(), b.entities(limit=200).to_json())
        same(a.entities(q="musk").to_json(), b.entities(q="musk").to_json())
        same(a.search("milliards").to_json(), b.search("milliards").to_json())
        same(a.search("%").to_json(), b.search("%").to_json())
        musk = a.entities(q="Elon Musk").items[0]["id"]
        same(a.entity(musk, 50), b.entity(musk, 50))
        same(a.timeline(limit=200).to_json()["total"], b.timeline(limit=200).to_json()["total"])
        same(sorted(e["id"] for e in a.timeline(limit=200).items), sorted(e["id"] for e in b.timeline(limit=200).items))
        same(a.quotes(limit=200).total, b.quotes(limit=200).total)
        same(a.relations(limit=200).total, b.relations(limit=200).total)
        same(a.stances(limit=200).total, b.stances(limit=200).total)
        same(a.amounts(limit=200).to_json(), b.amounts(limit=200).to_json())
        ga, gb = a.graph(), b.graph()
        same(ga["nodes"], gb["nodes"])
        same(sorted(e["id"] for e in ga["edges"]), sorted(e["id"] for e in gb["edges"]))
        openai = a.entities(q="OpenAI").items[0]["id"]
        same(a.together(musk, openai).total, b.together(musk, openai).total)
        same(a.summary(), b.summary())
    finally:
        pg.close()
        lite.close()
