"""Events on constructions real news uses (issue 17): stakes, legal actions,
regulators blocking deals, launches, successions, acronyms.

Every sentence here is made up for the tests; the real spaCy models parse it.
"""

from __future__ import annotations

from conftest import name_of, run

from dossier.model import Doc, Event

NAMES = ("entities", "amounts", "dates", "relations", "titles", "quotes", "events")


def analyse(text: str, lang: str) -> Doc:
    return run(text, lang=lang, names=NAMES)


def of_type(doc: Doc, typ: str) -> list[Event]:
    return [e for e in doc.events if e.type == typ]


def events_of(text: str, lang: str, typ: str) -> tuple[Doc, list[Event]]:
    """The text analysed, and its events of one type."""
    doc = analyse(text, lang)
    return doc, of_type(doc, typ)


def names(doc: Doc, ids: list[str]) -> set[str]:
    return {name_of(doc, i) for i in ids}


def agents(doc: Doc, typ: str) -> set[str]:
    return {n for e in of_type(doc, typ) for n in names(doc, e.agent)}


def show(doc: Doc) -> list:
    return [(e.type, names(doc, e.agent), names(doc, e.target), e.amount) for e in doc.events]


# ---------------------------------------------------------------- a stake bought is an investment


def test_en_stake_bought_is_an_investment_by_the_buyer():
    doc, ev = events_of(
        "Siemens has bought a 12 percent stake in Nordex for 300 million euros, the company said on Monday.", "en", "investment")
    assert ev, show(doc)
    assert names(doc, ev[0].agent) == {"Siemens"} and names(doc, ev[0].target) == {"Nordex"}
    assert ev[0].amount == {"value": 300e6, "currency": "EUR"}
    assert not of_type(doc, "acquisition")  # a stake, not the company


def test_fr_stake_bought_is_an_investment_by_the_buyer():
    doc, ev = events_of(
        "Vivendi a acheté une participation de 12 % dans Telecom Italia pour 300 millions d'euros.", "fr", "investment")
    assert ev, show(doc)
    assert "Vivendi" in names(doc, ev[0].agent)
    assert not of_type(doc, "acquisition")


def test_en_investment_in_nothing_of_no_amount_is_no_event():
    doc = analyse("Despite the heft of Sony's investment, the console sold poorly in Europe.", "en")
    assert not of_type(doc, "investment"), show(doc)


# ---------------------------------------------------------------- legal action: the claimant acts, never the court


def test_en_legal_action_brought_by_someone_against_someone():
    doc, ev = events_of(
        "Legal action brought by Nikon against Sony over camera patents is a test case for the industry, "
        "the High Court has heard.", "en", "lawsuit")
    assert ev, show(doc)
    assert names(doc, ev[0].agent) == {"Nikon"} and "Sony" in names(doc, ev[0].target)
    assert "High Court" not in agents(doc, "lawsuit")


def test_fr_action_en_justice_intentee_par_contre():
    doc, ev = events_of(
        "L'action en justice intentée par Nikon contre Canon a débuté lundi devant le tribunal de commerce de Paris.", "fr", "lawsuit")
    assert ev, show(doc)
    assert names(doc, ev[0].agent) == {"Nikon"} and "Canon" in names(doc, ev[0].target)


def test_fr_intenter_un_proces():
    doc, ev = events_of(
        "En mars, Nikon a intenté un procès contre Sigma devant le tribunal de commerce.", "fr", "lawsuit")
    assert ev and names(doc, ev[0].agent) == {"Nikon"}, show(doc)


def test_en_a_court_is_never_the_claimant():
    doc = analyse("The High Court opened the trial on Monday. The firm is suing Sigma over its lenses.", "en")
    assert "High Court" not in agents(doc, "lawsuit"), show(doc)


