"""The cross-article story: resolution, merged events, statements, contradictions, timeline;
on both store backends (``backend``: SQLite and PostgreSQL)."""

import pytest

from dossier.build import build_texts
from dossier.export import story
from dossier.linking import explain, link, timeline
from dossier.model import Article, Doc, Entity, Event, Mention, Quote, Span, content_id, fold
from dossier.store import open_store


def make_doc(text, entities, events=(), quotes=(), published=None):
    """A hand-built Doc: the linking stage only reads stored facts."""
    doc = Doc(article=Article(text=text, published=published), language="fr")
    for name, etype, surface in entities:
        eid = content_id("ent", etype, fold(name))
        start = text.index(surface)
        m = Mention(start, start + len(surface), surface, etype, eid)
        ent = doc.entities.setdefault(eid, Entity(eid, name, etype, [], []))
        if surface != name:
            ent.aliases.append(surface)
        ent.mentions.append(m)
        doc.mentions.append(m)
    ids = {e.name: e.id for e in doc.entities.values()}
    for etype, agent, target, amount, time, sentence in events:
        s = text.index(sentence)
        doc.events.append(Event(etype, agent=[ids[a] for a in agent], target=[ids[t] for t in target], amount=amount,
                                time=time, evidence=[doc.span(s, s + len(sentence))]))
    for speaker, qt in quotes:
        s = text.index(qt)
        doc.quotes.append(Quote(qt, s, s + len(qt), "direct", speaker=ids[speaker]))
    return doc


@pytest.fixture
def store(db_url):
    s = open_store(db_url)
    yield s
    s.close()


def write(store, *docs):
    for d in docs:
        store.write(d)
    link(store)
    return story(store)


FR1 = "Elon Musk a proposé 97,4 milliards de dollars pour OpenAI lundi."
EN1 = "Musk offered $97.4 billion for Open AI on Monday, sources said. Elon Musk leads the group."
EN2 = "Elon Musk bid $98 billion for OpenAI, according to one report."
FR2 = "Près de 100 milliards de dollars : l'offre de Musk pour OpenAI. Elon Musk a confirmé."


def offer(amount, sentence, agent="Elon Musk", target="OpenAI", day=None, approx=False):
    t = {"value": day, "precision": "day", "text": day} if day else None
    return ("acquisition_offer", [agent], [target], {"value": amount, "currency": "USD"}, t, sentence)


def test_entities_resolved_across_articles_and_spellings(store):
    a = make_doc(FR1, [("Elon Musk", "PERSON", "Elon Musk"), ("OpenAI", "ORG", "OpenAI")])
    b = make_doc(EN1, [("Open AI", "ORG", "Open AI"), ("Elon Musk", "PERSON", "Elon Musk")])
    data = write(store, a, b)
    openai = [e for e in data["entities"] if e["name"] in ("OpenAI", "Open AI")]
    assert len(openai) == 1 and {"OpenAI", "Open AI"} == {openai[0]["name"], *openai[0]["aliases"]}
    assert {m["document"] for m in openai[0]["mentions"]} == {a.id, b.id}
    lines = explain(store, "OpenAI", "Open AI")
    assert lines[0].startswith("merged") and any("same normalised name" in line for line in lines)


def test_surname_only_links_with_shared_context_and_smiths_stay_apart(store):
    a = make_doc("Sam Altman dirige OpenAI.", [("Sam Altman", "PERSON", "Sam Altman"), ("OpenAI", "ORG", "OpenAI")])
    b = make_doc("Altman a refusé l'offre d'OpenAI.", [("Altman", "PERSON", "Altman"), ("OpenAI", "ORG", "OpenAI")])
    c = make_doc("John Smith works at Acme. Jane Smith works at Globex.",
                 [("John Smith", "PERSON", "John Smith"), ("Jane Smith", "PERSON", "Jane Smith")])
    d = make_doc("Smith said Acme would grow.", [("Smith", "PERSON", "Smith"), ("Acme", "ORG", "Acme")])
    data = write(store, a, b, c, d)
    names = {e["name"]: e for e in data["entities"]}
    assert "Altman" in names["Sam Altman"]["aliases"] and "Altman" not in names
    assert "Smith" in names and "John Smith" in names and "Jane Smith" in names
    assert explain(store, "John Smith", "Jane Smith")[0].startswith("kept apart")
    assert any("surname" in line for line in explain(store, "Altman", "Sam Altman"))


