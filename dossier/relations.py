"""Relations between entities: who heads, founded, owns or made what.

Patterns read one sentence at a time on a *masked* copy of it, where every
entity mention is replaced by a placeholder ``⟨T:n⟩`` (T is P person, O org,
R product, L place, V event; n numbers the mention) and short parentheticals
are dropped, so ``Elon Musk, le célèbre patron de Tesla et de X (anciennement
Twitter)`` reads ``⟨P:0⟩, le célèbre patron de ⟨O:1⟩ et de ⟨O:2⟩``.

Pattern families, each built from the words of ``lang/<code>/relations.json``
(role nouns → predicates, copulas, verbs, determiners, possessives):

* apposition after or before a name: ``P, le patron de O`` / ``le patron de O, P``
* English premodifier titles: ``O CEO P``, ``O's CEO, P``, ``P, O's CEO``, ``R maker O``
* possessives: ``O et son directeur général, P``; ``son développement de R``;
  ``sa propre start-up, O`` (antecedent: nearest fitting entity before, else
  the subject of the previous sentence)
* copulas with a name, a pronoun or a pair (``Tous les deux font partie des
  cofondateurs d'O``)
* verbs, active and passive: ``P, qui a fondé O``, ``O, owned by P``
* ownership nouns: ``O, la start-up de P``; place: ``O, basée à L``, ``L-based O``
* a title without object (``Le fondateur P``) only when the article's main
  organisation is in this sentence or the previous one.
* encyclopedic forms: ``the president of O is P``, ``P serves as O's chair``,
  ``O was formed in 1976 in L by guitarist P``, ``P is a footballer who plays
  for O``, ``P of the pop group O``, ``O belongs to O2``, ``O is the business
  school of O2``, ``O2's O division``, ``O is a football club from L``,
  ``the X University in L``; ``a managing director of O`` is one of several
  (an employee, a member), no head.

* the article around the sentence (issue 18): a description (``the
  company``, ``la multinationale``, ``the band``, ``the Denver company``) is
  masked ``⟨D:n⟩`` once resolved to the organisation the paragraph names
  last before it, when that sentence names no other (with nothing before
  it, the article's main organisation when the paragraph names no other or
  the previous sentence opens with it; a seat, ``la firme de Redmond``, of
  firms named together is the main one when it comes first), and only the
  patterns where a description can stand read it (a role's object, a
  passive's or located's subject, a verb's subject, ``the company's CEO``,
  a seat); ``It was founded by``, ``Elle a été fondée par``, ``It is based
  in`` take the organisation the paragraph names last (a subject when in the
  same sentence; ``il``/``elle`` give up when a person is named as recently,
  unless founded); ``He is the chairman of O`` as before (coref). A title
  without object also goes to the main organisation when it is the last
  organisation named before it (three sentences back at most).
* ``X, a subsidiary of Y`` / ``Y, the parent company of X`` / ``X, filiale de
  Y``: both ``Y owns X`` and ``X part_of Y``; ``P, vice president of legal
  affairs at O``: a department's head is O's employee.
* encyclopedic text (Re-DocRED): ``O, owned by O2``, ``O belongs to O2``,
  ``its subsidiaries X and Y`` give both directions (``bought``: owns only);
  the founder, head or employee of a party, band, club or team named as such
  is its member (``joined the Labour Party``); players traded, loaned or
  drafted to a club; ``P ran as the O candidate``; two roles before one
  complement (``founder and chairman of O``); a passive after a located
  clause (``a label based in L, started by P``); the subject after a fronted
  phrase (``Prior to Idealab, P founded O``).

Evidence is the sentence; a relation read through a pronoun or a
description also carries the sentence naming what it stands for, second.
Relations are deduplicated per document, merging evidence; a ``head_of``
that duplicates a ``ceo_of`` is folded into it.
"""

from __future__ import annotations

import bisect
import re
from itertools import takewhile
from dataclasses import dataclass, field
from functools import lru_cache

from . import recache
from .coref import PERSON, entities_in, main_org, resolve_pair, resolve_pronoun, subjects, topic
from .index import Index
from .lang import load, phrase, phrases
from .model import Doc, Mention, Relation, Sentence, Span
from .pipeline import component
from .vocab import AFFILIATIONS, CHILDREN, OBJECT_TYPES, SUBJECT_TYPES, TITLE_PREDICATES, TYPE_CODE, WITH_OBJECT, family

# "the company", "la multinationale": a description resolved to an
# organisation reads ⟨D:n⟩, which only the patterns that accept one match
DESC = "D"
CODE_TYPE = {v: k for k, v in TYPE_CODE.items()} | {DESC: "ORG"}
ORG = frozenset({"ORG"})
# what ties a person to a party, band, club or team named as such ("the Labour Party")
GROUP_ROLES = frozenset({"employee_of", "head_of", "ceo_of", "founder_of"})


def _ph(*types: str) -> str:
    """The placeholder of a mention of one of ``types`` (of any type without)."""
    return "⟨[" + "".join(TYPE_CODE[t] for t in types or TYPE_CODE) + r"]:\d+⟩"


_PH = _ph()
_PH_NUM = re.compile("⟨([" + "".join(TYPE_CODE.values()) + DESC + r"]):(\d+)⟩")
_DPH = "⟨" + DESC + r":\d+⟩"
_WORD = r"[^\W\d_][\w'-]*"
_PAREN = re.compile(r"\s*\([^()\n]{1,80}\)")
_WORDS = re.compile(r"[\w-]+")
_WORDS_OR_PH_END = re.compile(r"[\w'-]+|⟩")
_APOS = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u00a0": " ", "\u202f": " ", "\u2009": " "})


# ------------------------------------------------------------------ masking


@dataclass
class Masked:
    text: str
    ents: list[str]  # entity id of placeholder n
    starts: list[int]  # masked offset of placeholder n
    # the masked text in pieces, each a stretch of document text or a
    # placeholder: masked offset and document offset where each begins
    piece_at: list[int]
    piece_doc: list[int]
    piece_ph: list[bool]
    end: int  # document offset of the end
    # placeholder n of a description (⟨D:n⟩) -> the sentence naming what it stands for
    ante: dict[int, int] = field(default_factory=dict)

    def orig(self, pos: int) -> int:
        """Document offset of masked offset ``pos`` (a placeholder's: its mention's start)."""
        if pos >= len(self.text):
            return self.end
        j = bisect.bisect_right(self.piece_at, pos) - 1
        return self.piece_doc[j] if self.piece_ph[j] else self.piece_doc[j] + pos - self.piece_at[j]


def mask(idx: Index, s: Sentence, descs: list[tuple[int, int, str, int]] = ()) -> Masked | None:
    """The masked sentence; None when it names no entity (nothing to read).
    ``descs`` are descriptions resolved to an organisation: (start, end,
    entity id, sentence naming it), masked ``⟨D:n⟩``."""
    doc = idx.doc
    text = doc.text
    mentions = [m for m in idx.mentions_in(s.start, s.end) if idx.etype(m.entity) in TYPE_CODE]
    if not mentions:
        return None
    sent = text[s.start : s.end]
    # (a parenthetical needs a bracket: most sentences have none)
    drops = [(s.start + m.start(), s.start + m.end()) for m in _PAREN.finditer(sent)] if "(" in sent else []
    items: list[tuple[int, int, Mention | tuple[str, int] | None]] = [(a, b, None) for a, b in drops]
    for m in mentions:
        if not any(a <= m.start < b for a, b in drops):
            items.append((m.start, m.end, m))
    for a, b, eid, j in descs:
        items.append((a, b, (eid, j)))
    items.sort(key=lambda x: (x[0], -x[1]))
    parts: list[str] = []
    ents: list[str] = []
    starts: list[int] = []
    piece_at: list[int] = []
    piece_doc: list[int] = []
    piece_ph: list[bool] = []
    ante: dict[int, int] = {}
    n = 0  # length of the masked text so far
    pos = s.start
    for a, b, m in items:
        if a < pos:
            continue
        parts.append(text[pos:a].translate(_APOS))
        piece_at.append(n)
        piece_doc.append(pos)
        piece_ph.append(False)
        n += a - pos
        if isinstance(m, tuple):  # a description
            ante[len(ents)] = m[1]
            ph = f"⟨{DESC}:{len(ents)}⟩"
            ents.append(m[0])
        elif m is not None:
            ph = f"⟨{TYPE_CODE[idx.etype(m.entity)]}:{len(ents)}⟩"
            ents.append(m.entity)  # type: ignore[arg-type]
        if m is not None:
            starts.append(n)
            parts.append(ph)
            piece_at.append(n)
            piece_doc.append(a)
            piece_ph.append(True)
            n += len(ph)
        pos = b
    parts.append(text[pos : s.end].translate(_APOS))
    piece_at.append(n)
    piece_doc.append(pos)
    piece_ph.append(False)
    if not ents:
        return None  # every name is inside a dropped parenthetical
    return Masked("".join(parts), ents, starts, piece_at, piece_doc, piece_ph, s.end, ante)


