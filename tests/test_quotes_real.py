"""Quotes and speakers in constructions that recur in real business news
(issue 19), French and English, on the real spaCy pipeline. Every article
below is made up for these tests; each test names the construction it covers."""

from __future__ import annotations

import pytest
from conftest import name_of, quote, run

FR_DEPART = """Le départ surprise du patron de Vertex

Son prédécesseur Jean Dupuis a salué « son engagement sans faille » dans un communiqué.

"Une page se tourne"

"C'est une surprise totale", a commenté l'analyste de Natixis Pierre Garnier, joint par téléphone. "Personne ne s'y attendait", a-t-il ajouté.

Pour l'analyste, la pression des actionnaires était devenue trop forte. "La confiance du marché s'est effritée", a-t-il poursuivi.

Vertex a présenté son plan jeudi. « Nous n’avions pas le choix, a expliqué la directrice générale Claire Moreau lors d’une conférence de presse. Le plan est ambitieux et il sera tenu. »
"""

EN_EXIT = """Retailer shares slide after chief's exit

Former chairman Tom Hale praised her "steady hand" in a statement.

"This is a real shock," said Barclays analyst Nina Patel. "Nobody saw it coming," she added.

Meridian Bank is fighting the lawsuit, which it told the court was "a baseless attack" on its business.
"""

FR_SELON = """Le chantier du musée dérape

Selon Le Monde, le ministère de la Culture a demandé un audit complet du chantier.

« Un audit est nécessaire parce que les coûts ont doublé en deux ans », peut-on lire dans la lettre.
"""

EN_ACCORDING = """Museum works run over budget

According to Reuters, the culture ministry asked for a full audit of the works.

"An audit is needed because the costs have doubled in two years," the letter reads.
"""

EN_STATEMENT = """Panel opposes the grocery merger

Jane Roe, the head of the review panel, issued a statement on Friday.

"The merger would raise prices for millions of households and weaken the smaller chains for years."
"""

FR_COMMUNIQUE = """Le comité s'oppose à la fusion

Jean Dupuis, président du comité d'experts, a publié un communiqué vendredi.

« La fusion ferait grimper les prix pour des millions de ménages et affaiblirait les petites enseignes. »
"""


@pytest.fixture(scope="module")
def fr_depart():
    return run(FR_DEPART, lang="fr")


@pytest.fixture(scope="module")
def en_exit():
    return run(EN_EXIT, lang="en")


def test_inverted_subject_role_and_name(fr_depart, en_exit):
    # "», a commenté l'analyste de Natixis Pierre Garnier": the name in the
    # noun phrase after the verb is the speaker
    q = quote(fr_depart, "C'est une surprise totale")
    assert name_of(fr_depart, q.speaker) == "Pierre Garnier"
    q = quote(en_exit, "This is a real shock")
    assert name_of(en_exit, q.speaker) == "Nina Patel"


def test_pronoun_cue_takes_the_latest_speaker(fr_depart, en_exit):
    # "a-t-il ajouté" / "she added": the speaker of the quote before, not an
    # older subject of the article
    assert name_of(fr_depart, quote(fr_depart, "Personne ne s'y attendait").speaker) == "Pierre Garnier"
    assert name_of(fr_depart, quote(fr_depart, "La confiance du marché").speaker) == "Pierre Garnier"
    assert name_of(en_exit, quote(en_exit, "Nobody saw it coming").speaker) == "Nina Patel"


def test_attribution_inside_the_guillemets_splits_the_quote(fr_depart):
    # « A, a expliqué X lors de … . B »: two quotes by X, without the incise
    a = quote(fr_depart, "Nous n’avions pas le choix")
    assert a.text == "Nous n’avions pas le choix"
    assert name_of(fr_depart, a.speaker) == "Claire Moreau"
    b = quote(fr_depart, "Le plan est ambitieux")
    assert name_of(fr_depart, b.speaker) == "Claire Moreau"
    assert "expliqué" not in b.text


def test_a_quoted_heading_is_not_a_quote(fr_depart):
    assert not [q for q in fr_depart.quotes if q.text.startswith("Une page se tourne")]


def test_it_for_an_organisation(en_exit):
    q = quote(en_exit, "a baseless attack")
    assert name_of(en_exit, q.speaker) == "Meridian Bank"


def test_selon_holds_for_its_own_sentence_only():
    # the source of "Selon X, …" is not the speaker of the next paragraph's quote
    doc = run(FR_SELON, lang="fr")
    q = quote(doc, "Un audit est nécessaire")
    assert name_of(doc, q.speaker) != "Le Monde"
    doc = run(EN_ACCORDING, lang="en")
    q = quote(doc, "An audit is needed")
    assert name_of(doc, q.speaker) != "Reuters"


