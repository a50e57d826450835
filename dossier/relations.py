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

Evidence is the sentence. Relations are deduplicated per document, merging
evidence; a ``head_of`` that duplicates a ``ceo_of`` is folded into it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from .lang import load, regex_trie
from .model import Doc, Mention, Relation, Span, Token
from .pipeline import component

TYPE_CODE = {"PERSON": "P", "ORG": "O", "PRODUCT": "R", "LOC": "L", "EVENT": "V"}
CODE_TYPE = {v: k for k, v in TYPE_CODE.items()}

# which entity types each predicate accepts as subject and object
SUBJECT_TYPES = {
    "ceo_of": {"PERSON"}, "head_of": {"PERSON"}, "founder_of": {"PERSON"}, "employee_of": {"PERSON"},
    "member_of": {"PERSON", "ORG"}, "owns": {"PERSON", "ORG"}, "part_of": {"ORG"},
    "developer_of": {"ORG", "PERSON"}, "located_in": {"ORG", "LOC", "EVENT"},
}
OBJECT_TYPES = {
    "ceo_of": {"ORG"}, "head_of": {"ORG"}, "founder_of": {"ORG"}, "employee_of": {"ORG"},
    "member_of": {"ORG"}, "owns": {"ORG"}, "part_of": {"ORG"}, "developer_of": {"PRODUCT"},
    "located_in": {"LOC"},
}
TITLE_PREDICATES = ("ceo_of", "head_of", "founder_of")

_PH = r"⟨[PORLV]:\d+⟩"
_PH_NUM = re.compile(r"⟨([PORLV]):(\d+)⟩")
_WORD = r"[^\W\d_][\w'-]*"
_PAREN = re.compile(r"\s*\([^()\n]{1,80}\)")
_END = re.compile(r"[.!?…][\"'”»’)\]]*\s*$")
_WORDS = re.compile(r"[\w-]+")
_WORDS_OR_PH_END = re.compile(r"[\w'-]+|⟩")
_APOS = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u00a0": " ", "\u202f": " ", "\u2009": " "})


# ---------------------------------------------------------------- sentences


@dataclass(frozen=True)
class Sent:
    """A sentence as dossier reads it: spaCy's sentences, merged back when
    spaCy cut inside one (``Sa propre start`` | ``-`` | ``up d'IA``)."""

    i: int
    start: int
    end: int
    first: int  # first token index
    last: int  # one past the last token index
    heading: bool


def sentences(doc: Doc) -> list[Sent]:
    text = doc.text
    merged: list[list] = []  # [start, end, first, last, block, heading]
    for s in doc.sentences:
        cur = merged[-1] if merged else None
        if cur is not None and cur[4] == s.block and not _END.search(text[cur[0] : cur[1]]):
            cur[1], cur[3] = s.end, s.last
        else:
            merged.append([s.start, s.end, s.first, s.last, s.block, s.heading])
    # trim trailing whitespace so evidence is tidy
    return [Sent(i, start, start + len(text[start:end].rstrip()), first, last, heading)
            for i, (start, end, first, last, _, heading) in enumerate(merged)]