def test_same_bid_from_several_outlets_is_one_event_with_a_contradiction(store):
    ents = [("Elon Musk", "PERSON", "Elon Musk"), ("OpenAI", "ORG", "OpenAI")]
    a = make_doc(FR1, ents, [offer(97.4e9, FR1)])
    b = make_doc(EN2, ents, [offer(98e9, EN2)])
    data = write(store, a, b)
    offers = [e for e in data["events"] if e["type"] == "acquisition_offer"]
    assert len(offers) == 1 and offers[0]["sources"] == sorted([a.id, b.id])
    assert len(offers[0]["evidence"]) == 2
    (con,) = data["contradictions"]
    assert con["kind"] == "amount" and {v["value"]["value"] for v in con["values"]} == {97.4e9, 98e9}
    for v in con["values"]:
        doc_text = FR1 if v["document"] == a.id else EN2
        assert v["evidence"][0]["text"] == doc_text


def test_each_disagreeing_report_is_paired_once_not_every_pair(store):
    """Six outlets say 97.4, two say 98, one says 95: each report is paired with
    the most widely reported value it contradicts, 8 entries instead of 20 pairs."""
    ents = [("Elon Musk", "PERSON", "Elon Musk"), ("OpenAI", "ORG", "OpenAI")]
    said = [97.4e9] * 6 + [98e9] * 2 + [95e9]
    docs = []
    for k, value in enumerate(said):
        text = f"Outlet {k}: Elon Musk offered ${value / 1e9:g} billion for OpenAI."
        docs.append(make_doc(text, ents, [offer(value, text)]))
    data = write(store, *docs)
    cons = data["contradictions"]
    pairs = sorted(tuple(sorted(v["value"]["value"] for v in c["values"])) for c in cons)
    # each 97.4 report with one 98 report, the other 98 report and the 95 one with a 97.4
    assert pairs == [(95e9, 97.4e9)] + [(97.4e9, 98e9)] * 7
    assert {v["document"] for c in cons for v in c["values"]} == {d.id for d in docs}


def test_approximate_amount_is_not_a_contradiction(db_url):
    s = open_store(db_url)
    build_texts([Article(text=FR1 + "\n", language="fr"), Article(text=FR2 + "\n", language="fr")], s)
    data = story(s)
    (bid,) = [e for e in data["events"] if e["type"] == "acquisition_offer"]
    assert len(bid["sources"]) == 2  # one happening, two reports
    assert not [c for c in data["contradictions"] if c["kind"] == "amount"]
    s.close()


def test_different_happenings_stay_apart(store):
    ents = [("Elon Musk", "PERSON", "Elon Musk"), ("OpenAI", "ORG", "OpenAI")]
    a = make_doc(FR1, ents, [offer(97.4e9, FR1, day="2025-02-10")])
    b = make_doc(EN2, ents, [offer(98e9, EN2, day="2024-03-01")])
    data = write(store, a, b)
    assert len([e for e in data["events"] if e["type"] == "acquisition_offer"]) == 2
    assert not data["contradictions"]


def test_translated_quotes_are_one_statement(store):
    fr = "Sam Altman a répondu : Non merci, mais nous rachèterons Twitter pour 9,74 milliards de dollars si tu veux."
    en = "Sam Altman wrote: no thank you but we will buy twitter for $9.74 billion if you want."
    other = "Sam Altman wrote: we are not for sale, full stop."
    a = make_doc(fr, [("Sam Altman", "PERSON", "Sam Altman")],
                 quotes=[("Sam Altman", "Non merci, mais nous rachèterons Twitter pour 9,74 milliards de dollars si tu veux.")])
    b = make_doc(en + " " + other, [("Sam Altman", "PERSON", "Sam Altman")],
                 quotes=[("Sam Altman", "no thank you but we will buy twitter for $9.74 billion if you want."),
                         ("Sam Altman", "we are not for sale, full stop.")])
    data = write(store, a, b)
    (st,) = data["statements"]
    assert len(st["quotes"]) == 2 and st["sources"] == sorted([a.id, b.id])


def test_timeline_orders_events_and_marks_undated(store):
    ents = [("Elon Musk", "PERSON", "Elon Musk"), ("OpenAI", "ORG", "OpenAI")]
    a = make_doc(FR1, ents, [offer(97.4e9, FR1, day="2025-02-10")])
    b = make_doc("Elon Musk a poursuivi OpenAI en justice.", ents,
                 [("lawsuit", ["Elon Musk"], ["OpenAI"], None, None, "Elon Musk a poursuivi OpenAI en justice.")],
                 published="2024-03-01")
    c = make_doc("OpenAI a levé des fonds.", [("OpenAI", "ORG", "OpenAI")],
                 [("fundraising", ["OpenAI"], [], None, None, "OpenAI a levé des fonds.")])
    data = write(store, a, b, c)
    rows = timeline(data)
    assert [r["event"]["type"] for r in rows] == ["lawsuit", "acquisition_offer", "fundraising"]
    assert [r["placed_by"] for r in rows] == ["publication date", "event date", "undated"]
    only = timeline(data, entity="Musk")
    assert {r["event"]["type"] for r in only} == {"lawsuit", "acquisition_offer"}


