"""The vocabulary registry: a predicate added in the data alone is extracted and exported."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import dossier.lang

SCRIPT = r'''
import json
from dossier import formats, vocab
from dossier.model import Article
from dossier.pipeline import analyse_texts

doc = next(analyse_texts([Article(text="Mark Denholm, a backer of Vantrell Systems, declined to comment.", language="en")]))
names = {e.id: e.name for e in doc.entities.values()}
print(json.dumps({"relations": [[names[r.subject], r.predicate, names[r.object]] for r in doc.relations],
                  "family": sorted(vocab.family("investor_in")), "rdf": formats.SCHEMA_RELATIONS["investor_in"]}))
'''


def test_a_predicate_added_to_the_vocabulary_and_a_language_is_extracted(tmp_path):
    # a copy of the data with one more predicate and the role noun that names it: no code changes
    root = tmp_path / "lang"
    shutil.copytree(Path(dossier.lang.__file__).parent, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    vocab = json.loads((root / "vocab.json").read_text(encoding="utf-8"))
    vocab["predicates"]["investor_in"] = {"subject": ["PERSON", "ORG"], "object": ["ORG"],
                                          "schema_org": {"property": "funder", "inverse": True}}
    (root / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    relations = json.loads((root / "en" / "relations.json").read_text(encoding="utf-8"))
    relations["roles"]["backer"] = "investor_in"
    (root / "en" / "relations.json").write_text(json.dumps(relations), encoding="utf-8")

    out = subprocess.run([sys.executable, "-c", SCRIPT], env={**os.environ, "DOSSIER_LANG_DIR": str(root)},
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert ["Mark Denholm", "investor_in", "Vantrell Systems"] in got["relations"]
    assert got["family"] == ["investor_in"] and got["rdf"] == ["funder", True]


def test_without_the_registry_a_new_predicate_is_no_crash():
    """A role noun naming an unregistered predicate is no relation (the data
    tests name it): the article is still read."""
    from dossier import relations

    assert relations._normalise("no_such_predicate", "ORG") is None