def test_fr_a_court_is_never_the_claimant():
    doc = analyse("Le tribunal de commerce de Paris a ouvert l'audience lundi. Celui-ci poursuit Sigma pour contrefaçon.", "fr")
    assert not any("tribunal" in n.lower() for n in agents(doc, "lawsuit")), show(doc)


# ---------------------------------------------------------------- a regulator blocking a deal


def test_en_regulator_blocks_the_deal_named_before():
    doc, rej = events_of(
        "Siemens agreed to buy Alstom for 15 billion euros in May. "
        "The European Commission blocked the deal on Wednesday, citing competition concerns.", "en", "offer_rejection")
    assert rej, show(doc)
    assert "European Commission" in names(doc, rej[0].agent)
    assert names(doc, rej[0].target) & {"Siemens", "Alstom"}
    # the regulator never buys
    assert "European Commission" not in agents(doc, "acquisition") | agents(doc, "acquisition_offer")


def test_en_regulator_voted_to_block_the_merger_in_the_same_sentence():
    doc, rej = events_of(
        "The Competition and Markets Authority voted to block the deal that would see Siemens taking over Alstom.", "en", "offer_rejection")
    assert rej, show(doc)
    assert names(doc, rej[0].agent) == {"Competition and Markets Authority"}
    assert names(doc, rej[0].target) & {"Siemens", "Alstom"}


def test_fr_regulator_blocks_the_operation():
    doc, rej = events_of(
        "Siemens veut racheter Alstom pour 15 milliards d'euros. "
        "L'Autorité de la concurrence a bloqué l'opération mercredi.", "fr", "offer_rejection")
    assert rej, show(doc)
    assert any("Autorit" in n for n in names(doc, rej[0].agent))
    assert names(doc, rej[0].target) & {"Siemens", "Alstom"}


def test_en_trying_to_block_with_a_lawsuit_is_a_lawsuit_against_the_parties():
    doc = analyse(
        "Siemens agreed to buy Alstom for 15 billion euros in May. "
        "The Federal Trade Commission sued to block the deal on Thursday.", "en")
    assert not of_type(doc, "offer_rejection"), show(doc)
    ev = of_type(doc, "lawsuit")
    assert ev and names(doc, ev[0].agent) == {"Federal Trade Commission"}, show(doc)
    assert names(doc, ev[0].target) & {"Siemens", "Alstom"}


def test_en_moved_to_block_the_deal_with_a_lawsuit():
    doc = analyse(
        "Siemens agreed to buy Alstom for 15 billion euros in May. "
        "The Federal Trade Commission has moved to block the deal with a lawsuit.", "en")
    assert not of_type(doc, "offer_rejection"), show(doc)
    assert "Federal Trade Commission" in agents(doc, "lawsuit"), show(doc)


def test_fr_proces_pour_bloquer_l_operation():
    doc = analyse(
        "Siemens veut racheter Alstom pour 15 milliards d'euros. "
        "La Commission européenne a intenté un procès pour bloquer l'opération.", "fr")
    assert not of_type(doc, "offer_rejection"), show(doc)
    ev = of_type(doc, "lawsuit")
    assert ev, show(doc)
    assert names(doc, ev[0].target) & {"Siemens", "Alstom"}


def test_fr_efforts_pour_empecher_le_rachat_is_no_block():
    doc = analyse("La Commission européenne intensifie ses efforts pour empêcher le rachat d'Alstom par Siemens.", "fr")
    assert not of_type(doc, "offer_rejection"), show(doc)


def test_en_regulator_acronym_is_never_the_buyer():
    doc = analyse(
        "The Competition and Markets Authority (CMA) has cleared the way for Siemens to complete the takeover of Alstom.", "en")
    bought = agents(doc, "acquisition") | agents(doc, "acquisition_offer")
    assert not bought & {"CMA", "Competition and Markets Authority"}, show(doc)


