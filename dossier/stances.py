"""Stances: an actor's position for or against something.

Cues are data (``lang/<code>/stances.json``), matched on the tokens of one
sentence by lemma or form, adverbs allowed in between:

* direct cues take a noun phrase: ``soutenir``, ``s'opposer à``, ``mettre
  l'accent sur``, ``calls for``, ``criticised`` — the topic is that phrase;
* clausal cues take a clause: ``croire que``, ``considérer que``,
  ``believes``, ``warned that`` — the clause gives the polarity: a modal
  (``doit``, ``should``) or a positive judgement supports it, a harm verb
  (``met en péril``, ``threatens``) opposes its subject; a clause with none
  says nothing about a position and yields nothing;
* ``n'est pas à vendre`` / ``is not for sale`` declared by someone opposes the
  sale of what is named.

* a label (``called the bid a mistake``, ``a qualifié l'offre d'« erreur »``)
  and a copula's label in a clause or quote (``said the bid was a distraction``)
  judge the object or subject by the label's fault or merit; a claim
  dismissed (``the allegation … doesn't align with the facts``) is opposed;
  concerns said to be addressed support the deal.

The holder is the entity (person or organisation) just before the cue, a
``qui``/``who`` relative's antecedent, or a subject pronoun resolved to the
one subject person before it; an organisation's board, a parenthesis after
it, "I"/"we" inside a quote (its speaker), a passive's agent, "the company",
"the regulator" and a title with an unnamed organisation ("le PDG de la
firme américaine", the article's one head) also name it. A negated cue
yields nothing. An anaphoric topic (``une telle transformation``) is widened
with the matching phrase of a previous sentence (``transformer OpenAI en une
société à but lucratif``). Evidence is the sentence; one stance per holder,
polarity and sentence, and within an article one per holder and polarity on
the deal it reports, however worded.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from .coref import resolve_pair, resolve_pronoun, subjects
from .coref import topic as coref_topic
from .index import Index
from .lang import load
from .model import Doc, Mention, Sentence, Stance, Token, fold
from .pipeline import component
from .vocab import AFFILIATIONS, FAMILY

HOLDER_TYPES = {"PERSON", "ORG"}
_MAX_TOPIC_TOKENS = 12
_PUNCT_BOUNDARY = set(",;:.!?…()[]«»\"“”")
_CLAUSE_BOUNDARY = set(",;:.!?…()[]")
_QUOTE_MARKS = set("«»\"“”‘’")
_OPEN_QUOTES = set("«\"“‘")
# cues read inside a clause, not cues of their own: harm, good, speech; a claim
# dismissed ("the allegation is without merit"); concerns allayed ("its
# concerns had been addressed")
_INNER = ("negative", "positive", "speech", "dismiss", "allayed")
_PASSIVE = ("auxpass", "aux:pass", "nsubjpass", "nsubj:pass")
_DEAL = "\0deal"  # the topic key of any deal an article reports (_topic_key)
_OTHER = {"support": "oppose", "oppose": "support"}


def _words(phrase: str) -> tuple[str, ...]:
    # "mettre l'accent sur" -> ("mettre", "l'", "accent", "sur"); "s'opposer" -> ("s'", "opposer")
    out: list[str] = []
    for w in fold(phrase).split():
        while "'" in w[:-1]:
            head, w = w.split("'", 1)
            out.append(head + "'")
        out.append(w)
    return tuple(out)


@dataclass(frozen=True)
class Cue:
    words: tuple[str, ...]
    kind: str  # support | oppose | clausal | negative | positive | sale | speech
    text: str
    stems: tuple[str, ...] = ()  # verb stems, for forms the lemmatiser misses ("estime")


def _stem(word: str, suffixes: list[str], min_len: int) -> str:
    for suf in sorted(suffixes, key=len, reverse=True):
        if word.endswith(suf) and len(word) - len(suf) >= min_len:
            return word[: -len(suf)]
    return word if len(word) >= min_len and "'" not in word else ""


class Lexicon:
    def __init__(self, lang: str):
        d = load(lang, "stances")
        self.d = d
        suffixes, min_len = d.get("stem_suffixes", []), int(d.get("stem_min", 4))
        self.cues: dict[str, list[Cue]] = {}
        self.inner: dict[str, list[Cue]] = {}  # read inside a clause
        for kind in ("support", "oppose", "clausal", "not_for_sale", "negative", "positive", "speech",
                     "support_from", "oppose_from", "dismiss", "allayed", "label"):
            table = self.inner if kind in _INNER else self.cues
            for p in d.get(kind, []):
                words = _words(p)
                stems = tuple(_stem(w, suffixes, min_len) for w in words)
                self._add(table, Cue(words, "sale" if kind == "not_for_sale" else kind, p, stems))
        for table in (self.cues, self.inner):
            for k in table:
                table[k].sort(key=lambda c: -len(c.words))
        f = lambda key: {fold(w) for w in d.get(key, [])}  # noqa: E731
        self.complementizers = f("complementizers")
        self.pending = f("pending")
        self.modal = f("modal")
        self.negations = f("negations")
        # "ne" negates only with "pas", "plus", "jamais"…
        self.expletive = f("expletive_negations")
        self.completers = f("negation_completers")
        self.boundaries = f("boundaries")
        self.anaphoric = f("anaphoric")
        self.issue_nouns = f("issue_nouns")
        self.pronouns = f("pronouns")
        self.org_pronouns = f("org_pronouns")
        self.we = f("we")
        self.relative = f("relative")
        self.clitics = f("clitics")
        self.intensifiers = f("intensifiers")
        self.of_words = f("of_words")
        self.by_words = f("by_words")
        self.genitive = f("genitive")
        self.of = d.get("of", "")
        self.contractions: dict[str, str] = d.get("contractions", {})
        self.org_nouns = f("org_nouns")
        self.claim_nouns = f("claim_nouns")
        self.label_links = f("label_links")
        self.copulas = f("copulas")
        self.label_negative = f("label_negative")
        self.label_positive = f("label_positive")
        self.body_nouns = f("body_nouns")
        self.company_nouns = f("company_nouns")
        self.weak = f("weak_adverbs")
        self.regulator_nouns = f("regulator_nouns")
        self.regulator_names = f("regulator_names")
        self.definite = f("definite")
        # the titles of an organisation's head ("PDG", "chief executive"), as relations.json reads them
        self.head_titles = {_words(k) for k, v in load(lang, "relations").get("roles", {}).items()
                            if FAMILY.get(v) == "head_of"}
        self.deal_nouns = f("deal_nouns")
        self.groups = {tuple(fold(w) for w in g.split()) for g in d.get("group_subjects", [])}

    @staticmethod
    def _add(table: dict[str, list[Cue]], cue: Cue) -> None:
        if cue.words:
            table.setdefault(cue.words[0], []).append(cue)
            if cue.stems and cue.stems[0] and cue.stems[0] != cue.words[0]:
                table.setdefault(cue.stems[0], []).append(cue)


@lru_cache(maxsize=None)
def lexicon(lang: str) -> Lexicon:
    return Lexicon(lang)


# every sentence reads the forms of all its tokens, mostly the same few
# hundred words: computed once per (text, lemma), in a bounded cache. The
# sets are shared: callers read them and never change them.
@lru_cache(maxsize=8192)
def _forms(text: str, lemma: str) -> set[str]:
    f, lem = fold(text), fold(lemma)
    out = {f, lem}
    if f.endswith("'") and len(f) > 1:
        out |= {f[:-1] + "e", f[:-1]}
    if f in ("n't",):
        out.add("not")
    return out


@lru_cache(maxsize=8192)
def _stems(form: str) -> set[str]:
    """A verb form's beginnings, to find cues the lemmatiser hides ("estim"
    of "estime"); cached and shared like ``_forms``."""
    return {form[:n] for n in range(4, len(form))}


@dataclass(frozen=True)
class _Known:
    """What the whole article says, read once: its quotes with a named speaker
    (_spoken), the one person it says heads an organisation (_titled_head),
    the one regulator it names (_regulator)."""

    spoken: list[tuple[int, int, str]] = field(default_factory=list)
    head: str | None = None
    regulator: str | None = None


class _Sentence:
    """Tokens of one sentence with their forms and entity mentions."""

    def __init__(self, idx: Index, k: int, known: _Known | None = None):
        self.idx = idx
        self.k = k
        self.known = known or _Known()
        self.spoken = self.known.spoken
        self.s: Sentence = idx.sentences[k]
        self.toks: list[Token] = idx.doc.tokens[self.s.first : self.s.last]
        self.forms = [_forms(t.text, t.lemma) for t in self.toks]

    # the entities are read only once a cue is found, in few sentences: made on first use

    @cached_property
    def mentions(self) -> list[Mention | None]:
        """Each token's mention (``Index.token_mentions``)."""
        return self.idx.token_mentions[self.s.first : self.s.last]

    def _named(self, m: Mention | None) -> bool:
        return m is not None and self.idx.etype(m.entity) in ("PERSON", "ORG", "PRODUCT", "LOC", "EVENT")

    @cached_property
    def ent(self) -> list[str | None]:
        """Each token's entity, None if it names none."""
        return [m.entity if self._named(m) else None for m in self.mentions]  # type: ignore[union-attr]

    @cached_property
    def mstart(self) -> list[int]:
        """Where each token's mention starts, -1 if it names no entity."""
        return [m.start if self._named(m) else -1 for m in self.mentions]  # type: ignore[union-attr]

    def _is(self, j: int, w: str, stem: str) -> bool:
        if w in self.forms[j]:
            return True
        # the lemmatiser left the form as it was ("estime"): read it by its stem
        t = self.toks[j]
        f = fold(t.text)
        return bool(stem) and t.pos in ("VERB", "AUX") and fold(t.lemma) == f and f.startswith(stem) \
            and len(f) - len(stem) <= 4

    def match(self, i: int, cue: Cue, lex: Lexicon) -> int | None:
        """One past the last token of ``cue`` matched at token i, or None."""
        j = i
        for n, w in enumerate(cue.words):
            stem = cue.stems[n] if cue.stems else ""
            # adverbs, quotation marks ("was “incredible”"), articles ("is a profound …"),
            # auxiliaries ("concerns had been addressed") and adjectives ("made compelling
            # strategic sense") may stand between the words, none negating or weakening ("little sense")
            while n and j < len(self.toks) and (self.toks[j].pos in ("ADV", "DET", "AUX", "ADJ")
                                                or self.toks[j].text in _QUOTE_MARKS) \
                    and not self._is(j, w, stem) and not (self.forms[j] & lex.negations or self.forms[j] & lex.weak):
                j += 1
            if j >= len(self.toks) or not self._is(j, w, stem):
                return None
            j += 1
        return j

    def find(self, table: dict[str, list[Cue]], lex: Lexicon, lo: int = 0, hi: int | None = None):
        hi = len(self.toks) if hi is None else hi
        starts = table.keys()
        for i in range(lo, hi):
            stems = _stems(fold(self.toks[i].text)) if self.toks[i].pos in ("VERB", "AUX") else None
            if starts.isdisjoint(self.forms[i]) and (stems is None or starts.isdisjoint(stems)):
                continue  # most tokens start no cue
            keys = set(self.forms[i])
            if stems is not None:
                keys |= stems
            seen: set[int] = set()
            cues = sorted((c for k in keys for c in table.get(k, ())), key=lambda c: -len(c.words))
            for cue in cues:
                if id(cue) in seen:
                    continue
                seen.add(id(cue))
                e = self.match(i, cue, lex)
                if e is not None and e <= hi:
                    yield i, e, cue

    def text(self, a: int, b: int) -> str:
        """Document text of tokens [a, b)."""
        return self.idx.doc.text[self.toks[a].start : self.toks[b - 1].end] if b > a else ""

    def has_noun(self, a: int, b: int) -> bool:
        """Tokens [a, b) hold a noun or a name."""
        return any(self.noun(n) or self.toks[n].pos == "PROPN" or self.ent[n] for n in range(a, b))

    def noun(self, j: int) -> bool:
        """A noun, or a form the tagger read as a verb after a determiner ("l'offre")."""
        t = self.toks[j]
        return t.pos == "NOUN" or (t.pos == "VERB" and j > 0 and self.toks[j - 1].pos == "DET")

    def nominal(self, j: int) -> bool:
        if self.noun(j):
            return True
        t = self.toks[j]
        # acronyms ("IA", "AI") are often tagged as pronouns
        return self.ent[j] is not None or t.pos in ("NOUN", "PROPN", "NUM", "ADJ", "X") or (len(t.text) > 1 and t.text.isupper())