# ----------------------------------------------------------------- lexicon


def _alt(words, sep: bool = False, cue: bool = False) -> str:
    """``phrases`` of ``words`` (the patterns are compiled with re.I): grouped
    under case classes for the cue tests, flat in the patterns, which compile
    faster and run only where a cue matched. With ``sep`` each word carries
    the whitespace that follows it (none needed after an elided ``d'``)."""
    unit = (lambda w: phrase(w) + (r"\s*" if w.endswith(("'", "\u2019", "-")) else r"\s+")) if sep else phrase
    return phrases(words, unit, icase=cue, grouped=cue)


def _bounded(alt: str) -> str:
    # an elided article may precede: "l'entreprise", "d'OpenAI"
    return rf"(?<![\w-]){alt}(?![\w-])"


class Lexicon:
    """The compiled patterns of one language."""

    def __init__(self, lang: str, compile_=re.compile):
        d = load(lang, "relations")
        self.roles: dict[str, str] = {k.replace("\u2019", "'").casefold(): v for k, v in d.get("roles", {}).items()}
        self.poss_roles: dict[str, str] = {k.casefold(): v for k, v in d.get("possessive_roles", {}).items()}
        self.verbs: dict[str, str] = {k.casefold(): v for k, v in d.get("verbs", {}).items()}
        self.possessives: dict[str, str] = {k.casefold(): v for k, v in d.get("possessives", {}).items()}
        self.former = {w.casefold() for w in d.get("former", []) if not w.endswith("-")}
        self.former_prefixes = tuple(w.casefold() for w in d.get("former", []) if w.endswith("-"))
        self.blockers = {w.casefold() for w in d.get("blockers", [])}
        # "it" stands for an organisation ("It was founded by ...")
        self.org_pronouns = {w.casefold() for w in d.get("org_subject_pronouns", [])}
        self.determiners = {w.casefold() for w in d.get("determiners", [])}
        self.prepositions = {w.casefold() for w in d.get("of", []) + d.get("by", []) + d.get("function_words", [])
                             if len(w.split()) == 1} - {w.casefold() for w in d.get("determiners", [])}
        # "the University of Chicago in Chicago": a name with one of these words is a place of its own
        self.institution_heads = {w.casefold() for w in d.get("institution_heads", [])}
        # "the Labour Party": a group one is a member of, not an employer
        self.member_groups = {w.casefold() for w in d.get("member_groups", [])}
        # "a managing director of O": one of several, no head
        self.indefinite = {w.casefold() for w in d.get("indefinite", [])}
        # "X, a subsidiary of Y": Y owns X as well as X is part of Y
        self.subsidiary_roles = {w.casefold() for w in d.get("subsidiary_roles", [])}
        # "O, owned by O2": O is part of O2 as well (not so when bought: a stake, a merger)
        self.holding_verbs = {w.casefold() for w in d.get("holding_verbs", [])}
        self.staff_nouns: dict[str, str] = {k.casefold(): v for k, v in d.get("staff_nouns", {}).items()}
        self.staff_verbs = {w.casefold() for w in d.get("staff_verbs", [])}
        # "It was founded by", "Elle a été fondée par": an organisation's pronoun before a passive
        self.passive_pronouns = {w.casefold() for w in d.get("passive_pronouns", [])}
        # "the regulator": a description too common to be guessed the article's main organisation
        self.public_descriptions = {w.casefold() for w in d.get("public_descriptions", [])}

        W = _WORD
        PER, PROD, PLACE = _ph("PERSON"), _ph("PRODUCT"), _ph("LOC")
        ORG_EV, ORG_PER = _ph("ORG", "EVENT"), _ph("ORG", "PERSON")
        ROLE = _bounded(_alt(self.roles))
        PROLE = _bounded(_alt(self.poss_roles))
        DET = rf"(?<![\w'-]){_alt(d.get('determiners', []), sep=True)}"
        POSS = rf"(?<![\w'-]){_alt(self.possessives, sep=True)}"
        OF = rf"(?<![\w'-]){_alt(d.get('of', []), sep=True)}"
        BY = rf"(?<![\w'-]){_alt(d.get('by', []), sep=True)}"
        COORD = rf"(?<![\w'-]){_alt(d.get('coordination', []), sep=True)}"
        REL = rf"(?<![\w'-]){_alt(d.get('relative', []), sep=True)}"
        COP = rf"(?<![\w'-]){_alt(d.get('copulas', []), sep=True)}"
        ADV = rf"(?:(?<![\w'-]){_alt(d.get('adverbs', []), sep=True)})*"
        AUX = rf"(?:(?<![\w'-]){_alt(d.get('auxiliaries', []), sep=True)})?"
        AUX1 = rf"(?<![\w'-]){_alt(d.get('auxiliaries', []), sep=True)}"
        PAUX = rf"(?:(?<![\w'-]){_alt(d.get('passive_auxiliaries', []), sep=True)})?"
        GEN = _alt(d.get("genitive", []))
        VERB = _bounded(_alt(self.verbs))
        ORGN = _bounded(_alt(d.get("org_nouns", [])))
        OWNN = _bounded(_alt(d.get("own_nouns", [])))
        PRODN = _bounded(_alt(d.get("product_nouns", [])))
        LOCATED = _bounded(_alt(d.get("located", [])))
        LPREP = _alt(d.get("located_prepositions", []), sep=True)
        SUFFIX = _alt(d.get("based_suffix", []))
        GROUP = _bounded(_alt(d.get("group_subjects", [])))
        PRON = _bounded(_alt(d.get("subject_pronouns", []) + d.get("org_subject_pronouns", [])))
        HQN = _bounded(_alt(d.get("headquarters_nouns", [])))
        # (a coordination is no modifier: "Amaranthe, as well as guitarist of O")
        stop = _alt(d.get("function_words", []) + d.get("coordination", []) + d.get("former", []) + d.get("blockers", []) + list(self.possessives))
        # a modifier: a lower-case word or an acronym ("le célèbre patron", "AI startup")
        ADJ1 = rf"(?!{stop}(?![\w'-]))(?-i:(?=[a-zà-ÿœæ]|[A-Z]{{2,5}}(?![\w'-]))){W}\s+"
        ADJS = rf"(?:{ADJ1}){{0,2}}?"
        # a capitalised modifier by its ending ("a Swedish orchestra", "the Canadian parent of"),
        # read only before a noun that says what the name is
        ends = d.get("capitalised_modifier_endings", [])
        NAT = rf"(?-i:[A-Z][a-zà-ÿ]+(?:{'|'.join(map(re.escape, ends))}))\s+" if ends else "(?!)"
        ADJM = rf"(?:{ADJ1}|{NAT}){{0,3}}?"
        self.nationality = re.compile(NAT.removesuffix(r"\s+"))
        # "the rock band Badfinger", "the Swedish political party X"
        OBJ1 = rf"(?:{DET})?(?:{ADJM}{ORGN}\s+(?:{ADJ1})?(?:{DET})?)?{_PH}"
        OBJS = rf"{OBJ1}(?:\s*,\s*(?:{OF})?{OBJ1})*(?:\s*,?\s*{COORD}(?:{OF})?{OBJ1})?"
        ENTS = rf"{_PH}(?:\s*,\s*{_PH})*(?:\s*,?\s*{COORD}{_PH})?"
        SUBJ = rf"(?:(?P<s>{ENTS})|(?P<grp>{GROUP})|(?P<pron>{PRON}))"
        FILL = rf"(?:\s+(?:{OF})?(?!{stop}(?![\w'-])){W}){{0,4}}?"
        QUAL = rf"(?:{OF}{ORGN}\s+)?"
        # "was founded in 1976 in London by": time and place between a verb and its agent
        APREP = _alt(d.get("adjunct_prepositions", []))
        ADJUNCT = (rf"(?:\s*,?\s+(?<![\w'-]){APREP}\s+(?:\d{{4}}|{_PH}|(?-i:[A-Z][\w'-]*))(?:\s*,\s*{_PH})*){{0,3}}"
                   if d.get("adjunct_prepositions") else "")
        # agents with their trade: "by guitarist Bernard Sumner and bassist Peter Hook"
        ADJR = rf"(?:{ADJ1}|{NAT}){{0,2}}"
        ENTS_R = rf"{ADJR}{_PH}(?:\s*,\s*{ADJR}{_PH})*(?:\s*,?\s*{COORD}{ADJR}{_PH})?"
        # what a name is, before a participle: "X is a 1995 role-playing game developed by"
        # "Premier League club O", "Minecraft maker O": capitalised words the NER left unnamed
        CAPS = r"(?:(?-i:[A-Z][\w.'-]*)\s+){1,3}"
        # "an American sociologist and college administrator, " before a role
        NP_COMMA = rf"(?:{DET})(?:(?:{COORD})?(?!{stop}(?![\w'-]))[\w'-]+\s+){{0,7}}?[\w'-]+\s*,\s*"
        NPGAP = rf"(?:(?:{DET})(?:(?:{COORD})?(?!{stop}(?![\w'-]))[\w'-]+\s+){{0,7}}?)?"
        BELONG = _bounded(_alt(d.get("belongs", [])))
        GROUPN = _bounded(_alt(d.get("group_nouns", [])))
        OPREP = rf"(?<![\w'-]){_alt(d.get('origin_prepositions', []), sep=True)}"
        IPREP = _alt(d.get("institution_prepositions", []), sep=True)
        PARTN = _bounded(_alt(d.get("part_nouns", [])))
        # what an organisation that is no part of another is: "the parent company of", "the holding of"
        NOTPART = _bounded(_alt([w for w, pr in self.roles.items() if pr != "part_of"]))
        # a description resolved to an organisation (⟨D:n⟩), where a pattern takes one
        PH_D = rf"(?:{_PH}|{_DPH})"
        OBJ1_D = rf"(?:{DET})?(?:{ADJM}{ORGN}\s+(?:{ADJ1})?(?:{DET})?)?{PH_D}"
        OBJS_D = rf"{OBJ1_D}(?:\s*,\s*(?:{OF})?{OBJ1})*(?:\s*,?\s*{COORD}(?:{OF})?{OBJ1})?"
        SUBJ_D = rf"(?:(?P<s>{ENTS}|{_DPH})|(?P<grp>{GROUP})|(?P<pron>{PRON}))"
        SUFFIX_OPT = rf"(?:{SUFFIX})?" if d.get("based_suffix") else ""
        DESCN = _bounded(_alt(d.get("descriptions", []))) if d.get("descriptions") else "(?!)"
        AT = rf"(?<![\w'-]){_alt(load(lang, 'common').get('at', []), sep=True)}"
        # "vice president of litigation and public policy at O": a department before where one works
        LOWER = r"(?-i:[a-zà-ÿœæ])[\w'-]*"
        DEPT = rf"(?P<dept>\s+(?:{OF}){LOWER}(?:\s*,?\s*(?:{COORD})?{LOWER}){{0,6}}?\s*,?)?"

        p: list[tuple[str, re.Pattern, str, int]] = []

        def add(kind: str, rx: str, needs: str, min_ents: int) -> None:
            p.append((kind, compile_(rx, re.I), needs, min_ents))

        # le patron de O, P  /  the CEO of O Sam Altman: from the role on, the
        # part of "appos_before" that starts at a word (its optional lead-in
        # is tried at every position: ~2/3 of the relations' pattern time)
        def role_of_name(role: str) -> str:
            return rf"(?P<role>{role})\s+(?:{OF})(?P<o>{OBJS_D})\s*,?\s*(?P<s>{_PH})"

        ROLE_OF_NAME = role_of_name(ROLE)
        # "played as a right winger for O": what one did there between the verb and where
        self.as_verbs: dict[str, str] = {k.casefold(): v for k, v in d.get("as_verbs", {}).items()}
        AS = rf"(?<![\w'-]){_alt(d.get('as', []), sep=True)}" if d.get("as") else "(?!)"
        # cheap tests: a pattern is tried only on sentences holding its key
        # words (ROLE|PROLE, VERB, OWNN, PRODN, LOCATED|SUFFIX and GEN, grouped)
        words = {"role": [*self.roles, *self.poss_roles], "verb": list(self.verbs),
                 "own": d.get("own_nouns", []), "prod": d.get("product_nouns", []), "located": d.get("located", []) + d.get("headquarters_nouns", []),
                 "belong": d.get("belongs", []), "group": d.get("group_nouns", []), "as_verb": list(d.get("as_verbs", {})),
                 "orgn": d.get("org_nouns", []), "partn": d.get("part_nouns", []),
                 "orgd": d.get("org_nouns", []) + d.get("descriptions", [])}
        cue = {k: _bounded(_alt(ws, cue=True)) for k, ws in words.items()}
        suffix, gen = _alt(d.get("based_suffix", []), cue=True), _alt(d.get("genitive", []), cue=True)
        # "PlayStation-maker Sony": a role word glued to a name by a hyphen
        hyphen = rf"⟩-{_alt(self.roles, cue=True)}(?![\w-])"
        # an organisation right before a place
        inst = rf"⟨O:\d+⟩(?:\s*,\s*|\s+{_alt(d.get('located_prepositions', []), sep=True, cue=True)}(?:{_alt(d.get('determiners', []), sep=True, cue=True)})?)⟨L:"
        # "Jane Doe of the Acme Corp,": a person of an organisation
        person_of = rf"{PER}\s+{_alt(d['person_of'], cue=True)}\s+{_ph('ORG')}" if d.get("person_of") else "(?!)"
        self.cues = {
            # any cue word at all: one search, instead of six, rules out the
            # many sentences without one, and tells where the first can be
            "any": compile_(rf"{_bounded(_alt([w for ws in words.values() for w in ws], cue=True))}|{suffix}|{gen}|{hyphen}|{person_of}|{inst}|⟨{DESC}:", re.I),
            "desc": compile_(rf"⟨{DESC}:"),
            "orgd": compile_(cue["orgd"], re.I),
            "belong": compile_(cue["belong"], re.I),
            "as_verb": compile_(rf"{cue['as_verb']}\s+{AS}", re.I),
            "group": compile_(cue["group"], re.I),
            "orgn": compile_(cue["orgn"], re.I),
            "inst": compile_(inst, re.I),
            "part": compile_(rf"{cue['orgn']}|{_bounded(_alt(d.get('part_nouns', []), cue=True))}", re.I),
            "hyphen": compile_(hyphen, re.I),
            "person_of": compile_(person_of, re.I),
            "role": compile_(cue["role"], re.I),
            "verb": compile_(cue["verb"], re.I),
            "own": compile_(cue["own"], re.I),
            "prod": compile_(cue["prod"], re.I),
            "located": compile_(rf"{cue['located']}|{suffix}", re.I),
            "gen": compile_(gen, re.I),
            "role_of_name": compile_(role_of_name(_bounded(_alt(self.roles, cue=True))), re.I),
            # "the president of O is": the lead-in of role_of_cop_name tried at every position is its cost
            "role_of_cop": compile_(rf"{_bounded(_alt(self.roles, cue=True))}\s+{QUAL}(?:{OF}){OBJS_D}\s*{ADV}{COP}", re.I),
        }
        # a cue matches only from where the one it is part of first matches
        # (role_of_name opens with a role word)
        self.cue_after = {k: "any" for k in ("role", "verb", "own", "prod", "located", "gen", "hyphen", "person_of", "belong", "group", "orgn", "inst", "part",
                                             "desc", "orgd", "as_verb")}
        self.cue_after["role_of_name"] = self.cue_after["role_of_cop"] = "role"

        # P, le célèbre patron de O et de O
        # a second role: "fondateur de Free et propriétaire du Monde"
        # "founder and executive chairman of O": two roles before one complement
        ROLE1 = rf"(?:\s*,?\s*{COORD}(?:{DET})?{ADJS}(?P<role1>{ROLE}))?"
        MORE = rf"(?:\s*,?\s*{COORD}(?:{DET})?{ADJS}(?P<role2>{ROLE})\s+{QUAL}(?:{OF})(?P<o2>{OBJS}))?"
        add("appos_after", rf"(?P<s>{ENTS})\s*,\s*(?:{DET})?{ADJM}(?P<role>{ROLE}){ROLE1}{DEPT}\s+{QUAL}(?(dept){AT}|(?:{OF}))(?P<o>{OBJS_D}){MORE}", "role", 2)
        add("appos_before", rf"(?:{DET})?{ADJS}{ROLE_OF_NAME}", "role_of_name", 2)
        # son directeur général, P
        add("poss_role_name", rf"(?P<poss>{POSS}){ADJS}(?P<role>{ROLE})(?:\s*,?\s*|\s+{ADV}{COP}{ADV})(?P<s>{ENTS})", "role", 1)
        # P, son directeur général
        add("name_poss_role", rf"(?P<s>{_PH})\s*,\s*(?P<poss>{POSS}){ADJS}(?P<role>{ROLE})(?!\s+{QUAL}{OF})", "role", 1)
        # son développement de R / its creation of R
        add("poss_role_obj", rf"(?P<poss>{POSS}){ADJS}(?P<role>{ROLE}|{PROLE})\s+(?:{OF})(?P<o>{OBJS})", "role", 1)
        # P, qui est le patron de O / Tous les deux font partie des cofondateurs d'O / P was an
        # American sociologist, the first president of O
        add("copula", rf"{SUBJ_D}(?:\s*,\s*{REL})?\s*{ADV}{COP}{ADV}(?:{NP_COMMA})?(?:{DET})?{ADJM}(?P<role>{ROLE}){ROLE1}\s+{QUAL}(?:{OF})(?P<o>{OBJS_D}){MORE}", "role", 1)
        # P, qui a fondé O / Musk co-founded OpenAI
        # the object may carry a title ("bought Minecraft maker Mojang", "bought truck maker
        # Scania"); a name with a genitive is not the object ("acquired Nokia's phone business")
        NOGEN = rf"(?!{GEN})" if d.get("genitive") else ""
        # a verb's subject: P, who / P is a Canadian footballer who (the relative's antecedent is P) / P, a quarterback who
        VSUBJ = rf"{SUBJ_D}(?:\s*,\s*{REL}|\s*,?\s*{COP}{NPGAP}{REL}|\s*,\s*{NPGAP}{REL})?\s*{ADV}{AUX}{ADV}"
        # "joined the faculty of O", "sits on the board of O"
        STAFFN = _bounded(_alt(self.staff_nouns)) if self.staff_nouns else "(?!)"
        add("verb", rf"{VSUBJ}(?P<v>{VERB})\s+(?:{DET})?(?:(?P<staff>{STAFFN})\s+(?:{OF}))?(?:{ADJM}(?:{_PH}\s+|{CAPS})?{ADJS}(?:{ORGN}\s+(?:{ADJ1})?|{ROLE}\s+))?(?P<o>{OBJS}){NOGEN}"
            # "teaches at O and previously taught at O2": a second verb of the same subject
            rf"(?:\s*,?\s*{COORD}{ADV}{AUX}{ADV}(?P<v2>{VERB})\s+(?:{DET})?(?P<o2>{OBJS}){NOGEN})?", "verb", 1)
        if self.as_verbs:
            add("as_verb", rf"{VSUBJ}(?P<v>{_bounded(_alt(self.as_verbs))})\s+{AS}"
                rf"(?:(?!{stop}(?![\w'-]))[\w'-]+\s+){{1,3}}?{AT}(?:{DET})?(?P<o>{OBJS}){NOGEN}", "as_verb", 1)
        # O, fondée par P / X, owned by Musk / O, la start-up fondée par P / O is a label based
        # in L, L, started by P
        LOCATED_IN = rf"(?:{LOCATED}\s+{LPREP}{PLACE}(?:\s*,\s*{PLACE})*\s*,?\s*(?:{COORD})?)?"
        add("passive", rf"(?P<o>{PH_D})\s*,?\s*(?:{REL})?{PAUX}{NPGAP}{LOCATED_IN}{ADV}(?P<v>{VERB}){ADJUNCT}\s+{BY}(?P<s>{ENTS_R})"
            rf"(?:\s*,?\s*{COORD}{ADV}(?P<v2>{VERB}){ADJUNCT}\s+{BY}(?P<s2>{ENTS_R}))?", "verb", 2)
        # The current president of O is P
        add("role_of_cop_name", rf"(?:{DET})?{ADJS}(?P<role>{ROLE})\s+{QUAL}(?:{OF})(?P<o>{OBJS_D})\s*{ADV}{COP}{ADV}(?P<s>{_PH})"
            rf"(?!\s*(?:{GEN}|{OF}))", "role_of_cop", 2)
        # O belongs to the P group / O appartient au groupe P: the owner after the verb
        if d.get("belongs"):
            add("belongs", rf"(?P<o>{_ph('ORG')})\s*,?\s*(?:{REL})?{ADV}(?P<b>{BELONG})\s*(?:{DET})?{ADJM}(?:{ORGN}\s+)?(?P<s>{ORG_PER})"
                rf"(?!\s*{GEN})", "belong", 2)
        # Dulce María of the pop group RBD: a member of a group
        if d.get("group_nouns"):
            add("person_of_group", rf"(?P<s>{PER})\s*,?\s+(?:{OF}){ADJM}(?P<n>{GROUPN})\s+(?P<o>{_ph('ORG')})", "group", 2)
        # O is a football club from L / O was a political party in L
        if d.get("origin_prepositions"):
            add("org_from", rf"(?P<s>{_ph('ORG')})\s*,?\s*(?:{REL})?{ADV}{COP}{ADV}(?:{DET}){ADJM}{ORGN}\s+(?:{LOCATED}\s+)?{OPREP}"
                rf"(?P<o>{PLACE}(?:\s*,\s*{PLACE})*)", "orgn", 2)
        # the University of Chicago in Chicago / the Museum of Modern Art, New York
        add("institution_in", rf"(?P<s>{_ph('ORG')})(?:\s*,\s*|\s+{IPREP}(?:{DET})?)(?P<o>{PLACE})(?=\s*(?:[,.;:)]|$|{COORD})|\s+{LOWER})", "inst", 2)
        # O is the business school of O2 / O est une filiale... (roles) / O est l'école d'ingénieurs de O2
        add("copula_part", rf"(?P<s>{_ph('ORG')})\s*,?\s*(?:{REL})?{ADV}{COP}{ADV}(?:{DET}){ADJM}(?!{NOTPART})(?P<n>{ORGN}|{PARTN})\s+(?:{OF})(?P<o>{_ph('ORG')})"
            rf"(?!\s*{GEN})", "part", 2)
        if d.get("genitive"):
            # Alphabet's Waymo said / Sega's Sonic Team division: a part of the organisation
            add("gen_org", rf"(?P<s>{_ph('ORG')}){GEN}\s+(?P<o>{_ph('ORG')})"
                rf"(?=\s*(?:[,.;:)]|$)|\s+(?:{PARTN})(?![\w-])|\s+{COP}|\s+{AUX1}|\s*{COORD})", "gen", 2)
        # O, la start-up d'intelligence artificielle de P
        add("own_appos_after", rf"(?P<o>{_PH})\s*,\s*(?:{DET}){ADJS}(?P<n>{OWNN}){FILL}\s*(?:{OF})(?P<s>{_PH})(?!\s*(?:{OF}|{GEN}))", "own", 2)
        # la start-up de P, O
        add("own_appos_before", rf"(?:{DET})(?P<n>{OWNN})\s+(?:{OF})(?P<s>{_PH})\s*,\s*(?P<o>{_PH})", "own", 2)
        # sa propre start-up d'IA générative, O / his AI startup xAI
        add("poss_own", rf"(?P<poss>{POSS}){ADJS}(?P<n>{OWNN})(?:{FILL}\s*,\s*|\s+{ADJS})(?P<o>{_PH})", "own", 1)
        # R, le chatbot d'O / le chatbot d'O, R
        add("product_appos_after", rf"(?P<o>{PROD})\s*,\s*(?:{DET}){ADJS}(?P<n>{PRODN})\s+{ADJS}(?:{OF})(?P<s>{_PH})(?!\s*{OF})", "prod", 2)
        add("product_appos_before", rf"(?:{DET})(?P<n>{PRODN})\s+{ADJS}(?:{OF})(?P<s>{_PH})\s*,\s*(?P<o>{PROD})", "prod", 2)
        # It was founded by P: the organisation the pronoun stands for
        if self.passive_pronouns:
            OPRON = _bounded(_alt(d.get("passive_pronouns", [])))
            add("passive_pron", rf"(?P<pron>{OPRON})\s+{PAUX}{ADV}(?P<v>{VERB}){ADJUNCT}\s+{BY}(?P<s>{ENTS_R})", "verb", 1)
        # It is based in L
        if self.org_pronouns:
            add("located_pron", rf"(?P<pron>{_bounded(_alt(d.get('org_subject_pronouns', [])))})\s+{PAUX}{ADV}(?P<m>{LOCATED})\s+{LPREP}(?P<o>{PLACE})", "located", 1)
        # its headquarters in L / son siège à L
        if d.get("headquarters_nouns"):
            add("poss_located", rf"(?P<poss>{POSS}){ADJS}(?P<n>{HQN})\s+{LPREP}(?P<o>{PLACE})", "located", 1)
        # Jane Doe of the Acme Corp, said
        if d.get("person_of"):
            POF = rf"(?<![\w'-]){_alt(d['person_of'], sep=True)}"
            add("person_of", rf"(?P<s>{PER})\s+{POF}(?P<o>{_ph('ORG')})(?=\s*[,.;:)]|\s*$)", "person_of", 2)
        # PlayStation-maker Sony
        add("premodifier_hyphen", rf"(?P<o>{_PH})-(?P<role>{_alt(self.roles)})(?![\w-])\s+(?P<s>{_PH})", "hyphen", 2)
        # O, basée à L / O is headquartered in L
        # (based in the central Anatolian province of L)
        PLACEN = rf"(?:{DET}{ADJM}{_bounded(_alt(d['place_nouns']))}\s+(?:{OF}))?" if d.get("place_nouns") else ""
        add("located", rf"(?P<s>{PH_D})\s*,?\s*(?:{REL})?{PAUX}{NPGAP}(?P<m>{LOCATED})\s+{LPREP}{PLACEN}(?P<o>{PLACE})", "located", 2)
        if d.get("based_suffix"):
            add("based_before", rf"(?P<o>{PLACE}){SUFFIX}\s+{ADJS}(?:{ORGN}\s+)?(?P<s>{ORG_EV})", "located", 2)
            add("based_appos", rf"(?P<s>{ORG_EV})\s*,\s*(?:{DET})(?P<o>{PLACE}){SUFFIX}(?![\w-])", "located", 2)
        if d.get("genitive"):
            # O's chief executive, P / O's CEO P
            add("gen_role_name", rf"(?P<o>{PH_D}){GEN}\s+{ADJS}(?P<role>{ROLE})\s*,?\s*(?P<s>{_PH})", "role", 2)
            # P, O's chief executive / P, the OpenAI CEO,
            add("name_gen_role", rf"(?P<s>{_PH})\s*,\s*(?:{DET})?(?P<o>{PH_D})(?:{GEN})?\s+{ADJS}(?P<role>{ROLE})(?!\s*{OF})(?![\w-])", "role", 2)
            # P is O's CEO / P ran as the O candidate
            add("copula_gen", rf"{SUBJ}(?:\s*,\s*{REL})?\s*{ADV}{COP}{ADV}(?:{DET})?(?P<o>{PH_D})(?:{GEN})?\s+{ADJS}(?P<role>{ROLE})(?![\w-])", "role", 1)
            # Musk's AI startup xAI / OpenAI's chatbot ChatGPT / OpenAI's ChatGPT
            add("gen_own", rf"(?P<s>{_PH}){GEN}\s+{ADJS}(?P<n>{OWNN})\s*,?\s*(?P<o>{_PH})", "own", 2)
            add("gen_product", rf"(?P<s>{ORG_PER}){GEN}\s+(?:{ADJS}{PRODN}\s*,?\s*)?(?P<o>{PROD})", "gen", 2)
            # xAI, Musk's AI start-up
            add("own_gen_appos", rf"(?P<o>{_PH})\s*,\s*(?P<s>{_PH}){GEN}\s+{ADJS}(?P<n>{OWNN})(?![\w-])", "own", 2)
            # Acme's Jane Doe / Acme's cloud boss Jane Doe: someone who works there
            add("gen_person", rf"(?P<o>{_ph('ORG')}){GEN}\s+(?:{ADJS}(?:{_PH}\s+)?{ADJS}{ROLE}\s+)?(?P<s>{PER})", "gen", 2)
            # Acme's headquarters in L
            if d.get("headquarters_nouns"):
                add("gen_located", rf"(?P<s>{_ph('ORG')}){GEN}\s+{ADJS}(?P<n>{HQN})\s+{LPREP}(?P<o>{PLACE})", "located", 2)
        # the firm of Redmond / la firme de Redmond / the Redmond firm: where the described organisation is
        add("seat", rf"(?P<s>{_DPH})\s+(?:{OF})(?P<o>{PLACE})|(?P<o2>{PLACE}){SUFFIX_OPT}\s+(?P<s2>{_DPH})", "desc", 2)
        # its own headset, the Quest 3 / son propre casque, le Quest 3
        add("poss_product", rf"(?P<poss>{POSS}){ADJM}(?P<n>{PRODN})(?:\s*,\s*(?:{DET})?|\s+)(?P<o>{PROD})", "prod", 1)
        if d.get("genitive"):
            # the UK's Competition Authority / Britain's competition regulator, the CMA
            add("gen_place", rf"(?P<o>{PLACE}){GEN}\s+{ADJS}(?:(?:{ORGN}|{DESCN})\s*,?\s*(?:{DET})?)?(?P<s>{_ph('ORG')})", "gen", 2)
            # Acme's launch of R
            add("gen_role_obj", rf"(?P<s>{ORG_PER}){GEN}\s+{ADJS}(?P<role>{PROLE})\s+(?:{OF})(?P<o>{OBJS})", "gen", 2)
        if d.get("place_premodifier"):
            # US photo agency Getty Images
            add("place_premodifier", rf"(?<![\w'-])(?<!⟩\s)(?P<o>{PLACE})\s+{ADJS}(?:{ORGN}|{DESCN})\s+(?P<s>{_ph('ORG')})", "orgd", 2)
        if d.get("premodifier_titles"):
            # OpenAI CEO Sam Altman / ChatGPT maker OpenAI
            add("premodifier", rf"(?P<o>{_PH})\s+{ADJS}(?P<role>{ROLE})\s+(?P<s>{_PH})", "role", 2)
        self.patterns = p
        # "présent au capital de Vinted, Revolut ou Vivino": a name followed by
        # more names ends a list of objects, it is no apposition's subject
        self.list_after = compile_(rf"\s*(?:,\s*(?:{COORD})?|{COORD})(?:{_PH}|(?-i:[A-Z]))", re.I)
        # a title without object: "Le fondateur Sam Altman"
        self.title = compile_(rf"(?:^|(?<=[\s,;:(«\"“]))(?:{DET})?{ADJS}(?P<role>{ROLE})\s+(?P<s>{PER})", re.I)
        self.gen_end = compile_(rf"(?:{_PH}(?:{GEN})?|{OF})\s*$", re.I) if d.get("genitive") else compile_(rf"(?:{_PH}|{OF})\s*$", re.I)
        self.word = compile_(r"[\w'-]+")
        # "the company", "the visual content company", "la firme de Redmond", "the Cupertino
        # company": not before a name ("the company Acme", "le groupe Danone") or a complement
        # other than a place ("the group of experts")
        ADET = rf"(?<![\w'-]){_alt(d.get('anaphoric_determiners', []), sep=True)}" if d.get("anaphoric_determiners") else "(?!)"
        self.desc = compile_(rf"{ADET}(?P<mods>(?:{ADJ1}|{PLACE}{SUFFIX_OPT}\s+){{0,3}}?)(?P<n>{DESCN})"
                               rf"(?!\s*⟨[{TYPE_CODE['ORG']}{TYPE_CODE['PRODUCT']}{TYPE_CODE['EVENT']}]|\s+(?-i:[A-Z])|\s+(?:{ORGN}|{PARTN}|{PRODN}))"
                               rf"(?:(?=\s+(?:{OF})(?P<seat>{PLACE}))|(?!\s+(?:{OF})))", re.I)

    def cue_at(self, needs: str, t: str, found: dict[str, int]) -> int:
        """Where the first match of cue ``needs`` starts in ``t``, -1 if none;
        remembered in ``found`` for the rest of the sentence."""
        at = found.get(needs)
        if at is None:
            lo = self.cue_at(self.cue_after[needs], t, found) if needs in self.cue_after else 0
            m = self.cues[needs].search(t, lo) if lo >= 0 else None
            at = found[needs] = m.start() if m else -1
        return at

    def role_pred(self, word: str) -> str | None:
        w = re.sub(r"\s+", " ", word.replace("\u2019", "'")).casefold()
        return self.roles.get(w) or self.poss_roles.get(w)

    def verb_pred(self, word: str) -> str | None:
        return self.verbs.get(re.sub(r"\s+", " ", word).casefold())


