"""Canonical entities of one article.

A cascade: the NER hints (``doc.ner``, spaCy's unless another recogniser
is registered) propose mentions; cleaning drops heading noise and
generic words; surface forms are grouped (``Musk`` → ``Elon Musk``, ``X
(anciennement Twitter)`` → ``X`` with alias ``Twitter``); the type is voted
from every mention's NER label plus context cues (``patron de Tesla`` makes
Tesla an ORG, ``son développement de ChatGPT`` a PRODUCT); finally every
further occurrence of a confirmed name is added as a mention.

The text's own structure settles what NER leaves open: a short form of a
two-word name introduced earlier joins it (``Activision`` → ``Activision
Blizzard``), an acronym joins the one longer name with its initials (``FTC``),
a legal form is dropped from the name and kept as an alias (``Reliance
Industries Limited`` → ``Reliance Industries``, by ``cleanco``), a name's head
word types it (``… Capital``, ``Banque de …``), a list opened by a product
noun types its items (``games such as …``), and nationality words are neither
places nor part of the name they precede (``le Britannique X``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from functools import lru_cache

from cleanco import basename as cleanco_basename

from .lang import load, phrase, phrases
from .model import Doc, Entity, Mention, content_id, fold, visible_name
from .pipeline import component
from .vocab import ENTITY_TYPES as TYPES  # in the order that breaks a tie of votes

_CUE_WEIGHT = 3.0
_WORD = r"[\w’'\-]"
# boundaries compiled once and matched at a position found by str.find
# (compiling one regex per name cost more than the whole search)
_NOT_AFTER_WORD_AT = re.compile(r"(?<![\w’'\-])")
_NAME_END_AT = re.compile(r"(?![\w\-])")
# compiled once: they run for every NER mention
_LEADING_WORD = re.compile(r"([\w.]+['’]?)\s*")
_COMPOUND_TAIL = re.compile(r"-[A-Z]")
_CAMEL_START = re.compile(r"[a-z]+[A-Z]")
_SENTENCE_BREAK = re.compile(r"[.!?]\s")
_CAMEL_JOINT = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NEXT_NAME_WORD = re.compile(r" [A-Z]")
_ACRONYM_AFTER = re.compile(r"\s*\(\s*([A-Z][A-Z&]{1,7})\s*\)")


def _occurrences(text: str, form: str, start_at: re.Pattern):
    """(start, end) of each match of ``start_at`` + the literal ``form`` +
    ``_NAME_END_AT`` in ``text``, left to right and non-overlapping, as
    ``re.finditer`` would give them."""
    n = len(form)
    if not n:
        return
    i = text.find(form)
    while i >= 0:
        e = i + n
        if start_at.match(text, i) and _NAME_END_AT.match(text, e):
            yield i, e
            i = text.find(form, e)
        else:
            i = text.find(form, i + 1)


class Lexicon:
    """Compiled entity knowledge for one language (from ``lang/<code>/entities.json``)."""

    def __init__(self, lang: str):
        d = load(lang, "entities")
        self.labels: dict[str, str] = d.get("ner_labels", {})
        self.strip_leading = {fold(w) for w in d.get("strip_leading", [])}
        self.not_entities = {fold(w) for w in d.get("not_entities", [])}
        self.org_suffixes = {fold(w) for w in d.get("org_suffixes", [])}
        # words of a title, never an organisation's name ("Vice President Jane Roe")
        self.titles = {fold(w) for w in d.get("person_titles", []) + d.get("role_nouns", [])} | {"vice", "deputy", "former", "acting", "interim"}
        parts = phrases(d.get("name_particles", []), icase=False)
        # "Admiral Dufek", "Pope Paul VI": a title the recogniser took into the name
        self.rank_title = re.compile(rf"(?:{phrases(d.get('rank_titles', []), icase=False)})\s+(?=[A-Z])")
        # "National Council for Peace and": a name does not end with a function word
        # (nor with a particle: "Carl Joachim von der | Esch")
        self.connector_end = re.compile(
            rf"\s(?:{phrases(d.get('name_connectors', []) + [w for w in d.get('name_particles', []) if w.islower()], icase=False)})$")
        # "Drummer Lars Ulrich", "Spokesman KK Khumalo": a capitalised
        # profession or role opening the name is no part of it
        self.role_opening = re.compile(
            rf"(?:{phrases(d.get('person_nouns', []) + d.get('role_nouns', []))})\s+(?=[A-Z])", re.I)
        # "U.S. Court of Appeals | for the Third Circuit": the recogniser
        # stopped at a complement of the organisation's head word
        self.head_complement = re.compile(
            rf"\s+(?:{phrases(d.get('head_complements', []), _then_space)})(?=[A-Z])[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*)*")
        self.org_head_in = re.compile(rf"(?<![\w’'\-])(?:{phrases(d.get('org_last_words', []), icase=False)})(?![\w’'\-])")
        # the lower-case words inside a name ("Court of Appeals for the Third Circuit")
        self.inner_words = {w for p in d.get("name_connectors", []) + d.get("head_complements", []) for w in p.split()}
        self.particle_tail = re.compile(rf" (?:{parts}) [A-ZÀ-Ý][\w’'\-]+")
        # "Amérique latine", "Europe de l'Est": the recogniser stops before the lower-case part
        self.loc_tail = re.compile(rf" (?:{phrases(d.get('loc_tails', []), icase=False)})(?![\w’'\-])")
        # what joins a role noun to its organisation: "patron de", "CEO at"
        of = phrases(d.get("role_of", []), _then_space)
        conj = rf"(?:{_WORD}+(?:\s+{_WORD}+)?\s+{phrases(d.get('and', []))}\s+{of}?)?"
        # a name starts a word, or follows an elided word: d’OpenAI, l’Élysée, qu’Altman
        stems = {w.rstrip("'’") for w in d.get("elided", [])}
        behind = "".join(rf"(?<=\b{re.escape(v)}[’'])|" for s in sorted(stems) for v in sorted({s, s.capitalize()}))
        self.name_start = re.compile(rf"(?:{behind}(?<![\w’'\-]))")
        self.elided_articles = tuple(w.replace("’", "'").lower() for w in d.get("elided_articles", []))
        self.possessive = tuple(v for w in d.get("possessive", []) for v in (w, w.replace("'", "’")))
        # "patron de Tesla et de X", "CEO of OpenAI": ORG after a role noun
        self.org_after_role = re.compile(rf"(?:^|\W)(?:{phrases(d.get('role_nouns', []))})\s+{of}{conj}$", re.I)
        # companies are bought without an article: "racheter OpenAI", "acquired Figma"
        # (maybe with a determiner: "played for the Kansas City Kings")
        self.org_after_verb = re.compile(
            rf"(?:^|\W)(?:{phrases(d.get('company_verbs', []))})\s+(?:{phrases(d.get('definite_articles', []), _then_space)})?$", re.I)
        # "sa start-up d'IA générative, xAI" / "xAI, la start-up"
        orgn = phrases(d.get("org_nouns", []))
        # an org noun right before the name, or an apposition closed by a comma
        self.org_before = re.compile(rf"(?:^|\W)(?:{orgn})(?:(?:\s+[^\s,.;:]+){{1,4}}\s*,)?\s*$", re.I)
        # "social networking site Facebook", "the research firm IDC": a name
        # the recogniser missed, right after an organisation noun
        words = r"((?:[A-Z][\w&’'\-]*|[a-z]+[A-Z][\w\-]*)(?:\s+[A-Z][\w&’'\-]*){0,3})"
        name = words + r"(?![\w’'\-])"
        # "buy US biotech Inhibrx": an organisation noun and a name after the
        # bought name; the name is the noun's modifier, the company comes after
        self.org_noun_next = re.compile(rf"\s+(?:{orgn})\s+[A-Z]")
        # "le groupe agroalimentaire Kestrel Foods", "le géant des biens de
        # consommation Halvorsen": maybe lower-case modifiers between the noun
        # and the name (read only as adjectives and complement nouns, below)
        # "l’assureur français Mirelle": the noun may follow an elided article
        letters = "".join(sorted({v for e in d.get("elided_articles", []) for v in (e[0].lower(), e[0].upper())}))
        elided_before = rf"(?<=\b[{letters}][’'])" if letters else "(?!)"  # one-letter articles: l’, d’
        self.org_modifiers_before = re.compile(
            rf"(?:{elided_before}|(?<![\w’'\-]))(?:{orgn})((?:\s+[a-zà-ÿœæ][\w’'\-]*){{1,4}})\s+$")
        self.org_noun_then_name = re.compile(
            rf"(?:{elided_before}|(?<![\w’'\-]))(?:{orgn})((?:\s+[a-zà-ÿœæ][\w’'\-]*){{0,4}})\s+{name}")
        # "Hartwell chief executive Alan Jope", "le directeur général d'Hartwell":
        # the organisation of an officer named by the title
        officers = phrases(d.get("officer_titles", []), icase=False)
        self.name_before_officer = re.compile(
            rf"(?<![\w’'\-]){words}\s+(?:{officers})\s+[A-Z][\w’'\-]+\s+[A-Z]")
        # "Sanofi agreed to buy …": a name missed before a deal verb
        # capitalised words on one line (camel-cased ones left out: every
        # lower-case word would be tried as the start of one)
        words_in_line = r"([A-Z][\w&’'\-]*(?: +[A-Z][\w&’'\-]*){0,3})"
        self.name_before_deal = re.compile(
            rf"(?<![\w’'\-]){words_in_line} +(?:{phrases(d.get('deal_subject_verbs', []))})(?![\w’'\-])")
        # "Stability AI", "Vinter Invest": capitalised words closed by an
        # organisation's last word, a name even where the recogniser saw none
        self.name_with_org_last = re.compile(
            rf"(?<![\w’'\-])([A-Z][\w&’'\-]*(?: +[A-Z][\w&’'\-]*){{0,2}} +(?:{phrases(d.get('org_last_words', []), icase=False)}))(?![\w’'\-])")
        # "Brightwater, the Dutch consumer goods group, rejected …": a name
        # the recogniser missed, defined by an organisation noun in apposition
        self.name_then_org_apposition = re.compile(
            rf"(?<![\w’'\-]){words_in_line}\s*,\s*(?:{phrases(d.get('copula_articles', []), _then_space)})\s*"
            rf"(?:[^\s,.;:]+\s+){{0,3}}?(?:{orgn})(?:\s+[a-zà-ÿœæ][^\s,.;:]*){{0,4}}\s*,")
        self.officer_of_name = re.compile(
            rf"(?<![\w’'\-])(?:{phrases(d.get('officer_roles', []))})\s+(?:{phrases(d.get('officer_of', []))})\s*{name}")
        # "X is a Japanese video game publisher", "X est une ville de…": the
        # noun a copula gives the name (the words between are no "of" phrase)
        self.copula = re.compile(
            rf"^\s+(?:{phrases(d.get('copula', []))})\s+(?:{phrases(d.get('copula_articles', []), _then_space)})")
        # where the noun phrase after a copula ends: "a freeway | in Edmonton"
        self.copula_stop = re.compile(rf"[,;:.()]|\s(?:{phrases(d.get('copula_stops', []))})(?![\w’'\-])", re.I)
        self.kind_nouns = {
            "ORG": re.compile(rf"(?:{orgn})(?![\w’'\-])", re.I),
            "PERSON": re.compile(rf"(?:{phrases(d.get('person_nouns', []))})(?![\w’'\-])", re.I),
            "LOC": re.compile(rf"(?:{phrases(d.get('loc_nouns', []))})(?![\w’'\-])", re.I),
            "PRODUCT": re.compile(rf"(?:{phrases(d.get('product_nouns', []))})(?![\w’'\-])", re.I),
        }
        # the words of an apposition before its noun ("Jane Roe, a French
        # economist"), none that ends it ("X, as well as guitarist of Y")
        fill = rf"(?:(?!(?:{phrases(d.get('apposition_breaks', []))})\s){_WORD}+\s+)"
        # "Jane Roe, a French economist": a person noun in apposition
        self.person_noun_after = re.compile(
            rf"^\s*,\s*{fill}{{0,3}}(?:{phrases(d.get('person_nouns', []))})(?![\w’'\-])", re.I)
        # "a feature Apple calls Eye Sight", "une start-up baptisée X": a kind noun, maybe its
        # owner's name, then a naming word: the name is of that kind
        naming = rf"\s+(?:[A-Z][\w’'\-]*\s+)?(?:{phrases(d.get('naming_words', []))})\s+$"
        self.named_kind = [(kind, re.compile(rf"(?:^|\W)(?:{phrases(d.get(key, []))}){naming}", re.I))
                           for kind, key in (("PRODUCT", "product_nouns"), ("ORG", "org_nouns"), ("PERSON", "person_nouns"))]
        # "selon The Verge", "according to Bloomberg": a source is no place
        # "Brightwater a rejeté l'offre", "X agreed to buy": a party to a deal, not a place
        self.deal_subject = re.compile(rf"^\s*(?:{phrases(d.get('deal_subject_verbs', []))})(?![\w’'\-])", re.I)
        # "le rachat de Nordic Oats", "takeover of X": a name the recogniser missed
        self.deal_party_then_name = re.compile(
            rf"(?<![\w’'\-])(?:{phrases(d.get('deal_party_before', []))})\s*((?:[A-Z][\w&’'\-]*)(?: +[A-Z][\w&’'\-]*){{0,3}})(?![\w’'\-])")
        self.deal_party_before = re.compile(rf"(?:^|\W)(?:{phrases(d.get('deal_party_before', []))})\s*$", re.I)
        self.source_before = re.compile(rf"(?:^|\W)(?:{phrases(d.get('source_markers', []))})\s+$", re.I)
        # "Jane Roe (born 4 May 1970)": a birth date is a person's
        self.born_after = re.compile(rf"^\s*[(,]\s*(?:{phrases(d.get('born', []))})\s", re.I)
        # "Jane Roe (11 October 1874, in Liegnitz – 6 January 1915)": a life's span
        # (years with words between them: not "Pan Am (1927–1991)")
        self.life_after = re.compile(r"^\s*\((?=[^()]*?[^\W\d_]{2})[^()]{0,60}?\b\d{4}\b[^()]{0,40}?[–—-][^()]{0,60}?\b\d{4}\b[^()]{0,40}\)")
        # "the son of X", "directed by X": a person's kin and a work's maker
        self.person_of = re.compile(
            rf"(?:^|\W)(?:(?:{phrases(d.get('kin_nouns', []))})\s+{of}|{phrases(d.get('person_agent_verbs', []))}\s+)$", re.I)
        # "President of Bolivia": a state's titles take a place as well as an organisation
        self.state_role = re.compile(rf"(?:^|\W)(?:{phrases(d.get('state_roles', []))})\s+{of}$", re.I)
        self.org_after = re.compile(rf"^\s*,\s*{fill}{{0,3}}(?:{orgn})\b", re.I)
        prodn = phrases(d.get("product_nouns", []))
        makers = phrases(d.get("maker_nouns", []))
        # "le chatbot ChatGPT", "son développement de ChatGPT", "the maker of Call of Duty"
        self.product_before = re.compile(rf"(?:^|\W)(?:(?:{prodn})\s+{of}?|(?:{makers})\s+{of})$", re.I)
        self.product_after = re.compile(rf"^\s*,\s*{fill}{{0,4}}(?:{prodn})\b", re.I)
        # "the Xbox gaming console", "Vision Pro headset": a device noun after the name
        self.device_after = re.compile(rf"^\s+(?:[a-z][\w\-]*\s+)?(?:{phrases(d.get('device_heads', []))})(?![\w’'\-])")
        locn = phrases(d.get("loc_nouns", []))
        self.loc_after = re.compile(rf"^\s*,\s*{fill}{{0,3}}(?:{locn})\b", re.I)
        self.loc_before = re.compile(rf"(?:^|\W)(?:(?:{locn})\s+(?:{of})?|(?:{phrases(d.get('loc_verbs', []))})\s+)$", re.I)
        evn = phrases(d.get("event_nouns", []))
        self.event_after = re.compile(rf"^\s+(?:{evn})\b", re.I)
        self.event_before = re.compile(rf"(?:^|\W)(?:{evn})\s+(?:{of})?$", re.I)
        # role nouns that name a person (not "a subsidiary of", "a shareholder of": either kind)
        people = [w for w in d.get("role_nouns", []) if w not in set(d.get("roles_of_either_kind", []))]
        roles = phrases(people + d.get("person_titles", []))
        # "Bret Taylor, le président d'OpenAI" / "OpenAI CEO Sam Altman"
        self.person_after = re.compile(rf"^\s*,\s*{fill}{{0,3}}(?:{roles})\s+{of}", re.I)
        # "appointed Laurent Freixe as chief executive": the name takes a role
        self.person_as_role = re.compile(
            rf"^\s+(?:{phrases(d.get('role_as', []), _then_space)})\s*(?:{phrases(d.get('role_nouns', []))})(?![\w’'\-])", re.I)
        self.person_before = re.compile(rf"(?:^|\W)(?:{phrases(d.get('person_titles', []) + d.get('rank_titles', []), icase=False)})\s*$")
        # "games such as Call of Duty, Overwatch and …": every item of a list
        # opened by a product noun and a list marker
        joiners = phrases(d.get("list_joiners", []))
        self.product_list = re.compile(
            rf"(?:^|\W)(?:{prodn})\s*,?\s+(?:{phrases(d.get('list_markers', []))})\s+"
            rf"(?:[^.;:()\n]{{0,80}}?(?:,|\s(?:{joiners}))\s*)?$", re.I)
        # "clubs such as Rata Blanca, Horcas and …": the same for organisations
        # "Ernest et Alfred Solvay": a first name coordinated with a full name
        self.shared_surname = re.compile(rf"\s+(?:{joiners})\s+[A-Z][\w’'\-]+\s+[A-Z]")
        self.org_list = re.compile(
            rf"(?:^|\W)(?:{phrases(d.get('org_plurals', []))})\s*,?\s+(?:{phrases(d.get('list_markers', []))})\s+"
            rf"(?:[^.;:()\n]{{0,80}}?(?:,|\s(?:{joiners}))\s*)?$", re.I)
        # the items of such a list, read from the text where the recogniser
        # missed them ("franchises such as Call of Duty, Overwatch, and World of Warcraft")
        self.list_opening = re.compile(
            rf"(?<![\w’'\-])(?:(?P<product>{prodn})|{phrases(d.get('org_plurals', []))})\s*,?\s+(?:{phrases(d.get('list_markers', []))})\s+", re.I)
        conn = phrases(d.get("title_connectors", []), icase=False)
        item = rf"(?:[A-Z0-9]|[a-z]+[A-Z])[\w’'\-]*(?:\s+(?:(?:{conn})\s+)*[A-Z0-9][\w’'\-]*)*"  # "iPhone" too
        self.list_item = re.compile(rf"({item})(?![\w’'\-])(\s*,\s*(?:(?:{joiners})\s+)?|\s+(?:{joiners})\s+)?")
        # "Vinted, Revolut ou Vivino": the name that closes a list of two names of one kind
        self.list_tail = re.compile(
            rf"\s*(?:,\s*(?:(?:{joiners})\s+)?|\s+(?:{joiners})\s+)((?:[A-Z]|[a-z]+[A-Z])[\w’'\-]*(?:\s+[A-Z][\w’'\-]*)*)(?![\w’'\-])")
        # (a joiner: a comma alone may open an apposition, "Tim Cook, Apple's chief")
        cap = r"[A-Z0-9][\w’'\-]*(?:\s+[A-Z][\w’'\-]*)*"
        # "special effects companies Weta Workshop and Weta Digital": names after an organisation plural
        self.org_plural_before = re.compile(
            rf"(?:^|\W)(?:{phrases(d.get('org_plurals', []))})\s+(?:{cap}\s*,\s+)*(?:{cap}\s*,?\s+(?:{joiners})\s+)?$")
        # the words these patterns end with: a cheap test before a search
        self.joiner_words = {w.lower() for w in d.get("list_joiners", [])}
        self.org_plural_words = {w.lower() for w in d.get("org_plurals", [])}
        self.naming_last = {w.split()[-1].lower() for w in d.get("naming_words", [])}
        self.list_gap = re.compile(rf"\s*,\s*(?:(?:{joiners})\s+)?|\s+(?:{joiners})\s+")
        self.coordination = re.compile(rf"\s*,?\s+(?:{joiners})\s+")
        # "au capital de Vinted, Revolut ou ": the names listed before a name,
        # whose cue (before the list) is the name's too
        # (two names at least: not the apposition "le président de Microsoft, Brad Smith")
        self.list_so_far = re.compile(rf"(?:(?:{cap}\s*,\s+)+{cap}\s+(?:{joiners})\s+|(?:{cap}\s*,\s+){{2,}})$")
        # "X maker Y": the name before a maker noun is its product
        self.product_before_maker = re.compile(rf"^(?:\s+|-)(?:{makers})\b", re.I)  # "PlayStation-maker Sony"
        # "Activision Blizzard CEO Bobby Kotick": a company before its officer's title and name
        self.org_before_officer = re.compile(
            rf"^\s+(?:{phrases(d.get('officer_titles', []))})\s+(?:[A-Z][\w’'\-]+\s+)*[A-Z]")
        # "Samsung unveiled X", "Apple lance X", "the launch of X"
        dets = phrases(d.get("product_determiners", []), _then_space)
        self.product_after_verb = re.compile(rf"(?:^|\W)(?:{phrases(d.get('product_verbs', []))})\s+(?:{dets})?$", re.I)
        # "la firme de Redmond": the seat of a company named for the company
        self.seat_before = re.compile(rf"(?:^|\W)(?:{phrases(d.get('seat_before', []))})\s*$", re.I)
        # nationality nouns and adjectives ("des Français", "le Britannique X",
        # "Germano-Américain"): not actors, and not part of the name they precede
        self.demonyms = {fold(v) for w in d.get("demonyms", []) for v in _inflections(w)}
        self.demonym_prefixes = {fold(w) for w in d.get("demonym_prefixes", [])}
        # organisation heads: "Sprints Capital", "Competition Authority", "Banque de France"
        self.org_first = re.compile(rf"^(?:{phrases(d.get('org_first_words', []), icase=False)})\s")
        self.org_last = re.compile(rf"\s(?:{phrases(d.get('org_last_words', []), icase=False)})$")
        # place heads: "Branscomb Glacier", "Wayne Gretzky Drive", "Mount Tyree", "Musée d'Orsay"
        self.loc_first = re.compile(rf"^(?:{phrases(d.get('loc_first_words', []), icase=False)})\s")
        self.loc_last = re.compile(rf"\s(?:{phrases(d.get('loc_last_words', []), icase=False)})$")
        # event heads: "Worldwide Developers Conference", "Salon de l'automobile"
        self.event_first = re.compile(rf"^(?:{phrases(d.get('event_first_words', []), icase=False)})\s")
        self.event_last = re.compile(rf"\s(?:{phrases(d.get('event_last_words', []), icase=False)})$")
        poss = phrases(d.get("possessive", []), icase=False)
        self.possessive_in = re.compile(rf"{poss}\s+")  # "Meta’s Quest"
        self.possessive_at = re.compile(poss)
        # "US Federal Trade Commission": a country's short form before a
        # public body is not part of its name ("Federal Trade Commission")
        self.country_prefix = re.compile(
            rf"^(?:{phrases(d.get('country_prefixes', []), icase=False)})\s+(?=\S+\s.*\s(?:{phrases(d.get('public_body_heads', []), icase=False)})$)")
        # "Lindsay Lane KC", "Jane Roe MP": letters after a name are not the name
        self.postnominal = re.compile(rf"(?:,?\s+(?:{phrases(d.get('postnominals', []), icase=False)}))+$")
        self.former = re.compile(rf"^\s*\(\s*(?:{phrases(d.get('former_name_markers', []))})\s*([^()\n]{{1,60}}?)\s*\)", re.I)


def _then_space(w: str) -> str:
    """A data phrase and the spaces after it, none after an elided word (d’)."""
    return phrase(w) + ("" if w.endswith(("'", "’")) else r"\s+")


def _inflections(w: str) -> list[str]:
    """A nationality word and its feminine and plural forms (Italien,
    Italienne, Italiens, Italiennes; Belge, Belges)."""
    out = [w, w + "s"]
    if w.endswith("ien"):
        out += [w + "ne", w + "nes"]
    elif not w.endswith(("e", "s")):
        out += [w + "e", w + "es"]
    return out


def _is_demonym(s: str, lex: "Lexicon") -> bool:
    """``Français``, ``Britanniques``, ``Germano-Américain``."""
    parts = fold(s).split("-")
    return parts[-1] in lex.demonyms and all(p in lex.demonyms or p in lex.demonym_prefixes for p in parts[:-1])


@lru_cache(maxsize=None)
def lexicon(lang: str) -> Lexicon:
    return Lexicon(lang)


def _clean(doc: Doc, m: Mention, lex: Lexicon) -> Mention | None:
    """Trim leading function words and trailing punctuation; None if nothing is left."""
    text = doc.text
    start, end = m.start, m.end
    while True:
        mt = _LEADING_WORD.match(text[start:end])
        if mt and fold(mt.group(1)) in lex.strip_leading and mt.end() < end - start:
            start += mt.end()
            continue
        art = next((a for a in lex.elided_articles if text[start:end].lower().replace("’", "'").startswith(a)), None)
        if art and end - start > len(art):  # l’Élysée, d’OpenAI
            start += len(art)
            continue
        break
    # "National Basketball League (NBL", "Terje Halleland (Progress Party)":
    # a bracket opens another name (an acronym is an alias, read later)
    br = text.find(" (", start, end)
    if br > start:
        end = br
    while end > start and text[end - 1] in " ,.;:!?()[»\"”’'-":
        end -= 1
    if cn := lex.connector_end.search(text, start, end):
        # the recogniser stopped inside the name: its capitalised rest follows
        rest = _CAPITALISED_WORDS.match(text, end)
        end = rest.end() if rest and "\n" not in rest.group() else cn.start()
    if (hc := lex.head_complement.match(text, end)) and "\n" not in hc.group() and lex.org_head_in.search(text, start, end):
        end = hc.end()
    label = m.label
    if (rt := lex.rank_title.match(text, start, end) or (text[start].isupper() and lex.role_opening.match(text, start, end))) \
            and not _head_type(text[start:end], lex):
        start, label = rt.end(), "PERSON"  # the name without its title
    if text[end : end + 1] == "." and _abbreviation_dot(doc, end):
        end += 1  # "U.S.", "Calif.": the dot is part of the abbreviation
    pn = lex.postnominal.search(text, start, end) if m.label == "PERSON" else None
    if pn and pn.start() > start:
        end = pn.start()
    poss = next((p for p in lex.possessive if text[start:end].endswith(p)), "")  # Musk's
    end -= len(poss)
    if _COMPOUND_TAIL.match(text[end : end + 2]):
        return None  # half of a compound name: "Dodd" of "Dodd-Frank"
    while start < end and text[start] in " («\"“‘'-":
        start += 1
    # "le Britannique Alder Capital": the nationality noun is not in the name
    mt = _LEADING_WORD.match(text, start, end)
    if mt and mt.end() < end and text[mt.end()].isupper() and _is_demonym(mt.group(1), lex):
        start = mt.end()
    s = text[start:end]
    if _is_demonym(s, lex) or any(c in s for c in "«»“”\""):
        return None  # "des Français"; a fragment across a quotation mark
    # a name starts with a capital or a digit, or is camel-cased (xAI, iPhone)
    if not s or "\n" in s or not any(c.isalpha() for c in s) or not (s[0].isupper() or s[0].isdigit() or _CAMEL_START.match(s)):
        return None
    if fold(s) in lex.not_entities:
        return None
    return Mention(start, end, s, label, heading=m.heading)


def _verb_cut(doc: Doc, start: int, end: int, label: str):
    """"Nestlé appointed Laurent Freixe": the recogniser ran a name over a
    lower-case verb; the pieces either side are two names, the later one
    left for the context to type (MISC)."""
    toks = doc.index.tokens_in(start, end)
    if len(toks) < 3 or all(t.text[:1].isupper() for t in toks):
        return [(start, end, label)]
    out, a, lab = [], start, label
    for t in toks:
        if t.pos in ("VERB", "AUX") and t.text[:1].islower():
            if t.start > a:
                out.append((a, t.start, lab))
            a, lab = t.end, "MISC"
    if a < end:
        out.append((a, end, lab))
    return out


def _first_written(text: str, ms: list[Mention], name_start: re.Pattern) -> int:
    """Offset of the first whole-word occurrence of a form's text, or of its
    first mention."""
    at = min(m.start for m in ms)
    for a, b in _occurrences(text[:at], ms[0].text, name_start):
        if not _NEXT_NAME_WORD.match(text, b):  # "GSK", not "GSK Consumer Healthcare"
            return a
    return at


def _list_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A recogniser's span over a list ("Starfall, Iron Harbor"), cut at its
    commas; a legal form after a comma ("Meta Platforms, Inc.") stays."""
    s = text[start:end]
    if ", " not in s or _legal_base(s) != s:
        return [(start, end)]
    out, a = [], start
    for part in s.split(", "):
        out.append((a, a + len(part)))
        a += len(part) + 2
    return out


