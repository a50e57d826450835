"""People named by their title: within an article and across articles."""

from dossier.build import build_texts
from dossier.export import story
from dossier.linking import explain
from dossier.model import Article
from dossier.store import open_store

from conftest import name_of, run


def test_title_is_a_mention_of_the_person_the_article_names():
    doc = run("OpenAI CEO Sam Altman said on Monday that the company was not for sale. "
              "The OpenAI CEO later told reporters that the board agreed.", lang="en")
    altman = next(e for e in doc.entities.values() if e.name == "Sam Altman")
    assert "The OpenAI CEO" in [m.text for m in altman.mentions]
    said = next(q for q in doc.quotes if "board agreed" in q.text)
    assert name_of(doc, said.speaker) == "Sam Altman"  # "the OpenAI CEO" told reporters


def test_french_title_with_a_possessive_org():
    doc = run("Sam Altman, le directeur général d’OpenAI, a refusé l’offre lundi. "
              "Le patron d’OpenAI a ensuite ironisé sur le réseau social X.", lang="fr")
    altman = next(e for e in doc.entities.values() if e.name == "Sam Altman")
    assert "Le patron d’OpenAI" in [m.text for m in altman.mentions]


def test_title_with_a_name_beside_it_is_not_a_separate_person():
    doc = run("Tesla chief executive Elon Musk visited the plant in Grünheide on Friday.", lang="en")
    assert not any(e.role for e in doc.entities.values())


def test_unknown_holder_stays_a_titled_person_and_links_across_articles(tmp_path):
    store = open_store(tmp_path / "s.db")
    a = Article(text="The OpenAI chief executive rejected the unsolicited offer on Monday, the company said.\n",
                language="en", source="Wire A")
    b = Article(text="OpenAI CEO Sam Altman has led the company since 2019, when Microsoft invested in OpenAI.\n",
                language="en", source="Wire B")
    build_texts([a], store)
    titled = [e for e in story(store)["entities"] if e["name"].startswith("chief executive")]
    assert titled and titled[0]["type"] == "PERSON"  # an honest gap until another article says who
    build_texts([b], store)
    data = story(store)
    altman = next(e for e in data["entities"] if e["name"] == "Sam Altman")
    assert "The OpenAI chief executive" in [m["text"] for m in altman["mentions"]]
    assert not [e for e in data["entities"] if e["name"].startswith("chief executive")]
    assert any("title match" in line for line in explain(store, "Sam Altman", "chief executive (OpenAI)"))
    store.close()