# ------------------------------------------------------------------ holder


def _holder(S: _Sentence, i: int, lex: Lexicon) -> tuple[list[str], bool]:
    """The entities holding the position whose cue starts at token i (two for
    ``tous les deux``/``both``), and whether the cue is negated."""
    negated = False
    j = i - 1
    while j >= 0:
        t, fm = S.toks[j], S.forms[j]
        if fm & lex.negations:
            negated = True
        if t.pos in ("ADV", "AUX", "PART") or fm & lex.clitics or fm & lex.negations or _opens(S, j, i):
            j -= 1
            continue
        break
    for k in range(i, min(i + 3, len(S.toks))):
        if fold(S.toks[k].text) in lex.negations and S.toks[k].pos != "ADP":
            negated = True
    if j < 0:
        return [], negated
    if S.toks[j].text == ")":
        o = next((n for n in range(j - 1, -1, -1) if S.toks[n].text == "("), -1)
        if o > 0 and S.ent[o - 1] is not None:
            j = o - 1  # "the Competition and Markets Authority (CMA) blocked": the name before
        else:
            return _glossed(S, o, j), negated
    for n in range(min(4, j + 1), 0, -1):
        if tuple(fold(S.toks[x].text) for x in range(j - n + 1, j + 1)) in lex.groups:
            return resolve_pair(S.idx, S.k, S.toks[j - n + 1].start), negated
    eid = S.ent[j]
    if eid is not None:
        if S.idx.etype(eid) not in HOLDER_TYPES:
            return [], negated
        # "selon Musk", "l'offre de Musk": not the subject
        first = j
        while first > 0 and S.ent[first - 1] == eid and S.toks[first - 1].start >= S.mstart[j]:
            first -= 1
        p = _preposition(S, first, lex)
        # "down to the CMA being concerned": a participle's subject, whatever governs it
        if p is not None and not _board_of(S, p, lex) and not _participle(S.toks[i]):
            return [], negated
        # "Macron et Scholz soutiennent …": every name of the coordinated subject
        chain, conj = [eid], False
        while first > 1 and (S.toks[first - 1].pos == "CCONJ" or S.toks[first - 1].text == ",") \
                and S.ent[first - 2] is not None and S.idx.etype(S.ent[first - 2]) in HOLDER_TYPES:
            conj = conj or S.toks[first - 1].pos == "CCONJ"
            other = S.ent[first - 2]
            if other not in chain:
                chain.insert(0, other)
            first -= 2
            while first > 0 and S.ent[first - 1] == other:
                first -= 1
        if conj and _preposition(S, first, lex) is None:
            return chain, negated
        return [eid], negated
    fm = S.forms[j]
    if fm & lex.body_nouns and j >= 1 and S.toks[j].pos == "NOUN":
        # "Norland's board rejected", "the Norland board": the organisation decides
        o = j - 1 if S.ent[j - 1] is not None else j - 2 if S.forms[j - 1] & lex.genitive else -1
        if o >= 0 and S.ent[o] is not None and S.idx.etype(S.ent[o]) == "ORG":
            return [S.ent[o]], negated
    if fm & lex.pronouns or fm & lex.org_pronouns or fm & lex.we:
        eid = _pronoun(S, j, lex)
        return ([eid] if eid else []), negated
    if fm & lex.relative and j >= 2 and S.toks[j - 1].text == "," and S.ent[j - 2] is not None:
        eid = S.ent[j - 2]
        return ([eid] if S.idx.etype(eid) in HOLDER_TYPES else []), negated
    if S.toks[j].text == "," and j > 0 and S.ent[j - 1] is not None and S.idx.etype(S.ent[j - 1]) in HOLDER_TYPES:
        # "Le ministre de l'Économie, Éric Lombard, a salué": the name closes an apposition
        first = j - 1
        while first > 0 and S.ent[first - 1] == S.ent[j - 1]:
            first -= 1
        if _preposition(S, first, lex) is None:  # "des technologies de l'IA, considérant": no subject
            return [S.ent[j - 1]], negated
    if S.toks[j].pos in ("NOUN", "ADJ", "PROPN"):
        head = _titled_head(S, j, lex)
        if head:
            return [head], negated
    h = _head_noun(S, j)
    if S.known.regulator and h > 0 and S.noun(h) and S.forms[h] & lex.regulator_nouns and S.forms[h - 1] & lex.definite:
        return [S.known.regulator], negated  # "le régulateur britannique": the one regulator the article names
    if S.forms[j] & lex.company_nouns and j > 0 and S.forms[j - 1] & lex.definite \
            and "Number=Plur" not in S.toks[j].morph and _preposition(S, j - 1, lex) is None:
        # "the company “recognises …”": the organisation speaking the quote around the cue,
        # else the one named before it in the sentence, else the one the previous sentences are about
        org = _quote_speaker(S.spoken, S.toks[i].start) if S.spoken else None
        before = [e for e in S.ent[:j - 1] if e is not None and S.idx.etype(e) == "ORG"]
        if org is None or S.idx.etype(org) != "ORG":
            org = before[-1] if before else coref_topic(S.idx, S.k, {"ORG"})
        return ([org] if org else []), negated
    if S.toks[j].text == ",":
        # "Jensen Huang, the chief executive of Nvidia, argued": skip the apposition
        # or a relative clause ("Pfizer, which owns 32% of the business, backed")
        c = j - 1
        while c > max(0, j - 16) and S.toks[c].text not in _PUNCT_BOUNDARY and not (
                S.toks[c].pos in ("VERB", "AUX") and "VerbForm=Fin" in S.toks[c].morph
                and not _relative_before(S, c, lex)):
            c -= 1
        if c > 0 and c < j - 1 and S.toks[c].text == "," and S.ent[c - 1] is not None \
                and S.idx.etype(S.ent[c - 1]) in HOLDER_TYPES:
            return [S.ent[c - 1]], negated
    return [], negated