def _abbreviation_dot(doc: Doc, end: int) -> bool:
    """The dot at ``end`` closes an abbreviation the tokenizer kept whole
    ("Calif.", "U.S."), not the sentence."""
    k = doc.index.token_at(end)
    if k is None:
        return False
    t = doc.tokens[k]
    return t.end == end + 1 and t.start < end and doc.text[t.start].isupper() and (
        "." in doc.text[t.start : end] or end - t.start <= 5)


def _extend_particles(text: str, end: int, lex: Lexicon) -> int:
    """'Bruno' + ' Le Maire', 'Luca' + ' de Meo': NER often stops at a name particle."""
    m = lex.particle_tail.match(text, end)
    return m.end() if m else end


def _sentence_initial_common(doc: Doc, m: Mention) -> bool:
    """``Continuons``, ``Cependant``: one capitalised word opening a sentence
    that the tagger does not read as a proper noun."""
    toks = doc.index.tokens_in(m.start, m.end)
    if len(toks) != 1:
        return False
    t = toks[0]
    first = doc.sentences[t.sent].first
    return t.i == first and t.pos not in ("PROPN",)


def _block_containing(doc: Doc, pos: int):
    """The block holding offset ``pos`` (None between blocks)."""
    k = doc.index.block_at(pos)
    return doc.blocks[k] if k >= 0 and pos < doc.blocks[k].end else None