class Index:
    """Offsets → tokens and entity mentions of one doc, for quick look-ups."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.mentions: list[Mention] = sorted(
            (m for m in doc.mentions if m.entity in doc.entities), key=lambda m: (m.start, -m.end)
        )
        self.m_starts = [m.start for m in self.mentions]
        self.sents = sentences(doc)
        self._token_mentions: list[Mention | None] | None = None

    @cached_property
    def t_starts(self) -> list[int]:
        # only some docs need token look-ups: made on first use
        return [t.start for t in self.doc.tokens]

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        i = bisect.bisect_left(self.m_starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            if self.mentions[i].end <= end:
                out.append(self.mentions[i])
            i += 1
        return out

    def tokens_in(self, start: int, end: int) -> list[Token]:
        i = bisect.bisect_left(self.t_starts, start)
        out = []
        while i < len(self.doc.tokens) and self.doc.tokens[i].start < end:
            out.append(self.doc.tokens[i])
            i += 1
        return out

    def mention_at(self, start: int, end: int) -> Mention | None:
        """The mention overlapping [start, end)."""
        i = bisect.bisect_left(self.m_starts, end) - 1
        while i >= 0 and self.mentions[i].start > start - 300:
            m = self.mentions[i]
            if m.start < end and start < m.end:
                return m
            i -= 1
        return None

    def token_mentions(self) -> list[Mention | None]:
        """``mention_at`` of every token, by token index, computed once per doc
        (stances asks it of each token: one pass over the mentions is cheaper
        than a search per token)."""
        if self._token_mentions is None:
            tokens = self.doc.tokens
            t_ends = [t.end for t in tokens]
            if self.t_starts != sorted(self.t_starts) or t_ends != sorted(t_ends):
                # a hand-built Doc out of order: one search per token
                self._token_mentions = [self.mention_at(t.start, t.end) for t in tokens]
                return self._token_mentions
            out: list[Mention | None] = [None] * len(tokens)
            # mention_at gives the last mention (in sorted order) overlapping the
            # token and starting less than 300 characters before it: write the
            # mentions in that order, a later one over an earlier one
            for m in self.mentions:
                i = bisect.bisect_right(t_ends, m.start)
                while i < len(tokens) and tokens[i].start < m.end:
                    if m.start > tokens[i].start - 300:
                        out[i] = m
                    i += 1
            self._token_mentions = out
        return self._token_mentions

    def etype(self, eid: str | None) -> str | None:
        e = self.doc.entities.get(eid or "")
        return e.type if e else None

    def span(self, s: Sent) -> Span:
        return self.doc.span(s.start, s.end)


# ------------------------------------------------------ subjects & anaphora


def _is_subject(idx: Index, m: Mention) -> bool:
    toks = idx.tokens_in(m.start, m.end)
    if not toks:
        return False
    if any(t.dep.startswith("nsubj") for t in toks):
        return True
    doc = idx.doc
    first, last = toks[0].i, toks[-1].i
    prev = doc.tokens[first - 1] if first > 0 and doc.tokens[first - 1].sent == toks[0].sent else None
    if prev is not None and prev.pos == "ADP":
        return False
    j = last + 1
    while j < len(doc.tokens) and doc.tokens[j].pos in ("ADV", "PART") and j - last < 4:
        j += 1
    if j < len(doc.tokens):
        nxt = doc.tokens[j]
        return nxt.pos in ("AUX", "VERB") and ("VerbForm=Fin" in nxt.morph or nxt.pos == "AUX")
    return False


def subjects(idx: Index, s: Sent, types: set[str], before: int | None = None) -> list[str]:
    """Entity ids (of the given types) that are grammatical subjects in the sentence."""
    out: list[str] = []
    for m in idx.mentions_in(s.start, s.end if before is None else min(before, s.end)):
        if idx.etype(m.entity) in types and m.entity not in out and _is_subject(idx, m):
            out.append(m.entity)
    return out


def _entities_in(idx: Index, s: Sent, types: set[str], before: int | None = None) -> list[str]:
    out: list[str] = []
    for m in idx.mentions_in(s.start, s.end if before is None else min(before, s.end)):
        if idx.etype(m.entity) in types and m.entity not in out:
            out.append(m.entity)
    return out


def topic(idx: Index, k: int, types: set[str], lookback: int = 2) -> str | None:
    """The entity the previous sentences are about: the one subject (of the
    given types) of the nearest body sentence that names any such entity;
    None when that sentence is ambiguous."""
    seen = 0
    for j in range(k - 1, -1, -1):
        s = idx.sents[j]
        if s.heading:
            continue
        seen += 1
        subj = subjects(idx, s, types)
        if subj:
            return subj[0] if len(subj) == 1 else None
        named = _entities_in(idx, s, types)
        if named:
            return named[0] if len(named) == 1 else None
        if seen >= lookback:
            break
    return None


def resolve_pronoun(idx: Index, k: int, offset: int, types: set[str] = frozenset({"PERSON"})) -> str | None:
    """A subject pronoun (il, elle, he, she) at ``offset`` in sentence ``k``:
    the one subject before it in the sentence, else the previous sentences' topic."""
    s = idx.sents[k]
    subj = subjects(idx, s, set(types), before=offset)
    if subj:
        return subj[-1] if len(subj) == 1 else None
    if _entities_in(idx, s, set(types), before=offset):
        return None  # named in this sentence but not as a subject: ambiguous
    return topic(idx, k, set(types))


