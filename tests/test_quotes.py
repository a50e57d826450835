"""Quotes and their speakers (dossier.quotes), French and English, on the real
spaCy pipeline. Each article below is written for these tests and analysed
once per module."""

from __future__ import annotations

import pytest
from conftest import name_of, quote, run, shared_or_skip

from dossier.quotes import scan_marks
from dossier.structure import split_blocks

NAMES = ("entities", "quotes")

FR_RACHAT = """Le rachat de Kiosque divise le secteur
Marie Dubois, la présidente de Kiosque, a rejeté jeudi l’offre de Vertex.
«\u00a0Nous ne sommes pas à vendre\u00a0», a-t-elle déclaré devant les salariés.
Le patron de Vertex, Paul Martin, a qualifié ce refus de «\u202fridicule\u202f».
Il a ensuite traité la dirigeante d’« Escroc ».
« C’est une erreur stratégique », a répondu Paul Martin sur X.
Selon Paul Martin, l’offre reste valable jusqu’en mars.
Marie Dubois a affirmé que Kiosque resterait indépendant.
Dans un communiqué diffusé par son avocat, Jean Lefort, Marie Dubois a dénoncé « une manœuvre ».
Le film « Oppenheimer » a dominé le box-office ce week-end.
"""

FR_MAIRIE = """Sophie Laurent et Marc Petit se disputent la mairie
Sophie Laurent a tenu un meeting à Lyon mardi soir.
Elle a lancé : “Cette ville mérite mieux que des promesses.”
Marc Petit a jugé son programme « irréaliste ».
"Les chiffres sont faux", a-t-il ajouté.
Elle a répondu : ‘Je n’ai pas l’intention de céder l’initiative à quiconque.’
D’après Sophie Laurent, la dette municipale a doublé en six ans.
Lors du débat, elle a déclaré fermement : « Nous rénoverons toutes les écoles.
Et nous le ferons sans augmenter les impôts. »
Un tract anonyme circulait à la sortie.
« Il faut changer de méthode. »
"""

FR_GROUPE = """Danone maintient ses objectifs
Le groupe a publié ses résultats trimestriels mercredi.
« Nos ventes progressent dans toutes les régions », a annoncé Danone dans un communiqué.
L’entreprise a indiqué qu’elle maintenait ses prévisions annuelles.
Julien Moreau, par la voix de son porte-parole, Claire Vidal, a estimé que « la reprise est fragile ».
« Mon père m’a toujours dit “jamais de dettes” », a raconté Julien Moreau.
Le ministre Bruno Marchand a salué ces chiffres. Il a déclaré :
« Nous tiendrons nos engagements. »
Un analyste a écrit : « Le titre reste cher.
Ce texte continue sans guillemet fermant dans ce paragraphe
Le paragraphe suivant parle d’autre chose et cite enfin « la prudence » sans auteur.
"""

EN_BID = """Acme rejects takeover bid from Globex
NEW YORK (AP) — Acme Corp on Monday rejected a $4 billion takeover offer from Globex, calling it “opportunistic.”
"We are not for sale," said Laura Chen, Acme's chief executive, in a statement.
Globex chairman David Miller called the decision "shortsighted."
“It is a missed opportunity for shareholders,” Miller told reporters in Chicago. “We will consider our options.”
He added that Globex would not raise its bid.
According to Reuters, several investors had urged Acme to negotiate.
The company said in a filing that its board had voted unanimously.
“The board acted in the interest of all shareholders,” Chen said through a spokesperson, Tom Reyes.
The bid was first reported in the “Morning Ledger” newsletter.
"""

EN_DEBATE = """Senators clash over the budget
Senator Maria Lopez opened the hearing on Tuesday.
She told colleagues: ‘We cannot keep borrowing for today’s spending.’
Mark Evans, the committee's ranking member, disagreed.
“Her numbers don’t add up,” he said. “Nobody’s numbers ever do.”
“This budget is a promise we can keep.” — Maria Lopez, on the Senate floor
“It is over,” a source close to the talks said.
The memo called for “immediate action” on the deficit.
“Nothing in this plan survives a recession, and everyone in this building knows it.
The second paragraph talks about the schedule of the vote next week.
"""