def _context_votes(doc: Doc, m: Mention, lex: Lexicon, prev_end: int) -> list[str]:
    """The types the words around ``m`` vote for (each with _CUE_WEIGHT)."""
    # A window inside the line, cut at sentence ends: spaCy's sentence
    # splits are too fragile on odd tokens ("start-up") to bound it.
    block = _block_containing(doc, m.start)
    text = doc.text
    lo, hi = (block.start, block.end) if block else (0, len(text))
    before = _SENTENCE_BREAK.split(text[max(lo, m.start - 120) : m.start])[-1]
    after = _SENTENCE_BREAK.split(text[m.end : min(hi, m.end + 120)])[0]
    # an apposition noun belongs to the nearest name: stop at the previous one
    near = text[max(lo, prev_end, m.start - 120) : m.start]
    v: list[str] = []
    # a later item of a list takes the cue before the list ("au capital de Vinted, Revolut ou Vivino")
    apposed_near = near  # _apposed reads offsets back from the name
    # the last word before the name, to try only the patterns that can end there
    last = before.rstrip().rsplit(None, 1)[-1:] or [""]
    last = last[0].lower()
    listed = last.endswith(",") or last in lex.joiner_words
    if listed and (lst := lex.list_so_far.search(before)) and lst.start() > 0:
        before = near = before[: lst.start()]
    possessed = after.startswith(lex.possessive)  # "chairman of Clinton's campaign"
    # "bought Minecraft maker Mojang": the verb's object is the maker
    maker = lex.product_before_maker.match(after)
    kind = _copula_kind(after, lex)
    if kind:
        v += [kind, kind]  # a definition outweighs the recogniser's guesses
    # "takeover of Call of Duty maker Activision": the takeover is of the maker
    role = (lex.org_after_role.search(before) and not possessed and not maker
            and not (m.label == "LOC" and lex.state_role.search(before)))
    if (role or _apposed(doc, lex.org_before, apposed_near, m.start) or (lex.org_list.search(before) and not maker)
            or lex.org_before_officer.match(after)
            or (lex.org_after.match(after) and not lex.person_after.match(after)) or ((listed or last in lex.org_plural_words) and lex.org_plural_before.search(before))
            or (lex.org_after_verb.search(near) and not maker and not lex.org_noun_next.match(after))
            or (not maker and _after_org_modifiers(doc, near, m.start, lex))):
        v.append("ORG")
    if (lex.product_before.search(near) or lex.product_after.match(after) or lex.product_list.search(before)
            or maker or lex.product_after_verb.search(near) or _device_after(doc, m, after, lex)):
        v.append("PRODUCT")
    if lex.loc_after.match(after) or lex.loc_before.search(near) or (" " not in m.text and lex.seat_before.search(near)):
        v.append("LOC")
    if (lex.person_after.match(after) or lex.person_before.search(near) or lex.person_noun_after.match(after)
            or lex.born_after.match(after) or lex.life_after.match(after) or lex.person_of.search(near)
            or lex.person_as_role.match(after)):
        v.append("PERSON")
    if lex.event_after.match(after) or lex.event_before.search(near):
        v.append("EVENT")
    if last in lex.naming_last:
        v += [kind for kind, rx in lex.named_kind if rx.search(before)][:1]
    if lex.source_before.search(near):
        v.append(_NOT_PLACE)
    if lex.deal_subject.match(after) or lex.deal_party_before.search(near):
        # a place the recogniser saw is a company here; a person stays one
        v.append("ORG" if m.label == "LOC" else _NOT_PLACE)
    return v


