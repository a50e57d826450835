"""Language: explicit wins, else py3langid on a sample, fr/en favoured when ambiguous."""

from __future__ import annotations

import pytest

from dossier.language import choose, detect, normalise

FR = (
    "Le gouvernement a présenté mardi un plan de deux milliards d'euros pour soutenir les "
    "agriculteurs touchés par la sécheresse. « C'est une réponse à la hauteur de la crise », "
    "a assuré le ministre de l'Agriculture, qui se rendra jeudi dans le Gers."
)
EN = (
    "The government unveiled on Tuesday a two billion euro plan to support farmers hit by the "
    "drought. \"This is a response that matches the scale of the crisis,\" the agriculture "
    "minister said, adding that he would visit the worst affected regions on Thursday."
)
DE = (
    "Die Bundesregierung hat am Dienstag ein Hilfspaket in Höhe von zwei Milliarden Euro für "
    "die von der Dürre betroffenen Landwirte vorgestellt. Der Landwirtschaftsminister will am "
    "Donnerstag die am stärksten betroffenen Regionen besuchen."
)
ZH = "政府周二公布了一项二十亿欧元的计划，用于支持受干旱影响的农民。农业部长表示，他将于周四访问受灾最严重的地区。"
ES = (
    "El Gobierno presentó el martes un plan de dos mil millones de euros para apoyar a los "
    "agricultores afectados por la sequía, según informó el ministro de Agricultura."
)


@pytest.mark.parametrize(("text", "lang"), [(FR, "fr"), (EN, "en"), (DE, "de"), (ZH, "zh"), (ES, "es")])
def test_detect(text, lang):
    code, confidence = detect(text)
    assert code == lang
    assert 0.5 < confidence <= 1.0


@pytest.mark.parametrize(
    ("headline", "lang"),
    [
        ("La Poste supprime 2000 postes", "fr"),
        ("Total investit au Mozambique", "fr"),
        ("Paris Saint-Germain bat Liverpool", "fr"),
        ("Airbus wins Qantas order", "en"),
        ("Tesla recalls 2 million cars", "en"),
    ],
)
def test_short_ambiguous_texts_lean_to_french_or_english(headline, lang):
    # On its own the full model spreads these over Occitan, Italian, Quechua...
    assert detect(headline)[0] == lang


def test_short_foreign_text_keeps_its_language():
    assert detect("Die Regierung tritt nach der Wahl zurück")[0] == "de"


def test_mixed_article_takes_the_dominant_language():
    fr = FR + " Le texte sera examiné au Sénat dès la semaine prochaine, selon le porte-parole. "
    en = EN + " Opposition lawmakers said the package came far too late for most growers. "
    assert detect(fr * 3 + en * 2)[0] == "fr"
    assert detect(en * 3 + fr * 2)[0] == "en"
    # an English quote inside a French story does not flip it
    quoted = FR + ' Le patron de la FNSEA a répondu : "We need more than words, we need money." ' + FR
    assert detect(quoted)[0] == "fr"


def test_long_text_is_sampled():
    text = (FR + "\n") * 5000  # ~1 MB
    assert detect(text)[0] == "fr"


@pytest.mark.parametrize("text", ["", "   \n", "12 345 678 — 3,5 %", "https://example.org/a?b=1 contact@example.org"])
def test_nothing_to_judge(text):
    assert detect(text) == ("und", 0.0)


@pytest.mark.parametrize(
    ("given", "code"),
    [("fr", "fr"), ("FR", "fr"), ("fr-FR", "fr"), ("fr_CA", "fr"), (" French ", "fr"), ("français", "fr"),
     ("fra", "fr"), ("en-GB", "en"), ("English", "en"), ("eng", "en"), ("de", "de"), ("zh-Hans", "zh"),
     ("", None), (None, None), ("??", None), ("klingon", None)],
)
def test_normalise(given, code):
    assert normalise(given) == code


def test_explicit_language_wins():
    assert choose("fr-FR", EN) == "fr"
    assert choose("english", FR) == "en"
    assert choose("de", FR) == "de"  # the caller asked for it; it will skip it


def test_choose_detects_without_a_usable_language():
    assert choose(None, FR) == "fr"
    assert choose("", EN) == "en"
    assert choose("unknown", ZH) == "zh"


# ---------------------------------------------------------------- language data

import json  # noqa: E402
import re  # noqa: E402
from pathlib import Path  # noqa: E402

from dossier import lang, nlp, vocab  # noqa: E402

