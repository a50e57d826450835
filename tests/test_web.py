"""The story page in a real browser: Debian's Chromium, driven by Playwright,
against a real uvicorn server over a store built by the real pipeline from the
seed article, the examples and an article full of hostile markup.

No browser is downloaded: the test drives ``/usr/bin/chromium`` (CI installs
Debian's ``chromium`` package) and is skipped when it is absent.

The screenshots land in ``tests/artifacts/``; ``DOSSIER_SCREENSHOTS=docs`` also
writes the README's pictures, ``docs/web.png`` (1400 px) and ``docs/web-phone.png``
(390 px):

    DOSSIER_SCREENSHOTS=docs .venv/bin/python -m pytest tests/test_web.py -k "elon or phone"
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT, shared_or_skip, story_at

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
HOSTILE = Path(__file__).parent / "fixtures" / "hostile.txt"
ARTIFACTS = Path(__file__).parent / "artifacts"
PHONE = {"width": 390, "height": 844}

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is absent: apt-get install chromium (the web test drives Debian's Chromium, "
                "it never downloads a browser)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (the Python package only)")
sync_api.expect.set_options(timeout=15_000)  # a loaded CI machine is slow; a broken page still fails
uvicorn = pytest.importorskip("uvicorn", reason="pip install 'dossier[web]'")

from dossier.build import build  # noqa: E402
from dossier.server import create_app  # noqa: E402
from dossier.store import open_store  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    seed = shared_or_skip("corpus", "openai-bid-fr.txt")
    paths = [str(seed), str(HOSTILE)]
    if (ROOT / "examples").is_dir():
        paths.append(str(ROOT / "examples"))
    path = str(tmp_path_factory.mktemp("web") / "story.db")
    store = open_store(path)
    try:
        report = build(paths, store)
        assert report.stored >= 2, report.messages
    finally:
        store.close()
    return path


@pytest.fixture(scope="module")
def data(db) -> dict:
    return story_at(db)


@pytest.fixture(scope="module")
def base_url(db):
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, name="dossier-web-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the uvicorn server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


class Watch:
    """Everything the page reports that a clean page never does."""

    def __init__(self, page) -> None:
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)

        def dialog(d) -> None:
            self.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, device_scale_factor=1)
    pg = context.new_page()
    pg.watch = Watch(pg)
    pg.goto(base_url + "/")
    pg.wait_for_selector("body[data-ready=true]", timeout=30000)
    yield pg
    assert pg.watch.dialogs == [], "a dialog opened: some markup ran"
    assert pg.watch.errors == []
    assert pg.evaluate("typeof window.__xss") == "undefined"
    context.close()


def node(page, name: str):
    return page.locator(f'#graph [data-testid="node"][data-name="{name}"]')


def evidence(page):
    return page.get_by_test_id("evidence")


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / ".gitignore").write_text("*\n", encoding="utf-8")  # screenshots are never committed by accident
    page.screenshot(path=str(ARTIFACTS / name))
    if os.environ.get("DOSSIER_SCREENSHOTS") == "docs":  # the README's pictures, retaken on request only
        shutil.copyfile(ARTIFACTS / name, ROOT / "docs" / name)


def overlap(a: dict, b: dict) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


# -- tests ---------------------------------------------------------------------


def test_the_actors_are_on_the_page(page):
    for name in ("Elon Musk", "Sam Altman", "OpenAI"):
        sync_api.expect(node(page, name)).to_be_visible()
        sync_api.expect(page.locator(f'[data-testid="actor"][data-name="{name}"]')).to_be_visible()
    assert node(page, "Elon Musk").get_attribute("data-type") == "PERSON"
    assert node(page, "OpenAI").get_attribute("data-type") == "ORG"
    # bigger circles for actors mentioned more often, a colour per type, and a legend of the types
    r = {n: float(node(page, n).locator("circle").get_attribute("r")) for n in ("Elon Musk", "OpenAI")}
    assert all(v > 8 for v in r.values())
    fills = {n: node(page, n).locator("circle").evaluate("c => getComputedStyle(c).fill") for n in ("Elon Musk", "OpenAI")}
    assert fills["Elon Musk"] != fills["OpenAI"]
    sync_api.expect(page.get_by_test_id("type-toggle-PERSON")).to_be_checked()
    sync_api.expect(page.get_by_test_id("summary")).to_contain_text("articles")
    assert page.locator("#graph [data-testid=edge]").count() > 0
    sync_api.expect(page.get_by_test_id("documents").locator("[data-testid=document]").first).to_be_visible()


def test_clicking_elon_musk_shows_the_offer_with_its_source_sentence(page, data):
    node(page, "Elon Musk").click()
    panel = evidence(page)
    sync_api.expect(page.get_by_test_id("evidence-title")).to_have_text("Elon Musk")
    sync_api.expect(page.get_by_test_id("evidence-kind")).to_have_text("Actor")
    # the entity's mentions, each in its sentence with the name highlighted
    mentions = panel.locator('[data-section="mentions"]')
    sync_api.expect(mentions.locator("mark").first).to_be_visible()
    written = {m["text"] for e in data["entities"] if e["name"] == "Elon Musk" for m in e["mentions"]}
    assert set(mentions.locator("mark").all_inner_texts()) <= written
    # the amount of the offer, highlighted in the article's own sentence, with outlet and date
    offer = panel.locator("mark", has_text=re.compile(r"^97,4 milliards de dollars$")).first
    sync_api.expect(offer).to_be_visible()
    passage = offer.locator("xpath=ancestor::figure[1]")
    sentence = passage.locator("blockquote").inner_text()
    seed = shared_or_skip("corpus", "openai-bid-fr.txt").read_text(encoding="utf-8")
    assert sentence.strip("… ") in seed and "97,4 milliards de dollars" in sentence
    caption = offer.locator("xpath=ancestor::*[figcaption][1]/figcaption").first
    sync_api.expect(caption.get_by_test_id("outlet")).to_have_text("openai-bid-fr.txt")
    sync_api.expect(caption.get_by_test_id("date")).to_have_text("undated")
    # the offer event, when the events component reports it
    names = {e["id"]: e["name"] for e in data["entities"]}
    offers = [ev for ev in data["events"] if "Elon Musk" in {names.get(a) for a in ev["roles"]["agent"]}
              and "OpenAI" in {names.get(t) for t in ev["roles"]["target"]}
              and (ev["roles"]["amount"] or {}).get("value") == pytest.approx(97.4e9)]
    if offers:
        events = panel.locator('[data-section="events"]')
        sync_api.expect(events).to_contain_text("OpenAI")
        sync_api.expect(events.locator("mark", has_text=re.compile(r"97,4 milliards de dollars|\$97\.4 billion")).first
                        ).to_be_visible()
    offer.scroll_into_view_if_needed()
    screenshot(page, "web.png")


def test_search_finds_words_and_actors(page):
    page.get_by_test_id("search-input").fill("consortium")
    page.get_by_test_id("search-button").click()
    results = page.get_by_test_id("search-results")
    sync_api.expect(results).to_be_visible()
    hits = results.locator("[data-testid=search-hit]")
    sync_api.expect(hits.first).to_be_visible()
    sync_api.expect(hits.first.locator("mark")).to_have_text(re.compile("^consortium$", re.I))
    hits.first.click()
    sync_api.expect(page.get_by_test_id("evidence-kind")).to_have_text("Article")
    sync_api.expect(evidence(page).get_by_test_id("document-text").locator("mark")).to_have_text(
        re.compile("^consortium$", re.I))
    # an actor search: chips, and the graph dims the other actors
    page.get_by_test_id("search-input").fill("Altman")
    page.get_by_test_id("search-input").press("Enter")
    chip = results.locator("[data-testid=search-entity]", has_text="Sam Altman")
    sync_api.expect(chip).to_be_visible()
    sync_api.expect(node(page, "OpenAI")).to_have_class(re.compile(r"\bdimmed\b"))
    sync_api.expect(node(page, "Sam Altman")).not_to_have_class(re.compile(r"\bdimmed\b"))
    chip.click()
    sync_api.expect(page.get_by_test_id("evidence-title")).to_have_text("Sam Altman")
    page.get_by_test_id("search-clear").click()
    sync_api.expect(results).to_be_hidden()


def test_hostile_markup_is_shown_as_text_and_runs_nothing(page):
    title = "Board rejects <script>alert(1)</script> takeover bid for Example Robotics"
    doc = page.get_by_test_id("documents").locator("[data-testid=document]", has_text=title)
    sync_api.expect(doc).to_be_visible()
    doc.click()
    text = evidence(page).get_by_test_id("document-text")
    sync_api.expect(text).to_contain_text("<img src=x onerror=alert(1)>")
    sync_api.expect(text).to_contain_text("<script>window.__xss = 1</script>")
    page.get_by_test_id("search-input").fill("onerror")
    page.get_by_test_id("search-button").click()
    hit = page.get_by_test_id("search-results").locator("[data-testid=search-hit]").first
    sync_api.expect(hit).to_contain_text("<img src=x onerror")
    assert page.locator("img").count() == 0
    assert page.locator("[onerror], [onmouseover], [onclick], [onload]").count() == 0
    assert page.evaluate("Array.from(document.scripts).map(s => s.getAttribute('src'))") == ["/static/app.js"]
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("b").count() == 0


def test_type_and_date_filters(page, data):
    sync_api.expect(node(page, "Elon Musk")).to_be_visible()
    page.get_by_test_id("type-toggle-PERSON").uncheck()
    sync_api.expect(node(page, "Elon Musk")).to_be_hidden()
    sync_api.expect(node(page, "OpenAI")).to_be_visible()
    sync_api.expect(page.locator('[data-testid="actor"][data-name="Sam Altman"]')).to_be_hidden()
    page.get_by_test_id("type-toggle-PERSON").check()
    sync_api.expect(node(page, "Elon Musk")).to_be_visible()
    dated = sorted(d["published"] for d in data["documents"] if d["published"])
    if not dated:
        pytest.skip("no article has a publication date")
    since = dated[-1]
    page.get_by_test_id("date-since").fill(since)
    page.get_by_test_id("date-apply").click()
    page.wait_for_selector("body[data-ready=true]:not([data-busy])")
    docs = page.get_by_test_id("documents").locator("[data-testid=document]")
    sync_api.expect(docs).to_have_count(sum(1 for d in data["documents"] if (d["published"] or "") >= since))
    for item in page.get_by_test_id("timeline").locator("[data-testid=timeline-item]").all():
        assert (item.locator(".when").inner_text() >= since) or item.get_attribute("data-dated") == "false"
    page.get_by_test_id("date-reset").click()
    page.wait_for_selector("body[data-ready=true]:not([data-busy])")
    sync_api.expect(docs).to_have_count(len(data["documents"]))
    page.get_by_test_id("date-since").fill("soon")
    page.get_by_test_id("date-apply").click()
    sync_api.expect(page.get_by_test_id("error")).to_be_visible()
    page.watch.errors.clear()


def test_timeline_quotes_amounts_and_edges_open_their_evidence(page, data):
    clicked = 0
    for testid in ("timeline-item", "quote", "amount"):
        items = page.locator(f"[data-testid={testid}]")
        if items.count() == 0:
            continue
        items.first.click()
        marks = evidence(page).locator("[data-testid=passage] mark")
        sync_api.expect(marks.first).to_be_visible()
        clicked += 1
    assert clicked >= 1 or not (data["events"] or data["quotes"] or data["amounts"])
    edge = page.locator("#graph [data-testid=edge]").first
    edge.dispatch_event("click")
    sync_api.expect(evidence(page).locator("[data-testid=passage] mark").first).to_be_visible()
    # the graph is usable from the keyboard
    node(page, "OpenAI").focus()
    page.keyboard.press("Enter")
    sync_api.expect(page.get_by_test_id("evidence-title")).to_have_text("OpenAI")


def test_the_page_loads_nothing_from_elsewhere(browser, base_url):
    context = browser.new_context()
    pg = context.new_page()
    urls: list[str] = []
    pg.on("request", lambda r: urls.append(r.url))
    response = pg.goto(base_url + "/")
    pg.wait_for_selector("body[data-ready=true]")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert urls and all(u.startswith(base_url) for u in urls), [u for u in urls if not u.startswith(base_url)]
    context.close()


@pytest.mark.parametrize("width", [PHONE["width"], 1000])
def test_the_page_works_on_a_phone_and_a_tablet(browser, base_url, width):
    context = browser.new_context(viewport={**PHONE, "width": width}, device_scale_factor=1, is_mobile=True,
                                  has_touch=True)
    pg = context.new_page()
    watch = Watch(pg)
    pg.goto(base_url + "/")
    pg.wait_for_selector("body[data-ready=true]")
    # a search box of one line, not a screenful; nothing wider than the screen
    assert pg.get_by_test_id("search-form").bounding_box()["height"] < 80
    assert pg.get_by_test_id("search-input").bounding_box()["height"] < 80
    assert pg.evaluate("document.documentElement.scrollWidth") <= width
    sync_api.expect(node(pg, "Elon Musk")).to_be_visible()
    if width == PHONE["width"]:
        screenshot(pg, "web-phone.png")
    # tap an actor: the evidence comes into view, and the actors list neither covers nor overlaps it
    pg.locator('[data-testid="actor"][data-name="Elon Musk"]').tap()
    sync_api.expect(pg.get_by_test_id("evidence-title")).to_have_text("Elon Musk")
    sync_api.expect(evidence(pg).locator("[data-testid=passage] mark").first).to_be_visible()
    sync_api.expect(evidence(pg)).to_be_in_viewport()
    pg.wait_for_function("""() => { const r = document.getElementById("evidence").getBoundingClientRect();
                                    return r.top < innerHeight / 2 && r.bottom > innerHeight / 2; }""")
    on_top = pg.evaluate("""() => { const n = document.elementFromPoint(innerWidth / 2, innerHeight / 2);
                                    return n && (n.closest("#evidence") ? "evidence" : n.closest(".actors-col")
                                                 ? "actors" : n.tagName); }""")
    assert on_top == "evidence"
    assert not overlap(pg.locator(".actors-col").bounding_box(), evidence(pg).bounding_box())
    assert watch.errors == [] and watch.dialogs == []
    context.close()


def test_the_api_docs_work_offline(browser, base_url):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    left: list[str] = []

    def this_machine_only(route) -> None:
        if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            left.append(route.request.url)
            route.abort()

    context.route("**/*", this_machine_only)
    pg = context.new_page()
    watch = Watch(pg)  # a CSP violation is a console error
    response = pg.goto(base_url + "/docs")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in csp and "unsafe" not in csp and "http" not in csp
    spec = pg.request.get(base_url + "/openapi.json").json()
    blocks = pg.locator(".swagger-ui .opblock")
    sync_api.expect(blocks).to_have_count(sum(len(item) for item in spec["paths"].values()))
    sync_api.expect(blocks.first).to_be_visible()
    # "Try it out" reaches the API from the page (connect-src 'self')
    op = pg.locator(".opblock", has=pg.locator('[data-path="/api/summary"]'))
    op.locator(".opblock-summary").click()
    op.get_by_role("button", name="Try it out").click()
    op.get_by_role("button", name="Execute").click()
    sync_api.expect(op.locator(".live-responses-table tbody .response-col_status").first).to_have_text("200")
    assert left == [], left
    assert watch.errors == []
    assert pg.goto(base_url + "/redoc").status == 404  # ReDoc needs inline styles: not served
    context.close()