def _relative_before(S: _Sentence, c: int, lex: Lexicon) -> bool:
    """A relative pronoun opens the clause of the verb at token c (", which owns")."""
    n = c - 1
    while n > 0 and S.toks[n].pos in ("ADV", "AUX", "PART"):
        n -= 1
    return n > 0 and bool(S.forms[n] & lex.relative) and S.toks[n - 1].text == ","


def _head_noun(S: _Sentence, j: int) -> int:
    """The noun a phrase ending at token j ends on, its adjectives after it skipped."""
    while j > 1 and S.toks[j].pos == "ADJ":
        j -= 1
    return j


def _opens(S: _Sentence, j: int, i: int) -> bool:
    """Token j is the quotation mark opening a partial quote at the cue i
    ("the company “recognises that …”"): no space after it, one before."""
    return j == i - 1 and S.toks[j].text in _OPEN_QUOTES and S.toks[j].end == S.toks[i].start \
        and (j == 0 or S.toks[j - 1].end < S.toks[j].start)


def _title_ending(S: _Sentence, k: int, lex: Lexicon) -> int | None:
    """Where a head's title ending at token k starts ("PDG", "chief executive"), or None."""
    return next((k - n + 1 for n in (3, 2, 1) if k - n + 1 >= 0
                 and tuple(fold(S.toks[x].text) for x in range(k - n + 1, k + 1)) in lex.head_titles), None)


def _titled_head(S: _Sentence, j: int, lex: Lexicon) -> str | None:
    """A subject naming a head by title and an unnamed organisation, the one
    head the article names: "Le PDG de la firme américaine", "the company's
    chief executive" (the person of the article's one head_of relation)."""
    k = j
    while k > 0 and S.toks[k].pos == "ADJ":
        k -= 1
    start = None
    if S.forms[k] & lex.org_nouns:  # "le PDG de la firme (américaine)"
        k -= 1 if k > 0 and S.toks[k - 1].pos == "DET" else 0
        if k > 1 and S.forms[k - 1] & lex.of_words:
            start = _title_ending(S, k - 2, lex)
    else:  # "the company's chief executive"
        t0 = _title_ending(S, j, lex)
        if t0 is not None and t0 > 1 and S.forms[t0 - 1] & lex.genitive and S.forms[t0 - 2] & lex.org_nouns:
            start = t0 - 2
    if start is None or start > 1 or (start == 1 and S.toks[0].pos != "DET"):
        return None  # the title must open the subject
    return S.known.head