def resolve_pair(idx: Index, k: int, offset: int) -> list[str]:
    """``Tous les deux`` / ``both``: the two people of this sentence (before the
    phrase) or of the previous body sentence."""
    here = _entities_in(idx, idx.sents[k], {"PERSON"}, before=offset)
    if len(here) == 2:
        return here
    if here:
        return []
    for j in range(k - 1, -1, -1):
        s = idx.sents[j]
        if s.heading:
            continue
        people = _entities_in(idx, s, {"PERSON"})
        return people if len(people) == 2 else []
    return []


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

    def orig(self, pos: int) -> int:
        """Document offset of masked offset ``pos`` (a placeholder's: its mention's start)."""
        if pos >= len(self.text):
            return self.end
        j = bisect.bisect_right(self.piece_at, pos) - 1
        return self.piece_doc[j] if self.piece_ph[j] else self.piece_doc[j] + pos - self.piece_at[j]


def mask(idx: Index, s: Sent) -> Masked | None:
    """The masked sentence; None when it names no entity (nothing to read)."""
    doc = idx.doc
    text = doc.text
    mentions = [m for m in idx.mentions_in(s.start, s.end) if idx.etype(m.entity) in TYPE_CODE]
    if not mentions:
        return None
    sent = text[s.start : s.end]
    # (a parenthetical needs a bracket: most sentences have none)
    drops = [(s.start + m.start(), s.start + m.end()) for m in _PAREN.finditer(sent)] if "(" in sent else []
    items: list[tuple[int, int, Mention | None]] = [(a, b, None) for a, b in drops]
    for m in mentions:
        if not any(a <= m.start < b for a, b in drops):
            items.append((m.start, m.end, m))
    items.sort(key=lambda x: (x[0], -x[1]))
    parts: list[str] = []
    ents: list[str] = []
    starts: list[int] = []
    piece_at: list[int] = []
    piece_doc: list[int] = []
    piece_ph: list[bool] = []
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
        if m is not None:
            ph = f"⟨{TYPE_CODE[idx.etype(m.entity)]}:{len(ents)}⟩"
            ents.append(m.entity)  # type: ignore[arg-type]
            starts.append(n)
            parts.append(ph)
            piece_at.append(n)
            piece_doc.append(m.start)
            piece_ph.append(True)
            n += len(ph)
        pos = b
    parts.append(text[pos : s.end].translate(_APOS))
    piece_at.append(n)
    piece_doc.append(pos)
    piece_ph.append(False)
    if not ents:
        return None  # every name is inside a dropped parenthetical
    return Masked("".join(parts), ents, starts, piece_at, piece_doc, piece_ph, s.end)


# ----------------------------------------------------------------- lexicon


def _alt(words, sep: bool = False) -> str:
    """Regex alternation, longest first; with ``sep`` each word carries the
    whitespace that follows it (none needed after an elided ``d'``)."""
    out = []
    for w in sorted({w.replace("\u2019", "'") for w in words}, key=len, reverse=True):
        e = re.escape(w).replace(r"\ ", r"\s+")
        if sep:
            e += r"\s*" if w.endswith(("'", "-")) else r"\s+"
        out.append(e)
    return "(?:" + ("|".join(out) or "(?!)") + ")"


def _word_unit(ch: str) -> str:
    # as _alt writes a word: any spacing
    return r"\s+" if ch == " " else re.escape(ch)


def _trie(words) -> str:
    """_alt's words (without ``sep``) as a trie, for the cue tests: the same
    matches at the same places, found faster (see ``regex_trie``)."""
    return regex_trie({w.replace("\u2019", "'") for w in words}, _word_unit)


def _bounded(alt: str) -> str:
    # an elided article may precede: "l'entreprise", "d'OpenAI"
    return rf"(?<![\w-]){alt}(?![\w-])"