EN_PORT = """Port authority faces questions over storm delays
A spokeswoman for the port authority said the delays were caused by the storm.
“We expect traffic to return to normal by Friday,” a spokeswoman said.
According to the report, shipping volumes fell by a third in March.
Greenpeace criticised the dredging plan on Monday. They said the work would harm the estuary.
Officials declined to comment at first. They later said that talks would resume.
Harbour master Tom Briggs toured the damaged quay on Wednesday. He said repairs would take weeks.
“It is the worst damage I have seen in twenty years.”
"""

FR_PORT = """Le port de Brest paralysé par la grève
Un porte-parole du ministère a déclaré que la situation restait sous contrôle.
« Nous suivons la situation heure par heure », a indiqué une porte-parole de la préfecture.
Selon le rapport, le trafic a chuté d’un tiers en mars.
Les dockers ont manifesté devant la mairie. Ils ont dénoncé « un mépris total ».
La maire, Anne Le Goff, a reçu une délégation jeudi. Elle a promis une réponse rapide.
« Personne ne sera laissé de côté. »
La préfecture a annoncé mardi qu’elle rouvrirait le terminal, selon un calendrier fixé en mars.
"""


@pytest.fixture(scope="module")
def fr_rachat():
    return run(FR_RACHAT, lang="fr", names=NAMES)


@pytest.fixture(scope="module")
def fr_mairie():
    return run(FR_MAIRIE, lang="fr", names=NAMES)


@pytest.fixture(scope="module")
def fr_groupe():
    return run(FR_GROUPE, lang="fr", names=NAMES)


@pytest.fixture(scope="module")
def en_bid():
    return run(EN_BID, lang="en", names=NAMES)


@pytest.fixture(scope="module")
def en_debate():
    return run(EN_DEBATE, lang="en", names=NAMES)


@pytest.fixture(scope="module")
def en_port():
    return run(EN_PORT, lang="en", names=NAMES)


@pytest.fixture(scope="module")
def fr_port():
    return run(FR_PORT, lang="fr", names=NAMES)


def texts(doc, kind: str | None = None) -> list[str]:
    return [q.text for q in doc.quotes if kind is None or q.kind == kind]


# --- marks -----------------------------------------------------------------


def test_guillemets_with_no_break_spaces_and_inverted_pronoun(fr_rachat):
    q = quote(fr_rachat, "Nous ne sommes pas à vendre")
    assert q.text == "Nous ne sommes pas à vendre"  # no U+00A0 left inside
    assert q.kind == "direct"
    assert name_of(fr_rachat, q.speaker) == "Marie Dubois"
    assert q.speaker_span.text == "elle" and q.cue.text == "déclaré"


def test_curly_double_quotes_after_colon_with_pronoun_across_sentences(fr_mairie):
    q = quote(fr_mairie, "Cette ville mérite")
    assert q.kind == "direct" and q.text.endswith("promesses.")
    assert name_of(fr_mairie, q.speaker) == "Sophie Laurent"
    assert q.speaker_span.text == "Elle"


def test_straight_quotes_and_a_t_il(fr_mairie):
    q = quote(fr_mairie, "Les chiffres sont faux")
    assert q.kind == "direct"
    assert name_of(fr_mairie, q.speaker) == "Marc Petit"
    assert q.cue.text == "ajouté"


def test_single_curly_quotes_are_not_apostrophes(fr_mairie):
    q = quote(fr_mairie, "Je n’ai pas")
    assert q.text == "Je n’ai pas l’intention de céder l’initiative à quiconque."
    # the pronoun skips the man named in between (gender from the first name)
    assert name_of(fr_mairie, q.speaker) == "Sophie Laurent"
    # apostrophes elsewhere never open a quote
    assert not any(t.startswith(("offre", "initiative")) for t in texts(fr_mairie))


def test_quote_over_a_paragraph_break(fr_mairie):
    q = quote(fr_mairie, "Nous rénoverons")
    assert q.text == "Nous rénoverons toutes les écoles.\nEt nous le ferons sans augmenter les impôts."
    assert name_of(fr_mairie, q.speaker) == "Sophie Laurent"