def _participle(t: Token) -> bool:
    """A gerund or present participle ("being", "estimant")."""
    return "VerbForm=Ger" in t.morph or ("VerbForm=Part" in t.morph and "Tense=Pres" in t.morph)


def _preposition(S: _Sentence, first: int, lex: Lexicon) -> int | None:
    """The preposition governing the name starting at token ``first``
    ("selon Musk", "de l'IA", "de la société Mistral AI"), determiners and
    an organisation noun skipped, or None."""
    p = first - 1
    while p >= 0 and (S.toks[p].pos == "DET" or (p == first - 1 and S.forms[p] & lex.org_nouns)):
        p -= 1
    return p if p >= 0 and S.toks[p].pos == "ADP" else None


def _board_of(S: _Sentence, p: int, lex: Lexicon) -> bool:
    """The preposition at token p joins a governing body to its organisation
    ("the board of X", "le conseil d'administration de X"): X holds the position."""
    return bool(p > 0 and S.forms[p] & lex.of_words and S.forms[p - 1] & lex.body_nouns and S.toks[p - 1].pos == "NOUN")


def _glossed(S: _Sentence, o: int, c: int) -> list[str]:
    """The one entity named inside the parentheses (o, c) that gloss a
    description opening the sentence: "L'autorité britannique de la
    concurrence (Competition and Markets Authority, CMA) a bloqué"."""
    if o <= 0 or S.toks[0].pos == "ADP" or any(S.toks[n].pos in ("VERB", "AUX") for n in range(o)):
        return []
    inside = {S.ent[n] for n in range(o + 1, c) if S.ent[n] is not None}
    eid = inside.pop() if len(inside) == 1 else None
    return [eid] if eid and S.idx.etype(eid) in HOLDER_TYPES else []


def _pronoun(S: _Sentence, j: int, lex: Lexicon) -> str | None:
    """The holder a subject pronoun at token j stands for: a person as
    ``resolve_pronoun`` reads it, else (``it``, ``they``, ``elle``) the one
    subject, person or organisation, before it in the sentence."""
    if S.forms[j] & lex.we:
        # "nous avons confiance en notre dossier", inside a quote: its speaker
        return _quote_speaker(S.spoken, S.toks[j].start)
    eid = resolve_pronoun(S.idx, S.k, S.toks[j].start) if S.forms[j] & lex.pronouns else None
    if eid is None and S.forms[j] & lex.org_pronouns:
        subj = subjects(S.idx, S.s, HOLDER_TYPES, before=S.toks[j].start)
        eid = subj[-1] if len(subj) == 1 else None
    return eid


def _passive(S: _Sentence, i: int, e: int, lex: Lexicon) -> tuple[list[str], str] | None:
    """(holders, topic) of a cue verb in the passive with its agent: "the merger
    was criticised by Nintendo", "l'annonce a été saluée par la Commission":
    the agent holds the position on the passive subject (or the noun the
    participle qualifies); None when the cue is not so built."""
    t = S.toks[i]
    if not ("VerbForm=Part" in t.morph and "Tense=Past" in t.morph) or e >= len(S.toks) \
            or not S.forms[e] & lex.by_words:
        return None
    # the agent's name, maybe after its board ("par le conseil d'administration de X")
    stop = next((n for n in range(e + 1, min(e + 8, len(S.toks))) if S.toks[n].text in _PUNCT_BOUNDARY
                 or S.toks[n].pos in ("VERB", "AUX")), min(e + 8, len(S.toks)))
    agent = next((S.ent[n] for n in range(e + 1, stop) if S.ent[n] is not None), None)
    if agent is None or S.idx.etype(agent) not in HOLDER_TYPES or _negated(S, max(0, i - 3), i, lex):
        return None
    lo = S.s.first
    kids = [c - lo for c in S.idx.children[t.i] if lo <= c < S.s.last]
    subj = next((c for c in kids if S.toks[c].dep in _PASSIVE[2:]), None)
    if subj is None and t.dep in ("acl", "amod") and lo <= t.head < S.s.last and t.head < t.i:
        subj = t.head - lo  # "une annonce saluée par …"
    if subj is None or not (S.noun(subj) or S.ent[subj]):
        return None
    a = subj
    while a > 0 and (S.toks[a - 1].pos == "ADJ" or S.toks[a - 1].dep == "compound"
                     or (S.ent[subj] is not None and S.ent[a - 1] == S.ent[subj])):
        a -= 1
    return [agent], S.text(a, max(_np(S, subj, lex)[1], subj + 1))


def _passive_voice(S: _Sentence, i: int) -> bool:
    """The verb at token i has a passive auxiliary or subject."""
    lo, hi = S.s.first, S.s.last
    return any(S.idx.doc.tokens[c].dep in _PASSIVE for c in S.idx.children[S.toks[i].i] if lo <= c < hi)


def _quoted_we(S: _Sentence, i: int, lex: Lexicon) -> list[str]:
    """Inside a quote, a sentence whose subject is "we" or holds it ("All of
    us at Reliance are humbled by the opportunity to welcome Facebook"): the
    quote's speaker holds the position of the cue at token i."""
    speaker = _quote_speaker(S.spoken, S.toks[i].start) if S.spoken else None
    if speaker is None:
        return []
    toks, lo, hi = S.idx.doc.tokens, S.s.first, S.s.last

    def up(t: Token, steps: int):  # t and its heads within the sentence
        for _ in range(steps):
            yield t
            if t.head == t.i or not lo <= t.head < hi:
                break
            t = toks[t.head]

    # the clause whose subject it is governs the cue ("humbled by the opportunity to welcome")
    governing = {t.i for t in up(S.toks[i], 4)}
    for n in range(i):
        if S.forms[n] & lex.we:
            # "us" -> "of" -> "All", the subject
            subj = next((t for t in up(S.toks[n], 3) if t.dep.startswith("nsubj")), None)
            if subj is not None and subj.head in governing:
                return [speaker]
    return []


def _spoken(doc: Doc) -> list[tuple[int, int, str]]:
    """(start, end, speaker) of the direct and partial quotes with a named
    holder, sorted: read once per article."""
    return sorted((q.start, q.end, q.speaker) for q in getattr(doc, "quotes", None) or ()
                  if q.kind != "indirect" and q.speaker and doc.index.etype(q.speaker) in HOLDER_TYPES)