class Lexicon:
    """The compiled patterns of one language."""

    def __init__(self, lang: str):
        d = load(lang, "relations")
        self.roles: dict[str, str] = {k.replace("\u2019", "'").casefold(): v for k, v in d.get("roles", {}).items()}
        self.poss_roles: dict[str, str] = {k.casefold(): v for k, v in d.get("possessive_roles", {}).items()}
        self.verbs: dict[str, str] = {k.casefold(): v for k, v in d.get("verbs", {}).items()}
        self.possessives: dict[str, str] = {k.casefold(): v for k, v in d.get("possessives", {}).items()}
        self.former = {w.casefold() for w in d.get("former", []) if not w.endswith("-")}
        self.former_prefixes = tuple(w.casefold() for w in d.get("former", []) if w.endswith("-"))
        self.blockers = {w.casefold() for w in d.get("blockers", [])}
        self.prepositions = {w.casefold() for w in d.get("of", []) + d.get("by", []) + d.get("function_words", [])
                             if len(w.split()) == 1} - {w.casefold() for w in d.get("determiners", [])}

        W = _WORD
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
        PRON = _bounded(_alt(d.get("subject_pronouns", [])))
        stop = _alt(d.get("function_words", []) + d.get("former", []) + d.get("blockers", []) + list(self.possessives))
        # a modifier: a lower-case word or an acronym ("le célèbre patron", "AI startup")
        ADJ1 = rf"(?!{stop}(?![\w'-]))(?-i:(?=[a-zà-ÿœæ]|[A-Z]{{2,5}}(?![\w'-]))){W}\s+"
        ADJS = rf"(?:{ADJ1}){{0,2}}?"
        OBJ1 = rf"(?:{DET})?(?:{ORGN}\s+(?:{ADJ1})?(?:{DET})?)?{_PH}"
        OBJS = rf"{OBJ1}(?:\s*,\s*(?:{OF})?{OBJ1})*(?:\s*,?\s*{COORD}(?:{OF})?{OBJ1})?"
        ENTS = rf"{_PH}(?:\s*,\s*{_PH})*(?:\s*,?\s*{COORD}{_PH})?"
        SUBJ = rf"(?:(?P<s>{ENTS})|(?P<grp>{GROUP})|(?P<pron>{PRON}))"
        FILL = rf"(?:\s+(?:{OF})?(?!{stop}(?![\w'-])){W}){{0,4}}?"
        QUAL = rf"(?:{OF}{ORGN}\s+)?"

        p: list[tuple[str, re.Pattern, str, int]] = []

        def add(kind: str, rx: str, needs: str, min_ents: int) -> None:
            p.append((kind, re.compile(rx, re.I), needs, min_ents))

        # le patron de O, P  /  the CEO of O Sam Altman: from the role on, the
        # part of "appos_before" that starts at a word (its optional lead-in
        # is tried at every position: ~2/3 of the relations' pattern time)
        def role_of_name(role: str) -> str:
            return rf"(?P<role>{role})\s+(?:{OF})(?P<o>{OBJS})\s*,?\s*(?P<s>{_PH})"

        ROLE_OF_NAME = role_of_name(ROLE)
        # cheap tests: a pattern is tried only on sentences holding its key
        # words (ROLE|PROLE, VERB, OWNN, PRODN, LOCATED|SUFFIX and GEN as tries)
        words = {"role": [*self.roles, *self.poss_roles], "verb": list(self.verbs),
                 "own": d.get("own_nouns", []), "prod": d.get("product_nouns", []), "located": d.get("located", [])}
        suffix, gen = _trie(d.get("based_suffix", [])), _trie(d.get("genitive", []))
        every = [w for ws in words.values() for w in ws]
        self.cues = {
            # any cue word at all: one search, instead of six, rules out the
            # many sentences without one, and tells where the first can be
            "any": re.compile(rf"{_bounded(_trie(every))}|{suffix}|{gen}", re.I),
            "role": re.compile(_bounded(_trie(words["role"])), re.I),
            "verb": re.compile(_bounded(_trie(words["verb"])), re.I),
            "own": re.compile(_bounded(_trie(words["own"])), re.I),
            "prod": re.compile(_bounded(_trie(words["prod"])), re.I),
            "located": re.compile(rf"{_bounded(_trie(words['located']))}|{suffix}", re.I),
            "gen": re.compile(gen, re.I),
            "role_of_name": re.compile(role_of_name(_bounded(_trie(self.roles))), re.I),
        }
        # a cue matches only from where the one it is part of first matches
        # (role_of_name opens with a role word)
        self.cue_after = {k: "any" for k in ("role", "verb", "own", "prod", "located", "gen")}
        self.cue_after["role_of_name"] = "role"

        # P, le célèbre patron de O et de O
        # a second role: "fondateur de Free et propriétaire du Monde"
        MORE = rf"(?:\s*,?\s*{COORD}(?:{DET})?{ADJS}(?P<role2>{ROLE})\s+{QUAL}(?:{OF})(?P<o2>{OBJS}))?"
        add("appos_after", rf"(?P<s>{ENTS})\s*,\s*(?:{DET})?{ADJS}(?P<role>{ROLE})\s+{QUAL}(?:{OF})(?P<o>{OBJS}){MORE}", "role", 2)
        add("appos_before", rf"(?:{DET})?{ADJS}{ROLE_OF_NAME}", "role_of_name", 2)
        # son directeur général, P
        add("poss_role_name", rf"(?P<poss>{POSS}){ADJS}(?P<role>{ROLE})\s*,?\s*(?P<s>{_PH})", "role", 1)
        # P, son directeur général
        add("name_poss_role", rf"(?P<s>{_PH})\s*,\s*(?P<poss>{POSS}){ADJS}(?P<role>{ROLE})(?!\s+{QUAL}{OF})", "role", 1)
        # son développement de R / its creation of R
        add("poss_role_obj", rf"(?P<poss>{POSS}){ADJS}(?P<role>{ROLE}|{PROLE})\s+(?:{OF})(?P<o>{OBJS})", "role", 1)
        # P, qui est le patron de O / Tous les deux font partie des cofondateurs d'O
        add("copula", rf"{SUBJ}(?:\s*,\s*{REL})?\s*{ADV}{COP}{ADV}(?:{DET})?{ADJS}(?P<role>{ROLE})\s+{QUAL}(?:{OF})(?P<o>{OBJS}){MORE}", "role", 1)
        # P, qui a fondé O / Musk co-founded OpenAI
        add("verb", rf"{SUBJ}(?:\s*,\s*{REL})?\s*{ADV}{AUX}{ADV}(?P<v>{VERB})\s+(?:{DET})?(?:{ORGN}\s+(?:{ADJ1})?)?(?P<o>{OBJS})", "verb", 1)
        # O, fondée par P / X, owned by Musk / O, la start-up fondée par P
        add("passive", rf"(?P<o>{_PH})\s*,?\s*(?:{REL})?{PAUX}(?:(?:{DET}){ADJS}{W}\s+{ADJS})?{ADV}(?P<v>{VERB})\s+{BY}(?P<s>{ENTS})", "verb", 2)
        # O, la start-up d'intelligence artificielle de P
        add("own_appos_after", rf"(?P<o>{_PH})\s*,\s*(?:{DET}){ADJS}(?P<n>{OWNN}){FILL}\s*(?:{OF})(?P<s>{_PH})(?!\s*(?:{OF}|{GEN}))", "own", 2)
        # la start-up de P, O
        add("own_appos_before", rf"(?:{DET})(?P<n>{OWNN})\s+(?:{OF})(?P<s>{_PH})\s*,\s*(?P<o>{_PH})", "own", 2)
        # sa propre start-up d'IA générative, O / his AI startup xAI
        add("poss_own", rf"(?P<poss>{POSS}){ADJS}(?P<n>{OWNN})(?:{FILL}\s*,\s*|\s+{ADJS})(?P<o>{_PH})", "own", 1)
        # R, le chatbot d'O / le chatbot d'O, R
        add("product_appos_after", rf"(?P<o>⟨R:\d+⟩)\s*,\s*(?:{DET}){ADJS}(?P<n>{PRODN})\s+{ADJS}(?:{OF})(?P<s>{_PH})(?!\s*{OF})", "prod", 2)
        add("product_appos_before", rf"(?:{DET})(?P<n>{PRODN})\s+{ADJS}(?:{OF})(?P<s>{_PH})\s*,\s*(?P<o>⟨R:\d+⟩)", "prod", 2)
        # O, basée à L / O is headquartered in L
        add("located", rf"(?P<s>{_PH})\s*,?\s*(?:{REL})?{PAUX}(?:(?:{DET}){ADJS}{W}\s+{ADJS})?(?P<m>{LOCATED})\s+{LPREP}(?P<o>⟨L:\d+⟩)", "located", 2)
        if d.get("based_suffix"):
            add("based_before", rf"(?P<o>⟨L:\d+⟩){SUFFIX}\s+{ADJS}(?:{ORGN}\s+)?(?P<s>⟨[OV]:\d+⟩)", "located", 2)
            add("based_appos", rf"(?P<s>⟨[OV]:\d+⟩)\s*,\s*(?:{DET})(?P<o>⟨L:\d+⟩){SUFFIX}(?![\w-])", "located", 2)
        if d.get("genitive"):
            # O's chief executive, P / O's CEO P
            add("gen_role_name", rf"(?P<o>{_PH}){GEN}\s+{ADJS}(?P<role>{ROLE})\s*,?\s*(?P<s>{_PH})", "role", 2)
            # P, O's chief executive / P, the OpenAI CEO,
            add("name_gen_role", rf"(?P<s>{_PH})\s*,\s*(?:{DET})?(?P<o>{_PH})(?:{GEN})?\s+{ADJS}(?P<role>{ROLE})(?!\s*{OF})(?![\w-])", "role", 2)
            # P is O's CEO
            add("copula_gen", rf"{SUBJ}(?:\s*,\s*{REL})?\s*{ADV}{COP}{ADV}(?P<o>{_PH}){GEN}\s+{ADJS}(?P<role>{ROLE})(?![\w-])", "role", 1)
            # Musk's AI startup xAI / OpenAI's chatbot ChatGPT / OpenAI's ChatGPT
            add("gen_own", rf"(?P<s>{_PH}){GEN}\s+{ADJS}(?P<n>{OWNN})\s*,?\s*(?P<o>{_PH})", "own", 2)
            add("gen_product", rf"(?P<s>⟨[OP]:\d+⟩){GEN}\s+(?:{ADJS}{PRODN}\s*,?\s*)?(?P<o>⟨R:\d+⟩)", "gen", 2)
            # xAI, Musk's AI start-up
            add("own_gen_appos", rf"(?P<o>{_PH})\s*,\s*(?P<s>{_PH}){GEN}\s+{ADJS}(?P<n>{OWNN})(?![\w-])", "own", 2)
        if d.get("premodifier_titles"):
            # OpenAI CEO Sam Altman / ChatGPT maker OpenAI
            add("premodifier", rf"(?P<o>{_PH})\s+{ADJS}(?P<role>{ROLE})\s+(?P<s>{_PH})", "role", 2)
        self.patterns = p
        # a title without object: "Le fondateur Sam Altman"
        self.title = re.compile(rf"(?:^|(?<=[\s,;:(«\"“]))(?:{DET})?{ADJS}(?P<role>{ROLE})\s+(?P<s>⟨P:\d+⟩)", re.I)
        self.gen_end = re.compile(rf"(?:{_PH}(?:{GEN})?|{OF})\s*$", re.I) if d.get("genitive") else re.compile(rf"(?:{_PH}|{OF})\s*$", re.I)
        self.word = re.compile(r"[\w'-]+")

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
    return Lexicon(lang)


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
    if otype == "PRODUCT":
        return "developer_of" if pred in ("founder_of", "developer_of") else None
    if pred == "developer_of":
        return None
    return pred


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
            if p == "head_of" and (s, "ceo_of", o) in rels:
                ceo = rels[(s, "ceo_of", o)]
                ceo.evidence += [e for e in r.evidence if e not in ceo.evidence]
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
    return topic(idx, k, types)