def _device_after(doc: Doc, m: Mention, after: str, lex: Lexicon) -> bool:
    """A device noun after the name, at most one modifier between ("the
    Xbox gaming console"), none of them a verb ("Sony makes headsets")."""
    dm = lex.device_after.match(after)
    return bool(dm) and not any(t.pos in ("VERB", "AUX") for t in doc.index.tokens_from(m.end, m.end + dm.end()))


def _copula_kind(after: str, lex: Lexicon) -> str | None:
    """The type a copula gives the name before it: "X is a Japanese video
    game publisher" (ORG), "X est une ville" (LOC). The last kind noun of the
    phrase is its head ("a car company" is a company), within seven words and
    before any preposition ("a member of the party" names no kind)."""
    mt = lex.copula.match(after)
    if not mt:
        return None
    rest = after[mt.end():]
    stop = lex.copula_stop.search(rest)
    rest = rest[: stop.start()] if stop else rest
    head = None
    for w in list(re.finditer(r"\S+", rest))[:7]:
        found = [(k, nm.end()) for k, rx in lex.kind_nouns.items() if (nm := rx.match(rest, w.start()))]
        if found:
            head = max(found, key=lambda x: x[1])[0]
    return head


def _apposed(doc: Doc, pattern: re.Pattern, near: str, at: int) -> bool:
    """``near`` (the text just before offset ``at``) ends with an org noun in
    apposition: "sa start-up d’IA générative, xAI" — but not "the group
    disagreed, Elon Musk said", where a verb stands between."""
    mt = pattern.search(near)
    if not mt:
        return False
    lo = at - len(near) + mt.start()
    return not any(t.pos in ("VERB", "AUX") for t in doc.index.tokens_from(lo, at))