def _quote_speaker(spoken: list[tuple[int, int, str]], offset: int) -> str | None:
    """The speaker of the quote of ``spoken`` holding ``offset`` (direct and
    partial quotes do not nest: the latest one starting before it)."""
    k = bisect_right(spoken, (offset, float("inf"), "")) - 1
    return spoken[k][2] if k >= 0 and spoken[k][0] <= offset < spoken[k][1] else None


def _governing_subject(S: _Sentence, i: int, lex: Lexicon) -> tuple[list[str], bool]:
    """The subject of a cue verb parsed apart from its subject: its own
    (``the CMA (…) in the UK voted to block``: the subject of the verb it
    completes), climbing from a verb complement or a coordinated verb
    (``has moved to block``, ``plans to appeal``); and whether a verb on
    the way is negated."""
    tokens, children = S.idx.doc.tokens, S.idx.children
    lo, hi = S.s.first, S.s.last
    cur = S.toks[i].i
    if S.toks[i].pos != "VERB":
        return [], False
    for _ in range(4):
        kids = [c for c in children[cur] if lo <= c < hi]
        if any(S.forms[c - lo] & lex.negations for c in kids):
            return [], True
        subj = next((c for c in kids if tokens[c].dep == "nsubj"), None)
        if subj is not None:
            eid = S.ent[subj - lo]
            if eid is None:  # a subject pronoun (None for any other word)
                eid = _pronoun(S, subj - lo, lex)
            return ([eid] if eid and S.idx.etype(eid) in HOLDER_TYPES else []), False
        t = tokens[cur]
        if t.head == cur or not lo <= t.head < hi:
            return [], False
        head = tokens[t.head]
        if t.dep in ("xcomp", "conj"):
            cur = t.head
        elif t.dep == "advcl" and ("VerbForm=Inf" in t.morph or _participle(t)):
            # "intensifie ses efforts pour empêcher": a purpose shares the subject, and
            # so does a participle ("a rejeté l'offre, estimant que …", "said …, warning that")
            cur = t.head
        elif _participle(t) and t.dep in ("amod", "acl") and cur > lo and tokens[cur - 1].text == "," \
                and lo <= head.head < hi:
            cur = head.head  # "a examiné l'offre, jugeant que …": a detached participle, read as the object's
        elif t.dep in ("acl", "relcl") and head.pos == "NOUN" and head.dep in ("obj", "dobj", "attr") \
                and lo <= head.head < hi and "VerbForm=Inf" in t.morph:
            # "stepped up its efforts to block": through the effort to its verb;
            # "was the first CEO to acknowledge": through the predicate to its subject
            cur = head.head
        else:
            return [], False
    return [], False


# ------------------------------------------------------------------- topic


def _np(S: _Sentence, j: int, lex: Lexicon, hi: int | None = None) -> tuple[int, int]:
    """The noun phrase starting at token j (determiners skipped): adjectives,
    nouns, names and up to two ``de``/``of`` complements."""
    hi = len(S.toks) if hi is None else hi
    while j < hi and (S.toks[j].pos == "DET" or S.toks[j].text in _OPEN_QUOTES):
        j += 1
    a = b = j
    complements = 0
    while b < hi:
        t, fm = S.toks[b], S.forms[b]
        if S.nominal(b) or (t.pos == "ADV" and fm & lex.intensifiers) or (t.pos == "PART" and fold(t.text) in lex.genitive) \
                or (t.pos == "SYM" and b + 1 < hi and S.toks[b + 1].pos == "NUM") \
                or (t.pos == "VERB" and t.dep == "amod" and b + 1 < hi and S.nominal(b + 1)):
            # "the $69 billion deal", "the failed bid"
            b += 1
            continue
        if complements < 2 and (fm & lex.of_words or fm & lex.by_words) and b > a and b + 1 < hi:
            c = b + 1
            while c < hi and S.toks[c].pos == "DET":
                c += 1
            by = not (fm & lex.of_words)
            ok = S.ent[c] is not None if by else c < hi and S.nominal(c) and (
                S.toks[c].pos != "ADJ" or (c + 1 < hi and S.nominal(c + 1)))
            if c < hi and ok:
                complements += 1
                b = c
                continue
        break
    while b > a and S.toks[b - 1].pos in ("ADV", "PART", "ADP", "DET"):
        b -= 1
    return a, b


def _widen(S: _Sentence, a: int, b: int, lex: Lexicon) -> str | None:
    """An anaphoric phrase (``une telle transformation``): the matching phrase
    of the nearest previous sentence that has one."""
    heads = [S.toks[n] for n in range(a, b) if S.toks[n].pos == "NOUN"]
    if not heads:
        return None
    stem = fold(heads[-1].lemma or heads[-1].text)
    stem = stem[: max(5, min(len(stem), 6))]
    idx = S.idx
    for k in range(S.k - 1, max(-1, S.k - 4), -1):
        if idx.sentences[k].heading:
            continue
        P = _Sentence(idx, k)
        for n, t in enumerate(P.toks):
            if t.pos in ("NOUN", "VERB") and any(f.startswith(stem) for f in P.forms[n]):
                if t.pos == "NOUN":  # the noun phrase: "taxe sur les superprofits"
                    a2 = n
                    while a2 > 0 and P.toks[a2 - 1].pos == "ADJ":
                        a2 -= 1
                    return P.text(a2, max(_np(P, n, lex)[1], n + 1))
                e = n + 1
                while e < len(P.toks) and e - n < _MAX_TOPIC_TOKENS and P.toks[e].text not in _PUNCT_BOUNDARY \
                        and not (P.forms[e] & lex.boundaries):
                    e += 1
                return P.text(n, e)
    return None


def _join_of(lex: Lexicon, head: str, tail: str) -> str:
    s = f"{head} {lex.of} {tail}"
    low = fold(s)
    for a, b in lex.contractions.items():
        pos = low.find(fold(a))
        if pos >= 0:
            s = s[:pos] + b + s[pos + len(a):]
            break
    return s


def _clause_end(S: _Sentence, j: int, lex: Lexicon) -> int:
    # quotation marks do not end a clause: "the deal would “undermine” competition"
    e = j
    while e < len(S.toks) and S.toks[e].text not in _CLAUSE_BOUNDARY and not (
            S.forms[e] & lex.boundaries and S.toks[e].pos in ("ADP", "SCONJ", "CCONJ", "ADV")):
        e += 1
    if e < len(S.toks) and S.toks[e].text == "," and not any(S.toks[n].pos in ("VERB", "AUX") for n in range(j, e)):
        # "the latest offer, worth £40bn, was …": a verbless aside inside the subject
        c = next((n for n in range(e + 1, min(e + 10, len(S.toks))) if S.toks[n].text in _CLAUSE_BOUNDARY), None)
        if c is not None and S.toks[c].text == "," and not any(
                "VerbForm=Fin" in S.toks[n].morph for n in range(e + 1, c)):
            return _clause_end(S, c + 1, lex)
    return e


