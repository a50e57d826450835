"""The document index (``doc.index``), the ``ner`` component and the checks of
what components declare they read and write."""

from __future__ import annotations

import pickle

import pytest
from conftest import run

from dossier import pipeline
from dossier.model import Article, Block, Doc, Mention, Sentence

FR = "Elon Musk a fondé sa propre start-up d'IA générative, xAI, en 2023. Elle vaut 24 milliards."
EN = "OpenAI CEO Sam Altman met Satya Nadella in Seattle. He said Microsoft would invest."


def test_token_at_an_offset_and_tokens_in_a_range():
    doc = run(EN, names=())
    ix = doc.index
    at = EN.index("Altman")
    t = doc.tokens[ix.token_at(at + 2)]  # inside the word: the token holding it
    assert t.text == "Altman" and ix.first_at(at) == t.i
    assert [t.text for t in ix.tokens_in(at - 4, at + 6)] == ["Sam", "Altman"]
    assert [t.text for t in ix.tokens_in(at - 3, at + 6)] == ["Altman"]  # "am" of Sam: not inside
    assert [t.text for t in ix.tokens_from(at - 4, at + 3)] == ["Sam", "Altman"]  # may run past the end
    said = next(t for t in doc.tokens if t.text == "said")
    assert all(doc.tokens[c].head == said.i for c in ix.children[said.i])
    lo, hi = ix.subtree(said.i)
    assert lo <= said.i <= hi
    assert ix.block_of(said) == ix.block_at(said.start) == 0


def test_mentions_in_a_range_and_the_entity_of_a_token():
    doc = run(FR, names=("entities",))
    ix = doc.index
    end_first = FR.index(".") + 1
    names = [m.text for m in ix.mentions_in(0, end_first)]
    assert "Elon Musk" in names and "xAI" in names
    assert [m.text for m in ix.mentions_in(FR.index("Musk"), end_first)] == ["xAI"]  # Elon Musk is not inside
    assert [m.text for m in ix.mentions_over(FR.index("Musk"), FR.index("Musk") + 4)] == ["Elon Musk"]
    musk = doc.tokens[ix.token_at(FR.index("Musk"))]
    assert doc.entities[ix.entity_of(musk.i)].name == "Elon Musk"
    assert ix.etype(ix.entity_of(musk.i)) == "PERSON"
    assert ix.entity_of(doc.tokens[ix.token_at(FR.index("fondé"))].i) is None


def test_mention_look_ups_follow_the_mentions():
    doc = run(EN, names=("entities",))
    ix = doc.index
    at = EN.index("Seattle")
    i = ix.token_at(at)
    assert ix.etype(ix.entity_of(i)) == "LOC"
    doc.mentions.clear()  # a component replacing the mentions
    assert ix.mentions == [] and ix.entity_of(i) is None and ix.mentions_in(0, len(EN)) == []
    doc.mentions.append(Mention(at, at + 7, "Seattle", "test", next(iter(doc.entities))))
    assert ix.mention_of(i).label == "test" and [m.label for m in ix.mentions_over(at + 1, at + 2)] == ["test"]


def test_sentences_cut_inside_are_merged_once_for_every_component():
    doc = run(FR, names=())
    merged = doc.index.sentences
    assert [FR[s.start:s.end] for s in merged] == [FR[: FR.index(".") + 1], "Elle vaut 24 milliards."]
    assert len(doc.sentences) >= len(merged)  # the parser's own cut stays on the Doc
    assert merged[0].first == 0 and merged[-1].last == len(doc.tokens)
    assert doc.index is doc.index  # made once


def test_merging_stops_at_final_punctuation_and_at_a_block():
    text = "Une start-up lève des fonds\nSa propre start-up grandit. Fin."
    a = text.index("\n")
    doc = Doc(article=Article(text=text), language="fr",
              blocks=[Block(0, a, "title"), Block(a + 1, len(text), "paragraph")])
    cuts = [(0, a, 0), (a + 1, a + 16, 1), (a + 16, a + 17, 1), (a + 17, text.index(".") + 1, 1),
            (text.index(".") + 2, len(text), 1)]
    doc.sentences = [Sentence(i, s, e, i, i + 1, b, b == 0) for i, (s, e, b) in enumerate(cuts)]
    assert [text[s.start:s.end] for s in doc.index.sentences] == [
        "Une start-up lève des fonds", "Sa propre start-up grandit.", "Fin."]
    assert [s.heading for s in doc.index.sentences] == [True, False, False]


def test_a_pickled_doc_leaves_its_index_behind():
    doc = run(EN, names=())
    doc.index  # noqa: B018
    copy = pickle.loads(pickle.dumps(doc))
    assert "_index" not in copy.__dict__
    assert [t.text for t in copy.index.tokens_in(0, 6)] == ["OpenAI"]


# -- what components declare ---------------------------------------------------


def test_a_component_must_read_and_write_fields_of_doc(monkeypatch):
    monkeypatch.setattr(pipeline, "REGISTRY", dict(pipeline.REGISTRY))
    with pytest.raises(ValueError, match=r"'nope'.*\['text'\].*not fields of Doc"):
        pipeline.component("nope", reads=("text",))
    with pytest.raises(ValueError, match=r"\['summaries'\]"):
        pipeline.component("nope", reads=("tokens",), writes=("summaries",))
    assert "nope" not in pipeline.REGISTRY
    pipeline.component("fine", reads=("tokens", "mentions"), writes=("events",))(lambda doc: None)
    assert "fine" in pipeline.REGISTRY


def test_every_registered_component_declares_doc_fields():
    for name in pipeline.DEFAULT:
        c = pipeline.get(name)
        assert c is not None and set(c.reads) | set(c.writes) <= pipeline.FIELDS, name


# -- swapping the entity recogniser --------------------------------------------

ZX = "Le groupe Zorblaxique a présenté ses résultats. Zorblaxique recrute à Lyon."


def _lexicon_ner(doc: Doc) -> None:
    """A tiny lexicon recogniser: every ``Zorblaxique`` is an organisation."""
    at = doc.text.find("Zorblaxique")
    while at >= 0:
        doc.ner.append(Mention(at, at + 11, "Zorblaxique", "ORG"))
        at = doc.text.find("Zorblaxique", at + 1)


@pytest.fixture
def lexicon_ner(monkeypatch):
    monkeypatch.setattr(pipeline, "REGISTRY", dict(pipeline.REGISTRY))
    pipeline.get("ner")  # spaCy's, registered on import
    pipeline.component("lexicon_ner", reads=("article",), writes=("ner",))(_lexicon_ner)
    return "lexicon_ner"


def test_a_recogniser_registered_instead_of_spacys(lexicon_ner):
    doc = run(ZX, names=(lexicon_ner, "entities"))
    assert [(e.name, e.type) for e in doc.entities.values()] == [("Zorblaxique", "ORG")]
    assert len(doc.entities[next(iter(doc.entities))].mentions) == 2
    assert {m.label for m in doc.ner} == {"ORG"}  # spaCy's recogniser did not run


def test_a_recogniser_beside_spacys(lexicon_ner):
    doc = run(ZX, names=("ner", lexicon_ner, "entities"))
    names = {e.name: e.type for e in doc.entities.values()}
    assert names.get("Zorblaxique") == "ORG" and names.get("Lyon") == "LOC"


def test_spacys_recogniser_runs_when_none_is_named():
    doc = run(ZX, names=("entities",))
    assert doc.ner and pipeline.components(("entities",))[0].name == "ner"
    assert any(e.name == "Lyon" for e in doc.entities.values())
