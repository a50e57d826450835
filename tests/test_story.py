"""One story told by many outlets, through the real pipeline.

tests/fixtures/story/ (written for these tests) tells the February 2025 bid of
Elon Musk's consortium for OpenAI in nine articles from invented outlets, in
French and English, with different wording: Sam Altman is also "Altman", "the
OpenAI CEO" and "le patron d'OpenAI"; OpenAI is once "Open AI"; Altman's
Twitter jab is quoted in English by some and in French by others; exactly one
outlet (Northern Tribune) gives 98 billion instead of 97.4. Three more articles
tell an unrelated story: Carrefour buying Cora for 1.05 billion euros.

Each article is built into a real store, once on each backend (``backend``:
SQLite and PostgreSQL); the story is read back with ``dossier.export.story``.
Checks that fail because of an extraction weakness are kept and marked
``xfail(strict=True)`` with the precise reason (on both backends).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dossier.build import build
from dossier.cli import app
from dossier.export import story
from dossier.linking import norm
from dossier.store import open_store

STORY = Path(__file__).parent / "fixtures" / "story"
FILES = sorted(p for p in STORY.iterdir() if p.suffix in (".txt", ".jsonl"))
BID = ["01-harbor-ledger.jsonl", "02-courrier-du-matin.jsonl", "03-pacific-dispatch.jsonl",
       "04-gazette-numerique.jsonl", "05-northern-tribune.jsonl", "06-midland-post.jsonl",
       "07-echo-de-lyon.jsonl", "10-wire-en.txt", "11-depeche-fr.txt"]
RETAIL = ["08-carrefour-fr.jsonl", "09-carrefour-en.jsonl", "12-carrefour-fr.txt"]
JAB = ["01-harbor-ledger.jsonl", "02-courrier-du-matin.jsonl", "03-pacific-dispatch.jsonl",
       "04-gazette-numerique.jsonl", "10-wire-en.txt"]  # the articles quoting "No thank you / Non merci"
JAB_EN = ["01-harbor-ledger.jsonl", "03-pacific-dispatch.jsonl", "10-wire-en.txt"]
DISSENTER = "05-northern-tribune.jsonl"  # the one outlet saying 98 billion
ACTORS = {  # canonical name -> names the corpus also gives it, and the articles naming it
    "Elon Musk": (["Musk"], BID),
    "Sam Altman": (["Altman"], BID),
    "OpenAI": (["Open AI"], BID),
}


def build_one_by_one(files: list[Path], db: str) -> None:
    store = open_store(db)
    try:
        for f in files:
            report = build([str(f)], store)
            assert report.ok and report.stored == 1, (f, report.summary(), report.messages)  # one article a file
    finally:
        store.close()


@pytest.fixture(scope="module")
def stores(module_databases) -> dict[str, str]:
    assert len(FILES) >= 12 and set(BID + RETAIL) == {f.name for f in FILES}
    out = {"forward": module_databases.new("forward"), "reverse": module_databases.new("reverse")}
    build_one_by_one(FILES, out["forward"])
    build_one_by_one(FILES[::-1], out["reverse"])
    return out


@pytest.fixture(scope="module")
def data(stores) -> dict:
    s = open_store(stores["forward"])
    try:
        return story(s)
    finally:
        s.close()


def doc_ids(data: dict, names: list[str]) -> set[str]:
    """Document ids of the fixture files ``names`` (a JSONL file holds one article here)."""
    by_file = {Path(d["path"]).name.split(":")[0]: d["id"] for d in data["documents"]}
    return {by_file[n] for n in names}


def named(data: dict, name: str) -> list[dict]:
    """Every entity that has ``name`` as its name or an alias (spelling-insensitive)."""
    k = norm(name)
    return [e for e in data["entities"] if k in {norm(e["name"]), *(norm(a) for a in e["aliases"])}]


def entity(data: dict, name: str) -> dict:
    (e,) = named(data, name)
    return e


def the_bid(data: dict) -> list[dict]:
    openai = {e["id"] for e in named(data, "OpenAI")}
    return [e for e in data["events"] if e["type"] == "acquisition_offer" and openai & set(e["roles"]["target"])]


# -- the corpus itself ----------------------------------------------------------------------


def test_corpus_is_bilingual_dated_and_sourced(data):
    docs = data["documents"]
    assert len(docs) == len(FILES) >= 12
    assert {d["language"] for d in docs} == {"fr", "en"}
    jsonl = [d for d in docs if d["path"].split(":")[0].endswith(".jsonl")]
    assert all(d["published"] and d["source"] for d in jsonl)
    assert len({d["source"] for d in jsonl}) >= 6


# -- entities --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [
    "Elon Musk",
    "Sam Altman",
    "OpenAI",
])
def test_one_entity_per_actor_across_languages(data, name):
    aliases, articles = ACTORS[name]
    hits = named(data, name) + [e for a in aliases for e in named(data, a)]
    assert len({e["id"] for e in hits}) == 1, [(e["name"], e["type"]) for e in hits]
    e = hits[0]
    assert e["name"] == name
    assert set(aliases) <= set(e["aliases"])
    assert {m["document"] for m in e["mentions"]} == doc_ids(data, articles)


def test_altman_named_by_his_title_is_altman_in_english(data):
    altman = entity(data, "Sam Altman")["id"]
    (doc,) = doc_ids(data, ["03-pacific-dispatch.jsonl"])
    (q,) = [q for q in data["quotes"] if q["document"] == doc and "Twitter" in q["text"]]
    assert q["speaker"] == altman  # '... if you want," the OpenAI CEO wrote.'


def test_altman_named_by_his_title_is_altman_in_french(data):
    altman = entity(data, "Sam Altman")["id"]
    (doc,) = doc_ids(data, ["04-gazette-numerique.jsonl"])
    (q,) = [q for q in data["quotes"] if q["document"] == doc and "Twitter" in q["text"]]
    assert q["speaker"] == altman


# -- the bid -----------------------------------------------------------------------------------


def test_the_bid_is_one_event_by_musk_for_openai(data):
    (bid,) = the_bid(data)
    assert bid["roles"]["agent"] == [entity(data, "Elon Musk")["id"]]
    assert bid["roles"]["amount"]["currency"] == "USD" and bid["roles"]["amount"]["value"] in (97.4e9, 98e9)
    assert doc_ids(data, [DISSENTER]) <= set(bid["sources"])  # the dissenting outlet is the same happening


def test_the_bid_has_every_outlet_reporting_it_as_source(data):
    (bid,) = the_bid(data)
    assert set(bid["sources"]) == doc_ids(data, BID)


def test_the_planted_amount_contradiction_and_no_other(data):
    (bid,) = the_bid(data)
    dissenter = doc_ids(data, [DISSENTER])
    assert data["contradictions"]
    for c in data["contradictions"]:
        assert c["kind"] == "amount" and c["type"] == "acquisition_offer" and c["event"] == bid["id"]
        values = {v["document"]: v["value"]["value"] for v in c["values"]}
        assert sorted(values.values()) == [97.4e9, 98e9]
        (odd,) = [d for d, v in values.items() if v == 98e9]
        assert {odd} == dissenter
        for v in c["values"]:  # the evidence is the sentence giving the amount
            text = v["evidence"][0]["text"]
            assert ("$98 billion" in text) if v["document"] in dissenter else re.search(r"97[.,]4", text)
    # every other outlet that the pipeline gives the bid to is paired with the dissenter once
    others = {v["document"] for c in data["contradictions"] for v in c["values"]} - dissenter
    assert others == set(bid["sources"]) - dissenter


# -- statements --------------------------------------------------------------------------------


def jab_quotes(data: dict) -> list[dict]:
    return [q for q in data["quotes"] if re.search(r"9[.,]74", q["text"]) and q["kind"] == "direct"]


def test_the_english_reports_of_the_jab_are_one_statement(data):
    en = doc_ids(data, JAB_EN)
    statements = {q["statement"] for q in jab_quotes(data) if q["document"] in en}
    assert len(statements) == 1
    (st,) = [s for s in data["statements"] if s["id"] in statements]
    assert en <= set(st["sources"]) and st["speaker"] == entity(data, "Sam Altman")["id"]


def test_the_translated_jab_is_one_statement_across_languages(data):
    quotes = jab_quotes(data)
    assert {q["document"] for q in quotes} == doc_ids(data, JAB)
    assert len({q["statement"] for q in quotes}) == 1
    (st,) = [s for s in data["statements"] if s["id"] == quotes[0]["statement"]]
    assert set(st["sources"]) == doc_ids(data, JAB) and st["speaker"] == entity(data, "Sam Altman")["id"]
    assert {d["language"] for d in data["documents"] if d["id"] in st["sources"]} == {"fr", "en"}


# -- the unrelated story ---------------------------------------------------------------------------


def test_the_unrelated_story_stays_apart(data):
    retail, bid_docs = doc_ids(data, RETAIL), doc_ids(data, BID)
    carrefour = entity(data, "Carrefour")
    assert {m["document"] for m in carrefour["mentions"]} == retail
    (deal,) = [e for e in data["events"] if carrefour["id"] in e["roles"]["agent"]]
    assert deal["type"] == "acquisition" and set(deal["sources"]) == retail
    assert deal["roles"]["amount"] == {"value": 1.05e9, "currency": "EUR"}
    for ev in data["events"]:  # no event mixes the two stories
        assert set(ev["sources"]) <= retail or set(ev["sources"]) <= bid_docs, ev
    assert not [c for c in data["contradictions"] if {v["document"] for v in c["values"]} & retail]
    openai_story = {e["id"] for n in ("Elon Musk", "Sam Altman") for e in named(data, n)} | {
        e["id"] for e in named(data, "OpenAI")}
    assert not openai_story & {x for r in deal["roles"].values() if isinstance(r, list) for x in r}


# -- order and idempotence ----------------------------------------------------------------------------


def canonical(data: dict) -> str:
    """The story as JSON, without paths, with every list sorted (order is no fact)."""
    def walk(x):
        if isinstance(x, dict):
            return {k: walk(v) for k, v in x.items() if k != "path"}
        if isinstance(x, list):
            return sorted((walk(v) for v in x), key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        return x
    return json.dumps(walk(data), sort_keys=True, ensure_ascii=False, indent=1)


def read(db: str) -> tuple[dict, dict]:
    s = open_store(db)
    try:
        return s.counts(), story(s)
    finally:
        s.close()


def test_ingestion_order_does_not_change_the_story(stores):
    (cf, forward), (cr, reverse) = read(stores["forward"]), read(stores["reverse"])
    assert cf == cr
    a, b = canonical(forward), canonical(reverse)
    if a != b:  # show where, not two huge strings
        import difflib
        pytest.fail("\n".join(list(difflib.unified_diff(a.splitlines(), b.splitlines(), "sorted", "reverse", n=2))[:80]))


def test_reingesting_everything_changes_nothing(stores, databases):
    db = databases.copy(stores["forward"], "again")
    before_counts, before = read(db)
    s = open_store(db)
    try:
        report = build([str(f) for f in FILES], s)
    finally:
        s.close()
    assert report.stored == 0 and report.unchanged == len(before["documents"]) and report.ok
    after_counts, after = read(db)
    assert after_counts == before_counts
    assert json.dumps(after, sort_keys=True) == json.dumps(before, sort_keys=True)


# -- dossier show --entity on the story ---------------------------------------------------------------


def show(db: str, *args: str):
    return CliRunner().invoke(app, ["show", "--db", str(db), *args], env={"COLUMNS": "250", "NO_COLOR": "1"})


def test_show_entity_is_the_dossier_on_one_actor(stores):
    r = show(stores["forward"], "--entity", "SAM ALTMAN")
    assert r.exit_code == 0, r.output
    out = r.output
    assert out.startswith("Sam Altman (PERSON)")
    assert "aliases: Altman" in out
    assert "Sam Altman ceo_of OpenAI" in out  # a role
    assert any("offer_rejection:" in line and "Sam Altman →" in line for line in out.splitlines())  # an event
    assert "No thank you but we will buy Twitter" in out and "Harbor Ledger (2025-02-10)" in out  # a quote, sourced
    assert "opposes" in out  # a stance
    assert "Northern Tribune (2025-02-12): Musk group puts $98 billion on the table for OpenAI" in out  # a source
    sections = [line for line in out.splitlines() if re.match(r"(Roles|Events|Quotes|Stances|Sources)\b", line)]
    assert [s.split()[0].rstrip(":") for s in sections] == ["Roles", "Events", "Quotes", "Stances", "Sources"]


def test_show_entity_by_alias_ignores_case_and_accents_and_orders_events(stores):
    by_alias = show(stores["forward"], "--entity", "musk")
    assert by_alias.exit_code == 0 and by_alias.output.startswith("Elon Musk (PERSON)")
    assert show(stores["forward"], "--entity", "ÉLON MÛSK").output == by_alias.output
    dates = re.findall(r"^  (\d{4}-\d\d-\d\d)  ", by_alias.output, flags=re.M)
    assert dates and dates == sorted(dates)
    assert "acquisition_offer: Elon Musk → OpenAI" in by_alias.output


def test_show_unknown_entity_says_so_and_exits_1(stores):
    r = show(stores["forward"], "--entity", "Satya Nadella")
    assert r.exit_code == 1
    assert "no entity named 'Satya Nadella'" in r.output


# -- dossier show: each fact once, with its number of sources -------------------------------------------


def show_sections(out: str) -> dict[str, list[str]]:
    """The lines of each section of ``dossier show`` (the Money table's rows as cells)."""
    heads = ("Money", "What happened", "Who said what", "Who is who", "Who stands where")
    out_sections: dict[str, list] = {}
    current = None
    for line in out.splitlines():
        stripped = line.strip()
        if stripped in heads:
            current = stripped
            out_sections[current] = []
        elif current == "Money" and line.startswith("│"):
            out_sections[current].append([c.strip() for c in line.strip("│").split("│")])
        elif current and current != "Money" and line.startswith("  "):
            out_sections[current].append(line.strip())
        elif current == "Money" and line.startswith("└"):
            current = None
    return out_sections


def test_show_prints_each_fact_once_with_its_number_of_sources(stores, data):
    r = show(stores["forward"])
    assert r.exit_code == 0, r.output
    sec = show_sections(r.output)
    count = re.compile(r" \((\d+) sources\)$")

    names = {e["id"]: e["name"] for e in data["entities"]}
    for title, facts in (("Who is who", [(f"{names[x['subject']]} {x['predicate']} {names[x['object']]}",
                                          {e["document"] for e in x["evidence"]}) for x in data["relations"]]),
                         ("Who stands where", [(f"{names[x['holder']]} {x['polarity']}s {x['topic']}",
                                                {x["evidence"]["document"]}) for x in data["stances"]])):
        lines = [count.sub("", line.lstrip("• ")) for line in sec[title]]
        assert len(lines) == len(set(lines)), f"{title}: a fact printed twice: {sec[title]}"
        sources: dict[str, set] = {}
        for line, docs in facts:
            sources.setdefault(line, set()).update(docs)
        assert set(lines) == set(sources), title
        for line in sec[title]:  # each with the number of articles giving it, when several do
            m = count.search(line)
            assert (int(m.group(1)) if m else 1) == len(sources[count.sub("", line.lstrip("• "))]), line
    (ceo,) = [line for line in sec["Who is who"] if line.startswith("• Sam Altman ceo_of OpenAI")]
    assert int(count.search(ceo).group(1)) >= 3  # one line for an often-repeated relation

    events = [count.sub("", line) for line in sec["What happened"]]
    assert len(events) == len(set(events))
    (bid,) = the_bid(data)
    (line,) = [x for x in sec["What happened"] if x.startswith("• acquisition_offer: Elon Musk → OpenAI")]
    assert int(count.search(line).group(1)) == len(bid["sources"])

    money = sec["Money"]
    assert len({(row[0], row[2]) for row in money}) == len(money)  # one row per amount and what it is for
    (bid_money,) = [row for row in money if row[0] == "97.4 billion USD"]
    assert bid_money[2] == "acquisition_offer: Elon Musk → OpenAI"
    assert "$97.4 billion" in bid_money[1] and "97,4 milliards de dollars" in bid_money[1]  # every way it was written
    assert int(bid_money[3]) == len({a["document"] for a in data["amounts"] if a["value"] == 97.4e9})

    jab = [line for line in sec["Who said what"] if "Twitter" in line and "(direct" in line]
    assert len(jab) == 1 and f"{len(JAB)} sources" in jab[0], sec["Who said what"]  # one statement, five outlets


@pytest.fixture(scope="module")
def examples_store(tmp_path_factory) -> str:
    """Two of the sample articles: a nested quotation (« escroc ») and an amount
    whose sentence names only a common noun (« Le montant de la commande »)."""
    db = str(tmp_path_factory.mktemp("show") / "examples.db")
    examples = Path(__file__).resolve().parents[1] / "examples"
    with open_store(db) as s:
        report = build([str(examples / "openai-offre-fr.txt"), str(examples / "airbus-fr.txt")], s)
        assert report.stored == 2, report.messages
    return db


def test_show_money_says_what_an_amount_is_for_only_when_it_is_an_event_or_an_actor(examples_store):
    r = show(examples_store)
    assert r.exit_code == 0, r.output
    with open_store(examples_store) as s:
        data = story(s)
    event_types = {e["type"] for e in data["events"]}
    actors = {e["name"] for e in data["entities"]}
    money = show_sections(r.output)["Money"]
    assert money
    for amount, written, refers_to, sources in money:
        assert not refers_to or refers_to.split(":")[0] in event_types or refers_to in actors, refers_to
    (order,) = [row for row in money if row[0] == "50 billion USD"]  # « Le montant de la commande dépasse 50 milliards »
    assert order[2] == ""
    assert not any(row[2] in ("montant", "entreprise", "bid") for row in money)


def test_show_prints_a_quote_within_a_quote_as_nested(examples_store):
    from dossier.show import _quoted

    assert _quoted("son rival d’« escroc »") == "« son rival d’“escroc” »"
    assert _quoted("« escroc » et « menteur »") == "« “escroc” et “menteur” »"
    assert _quoted("No thank you but we will buy Twitter for $9.74 billion if you want,") == \
        "« No thank you but we will buy Twitter for $9.74 billion if you want »"
    assert _quoted("Nous avons cette mission.\nEt c’est ce que nous faisons") == \
        "« Nous avons cette mission. Et c’est ce que nous faisons »"
    out = show(examples_store).output
    quotes = show_sections(out)["Who said what"]
    printed = [line for line in quotes if line.startswith("«")]
    assert printed and all(line.count("«") == 1 and line.count("»") == 1 for line in printed), printed
    assert any("“escroc”" in line or line.startswith("« escroc »") for line in printed)