def _story_json(store):
    import json

    data = story(store)
    for d in data["documents"]:
        d.pop("path")
    data["documents"].sort(key=lambda d: d["id"])
    return json.dumps(data, sort_keys=True)


def test_incremental_linking_equals_a_full_pass_in_any_order(databases):
    """Adding articles one by one links only what each touches, yet the story
    is the one a single full pass gives, whatever the order of arrival."""
    from conftest import ROOT, SHARED
    from dossier.build import build

    files = sorted((ROOT / "examples").glob("*.txt")) + [ROOT / "examples" / "world-news.jsonl"]
    seed = SHARED / "corpus" / "openai-bid-fr.txt"
    if seed.exists():
        files.append(seed)
    whole = open_store(databases.new("whole"))
    build(files, whole)
    expected = _story_json(whole)
    whole.close()
    for name, order in (("forward", files), ("backward", files[::-1])):
        s = open_store(databases.new(name))
        for f in order:
            build([f], s)
        assert _story_json(s) == expected, name
        s.close()


def test_a_name_mistyped_in_a_few_articles_joins_the_majority_type(store):
    org = [("OpenAI", "ORG", "OpenAI")]
    docs = [make_doc(f"OpenAI a publié un rapport numéro {i}.", org) for i in range(4)]
    odd = make_doc("Altman says OpenAI is not for sale.", [("OpenAI", "PERSON", "OpenAI")])
    smith = [make_doc(f"John Smith leads Acme, report {i}.", [("John Smith", "PERSON", "John Smith")]) for i in range(4)]
    acme = make_doc("John Smith, the company, grew.", [("John Smith", "ORG", "John Smith")])
    data = write(store, *docs, odd, *smith, acme)
    openai = [e for e in data["entities"] if e["name"] == "OpenAI"]
    assert len(openai) == 1 and openai[0]["type"] == "ORG" and len(openai[0]["mentions"]) == 5
    assert any("majority type" in line for line in explain(store, "OpenAI", "OpenAI"))
    # one name is one actor across articles, whatever the type voted in each: the majority type wins
    smiths = [e for e in data["entities"] if e["name"] == "John Smith"]
    assert len(smiths) == 1 and smiths[0]["type"] == "PERSON" and len(smiths[0]["mentions"]) == 5


def test_a_name_typed_differently_in_as_many_articles_is_still_one_actor(store):
    ab = [make_doc(f"Activision Blizzard publie ses résultats, note {i}.", [("Activision Blizzard", "ORG", "Activision Blizzard")])
          for i in range(2)]
    odd = [make_doc(f"Activision Blizzard shares rose, report {i}.", [("Activision Blizzard", "PERSON", "Activision Blizzard")])
           for i in range(2)]
    data = write(store, *ab, *odd)
    found = [e for e in data["entities"] if e["name"] == "Activision Blizzard"]
    assert len(found) == 1 and found[0]["type"] == "ORG" and len(found[0]["mentions"]) == 4


def _brute_force_clusters(events):
    """Every pair of the same type sharing an actor compared, as the rule reads."""
    from itertools import combinations

    from dossier.linking import UnionFind, _compatible_report, _happening, _same

    uf = UnionFind()
    for e in events:
        uf.find(e["id"])
    for x, y in combinations(events, 2):
        shared = (set(x["roles"]["agent"]) | set(x["roles"]["target"])) & (
            set(y["roles"]["agent"]) | set(y["roles"]["target"]))
        if shared and x["document"] != y["document"] and _same(_happening(x), _happening(y)):
            uf.union(x["id"], y["id"])
    # then each report without agent joins the one cluster with an agent it
    # fits (same type, a shared target, amount and date agreeing), the
    # clusters read before any such join
    root = {e["id"]: uf.find(e["id"]) for e in events}
    joins = []
    for x in events:
        if x["roles"]["agent"] or not x["roles"]["target"]:
            continue
        fits = {root[y["id"]] for y in events if y["roles"]["agent"] and _compatible_report(_happening(x), _happening(y))}
        if len(fits) == 1:
            joins.append((x["id"], fits.pop()))
    for a, b in joins:
        uf.union(a, b)
    return {e["id"]: uf.find(e["id"]) for e in events}