def _negated(S: _Sentence, a: int, b: int, lex: Lexicon) -> bool:
    """A negation among tokens [a, b); a French "ne" only with its second
    word ("craint que la fusion ne nuise": an expletive "ne", no negation)."""
    words = [n for n in range(a, b) if S.forms[n] & lex.negations and S.toks[n].pos != "ADP"]
    if not lex.completers:
        return bool(words)
    return any(not (S.forms[n] & lex.expletive) or any(S.forms[m] & lex.completers for m in range(n + 1, min(b, n + 4)))
               for n in words)


def _clausal(S: _Sentence, j: int, lex: Lexicon) -> tuple[str, str] | None:
    """(polarity, topic) from the complement clause starting at token j."""
    if j < len(S.toks) and S.forms[j] & lex.complementizers:
        j += 1
    end = _clause_end(S, j, lex)
    if end <= j:
        return None
    negated = _negated(S, j, end, lex)
    inner = {}
    for i, e, c in S.find(lex.inner, lex, j, end):
        inner.setdefault(c.kind, (i, e))
    harm, good = inner.get("negative"), inner.get("positive")
    if "dismiss" in inner:  # "said the allegations were without merit": its own negation is no denial
        i, e = inner["dismiss"]
        topic = _claim(S, j, i, lex)
        return ("oppose", topic) if topic and not _negated(S, j, i, lex) else None
    if "allayed" in inner:  # "said its concerns had been addressed": it no longer opposes the deal
        topic = None if negated else _deal_topic(S, inner["allayed"][0], lex)
        return ("support", topic) if topic else None
    # the modal of the clause's own verb, its first finite one ("the EU must adopt"; not "she's
    # been through more than any woman should bear")
    modal = next((n for n in range(j, end) if S.toks[n].pos in ("VERB", "AUX")
                  and (S.forms[n] & lex.modal or "VerbForm=Fin" in S.toks[n].morph)), None)
    if modal is not None and not S.forms[modal] & lex.modal:
        modal = None
    if harm is not None:
        topic = None if negated else _subject(S, j, harm[0], lex)
        if topic is None and not negated and S.forms[j] & lex.org_pronouns:
            topic = _deal_topic(S, j, lex)  # "l'offre …, estimant qu'elle sous-évaluait": the deal before
        return ("oppose", topic) if topic else None
    if modal is None and good is None:
        # "said the bid was a distraction", "estime que l'offre est insuffisante"
        cop = next((n for n in range(j + 1, end) if S.forms[n] & lex.copulas and S.toks[n].pos == "AUX"), None)
        polarity = None if cop is None or negated else _label(S, cop + 1, end, lex)
        topic = _subject(S, j, cop, lex) if polarity else None
        return (polarity, topic) if topic else None  # type: ignore[return-value]
    if modal is not None or good is not None:
        pivot = modal if modal is not None else good[0]  # type: ignore[index]
        polarity = "oppose" if negated else "support"
        sa, sb = _np(S, j, lex, pivot)
        subject = S.text(j, sb) if sb > sa else ""
        if good is not None and modal is None:
            if sb <= sa and any(S.ent[n] for n in range(j, pivot)):
                sa, sb = j, pivot  # "securing Activision was incredible": a gerund's clause is the topic
                while sb > sa and S.toks[sb - 1].pos in ("AUX", "PUNCT"):
                    sb -= 1
            return (polarity, S.text(sa, sb)) if sb > sa else None
        issue = next((n for n in range(pivot + 1, end) if S.noun(n) and S.forms[n] & lex.issue_nouns), None)
        if issue is None:
            return polarity, S.text(j, min(end, j + _MAX_TOPIC_TOKENS))
        a = issue
        while a > pivot + 1 and S.toks[a - 1].pos == "ADJ":
            a -= 1
        _, b = _np(S, issue, lex, end)
        topic = S.text(a, max(b, issue + 1))
        # "l'IA doit être soumise à des régulations": the subject undergoes
        # the issue, so it belongs in the topic ("régulations strictes de l'IA")
        passive = any(S.toks[n].pos == "AUX" or "Voice=Pass" in S.toks[n].morph for n in range(pivot + 1, a))
        if subject and passive and fold(subject) not in fold(topic):
            topic = _join_of(lex, topic, subject)
        return polarity, topic
    return None


def _subject(S: _Sentence, j: int, pivot: int, lex: Lexicon) -> str | None:
    """The noun phrase from token j up to the judgement at ``pivot``, widened
    when anaphoric ("une telle privatisation"); None without a noun."""
    a, b = _np(S, j, lex, pivot)
    if not S.has_noun(a, b):
        return None
    topic = S.text(a, b)
    if any(S.forms[n] & lex.anaphoric for n in range(j, b)):
        topic = _widen(S, a, b, lex) or topic
    return topic


def _label(S: _Sentence, n: int, end: int, lex: Lexicon) -> str | None:
    """The polarity of a label or predicate starting at token n: the words of
    the noun phrase there ("a costly mistake", "a “near death experience”",
    "insuffisante"), none negated, naming a fault or a merit (and not both)."""
    bad = good = False
    words = 0
    while n < end and words < 4:
        t, fm = S.toks[n], S.forms[n]
        if fm & lex.negations or fm & lex.weak:  # "not a mistake", "peu attractive"
            return None
        n += 1
        if t.text in _QUOTE_MARKS or t.text == "'" or t.pos in ("DET", "ADV"):
            continue  # "d'« erreur »" is cut "d", "'", "«"
        if t.pos not in ("NOUN", "ADJ", "PROPN", "X") and t.dep not in ("amod", "compound"):
            break  # "was in a good position": a preposition, no label
        bad, good, words = bad or bool(fm & lex.label_negative), good or bool(fm & lex.label_positive), words + 1
    return "oppose" if bad and not good else "support" if good and not bad else None


def _labelled(S: _Sentence, e: int, lex: Lexicon) -> tuple[str, str] | None:
    """(polarity, topic) for "called the failed bid a mistake", "described
    the offer as derisory", "a qualifié l'offre de dérisoire": the object is
    the topic, the label after it the polarity."""
    a, b = _np(S, e, lex)
    end = _clause_end(S, b, lex)
    # the label may have been read as the object's complement ("le projet de fusion de « désastre »")
    # or as its adjective ("found the offer unattractive", "juge l'offre insuffisante")
    for m in range(a + 1, min(b, len(S.toks) - 1) + 1):
        link = bool(S.forms[m] & lex.label_links)
        after_noun = S.toks[m].pos == "ADJ" and S.noun(m - 1)
        if (m < b and not link and not after_noun) or not S.has_noun(a, m):
            continue
        polarity = _label(S, m + link, end, lex)
        if polarity:
            return polarity, S.text(a, m)
    return None