@lru_cache(maxsize=None)
def lexicon(lang: str) -> Lexicon:
    with recache.patterns(f"relations-{lang}") as compile_:
        return Lexicon(lang, compile_)


# --------------------------------------------------------------- extraction


def _ids(masked: Masked, group: str | None, types: set[str] | None = None) -> list[str]:
    if not group:
        return []
    out = []
    for code, n in _PH_NUM.findall(group):
        if types is None or CODE_TYPE[code] in types:
            eid = masked.ents[int(n)]
            if eid not in out:
                out.append(eid)
    return out


def _normalise(pred: str, otype: str | None) -> str | None:
    """The predicate as it reads with an object of type ``otype`` (a founder
    of a product is its developer); None when it takes no such object."""
    if otype in OBJECT_TYPES.get(pred, ()):
        return pred
    return WITH_OBJECT.get(pred, {}).get(otype or "")


class _Collector:
    def __init__(self, idx: Index):
        self.idx = idx
        self.found: dict[tuple[str, str, str], Relation] = {}

    def add(self, subj: str | None, pred: str | None, obj: str | None, ev: Span) -> bool:
        if not subj or not obj or not pred or subj == obj:
            return False
        pred = _normalise(pred, self.idx.etype(obj))
        if pred is None:
            return False
        if self.idx.etype(subj) not in SUBJECT_TYPES[pred] or self.idx.etype(obj) not in OBJECT_TYPES[pred]:
            return False
        key = (subj, pred, obj)
        rel = self.found.get(key)
        if rel is None:
            self.found[key] = Relation(subj, pred, obj, [ev])
        elif ev not in rel.evidence:
            rel.evidence.append(ev)
        return True

    def result(self) -> list[Relation]:
        rels = dict(self.found)
        # a ceo_of is a head_of: keep the more precise one only
        for (s, p, o), r in list(rels.items()):
            precise = next((rels[(s, c, o)] for c in CHILDREN.get(p, ()) if (s, c, o) in rels), None)
            if precise is not None:
                precise.evidence += [e for e in r.evidence if e not in precise.evidence]
                del rels[(s, p, o)]
        # a head, founder or member of O works there: the employee_of says less
        for (s, p, o), r in list(rels.items()):
            if p == "employee_of" and any((s, q, o) in rels for q in AFFILIATIONS if q != p):
                del rels[(s, p, o)]
        return list(rels.values())


