"""Events: typed happenings with roles, modality, amounts and dates, in French and English.

Every text here is written for the tests; the real spaCy models parse it.
"""

from __future__ import annotations

import json

import pytest
from conftest import name_of, run, shared_or_skip

from dossier.model import Doc, Event

NAMES = ("entities", "amounts", "dates", "quotes", "events")


def analyse(text: str, lang: str | None = None, published: str | None = None) -> Doc:
    return run(text, lang=lang, names=NAMES, published=published)


def of_type(doc: Doc, typ: str) -> list[Event]:
    return [e for e in doc.events if e.type == typ]


def one(doc: Doc, typ: str) -> Event:
    evs = of_type(doc, typ)
    assert len(evs) == 1, [(e.type, names(doc, e.agent), names(doc, e.target)) for e in doc.events]
    return evs[0]


def names(doc: Doc, ids: list[str]) -> set[str]:
    return {name_of(doc, i) for i in ids}


def amount(ev: Event) -> tuple[float, str] | None:
    return (ev.amount["value"], ev.amount["currency"]) if ev.amount else None


# ---------------------------------------------------------------- French


def test_fr_verbal_offer_with_amount():
    doc = analyse(
        "Le groupe Vivendi a proposé de racheter Lagardère pour 610 millions d'euros. "
        "Les actionnaires de Lagardère doivent se prononcer avant la fin du mois.", "fr")
    ev = one(doc, "acquisition_offer")
    assert names(doc, ev.agent) == {"Vivendi"}
    assert names(doc, ev.target) == {"Lagardère"}
    assert amount(ev) == (610e6, "EUR")
    assert ev.modality == "asserted"
    assert ev.trigger.text.startswith("proposé")
    assert not of_type(doc, "acquisition")  # the purchase is the content of the offer


def test_fr_money_put_on_the_table_is_an_offer_by_the_consortium_leader():
    doc = analyse("Le consortium de Xavier Niel a mis 3,2 milliards d'euros sur la table pour racheter Altice Média.", "fr")
    ev = one(doc, "acquisition_offer")
    assert names(doc, ev.agent) == {"Xavier Niel"} and names(doc, ev.target) == {"Altice Média"}
    assert amount(ev) == (3.2e9, "EUR")
    # the idiom alone, with no money or purchase, is no offer
    assert not analyse("Le ministre a mis sur la table la question des retraites.", "fr").events


def test_fr_finalised_purchase_takes_the_subject_as_buyer():
    doc = analyse("Vivendi a finalisé le rachat de Lagardère pour 610 millions d'euros.", "fr")
    ev = one(doc, "acquisition")
    assert names(doc, ev.agent) == {"Vivendi"} and names(doc, ev.target) == {"Lagardère"}
    assert amount(ev) == (610e6, "EUR")


def test_fr_nominal_offer_de_rachat():
    doc = analyse(
        "L'offre de rachat de Vivendi sur Lagardère, d'un montant de 610 millions d'euros, a été déposée "
        "auprès du gendarme de la Bourse.", "fr")
    ev = one(doc, "acquisition_offer")
    assert names(doc, ev.agent) == {"Vivendi"}
    assert names(doc, ev.target) == {"Lagardère"}
    assert amount(ev) == (610e6, "EUR")


def test_fr_light_verb_offer_for_buying():
    doc = analyse(
        "Elon Musk, le patron de Tesla, a fait une offre spectaculaire pour acheter OpenAI, "
        "l'organisation qui a créé ChatGPT.", "fr")
    ev = one(doc, "acquisition_offer")
    assert names(doc, ev.agent) == {"Elon Musk"}
    assert names(doc, ev.target) == {"OpenAI"}


def test_fr_passive_agent():
    doc = analyse("Lagardère a été racheté par Vivendi pour 610 millions d'euros à l'issue d'une longue bataille.", "fr")
    ev = one(doc, "acquisition")
    assert names(doc, ev.agent) == {"Vivendi"}
    assert names(doc, ev.target) == {"Lagardère"}
    assert amount(ev) == (610e6, "EUR")