def _modifiers_only(doc: Doc, a: int, b: int, lex: "Lexicon") -> bool:
    """The words from ``a`` to ``b`` are an organisation noun's modifiers:
    adjectives and a complement ("agroalimentaire", "des biens de
    consommation"), never a verb ("la société a nommé")."""
    gap = doc.index.tokens_in(a, b)
    # "la firme de Redmond": a bare "de" names the seat, not the company
    return any(t.pos in ("ADJ", "NOUN") for t in gap) and all(t.pos in ("ADJ", "NOUN", "DET", "ADP") and (t.pos != "ADP" or t.text.lower() in lex.inner_words)
                             for t in gap)


def _after_org_modifiers(doc: Doc, near: str, at: int, lex: "Lexicon") -> bool:
    """"la start-up parisienne Vinted": an organisation noun and its modifiers
    right before the name at ``at``."""
    mt = lex.org_modifiers_before.search(near)
    if not mt:
        return False
    lo = at - len(near)
    return _modifiers_only(doc, lo + mt.start(1), lo + mt.end(1), lex)


_TITLE_WORDS = re.compile(r"(?:\s+[A-Z0-9][\w’'\-]*)+")


def _possessives(doc: Doc, body: list[Mention], lex: Lexicon) -> list[Mention]:
    """``Meta’s Quest``: a possessive glued to a name the article names on its
    own is cut off; ``Tony Hawk's`` followed by capitalised words the
    recogniser left out (``Pro Skater``) is a title when the possessor is
    never named alone."""
    text = doc.text
    alone = Counter(m.text for m in body)
    starts = sorted(m.start for m in doc.ner)
    out = []
    for m in body:
        pm = lex.possessive_in.search(m.text)
        if pm and m.text[: pm.start()] in alone and pm.end() < len(m.text):
            s0 = m.start + pm.end()
            m = Mention(s0, m.end, text[s0 : m.end], m.label, heading=m.heading)
        elif (poss := lex.possessive_at.match(text, m.end)) and alone[m.text] == 1:
            tw = _TITLE_WORDS.match(text, poss.end())
            if tw and "\n" not in tw.group(0):
                i = bisect_left(starts, poss.end())
                if i == len(starts) or starts[i] >= tw.end():  # no other name there
                    m = Mention(m.start, tw.end(), text[m.start : tw.end()], m.label, heading=m.heading)
        out.append(m)
    return out


def _without_pairings(body: list[Mention]) -> list[Mention]:
    """"Microsoft-ABK", "Renault-Nissan": two names joined by a hyphen, the
    first a name of the article on its own, pair two actors; the pairing is
    no actor ("Coca-Cola" stays: "Coca" is no name here)."""
    alone = {fold(m.text) for m in body if "-" not in m.text}
    return [m for m in body if not ("-" in m.text and " " not in m.text
                                    and fold(m.text.split("-", 1)[0]) in alone and m.text.split("-", 1)[1][:1].isupper())]


def _company_first_word(surfaces: dict[str, list[Mention]]) -> None:
    """"Tata Nexon", "Reliance Jio" read as persons where the article names
    "Tata", "Reliance" alone as an organisation: a name that opens with a
    company's name is the company's (a unit, a brand), not a person's."""
    def mostly(k: str, label: str) -> bool:
        labels = [m.label for m in surfaces.get(k, ())]
        return bool(labels) and labels.count(label) * 2 > len(labels)

    for k, ms in surfaces.items():
        head = k.split(" ", 1)[0]
        if head != k and mostly(head, "ORG") and mostly(k, "PERSON"):
            for m in ms:
                if m.label == "PERSON":
                    m.label = "ORG"