def test_fr_regulator_acronym_is_never_the_buyer():
    doc = analyse(
        "La Competition and Markets Authority (CMA) a ouvert la voie aux deux groupes pour finaliser la fusion. "
        "En avril, la CMA empêchait encore le rachat d'Alstom par Siemens.", "fr")
    bought = agents(doc, "acquisition") | agents(doc, "acquisition_offer")
    assert not bought & {"CMA", "Competition and Markets Authority"}, show(doc)


def test_en_acronym_acts_as_the_long_name_of_the_article():
    doc = analyse(
        "The Federal Trade Commission opened an inquiry into Meta in May. In December, the FTC sued Meta.", "en")
    assert "Federal Trade Commission" in agents(doc, "lawsuit"), show(doc)


# ---------------------------------------------------------------- launches


def test_en_took_the_wraps_off_a_product():
    doc, ev = events_of("Google took the wraps off Gemini on Wednesday in San Jose.", "en", "product_launch")
    assert ev and names(doc, ev[0].agent) == {"Google"}, show(doc)
    assert names(doc, ev[0].target) == {"Gemini"}


def test_en_introduction_of_a_product_by_its_maker():
    doc, ev = events_of(
        "Analysts praised Sony's introduction of the PlayStation Portal at the Tokyo Game Show.", "en", "product_launch")
    assert ev and names(doc, ev[0].agent) == {"Sony"}, show(doc)


def test_fr_lever_le_voile_sur_un_produit():
    doc, ev = events_of("Samsung a levé le voile sur le Galaxy Ring mercredi à San José.", "fr", "product_launch")
    assert ev and names(doc, ev[0].agent) == {"Samsung"}, show(doc)


# ---------------------------------------------------------------- appointments and departures


def test_fr_named_to_succeed_is_named_to_the_company_left():
    doc, ev = events_of(
        "Coup de théâtre chez Danone: Jean Martin quittera le groupe à la fin du mois. "
        "L'actuel directeur de la région Europe du Nord, le Belge Pierre Dupont, a été nommé pour lui succéder.", "fr", "appointment")
    assert ev, show(doc)
    assert names(doc, ev[0].target) == {"Pierre Dupont"}
    assert "Danone" in names(doc, ev[0].agent)


def test_en_leaving_a_company_is_a_departure_and_named_to_succeed_is_named_to_it():
    doc, ev = events_of(
        "Jane Smith will leave Unilever at the end of June, the company said. "
        "Its finance chief, John Brown, was named to succeed her.", "en", "appointment")
    assert ev, show(doc)
    assert "John Brown" in names(doc, ev[0].target)
    assert "Unilever" in names(doc, ev[0].agent)


def test_en_departure_leaves_the_company_the_person_heads():
    doc, ev = events_of(
        "Siemens CEO Roland Busch said on Monday that he would step down at the end of the year.", "en", "departure")
    assert ev and "Roland Busch" in names(doc, ev[0].agent), show(doc)
    if any(r.predicate in ("ceo_of", "head_of") for r in doc.relations):  # the title relation found
        assert "Siemens" in names(doc, ev[0].target)


# ---------------------------------------------------------------- generic nouns


def test_fr_le_geant_americain_is_the_company_named_before():
    doc, ev = events_of(
        "Les résultats de Microsoft ont surpris. Le géant américain vient de racheter le groupe Nuance.", "fr", "acquisition")
    assert ev and names(doc, ev[0].agent) == {"Microsoft"}, show(doc)


# ---------------------------------------------------------------- who leads a round invests


def test_en_round_led_by_an_investor_is_its_investment_in_the_raiser():
    doc, inv = events_of(
        "Mistral AI raised 600 million euros in a funding round led by General Catalyst.", "en", "investment")
    assert inv, show(doc)
    assert names(doc, inv[0].agent) == {"General Catalyst"} and names(doc, inv[0].target) == {"Mistral AI"}
    assert agents(doc, "fundraising") == {"Mistral AI"}