def _words_before(text: str, pos: int, n: int) -> list[str]:
    return _WORDS_OR_PH_END.findall(text[max(0, pos - 60) : pos])[-n:]


def _is_former(lex: Lexicon, masked: Masked, m: re.Match) -> bool:
    """``l'ancien patron de``, ``former CEO``: not a current relation."""
    t = masked.text
    words = _WORDS.findall(t[max(0, m.start() - 30) : m.end()])
    before = len(_WORDS.findall(t[max(0, m.start() - 30) : m.start()]))
    words = words[max(0, before - 2) :]
    return any(w.casefold() in lex.former or w.casefold().startswith(lex.former_prefixes) for w in words)


def _antecedent(idx: Index, k: int, masked: Masked, pos: int, poss: str, lex: Lexicon, types: set[str]) -> str | None:
    """What ``son``/``its``/``his`` refers to: the nearest fitting entity before
    it in the sentence, else the previous sentences' subject."""
    want = lex.possessives.get(poss.strip().casefold(), "any")
    if want != "any":
        types = types & {want}
    if not types:
        return None
    for n in range(len(masked.ents) - 1, -1, -1):
        if masked.starts[n] < pos and idx.etype(masked.ents[n]) in types:
            return masked.ents[n]
    found = topic(idx, k, types)
    if found is None:  # the one the paragraph names last, further back
        cands = _paragraph_named(idx, k, masked.orig(pos), types)[0]
        found = cands[0] if len(cands) == 1 else None
    return found