def _named_after_org_noun(doc: Doc, found: list[Mention], lex: Lexicon) -> list[Mention]:
    """Organisation names the recogniser missed: right after an organisation
    noun ("social networking site Facebook", "the research firm IDC"), before
    an officer's title and name ("Hartwell chief executive Alan Jope"), after
    an officer's title ("le directeur général d'Hartwell"). Proper nouns only,
    outside every mention, not a word the article uses in lower case."""
    taken = sorted((m.start, m.end) for m in found)
    starts = [a for a, _ in taken]
    out = []
    hits = [mt.span(1) for rx in (lex.name_before_officer, lex.officer_of_name, lex.name_before_deal,
                                           lex.name_with_org_last, lex.deal_party_then_name)
            for mt in rx.finditer(doc.text)]
    # (not "X, the group's chief executive, said": a role makes a person)
    hits += [mt.span(1) for mt in lex.name_then_org_apposition.finditer(doc.text)
             if not lex.person_after.match(doc.text, mt.end(1))]
    # after an organisation noun and its modifiers, capitalised words are the
    # name whatever the tagger reads mid-sentence ("Kestrel" ADJ, "Foods" VERB)
    loose: set[tuple[int, int]] = set()
    for mt in lex.org_noun_then_name.finditer(doc.text):
        # the words between are adjectives or a complement (des biens de
        # consommation), never a verb: "la société a nommé X" names no company
        if mt.start(1) == mt.end(1):
            hits.append(mt.span(2))
        elif _modifiers_only(doc, *mt.span(1), lex):
            hits.append(mt.span(2))
            loose.add(mt.span(2))
    # the words the article writes in lower case, read once and only when needed
    lower = set(_LOWER_WORD.findall(doc.text)) if hits else set()
    for a, b in sorted(set(hits)):
        i = bisect_left(starts, b)
        if any(x < b and y > a for x, y in taken[max(0, i - 3) : i]):
            continue
        toks = doc.index.tokens_in(a, b)
        block = _block_containing(doc, a)
        # the tagger often misses a sentence-initial name ("Hartwell" as INTJ)
        # (the noun and modifiers before it: the name opens no sentence,
        # whatever the parser's sentence splits say)
        if (a, b) in loose and toks and block is not None and block.kind == "paragraph":
            pass
        elif not toks or any(t.pos not in ("PROPN", "NOUN", "INTJ", "X") for t in toks) or not any(
                t.pos == "PROPN" or t.i == doc.sentences[t.sent].first for t in toks) \
                or block is None or block.kind != "paragraph":
            continue
        m = _clean(doc, Mention(a, b, doc.text[a:b], "ORG"), lex)
        if m and fold(m.text) not in lex.titles and not _written_lower(doc.text, m.text, lower):
            out.append(m)
            taken.insert(bisect_left(starts, a), (a, b))
            starts.insert(bisect_left(starts, a), a)
    return out


def _listed(doc: Doc, found: list[Mention], lex: Lexicon) -> list[Mention]:
    """The items of a list opened by a product noun or an organisation
    plural and a list marker ("franchises such as Call of Duty, Overwatch,
    and World of Warcraft") that the recogniser missed: capitalised names
    outside every mention, typed by the noun."""
    text = doc.text
    spans = []
    for op in lex.list_opening.finditer(text):
        label = "PRODUCT" if op.group("product") else "ORG"
        pos = op.end()
        while (it := lex.list_item.match(text, pos)) is not None:
            spans.append((it.start(1), it.end(1), label))
            if not it.group(2):
                break
            pos = it.end()
    if not spans:
        return []
    taken = bytearray(len(text))
    for m in found:
        taken[m.start : m.end] = b"\1" * (m.end - m.start)
    out = []
    for a, b, label in spans:
        block = _block_containing(doc, a)
        if 1 in taken[a:b] or block is None or block.kind != "paragraph":
            continue
        m = _clean(doc, Mention(a, b, text[a:b], label), lex)
        if m and fold(m.text) not in lex.titles:
            out.append(m)
    return out


_CAPITALISED_WORDS = re.compile(r"(?:\s+[A-Z][\w’'\-]*)+")
_NOT_PLACE = "-LOC"  # a vote against LOC (a source: "selon The Verge")
_COMMA = re.compile(r"\s*,\s*")


def _list_tails(doc: Doc, found: list[Mention], lex: Lexicon) -> list[Mention]:
    """The last item of a list whose first two the recogniser found with
    one type ("déjà présent chez Vinted, Revolut ou Vivino"): a capitalised
    name after a comma or a joiner, outside every mention, of their type."""
    text = doc.text
    ms = sorted(found, key=lambda m: m.start)
    out = []
    for i in range(1, len(ms)):
        m1, m2 = ms[i - 1], ms[i]
        if m1.label != m2.label or m1.heading or not _COMMA.fullmatch(text, m1.end, m2.start):
            continue
        tail = lex.list_tail.match(text, m2.end)
        if not tail or "\n" in tail.group(0):
            continue
        a, b = tail.span(1)
        if i + 1 < len(ms) and ms[i + 1].start < b:
            continue  # the recogniser has it (or part of it)
        m = _clean(doc, Mention(a, b, text[a:b], m2.label), lex)
        if m and fold(m.text) not in lex.titles:
            out.append(m)
    return out


_ACRONYM = re.compile(r"\(([A-Z][A-Z&]{1,7})\)")
_WORD_SPAN = re.compile(r"\S+")


def _named_by_acronym(doc: Doc, found: list[Mention], lex: Lexicon) -> list[Mention]:
    """A name the recogniser missed whose initials the text gives in
    brackets right after it ("the annual Worldwide Developers Conference
    (WWDC)"): the capitalised words before the bracket whose initials are
    the acronym, typed by its head word (an organisation by default)."""
    text = doc.text
    out = []
    taken = None
    for ac in _ACRONYM.finditer(text):
        letters = ac.group(1).replace("&", "")
        end = text.rfind(" ", max(0, ac.start() - 2), ac.start())
        if end < 0:
            continue
        words = list(_WORD_SPAN.finditer(text, max(0, end - 160), end))
        for k in range(len(words) - 1, max(-1, len(words) - 12), -1):
            w = words[k].group()
            if not w[0].isupper():
                if w in lex.inner_words:
                    continue  # "Association of MBAs"
                break  # a name is capitalised words and their connectors
            name = text[words[k].start() : end]
            caps = [x for x in name.split() if x[0].isupper()]
            if not w[-1].isalnum():
                break  # "Initialement, leur vision…": a name holds no punctuation
            if len(caps) > 1 and _abbreviates(letters, caps):
                if taken is None:
                    taken = bytearray(len(text))
                    for m in found:
                        taken[m.start : m.end] = b"\1" * (m.end - m.start)
                a = words[k].start()
                block = _block_containing(doc, a)
                if 1 not in taken[a:end] and block is not None and block.kind == "paragraph" and "\n" not in name:
                    m = _clean(doc, Mention(a, end, name, _head_type(name, lex) or "ORG"), lex)
                    if m:
                        out.append(m)
                break
            if len(caps) >= len(letters):
                break
    return out


def _abbreviates(letters: str, words: list[str]) -> bool:
    """Whether ``letters`` abbreviate ``words``: each word gives its first
    letter and maybe more of its letters in order ("WWDC": Worldwide
    Developers Conference; "AMBA": Association of MBAs)."""
    if not words:
        return not letters
    if not letters or letters[0] != words[0][0].upper():
        return False
    w, rest = words[0].upper(), letters[1:]
    # the word gives 1 + j letters: the next j of ``rest`` found in order in it
    i, j = 1, 0
    while True:
        if _abbreviates(rest[j:], words[1:]):
            return True
        if j >= len(rest):
            return False
        i = w.find(rest[j], i) + 1
        if not i:
            return False
        j += 1


_LOWER_WORD = re.compile(r"(?<![\w’'\-])[a-zà-ÿœæ\d][a-zà-ÿœæ\d’'\-]*(?![\w’'\-])")


def _written_lower(text: str, name: str, lower: set[str]) -> bool:
    """Whether ``text`` also writes ``name`` in lower case (a common word,
    not a name): a search of the text only when each word is among the
    article's lower-case words (``lower``), so a name costs no pass."""
    low = name.lower()
    if any(w not in lower for w in _LOWER_WORD.findall(low)):
        return False
    return bool(re.search(rf"(?<!\w){re.escape(low)}(?!\w)", text))


@lru_cache(maxsize=4096)
def _legal_base(name: str) -> str:
    """An organisation's name without its legal form (Limited, Inc., S.A.,
    GmbH…), by ``cleanco``'s list of legal forms of many countries; the name
    itself when nothing would be left."""
    base = cleanco_basename(name).strip(" ,")
    return base if base and base[0].isalnum() and len(base) > 1 else name


def _initials(name: str) -> str:
    """The capitals opening the words of a name: "Office of Fair Trading" → "OFT"."""
    return "".join(w[0] for w in name.split() if w[0].isupper())


def _head_type(name: str, lex: Lexicon) -> str | None:
    """The type a name's head word gives it: the last word first ("Lake
    Street Bank" is a bank), then the first ("Bank of Spain", "Mount Tyree")."""
    if " " not in name:
        return None
    for kind, last in (("ORG", lex.org_last), ("LOC", lex.loc_last), ("EVENT", lex.event_last)):
        if last.search(name):
            return kind
    for kind, first in (("ORG", lex.org_first), ("LOC", lex.loc_first), ("EVENT", lex.event_first)):
        if first.match(name):
            return kind
    return None