def test_quote_after_issued_a_statement():
    # "X issued a statement." then the statement quoted at length
    doc = run(EN_STATEMENT, lang="en")
    assert name_of(doc, quote(doc, "The merger would raise prices").speaker) == "Jane Roe"
    doc = run(FR_COMMUNIQUE, lang="fr")
    assert name_of(doc, quote(doc, "La fusion ferait grimper").speaker) == "Jean Dupuis"


FR_TITRE = """Vertex revoit ses ambitions

Jeudi, Claire Moreau, grande patronne de Vertex, a présenté le nouveau plan aux salariés.

« Nous allons fermer deux usines en Bretagne », poursuit la dirigeante.

L'Autorité de la concurrence a ouvert une enquête sur le rachat de Kiosque. L'autorité dit « craindre une hausse des prix pour les consommateurs ».
"""

EN_TITLE = """Vertex cuts its forecast

Jane Roe, chairwoman of Vertex, presented the plan to staff on Thursday.

"We will close two plants in Ohio," the boss said.

The Financial Conduct Authority opened an inquiry into the deal. The watchdog said it was "deeply concerned" by the fees.
"""


def test_title_noun_refers_back_to_the_person_with_that_title():
    # "poursuit la dirigeante" / "the boss said": a title of the same family
    # (head_of) beside a name in the sentences before
    doc = run(FR_TITRE, lang="fr")
    assert name_of(doc, quote(doc, "Nous allons fermer").speaker) == "Claire Moreau"
    doc = run(EN_TITLE, lang="en")
    assert name_of(doc, quote(doc, "We will close two plants").speaker) == "Jane Roe"


def test_regulator_nouns_are_organisations():
    # "L'autorité dit « … »", "The watchdog said": the latest organisation
    doc = run(FR_TITRE, lang="fr")
    assert name_of(doc, quote(doc, "craindre une hausse").speaker) == "Autorité de la concurrence"
    doc = run(EN_TITLE, lang="en")
    assert name_of(doc, quote(doc, "deeply concerned", "partial").speaker) == "Financial Conduct Authority"


EN_HEARING = """Bank defends itself at the start of the hearing

On the first day of the hearing, Sarah Ellis KC, for Halden Bank, told the court the lender "acted in good faith" throughout.

Ellis told the judge the claimant "knew the risks" when she signed.
"""


def test_a_lawyer_for_a_company_speaks_for_it():
    # "Sarah Ellis KC, for Halden Bank, told the court": the bank speaks
    # through its barrister, here and later under her surname alone
    doc = run(EN_HEARING, lang="en")
    q = quote(doc, "acted in good faith")
    assert name_of(doc, q.speaker) == "Halden Bank"
    assert name_of(doc, q.intermediary) == "Sarah Ellis"  # "KC" is not her name
    q = quote(doc, "knew the risks")
    assert name_of(doc, q.speaker) == "Halden Bank"
    assert q.intermediary is not None


EN_SHORT = """Insurer takes its dispute to court

Meridian Insurance Group is suing a former broker over unpaid commissions.

Tom Price KC, for Meridian, told the court the broker "ignored every warning" for two years.
"""


def test_a_short_form_of_the_party_is_the_organisation():
    # "for Meridian" after "Meridian Insurance Group": the organisation
    doc = run(EN_SHORT, lang="en")
    q = quote(doc, "ignored every warning")
    assert name_of(doc, q.speaker) == "Meridian Insurance Group"



def test_inverted_pronoun_with_its_euphonic_t_and_a_source_in_apposition():
    # "ajoute-t-il": the parser makes "-t" the subject, the pronoun is "-il";
    # "Selon X, analyste chez Oddo, …": the apposition is not what X says
    doc = run("Selon Pierre Garnier, analyste chez Oddo, le prix est trop bas. "
              "« Les actionnaires attendent davantage », ajoute-t-il.", lang="fr")
    assert name_of(doc, quote(doc, "Les actionnaires", "direct").speaker) == "Pierre Garnier"
    assert quote(doc, "le prix est trop bas", "indirect").text == "le prix est trop bas"
    doc = run("According to Jane Moss, an analyst at Barclays, the price is too low.", lang="en")
    assert quote(doc, "the price", "indirect").text == "the price is too low"
    # no apposition: the clause is kept whole
    doc = run("Selon Pierre Garnier, le prix, déjà bas, va encore baisser.", lang="fr")
    assert quote(doc, "le prix", "indirect").text == "le prix, déjà bas, va encore baisser"


