"""``dossier eval`` over gold files written for the tests: list speakers and
holders, several files over one store, and bad gold files that are named and
skipped while the others are scored."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dossier.build import build
from dossier.evaluate import evaluate, evaluate_documents
from dossier.errors import DossierError
from dossier.store import open_store

ARTICLE = (
    "Le groupe lyonnais Verdane rachète la start-up Optilis pour 120 millions d'euros\n\n"
    "Le groupe Verdane a annoncé lundi le rachat de la start-up Optilis pour 120 millions d'euros. "
    "« C'est une étape décisive pour notre croissance », a déclaré Claire Morin, directrice générale de Verdane. "
    "Paul Girard, fondateur d'Optilis, s'est dit favorable à l'opération.\n"
)


@pytest.fixture(scope="module")
def story_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("gold")
    (root / "corpus").mkdir()
    (root / "gold").mkdir()
    (root / "corpus" / "verdane.txt").write_text(ARTICLE, encoding="utf-8")
    store = open_store(str(root / "s.db"))
    build([str(root / "corpus")], store)
    store.close()
    return root


def _gold(root: Path, name: str, body: dict | str) -> Path:
    p = root / "gold" / name
    p.write_text(body if isinstance(body, str) else json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return p


def test_list_speakers_and_holders_are_acceptable_names(story_dir):
    g = _gold(story_dir, "lists.json", {
        "document": "corpus/verdane.txt",
        "quotes": [{"speaker": ["Verdane", "Claire Morin"], "text": "C'est une étape décisive pour notre croissance"}],
        "stances": [{"holder": ["Optilis", "Paul Girard"], "topic": "rachat", "polarity": "support",
                     "evidence_contains": "favorable"}],
    })
    store = open_store(str(story_dir / "s.db"))
    scores = evaluate(store, [g])
    store.close()
    assert scores["quotes"].tp_gold == 1 and scores["quotes"].n_gold == 1
    assert scores["stances"].n_gold == 1  # scored, not a TypeError on the list


def test_a_bad_gold_file_is_named_and_the_others_are_scored(story_dir):
    good = _gold(story_dir, "good.json", {"document": "corpus/verdane.txt",
                                          "entities": [{"name": "Verdane", "type": "ORG"}]})
    broken = _gold(story_dir, "broken.json", "{not json")
    wrong_shape = _gold(story_dir, "shape.json", {"document": "corpus/verdane.txt", "quotes": [{"text": "x"}]})
    store = open_store(str(story_dir / "s.db"))
    problems: list[str] = []
    per_doc = evaluate_documents(store, [broken, good, wrong_shape], problems.append)
    with pytest.raises(DossierError, match="broken.json"):
        evaluate(store, [broken])
    store.close()
    assert list(per_doc) == [str(good)]
    assert per_doc[str(good)]["entities"].tp_gold == 1
    assert len(problems) == 2 and "broken.json" in problems[0] and "shape.json" in problems[1]
    assert "speaker" in problems[1]  # the missing field is named


def test_cli_reports_bad_gold_and_exits_1(story_dir):
    good = _gold(story_dir, "good2.json", {"document": "corpus/verdane.txt",
                                           "entities": [{"name": "Verdane", "type": "ORG"}]})
    broken = _gold(story_dir, "broken2.json", "[]")
    r = subprocess.run([sys.executable, "-m", "dossier.cli", "eval", str(broken), str(good), "--db",
                        str(story_dir / "s.db"), "--json"], capture_output=True, text=True)
    assert r.returncode == 1
    assert "broken2.json" in r.stderr and "Traceback" not in r.stderr
    scores = json.loads(r.stdout)
    assert scores["entities"]["found"] == 1