def test_fr_no_agent_when_the_text_gives_none():
    doc = analyse("Lagardère a été racheté pour 610 millions d'euros à l'issue d'une longue bataille boursière.", "fr")
    ev = one(doc, "acquisition")
    assert ev.agent == []
    assert names(doc, ev.target) == {"Lagardère"}


def test_fr_consortium_led_by_someone():
    doc = analyse(
        "Un consortium mené par Xavier Niel a déposé une offre de 5 milliards d'euros pour acheter SFR. "
        "Les banques conseillent les deux camps.", "fr")
    ev = one(doc, "acquisition_offer")
    assert names(doc, ev.agent) == {"Xavier Niel"}
    assert names(doc, ev.target) == {"SFR"}
    assert amount(ev) == (5e9, "EUR")


def test_fr_right_amount_when_a_sentence_has_two():
    doc = analyse(
        "Vivendi, dont le chiffre d'affaires atteint 10 milliards d'euros, a fait une offre de "
        "610 millions d'euros pour racheter Lagardère.", "fr")
    ev = one(doc, "acquisition_offer")
    assert amount(ev) == (610e6, "EUR")
    refs = {a.text: a.refers_to for a in doc.amounts}
    assert refs["610 millions d'euros"] == "acquisition_offer: Vivendi → Lagardère"
    assert refs["10 milliards d'euros"] != refs["610 millions d'euros"]


def test_fr_amount_in_relative_clause_of_the_offer():
    doc = analyse(
        "Elon Musk a fait une offre pour racheter OpenAI. La proposition, qui s'élève à 97,4 milliards "
        "de dollars, pourrait changer le secteur.", "fr")
    ev = one(doc, "acquisition_offer")
    assert amount(ev) == (97.4e9, "USD")
    assert len(ev.evidence) == 2


def test_fr_planned_fundraising():
    doc = analyse(
        "Le fondateur Sam Altman envisage de lever des fonds considérables pour soutenir la croissance d'OpenAI.", "fr")
    ev = one(doc, "fundraising")
    assert ev.modality == "planned"
    assert names(doc, ev.agent) == {"Sam Altman"}


def test_fr_planned_restructuring_by_purpose_clause():
    doc = analyse(
        "Son directeur général, Sam Altman, qui explorait des options de financement pour transformer "
        "OpenAI en une structure à but lucratif, a rencontré des investisseurs.", "fr")
    ev = one(doc, "restructuring")
    assert ev.modality == "planned"
    assert names(doc, ev.agent) == {"Sam Altman"}
    assert names(doc, ev.target) == {"OpenAI"}


def test_fr_possible():
    doc = analyse("TotalEnergies pourrait racheter Engie d'ici la fin de l'année, estiment les analystes.", "fr")
    ev = one(doc, "acquisition")
    assert ev.modality == "possible"
    assert names(doc, ev.agent) == {"TotalEnergies"}
    assert names(doc, ev.target) == {"Engie"}


def test_fr_negated():
    doc = analyse("Vivendi n'a pas racheté Lagardère, contrairement à ce qu'annonçaient certains analystes.", "fr")
    ev = one(doc, "acquisition")
    assert ev.modality == "negated"


def test_fr_reported_by_conditional_and_selon():
    doc = analyse("Vivendi aurait proposé de racheter Lagardère pour 610 millions d'euros.", "fr")
    assert one(doc, "acquisition_offer").modality == "reported"
    doc = analyse("Selon Les Echos, Vivendi a racheté Lagardère pour 610 millions d'euros.", "fr")
    assert one(doc, "acquisition").modality == "reported"


def test_fr_rejection_in_a_quote_targets_the_bidder():
    doc = analyse(
        "Elon Musk veut racheter OpenAI\n"
        "Elon Musk a proposé de racheter OpenAI pour 97,4 milliards de dollars. "
        "« Non merci », a répondu Sam Altman sur X dans la soirée.\n"
        "Le patron d'OpenAI a été clair : OpenAI n'est pas à vendre.\n", "fr")
    rej = one(doc, "offer_rejection")
    assert "Sam Altman" in names(doc, rej.agent)
    assert names(doc, rej.target) == {"Elon Musk"}
    assert len(rej.evidence) == 2  # the quote and "n'est pas à vendre" are one rejection
    assert names(doc, one(doc, "acquisition_offer").agent) == {"Elon Musk"}


