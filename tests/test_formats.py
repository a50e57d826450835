"""Exports read back by real consumers (networkx, rdflib, the csv module,
jsonschema), the filters, atomic writes, and the JSON round trip through
``dossier import``.

The stores are written from ``Doc`` objects built by hand, so the tests do not
depend on what the extraction components find; one test also runs the real
pipeline. The round trip runs on both store backends (``backend``: SQLite and
PostgreSQL); the exports read the story, the same on both (test_postgres.py).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dossier import formats
from dossier.errors import DossierError
from dossier.export import story
from dossier.formats import export, export_data, select
from dossier.importer import import_json
from dossier.model import (Amount, Article, DateMention, Doc, Entity, Event, Mention, Quote, Relation, Span, Stance,
                           content_id, fold)
from dossier.store import open_store
from dossier.structure import split_blocks

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "dossier" / "schema" / "dossier.schema.json"


# -- hand-built articles ------------------------------------------------------------


class Builder:
    """A Doc annotated by hand: every span is found in the text."""

    def __init__(self, text: str, lang: str, published: str | None, title: str, source: str, name: str):
        a = Article(text=text, title=title, published=published, language=lang, source=source,
                    url=f"https://news.example/{name}", path=f"{name}.txt")
        self.doc = Doc(article=a, language=lang, blocks=split_blocks(text))

    def span(self, s: str, nth: int = 0) -> Span:
        i = -1
        for _ in range(nth + 1):
            i = self.doc.text.index(s, i + 1)
        return Span(i, i + len(s), s)

    def entity(self, name: str, etype: str, *forms: str) -> str:
        eid = content_id("ent", etype, fold(name))
        self.doc.entities[eid] = Entity(eid, name, etype, sorted(set(forms) - {name}), [])
        taken = [(m.start, m.end) for m in self.doc.mentions]
        first_line = self.doc.text.index("\n")
        for form in sorted({name, *forms}, key=len, reverse=True):
            for m in re.finditer(rf"\b{re.escape(form)}\b", self.doc.text):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                taken.append((m.start(), m.end()))
                self.doc.mentions.append(Mention(m.start(), m.end(), form, "PER" if etype == "PERSON" else etype, eid,
                                                 m.start() < first_line))
        self.doc.mentions.sort(key=lambda m: m.start)
        return eid

    def amount(self, s: str, value: float, currency: str, refers_to: str | None = None) -> None:
        sp = self.span(s)
        self.doc.amounts.append(Amount(value, currency, False, sp.start, sp.end, s, refers_to))

    def date(self, s: str, value: str) -> None:
        sp = self.span(s)
        self.doc.dates.append(DateMention(sp.start, sp.end, s, value, "day", True))


EN = ("Musk bids for OpenAI\n"
      "Elon Musk offered $97.4 billion to buy OpenAI on Monday. "
      "Sam Altman, the chief executive of OpenAI, said: \u201cNo thank you.\u201d "
      "Musk said: \u201cIt is time for OpenAI to return to the open-source force for good it once was.\u201d "
      "Altman opposes the bid.\n")
FR = ("Microsoft investit dans Mistral AI\n"
      "Microsoft a investi 15 millions d\u2019euros dans Mistral AI, la jeune pousse fond\u00e9e par Arthur Mensch. "
      "Satya Nadella soutient Mistral AI.\n")
EN2 = ("Open AI board rejects Musk\n"
       "The board of Open AI rejected the $97.4 billion offer from Elon Musk. "
       "Musk had said: \u201cIt is time for OpenAI to return to the open-source force for good it once was.\u201d\n")


def doc_en() -> Doc:
    b = Builder(EN, "en", "2025-02-10", "Musk bids for OpenAI", "Example Wire", "musk-en")
    musk = b.entity("Elon Musk", "PERSON", "Musk")
    openai = b.entity("OpenAI", "ORG")
    altman = b.entity("Sam Altman", "PERSON", "Altman")
    b.amount("$97.4 billion", 97.4e9, "USD", "the bid for OpenAI")
    b.date("Monday", "2025-02-10")
    d = b.doc
    q1 = b.span("No thank you.")
    d.quotes.append(Quote(q1.text, q1.start, q1.end, "direct", altman, b.span("Sam Altman"), b.span("said"), None, None))
    q2 = b.span("It is time for OpenAI to return to the open-source force for good it once was.")
    d.quotes.append(Quote(q2.text, q2.start, q2.end, "direct", musk, b.span("Musk", 2), b.span("said", 1), None, None))
    sent = b.span("Elon Musk offered $97.4 billion to buy OpenAI on Monday.")
    d.events.append(Event("acquisition_offer", "asserted", [musk], [openai], {"value": 97.4e9, "currency": "USD"},
                          {"value": "2025-02-10", "precision": "day", "text": "Monday"}, [], b.span("offered"), [sent]))
    d.relations.append(Relation(altman, "ceo_of", openai, [b.span("Sam Altman, the chief executive of OpenAI")]))
    d.stances.append(Stance(altman, "the bid", "oppose", b.span("Altman opposes the bid.")))
    return d


def doc_fr() -> Doc:
    b = Builder(FR, "fr", "2025-03-05", "Microsoft investit dans Mistral AI", "Exemple Presse", "mistral-fr")
    ms = b.entity("Microsoft", "ORG")
    mistral = b.entity("Mistral AI", "ORG")
    mensch = b.entity("Arthur Mensch", "PERSON")
    nadella = b.entity("Satya Nadella", "PERSON")
    b.amount("15 millions d\u2019euros", 15e6, "EUR")
    d = b.doc
    sent = b.span("Microsoft a investi 15 millions d\u2019euros dans Mistral AI")
    d.events.append(Event("investment", "asserted", [ms], [mistral], {"value": 15e6, "currency": "EUR"}, None, [],
                          b.span("a investi"), [sent]))
    d.relations.append(Relation(mensch, "founder_of", mistral, [b.span("fond\u00e9e par Arthur Mensch")]))
    d.stances.append(Stance(nadella, mistral, "support", b.span("Satya Nadella soutient Mistral AI.")))
    return d


def doc_en2() -> Doc:
    """A second report of the bid, naming OpenAI 'Open AI': linking merges them."""
    b = Builder(EN2, "en", "2025-02-12", "Open AI board rejects Musk", "Other Wire", "board-en")
    musk = b.entity("Elon Musk", "PERSON", "Musk")
    openai = b.entity("Open AI", "ORG")
    b.amount("$97.4 billion", 97.4e9, "USD")
    d = b.doc
    q = b.span("It is time for OpenAI to return to the open-source force for good it once was.")
    d.quotes.append(Quote(q.text, q.start, q.end, "direct", musk, b.span("Musk", 1), b.span("said"), None, None))
    d.events.append(Event("offer_rejection", "asserted", [openai], [musk], None, None, [], b.span("rejected"),
                          [b.span("The board of Open AI rejected the $97.4 billion offer from Elon Musk.")]))
    d.events.append(Event("acquisition_offer", "asserted", [musk], [openai], {"value": 97.4e9, "currency": "USD"}, None,
                          [], b.span("offer"), [b.span("the $97.4 billion offer from Elon Musk")]))
    return d


def make_store(path: Path | str, docs, link: bool = False):
    store = open_store(path)
    for d in docs:
        assert store.write(d)
    if link:
        from dossier.linking import link as run_link

        run_link(store)
    return store


@pytest.fixture
def store(tmp_path):
    s = make_store(tmp_path / "hand.db", [doc_en(), doc_fr()])
    yield s
    s.close()


@pytest.fixture
def linked(tmp_path):
    pytest.importorskip("dossier.linking")
    s = make_store(tmp_path / "linked.db", [doc_en(), doc_fr(), doc_en2()], link=True)
    yield s
    s.close()


def names_by_id(data):
    return {e["id"]: e["name"] for e in data["entities"]}


# -- JSON ---------------------------------------------------------------------------


def test_json_validates_against_the_schema(store, linked, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    for s in (store, linked):
        out = tmp_path / "story.json"
        export(s, "json", out)
        data = json.loads(out.read_text(encoding="utf-8"))
        jsonschema.validate(data, schema)
        assert data == json.loads(json.dumps(story(s)))
        filtered = json.loads(export(s, "json", entity="musk"))
        jsonschema.validate(filtered, schema)


# -- graphs ------------------------------------------------------------------------


def test_graphml_parses_with_networkx(store, tmp_path):
    nx = pytest.importorskip("networkx")
    out = tmp_path / "story.graphml"
    export(store, "graphml", out)
    g = nx.read_graphml(out)
    data = story(store)
    assert g.number_of_nodes() == len(data["entities"]) == 7
    names = {d["label"]: d for _, d in g.nodes(data=True)}
    assert names["Elon Musk"]["type"] == "PERSON" and names["Elon Musk"]["aliases"] == "Musk"
    assert names["Mistral AI"]["type"] == "ORG" and names["Mistral AI"]["mentions"] == 3
    assert names["Elon Musk"]["start"] == "2025-02-10"
    labels = {(g.nodes[u]["label"], d["label"], g.nodes[v]["label"]): d for u, v, d in g.edges(data=True)}
    offer = labels[("Elon Musk", "acquisition_offer", "OpenAI")]
    assert offer["count"] == 1 and offer["kind"] == "event" and offer["dates"] == "2025-02-10"
    assert offer["amounts"] == "97400000000 USD"
    assert ("Sam Altman", "ceo_of", "OpenAI") in labels
    assert ("Arthur Mensch", "founder_of", "Mistral AI") in labels
    # an event without its own time is dated by its article
    assert labels[("Microsoft", "investment", "Mistral AI")]["start"] == "2025-03-05"


def test_gexf_is_dynamic_and_parses_with_networkx(linked, tmp_path):
    nx = pytest.importorskip("networkx")
    out = tmp_path / "story.gexf"
    export(linked, "gexf", out)
    text = out.read_text(encoding="utf-8")
    assert 'xmlns="http://gexf.net/1.3"' in text and 'version="1.3"' in text
    g = nx.read_gexf(out)
    assert g.graph["mode"] == "dynamic"
    data = story(linked)
    assert g.number_of_nodes() == len(data["entities"])
    by_label = {d["label"]: n for n, d in g.nodes(data=True)}
    openai = next(e["name"] for e in data["entities"] if "OpenAI" in [e["name"], *e["aliases"]])
    assert {"Elon Musk", openai, "Microsoft"} <= set(by_label)
    assert g.nodes[by_label["Elon Musk"]]["type"] == "PERSON"
    # the offer reported by two articles is one happening: one edge, dated by the event
    edges = [(g.nodes[u]["label"], d["label"], g.nodes[v]["label"], d) for u, v, d in g.edges(data=True)]
    offers = [d for a, lab, b, d in edges if (a, lab, b) == ("Elon Musk", "acquisition_offer", openai)]
    assert len(offers) == 1 and offers[0]["documents"] == 2
    assert offers[0]["start"] == "2025-02-10" and offers[0]["end"] == "2025-02-10"
    assert any(lab == "offer_rejection" for _, lab, _, _ in edges)
    # nodes carry the span of days they appear on the timeline
    musk = g.nodes[by_label["Elon Musk"]]
    assert musk["start"] == "2025-02-10" and musk["end"] == "2025-02-12"


def test_graph_formats_survive_characters_xml_cannot_hold(store, tmp_path):
    nx = pytest.importorskip("networkx")
    data = story(store)
    data["entities"][0]["aliases"].append("Form\x0cfeed\x01")
    g = nx.parse_graphml(export_data(data, "graphml"))
    assert any("Form feed " in d.get("aliases", "") for _, d in g.nodes(data=True))
    export_data(data, "gexf", tmp_path / "x.gexf")
    assert nx.read_gexf(tmp_path / "x.gexf").number_of_nodes() == len(data["entities"])


def test_exports_are_readable_by_others(store, tmp_path):
    old = os.umask(0o022)
    try:
        export(store, "gexf", tmp_path / "s.gexf")
        export(store, "neo4j", tmp_path / "neo")
    finally:
        os.umask(old)
    assert (tmp_path / "s.gexf").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "neo").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "neo" / "entities.csv").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "neo" / "import.sh").stat().st_mode & 0o777 == 0o755


# -- tables -------------------------------------------------------------------------


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    raw = path.read_bytes()
    assert b"\r\n" in raw  # RFC 4180 line ends
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]


def test_csv_tables(store, tmp_path):
    out = tmp_path / "tables"
    export(store, "csv", out)
    data = story(store)
    expected = {"documents": len(data["documents"]), "entities": len(data["entities"]),
                "mentions": sum(len(e["mentions"]) for e in data["entities"]), "amounts": len(data["amounts"]),
                "dates": len(data["dates"]), "quotes": len(data["quotes"]), "events": len(data["events"]),
                "relations": len(data["relations"]), "stances": len(data["stances"])}
    for table, n in expected.items():
        header, rows = read_csv(out / f"{table}.csv")
        assert len(rows) == n, table
        assert header[0] in ("id", "entity", "document")
    _, docs = read_csv(out / "documents.csv")
    assert {d["text"] for d in docs} == {EN, FR}  # text with newlines and quotes survives
    _, ents = read_csv(out / "entities.csv")
    musk = next(e for e in ents if e["name"] == "Elon Musk")
    assert musk["aliases"] == "Musk" and musk["type"] == "PERSON"
    _, events = read_csv(out / "events.csv")
    offer = next(e for e in events if e["type"] == "acquisition_offer")
    assert offer["agent_names"] == "Elon Musk" and offer["target_names"] == "OpenAI"
    assert offer["agents"] == musk["id"] and float(offer["amount_value"]) == 97.4e9
    assert offer["time_value"] == "2025-02-10" and offer["trigger"] == "offered"
    _, stances = read_csv(out / "stances.csv")
    assert {(s["holder_name"], s["polarity"], s["topic_name"]) for s in stances} == {
        ("Sam Altman", "oppose", "the bid"), ("Satya Nadella", "support", "Mistral AI")}
    assert json.loads((out / formats.MANIFEST).read_text())["format"] == "csv"


def test_neo4j_bulk_import_files(linked, tmp_path):
    out = tmp_path / "neo4j"
    export(linked, "neo4j", out)
    data = story(linked)
    header, ents = read_csv(out / "entities.csv")
    assert header[0] == "entityId:ID(Entity)" and "aliases:string[]" in header and ":LABEL" in header
    assert len(ents) == len(data["entities"])
    openai = next(e for e in ents if e["name"] in ("OpenAI", "Open AI"))
    assert openai[":LABEL"] == "Entity;Organization"
    assert {openai["name"], *openai["aliases:string[]"].split(";")} == {"OpenAI", "Open AI"}
    assert len(openai["members:string[]"].split(";")) == 2  # 'OpenAI' and 'Open AI' resolved into one
    header, rels = read_csv(out / "relations.csv")
    assert header[:3] == [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE"]
    assert sorted(r[":TYPE"] for r in rels) == ["CEO_OF", "FOUNDER_OF"]
    ids = {e["entityId:ID(Entity)"] for e in ents}
    header, events = read_csv(out / "events.csv")
    assert header[0] == "eventId:ID(Event)" and len(events) == len(data["events"])
    event_ids = {e["eventId:ID(Event)"] for e in events}
    _, agents = read_csv(out / "event_agents.csv")
    assert all(a[":START_ID(Entity)"] in ids and a[":END_ID(Event)"] in event_ids for a in agents)
    header, docs = read_csv(out / "documents.csv")
    assert header[0] == "documentId:ID(Document)" and len(docs) == 3
    assert {d["date:date"] for d in docs} == {"2025-02-10", "2025-02-12", "2025-03-05"}
    _, mentions = read_csv(out / "mentions.csv")
    assert sum(int(m["count:int"]) for m in mentions) == sum(len(e["mentions"]) for e in data["entities"])
    _, said = read_csv(out / "quote_people.csv")
    assert {s[":TYPE"] for s in said} == {"SAID"} and len(said) == len(data["quotes"])
    # every file the import command names is there, with an ID space header
    script = (out / "import.sh").read_text()
    assert "neo4j-admin database import full" in script and "--array-delimiter=';'" in script
    for f in re.findall(r"--(?:nodes|relationships)=\./(\S+)", script):
        assert (out / f).exists(), f
        assert "ID(" in (out / f).read_text(encoding="utf-8").splitlines()[0]


# -- RDF -------------------------------------------------------------------------------

BUY = """
PREFIX schema: <http://schema.org/>
SELECT ?name ?price ?currency WHERE {
  ?action a schema:BuyAction ; schema:agent ?agent ; schema:object ?object ;
          schema:price ?price ; schema:priceCurrency ?currency .
  ?agent schema:name ?name .
}"""


@pytest.mark.parametrize("fmt,parser", [("jsonld", "json-ld"), ("turtle", "turtle")])
def test_rdf_parses_with_rdflib_and_answers_sparql(store, tmp_path, fmt, parser):
    rdflib = pytest.importorskip("rdflib")
    out = tmp_path / f"story.{fmt}"
    export(store, fmt, out)
    g = rdflib.Graph().parse(out, format=parser)
    rows = [(str(n), float(p), str(c)) for n, p, c in g.query(BUY)]
    assert rows == [("Elon Musk", 97.4e9, "USD")]
    S = rdflib.Namespace("http://schema.org/")
    musk = rdflib.URIRef("urn:dossier:entity:" + content_id("ent", "PERSON", "elon musk"))
    assert (musk, rdflib.RDF.type, S.Person) in g
    assert (musk, S.alternateName, rdflib.Literal("Musk")) in g
    quotes = {str(t) for t in g.objects(None, S.text) if "thank" in str(t)}
    assert quotes == {"No thank you."}
    q = """PREFIX schema: <http://schema.org/>
           SELECT ?who WHERE { ?q a schema:Quotation ; schema:text "No thank you." ; schema:creator ?c .
                               ?c schema:name ?who }"""
    assert [str(r[0]) for r in g.query(q)] == ["Sam Altman"]
    docs = set(g.subjects(rdflib.RDF.type, S.NewsArticle))
    assert {str(d) for d in docs} == {f"urn:dossier:doc:{doc_en().id}", f"urn:dossier:doc:{doc_fr().id}"}
    # founder_of also as schema:founder (organisation -> person)
    mistral = rdflib.URIRef("urn:dossier:entity:" + content_id("ent", "ORG", "mistral ai"))
    assert [str(g.value(o, S.name)) for o in g.objects(mistral, S.founder)] == ["Arthur Mensch"]
    # spans are IRIs (RFC 5147 fragments of their article), never strings
    V = rdflib.Namespace("urn:dossier:vocab:")
    (offer,) = g.subjects(rdflib.RDF.type, S.BuyAction)
    trigger = g.value(offer, V.trigger)
    assert isinstance(trigger, rdflib.URIRef) and str(trigger).endswith(f"#char={EN.index('offered')},"
                                                                        f"{EN.index('offered') + 7}")
    assert str(g.value(trigger, S.text)) == "offered"
    assert all(isinstance(o, rdflib.URIRef) for p in (V.evidence, V.cue, V.mention) for o in g.objects(None, p))
    if fmt == "turtle":
        assert "@prefix schema: <http://schema.org/> ." in out.read_text(encoding="utf-8")


# -- filters ---------------------------------------------------------------------------


def test_entity_filter_by_alias_without_case_or_accents(store):
    data = story(store)
    for name in ("musk", "ELON MUSK", "Musk"):
        sub = select(data, entity=name)
        assert [e["type"] for e in sub["events"]] == ["acquisition_offer"]
        assert sub["relations"] == [] and sub["stances"] == []
        assert [q["text"] for q in sub["quotes"]] == [
            "It is time for OpenAI to return to the open-source force for good it once was."]
        assert {e["name"] for e in sub["entities"]} == {"Elon Musk", "OpenAI"}
        assert [d["language"] for d in sub["documents"]] == ["en"]
    sub = select(data, entity="satya nadella")
    assert [s["polarity"] for s in sub["stances"]] == ["support"]
    assert {e["name"] for e in sub["entities"]} == {"Satya Nadella", "Mistral AI"}
    # accents: the French founder relation through the entity's name folded
    assert [r["predicate"] for r in select(data, entity="mistral ai")["relations"]] == ["founder_of"]
    with pytest.raises(DossierError, match="no entity named"):
        select(data, entity="Nobody")


def test_date_filters(store):
    data = story(store)
    feb = select(data, since="2025-02", until="2025-02-28")
    assert [e["type"] for e in feb["events"]] == ["acquisition_offer"]
    assert [d["published"] for d in feb["documents"]] == ["2025-02-10"]
    assert all(m["document"] == doc_en().id for e in feb["entities"] for m in e["mentions"])
    assert {e["name"] for e in feb["entities"]} == {"Elon Musk", "OpenAI", "Sam Altman"}
    march = select(data, since="2025-03-01")
    assert [e["type"] for e in march["events"]] == ["investment"]  # dated by its article
    assert [a["currency"] for a in march["amounts"]] == ["EUR"]
    assert select(data, until="2024")["documents"] == []
    with pytest.raises(DossierError, match="not a date"):
        select(data, since="last week")


def test_type_filters(store):
    data = story(store)
    people = select(data, type="person")
    assert {e["type"] for e in people["entities"]} >= {"PERSON"}
    assert all(any(names_by_id(data)[i] in ("Elon Musk", "Sam Altman", "Arthur Mensch", "Satya Nadella")
                   for i in formats.participants(k, f, {e["id"]: e for e in data["entities"]}))
               for k in formats.FACTS for f in people[k])
    inv = select(data, type="investment")
    assert [e["type"] for e in inv["events"]] == ["investment"] and inv["relations"] == [] and inv["quotes"] == []
    assert {e["name"] for e in inv["entities"]} == {"Microsoft", "Mistral AI"}
    assert [r["predicate"] for r in select(data, type="ceo_of")["relations"]] == ["ceo_of"]
    both = select(data, type="PERSON", entity="altman")
    assert {r["predicate"] for r in both["relations"]} == {"ceo_of"} and len(both["stances"]) == 1
    with pytest.raises(DossierError, match="unknown type"):
        select(data, type="banana")


def test_filters_reach_every_format(store, tmp_path):
    nx = pytest.importorskip("networkx")
    out = tmp_path / "musk.graphml"
    export(store, "graphml", out, entity="Musk")
    g = nx.read_graphml(out)
    assert sorted(d["label"] for _, d in g.nodes(data=True)) == ["Elon Musk", "OpenAI"]
    export(store, "csv", tmp_path / "inv", type="investment")
    _, rows = read_csv(tmp_path / "inv" / "events.csv")
    assert [r["type"] for r in rows] == ["investment"]


# -- atomic writes -----------------------------------------------------------------------


def test_failed_file_export_keeps_the_old_file(store, tmp_path, monkeypatch):
    out = tmp_path / "story.graphml"
    out.write_text("previous export", encoding="utf-8")

    def boom(fd):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError, match="disk full"):
        export(store, "graphml", out)
    assert out.read_text(encoding="utf-8") == "previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hand.db", "hand.db-shm", "hand.db-wal", "story.graphml"]


def test_failed_directory_export_leaves_nothing_partial(store, tmp_path, monkeypatch):
    out = tmp_path / "neo"
    export(store, "neo4j", out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    calls = {"n": 0}
    real = formats._csv_text

    def fail_third(*a):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("interrupted")
        return real(*a)

    monkeypatch.setattr(formats, "_csv_text", fail_third)
    with pytest.raises(RuntimeError):
        export(store, "neo4j", out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    calls["n"] = 0
    with pytest.raises(RuntimeError):
        export(store, "csv", tmp_path / "fresh")
    assert not (tmp_path / "fresh").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary leftovers


def test_directory_export_never_replaces_a_foreign_directory(store, tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(DossierError, match="not a dossier export"):
        export(store, "csv", tmp_path / "mine")
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"
    with pytest.raises(DossierError, match="writes a directory"):
        export(store, "csv")


# -- the JSON round trip -------------------------------------------------------------------


def round_trip(s, databases, name: str):
    """Export ``s`` and import it into a new store on the backend under test."""
    first = story(s)
    new = open_store(databases.new(name))
    report = import_json(new, json.loads(json.dumps(first)))
    assert report.stored == len(first["documents"]) and report.unchanged == 0
    again = story(new)
    assert json.dumps(again, sort_keys=True) == json.dumps(first, sort_keys=True)
    # idempotent: a second import stores nothing and changes nothing
    report = import_json(new, json.dumps(first))
    assert report.stored == 0 and report.unchanged == len(first["documents"])
    assert story(new) == again
    # and the per-article facts are the same rows, with the same content-derived ids
    for table, key in (("mentions", "document, char_start"), ("events", "id"), ("relations", "id"),
                       ("stances", "id"), ("quotes", "id"), ("amounts", "document, char_start")):
        cols = {"events": "id, document, type, modality", "quotes": "id, document, char_start, char_end, speaker",
                "mentions": "document, char_start, char_end, entity"}.get(table, "*")
        assert new.rows(f"SELECT {cols} FROM {table} ORDER BY {key}") == s.rows(f"SELECT {cols} FROM {table} ORDER BY {key}"), table
    new.close()


# on both backends (``backend``: SQLite and PostgreSQL)


def test_round_trip_of_a_store(databases):
    store = make_store(databases.new("hand"), [doc_en(), doc_fr()])
    round_trip(store, databases, "copy")
    store.close()


def test_round_trip_of_a_linked_story(databases):
    pytest.importorskip("dossier.linking")
    linked = make_store(databases.new("linked"), [doc_en(), doc_fr(), doc_en2()], link=True)
    data = story(linked)
    assert any(len(e.get("members", [])) > 1 for e in data["entities"])  # 'Open AI' resolved into OpenAI
    assert any(len(e.get("members", [])) > 1 for e in data["events"])  # the offer, reported twice
    assert data.get("statements")  # Musk's sentence quoted by both articles
    round_trip(linked, databases, "linked-copy")
    linked.close()


def test_import_into_a_store_with_articles_relinks(databases):
    pytest.importorskip("dossier.linking")
    a = make_store(databases.new("a"), [doc_en()], link=True)
    b = make_store(databases.new("b"), [doc_en2()], link=True)
    report = import_json(a, story(b))
    assert report.stored == 1 and report.linking == "recomputed"
    both = make_store(databases.new("both"), [doc_en(), doc_en2()], link=True)
    assert json.dumps(story(a), sort_keys=True) == json.dumps(story(both), sort_keys=True)
    for s in (a, b, both):
        s.close()


def test_import_rejects_what_is_not_an_export(databases):
    s = open_store(databases.new("x"))
    with pytest.raises(DossierError, match="not a dossier JSON export"):
        import_json(s, {"documents": []})
    src = make_store(databases.new("src"), [doc_fr()])
    bad = story(src)
    src.close()
    bad["amounts"][0]["start"] += 1
    with pytest.raises(DossierError, match=r"amounts\[0\].*not the text"):
        import_json(s, bad)
    assert s.counts()["documents"] == 0
    s.close()


# -- the command line ----------------------------------------------------------------------------


def cli(*args, cwd):
    env = {**os.environ, "COLUMNS": "160"}
    return subprocess.run([sys.executable, "-m", "dossier.cli", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, env=env, timeout=600)


def test_cli_export_every_format_and_import(tmp_path):
    db = tmp_path / "hand.db"
    make_store(db, [doc_en(), doc_fr()]).close()
    for fmt in ("graphml", "gexf", "jsonld", "turtle"):
        r = cli("export", "--format", fmt, "--db", db, "--entity", "Musk", cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        assert "Elon Musk" in r.stdout and "Mistral" not in r.stdout
    for fmt in ("csv", "neo4j"):
        r = cli("export", "-f", fmt, "--db", db, "-o", tmp_path / fmt, "--since", "2025-03", cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        assert (tmp_path / fmt / "entities.csv").exists()
        assert "Musk" not in (tmp_path / fmt / "entities.csv").read_text(encoding="utf-8")
    r = cli("export", "-f", "csv", "--db", db, cwd=tmp_path)
    assert r.returncode == 2 and "directory" in r.stderr
    r = cli("export", "--db", db, "--type", "nonsense", cwd=tmp_path)
    assert r.returncode == 2 and "unknown type" in r.stderr
    r = cli("export", "--db", db, "--until", "yesterday", cwd=tmp_path)
    assert r.returncode == 2 and "not a date" in r.stderr
    r = cli("export", "--db", db, "-o", tmp_path / "story.json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    r = cli("import", tmp_path / "story.json", "--db", tmp_path / "new.db", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "2 documents stored" in r.stdout
    r = cli("import", tmp_path / "story.json", "--db", tmp_path / "new.db", cwd=tmp_path)
    assert r.returncode == 0 and "0 documents stored, 2 already" in r.stdout
    r = cli("export", "--db", tmp_path / "new.db", cwd=tmp_path)
    assert json.loads(r.stdout) == json.loads((tmp_path / "story.json").read_text(encoding="utf-8"))
    r = cli("import", tmp_path / "missing.json", "--db", tmp_path / "new.db", cwd=tmp_path)
    assert r.returncode == 2 and "missing.json" in r.stderr


def test_real_pipeline_store_exports_and_round_trips(databases):
    """Articles written for this test, analysed by the real pipeline."""
    nx = pytest.importorskip("networkx")
    from dossier.build import build_texts

    s = open_store(databases.new("real"))
    texts = [
        Article(text="Airbus livre ses premiers avions\nLe constructeur Airbus a livr\u00e9 lundi \u00e0 Toulouse dix avions "
                     "\u00e0 la compagnie Air France, pour un montant de 1,2 milliard d\u2019euros. Guillaume Faury, "
                     "le patron d\u2019Airbus, s\u2019est f\u00e9licit\u00e9 de cette livraison.\n",
                published="2025-01-13"),
        Article(text="Nvidia buys a start-up\nNvidia agreed to buy the Israeli start-up Run:ai for $700 million, "
                     "Jensen Huang, the chief executive of Nvidia, said on Tuesday in Santa Clara.\n",
                published="2024-04-24"),
    ]
    report = build_texts(texts, s)
    assert report.stored == 2, report.messages
    data = story(s)
    names = {e["name"] for e in data["entities"]}
    assert {"Airbus", "Nvidia"} <= names
    g = nx.parse_graphml(export(s, "graphml"))
    assert g.number_of_nodes() == len(data["entities"])
    round_trip(s, databases, "real-copy")
    s.close()