# a capital inside a word after two lower-case letters: "LinkedIn", not "McAllen", "DeKalb", "MacArthur"
_COINED = re.compile(r"(?<!\bMa)(?<!\bM)[a-z]{2}[A-Z]")


def _looks_like_product(name: str) -> bool:
    # ChatGPT, iPhone, GPT-4: internal capitals or digits mark a coined name
    return bool(re.search(r"[a-z][A-Z]|\d", name))


@component("entities", reads=("tokens", "sentences", "ner", "blocks"), writes=("mentions", "entities"))
def link_entities(doc: Doc) -> None:
    lex = lexicon(doc.language)
    body: list[Mention] = []
    heading: list[Mention] = []
    covered = 0  # where the last mention ends: one the cleaning extended covers the next
    for raw in doc.ner:
        label = lex.labels.get(raw.label)
        if not label or raw.start < covered:
            continue  # dates, money, nationalities: not actors
        end = _extend_particles(doc.text, raw.end, lex) if label == "PERSON" else raw.end
        if label == "LOC" and _COINED.search(raw.text) or label == "PERSON" and " " not in raw.text \
                and _COINED.search(raw.text):
            label = "ORG"  # "LinkedIn", "JioMart", "OpenAI": a coined word is no place's nor anyone's name
        elif label == "LOC" and (tail := lex.loc_tail.match(doc.text, end)):
            end = tail.end()
        pieces = _verb_cut(doc, raw.start, end, label)
        for a, b, lab in [(a, b, lab) for p, q, lab in pieces for a, b in _list_items(doc.text, p, q)]:
            m = _clean(doc, Mention(a, b, doc.text[a:b], lab, heading=raw.heading), lex)
            if m is None:
                continue
            if not m.heading and _sentence_initial_common(doc, m):
                continue
            covered = max(covered, m.end)
            (heading if m.heading else body).append(m)

    body = _possessives(doc, body, lex)
    body = _without_pairings(body)
    body += _named_after_org_noun(doc, body + heading, lex)
    body += _listed(doc, body + heading, lex)
    body += _named_by_acronym(doc, body + heading, lex)
    body += _list_tails(doc, body, lex)

    # end of the previous NER mention in the same text, for context windows
    prev_end: dict[int, int] = {}
    last = 0
    ordered = sorted(body, key=lambda m: m.start)
    for m in ordered:
        prev_end[m.start] = last
        last = m.end
    # "Klaus Wagner and Karl Dörge", "Galadriel and Celeborn": a name
    # coordinated with a full person name (the recogniser is sure of those)
    # is likely a person too
    beside_person = set()
    # "Danbury, Connecticut", "Edmonton, Alberta": a name followed by a
    # comma and a place the recogniser named is a place in it
    in_place = set()
    # "notamment Soda Ash, Peroxides, Silica, Coatis et Special Chem": the
    # items of a list of three names or more are of one kind: an item the
    # recogniser labelled apart from most others takes their label as votes
    # (a full person name keeps its own: "SoftBank, Tiger Global and Peter Thiel")
    listed: dict[int, Counter] = {}
    run_: list[Mention] = ordered[:1]
    for m1, m2 in zip(ordered, ordered[1:] + [None]):
        if m2 is not None and lex.list_gap.fullmatch(doc.text, m1.end, m2.start):
            run_.append(m2)
            continue
        if len(run_) >= 3:
            labels = Counter(m.label for m in run_ if m.label != "MISC")
            for m in run_:
                others = labels - Counter([m.label])
                top, n = max(others.items(), key=lambda x: x[1], default=("", 0))
                listed[m.start] = Counter()
                if n * 2 > sum(labels.values()) - (m.label != "MISC") and not (m.label == "PERSON" and " " in m.text):
                    listed[m.start][top] = n
        run_ = [m2] if m2 is not None else []
    for m1, m2 in zip(ordered, ordered[1:]):
        if lex.coordination.fullmatch(doc.text, m1.end, m2.start):
            for a, b in ((m1, m2), (m2, m1)):
                if b.label == "PERSON" and " " in b.text:
                    beside_person.add(a.start)
        elif m2.label == "LOC" and _COMMA.fullmatch(doc.text, m1.end, m2.start):
            in_place.add(m1.start)

    # Group surface forms (folded) and collect label votes.
    surfaces: dict[str, list[Mention]] = defaultdict(list)
    for m in body:
        surfaces[fold(m.text)].append(m)
    parent: dict[str, str] = {k: k for k in surfaces}
    _company_first_word(surfaces)

    def find(k: str) -> str:
        while parent[k] != k:
            k = parent[k]
        return k

    def union(child: str, root: str) -> None:
        parent[find(child)] = find(root)

    # X (anciennement Twitter): the bracketed name is an alias of the outer
    # one, wherever a confirmed name is followed by such a bracket (headings too).
    for form in {m.text for m in body}:
        caps = [w for w in form.split() if w[0].isupper()] if " " in form else []
        for _, mt_end in _occurrences(doc.text, form, _NOT_AFTER_WORD_AT):
            after = doc.text[mt_end : mt_end + 80]
            fm = lex.former.match(after)
            if not fm:
                # "the Office of Fair Trading (OFT)": its initials in brackets
                fm = _ACRONYM_AFTER.match(after)
                if not fm or not caps or not _abbreviates(fm.group(1).replace("&", ""), caps):
                    continue
            alias = fold(fm.group(1))
            if alias not in surfaces:
                a0 = mt_end + fm.start(1)
                surfaces[alias].append(Mention(a0, a0 + len(fm.group(1)), fm.group(1), surfaces[fold(form)][0].label))
                parent[alias] = alias
            if find(alias) != find(fold(form)):
                union(alias, fold(form))

    # Short forms: "Musk" joins the one person name ending with it; "Airbus"
    # joins "Airbus SE" (a company suffix), not "Airbus Defence" (a subsidiary).
    keys = sorted(surfaces, key=lambda k: -len(k.split()))
    person = {k for k in keys if any(m.label == "PERSON" for m in surfaces[k])}
    # surnames joined to a full person name: their own NER label ("Trump" as
    # ORG) is noise next to the full name's
    via_surname: set[str] = set()
    place = set()  # forms NER reads more often as a place than as a person
    for k in keys:
        labels = [m.label for m in surfaces[k]]
        if labels.count("LOC") > labels.count("PERSON"):
            place.add(k)
    # the longer names a one-word form may join, by that word (instead of
    # comparing every pair of forms): persons by their last word, companies
    # with a suffix ("Airbus SE") by their first
    by_last: dict[str, list[str]] = defaultdict(list)
    by_first: dict[str, list[str]] = defaultdict(list)
    # any longer non-person name by its first word: "Activision" after
    # "Activision Blizzard", "Back" where NER cut "Back Market"
    by_prefix: dict[str, list[str]] = defaultdict(list)
    # where each form is first written, headings included ("GSK" in the
    # headline, then "GSK Consumer Healthcare": a parent and its unit)
    first = {k: _first_written(doc.text, ms, lex.name_start) for k, ms in surfaces.items()}
    # forms the words around them call an organisation, whatever the recogniser said
    # (read only where the recogniser said PERSON every time)
    org_named = {k: any("ORG" in _context_votes(doc, m, lex, prev_end.get(m.start, 0)) for m in ms)
                 for k, ms in surfaces.items() if len(k.split()) == 2 and all(m.label == "PERSON" for m in ms)}
    for o in keys:
        words = o.split()
        if len(words) > 1:
            if o in person:
                by_last[words[-1]].append(o)
            # two words only: a longer name is more often a parent's unit
            # ("GSK Consumer Healthcare", "Airbus Defence and Space")
            if len(words) == 2 and (any(m.label != "PERSON" for m in surfaces[o]) or org_named.get(o)):
                by_prefix[words[0]].append(o)
            if all(w in lex.org_suffixes for w in words[1:]):
                by_first[words[0]].append(o)
    for k in keys:
        if len(k.split()) != 1:
            continue
        longer = {find(o) for o in by_first.get(k, [])}
        if k not in place:
            # a name used before any person bearing it was introduced, and
            # never read as a person, is not that person's surname ("Solvay"
            # the company, then its founder "Ernest Solvay")
            own_person = any(m.label == "PERSON" for m in surfaces[k])
            longer |= {find(o) for o in by_last.get(k, []) if own_person or first[o] < first[k]}
        # the short form of a name introduced in full earlier; a subsidiary
        # named after its parent comes after the parent ("Safran", then
        # "Safran Aircraft Engines") and stays apart
        # and a place opening a longer name is its modifier, not its short
        # form ("US Army", "Massachusetts Avenue")
        prefixed = {find(o) for o in by_prefix.get(k, []) if first[o] < first[k]} if k not in place else set()
        if len(longer) != 1 or not by_first.get(k):
            # a company suffix ("Reliance Industries") outranks a unit
            # sharing its first word ("Reliance Jio")
            longer |= prefixed
        if len(longer) == 1:
            root = longer.pop()
            union(k, root)
            if root in person or (root in prefixed and any(m.label != "MISC" for m in surfaces[root])):
                via_surname.add(k)  # the full name's label decides

    # "the FTC" for the "Federal Trade Commission" named earlier: an acronym
    # of the initials of one longer name ("RIL", "CMA"); "US Federal Trade
    # Commission": a country's short name before a name the article also
    # uses without it
    by_initials: dict[str, set[str]] = defaultdict(set)
    for o in keys:
        t = surfaces[o][0].text
        if " " in t and o not in person:
            by_initials[_initials(t)].add(o)
            if cp := lex.country_prefix.match(t):
                by_initials[_initials(t[cp.end():])].add(o)
    for k in keys:
        t = surfaces[k][0].text
        if t.isupper() and 2 <= len(t) <= 6 and " " not in t:
            roots = {find(o) for o in by_initials.get(t, ())}
            if len(roots) == 1:
                union(k, roots.pop())
        head, _, rest = k.partition(" ")
        if rest and rest in surfaces and surfaces[k][0].text.split()[0].isupper() and len(head) <= 3 and k not in person:
            union(k, rest)

    # "Activision-Blizzard" and "Activision Blizzard": one name, hyphenated or not
    for k in list(surfaces):
        spaced = k.replace("-", " ")
        if spaced != k and spaced in surfaces and find(spaced) != find(k):
            union(k, spaced)

    # "Kestrel Mining Limited" and "Kestrel Mining": one company
    for k in list(surfaces):
        if k in person:
            continue
        b = fold(_legal_base(surfaces[k][0].text))
        if b != k and b in surfaces and find(b) != find(k):
            union(k, b)

    groups: dict[str, list[str]] = defaultdict(list)
    for k in surfaces:
        groups[find(k)].append(k)

    doc.entities.clear()
    doc.mentions.clear()
    for root, members in groups.items():
        mentions = [m for k in members for m in surfaces[k]]
        votes: Counter = Counter()
        cued: Counter = Counter()  # the words around a name break a tie with the recogniser's labels
        for m in mentions:
            # NER is reliable on multi-word person names, less on single tokens
            if fold(m.text) not in via_surname:
                votes[m.label] += 1.5 if m.label == "PERSON" and len(m.text.split()) > 1 else 1
            if m.start in beside_person:
                votes["PERSON"] += 1.5
            elif m.start in in_place and m.start not in listed:  # "A, B, C": no place in a place
                votes["LOC"] += 1.5
            for label, n in listed.get(m.start, {}).items():
                votes[label] += n
            for t in _context_votes(doc, m, lex, prev_end.get(m.start, 0)):
                votes[t] += _CUE_WEIGHT
                cued[t] += 1
        if votes.pop(_NOT_PLACE, 0):
            votes["LOC"] = 0  # a source somewhere in the article
        misc = votes.pop("MISC", 0)
        # the name the text uses in full, most often, among the root's forms
        # (the root of "X (anciennement Twitter)" is X)
        forms = Counter(m.text for m in mentions)
        own = Counter(m.text for m in surfaces[root])
        name = visible_name(max(own, key=lambda f: (len(f.split()), own[f], len(f))))
        # the name's own structure: "Alder Capital", "Banque de France", "Mount Tyree"
        # (no person is called "… Capital"; a place head weighs as one cue:
        # "Star Harbor" may be a game)
        if head := _head_type(name, lex):
            votes[head] += 2 * _CUE_WEIGHT if head != "LOC" else _CUE_WEIGHT
        if votes:
            etype = max(TYPES, key=lambda t: (votes[t], cued[t], -TYPES.index(t)))
            if votes[etype] == 0:
                etype = ""
        else:
            etype = ""
        if not etype:
            if misc and _looks_like_product(name):
                etype = "PRODUCT"
            else:
                continue  # an honest gap: no evidence of what it is
        if (etype == "PERSON" and len(mentions) == 1 and " " not in name and not cued["PERSON"]
                and not lex.shared_surname.match(doc.text, mentions[0].end)):
            # news introduces a person by full name: one lone word the
            # recogniser alone calls a person ("the publisher's Twitter") is
            # more often an organisation or a place than anyone ("Ernest et
            # Alfred Solvay" share a surname: Ernest stays)
            continue
        if etype == "ORG":
            name = _legal_base(name)  # "Kestrel Mining Limited" → "Kestrel Mining"
            if cp := lex.country_prefix.match(name):
                name = name[cp.end():]
        eid = content_id("ent", etype, fold(name))
        aliases = sorted({visible_name(f) for f in forms if fold(f) != fold(name)}, key=fold)
        ent = Entity(eid, name, etype, aliases, [])
        for m in mentions:
            m.entity = eid
        doc.entities[eid] = ent
        doc.mentions.extend(mentions)

    _add_occurrences(doc, heading)
    for ent in doc.entities.values():
        ent.mentions.sort(key=lambda m: m.start)
        in_title = any(m.heading for m in ent.mentions)
        ent.salience = len(ent.mentions) + (3.0 if in_title else 0.0)