def test_fr_rejection_verb_of_the_offer_of_someone():
    doc = analyse("Bernard Arnault a rejeté l'offre de Kering, jugée bien trop basse par les actionnaires.", "fr")
    rej = one(doc, "offer_rejection")
    assert names(doc, rej.agent) == {"Bernard Arnault"}
    assert names(doc, rej.target) == {"Kering"}


def test_fr_ironic_counter_offer_is_a_conditional_offer():
    doc = analyse(
        "Elon Musk a proposé de racheter OpenAI pour 97,4 milliards de dollars. "
        "Sam Altman a publié : « Non merci, mais nous rachèterons Twitter pour 9,74 milliards de dollars si tu veux. »",
        "fr")
    offers = sorted(of_type(doc, "acquisition_offer"), key=lambda e: e.amount["value"])
    assert len(offers) == 2 and not of_type(doc, "acquisition")
    counter, main = offers
    assert counter.flavour == "conditional" and main.flavour is None
    assert names(doc, counter.agent) == {"Sam Altman"}
    assert amount(counter) == (9.74e9, "USD")
    assert amount(main) == (97.4e9, "USD")
    rej = one(doc, "offer_rejection")
    assert names(doc, rej.target) == {"Elon Musk"}  # not himself, though his counter-offer is nearer


def test_fr_headline_lead_and_anaphora_are_one_offer():
    doc = analyse(
        "Proposition de rachat d’OpenAI pour 97,4 milliards de dollars\n"
        "Elon Musk a fait une offre spectaculaire pour acheter OpenAI.\n"
        "Contexte de l’offre\n"
        "L’annonce de cette offre a surpris le secteur. Pour réaliser cette offre, Musk a monté un consortium d’investisseurs.\n",
        "fr")
    ev = one(doc, "acquisition_offer")
    assert names(doc, ev.agent) == {"Elon Musk"}
    assert names(doc, ev.target) == {"OpenAI"}
    assert amount(ev) == (97.4e9, "USD")  # from the headline
    texts = [s.text for s in ev.evidence]
    assert texts[0].startswith("Proposition de rachat") and len(texts) >= 4
    cf = one(doc, "consortium_formation")
    assert names(doc, cf.agent) == {"Elon Musk"}


def test_fr_heading_alone_with_empty_roles_gives_no_event():
    doc = analyse(
        "Le rejet de l’offre\n"
        "Les marchés ont salué la décision du conseil, jugée prudente par les analystes.\n", "fr")
    assert doc.events == []


def test_fr_date_against_publication_date():
    doc = analyse(
        "Vivendi a annoncé lundi le rachat de Lagardère pour 610 millions d'euros. "
        "L'opération avait été préparée en 2023.", "fr", published="2025-02-12")
    ev = one(doc, "acquisition")
    assert ev.time is not None
    assert ev.time["value"] == "2025-02-10" and ev.time["text"] == "lundi"


def test_fr_pronoun_subject_resolved_when_unambiguous():
    doc = analyse(
        "Xavier Niel multiplie les opérations. Il a racheté Salt pour deux milliards de francs suisses.", "fr")
    ev = one(doc, "acquisition")
    assert names(doc, ev.agent) == {"Xavier Niel"}


def test_fr_pronoun_left_empty_when_ambiguous():
    doc = analyse(
        "Xavier Niel et Patrick Drahi se sont affrontés pendant des années. Il a racheté Salt en 2014.", "fr")
    ev = one(doc, "acquisition")
    assert ev.agent == []