# ------------------------------------------------------ paragraph references


def _paragraph_named(idx: Index, k: int, pos: int, types: set[str]) -> tuple[list[str], int, bool]:
    """What the paragraph names of ``types`` before offset ``pos`` of sentence
    k, in the nearest sentence naming one: (its subjects if it has any, else
    every name; that sentence; whether they are subjects). ([], -1, False)
    when the paragraph names none before ``pos``."""
    block = idx.sentences[k].block
    for j in range(k, -1, -1):
        sj = idx.sentences[j]
        if sj.block != block:
            break
        before = pos if j == k else None
        subj = subjects(idx, sj, types, before)
        if subj:
            return subj + [e for e in _conjuncts(idx, sj, types, before, subj) if e not in subj], j, True
        named = entities_in(idx, sj, types, before)
        if named:
            return named, j, False
    return [], -1, False


def _conjuncts(idx: Index, s: Sentence, types: set[str], before: int | None, subj: list[str]) -> list[str]:
    """Names of ``types`` coordinated with a subject (``Acme and Globex
    reported``): subjects too."""
    out = []
    tokens = idx.tokens
    for m in idx.mentions_in(s.start, s.end if before is None else min(before, s.end)):
        if idx.etype(m.entity) not in types or m.entity in subj:
            continue
        for t in idx.tokens_from(m.start, m.end):
            if t.dep == "conj" and idx.entity_of(t.head) in subj and tokens[t.head].start < m.start:
                out.append(m.entity)
                break
    return out


