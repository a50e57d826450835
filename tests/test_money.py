"""Money normaliser: amounts in French and English news sentences written for these tests."""

from __future__ import annotations

import importlib.util
import math
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossier import money
from dossier.money import find_amounts, parse_amount

ROOT = Path(__file__).resolve().parents[1]
PEER = ROOT.parent / "shared" / "peer"

NBSP, NNBSP = "\u00a0", "\u202f"

# (lang, sentence, every amount expected in it as (text, value, currency, approximate))
CASES = [
    ("fr", "Elon Musk propose 97,4 milliards de dollars pour racheter le laboratoire californien.",
     [("97,4 milliards de dollars", 97_400_000_000, "USD", False)]),
    ("fr", "En 2022, il avait proposé 9,74 milliards de dollars pour une autre société.",
     [("9,74 milliards de dollars", 9_740_000_000, "USD", False)]),
    ("fr", "La région a débloqué 1,7 milliard d’euros, puis encore 1,7 milliard d'euros l'an dernier.",
     [("1,7 milliard d’euros", 1_700_000_000, "EUR", False), ("1,7 milliard d'euros", 1_700_000_000, "EUR", False)]),
    ("fr", "L'entreprise espère lever près de 100 milliards de dollars d'ici à 2026.",
     [("près de 100 milliards de dollars", 100_000_000_000, "USD", True)]),
    ("fr", "La banque, avec 48 milliards de $ d'actifs, a provisionné ses pertes.",
     [("48 milliards de $", 48_000_000_000, "USD", False)]),
    ("fr", f"Le prix de départ est fixé à 10 000,00 $, contre 8{NBSP}500 $ l'an passé et 7{NNBSP}900 $ en 2021.",
     [("10 000,00 $", 10_000, "USD", False), (f"8{NBSP}500 $", 8_500, "USD", False), (f"7{NNBSP}900 $", 7_900, "USD", False)]),
    ("fr", "Je voudrais emprunter EUR 1000 sur trois ans.", [("EUR 1000", 1000, "EUR", False)]),
    ("fr", "Sa fortune était estimée à £ 8,10 millions en octobre.", [("£ 8,10 millions", 8_100_000, "GBP", False)]),
    ("fr", "L'émission porte sur 125 millions de dollars australiens à dix ans.",
     [("125 millions de dollars australiens", 125_000_000, "AUD", False)]),
    ("fr", "Le projet coûtera 5 M€, financés par un prêt de 1,2 Md$ et 3 mds d'euros de subventions.",
     [("5 M€", 5_000_000, "EUR", False), ("1,2 Md$", 1_200_000_000, "USD", False),
      ("3 mds d'euros", 3_000_000_000, "EUR", False)]),
    ("fr", "Le fonds a investi deux milliards de dollars et quelque 300 millions de francs suisses.",
     [("deux milliards de dollars", 2_000_000_000, "USD", False),
      ("quelque 300 millions de francs suisses", 300_000_000, "CHF", True)]),
    ("fr", "Ottawa versera 16,4 millions de $ CA, soit environ 12 millions de $ US.",
     [("16,4 millions de $ CA", 16_400_000, "CAD", False), ("environ 12 millions de $ US", 12_000_000, "USD", True)]),
    ("fr", "Le ticket coûte 2,75 $, le menu 12,345 $ et l'action a perdu 34 cents.",
     [("2,75 $", 2.75, "USD", False), ("12,345 $", 12.345, "USD", False), ("34 cents", 0.34, "EUR", False)]),
    ("fr", "Le contrat, signé pour 1 234 567,89 €, dépasse de plus d'un million d'euros le devis.",
     [("1 234 567,89 €", 1_234_567.89, "EUR", False), ("plus d'un million d'euros", 1_000_000, "EUR", True)]),
    ("fr", "La mairie a reçu 125.000,50 $ et 94.000 $ de dons.",
     [("125.000,50 $", 125_000.5, "USD", False), ("94.000 $", 94_000, "USD", False)]),
    ("fr", "Cela ne coûte que quinze dollars et quarante-cinq cents.",
     [("quinze dollars et quarante-cinq cents", 15.45, "USD", False)]),
    ("fr", "Le budget atteint deux milliards et demi de dollars, soit 1,3 milliard de livres sterling.",
     [("deux milliards et demi de dollars", 2_500_000_000, "USD", False),
      ("1,3 milliard de livres sterling", 1_300_000_000, "GBP", False)]),
    ("fr", "Le Niger recevra 100 000 FCFA par ménage et 361 millions de livres de Londres.",
     [("100 000 FCFA", 100_000, "XOF", False), ("361 millions de livres", 361_000_000, "GBP", False)]),
    ("en", "Musk-led group offers $97.4 billion for OpenAI, or $97.4bn in headline style.",
     [("$97.4 billion", 97_400_000_000, "USD", False), ("$97.4bn", 97_400_000_000, "USD", False)]),
    ("en", "The utility raised US$4.7 billion, C$500 million and A$2.1bn last year.",
     [("US$4.7 billion", 4_700_000_000, "USD", False), ("C$500 million", 500_000_000, "CAD", False),
      ("A$2.1bn", 2_100_000_000, "AUD", False)]),
    ("en", "The start-up raised €5m in March and 1.5 million euros in June.",
     [("€5m", 5_000_000, "EUR", False), ("1.5 million euros", 1_500_000, "EUR", False)]),
    ("en", "Congress approved two billion dollars, and the mayor paid $1,200,000 for the land.",
     [("two billion dollars", 2_000_000_000, "USD", False), ("$1,200,000", 1_200_000, "USD", False)]),
    ("en", "Tickets cost 1,200 dollars; the fine was about $ 35 million and more than £90m.",
     [("1,200 dollars", 1200, "USD", False), ("about $ 35 million", 35_000_000, "USD", True),
      ("more than £90m", 90_000_000, "GBP", True)]),
    ("en", "Exports fell to hk $ 10.05 billion while a us $ 150 million loan was agreed.",
     [("hk $ 10.05 billion", 10_050_000_000, "HKD", False), ("us $ 150 million", 150_000_000, "USD", False)]),
    ("en", "Shares rose 12 pence, to 197p, after the 20 rupees dividend and a 12-cent-a-share payout.",
     [("12 pence", 0.12, "GBP", False), ("20 rupees", 20, "INR", False), ("12-cent", 0.12, "USD", False)]),
    ("en", "The ministry received five million yen, 450,000 yen and 1.5 trillion yuan.",
     [("five million yen", 5_000_000, "JPY", False), ("450,000 yen", 450_000, "JPY", False),
      ("1.5 trillion yuan", 1_500_000_000_000, "CNY", False)]),
    ("en", "It was a $5 billion deal, half a billion dollars above the 2008 $700bn bailout.",
     [("$5 billion", 5_000_000_000, "USD", False), ("half a billion dollars", 500_000_000, "USD", False),
      ("$700bn", 700_000_000_000, "USD", False)]),
    ("en", "It only cost thirteen dollars and forty-five cents, or 3 dollars 50 cents each.",
     [("thirteen dollars and forty-five cents", 13.45, "USD", False), ("3 dollars 50 cents", 3.5, "USD", False)]),
    ("en", "Costs rose to 30 MUSD, roughly 28 MEUR, in 2015 dollars.",
     [("30 MUSD", 30_000_000, "USD", False), ("roughly 28 MEUR", 28_000_000, "EUR", True)]),
    # stacked magnitudes, the second larger: Indian lakh crore, French mille milliards
    ("en", "The group's net worth crossed Rs 4.62 lakh crore, after ₹15,000 crore of new debt.",
     [("Rs 4.62 lakh crore", 4_620_000_000_000, "INR", False), ("₹15,000 crore", 150_000_000_000, "INR", False)]),
    ("en", "Public debt is nearing $2 thousand billion, and $5 million M&A fees were paid.",
     [("$2 thousand billion", 2_000_000_000_000, "USD", False), ("$5 million", 5_000_000, "USD", False)]),
    ("fr", "Le plan de relance atteint 2 mille milliards de dollars sur dix ans.",
     [("2 mille milliards de dollars", 2_000_000_000_000, "USD", False)]),
]