@pytest.mark.parametrize("seed", range(12))
def test_event_clusters_equal_comparing_every_pair(seed):
    """Candidates come from shared targets and agents, and joined pairs are
    skipped: the clusters must still be those of comparing every pair, for
    busy agents, shared targets, missing targets, dates and amounts."""
    import random

    from dossier.linking import cluster_events

    rnd = random.Random(seed)
    companies = [f"ent_c{i}" for i in range(8)]
    events = []
    for i in range(160):
        agents = rnd.sample(companies, rnd.choice((0, 1, 1, 2)))
        targets = rnd.sample(companies, rnd.choice((0, 1, 1, 2)))
        if not agents and not targets:
            agents = [rnd.choice(companies)]
        day = rnd.choice((None, f"2025-0{rnd.randint(1, 9)}-1{rnd.randint(0, 9)}"))
        amount = rnd.choice((None, {"value": rnd.choice((1e9, 1.001e9, 2e9)), "currency": rnd.choice(("USD", "EUR"))}))
        events.append({"id": f"evt_{i:04d}", "document": f"doc_{rnd.randint(0, 40)}",
                       "type": rnd.choice(("acquisition", "lawsuit")),
                       "roles": {"agent": agents, "target": targets, "place": [],
                                 "time": day and {"value": day, "precision": "day"}, "amount": amount}})
    assert cluster_events(events) == _brute_force_clusters(events)


@pytest.mark.parametrize("seed", range(12))
def test_statements_equal_comparing_every_pair(seed):
    """A speaker's quotes are compared only when they share a number or a
    rare word: the statements must still be those of comparing every pair."""
    import random
    from itertools import combinations

    from dossier.linking import UnionFind, _quote_keys, _same_statement, group_statements

    rnd = random.Random(seed)
    vocab = ["offre", "milliards", "dollars", "OpenAI", "Twitter", "mission", "humanité", "refuse", "merci",
             "sécurité", "profit", "prudence", "régulation", "Altman", "Musk", "board", "offer", "billion",
             "safety", "nonprofit"]
    quotes = []
    for i in range(150):
        words = rnd.sample(vocab, rnd.randint(1, 7))
        if rnd.random() < 0.3:
            words.append(rnd.choice(("97,4", "9,74", "97.4", "2015")))
        quotes.append({"id": f"quo_{i:04d}", "document": f"doc_{rnd.randint(0, 30)}", "kind": "direct",
                       "speaker": rnd.choice(("ent_musk", "ent_altman")), "text": " ".join(words)})
    uf = UnionFind()
    for q in quotes:
        uf.find(q["id"])
    for x, y in combinations(quotes, 2):
        if (x["speaker"] == y["speaker"] and x["document"] != y["document"]
                and _same_statement(_quote_keys(x["text"]), _quote_keys(y["text"]))):
            uf.union(x["id"], y["id"])
    assert group_statements(quotes) == {q["id"]: uf.find(q["id"]) for q in quotes}


def test_a_report_without_agent_joins_the_one_happening_it_fits(store):
    # "le rachat de Zenimax se complique": no buyer named, one buyer known
    a = make_doc("Microsoft buys Zenimax for $7.5 billion.", [("Microsoft", "ORG", "Microsoft"), ("Zenimax", "ORG", "Zenimax")],
                 [("acquisition", ["Microsoft"], ["Zenimax"], {"value": 7.5e9, "currency": "USD"}, None,
                   "Microsoft buys Zenimax for $7.5 billion.")])
    b = make_doc("Le rachat de Zenimax se complique.", [("Zenimax", "ORG", "Zenimax")],
                 [("acquisition", [], ["Zenimax"], None, None, "Le rachat de Zenimax se complique.")])
    # two rival bidders for Sky: a report naming neither stays apart
    c = make_doc("Comcast bids for Sky.", [("Comcast", "ORG", "Comcast"), ("Sky", "ORG", "Sky")],
                 [("acquisition_offer", ["Comcast"], ["Sky"], None, None, "Comcast bids for Sky.")])
    d = make_doc("Disney bids for Sky too.", [("Disney", "ORG", "Disney"), ("Sky", "ORG", "Sky")],
                 [("acquisition_offer", ["Disney"], ["Sky"], None, None, "Disney bids for Sky too.")])
    e = make_doc("The bid for Sky is the largest this year.", [("Sky", "ORG", "Sky")],
                 [("acquisition_offer", [], ["Sky"], None, None, "The bid for Sky is the largest this year.")])
    data = write(store, a, b, c, d, e)
    zenimax = [ev for ev in data["events"] if ev["type"] == "acquisition"]
    assert len(zenimax) == 1 and set(zenimax[0]["sources"]) == {a.id, b.id}, zenimax
    sky = [ev for ev in data["events"] if ev["type"] == "acquisition_offer"]
    assert len(sky) == 3, [(ev["roles"]["agent"], ev["sources"]) for ev in sky]