def _first_org(idx: Index, j: int) -> str | None:
    ms = [m for m in idx.mentions_in(idx.sentences[j].start, idx.sentences[j].end) if idx.etype(m.entity) == "ORG"]
    return ms[0].entity if ms else None


def _prev_body(idx: Index, k: int) -> int:
    """The body sentence before sentence k, -1 if none."""
    return next((j for j in range(k - 1, -1, -1) if not idx.sentences[j].heading), -1)


def _describe(idx: Index, k: int, pos: int, main: str | None, seat: bool, public: bool) -> tuple[str, int] | None:
    """The organisation a description at ``pos`` (``the company``, ``la
    multinationale``) stands for, with the sentence naming it: the one the
    paragraph names last before it, when that sentence names no other (in
    its own sentence: its one subject before it); with nothing before it in the paragraph, the article's main
    organisation when the paragraph names no other or the previous sentence
    opens with it; a seat (``la firme de Redmond``) of a firm named with
    others is the main organisation when that sentence opens with it."""
    cands, j, subj = _paragraph_named(idx, k, pos, {"ORG"})
    if cands and not (j == k and subj):  # an earlier sentence: every organisation it names
        cands = entities_in(idx, idx.sentences[j], {"ORG"})
    if len(cands) == 1:
        return cands[0], j
    if cands:
        if seat and not public and main in cands and _first_org(idx, j) == main:
            return main, j
        return None
    if main is None:
        return None
    block = idx.sentences[k].block
    para = list(takewhile(lambda i: idx.sentences[i].block == block, range(k, len(idx.sentences))))
    named = {e for i in para for e in entities_in(idx, idx.sentences[i], {"ORG"})}
    if named == {main}:
        return main, next(i for i in para if main in entities_in(idx, idx.sentences[i], {"ORG"}))
    prev = _prev_body(idx, k)
    if prev >= 0 and _first_org(idx, prev) == main:
        return main, prev
    return None


def _org_pronoun(idx: Index, k: int, pos: int, lex: Lexicon, word: str, founded: bool = False,
                 active: bool = False) -> tuple[str, int] | None:
    """The organisation a pronoun (``it``, ``elle``) at ``pos`` stands for: the
    one the paragraph names last before it, a subject when in the same
    sentence; a pronoun that also stands for people (``il``, ``elle``) gives
    up when a person is named as recently, unless it was ``founded``. The
    subject of an ``active`` verb (``for Apple since it launched``) may be
    the one organisation named before it in its sentence, a product too."""
    cands, j, subj = _paragraph_named(idx, k, pos, {"ORG"})
    if len(cands) != 1:
        return None
    if j == k and not subj and not (active and word.casefold() in lex.org_pronouns
                                    and not entities_in(idx, idx.sentences[k], {"PRODUCT", "PERSON"}, before=pos)):
        return None
    if word.casefold() not in lex.org_pronouns and not founded:
        people, pj, _ = _paragraph_named(idx, k, pos, {"PERSON"})
        if people and pj >= j:
            return None
    return cands[0], j


