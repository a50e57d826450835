"""Inputs whose analysis used to grow faster than the text (issue 20): runs of
punctuation are bounded before spaCy reads them and over-long sentences are
cut, with every offset still true to the original text; an article over its
analysis budget fails alone. Behaviour only: the times are measured by
``benchmarks/growth.py``, not here."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time

import pytest

from conftest import ROOT, run

from dossier import nlp, pipeline
from dossier.build import BUDGET, BUDGET_PER_CHAR, budget
from dossier.index import MAX_PARSED_TOKENS, MAX_SENTENCE_TOKENS
from dossier.model import Article, Doc
from dossier.pipeline import OverBudget, analyse, analyse_iter, component, make_doc

sys.path.insert(0, str(ROOT / "benchmarks"))
from growth import french_prose  # noqa: E402


def check_tokens(doc: Doc) -> None:
    """Every token and sentence is at its place in the original text."""
    t = doc.text
    for tok in doc.tokens:
        assert t[tok.start:tok.end] == tok.text, tok
    for sentences, longest in ((doc.sentences, MAX_PARSED_TOKENS), (doc.index.sentences, MAX_SENTENCE_TOKENS)):
        for s in sentences:
            assert 0 <= s.start <= s.end <= len(t)
            assert doc.tokens[s.first].start == s.start
            assert 0 < s.last - s.first <= longest


def test_bounded_keeps_length_and_short_runs():
    assert nlp._bounded("Bon... « oui » !!") == "Bon... « oui » !!"
    sixteen = '"' * 16
    assert nlp._bounded(f"a {sixteen} b") == f"a {sixteen} b"
    for run in ('"' * 500, "'" * 40, "(" * 17, "«»" * 30, "\U0001F600" * 100, "_" * 50, "-.,;" * 20):
        text = f"Arvel {run}Renault"
        out = nlp._bounded(text)
        assert len(out) == len(text)
        assert out.startswith("Arvel " + run[:nlp.RUN_MAX]) and out.endswith(" Renault")
        assert out[6 + nlp.RUN_MAX : -len("Renault")].strip() == ""


@pytest.mark.parametrize("run", ['"' * 3000, "'" * 2000, "(" * 1500, "«" * 800 + "»" * 800, "\U0001F600" * 700,
                                 "\"'(«*" * 300])
def test_french_facts_around_a_punctuation_run_keep_true_offsets(run):
    text = ("Renault a proposé 12 millions d'euros pour racheter Arvel, a annoncé Jean-Dominique Senard "
            f"le 3 mars 2024. {run} « Nous ne sommes pas à vendre », a déclaré Sophie Martin. {run}"
            "Pierre Durand soutient la taxe sur les superprofits.")
    doc = run_checked(text, "fr")
    names = {m.text for m in doc.mentions}
    assert {"Renault", "Arvel", "Sophie Martin"} <= names
    assert [a.text for a in doc.amounts] == ["12 millions d'euros"]
    if not run.startswith("\"'"):  # hundreds of stray « around it may pair with its marks
        assert any(q.text == "Nous ne sommes pas à vendre" for q in doc.quotes)


@pytest.mark.parametrize("run", ['"' * 2500, "'" * 2500, "(" * 2000, ")" * 2000, "#" * 900 + "=" * 900])
def test_english_facts_around_a_punctuation_run_keep_true_offsets(run):
    text = (f"Microsoft bought Activision for $69 billion, Satya Nadella said on Monday. {run}"
            f'"We are not for sale," said Sophie Martin. {run} Elon Musk criticised the deal.')
    doc = run_checked(text, "en")
    names = {m.text for m in doc.mentions}
    assert {"Microsoft", "Activision", "Sophie Martin"} <= names
    assert [a.text for a in doc.amounts] == ["$69 billion"]
    assert any(q.text == "We are not for sale," or q.text == "We are not for sale" for q in doc.quotes)


def run_checked(text: str, lang: str) -> Doc:
    doc = run(text, lang)  # checks every mention, amount, date, quote, event, relation and stance
    check_tokens(doc)
    return doc


def test_run_inside_a_quote_and_a_name_keeps_offsets():
    text = "Le patron d'Arvel, " + "(" * 40 + "Sophie Martin" + ")" * 40 + ", a dit : « " + '"' * 100 + " non »."
    doc = run_checked(text, "fr")
    assert any(m.text == "Sophie Martin" for m in doc.mentions)


def test_a_phrase_repeated_without_a_full_stop_is_cut_into_bounded_sentences():
    text = "Musk said that " * 400 + "Tesla supports the deal."
    doc = run_checked(text, "en")
    assert len(doc.index.sentences) > 1
    for st in doc.stances:  # the evidence is a (bounded) sentence of the text
        assert st.evidence.end - st.evidence.start < len(text)


def test_french_prose_on_one_long_line_keeps_true_offsets():
    doc = run_checked(french_prose(30_000), "fr")
    assert len(doc.amounts) > 50 and doc.quotes and doc.mentions


def test_over_budget_docs_are_reported_in_order_and_not_yielded():
    docs = [make_doc(Article(text=t, language="fr", path=f"a{i}"))
            for i, t in enumerate(["Renault a racheté Arvel.", "Sophie Martin dirige Arvel."])]
    seen: list[str] = []
    groups = list(analyse_iter(docs, budget=1e-9, over=lambda d: seen.append(d.article.path)))
    assert groups == [] and seen == ["a0", "a1"]
    with pytest.raises(OverBudget, match="a0: analysis took longer than 1e-09 s"):
        list(analyse_iter([make_doc(Article(text="Renault a racheté Arvel.", language="fr", path="a0"))],
                          budget=1e-9))


def test_a_slow_doc_fails_alone_between_components(monkeypatch):
    monkeypatch.setattr(pipeline, "REGISTRY", dict(pipeline.REGISTRY))

    @component("_slow_for_tests", reads=("tokens",), writes=())
    def _slow(doc: Doc) -> None:
        if "LENT" in doc.text:
            time.sleep(3)

    texts = ["Renault a racheté Arvel.", "LENT : Sophie Martin dirige Arvel.", "Pierre Durand critique Renault."]
    names = ("ner", "entities", "_slow_for_tests")
    analyse([make_doc(Article(text=t, language="fr")) for t in texts], names)  # components warmed up
    docs = [make_doc(Article(text=t, language="fr", path=f"a{i}")) for i, t in enumerate(texts)]
    order: list[str] = []
    for group in analyse_iter(docs, names, budget=1.5, over=lambda d: order.append("over " + d.article.path)):
        order += [d.article.path for d in group]
    assert order == ["a0", "over a1", "a2"]
    assert docs[0].entities and docs[2].entities


def test_the_budget_grows_with_the_article_unless_dossier_budget_sets_it(monkeypatch):
    short, long = (make_doc(Article(text="Renault a racheté Arvel. " * n, language="fr")) for n in (1, 40_000))
    monkeypatch.delenv("DOSSIER_BUDGET", raising=False)
    assert budget()(short) == BUDGET
    assert budget()(long) == round(BUDGET + BUDGET_PER_CHAR * len(long.text)) > BUDGET
    monkeypatch.setenv("DOSSIER_BUDGET", "2.5")
    assert budget()(short) == budget()(long) == 2.5
    monkeypatch.setenv("DOSSIER_BUDGET", "0")
    assert budget()(long) is None
    monkeypatch.setenv("DOSSIER_BUDGET", "soon")
    assert budget()(short) == BUDGET


def test_budget_fails_the_article_through_the_cli_and_stores_the_others(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a-small.txt").write_text("Renault a racheté Arvel pour 12 millions d'euros, a annoncé Jean Dupont.\n",
                                     encoding="utf-8")
    (src / "b-big.txt").write_text(french_prose(1_000_000, newline_every=6), encoding="utf-8")
    (src / "c-small.txt").write_text("Microsoft bought Activision for $69 billion, Satya Nadella said.\n",
                                     encoding="utf-8")
    db = tmp_path / "story.db"
    env = dict(os.environ, DOSSIER_BUDGET="10")
    r = subprocess.run([sys.executable, "-m", "dossier.cli", "build", str(src), "--db", str(db), "-q"],
                       capture_output=True, text=True, env=env, cwd=ROOT, timeout=900)
    assert r.returncode == 1, r.stderr
    assert f"{src / 'b-big.txt'}: analysis took longer than 10 s; skipped" in r.stderr
    assert "2 stored" in r.stdout + r.stderr and "1 failed" in r.stdout + r.stderr
    con = sqlite3.connect(db)
    try:
        paths = sorted(p for (p,) in con.execute("SELECT path FROM documents"))
        assert [os.path.basename(p) for p in paths] == ["a-small.txt", "c-small.txt"]
        docs = {d for (d,) in con.execute("SELECT id FROM documents")}
        for table in ("mentions", "amounts", "quotes"):
            found = {d for (d,) in con.execute(f"SELECT DISTINCT document FROM {table}")}
            assert found <= docs, table  # nothing of the failed article
    finally:
        con.close()