def _add_occurrences(doc: Doc, heading: list[Mention]) -> None:
    """Every occurrence of a confirmed name or alias is a mention, headings
    included; NER misses many repeats."""
    # the characters already in a mention (none is empty): an occurrence
    # that overlaps one is not a mention
    taken = bytearray(len(doc.text))
    name_start = lexicon(doc.language).name_start
    for m in doc.mentions:
        taken[m.start : m.end] = b"\1" * (m.end - m.start)
    forms: dict[str, str] = {}
    for ent in doc.entities.values():
        for f in [ent.name, *ent.aliases]:
            forms.setdefault(f, ent.id)
    # A person's surname alone ("Musk") names them too, unless two people of
    # the article share it.
    surnames: dict[str, list[str]] = defaultdict(list)
    for ent in doc.entities.values():
        parts = ent.name.split()
        if ent.type == "PERSON" and len(parts) > 1 and len(parts[-1]) > 2 and parts[-1][0].isupper():
            surnames[parts[-1]].append(ent.id)
    for sur, ids in surnames.items():
        if len(ids) == 1 and sur not in forms:
            forms[sur] = ids[0]
    # a coined name also written spaced: "Open AI" for OpenAI, "Deep Mind"
    for f, eid in list(forms.items()):
        spaced = _CAMEL_JOINT.sub(" ", f)
        if spaced != f and " " not in f:
            forms.setdefault(spaced, eid)
    new: list[Mention] = []
    for f in sorted(forms, key=len, reverse=True):
        # whole words only, case-sensitive: "X" the company, not "x" the letter
        for s, e in _occurrences(doc.text, f, name_start):
            if 1 in taken[s:e]:
                continue
            taken[s:e] = b"\1" * (e - s)
            block = _block_containing(doc, s)
            is_head = block is not None and block.kind != "paragraph"
            new.append(Mention(s, e, f, "occurrence", forms[f], heading=is_head))
    doc.mentions.extend(new)
    doc.mentions.sort(key=lambda m: m.start)
    by_entity: dict[str | None, list[Mention]] = defaultdict(list)
    for m in doc.mentions:
        by_entity[m.entity].append(m)
    for ent in doc.entities.values():
        ent.mentions = list(by_entity.get(ent.id, ()))
        found = {visible_name(m.text) for m in ent.mentions} - {ent.name}
        ent.aliases = sorted(set(ent.aliases) | found, key=fold)