def test_nested_quotes_stay_inside_the_outer_one(fr_groupe):
    q = quote(fr_groupe, "Mon père")
    assert q.text == "Mon père m’a toujours dit “jamais de dettes”"
    assert name_of(fr_groupe, q.speaker) == "Julien Moreau"
    assert "jamais de dettes" not in texts(fr_groupe)


def test_unclosed_quote_does_not_swallow_the_article(fr_groupe):
    # « Le titre reste cher. never closes: it is recovered to its paragraph end
    q = quote(fr_groupe, "Le titre reste cher")
    assert q.text == "Le titre reste cher."
    assert not any("paragraphe" in t for t in texts(fr_groupe))
    assert q.speaker is None  # "un analyste": no entity to name
    assert q.speaker_span.text == "Un analyste"  # but the speaker as written


def test_unclosed_quote_in_english(en_debate):
    q = quote(en_debate, "Nothing in this plan")
    assert q.text.endswith("knows it.")
    assert "schedule" not in q.text


def test_scan_marks_apostrophes_mixed_and_capped():
    text = ("L’offre d’achat n’a pas convaincu.\n"
            "He said ‘the players’ union’ agreed and \"it's done” today.\n"
            "A stray « opens here and never closes\n"
            "Next.\nThird.\nFourth « real quote » here.\n")
    spans = [text[q.start:q.end] for q in scan_marks(text, split_blocks(text))]
    assert spans == ["the players’ union", "it's done", "real quote"]


# --- kinds -----------------------------------------------------------------


def test_partial_quote_in_the_reporters_sentence(fr_rachat):
    q = quote(fr_rachat, "ridicule", kind="partial")
    assert q.text == "ridicule"
    assert name_of(fr_rachat, q.speaker) == "Paul Martin"  # apposition parsed as a conjunct
    assert q.cue.text == "qualifié"


def test_one_word_quote_is_partial(fr_rachat):
    q = quote(fr_rachat, "Escroc")
    assert q.kind == "partial"
    assert name_of(fr_rachat, q.speaker) == "Paul Martin"
    assert q.speaker_span.text == "Il"


def test_quoted_titles_are_not_quotes(fr_rachat, en_bid):
    assert "Oppenheimer" not in texts(fr_rachat)
    assert "Morning Ledger" not in texts(en_bid)


def test_scare_quote_without_speaker_is_dropped(fr_groupe):
    assert "la prudence" not in texts(fr_groupe)


def test_indirect_speech_que(fr_rachat):
    q = quote(fr_rachat, "Kiosque resterait", kind="indirect")
    assert q.text == "Kiosque resterait indépendant"
    assert name_of(fr_rachat, q.speaker) == "Marie Dubois"
    assert q.cue.text == "affirmé"


def test_indirect_carries_its_partial_quote(fr_groupe):
    q = quote(fr_groupe, "la reprise est fragile", kind="partial")
    assert name_of(fr_groupe, q.speaker) == "Julien Moreau"


def test_selon_and_d_apres(fr_rachat, fr_mairie):
    q = quote(fr_rachat, "l’offre reste valable", kind="indirect")
    assert name_of(fr_rachat, q.speaker) == "Paul Martin" and q.cue.text == "Selon"
    q = quote(fr_mairie, "la dette municipale", kind="indirect")
    assert name_of(fr_mairie, q.speaker) == "Sophie Laurent" and q.cue.text == "D’après"


def test_inverted_subject_name(fr_rachat):
    q = quote(fr_rachat, "C’est une erreur")
    assert name_of(fr_rachat, q.speaker) == "Paul Martin"
    assert q.speaker_span.text == "Paul Martin" and q.cue.text == "répondu"


# --- speakers --------------------------------------------------------------


def test_intermediary_communique_diffuse_par(fr_rachat):
    q = quote(fr_rachat, "une manœuvre")
    assert name_of(fr_rachat, q.speaker) == "Marie Dubois"
    assert name_of(fr_rachat, q.intermediary) == "Jean Lefort"
    assert q.intermediary_span.text == "Jean Lefort"