@pytest.mark.parametrize(("lang", "text", "expected"), CASES, ids=[c[1][:40] for c in CASES])
def test_find_amounts(lang, text, expected):
    got = find_amounts(text, lang)
    for a in got:
        assert text[a.start:a.end] == a.text
    assert [(a.text, a.currency, a.approximate) for a in got] == [(t, c, ap) for t, _, c, ap in expected]
    for a, (_, value, _, _) in zip(got, expected):
        assert math.isclose(a.value, value, rel_tol=1e-12), (a.text, a.value, value)
        assert isinstance(a.value, float)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "En 2015, 300 personnes ont manifesté et le chômage a baissé de 2,5 %."),
        ("fr", "Deux cents morts, trois mille blessés : le bilan s'alourdit."),
        ("fr", "Il pèse 300 livres et a écrit douze livres."),
        ("fr", "Un euro fort pénalise les exportations de la zone euro depuis 2023."),
        ("fr", "Le CAC 40 a gagné 1,2 % à 7 500 points ; la version 1.2.3 est sortie."),
        ("en", "He lost 20 pounds in 3 months; the team won 3 games in 2019."),
        ("en", "The dollar rose 0.5% against the yen, and 300 people marched on 1 May."),
        ("en", "ALL 5 solutions are wrong, said Bob 3 times at the 1 p.m. meeting."),
        ("en", "A dollar-denominated bond and a euro-zone economy; EUR/USD 1.08."),
        ("en", "Costs rose $5-10 million, a range rather than one amount."),
    ],
)
def test_not_money(lang, text):
    assert find_amounts(text, lang) == []