def _subjects_of(idx: Index, k: int, masked: Masked, m: re.Match) -> list[str]:
    """Subject(s) of a copula or verb pattern: names, a pair phrase or a pronoun."""
    if m.group("s"):
        # a name right after a preposition is not the subject ("l'offre de Musk a ...")
        before = _words_before(masked.text, m.start("s"), 1)
        if before and before[0].casefold() in lexicon(idx.doc.language).prepositions:
            return []
        return _ids(masked, m.group("s"))
    if m.group("grp"):
        return resolve_pair(idx, k, masked.orig(m.start("grp")))
    if m.group("pron"):
        eid = resolve_pronoun(idx, k, masked.orig(m.start("pron")))
        return [eid] if eid else []
    return []


def _extract_sentence(idx: Index, k: int, lex: Lexicon, out: _Collector, main_org: str | None) -> list[tuple]:
    """Add the sentence's relations to ``out``; return its title-only
    candidates (``Le fondateur Sam Altman``), judged once the whole
    document is read."""
    s = idx.sents[k]
    masked = mask(idx, s)
    if masked is None:
        return []
    t = masked.text
    ev = idx.span(s)
    role_subjects: set[tuple[str, str]] = set()

    def emit(subjs, pred, objs):
        for a in subjs:
            for b in objs:
                if out.add(a, pred, b, ev):
                    role_subjects.add((a, pred))

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
            if kind in ("appos_after", "appos_before", "copula", "gen_role_name", "name_gen_role", "copula_gen", "premodifier"):
                pred = lex.role_pred(gd["role"])
                subjs = _subjects_of(idx, k, masked, m) if kind.startswith("copula") else _ids(masked, gd["s"])
                emit(subjs, pred, _ids(masked, gd["o"]))
                if gd.get("role2"):
                    emit(subjs, lex.role_pred(gd["role2"]), _ids(masked, gd["o2"]))
            elif kind == "poss_role_name" or kind == "name_poss_role":
                pred = lex.role_pred(gd["role"])
                if not pred:
                    continue
                ref = _antecedent(idx, k, masked, m.start("poss") if kind == "poss_role_name" else m.start("s"),
                                  gd["poss"], lex, OBJECT_TYPES.get(pred, set()))
                emit(_ids(masked, gd["s"]), pred, [ref] if ref else [])
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
            elif kind == "verb":
                emit(_subjects_of(idx, k, masked, m), lex.verb_pred(gd["v"]), _ids(masked, gd["o"]))
            elif kind == "passive":
                emit(_ids(masked, gd["s"]), lex.verb_pred(gd["v"]), _ids(masked, gd["o"]))
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
            elif kind in ("located", "based_before", "based_appos"):
                emit(_ids(masked, gd["s"]), "located_in", _ids(masked, gd["o"]))

    # "Le fondateur Sam Altman": only with the article's main organisation at hand
    titles: list[tuple] = []
    if main_org is None:
        return titles
    prev = next((idx.sents[j] for j in range(k - 1, -1, -1) if not idx.sents[j].heading), None)
    near = main_org in masked.ents or (
        prev is not None and any(m.entity == main_org for m in idx.mentions_in(prev.start, prev.end)))
    if not near or lex.cue_at("role", t, cues) < 0:
        return titles  # (the title pattern holds a role word)
    for m in lex.title.finditer(t):
        pred = lex.role_pred(m.group("role"))
        if pred not in TITLE_PREDICATES or _is_former(lex, masked, m):
            continue
        if lex.gen_end.search(t[: m.start()]):
            continue  # "OpenAI CEO Sam Altman", "patron d'OpenAI Sam Altman": handled above
        prev_word = _words_before(t, m.start(), 1)
        if prev_word and prev_word[0][:1].isupper() and m.start() > 0:
            continue  # "Tesla chief executive Elon Musk": an organisation the NER missed
        subj = _ids(masked, m.group("s"))
        if subj and (subj[0], pred) not in role_subjects:
            titles.append((subj[0], pred, main_org, ev))
    return titles


def _main_org(doc: Doc) -> str | None:
    orgs = sorted((e for e in doc.entities.values() if e.type == "ORG"), key=lambda e: -e.salience)
    if not orgs:
        return None
    if len(orgs) > 1 and orgs[1].salience >= orgs[0].salience:
        return None  # no single main organisation
    return orgs[0].id


@component("relations", reads=("entities", "mentions", "tokens"), writes=("relations",))
def extract_relations(doc: Doc) -> None:
    lex = lexicon(doc.language)
    idx = Index(doc)
    out = _Collector(idx)
    main = _main_org(doc)
    titles = []
    for k in range(len(idx.sents)):
        titles += _extract_sentence(idx, k, lex, out, main)
    for subj, pred, org, ev in titles:
        fam = {"ceo_of", "head_of"} if pred in ("ceo_of", "head_of") else {pred}
        if any(r.subject == subj and r.predicate in fam and r.object != org for r in out.found.values()):
            continue  # the text ties this person to another organisation: no guess
        out.add(subj, pred, org, ev)
    doc.relations = out.result()