def test_intermediary_par_la_voix_de(fr_groupe):
    q = quote(fr_groupe, "la reprise est fragile", kind="partial")
    assert name_of(fr_groupe, q.intermediary) == "Claire Vidal"


def test_colon_at_the_end_of_the_previous_line(fr_groupe):
    q = quote(fr_groupe, "Nous tiendrons")
    assert q.kind == "direct"
    assert name_of(fr_groupe, q.speaker) == "Bruno Marchand" and q.speaker_span.text == "Il"


def test_dateline_is_not_a_speaker(en_bid):
    q = quote(en_bid, "opportunistic", kind="partial")
    # the legal form goes: the plain name is canonical, the full one an alias
    assert name_of(en_bid, q.speaker) == "Acme" and "Acme Corp" in en_bid.entities[q.speaker].aliases


def test_organisation_speaker_by_name_and_by_company_noun(fr_groupe):
    q = quote(fr_groupe, "Nos ventes progressent")
    assert name_of(fr_groupe, q.speaker) == "Danone"
    q = quote(fr_groupe, "elle maintenait", kind="indirect")
    assert name_of(fr_groupe, q.speaker) == "Danone"
    assert q.speaker_span.text == "L’entreprise"


def test_no_supportable_speaker_fr(fr_mairie):
    q = quote(fr_mairie, "Il faut changer")
    assert q.kind == "direct" and q.speaker is None and q.speaker_span is None


def test_said_after_name_with_apposition(en_bid):
    q = quote(en_bid, "We are not for sale")
    assert q.text == "We are not for sale,"
    assert name_of(en_bid, q.speaker) == "Laura Chen"
    assert q.cue.text == "said"


def test_interrupted_quote_shares_speaker_and_cue(en_bid):
    a = quote(en_bid, "It is a missed opportunity")
    b = quote(en_bid, "We will consider")
    assert name_of(en_bid, a.speaker) == name_of(en_bid, b.speaker) == "David Miller"
    assert a.cue == b.cue and a.cue.text == "told"


def test_partial_quote_english(en_bid):
    q = quote(en_bid, "shortsighted", kind="partial")
    assert name_of(en_bid, q.speaker) == "David Miller"


def test_pronoun_indirect_english(en_bid):
    q = quote(en_bid, "Globex would not raise", kind="indirect")
    assert name_of(en_bid, q.speaker) == "David Miller"
    assert q.speaker_span.text == "He"


def test_according_to(en_bid):
    q = quote(en_bid, "several investors", kind="indirect")
    assert name_of(en_bid, q.speaker) == "Reuters" and q.cue.text == "According to"


def test_the_company_said_that(en_bid):
    q = quote(en_bid, "its board had voted", kind="indirect")
    # the legal form goes: the plain name is canonical, the full one an alias
    assert name_of(en_bid, q.speaker) == "Acme" and "Acme Corp" in en_bid.entities[q.speaker].aliases
    assert q.speaker_span.text == "The company"


def test_through_a_spokesperson(en_bid):
    q = quote(en_bid, "The board acted")
    assert name_of(en_bid, q.speaker) == "Laura Chen"
    assert name_of(en_bid, q.intermediary) == "Tom Reyes"


def test_she_resolves_to_the_woman_and_he_to_the_man(en_debate):
    q = quote(en_debate, "We cannot keep borrowing")
    assert q.text == "We cannot keep borrowing for today’s spending."
    assert name_of(en_debate, q.speaker) == "Maria Lopez"
    q = quote(en_debate, "Her numbers")
    assert name_of(en_debate, q.speaker) == "Mark Evans"
    assert name_of(en_debate, quote(en_debate, "Nobody’s numbers").speaker) == "Mark Evans"


def test_dash_attribution(en_debate):
    q = quote(en_debate, "This budget is a promise")
    assert name_of(en_debate, q.speaker) == "Maria Lopez"


def test_no_supportable_speaker_en(en_debate):
    q = quote(en_debate, "It is over")
    assert q.cue is not None and q.speaker is None
    assert q.speaker_span.text == "a source close to the talks"
    # a memo is not a person: the partial quote has no speaker
    assert all(q.speaker is None for q in en_debate.quotes if "immediate action" in q.text)