def test_decimal_and_grouping_by_language():
    def value(text: str, lang: str) -> float:
        (a,) = find_amounts(text, lang)
        return a.value

    assert value("Il a payé 1,2 million d'euros.", "fr") == 1_200_000.0
    assert value("He paid 1,200 euros.", "en") == 1200.0
    assert value("Il a payé 1,200 euros.", "fr") == 1.2
    assert value("Il a payé 1,234,567 euros.", "fr") == 1_234_567.0  # several groups: always grouping
    assert value("He paid 1.234.567,50 euros.", "en") == 1_234_567.5
    assert value("He paid 7.50 euros.", "en") == 7.5


def test_words_and_refused_readings():
    # "deux cents" is 200 before a currency, and a count of people otherwise
    (a,) = find_amounts("Ils ont versé deux cents euros.", "fr")
    assert (a.text, a.value, a.currency) == ("deux cents euros", 200.0, "EUR")
    assert find_amounts("Deux cents salariés ont été licenciés.", "fr") == []
    (a,) = find_amounts("Elle a reçu quatre-vingt-dix-neuf mille euros.", "fr")
    assert a.value == 99_000.0
    (a,) = find_amounts("It rose by one hundred and fifty million dollars.", "en")
    assert a.value == 150_000_000.0
    # a refused reading does not hide the one inside it
    (a,) = find_amounts("between ten and twenty dollars", "en")
    assert (a.text, a.value) == ("twenty dollars", 20.0)
    # an article is "one" only before a magnitude or at a clause end
    assert [a.text for a in find_amounts("Oil rose a dollar to $80, and a million dollars later.", "en")] == [
        "$80", "a million dollars"]
    assert [a.text for a in find_amounts("Le titre a terminé à un penny.", "fr")] == ["un penny"]


def test_unsupported_language_and_odd_input():
    assert find_amounts("It cost $5.", "de") == []
    assert find_amounts("", "fr") == []
    assert parse_amount("", "en") is None
    assert find_amounts(None, "en") == []  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("lang", "text", "value", "currency", "approximate"),
    [
        ("fr", "près de 3 Md€", 3e9, "EUR", True),
        ("fr", "quasi neuf livres", 9, "GBP", True),  # a weak word is trusted in a short expression
        ("fr", "3 balles", 3, None, False),
        ("fr", "USD1,23", 1.23, "USD", False),
        ("fr", "1 USD et 23 centimes", 1.23, "USD", False),
        ("en", "a dollar", 1, "USD", False),
        ("en", "42 bucks", 42, None, False),
        ("en", "US$3 and fourteen", 3.14, "USD", False),
        ("en", "ringgit 42", 42, "MYR", False),
        ("en", "five lakhs rupees", 500_000, "INR", False),
        ("en", "about 5", 5, None, True),  # a bare number: no currency named
        ("en", "7.20000", 7.2, None, False),
    ],
)
def test_parse_amount(lang, text, value, currency, approximate):
    a = parse_amount(text, lang)
    assert a is not None
    assert math.isclose(a.value, value) and a.currency == currency and a.approximate == approximate
    assert text[a.start:a.end] == a.text


def test_parse_amount_nothing():
    assert parse_amount("pas de montant ici", "fr") is None