def _claim(S: _Sentence, lo: int, i: int, lex: Lexicon) -> str | None:
    """What a dismissal before token i rejects: the last claim noun of [lo, i)
    ("the allegation that this deal is anti-competitive doesn't align with the facts"),
    else the last deal or issue noun ("the proposal was not in the interests of shareholders")."""
    before = range(i - 1, lo - 1, -1)
    n = next((n for n in before if S.noun(n) and S.forms[n] & lex.claim_nouns), None)
    if n is None:
        n = next((n for n in before if S.noun(n) and S.forms[n] & (lex.deal_nouns | lex.issue_nouns)), None)
    return None if n is None else S.text(n, max(_np(S, n, lex)[1], n + 1))


def _deal_topic(S: _Sentence, i: int, lex: Lexicon) -> str | None:
    """The deal a holder's allayed concerns were about: the nearest deal noun
    phrase before token i, in its sentence or the three before it."""
    for k in range(S.k, max(-1, S.k - 4), -1):
        P = S if k == S.k else _Sentence(S.idx, k)
        if P.s.heading:
            continue
        for n in range((i if k == S.k else len(P.toks)) - 1, -1, -1):
            if P.noun(n) and P.forms[n] & lex.deal_nouns:
                a = n
                while a > 0 and P.toks[a - 1].pos == "ADJ":
                    a -= 1
                return P.text(a, max(_np(P, n, lex)[1], n + 1))
    return None


# -------------------------------------------------------------- not for sale


def _sale(S: _Sentence, i: int, e: int, lex: Lexicon, doc: Doc) -> tuple[str | None, str] | None:
    """(holder, topic) for ``X n'est pas à vendre`` declared by someone."""
    cue_start = S.toks[i].start
    # what is not for sale: the name (or "nous") just before
    obj_name = None
    obj_id = None
    we = False
    if i > 0:
        if S.ent[i - 1] is not None:
            obj_id = S.ent[i - 1]
            m = S.mentions[i - 1]
            obj_name = m.text if m else doc.entities[obj_id].name
        elif S.forms[i - 1] & lex.we or (S.toks[i - 1].pos == "NOUN" and S.forms[i - 1] & lex.org_nouns):
            we = True  # "nous", or "the company": the holder's organisation
    holder = None
    # a quotation the cue sits in, with a speaker
    for q in getattr(doc, "quotes", []) or []:
        if q.speaker and q.start <= cue_start < q.end and S.idx.etype(q.speaker) in HOLDER_TYPES:
            holder = q.speaker
            break
    if holder is None:
        before = range(0, i - (1 if obj_id or we else 0))
        said = any(S.toks[n].text == ":" for n in before) or any(
            c.kind == "speech" for _, _, c in S.find(lex.inner, lex, 0, max(0, i - 1)))
        if said:
            for n in before:
                if S.ent[n] is not None and S.ent[n] != obj_id and S.idx.etype(S.ent[n]) in HOLDER_TYPES:
                    holder = S.ent[n]
                    break
                if S.forms[n] & lex.pronouns:
                    holder = resolve_pronoun(S.idx, S.k, S.toks[n].start)
                    break
        else:  # "…, a déclaré Sam Altman" / "…, said Sam Altman"
            for a, b, c in S.find(lex.inner, lex, e, len(S.toks)):
                if c.kind == "speech":
                    holder = next((S.ent[n] for n in range(b, min(b + 4, len(S.toks)))
                                   if S.ent[n] and S.idx.etype(S.ent[n]) in HOLDER_TYPES), None)
                    break
    if holder is None:
        return None
    if we and obj_name is None:
        orgs = {r.object for r in doc.relations if r.subject == holder
                and r.predicate in AFFILIATIONS}
        if len(orgs) == 1:
            obj_name = doc.entities[orgs.pop()].name
        elif S.idx.etype(holder) == "ORG":
            obj_name = doc.entities[holder].name
    d = lex.d
    if not obj_name:
        return holder, d.get("sale_topic_bare", "")
    key = "sale_topic_elided" if obj_name[0] in d.get("elide_before", "") else "sale_topic"
    return holder, d.get(key, "{x}").format(x=obj_name)


# -------------------------------------------------------------- component


@component("stances", reads=("entities", "mentions", "tokens", "sentences", "quotes", "relations"), writes=("stances",))
def extract_stances(doc: Doc) -> None:
    lex = lexicon(doc.language)
    idx = doc.index
    found: dict[tuple[str, str, str], Stance] = {}
    per_sentence: set[tuple[str, str, int]] = set()
    on_deal: set[tuple[str, str, int]] = set()
    spoken = _spoken(doc)
    heads = {r.subject for r in doc.relations if FAMILY.get(r.predicate) == "head_of" and idx.etype(r.subject) == "PERSON"}
    regulators = {e.id for e in doc.entities.values() if e.type == "ORG" and
                  not lex.regulator_names.isdisjoint(re.findall(r"\w+", fold(e.name)))}
    known = _Known(spoken, heads.pop() if len(heads) == 1 else None, regulators.pop() if len(regulators) == 1 else None)
    for k, s in enumerate(idx.sentences):
        if s.heading:
            continue
        S = _Sentence(idx, k, known)
        ev = None  # the evidence, made for the sentence's first stance
        taken: set[int] = set()  # cue tokens read as the object of another cue
        for i, e, cue in S.find(lex.cues, lex):
            if i in taken:
                continue
            if cue.kind == "sale":
                got = _sale(S, i, e, lex, doc)
                if got is None:
                    continue
                holders, topic = [got[0]], got[1]
                polarity = "oppose"
            elif cue.kind.endswith("_from"):
                if any(fold(S.toks[j].text) in lex.pending for j in range(max(0, i - 3), i)):
                    continue  # "still needs approval from X", "sous réserve de l'aval de X": not given yet
                holders, topic = _from_holders(S, i, e, lex)
                polarity = cue.kind[: -len("_from")]
            elif S.toks[i].dep == "amod" and S.toks[i].head > S.toks[i].i:
                continue  # "a supporting cast": an adjective before its noun, no position
            elif cue.kind in ("support", "oppose") and (got := _passive(S, i, e, lex)) is not None:
                holders, topic = got
                polarity = cue.kind
            elif cue.kind in ("support", "oppose") and _passive_voice(S, i):
                continue  # "it's going to be fought all the way": the subject undergoes, no holder
            else:
                holders, negated = _holder(S, i, lex)
                if not holders and not negated:
                    holders, negated = _governing_subject(S, i, lex)
                if not holders and not negated:
                    holders = _quoted_we(S, i, lex)
                if not holders or negated:
                    continue
                if cue.kind in ("clausal", "label"):
                    got2 = (_clausal if cue.kind == "clausal" else _labelled)(S, e, lex)
                    if got2 is None:
                        continue
                    polarity, topic = got2
                else:
                    if e < len(S.toks) and S.forms[e] & lex.complementizers:
                        continue  # "soutenir que": a clausal use, read by its own cue
                    a, b = _np(S, e, lex)
                    polarity = cue.kind
                    if b <= a and e < len(S.toks) and S.toks[e].pos == "VERB":
                        # "called for blocking the merger", "appelle à rejeter l'offre": supporting
                        # an act of support or opposition takes its side on its object
                        inner = next((c for c in S.find(lex.cues, lex, e, e + 1) if c[2].kind in _OTHER), None)
                        if inner is not None:
                            taken.add(e)  # the act is read here, not as a position of its own
                        if inner is not None and cue.kind != "support":
                            continue  # "opposes blocking …": no clear side
                        if inner is not None:
                            e, polarity = inner[1], inner[2].kind
                            a, b = _np(S, e, lex)
                        else:
                            # "appeler à réguler l'IA", "committed to helping with the transition"
                            after = e + 1 + (e + 1 < len(S.toks) and S.toks[e + 1].pos == "ADP")
                            nb = _np(S, after, lex)[1]
                            a, b = e, nb if nb > after else e + 1
                    if b <= a:
                        continue
                    topic = S.text(a, b)
                    if any(S.forms[n] & lex.anaphoric for n in range(e, a + 1)):
                        topic = _widen(S, a, b, lex) or topic  # "cette taxe"
            for holder in holders:
                if not holder or not topic or (holder, polarity, k) in per_sentence:
                    continue
                key = (holder, polarity, _topic_key(topic, lex))
                # "said its concerns had been addressed, after it blocked the original bid":
                # one position on the deal per sentence, the first read (the main clause's)
                if key in found or (key[2] == _DEAL and (holder, _OTHER[polarity], k) in on_deal):
                    continue
                if key[2] == _DEAL:
                    on_deal.add((holder, polarity, k))
                per_sentence.add((holder, polarity, k))
                if ev is None:
                    ev = idx.span(s)
                found[key] = Stance(holder, topic, polarity, ev)
    for holder, polarity, topic, k in _quoted_judgements(doc, lex):
        key = (holder, polarity, _topic_key(topic, lex))
        if key not in found and (holder, polarity, k) not in per_sentence:
            per_sentence.add((holder, polarity, k))
            found[key] = Stance(holder, topic, polarity, idx.span(idx.sentences[k]))
    doc.stances = list(found.values())