def _naming(idx: Index, k: int, eid: str) -> int:
    """The nearest sentence up to k that names ``eid``."""
    for j in range(k, -1, -1):
        s = idx.sentences[j]
        if any(m.entity == eid for m in idx.mentions_in(s.start, s.end)):
            return j
    return k


def _subjects_of(idx: Index, k: int, masked: Masked, m: re.Match, lex: Lexicon, ante: set[int]) -> list[str]:
    """Subject(s) of a copula or verb pattern: names, a description, a pair
    phrase or a pronoun; the sentences naming what a pronoun stands for go
    into ``ante``."""
    if m.group("s"):
        # a name right after a preposition is not the subject ("l'offre de Musk a ...")
        before = _words_before(masked.text, m.start("s"), 2)
        if m.group("s").startswith("⟨" + DESC) and len(before) == 2 and before[1].casefold() in lex.determiners:
            before = before[:1]  # "the CEO of the company has ...": the word before its determiner
        if before and before[-1].casefold() in lex.prepositions:
            # "Prior to Idealab, Bohigian founded O": after a fronted phrase's comma, the last name is the subject
            tail = re.fullmatch(r".*,\s*(⟨[^⟩]+⟩)", m.group("s"))
            return _ids(masked, tail.group(1)) if tail else []
        return _ids(masked, m.group("s"))
    if m.group("grp"):
        return resolve_pair(idx, k, masked.orig(m.start("grp")))
    if m.group("pron"):
        at = masked.orig(m.start("pron"))
        if m.group("pron").casefold() in lex.org_pronouns:
            found = _org_pronoun(idx, k, at, lex, m.group("pron"), active=True)
            if found is None:
                return []
            ante.add(found[1])
            return [found[0]]
        eid = resolve_pronoun(idx, k, at, PERSON)
        if eid:
            ante.add(_naming(idx, k, eid))
        return [eid] if eid else []
    return []