def test_fr_tour_de_table_mene_par_un_investisseur():
    doc, inv = events_of(
        "La start-up Qonto a levé 486 millions d'euros lors d'un tour de table mené par Eurazeo et Goldman Sachs.", "fr", "investment")
    assert inv, show(doc)
    assert names(doc, inv[0].agent) == {"Eurazeo", "Goldman Sachs"} and names(doc, inv[0].target) == {"Qonto"}
    assert agents(doc, "fundraising") == {"Qonto"}  # the round is Qonto's, not its investors'


# ---------------------------------------------------------------- the buyer, not the bought


def test_en_possessive_hung_on_the_amount_is_the_buyer():
    doc, ev = events_of(
        "Microsoft has completed its $20bn takeover of speech software maker Nuance in its biggest deal since 2016.", "en", "acquisition")
    assert ev and "Microsoft" in names(doc, ev[0].agent), show(doc)
    assert "Nuance" not in names(doc, ev[0].agent)


def test_fr_approuver_le_rachat_de_x_par_y():
    doc, ev = events_of("Le Royaume-Uni approuve le rachat de Nuance par Microsoft.", "fr", "acquisition")
    assert ev and names(doc, ev[0].agent) == {"Microsoft"}, show(doc)
    assert "Nuance" in names(doc, ev[0].target)


def test_en_country_prefixed_name_and_its_acronym_are_one_agent():
    doc = analyse(
        "The US Federal Trade Commission has sued Meta. The FTC filed a lawsuit against Meta in Washington.", "en")
    assert agents(doc, "lawsuit") == {"Federal Trade Commission"}, show(doc)  # its name without the country


# ---------------------------------------------------------------- reported speech, possessives, splits


def test_en_the_one_who_reports_a_suit_is_not_its_claimant():
    doc = analyse('"This means they will file a lawsuit to block the merger," Satya Nadella said of the regulator.', "en")
    assert "Satya Nadella" not in agents(doc, "lawsuit"), show(doc)


def test_fr_son_projet_d_achat_is_the_possessor_s_purchase():
    doc, ev = events_of(
        "Microsoft tente d'obtenir l'approbation des régulateurs pour son projet d'achat de Nuance.", "fr", "acquisition")
    assert ev and names(doc, ev[0].agent) == {"Microsoft"}, show(doc)


def test_fr_se_scinder_en_deux_is_a_restructuring():
    doc, ev = events_of("Le groupe Atos va se scinder en deux sociétés cotées l'an prochain.", "fr", "restructuring")
    assert ev and names(doc, ev[0].agent) == {"Atos"}, show(doc)


def test_en_split_into_two_companies_is_a_restructuring():
    doc, ev = events_of(
        "Kellogg will split into two separate companies next year, the cereal maker said.", "en", "restructuring")
    assert ev and names(doc, ev[0].agent) == {"Kellogg"}, show(doc)


def test_two_events_of_one_type_in_one_sentence_are_both_stored(tmp_path):
    # "its largest acquisition …, after its purchase of LinkedIn": two
    # acquisitions share their first sentence; each keeps its own row
    from dossier.build import build_texts
    from dossier.store import open_store
    text = ("Harbour Games agreed to sell itself to Microsoft on Tuesday.\n"
            "It would be Microsoft's largest acquisition to date, after its purchase of Kelvin Labs in 2016 for $26.2 billion.\n"
            "Last year, Microsoft completed a $7.5 billion acquisition of game maker Orvane Studios.\n")
    store = open_store(str(tmp_path / "s.db"))
    build_texts([text], store)
    doc = analyse(text, "en")
    acquisitions = of_type(doc, "acquisition")
    rows = store.rows("SELECT id FROM events WHERE type = 'acquisition'")
    assert len(rows) == len(acquisitions) >= 2, (rows, [(e.agent, e.target, e.amount) for e in acquisitions])
    targets = {r["name"] for r in store.rows(
        "SELECT e.name FROM event_roles r JOIN entities e ON e.id = r.entity JOIN events v ON v.id = r.event "
        "WHERE r.role = 'target' AND v.type = 'acquisition'")}
    assert "Kelvin Labs" in targets, targets