def _topic_key(topic: str, lex: Lexicon) -> str:
    """A topic as stances are told apart: within one article "the $69 billion
    deal", "l'opération" and "le rachat d'Activision" are the one deal it reports,
    so a deal noun before any complement stands for all of them."""
    for w in re.findall(r"[\w-]+", fold(topic)):
        if w in lex.deal_nouns:
            return _DEAL
        if w in lex.of_words or w in lex.by_words or w + "'" in lex.of_words:
            break
    return fold(topic)


def _from_holders(S: _Sentence, i: int, e: int, lex: Lexicon) -> tuple[list[str], str]:
    """"concerns from rivals such as Sony", "l'approbation de l'Union
    européenne": the position's holders follow the noun that states it (the
    named actors up to the phrase's end); the topic is what the sentence's
    subject does, or failing that the noun itself."""
    holders: list[str] = []
    for j in range(e, min(e + 10, len(S.toks))):
        t = S.toks[j]
        if t.pos in ("VERB", "AUX") or (holders and t.text in _PUNCT_BOUNDARY):
            break
        eid = S.ent[j]
        if eid is not None and S.idx.etype(eid) in HOLDER_TYPES and eid not in holders:
            holders.append(eid)
    if any(S.forms[n] & lex.negations for n in range(max(0, i - 3), i)):
        return [], ""
    # what is approved or feared: the subject's name before the cue, else the cue's noun
    before = [S.ent[j] for j in range(i) if S.ent[j] is not None and S.ent[j] not in holders]
    topic = S.idx.doc.entities[before[0]].name if len(set(before)) == 1 else S.text(i, max(i + 1, e - 1))
    return holders, topic


def _quoted_judgements(doc: Doc, lex: Lexicon):
    """A speaker's quoted judgement of an issue: ``"this deal would undermine
    competitors", said X`` opposes the deal, ``"the merger is essential"``
    supports it: (holder, polarity, topic, sentence) for each quote with a
    named speaker whose words put an issue noun before a harm (or good) cue,
    none negated."""
    idx = doc.index
    starts = [s.start for s in idx.sentences]
    for q in getattr(doc, "quotes", []) or []:
        if not q.speaker or idx.etype(q.speaker) not in HOLDER_TYPES or q.kind == "indirect":
            continue
        # the sentences the quote overlaps, from the one it starts in
        for k in range(max(0, bisect_right(starts, q.start) - 1), bisect_left(starts, q.end)):
            s = idx.sentences[k]
            if s.end <= q.start or s.heading:
                continue
            S = _Sentence(idx, k)
            lo = next((n for n, t in enumerate(S.toks) if t.start >= q.start), len(S.toks))
            hi = next((n for n, t in enumerate(S.toks) if t.end > q.end), len(S.toks))
            got = _judgement(S, lo, hi, lex)
            if got is not None:
                yield q.speaker, got[0], got[1], k


def _judgement(S: _Sentence, lo: int, hi: int, lex: Lexicon) -> tuple[str, str] | None:
    """(polarity, topic) of the first judgement among quoted tokens [lo, hi):
    a claim dismissed, an issue noun before a harm or good cue, or before a
    copula and a label ("this deal is a mistake")."""
    for i, e, cue in S.find(lex.inner, lex, lo, hi):
        if cue.kind == "dismiss":
            topic = _claim(S, lo, i, lex)
            if topic and not _negated(S, lo, i, lex):
                return "oppose", topic
        if cue.kind not in ("negative", "positive"):
            continue
        issue = next((n for n in range(i - 1, lo - 1, -1)
                      if S.noun(n) and S.forms[n] & lex.issue_nouns), None)
        if issue is None or any(S.forms[n] & lex.negations for n in range(issue, min(e + 2, hi))):
            continue
        return "oppose" if cue.kind == "negative" else "support", _issue_topic(S, lo, issue, lex)
    for n in range(lo + 1, hi):
        issue = n - 1
        if S.forms[n] & lex.copulas and S.toks[n].pos == "AUX" and S.noun(issue) \
                and S.forms[issue] & (lex.issue_nouns | lex.deal_nouns):
            polarity = _label(S, n + 1, min(hi, _clause_end(S, n + 1, lex)), lex)
            if polarity:
                return polarity, _issue_topic(S, lo, issue, lex)
    return None


def _issue_topic(S: _Sentence, lo: int, issue: int, lex: Lexicon) -> str:
    """The issue noun at token ``issue``, widened when anaphoric ("this deal")."""
    topic = S.text(issue, issue + 1)
    if issue > lo and S.forms[issue - 1] & lex.anaphoric:
        topic = _widen(S, issue, issue + 1, lex) or topic
    return topic