def _extract_sentence(idx: Index, k: int, lex: Lexicon, out: _Collector, main_org: str | None) -> list[tuple]:
    """Add the sentence's relations to ``out``; return its title-only
    candidates (``Le fondateur Sam Altman``), judged once the whole
    document is read."""
    s = idx.sentences[k]
    masked = mask(idx, s)
    if masked is None:
        return []
    if lex.cues["orgd"].search(masked.text):
        # descriptions of an organisation ("the company"), masked ⟨D:n⟩ once resolved
        descs = []
        for d in lex.desc.finditer(masked.text):
            if re.search(r"⟩\s*,\s*$", masked.text[max(0, d.start() - 8) : d.start()]):
                continue  # "SpaceX, l'entreprise spatiale d'Elon Musk": an apposition, read as such
            a = masked.orig(d.start("n"))
            seat = bool(d.group("seat")) or "⟨" in d.group("mods")
            found = _describe(idx, k, a, main_org, seat, d.group("n").casefold() in lex.public_descriptions)
            if found:
                descs.append((a, a + len(d.group("n")), *found))
        if descs:
            masked = mask(idx, s, descs) or masked
    t = masked.text
    ev = idx.span(s)
    role_subjects: set[tuple[str, str]] = set()
    ante: set[int] = set()  # sentences naming what a pronoun or description of the match stands for

    def emit(subjs, pred, objs):
        evs = [ev] + [idx.span(idx.sentences[j]) for j in sorted(ante) if j != k]
        for b in objs:
            words = _WORDS.findall(idx.doc.entities[b].name) if pred in GROUP_ROLES and b in idx.doc.entities else []
            group = bool(words) and not lex.member_groups.isdisjoint((words[0].casefold(), words[-1].casefold()))
            # "joined the Labour Party": a member, no employee; its founder or leader is a member too
            preds = [pred] if not group else ["member_of"] if pred == "employee_of" else [pred, "member_of"]
            for a in subjs:
                for p in preds:
                    if out.add(a, p, b, evs[0]):
                        role_subjects.add((a, p))
                        for e in evs[1:]:
                            out.add(a, p, b, e)

    cues: dict[str, int] = {}
    if lex.cue_at("any", t, cues) < 0:
        return []  # every pattern (and the title one) holds a cue word
    for kind, rx, needs, min_ents in lex.patterns:
        if len(masked.ents) < min_ents or lex.cue_at(needs, t, cues) < 0:
            continue
        for m in rx.finditer(t):
            if _is_former(lex, masked, m):
                continue
            gd = m.groupdict()
            ante.clear()
            if masked.ante:
                ante.update(masked.ante[int(n)] for code, n in _PH_NUM.findall(m.group()) if code == DESC)
            if kind == "appos_before" and lex.list_after.match(t, m.end()):
                continue
            if kind in ("appos_after", "appos_before", "copula", "gen_role_name", "name_gen_role", "copula_gen", "premodifier",
                        "premodifier_hyphen"):
                if (kind == "copula_gen" and [w.casefold() for w in _words_before(t, m.start("o"), 1)] in [[a] for a in lex.indefinite]
                        and lex.nationality.fullmatch(idx.doc.entities[masked.ents[int(_PH_NUM.match(m.group("o")).group(2))]].name)):
                    continue  # "P was a Welsh singer": a nationality typed as an organisation
                pred = lex.role_pred(gd["role"])
                if pred in ("ceo_of", "head_of") and [w.casefold() for w in _words_before(t, m.start("role"), 1)] in [[a] for a in lex.indefinite]:
                    # "a managing director of O", "a leader of O": one of several
                    pred = "employee_of" if pred == "ceo_of" else "member_of"
                if gd.get("dept") and pred in ("ceo_of", "head_of"):
                    pred = "employee_of"  # "head of policy at O": a department's, not O's
                subjs = _subjects_of(idx, k, masked, m, lex, ante) if kind.startswith("copula") else _ids(masked, gd["s"])
                objs = _ids(masked, gd["o"])
                emit(subjs, pred, objs)
                if gd["role"].casefold() in lex.subsidiary_roles:
                    # X, a subsidiary of Y: Y owns X / Y, the parent company of X: X is part of Y
                    emit(objs, {"part_of": "owns", "owns": "part_of"}.get(pred or ""), subjs)
                if gd.get("role2"):
                    emit(subjs, lex.role_pred(gd["role2"]), _ids(masked, gd["o2"]))
                if gd.get("role1"):
                    emit(subjs, lex.role_pred(gd["role1"]), objs)
            elif kind == "poss_role_name" or kind == "name_poss_role":
                pred = lex.role_pred(gd["role"])
                if not pred:
                    continue
                ref = _antecedent(idx, k, masked, m.start("poss") if kind == "poss_role_name" else m.start("s"),
                                  gd["poss"], lex, OBJECT_TYPES.get(pred, set()))
                emit(_ids(masked, gd["s"]), pred, [ref] if ref else [])
                if ref and gd["role"].casefold() in lex.subsidiary_roles:  # its subsidiaries X and Y: it owns them
                    emit([ref], {"part_of": "owns", "owns": "part_of"}.get(pred), _ids(masked, gd["s"]))
            elif kind == "poss_role_obj":
                pred = lex.role_pred(gd["role"])
                if not pred:
                    continue
                objs = _ids(masked, gd["o"])
                otype = idx.etype(objs[0]) if objs else None
                npred = _normalise(pred, otype)
                ref = _antecedent(idx, k, masked, m.start("poss"), gd["poss"], lex,
                                  SUBJECT_TYPES.get(npred or "", set()))
                emit([ref] if ref else [], pred, objs)
            elif kind in ("verb", "passive"):
                subjs = _subjects_of(idx, k, masked, m, lex, ante) if kind == "verb" else _ids(masked, gd["s"])
                objs = _ids(masked, gd["o"])
                staff = gd.get("staff") and lex.staff_nouns.get(re.sub(r"\s+", " ", gd["staff"]).casefold())
                if not staff and re.sub(r"\s+", " ", gd["v"]).casefold() in lex.staff_verbs:
                    continue  # "sits on O": only "sits on the board of O" says what one is
                emit(subjs, staff or lex.verb_pred(gd["v"]), objs)
                if gd["v"].casefold() in lex.holding_verbs:
                    emit(objs, "part_of", subjs)  # (an owner that is a person is no whole: add drops it)
                if gd.get("v2"):  # "developed by O and manufactured by O2" / "teaches at O and taught at O2"
                    if kind == "passive":
                        emit(_ids(masked, gd["s2"]), lex.verb_pred(gd["v2"]), objs)
                    else:
                        emit(subjs, lex.verb_pred(gd["v2"]), _ids(masked, gd["o2"]))
            elif kind == "as_verb":
                emit(_subjects_of(idx, k, masked, m, lex, ante), lex.as_verbs.get(re.sub(r"\s+", " ", gd["v"]).casefold()), _ids(masked, gd["o"]))
            elif kind == "role_of_cop_name":
                before = _words_before(t, m.start(), 1)
                if before and before[0].casefold() in lex.prepositions:
                    continue  # "the wife of the president of O is P": P is someone else's
                emit(_ids(masked, gd["s"]), lex.role_pred(gd["role"]), _ids(masked, gd["o"]))
            elif kind == "belongs":
                owner = _ids(masked, gd["s"])
                emit(owner, "owns", _ids(masked, gd["o"]))
                emit(_ids(masked, gd["o"]), "part_of", owner)  # (add drops a person's)
            elif kind == "person_of_group":
                emit(_ids(masked, gd["s"]), "member_of", _ids(masked, gd["o"]))
            elif kind == "org_from":
                emit(_ids(masked, gd["s"]), "located_in", _ids(masked, gd["o"]))
            elif kind == "copula_part":
                emit(_ids(masked, gd["s"]), "part_of", _ids(masked, gd["o"]))
                if gd["n"].casefold() in lex.subsidiary_roles:
                    emit(_ids(masked, gd["o"]), "owns", _ids(masked, gd["s"]))
            elif kind == "gen_org":  # the owner comes first
                emit(_ids(masked, gd["o"]), "part_of", _ids(masked, gd["s"]))
            elif kind == "institution_in":
                subj = _ids(masked, gd["s"])
                name = idx.doc.entities[subj[0]].name if subj and subj[0] in idx.doc.entities else ""
                if lex.institution_heads.isdisjoint(w.casefold() for w in _WORDS.findall(name)):
                    continue
                emit(subj, "located_in", _ids(masked, gd["o"]))
            elif kind == "passive_pron":
                pred = lex.verb_pred(gd["v"])
                found = _org_pronoun(idx, k, masked.orig(m.start("pron")), lex, gd["pron"], pred == "founder_of")
                if found:
                    ante.add(found[1])
                    emit(_ids(masked, gd["s"]), pred, [found[0]])
            elif kind == "located_pron":
                found = _org_pronoun(idx, k, masked.orig(m.start("pron")), lex, gd["pron"])
                if found:
                    ante.add(found[1])
                    emit([found[0]], "located_in", _ids(masked, gd["o"]))
            elif kind == "seat":
                emit(_ids(masked, gd["s"] or gd["s2"]), "located_in", _ids(masked, gd["o"] or gd["o2"]))
            elif kind == "poss_product":
                if any(w.casefold() in lex.blockers for w in lex.word.findall(m.group())):
                    continue  # "its rival headset, the Quest"
                ref = _antecedent(idx, k, masked, m.start("poss"), gd["poss"], lex, {"ORG", "PERSON"})
                emit([ref] if ref else [], "developer_of", _ids(masked, gd["o"]))
            elif kind in ("gen_place", "place_premodifier"):
                place = idx.mentions_from(masked.orig(m.start("o")), masked.orig(m.start("o")) + 1)
                if kind == "gen_place" and place and len(place[0].text) > 3 and place[0].text.isupper():
                    continue  # "INDIA'S DIGITAL RISE": capitals for emphasis, no name
                emit(_ids(masked, gd["s"]), "located_in", _ids(masked, gd["o"]))
            elif kind == "gen_role_obj":
                emit(_ids(masked, gd["s"]), lex.role_pred(gd["role"]), _ids(masked, gd["o"]))
            elif kind in ("gen_person", "person_of"):
                before = _words_before(t, m.start(), 1)
                if kind == "gen_person" and before and before[0].casefold() in lex.determiners:
                    continue  # "the Parliament's Mauritius Act": a thing the organisation has, no person
                emit(_ids(masked, gd["s"]), "employee_of", _ids(masked, gd["o"]))
            elif kind == "poss_located":
                ref = _antecedent(idx, k, masked, m.start("poss"), gd["poss"], lex, {"ORG"})
                emit([ref] if ref else [], "located_in", _ids(masked, gd["o"]))
            elif kind in ("own_appos_after", "own_appos_before", "gen_own", "own_gen_appos"):
                if gd["s"] is None or any(w.casefold() in lex.blockers for w in lex.word.findall(m.group())):
                    continue
                subj = _ids(masked, gd["s"])
                pred = "owns" if subj and idx.etype(subj[0]) == "PERSON" else "part_of"
                if pred == "owns":
                    emit(subj, "owns", _ids(masked, gd["o"]))
                else:  # an organisation's start-up is part of it
                    emit(_ids(masked, gd["o"]), "part_of", subj)
            elif kind == "poss_own":
                if any(w.casefold() in lex.blockers for w in lex.word.findall(m.group())):
                    continue
                ref = _antecedent(idx, k, masked, m.start("poss"), gd["poss"], lex, {"PERSON", "ORG"})
                if ref and idx.etype(ref) == "PERSON":
                    emit([ref], "owns", _ids(masked, gd["o"]))
                elif ref:
                    emit(_ids(masked, gd["o"]), "part_of", [ref])
            elif kind in ("product_appos_after", "product_appos_before", "gen_product"):
                emit(_ids(masked, gd["s"]), "developer_of", _ids(masked, gd["o"]))
            elif kind in ("located", "based_before", "based_appos", "gen_located"):
                emit(_ids(masked, gd["s"]), "located_in", _ids(masked, gd["o"]))

    # "Le fondateur Sam Altman": only with the article's main organisation at hand
    titles: list[tuple] = []
    if main_org is None:
        return titles
    prev = next((idx.sentences[j] for j in range(k - 1, -1, -1) if not idx.sentences[j].heading), None)
    near = main_org in masked.ents or (
        prev is not None and any(m.entity == main_org for m in idx.mentions_in(prev.start, prev.end)))
    if lex.cue_at("role", t, cues) < 0:
        return titles  # (the title pattern holds a role word)
    for m in lex.title.finditer(t):
        if not near and _last_org(idx, k, masked.orig(m.start())) != main_org:
            continue
        pred = lex.role_pred(m.group("role"))
        if pred not in TITLE_PREDICATES or _is_former(lex, masked, m):
            continue
        role = m.group("role")
        if role[:1].isupper() and role[1:2].islower() and m.start("role") > 0:
            continue  # "President Ulysses S. Grant": an honorific, of a state more often than of the organisation
        if lex.gen_end.search(t[: m.start()]):
            continue  # "OpenAI CEO Sam Altman", "patron d'OpenAI Sam Altman": handled above
        prev_word = _words_before(t, m.start(), 1)
        if prev_word and prev_word[0][:1].isupper() and m.start() > 0:
            continue  # "Tesla chief executive Elon Musk": an organisation the NER missed
        subj = _ids(masked, m.group("s"))
        if subj and (subj[0], pred) not in role_subjects:
            titles.append((subj[0], pred, main_org, ev))
    return titles


def _last_org(idx: Index, k: int, pos: int, lookback: int = 3) -> str | None:
    """The organisation named last before offset ``pos`` of sentence k, in it
    or the ``lookback`` body sentences before it."""
    seen = 0
    for j in range(k, -1, -1):
        s = idx.sentences[j]
        if s.heading:
            continue
        orgs = [m.entity for m in idx.mentions_in(s.start, min(s.end, pos)) if idx.etype(m.entity) == "ORG"]
        if orgs:
            return orgs[-1]
        seen += 1
        if seen > lookback:
            break
    return None


@component("relations", reads=("entities", "mentions", "tokens", "sentences"), writes=("relations",))
def extract_relations(doc: Doc) -> None:
    lex = lexicon(doc.language)
    idx = doc.index
    out = _Collector(idx)
    main = main_org(doc)
    titles = []
    for k in range(len(idx.sentences)):
        titles += _extract_sentence(idx, k, lex, out, main)
    # what ties each person to an organisation other than the main one (a
    # title's relation is with the main one: it adds nothing here)
    elsewhere: dict[str, set[str]] = {}
    for subj, pred, obj in out.found:
        if obj != main:
            elsewhere.setdefault(subj, set()).add(pred)
    for subj, pred, org, ev in titles:
        if not family(pred).isdisjoint(elsewhere.get(subj, ())):
            continue  # the text ties this person to another organisation: no guess
        out.add(subj, pred, org, ev)
    doc.relations = out.result()