def test_a_spin_off_restructures_the_company_itself():
    # "plans to spin off its consumer unit": the company is agent and target
    doc, evs = events_of("Norland Group plans to spin off its consumer healthcare unit in July.", "en", "restructuring")
    assert len(evs) == 1 and names(doc, evs[0].agent) == {"Norland Group"} == names(doc, evs[0].target), \
        [(e.agent, e.target) for e in evs]
    assert evs[0].modality == "planned"


def test_the_bidder_hung_on_a_participle_of_the_offer():
    # "trois propositions non sollicitées du groupe X": the parse hangs the
    # bidder on the participle, not on the offer noun; it is still the offer's
    doc = run("Le laboratoire Brightwater a rejeté trois propositions non sollicitées du groupe Halvorsen "
              "pour sa division de santé.", lang="fr")
    (rej,) = [e for e in doc.events if e.type == "offer_rejection"]
    assert name_of(doc, rej.target[0]) == "Halvorsen"


def test_a_sale_is_the_buyers_acquisition():
    # "X sold Y to Z", "X a vendu Y à Z", "the sale of Y to Z", "la cession de
    # Y à Z": Z acquires Y; what X sells of its own (a unit, no entity) makes X
    # the target; without a named buyer nothing says who acquires: no event
    for text, lang, agent, target in [
        ("Harwell Foods sold Ekaterra to CVC Capital Partners.", "en", "CVC Capital Partners", "Ekaterra"),
        ("Harwell Foods agreed to sell its tea business to CVC Capital Partners for €4.5 billion.", "en",
         "CVC Capital Partners", "Harwell Foods"),
        ("The sale of Ekaterra to CVC Capital Partners closed in July.", "en", "CVC Capital Partners", "Ekaterra"),
        ("Le groupe Danone a vendu Alpro à Nestlé.", "fr", "Nestlé", "Alpro"),
    ]:
        doc = run(text, lang=lang)
        (ev,) = [e for e in doc.events if e.type == "acquisition"]
        assert [name_of(doc, x) for x in ev.agent] == [agent], text
        assert [name_of(doc, x) for x in ev.target] == [target], text
    for text, lang in [("Harwell Foods is selling its tea business.", "en"), ("Danone veut vendre sa branche eaux.", "fr")]:
        assert not [e for e in run(text, lang=lang).events if e.type == "acquisition"], text
    # rights or shares sold: no company changes hands
    for text, lang in [("Kestrel agreed to sell its streaming rights to Ubisoft.", "en"),
                       ("La cession des droits de cloud gaming à Ubisoft a tout changé.", "fr")]:
        assert not [e for e in run(text, lang=lang).events if e.type == "acquisition"], text


def test_french_near_future_a_described_target_and_a_board_two_nouns_deep():
    # "Sanofi va racheter X": planned; "la biotech américaine X", the name
    # misparsed, is the noun's; "le conseil d'administration de X" acts for X
    doc = run("Sanofi va racheter la biotech américaine Inhibrx pour 1,7 milliard de dollars.", lang="fr")
    (ev,) = [e for e in doc.events if e.type == "acquisition"]
    assert ev.modality == "planned"
    assert [name_of(doc, x) for x in ev.agent] == ["Sanofi"] and [name_of(doc, x) for x in ev.target] == ["Inhibrx"]
    doc = run("Sanofi est allé racheter la société Inhibrx.", lang="fr")
    assert [e.modality for e in doc.events if e.type == "acquisition"] == ["asserted"]
    doc = run("Le conseil d'administration de Nestlé a nommé Laurent Freixe directeur général.", lang="fr")
    (ev,) = [e for e in doc.events if e.type == "appointment"]
    assert [name_of(doc, x) for x in ev.agent] == ["Nestlé"] and [name_of(doc, x) for x in ev.target] == ["Laurent Freixe"]