def test_a_fragment_under_an_attack_verb_and_a_quote_told_to_the_court():
    doc = run('Terry Holt, the fund manager, attacked the company for "losing the plot" last year.', lang="en")
    assert name_of(doc, quote(doc, "losing the plot", "partial").speaker) == "Terry Holt"
    # the direct quote before "X told the court" is not also an indirect one
    doc = run('"This is a day of reckoning," Jane Harlow KC, for Getty Images, told the court on Monday.', lang="en")
    assert [q.kind for q in doc.quotes] == ["direct"], [(q.kind, q.text) for q in doc.quotes]


def test_a_document_speaks_for_the_organisation_that_wrote_it():
    # "the complaint said", "peut-on lire dans la plainte": the latest
    # organisation; "le compte officiel de X, qui souligne": its owner
    doc = run('The FTC sued to block the deal in December. "The merger would harm gamers," the complaint said.', lang="en")
    assert name_of(doc, quote(doc, "The merger would harm").speaker) == "FTC"
    doc = run("Fin 2022, la FTC a intenté un procès pour bloquer l'opération. « Une injonction est nécessaire "
              "parce que Microsoft peut conclure l'acquisition à tout moment », peut-on lire dans la plainte.", lang="fr")
    assert name_of(doc, quote(doc, "Une injonction").speaker) == "FTC"
    doc = run("Une annonce saluée sur le compte officiel de Harbour Games, qui souligne rejoindre « la team Xbox ».", lang="fr")
    assert name_of(doc, quote(doc, "la team Xbox", "partial").speaker) == "Harbour Games"


def test_a_board_or_its_analysts_speak_for_the_organisation_named_after_them():
    # "The board of X said", "Analysts at X said", "le conseil d'administration
    # de X", "les analystes de X": X is the speaker, as for a spokesperson;
    # without an organisation named after them they stay unattributed
    doc = run('The board of Brightwater said the offers "fundamentally undervalued" the unit. '
              'Analysts at Barclays said the price was "a stretch". Analysts said the deal was "bold". '
              'The board of directors of Halvorsen said the approach was "unwelcome".', lang="en")
    assert name_of(doc, quote(doc, "fundamentally undervalued", "partial").speaker) == "Brightwater"
    assert name_of(doc, quote(doc, "a stretch", "partial").speaker) == "Barclays"
    assert quote(doc, "bold", "partial").speaker is None
    assert name_of(doc, quote(doc, "unwelcome", "partial").speaker) == "Halvorsen"
    doc = run("Le conseil d'administration de Solvane a jugé l'offre « inacceptable ». Les analystes de "
              "Jefferies estiment que le prix est « trop bas ».", lang="fr")
    assert name_of(doc, quote(doc, "inacceptable", "partial").speaker) == "Solvane"
    assert name_of(doc, quote(doc, "trop bas", "partial").speaker) == "Jefferies"


def test_an_inverted_role_with_the_name_apposed_after_its_organisation():
    # "a déclaré la directrice générale de X, Emma Rourke" (the parser takes
    # the inverted subject for an object); "said the chief executive of X,
    # Anna Berg" (the parser hangs the name on the organisation): the person
    doc = run("« Nous sommes confiants dans l'avenir de la division », a déclaré la directrice générale "
              "de Brightwater, Emma Rourke.", lang="fr")
    assert name_of(doc, quote(doc, "Nous sommes confiants").speaker) == "Emma Rourke"
    doc = run('"We will not raise our offer," said the chief executive of Halvorsen, Anna Berg.', lang="en")
    assert name_of(doc, quote(doc, "We will not raise").speaker) == "Anna Berg"


def test_the_company_is_the_one_the_last_sentences_had_acting():
    # two organisations share the story and the target is named more often:
    # "the company said" after "Kestrel announced …" is Kestrel
    doc = run("Kestrel Foods to invest $5.7 billion in Nordic Oats\n\nNordic Oats is Sweden's largest oat brand. "
              "Nordic Oats sells in 30 countries.\n\nKestrel Foods announced a $5.7 billion investment in Nordic Oats "
              "on Wednesday.\n\n\"Together, we will build the leading oat brand in Europe,\" the company said.", lang="en")
    assert name_of(doc, quote(doc, "Together, we will").speaker) == "Kestrel Foods"
    doc = run("Le groupe Vertiflux a confirmé des discussions. Vertiflux est coté à Paris. Le groupe Solvane a "
              "annoncé mardi une offre sur Vertiflux. « Nous sommes confiants », a déclaré le groupe.", lang="fr")
    assert name_of(doc, quote(doc, "Nous sommes confiants").speaker) == "Solvane"