def test_fr_speculation_about_the_bid_joins_the_offer():
    doc = analyse(
        "Elon Musk a fait une offre pour racheter OpenAI. Sam Altman a définitivement coupé court à toute "
        "spéculation sur une acquisition potentielle d’OpenAI par Elon Musk.", "fr")
    assert not of_type(doc, "acquisition")
    rej = one(doc, "offer_rejection")
    assert names(doc, rej.agent) == {"Sam Altman"}
    assert names(doc, rej.target) == {"Elon Musk"}


# ---------------------------------------------------------------- English


def test_en_verbal_acquisition_with_amount_and_year():
    doc = analyse("Microsoft acquired Activision Blizzard for $69 billion in 2023, after a long regulatory review.", "en")
    ev = one(doc, "acquisition")
    assert names(doc, ev.agent) == {"Microsoft"}
    assert names(doc, ev.target) == {"Activision Blizzard"}
    assert amount(ev) == (69e9, "USD")
    assert ev.time["value"] == "2023" and ev.time["precision"] == "year"


def test_en_nominal_bid_by_consortium_led_by_someone():
    doc = analyse(
        "A consortium of investors led by Elon Musk made a $97.4 billion unsolicited bid for OpenAI on Monday. "
        "The group includes several venture capital firms.", "en", published="2025-02-12")
    ev = one(doc, "acquisition_offer")
    assert names(doc, ev.agent) == {"Elon Musk"}
    assert names(doc, ev.target) == {"OpenAI"}
    assert amount(ev) == (97.4e9, "USD")
    assert ev.time["value"] == "2025-02-10"


def test_en_possessive_consortium_offers_and_puts_money_on_the_table():
    doc = analyse("Marc Benioff's consortium offered $4.1 billion for Slack on Monday.", "en")
    ev = one(doc, "acquisition_offer")
    assert names(doc, ev.agent) == {"Marc Benioff"} and names(doc, ev.target) == {"Slack"}
    assert amount(ev) == (4.1e9, "USD")
    doc = analyse("Marc Benioff's consortium put $4.1 billion on the table to buy Slack.", "en")
    ev = one(doc, "acquisition_offer")
    assert names(doc, ev.agent) == {"Marc Benioff"} and amount(ev) == (4.1e9, "USD")


def test_en_group_led_by_someone_offered_to_buy():
    # the parser hangs "offered" on "group" as a participle: the infinitive purpose shows it acts
    doc = analyse("A group of investors led by Marc Benioff offered on Tuesday to buy Slack for $4.1 billion, "
                  "a spokesman said.", "en")
    ev = one(doc, "acquisition_offer")
    assert names(doc, ev.agent) == {"Marc Benioff"} and names(doc, ev.target) == {"Slack"}


def test_en_completed_takeover_and_its_acquisition_of():
    doc = analyse("Oracle completes $28.3 billion takeover of Cerner.", "en")
    ev = one(doc, "acquisition")
    assert names(doc, ev.agent) == {"Oracle"} and names(doc, ev.target) == {"Cerner"}
    doc = analyse("Oracle said on Wednesday that it had completed its $28.3 billion acquisition of Cerner, "
                  "the health records company.", "en")
    ev = one(doc, "acquisition")
    assert names(doc, ev.agent) == {"Oracle"} and names(doc, ev.target) == {"Cerner"}  # not swapped


def test_en_passive_by_agent():
    doc = analyse("Twitter was bought by Elon Musk for $44 billion in October 2022.", "en")
    ev = one(doc, "acquisition")
    assert names(doc, ev.agent) == {"Elon Musk"}
    assert amount(ev) == (44e9, "USD")
    assert ev.time["value"] == "2022-10"


def test_en_modalities():
    assert one(analyse("Google plans to acquire Wiz for $32 billion.", "en"), "acquisition").modality == "planned"
    assert one(analyse("Apple may buy Perplexity, people familiar with the matter said.", "en"),
               "acquisition").modality == "possible"
    assert one(analyse("Meta did not acquire Snap.", "en"), "acquisition").modality == "negated"
    ev = one(analyse("Exxon reportedly offered to buy Pioneer for $60 billion.", "en"), "acquisition_offer")
    assert ev.modality == "reported" and amount(ev) == (60e9, "USD")


