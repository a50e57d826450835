"""``dossier serve`` against the attacks of the security review (issue 20), over real HTTP.

Each test starts a real uvicorn server (in a thread, on a free port of
127.0.0.1) on a real store built by the real pipeline from ``examples/``; with
``--allow-ingest`` its worker process loads the real spaCy models and
analyses the articles POSTed. Nothing is mocked.

- CSRF: a page of another site can send ``text/plain`` or a form without a
  CORS preflight; ingest takes only ``application/json`` from no other origin,
  with the token printed at start.
- DNS rebinding: a ``Host`` the server was not started for gets a 400, reads
  included.
- Denial of service: however long an article's analysis takes (and however
  many are POSTed), reads are answered within 2 s; the queue is bounded (503
  with Retry-After) and an analysis over its time budget is stopped.
- Binding another address than loopback prints a warning.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

httpx = pytest.importorskip("httpx")
uvicorn = pytest.importorskip("uvicorn", reason="pip install 'dossier[web]'")

from dossier.build import build  # noqa: E402
from dossier.server import INGEST_WAITING, create_app  # noqa: E402
from dossier.store import open_store  # noqa: E402
from conftest import ROOT  # noqa: E402

TOKEN = "security-test-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ARTICLE = ("Airbus signs a contract with Lufthansa\n"
           "Toulouse, March 4, 2025 — Airbus signed a contract worth $2.5 billion with Lufthansa on Tuesday, "
           "said Guillaume Faury, the chief executive of Airbus.\n")
# "Whatever is slow now": long prose with runs of brackets, about 100 KB. Its
# analysis takes seconds even once spaCy's punctuation runs are bounded (the
# length alone: ~7 s here), and took a minute before.
SLOW = "".join(f"Paragraph {i}: the minister said on Monday that the plan ({'(' * 200} would go ahead, "
               f"and Elon Musk offered $97.4 billion for OpenAI in San Francisco.\n" for i in range(300))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def story(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("security") / "story.db"
    store = open_store(path)
    try:
        report = build([ROOT / "examples"], store)
        assert report.stored >= 5, report.messages
    finally:
        store.close()
    return path


def copy_of(story: Path, tmp_path: Path) -> str:
    path = tmp_path / f"story-{time.monotonic_ns()}.db"
    shutil.copy(story, path)
    return str(path)


@contextmanager
def serving(db: str, **options):
    """A real server on 127.0.0.1:<free port>; with ingest, its worker has loaded its models."""
    app = create_app(db, **options)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           timeout_graceful_shutdown=2))
    thread = threading.Thread(target=server.run, name="dossier-security-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the uvicorn server did not start")
        time.sleep(0.05)
    if app.state.ingest is not None:
        assert app.state.ingest.start(wait=300), "the ingest worker did not start"
    try:
        yield f"http://127.0.0.1:{port}", port
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def assert_error(r, status: int) -> None:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and body["error"]["status"] == status and body["error"]["message"]


def total(base: str) -> int:
    return httpx.get(base + "/api/documents", params={"limit": 1}).json()["total"]


@pytest.fixture(scope="module")
def ingest_server(story, tmp_path_factory):
    with serving(copy_of(story, tmp_path_factory.mktemp("ingest")), allow_ingest=True, token=TOKEN) as (base, port):
        yield base, port


# -- CSRF ---------------------------------------------------------------------------


def test_a_cross_origin_text_plain_post_is_refused(ingest_server):
    base, port = ingest_server
    before = total(base)
    body = '{"text": "Elon Musk offered $97.4 billion for OpenAI on Monday."}'
    # what a page of evil.example sends with fetch(..., {mode: "no-cors"}): no preflight, no token
    r = httpx.post(base + "/api/articles", content=body,
                   headers={"Content-Type": "text/plain;charset=UTF-8", "Origin": "http://evil.example"})
    assert r.status_code in (401, 403, 415), r.text
    assert_error(r, r.status_code)
    # each rule alone refuses it: another origin, even with the token and JSON...
    assert_error(httpx.post(base + "/api/articles", content=body, headers={
        "Content-Type": "application/json", "Origin": "http://evil.example", **AUTH}), 403)
    assert_error(httpx.post(base + "/api/articles", content=body, headers={
        "Content-Type": "application/json", "Origin": "null", **AUTH}), 403)  # a sandboxed or no-referrer page
    assert_error(httpx.post(base + "/api/articles", content=body, headers={
        "Content-Type": "application/json", "Referer": "http://evil.example/page", **AUTH}), 403)
    # ... text/plain, even from this origin with the token
    assert_error(httpx.post(base + "/api/articles", content=body, headers={
        "Content-Type": "text/plain", "Origin": f"http://127.0.0.1:{port}", **AUTH}), 415)
    assert total(base) == before


def test_a_form_post_is_refused(ingest_server):
    base, port = ingest_server
    before = total(base)
    text = "Elon Musk offered $97.4 billion for OpenAI on Monday."
    r = httpx.post(base + "/api/articles", data={"text": text}, headers={"Origin": "http://evil.example"})
    assert r.status_code in (401, 403, 415), r.text
    # a JSON body declared as a form (what `curl --data` sends, and what the review got stored)
    body = '{"text": "%s"}' % text
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    r = httpx.post(base + "/api/articles", content=body, headers=form)
    assert r.status_code in (401, 403, 415), r.text
    assert_error(httpx.post(base + "/api/articles", content=body, headers={**form, **AUTH}), 415)
    # a form from this very origin, with the token, is still not JSON
    assert_error(httpx.post(base + "/api/articles", data={"text": text}, headers=AUTH), 415)
    assert_error(httpx.post(base + "/api/articles", files={"text": ("a.txt", text.encode())}, headers=AUTH), 415)
    assert total(base) == before


def test_ingest_needs_the_token(ingest_server):
    base, port = ingest_server
    before = total(base)
    summary = httpx.get(base + "/api/summary").json()  # kept by the server until the store changes
    body = {"text": ARTICLE, "source": "Wire", "published": "2025-03-04"}
    for headers in ({}, {"Authorization": "Bearer wrong-token-0123456789"}, {"X-Dossier-Token": TOKEN[:-1]},
                    {"Authorization": f"Basic {TOKEN}"}):
        r = httpx.post(base + "/api/articles", json=body, headers=headers)
        assert_error(r, 401)
        assert r.headers["www-authenticate"] == "Bearer"
    assert total(base) == before
    # with the token (and the Origin a browser sends from this page): stored, then readable
    r = httpx.post(base + "/api/articles", json=body, headers={**AUTH, "Origin": f"http://127.0.0.1:{port}"},
                   timeout=120)
    assert r.status_code == 201, r.text
    doc = httpx.get(base + f"/api/documents/{r.json()['id']}")
    assert doc.status_code == 200 and doc.json()["text"] == ARTICLE and doc.json()["source"] == "Wire"
    assert total(base) == before + 1
    after = httpx.get(base + "/api/summary").json()
    assert after["counts"]["documents"] == summary["counts"]["documents"] + 1  # not a stale kept answer
    # the other header, as scripts may send it
    again = httpx.post(base + "/api/articles", json=body, headers={"X-Dossier-Token": TOKEN}, timeout=120)
    assert again.status_code == 200 and again.json()["unchanged"] == 1


# -- DNS rebinding --------------------------------------------------------------------


def test_a_foreign_host_is_refused_read_only_too(story, ingest_server):
    with serving(str(story)) as (base, port):
        for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1.evil.example:{port}", "", "[::1"):
            assert_error(httpx.get(base + "/api/documents", headers={"Host": host}), 400)
            assert_error(httpx.get(base + "/", headers={"Host": host}), 400)
        for host in (f"127.0.0.1:{port}", "localhost", f"LOCALHOST:{port}", f"[::1]:{port}"):
            assert httpx.get(base + "/api/documents", headers={"Host": host}).status_code == 200, host
    base, port = ingest_server
    before = total(base)
    r = httpx.post(base + "/api/articles", json={"text": ARTICLE + " Rebound."},
                   headers={"Host": f"evil.example:{port}", **AUTH})
    assert_error(r, 400)
    assert_error(httpx.get(base + "/api/summary", headers={"Host": f"evil.example:{port}"}), 400)
    assert total(base) == before


def test_allowed_hosts_are_answered(story):
    with serving(str(story), host="127.0.0.1", allowed_hosts=["dossier.lan", "Story.Example:8080"]) as (base, port):
        for host in (f"dossier.lan:{port}", "story.example", "dossier.lan"):
            assert httpx.get(base + "/api/summary", headers={"Host": host}).status_code == 200, host
        assert_error(httpx.get(base + "/api/summary", headers={"Host": "other.lan"}), 400)


# -- denial of service --------------------------------------------------------------


def _post(base: str, body: dict, out: list, timeout: float = 120) -> None:
    try:
        r = httpx.post(base + "/api/articles", json=body, headers=AUTH, timeout=timeout)
        out.append((r.status_code, r.headers.get("retry-after"), r.json() if r.content.startswith(b"{") else r.text))
    except httpx.HTTPError as exc:  # the server stopped at the end of the test
        out.append((None, None, repr(exc)))


def test_a_slow_ingest_does_not_delay_reads(story, tmp_path):
    """The review's two attacks at once: one pathological article, then 44 small ones at the same
    time; reads (each a new answer, not one kept) all come within 2 s meanwhile."""
    with serving(copy_of(story, tmp_path), allow_ingest=True, token=TOKEN, ingest_timeout=15) as (base, port):
        slow: list = []
        first = threading.Thread(target=_post, args=(base, {"text": SLOW}, slow))
        first.start()
        time.sleep(0.5)
        flood: list = []
        others = [threading.Thread(target=_post, args=(base, {"text": f"{ARTICLE} Note {i}."}, flood))
                  for i in range(44)]
        for t in others:
            t.start()
        time.sleep(0.5)
        latencies = []
        started = time.monotonic()
        with httpx.Client(base_url=base, timeout=60) as client:
            while first.is_alive() and time.monotonic() - started < 12:
                t0 = time.monotonic()
                r = client.get("/api/entities", params={"limit": 1 + len(latencies) % 150})  # never a kept answer
                latencies.append(time.monotonic() - t0)
                assert r.status_code == 200
                time.sleep(0.1)
        assert first.is_alive() or slow[0][0] in (201, 422), slow  # the slow article was analysed meanwhile
        print(f"{len(latencies)} reads while ingesting, slowest {max(latencies):.2f} s; "
              f"answers to the flood: {sorted(str(f[0]) for f in flood)}")
        assert len(latencies) >= 5, latencies
        assert max(latencies) < 2.0, f"a read took {max(latencies):.1f} s while ingesting: {latencies}"
    for t in [first, *others]:
        t.join(timeout=30)


def test_a_full_queue_gives_503_and_a_slow_analysis_is_stopped(story, tmp_path):
    with serving(copy_of(story, tmp_path), allow_ingest=True, token=TOKEN, ingest_timeout=3) as (base, port):
        before = total(base)
        slow: list = []
        first = threading.Thread(target=_post, args=(base, {"text": SLOW}, slow))
        first.start()
        time.sleep(1)  # the worker has it
        waiting: list = []
        others = [threading.Thread(target=_post, args=(base, {"text": f"{ARTICLE} Item {i}."}, waiting))
                  for i in range(INGEST_WAITING + 4)]
        for t in others:
            t.start()
        for t in [first, *others]:
            t.join(timeout=240)
        busy = [w for w in waiting if w[0] == 503]
        assert len(busy) >= 3, waiting
        for status, retry, body in busy:
            assert retry and int(retry) > 0
            assert body["error"]["status"] == 503 and "waiting" in body["error"]["message"]
        # the slow article used up its 3 s and was stopped; the worker came back for the next ones
        assert slow[0][0] == 422, slow
        assert "took longer than 3 s" in slow[0][2]["error"]["message"]
        stored = [w for w in waiting if w[0] == 201]
        assert len(stored) == len(waiting) - len(busy), waiting
        assert total(base) == before + len(stored)


# -- the command line: warning, token -----------------------------------------------


def _lines(stream, out: queue.Queue) -> None:
    for line in stream:
        out.put(line)


def test_serve_on_every_address_warns_and_prints_a_working_token(story, tmp_path):
    db = copy_of(story, tmp_path)
    env = {**os.environ, "COLUMNS": "300"}
    env.pop("DOSSIER_TOKEN", None)
    server = subprocess.Popen([sys.executable, "-m", "dossier.cli", "serve", "--db", db, "--host", "0.0.0.0",
                               "--port", "0", "--allow-ingest"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True, env=env)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_lines, args=(server.stderr, lines), daemon=True).start()
    seen = []
    try:
        deadline = time.monotonic() + 120
        while not any("ingest token:" in s for s in seen):
            assert time.monotonic() < deadline, seen
            seen.append(lines.get(timeout=120))
        text = "".join(seen)
        assert "warning: listening on 0.0.0.0, reachable from other machines" in text
        assert "warning: --allow-ingest on an address other machines reach" in text
        port = int(re.search(r"serving \S+ on http://127\.0\.0\.1:(\d+)/", text).group(1))
        token = re.search(r"ingest token: (\S+)", text).group(1)
        assert len(token) >= 32
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/api/summary")
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert_error(httpx.post(base + "/api/articles", json={"text": ARTICLE}), 401)
        r = httpx.post(base + "/api/articles", json={"text": ARTICLE}, headers={"Authorization": f"Bearer {token}"},
                       timeout=300)
        assert r.status_code == 201, r.text
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_on_loopback_does_not_warn_and_refuses_a_short_token(story, tmp_path):
    env = {**os.environ, "COLUMNS": "300", "DOSSIER_TOKEN": "short"}
    r = subprocess.run([sys.executable, "-m", "dossier.cli", "serve", "--db", str(story), "--port", "0",
                        "--allow-ingest"], capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 2
    assert "the ingest token must be at least 16 characters long" in r.stderr
    assert "warning" not in r.stderr
