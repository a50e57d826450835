"""One rule finds an entity by name in every command (``dossier.query.match_entities``):
``show --entity``, ``timeline --entity``, ``export --entity`` and ``why`` agree.

The store is built by the real ``dossier build`` from articles written for this
test, in which Elon Musk is only ever called by his full name: "Musk" is no
alias of his, the case where the commands used to disagree."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from dossier.cli import app
from dossier.query import find_entities
from dossier.store import open_store

ARTICLES = {
    "bid-en.txt": "Elon Musk bids for OpenAI\n\nElon Musk offered on Monday to buy OpenAI for $97.4 billion, "
                  "according to a statement from his lawyer. Sam Altman, the chief executive of OpenAI, rejected "
                  "the offer on Tuesday.\n",
    "breton-fr.txt": "Deux Breton à Bruxelles\n\nThierry Breton a rencontré mardi à Bruxelles la romancière Marie "
                     "Breton pour parler de l'Europe. Thierry Breton a salué le courage de Marie Breton.\n",
    "renault-fr.txt": "Renault présente la R5\n\nLe constructeur Renault a présenté lundi à Paris sa nouvelle voiture "
                      "électrique, la R5, a annoncé Luca de Meo, le directeur général de Renault.\n",
}


def cli(*args):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "250", "NO_COLOR": "1"})


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lookup")
    (folder / "articles").mkdir()
    for name, text in ARTICLES.items():
        (folder / "articles" / name).write_text(text, encoding="utf-8")
    db = folder / "story.db"
    r = cli("build", folder / "articles", "--db", db, "-q")
    assert r.exit_code == 0, r.output
    return db


def exported(db, *args) -> dict:
    r = cli("export", "--db", db, *args)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_musk_is_no_alias_in_this_story(db):
    entities = exported(db)["entities"]
    musk = [e for e in entities if e["name"] == "Elon Musk"]
    assert len(musk) == 1 and musk[0]["type"] == "PERSON"
    assert not any("musk" == n.lower() for e in entities for n in (e["name"], *e["aliases"]))


@pytest.mark.parametrize("name", ["Musk", "musk", "ELON MUSK", "Élon Musk"])
def test_show_timeline_export_and_why_find_the_same_entity(db, name):
    full = exported(db, "--entity", "Elon Musk")
    musk_id = next(e["id"] for e in full["entities"] if e["name"] == "Elon Musk")

    show = cli("show", "--db", db, "--entity", name)
    assert show.exit_code == 0, show.output
    assert show.stdout.startswith("Elon Musk (PERSON)")
    assert show.stdout == cli("show", "--db", db, "--entity", "Elon Musk").stdout

    tl = cli("timeline", "--db", db, "--entity", name)
    assert tl.exit_code == 0, tl.output
    events = [line for line in tl.stdout.splitlines() if not line.startswith(" ")]
    assert events and all("Elon Musk" in line for line in events)
    assert "acquisition_offer: Elon Musk → OpenAI" in tl.stdout

    assert exported(db, "--entity", name) == full  # the same facts as for the full name
    with open_store(db) as store:  # and the Python API agrees
        assert {e["id"] for e in find_entities(store, name)} == {musk_id}

    why = cli("why", "--db", db, name, "Elon Musk")
    assert why.exit_code == 0, why.output
    assert why.stdout.startswith(f"'{name}' and 'Elon Musk' are one entity: Elon Musk (PERSON), because")


def test_spacing_and_punctuation_aside(db):
    r = cli("show", "--db", db, "--entity", "luca-de-meo")
    assert r.exit_code == 0 and r.stdout.startswith("Luca de Meo (PERSON)"), r.output


COMMANDS = {
    "show": lambda db, name: ("show", "--db", db, "--entity", name),
    "timeline": lambda db, name: ("timeline", "--db", db, "--entity", name),
    "export": lambda db, name: ("export", "--db", db, "--entity", name),
    "why": lambda db, name: ("why", "--db", db, name, "Elon Musk"),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_unknown_name_exits_1_with_one_message(db, command):
    r = cli(*COMMANDS[command](db, "Satya Nadella"))
    assert r.exit_code == 1
    assert r.stderr.strip() == "error: no entity named 'Satya Nadella' in the story"
    assert r.stdout == ""


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_ambiguous_name_lists_the_candidates_and_exits_1(db, command):
    r = cli(*COMMANDS[command](db, "Breton"))
    assert r.exit_code == 1 and r.stdout == ""
    assert re.fullmatch(r"error: 'Breton' could be any of: Marie Breton \(PERSON\), Thierry Breton \(PERSON\); "
                        r"give one of these names", r.stderr.strip()), r.stderr
    # either full name settles it
    assert cli(*COMMANDS[command](db, "Thierry Breton")).exit_code == 0


def test_why_says_the_given_names_and_keeps_two_people_apart(db):
    r = cli("why", "--db", db, "Thierry Breton", "marie breton")
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == [
        "'Thierry Breton' and 'marie breton' are two entities: Thierry Breton (PERSON) and Marie Breton (PERSON), "
        "kept apart: they share a surname but no text links them (different people stay apart)"]
    quiet = cli("why", "--db", db, "-q", "Musk", "Elon Musk")
    assert quiet.stdout.splitlines() == ["'Musk' and 'Elon Musk' are one entity: Elon Musk (PERSON)"]
    detail = cli("why", "--db", db, "Musk", "Elon Musk").stdout.splitlines()
    assert detail[1:] == ["  'Musk' is part of its name 'Elon Musk'", "  'Elon Musk' is its name"]