def test_a_possessive_alone_acts_unless_a_by_agent_follows():
    doc = run("This would be Harwell Foods' largest acquisition to date.", lang="en")
    (ev,) = [e for e in doc.events if e.type == "acquisition"]
    assert [name_of(doc, x) for x in ev.agent] == ["Harwell Foods"] and ev.target == []
    doc = run("Halvorsen Group's acquisition by Harwell Foods closed in October.", lang="en")
    (ev,) = [e for e in doc.events if e.type == "acquisition"]
    assert [name_of(doc, x) for x in ev.agent] == ["Harwell Foods"]
    assert [name_of(doc, x) for x in ev.target] == ["Halvorsen Group"]


def test_the_organisation_of_the_post_one_leaves():
    # "stepped down as chief executive of X", "quitte la direction de X", "a
    # quitté ses fonctions de directeur général de X"; "quitte" is left
    # unlemmatised by the French model
    for text, lang in [("Mark Schneider stepped down as chief executive of Nestlé.", "en"),
                       ("Mark Schneider quitte la direction de Nestlé après huit ans.", "fr"),
                       ("Mark Schneider a quitté ses fonctions de directeur général de Nestlé.", "fr")]:
        doc = run(text, lang=lang)
        (ev,) = [e for e in doc.events if e.type == "departure"]
        assert [name_of(doc, x) for x in ev.agent] == ["Mark Schneider"], text
        assert [name_of(doc, x) for x in ev.target] == ["Nestlé"], text


def test_the_source_of_raised_money_invests():
    # "raised €600 million from investors including X", "a levé … auprès du
    # fonds X": X invests in the one raising the money
    for text, lang in [("Mistral AI raised €600 million from investors including General Catalyst.", "en"),
                       ("La start-up Mistral AI a levé 600 millions d'euros auprès du fonds General Catalyst.", "fr")]:
        doc = run(text, lang=lang)
        (inv,) = [e for e in doc.events if e.type == "investment"]
        assert [name_of(doc, x) for x in inv.agent] == ["General Catalyst"], text
        assert [name_of(doc, x) for x in inv.target] == ["Mistral AI"], text
        assert [e.type for e in doc.events].count("fundraising") == 1


def test_a_bid_rejected_without_by_is_refused_by_the_one_it_was_made_to():
    for text, lang in [("Halvorsen's £42bn bid for Brightwater's consumer health arm was rejected on Saturday.", "en"),
                       ("L'offre de Halvorsen sur Brightwater a été rejetée samedi.", "fr")]:
        doc = run(text, lang=lang)
        (rej,) = [e for e in doc.events if e.type == "offer_rejection"]
        assert [name_of(doc, x) for x in rej.agent] == ["Brightwater"], text
        assert [name_of(doc, x) for x in rej.target] == ["Halvorsen"], text


def test_a_restructuring_naming_nobody_is_the_main_organisations():
    for text, lang in [("Le chimiste Vertiflux a présenté ses résultats. Vertiflux emploie 9 000 personnes. "
                        "La scission sera officialisée en décembre.", "fr"),
                       ("Harwell Foods reported results on Monday. Harwell Foods employs 9,000 people. "
                        "The demerger will complete next year.", "en")]:
        doc = run(text, lang=lang)
        (ev,) = [e for e in doc.events if e.type == "restructuring"]
        assert [name_of(doc, x) for x in ev.agent] == [name_of(doc, ev.target[0])], text
        assert name_of(doc, ev.target[0]) in ("Vertiflux", "Harwell Foods")
    # two organisations as often named: whose split it is stays unsaid
    doc = run("Harwell Foods and Kestrel Group reported results. The demerger will complete next year.", lang="en")
    assert not [e for e in doc.events if e.type == "restructuring"]