# No amount rather than a wrong one: scientific notation, powers, digits the
# scanning window cut short, values beyond any real amount (money.MAX_VALUE),
# and a minus sign the value would lose.
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "They offered $1e308 billion for it."),  # was $1
        ("en", "They offered 1e308 billion dollars for it."),  # not 308 billion
        ("en", "They offered $1.5E9 for it."),
        ("en", "They offered $" + "9" * 400 + " billion for it."),  # was 1e80: digits cut, billion dropped
        ("fr", "Il propose 10^400 milliards de dollars."),  # was 4e11
        ("fr", "Il propose 2**64 euros."),
        ("fr", "Il propose 99999999999999999999999999999999 milliards d'euros."),  # was 1e41 EUR
        ("en", "A plan of $1,001 trillion."),  # just over 1e15
        ("fr", "Le solde est de -0 euro."),  # refers_to was '-0'
        ("fr", "Le résultat net ressort à -5 millions d'euros."),
    ],
)
def test_no_amount_from_inexact_or_implausible_numbers(lang, text):
    assert find_amounts(text, lang) == []
    assert parse_amount(text, lang) is None


def test_the_plausibility_bound_and_zero():
    (a,) = find_amounts("A plan of $1,000 trillion and nothing more.", "en")
    assert a.value == money.MAX_VALUE == 1e15
    (z,) = find_amounts("Le billet coûte 0 euro pour les enfants.", "fr")
    assert z.value == 0 and math.copysign(1, z.value) == 1  # never -0.0
    assert find_amounts("Net income came to −$3 million.", "en") == []  # U+2212 minus, before the symbol
    # ranges and hyphenated words keep their amounts: the sign rule needs a minus before the number
    assert [x.text for x in find_amounts("Prix : 10-20 € et 5 €, ticket-5 € non.", "fr")] == ["5 €", "5 €"]


def _check(text: str, lang: str) -> None:
    L = money._lang(lang)
    if L is not None:  # the scanner itself, so that a bug is not hidden by find_amounts' guard
        assert money._scan(text, L, lenient=False) == find_amounts(text, lang)
        money._scan(text, L, lenient=True)
    found = find_amounts(text, lang)
    last_end = -1
    for a in found:
        assert text[a.start:a.end] == a.text
        assert a.start >= last_end and a.end > a.start
        assert math.isfinite(a.value) and a.value >= 0
        assert a.currency is None or (len(a.currency) == 3 and a.currency.isupper())
        last_end = a.end
    p = parse_amount(text, lang)
    assert p is None or text[p.start:p.end] == p.text


MONEYISH = st.sampled_from(
    ["$", "€", "£", "US$", "C$", "$ c", "EUR", "MUSD", "12", "1,5", "1.200", "10 000", "97,4", " ", "\u00a0",
     "\u202f", "-", "'", "’", ".", ",", "millions", "milliard", "bn", "m", "k", "M", "de", "d'", "dollars",
     "euros", "livres", "cents", "centimes", "deux", "cent", "vingt", "et", "un", "a", "and", "half", "près de",
     "about", "environ", "yen", "\n", "é", "ß", "İ", "\ud800", "🙂"]
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(), lang=st.sampled_from(["fr", "en", "xx"]))
def test_never_raises_on_arbitrary_text(text, lang):
    _check(text, lang)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(MONEYISH | st.text(max_size=3), max_size=30), lang=st.sampled_from(["fr", "en"]))
def test_never_raises_on_money_like_text(parts, lang):
    _check("".join(parts), lang)


def test_pathological_input_stays_fast():
    texts = ["deux " * 20_000 + "euros", "1 " * 30_000 + "$", "$" * 30_000, "près de " * 10_000 + "5 €"]
    start = time.perf_counter()
    for t in texts:
        find_amounts(t, "fr")
        find_amounts(t, "en")
    assert time.perf_counter() - start < 10


def test_peer_suites_floor():
    """>= 95 % of the single-amount cases of each peer suite (benchmarks/money_peers.py)."""
    if not PEER.is_dir():
        pytest.skip(f"peer suites not found at {PEER}")
    spec = importlib.util.spec_from_file_location("money_peers", ROOT / "benchmarks" / "money_peers.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for rel, lang, run in mod.SUITES:
        r = run(PEER / rel, lang)
        assert r["total"] and r["passed"] / r["total"] >= 0.95, (rel, r["passed"], r["total"])