def test_en_right_amount_when_a_sentence_has_two():
    doc = analyse("Exxon, which earned $36 billion last year, offered to buy Pioneer for $60 billion.", "en")
    ev = one(doc, "acquisition_offer")
    assert names(doc, ev.agent) == {"Exxon"}
    assert names(doc, ev.target) == {"Pioneer"}
    assert amount(ev) == (60e9, "USD")


def test_en_rejection_and_not_for_sale_merge():
    doc = analyse(
        "A consortium led by Elon Musk made a $97.4 billion bid for OpenAI. "
        "OpenAI rejects the bid, its chief executive Sam Altman said. "
        "Altman also wrote that OpenAI is not for sale.", "en")
    rej = one(doc, "offer_rejection")
    assert "OpenAI" in names(doc, rej.agent)
    assert names(doc, rej.target) == {"Elon Musk"}
    assert len(rej.evidence) == 2
    assert not of_type(doc, "acquisition")  # "for sale" is part of the refusal


def test_en_planned_restructuring_and_fundraising():
    doc = analyse(
        "Sam Altman, who plans to convert OpenAI into a for-profit company, met investors in San Francisco. "
        "Mistral AI raised $640 million from Microsoft and Nvidia last year.", "en")
    ev = one(doc, "restructuring")
    assert ev.modality == "planned"
    assert names(doc, ev.agent) == {"Sam Altman"} and names(doc, ev.target) == {"OpenAI"}
    fr = one(doc, "fundraising")
    assert names(doc, fr.agent) == {"Mistral AI"} and amount(fr) == (640e6, "USD")


def test_en_investment_target_and_departure():
    doc = analyse(
        "SoftBank invested $40 billion in OpenAI. Sam Altman was ousted by the board in November. "
        "He later resigned from Y Combinator.", "en")
    inv = one(doc, "investment")
    assert names(doc, inv.agent) == {"SoftBank"} and names(doc, inv.target) == {"OpenAI"}
    deps = of_type(doc, "departure")
    assert {frozenset(names(doc, d.target)) for d in deps} >= {frozenset({"Sam Altman"})}
    assert any(names(doc, d.agent) == {"Sam Altman"} for d in deps)


def test_evidence_spans_and_trigger_match_the_text():
    doc = analyse(
        "Proposition de rachat d’OpenAI pour 97,4 milliards de dollars\n"
        "Elon Musk a fait une offre spectaculaire pour acheter OpenAI.\n", "fr")
    ev = one(doc, "acquisition_offer")
    for s in [ev.trigger, *ev.evidence]:
        assert doc.text[s.start:s.end] == s.text
    assert any(s.start <= ev.trigger.start and ev.trigger.end <= s.end for s in ev.evidence)


# ---------------------------------------------------------------- the seed article


def test_seed_article_events():
    path = shared_or_skip("corpus", "openai-bid-fr.txt")
    gold = json.loads(shared_or_skip("gold", "openai-bid-fr.json").read_text(encoding="utf-8"))
    doc = analyse(path.read_text(encoding="utf-8"))

    def ok(ev: Event, g: dict) -> bool:
        acceptable = lambda x: {x} if isinstance(x, str) else set(x)  # noqa: E731
        if ev.type != g["type"] or not names(doc, ev.agent) & acceptable(g["agent"]):
            return False
        if g.get("target") and not names(doc, ev.target) & acceptable(g["target"]):
            return False
        if g.get("amount"):
            return ev.amount is not None and abs(ev.amount["value"] - g["amount"]["value"]) <= 0.005 * g["amount"]["value"]
        return True

    matched = [g for g in gold["events"] if any(ok(e, g) for e in doc.events)]
    required = [g for g in gold["events"] if not g.get("optional")]
    assert all(g in matched for g in required), [g for g in required if g not in matched]
    hits = sum(any(ok(e, g) for g in gold["events"]) for e in doc.events)
    assert hits / len(doc.events) >= 0.8
    by_type = {e.type: e for e in doc.events if not e.flavour}
    assert by_type["restructuring"].modality == "planned"
    assert by_type["fundraising"].modality == "planned"