LANG_DIR = Path(lang.__file__).parent
FILES = sorted(p.name for p in (LANG_DIR / "fr").glob("*.json"))


def test_languages_are_the_folders_with_a_language_json():
    assert lang.SUPPORTED == ("en", "fr")
    assert set(nlp.MODELS) == set(lang.SUPPORTED) and all(nlp.MODELS.values())


@pytest.mark.parametrize("name", FILES)
def test_every_language_has_the_same_files_and_keys(name):
    keys = {code: set(json.loads((LANG_DIR / code / name).read_text(encoding="utf-8"))) for code in lang.SUPPORTED}
    assert len({frozenset(k) for k in keys.values()}) == 1, keys
    assert all(sorted(p.name for p in (LANG_DIR / code).glob("*.json")) == FILES for code in lang.SUPPORTED)


@pytest.mark.parametrize("code", lang.SUPPORTED)
def test_shared_classes_are_references(code):
    """A word class of common.json is spelled out there only: files refer to it."""
    common = lang.load(code, "common")
    for name in FILES:
        if name == "common.json":
            continue
        raw = json.loads((LANG_DIR / code / name).read_text(encoding="utf-8"))
        for key, value in raw.items():
            if key in common and isinstance(value, list) and value and key != "_doc":
                assert any(isinstance(w, str) and w.startswith("@") for w in value), f"{name}: {key} repeats common.json"
        lang.load(code, name.removesuffix(".json"))  # every "@class" resolves


@pytest.mark.parametrize("code", lang.SUPPORTED)
def test_every_type_and_predicate_the_data_names_is_in_the_vocabulary(code):
    types, preds = set(vocab.ENTITY_TYPES), set(vocab.PREDICATES)
    events = set(vocab.EVENT_TYPES) | set(vocab.EVENT_MARKERS)
    rel, ev, ent = (lang.load(code, n) for n in ("relations", "events", "entities"))
    for table in ("roles", "possessive_roles", "verbs"):
        assert set(rel[table].values()) <= preds, table
    assert set(rel["possessives"].values()) <= types | {"any"}
    assert set(ent["ner_labels"].values()) <= types | set(vocab.NER_LABELS)
    for t in ev["triggers"]:
        assert t["type"] in events and set(t.get("obj_type", [])) | set(t.get("of_type", [])) <= types, t
    assert {p["type"] for p in ev["phrases"]} <= events
    assert set(ev["target_preps"]) <= events
    assert set(ev["generic_nouns"].values()) <= types
    assert {x for v in ev["pronouns"].values() for x in v} <= types


def test_the_json_schema_enums_are_the_vocabulary():
    """(else: python -m dossier.vocab)"""
    schema = json.loads(vocab.SCHEMA.read_text(encoding="utf-8"))
    assert schema["properties"]["relations"]["items"]["properties"]["predicate"]["enum"] == list(vocab.PREDICATES)
    assert vocab.with_enums(json.loads(vocab.SCHEMA.read_text(encoding="utf-8"))) == schema


def test_vocabulary_checks_itself():
    assert vocab.root("ceo_of") == "head_of" and vocab.family("ceo_of") == {"ceo_of", "head_of"}
    assert set(vocab.TITLE_PREDICATES) <= set(vocab.PREDICATES) and set(vocab.AMOUNT_TYPES) <= set(vocab.EVENT_TYPES)
    assert set(vocab.TYPE_CODE) == set(vocab.ENTITY_TYPES) and len(set(vocab.TYPE_CODE.values())) == len(vocab.TYPE_CODE)


@pytest.mark.parametrize("icase", [True, False])
def test_phrases_match_as_the_flat_alternation(icase):
    """Grouped by first character, the alternation takes the same words at the same places."""
    words = ["de", "de la", "De", "d'", "du", "des", "l'un des", "à", "À propos", "i", "île", "Ístanbul", "s", "ſ", "x-y", "'s", ".net", "k"]
    flat = "|".join(lang.phrase(w) for w in sorted(set(words), key=len, reverse=True))
    text = "De la Île de l’un des d’À PROPOS, à propos du Ístanbul i s ſ x-y 's .net De du des ILE k K de  la"
    flags = re.I if icase else 0
    want = [m.span() for m in re.finditer(rf"(?<!\w)(?:{flat})(?!\w)", text, flags)]
    got = [m.span() for m in re.finditer(rf"(?<!\w){lang.phrases(words, icase=icase)}(?!\w)", text, 0 if icase else flags)]
    assert got == want
    assert lang.phrases([]) == "(?!)"
