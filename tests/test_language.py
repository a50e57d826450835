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