def test_quotes_are_sorted_and_spans_exact(fr_rachat, en_bid):
    for doc in (fr_rachat, en_bid):
        assert doc.quotes == sorted(doc.quotes, key=lambda q: (q.start, q.end))
        for q in doc.quotes:
            assert doc.text[q.start:q.end] == q.text
            assert q.kind in ("direct", "partial", "indirect")
            assert q.speaker is None or q.speaker in doc.entities


def test_seed_article_quotes():
    path = shared_or_skip("corpus", "openai-bid-fr.txt")
    doc = run(path.read_text(encoding="utf-8"), lang="fr", names=NAMES)
    direct = [q for q in doc.quotes if q.kind != "indirect"]
    assert [q.text[:20] for q in direct] == ["Non merci, mais nous", "Nous avons cette mis"]
    assert {name_of(doc, q.speaker) for q in direct} == {"Sam Altman"}
    assert direct[0].speaker_span.text == "Il" and direct[0].cue.text == "publié"
    assert direct[1].text.endswith("Nous ne sommes pas à vendre") and "\n" in direct[1].text


# --- speakers as written, continuations, groups ------------------------------


def test_nominal_speaker_a_spokeswoman_said(en_port):
    # a noun phrase that names no entity: the span as written, no entity claimed
    q = quote(en_port, "We expect traffic")
    assert q.kind == "direct" and q.cue.text == "said"
    assert q.speaker is None and q.speaker_span.text == "a spokeswoman"
    q = quote(en_port, "the delays were caused", kind="indirect")
    assert q.speaker is None and q.speaker_span.text == "A spokeswoman for the port authority"


def test_nominal_speaker_un_porte_parole_du_ministere(fr_port):
    q = quote(fr_port, "la situation restait", kind="indirect")
    assert q.speaker is None and q.cue.text == "déclaré"
    assert q.speaker_span.text == "Un porte-parole du ministère"
    q = quote(fr_port, "Nous suivons la situation")
    assert q.kind == "direct" and q.speaker is None
    assert q.speaker_span.text == "une porte-parole de la préfecture" and q.cue.text == "indiqué"


def test_selon_le_rapport_and_according_to_the_report(fr_port, en_port):
    q = quote(fr_port, "le trafic a chuté", kind="indirect")
    assert q.speaker is None and q.cue.text == "Selon" and q.speaker_span.text == "le rapport"
    q = quote(en_port, "shipping volumes fell", kind="indirect")
    assert q.speaker is None and q.cue.text == "According to" and q.speaker_span.text == "the report"
    # "…, selon un calendrier": the sentence names its own speaker; the
    # calendar says how, not who
    q = quote(fr_port, "elle rouvrirait", kind="indirect")
    assert q.cue.text == "annoncé" and q.speaker_span.text == "La préfecture"
    assert not any(q.speaker_span and "calendrier" in q.speaker_span.text for q in fr_port.quotes)


def test_quote_opening_a_paragraph_continues_the_previous_speaker(en_port, fr_port):
    # "He said repairs would take weeks." then a quote alone on the next line
    q = quote(en_port, "It is the worst damage")
    assert q.kind == "direct"
    assert name_of(en_port, q.speaker) == "Tom Briggs"
    assert q.speaker_span.text == "He" and q.cue.text == "said"
    # "Elle a promis …" (a speech verb with no quote of its own), then the quote
    q = quote(fr_port, "Personne ne sera")
    assert name_of(fr_port, q.speaker) == "Anne Le Goff" and q.cue.text == "promis"


def test_they_for_an_organisation_and_for_a_group(en_port, fr_port):
    q = quote(en_port, "the work would harm", kind="indirect")
    assert name_of(en_port, q.speaker) == "Greenpeace" and q.speaker_span.text == "They"
    # a group that is no entity: the pronoun stands for the noun phrase as written
    q = quote(en_port, "talks would resume", kind="indirect")
    assert q.speaker is None and q.speaker_span.text == "Officials"
    q = quote(fr_port, "un mépris total", kind="partial")
    assert q.speaker is None and q.speaker_span.text == "Les dockers"
