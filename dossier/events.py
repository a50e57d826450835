"""Events: what happened or is planned, with roles, modality, amount and date.

Triggers come from the language's ``events.json``: lemmas (verbs and nouns,
optionally needing a nearby word, ``lever`` + ``fonds``) and a few phrases
(``non merci`` in a quotation, ``n'est pas à vendre``). Within a sentence,
triggers are composed: an acquisition word under an offer word (``offre de
rachat``, ``proposé de racheter``, ``offer to buy``) is one acquisition offer;
an offer word under a rejection word is the offer being rejected.

Roles come from the dependency parse: subject, passive agent (``par``/``by``),
object, ``de``/``of``/possessive complements of nominal triggers, the subject
of a light verb (``faire une offre``), control (``envisage de lever`` → the
subject of ``envisage``), relative pronouns (``Sam Altman, qui explorait``),
``un consortium dirigé par X`` (X when the consortium is not an entity), the
speaker for first-person pronouns inside a quotation, and other pronouns
resolved only when one entity of a compatible type is the obvious antecedent.

Amounts and dates attach to an event when the parse links them to the trigger
(or to its clause), so ``offre … de 97,4 milliards`` and ``La proposition, qui
s'élève à 97,4 milliards`` both work and a sentence with two amounts gives each
to its own event.

Finally one event per happening: mentions of the same type with compatible
roles are merged (headline, lead and later ``cette offre`` are one offer);
mentions with no role of their own only join an existing event; an uncertain
acquisition by the bidder of the target joins the offer; rejections of the
same offer are one rejection.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

from .coref import main_org
from .lang import load
from .model import Doc, Event, Mention, Span, Token, fold, fold_same_length
from .pipeline import component
from .vocab import AMOUNT_TYPES  # event types that take an amount
from .vocab import TITLE_PREDICATES

_SUBJ = ("nsubj", "csubj")
_SUBJ_PASS = ("nsubj:pass", "nsubjpass", "csubj:pass", "csubjpass")
_OBJ = ("obj", "dobj")
_CLIMB = 3  # how far up the parse a composition or an attachment may look
_ATTACH = 5
_QUOTE_MARKS = {"“": "”", "«": "»", "„": "“", '"': '"'}
_QUOTE_OPEN = re.compile("[" + "".join(_QUOTE_MARKS) + "]")
_MAX_QUOTE = 2000


@lru_cache(maxsize=1024)  # dependency labels are a small set, asked for over and over
def _base(dep: str) -> str:
    return dep.split(":")[0]


@dataclass(frozen=True)
class Trigger:
    type: str  # an event type, or 'offer' (an offer marker)
    pos: frozenset[str]
    with_: tuple[str, ...]  # folded words, one of which must be near
    of: str  # role of a 'de'/'of' complement of a nominal trigger
    needs_acquisition: bool = False
    obj_entity: bool = False
    obj_type: frozenset[str] = frozenset()
    of_type: frozenset[str] = frozenset()
    with_amount: bool = False
    blocks: bool = False  # stops a deal (a regulator's block): the deal's parties are the target
    # a sale: the buyer, named after one of these prepositions, is the agent;
    # the seller (a sale verb's subject) is the target when what it sells is no entity
    buyer: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Phrase:
    type: str
    pattern: re.Pattern
    quote: bool


class Lexicon:
    """Compiled event knowledge for one language (from ``lang/<code>/events.json``)."""

    def __init__(self, lang: str):
        d = load(lang, "events")
        self.triggers: dict[str, list[Trigger]] = {}
        for t in d.get("triggers", []):
            trig = Trigger(
                t["type"], frozenset(t.get("pos", [])), tuple(fold(w) for w in t.get("with", [])),
                t.get("of", "auto"), bool(t.get("needs_acquisition")), bool(t.get("obj_entity")),
                frozenset(t.get("obj_type", [])), frozenset(t.get("of_type", [])), bool(t.get("with_amount")),
                bool(t.get("blocks")), frozenset(fold(w) for w in t.get("buyer", [])),
            )
            for lemma in t["lemmas"]:
                self.triggers.setdefault(fold(lemma), []).append(trig)
        for ts in self.triggers.values():  # the more specific reading first: "buy" + "stake" before "buy"
            ts.sort(key=lambda t: not t.with_)
        self.phrases = [Phrase(p["type"], re.compile(p["pattern"], re.I), bool(p.get("quote")))
                        for p in d.get("phrases", [])]
        # one search for any phrase rules a sentence out (the patterns use no group numbers)
        self.any_phrase = re.compile("|".join(f"(?:{p.pattern.pattern})" for p in self.phrases), re.I)
        f = lambda key: frozenset(fold(w) for w in d.get(key, []))  # noqa: E731
        self.light_verbs = f("light_verbs")
        self.led_by = f("led_by")
        self.agent_preps = f("agent_preps")
        self.of_preps = f("of_preps")
        self.place_preps = f("place_preps")
        self.object_of = f("object_of")
        self.target_preps = {k: frozenset(fold(w) for w in v) for k, v in d.get("target_preps", {}).items()}
        # "three offers from Unilever": a preposition that brings the agent of some types only
        self.type_agent_preps = {k: frozenset(fold(w) for w in v) for k, v in d.get("type_agent_preps", {}).items()}
        m = d.get("modality", {})
        g = lambda key: frozenset(fold(w) for w in m.get(key, []))  # noqa: E731
        self.planned, self.possible = g("planned"), g("possible")
        self.possible_adj, self.planned_adj, self.reported_adj = g("possible_adj"), g("planned_adj"), g("reported_adj")
        self.reported, self.negation, self.purpose = g("reported"), g("negation"), g("purpose")
        self.conditional, self.future_aux = g("conditional"), g("future_aux")
        self.addressee = f("addressee")
        self.first_person = f("first_person")
        self.pronouns = {fold(k): frozenset(v) for k, v in d.get("pronouns", {}).items()}
        self.generic_nouns = {fold(k): v for k, v in d.get("generic_nouns", {}).items()}
        self.definite = f("definite")
        self.member_nouns = f("member_nouns")
        self.investor_preps = f("investor_preps")
        self.relative = f("relative")
        # words of a name that rule an entity out as the agent of an event type (a court never sues)
        self.not_agent = {typ: frozenset(fold(w) for w in r["words"]) for r in d.get("not_agent", []) for typ in r["types"]}
        self.succession = f("succession")
        self.name_stopwords = f("name_stopwords")
        self.needs_target = f("needs_target")
        self.plan_nouns = f("plan_nouns")

    def match(self, doc: Doc, t: Token) -> list[Trigger]:
        cands = self.triggers.get(fold(t.lemma)) or self.triggers.get(fold(t.text)) or []
        out = []
        for trig in cands:
            if trig.pos and t.pos not in trig.pos and not (t.pos == "PROPN" and "NOUN" in trig.pos):
                continue
            if trig.with_ and not self._near(doc, t, trig.with_):
                if not (trig.with_amount and any(doc.tokens[c].pos == "NUM" or doc.tokens[c].tag == "$"
                                                 for c in doc.index.descendants(t.i, 2))):
                    continue
            out.append(trig)
        return out

    @staticmethod
    def _near(doc: Doc, t: Token, words: tuple[str, ...]) -> bool:
        """One of ``words`` in the trigger's subtree (three levels) or in the eight tokens after it."""
        sent = doc.sentences[t.sent]
        idx = set(doc.index.descendants(t.i, 3))
        idx.update(range(t.i + 1, min(t.i + 9, sent.last)))
        for i in idx:
            tok = doc.tokens[i]
            if fold(tok.lemma) in words or fold(tok.text) in words:
                return True
        # multiword 'with' ("tour de table", "group of investors")
        multi = [w for w in words if " " in w]
        if multi:
            after = fold(doc.text[t.end : doc.tokens[min(t.i + 9, sent.last) - 1].end])
            return any(w in after for w in multi)
        return False


@lru_cache(maxsize=None)
def lexicon(lang: str) -> Lexicon:
    return Lexicon(lang)


def _verbal(doc: Doc, children: list[list[int]], i: int) -> bool:
    """A verb in the parse, not a noun mistagged as one (``l'offre`` read as
    the verb ``offrir``): a determiner or a preposition makes it nominal."""
    t = doc.tokens[i]
    if t.pos not in ("VERB", "AUX"):
        return False
    return not any(doc.tokens[c].dep in ("det", "case") for c in children[i])


@dataclass
class Cand:
    """One mention of an event in one sentence, before merging."""

    type: str
    tok: int  # the main trigger token
    trigger: Span
    sent: int
    heading: bool
    anchors: set[int]  # tokens amounts and dates may attach to
    agent: list[str] = field(default_factory=list)
    target: list[str] = field(default_factory=list)
    place: list[str] = field(default_factory=list)
    modality: str = "asserted"
    explicit: bool = False  # the modality comes from a cue, not the default
    flavour: str | None = None
    amount: dict[str, Any] | None = None
    amount_approx: bool = False
    amount_i: int | None = None
    time: dict[str, Any] | None = None
    # a rejection whose target is the agent of the offer it refers to
    rejects_offer: "Cand | None" = None
    rejects_unknown: bool = False
    inside_quote: bool = False
    join_only: bool = False  # an offer word alone: joins an offer, never starts one
    # stopping a deal ("blocked the merger", "sued to block the deal"): its parties are the target
    deal_target: bool = False

    @property
    def own_roles(self) -> bool:
        return bool(self.agent or self.target)


class _Ctx:
    """What events look up in one document beyond ``doc.index``: token →
    entity (names no mention covers included), quotations, prepositions."""

    def __init__(self, doc: Doc, lex: Lexicon):
        self.doc, self.lex = doc, lex
        self.ix = ix = doc.index
        self.children = ix.children
        # token -> entity id
        self.ent: dict[int, str] = {i: m.entity for i, m in enumerate(ix.token_mentions) if m is not None}
        self._by_entity: dict[str, list[Mention]] | None = None
        self._name_fallback()
        self.quotes = self._quotes()
        self.quote_starts = [q[0] for q in self.quotes]
        # asked again for the same tokens by roles, modality and place: computed once each
        self._preps: dict[int, tuple[tuple[str, int], ...]] = {}
        self._reported: dict[int, list[int]] = {}  # sentence -> tokens spelling a reporting word
        self.folded_text: str | None = None  # the text folded offset for offset, for phrases
        self._amount_toks: set[int] | None = None

    def object_tokens(self, v: int) -> list[int]:
        """The direct objects of token v as the parse gives them (entities or not)."""
        return [o for o in self.children[v] if self.doc.tokens[o].dep in _OBJ]

    def in_amount(self, i: int) -> bool:
        """Whether token i is part of an amount ("42 milliards de livres")."""
        if self._amount_toks is None:
            self._amount_toks = {t.i for a in self.doc.amounts for t in self.ix.tokens_in(a.start, a.end)}
        return i in self._amount_toks

    def noun_preps(self, i: int, offer: bool) -> list[tuple[str, int]]:
        """The complements of a nominal trigger, with those the parse hangs
        lower: on a participle modifying an offer ("trois propositions non
        sollicitées du groupe X", "the offer made by X"; not "the acquisition,
        followed by …") and after its amount ("l'offre de 42 milliards de
        livres de X")."""
        toks = self.doc.tokens
        out = list(self.preps(i))
        for c in self.children[i] if offer else ():
            # (not "led by": a group led by someone is read by the led_by rule)
            if _base(toks[c].dep) == "acl" and c > i and "VerbForm=Part" in toks[c].morph \
                    and fold(toks[c].lemma) not in self.lex.led_by:
                out += self.preps(c)
        for p, n in list(out):
            k = n
            for _ in range(2):  # the amount, then its currency
                if p not in self.lex.of_preps or not self.in_amount(k):
                    break
                after = [(q, m) for q, m in self.preps(k) if q in self.lex.of_preps and m > k]
                if not after:
                    break
                q, k = after[0]
                if not self.in_amount(k):
                    out.append((q, k))
                    break
        return out

    def _name_fallback(self) -> None:
        """Tokens spelling an entity's name or alias that no mention covers
        (elided forms in headings, ``d’OpenAI``): the entity all the same."""
        doc, toks = self.doc, self.doc.tokens
        names: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for ent in doc.entities.values():
            for form in (ent.name, *ent.aliases):
                words = tuple(form.split())
                if words:
                    names.setdefault(words[0], []).append((words, ent.id))
        if not names:
            return
        for t in [t for t in toks if t.text in names]:
            if t.i in self.ent:
                continue  # (an earlier name may have just covered it)
            for words, eid in sorted(names[t.text], key=lambda x: -len(x[0])):
                seq = toks[t.i : t.i + len(words)]
                if tuple(x.text for x in seq) == words and all(x.sent == t.sent for x in seq):
                    for x in seq:
                        self.ent.setdefault(x.i, eid)
                    break

    # ---- quotations -------------------------------------------------------
    def _quotes(self) -> list[tuple[int, int, str | None]]:
        """(start, end, speaker) of quotations: ``doc.quotes`` first, else the
        quotation marks of the text with the subject of the cue verb."""
        out = [(q.start, q.end, q.speaker) for q in self.doc.quotes if q.kind != "indirect"]
        if out:
            return sorted(out)
        text = self.doc.text
        i, n = 0, len(text)
        while i < n:
            m = _QUOTE_OPEN.search(text, i)  # jumps to the next opening mark
            if m is None:
                break
            i = m.start()
            close = _QUOTE_MARKS[m.group()]
            j = text.find(close, i + 1, min(n, i + _MAX_QUOTE))
            if j < 0:
                i += 1
                continue
            out.append((i + 1, j, None))
            i = j + 1
        return out

    def reported_in(self, si: int) -> list[int]:
        """Tokens of sentence si spelling a reporting word (``selon``, ``reportedly``)."""
        out = self._reported.get(si)
        if out is None:
            sent, reported = self.doc.sentences[si], self.lex.reported
            out = self._reported[si] = [t.i for t in self.doc.sent_tokens(sent) if fold(t.text) in reported]
        return out

    def mentions_of(self, eid: str) -> list[Mention]:
        """The mentions of one entity, in text order (grouped once per document)."""
        if self._by_entity is None:
            self._by_entity = {}
            for m in self.ix.mentions:
                self._by_entity.setdefault(m.entity, []).append(m)
        return self._by_entity.get(eid, [])

    def quote_at(self, offset: int) -> tuple[int, int, str | None] | None:
        k = bisect_right(self.quote_starts, offset) - 1
        if k >= 0 and self.quotes[k][0] <= offset < self.quotes[k][1]:
            return self.quotes[k]
        return None

    def speaker(self, offset: int) -> str | None:
        q = self.quote_at(offset)
        if q is None:
            return None
        if q[2]:
            return q[2]
        return self._cue_speaker(q[0], q[1])

    def _cue_speaker(self, qs: int, qe: int) -> str | None:
        """The subject of a verb outside the quotation in the sentences that
        open or close it (``Il a publié : “…”``, ``« … », a déclaré X``)."""
        doc = self.doc
        for pos, before in ((qs - 1, True), (qe + 1, False)):
            si = self.ix.sent_at(pos)
            if si < 0 or si >= len(doc.sentences):
                continue
            sent = doc.sentences[si]
            toks = [t for t in doc.sent_tokens(sent) if (t.end <= qs if before else t.start >= qe)]
            if not toks and before and si > 0:
                continue
            for t in reversed(toks) if before else toks:
                if t.pos in ("VERB", "AUX"):
                    for c in self.children[t.i]:
                        if _base(doc.tokens[c].dep) == "nsubj" and not (qs <= doc.tokens[c].start < qe):
                            ents = self.entities_of(c, depth=1)
                            if ents:
                                return ents[0]
        return None

    # ---- entities ----------------------------------------------------------
    def preps(self, i: int) -> tuple[tuple[str, int], ...]:
        """Prepositional dependents of token i as (folded preposition, noun):
        UD (``nmod``/``obl`` + ``case``) and ClearNLP (``prep`` + ``pobj``,
        ``agent``, ``poss``, ``compound``)."""
        out = self._preps.get(i)
        if out is None:
            out = self._preps[i] = tuple(self._find_preps(i))
        return out

    def _find_preps(self, i: int) -> list[tuple[str, int]]:
        toks, out = self.doc.tokens, []
        for c in self.children[i]:
            t = toks[c]
            b = _base(t.dep)
            case = ""
            for g in self.children[c]:
                if _base(toks[g].dep) == "case":
                    case = fold(toks[g].text)
                    break
            # nmod/obl, or a noun with a preposition that the parser hung on oddly ("pour OpenAI" as punct)
            if b in ("nmod", "obl") or (case and t.pos in ("PROPN", "NOUN") and b in ("punct", "dep", "appos", "conj")):
                if t.dep == "obl:agent" and not case:
                    case = min(self.lex.agent_preps, default="")  # an agent complement without its "par"
                out.append((case, c))
            elif t.dep == "prep" or t.dep == "dative" and t.pos == "ADP":  # "sold X to Y": a dative "to" is one
                for g in self.children[c]:
                    if toks[g].dep == "pobj":
                        out.append((fold(t.text), g))
            elif t.dep == "agent":
                for g in self.children[c]:
                    if toks[g].dep == "pobj":
                        out.append(("by", g))
            elif t.dep in ("poss", "nmod:poss") and t.pos in ("PROPN", "NOUN", "PRON"):
                out.append(("poss", c))  # "Musk's bid", "its acquisition" (the pronoun is resolved)
            elif t.dep == "compound" and t.pos in ("PROPN", "NOUN"):
                out.append(("compound", c))
        return out

    def entities_of(self, i: int, depth: int = 0) -> list[str]:
        """Entity ids a phrase headed by token i stands for (with its conjuncts)."""
        out: list[str] = []
        e = self._entity_of(i, depth, resolve=depth == 0)
        if e:
            out.append(e)
        for c in self.children[i]:
            if _base(self.doc.tokens[c].dep) == "conj" and depth < 2:
                for x in self.entities_of(c, depth + 1):
                    if x not in out:
                        out.append(x)
        return out

    def _entity_of(self, i: int, depth: int, resolve: bool = True) -> str | None:
        toks = self.doc.tokens
        if i in self.ent:
            return self.ent[i]
        t = toks[i]
        for c in self.children[i]:
            # "le groupe Vivendi", "the company, OpenAI"
            if c in self.ent and (toks[c].dep in ("flat", "flat:name", "compound", "appos", "fixed") or (
                    _base(toks[c].dep) == "nmod" and not any(_base(toks[g].dep) == "case" for g in self.children[c]))):
                return self.ent[c]
        gtype = self.lex.generic_nouns.get(fold(t.lemma)) if t.pos == "NOUN" else None
        if gtype:
            # "la biotech américaine Inhibrx", the name misparsed: the one right
            # after the noun and its adjectives, of the noun's type
            j = i + 1
            while j < len(toks) and toks[j].pos == "ADJ" and toks[j].head == i:
                j += 1
            e = self.ent.get(j)
            if e is not None and self.doc.entities[e].type == gtype and toks[j].sent == t.sent:
                return e
        low = fold(t.text)
        q = self.quote_at(t.start)
        if not resolve:
            return None  # a conjunct is named, not a pronoun to resolve
        if t.pos == "PRON" and low in self.lex.first_person and q is not None:
            return self.speaker(t.start)
        if t.pos == "PRON" and low in self.lex.pronouns and q is None:
            return self.resolve(t, self.lex.pronouns[low])
        if t.pos == "NOUN" and fold(t.lemma) in self.lex.member_nouns and depth < 2:
            # "OpenAI's board", "le conseil d'administration d'OpenAI": the organisation acts
            for p, n in self.preps(i):
                if p in self.lex.of_preps:
                    e = self._entity_of(n, depth + 1)
                    if e:
                        return e
        if t.pos == "NOUN":
            # "un consortium dirigé par Elon Musk": the leader, since the group is no entity
            for c in self.ix.descendants(i, 2):
                if fold(toks[c].lemma) in self.lex.led_by and _base(toks[c].dep) in ("acl", "amod", "relcl"):
                    for p, n in self.preps(c):
                        if p in self.lex.agent_preps and depth < 2:
                            e = self._entity_of(n, depth + 1)
                            if e:
                                return e
            return self.described(i)
        return None

    def described(self, i: int, exclude: Iterable[str] = ()) -> str | None:
        """The entity a definite description at token i stands for ("the
        company", "la société", "the publisher"), none of ``exclude``."""
        toks = self.doc.tokens
        t = toks[i]
        gtype = self.lex.generic_nouns.get(fold(t.lemma))
        if gtype and t.pos == "NOUN" and any(toks[c].dep == "det" and fold(toks[c].text) in self.lex.definite
                                             for c in self.children[i]):
            return self.resolve(t, frozenset([gtype]), exclude)
        return None

    def resolve(self, t: Token, types: frozenset[str], exclude: Iterable[str] = ()) -> str | None:
        """The antecedent of a pronoun or ``the company``: the entity of a
        compatible type in the nearest sentence (this one, before it, then up to
        three back) that has one; among several, only a lone subject wins.
        ``exclude``: entities that cannot be meant (the acquirer is not "the
        publisher" it acquires)."""
        doc = self.doc
        si = t.sent
        for back in range(4):
            s = si - back
            if s < 0:
                break
            sent = doc.sentences[s]
            if sent.heading and doc.sentences[si].block != sent.block:
                continue
            end = t.start if back == 0 else sent.end
            found: dict[str, bool] = {}
            for m in self.ix.mentions_from(sent.start, end):
                ent = doc.entities[m.entity]
                if ent.type not in types or ent.id in exclude:
                    continue
                if self.quote_at(m.start) and not self.quote_at(t.start):
                    continue
                ti = self.ix.token_at(m.start)
                found[ent.id] = found.get(ent.id, False) or (ti is not None and self._is_subject(ti))
            if not found:
                continue
            if len(found) == 1:
                return next(iter(found))
            subjects = [e for e, s_ in found.items() if s_]
            return subjects[0] if len(subjects) == 1 else None
        return None

    def _is_subject(self, i: int) -> bool:
        """A subject, part of a subject's name, or a subject's conjunct."""
        toks = self.doc.tokens
        for _ in range(3):
            t = toks[i]
            if _base(t.dep) == "nsubj":
                return True
            if t.head == i or t.dep not in ("flat", "flat:name", "compound", "conj"):
                return False
            i = t.head
        return False

    # ---- clause structure ----------------------------------------------------
    def subjects(self, v: int, depth: int = 0) -> tuple[list[str], list[str]]:
        """(agents, passive subjects) of verb v, inheriting the subject of the
        governing verb through control, coordination and purpose clauses."""
        toks = self.doc.tokens
        agents: list[str] = []
        passive: list[str] = []
        for c in self.children[v]:
            d = toks[c].dep
            if d in _SUBJ_PASS:
                passive += self._subject_ents(v, c)
            elif _base(d) in _SUBJ:
                agents += self._subject_ents(v, c)
        for p, n in self.preps(v):
            if p in self.lex.agent_preps and (passive or self._is_passive(v)):
                agents += self.entities_of(n)
        own_subject = any(_base(toks[c].dep) in _SUBJ or toks[c].dep in _SUBJ_PASS for c in self.children[v])
        if not agents and not passive and depth < _CLIMB:
            t = toks[v]
            b = _base(t.dep)
            if own_subject and b == "ccomp":
                pass  # "X said they will sue": the one who reports is not the one who acts
            elif t.head != v and b in ("xcomp", "conj", "advcl", "ccomp") and toks[t.head].pos in ("VERB", "AUX", "ADJ"):
                a, _ = self.subjects(t.head, depth + 1)
                agents += a
            elif not own_subject and (b == "ROOT" or t.head == v) and self._fronted(v):
                # "Vivendi, dont le chiffre d'affaires atteint …, a fait": the parser lost the subject
                agents.append(self._fronted(v))  # type: ignore[arg-type]
            elif t.head != v and b in ("acl", "parataxis") and toks[t.head].pos in ("NOUN", "PROPN"):
                # "une proposition rejetée par X": the noun is the passive subject;
                # "Exxon, …, offered to buy", "Elon Musk, le patron de Tesla, a fait": the noun acts
                if b == "acl" and self._is_passive(v):
                    passive += self.entities_of(t.head)
                else:
                    agents += self.entities_of(t.head)
        return _uniq(agents), _uniq(passive)

    def _fronted(self, v: int) -> str | None:
        """The entity opening the sentence, followed by a comma, before verb v."""
        toks = self.doc.tokens
        sent = self.doc.sentences[toks[v].sent]
        i = sent.first
        e = self.ent.get(i)
        if e is None:
            return None
        while i < v and self.ent.get(i) == e:
            i += 1
        return e if i < v and toks[i].text == "," else None

    def _subject_ents(self, v: int, c: int) -> list[str]:
        toks = self.doc.tokens
        s = toks[c]
        if fold(s.text) in self.lex.relative or "PronType=Rel" in s.morph:
            # relative clause: the antecedent is the noun the clause modifies
            verb = toks[v]
            if _base(verb.dep) in ("acl", "relcl") or verb.dep == "acl:relcl":
                return self.entities_of(verb.head)
            return []
        return self.entities_of(c)

    def _is_passive(self, v: int) -> bool:
        toks = self.doc.tokens
        if any(toks[c].dep in ("aux:pass", "auxpass") or toks[c].dep in _SUBJ_PASS for c in self.children[v]):
            return True
        if "VerbForm=Part" not in toks[v].morph or _base(toks[v].dep) != "acl":
            return False
        # a participle modifying a noun is passive ("l'offre rejetée par X") unless
        # it has an object and no 'par'/'by' ("Exxon, …, offered to buy Pioneer")
        if any(p in self.lex.agent_preps for p, _ in self.preps(v)):
            return True
        # an infinitive purpose counts as an object: "a group … offered to buy OpenAI" acts
        return not any(toks[c].dep in _OBJ or _base(toks[c].dep) == "xcomp" or (
            _base(toks[c].dep) == "advcl" and "VerbForm=Inf" in toks[c].morph) for c in self.children[v])

    def objects(self, v: int) -> list[str]:
        toks = self.doc.tokens
        out: list[str] = []
        for c in self.children[v]:
            d = toks[c].dep
            if d in _OBJ or (d in ("xcomp", "obl:arg", "attr") and toks[c].pos == "PROPN"):
                out += self.entities_of(c)
        return _uniq(out)


def _uniq(xs: Iterable[str]) -> list[str]:
    out: list[str] = []
    for x in xs:
        if x and x not in out:
            out.append(x)
    return out


# ---- candidates ------------------------------------------------------------------


def _find_candidates(ctx: _Ctx) -> list[Cand]:
    doc, lex = ctx.doc, ctx.lex
    triggers = lex.triggers
    # most words are no trigger: one pass over the document keeps the few that may be
    maybe = [t for t in doc.tokens if fold(t.lemma) in triggers or fold(t.text) in triggers]
    maybe_i = [t.i for t in maybe]
    cands: list[Cand] = []
    for sent in doc.sentences:
        hits: dict[int, Trigger] = {}
        for t in maybe[bisect_left(maybe_i, sent.first) : bisect_left(maybe_i, sent.last)]:
            for trig in lex.match(doc, t):
                if _conditions(ctx, t, trig):
                    hits.setdefault(t.i, trig)
                    break
        phrases = _phrases(ctx, sent.i)
        for c in phrases:  # "is not for sale": the phrase, not a sale
            for i in c.anchors:
                hits.pop(i, None)
        cands.extend(_compose(ctx, sent.i, hits))
        cands.extend(phrases)
    return cands


def _conditions(ctx: _Ctx, t: Token, trig: Trigger) -> bool:
    doc = ctx.doc
    if trig.obj_entity or trig.obj_type:
        objs = ctx.objects(t.i) or (ctx.subjects(t.i)[1] if ctx._is_passive(t.i) else [])
        if not objs:
            return False
        if trig.obj_type and not any(doc.entities[o].type in trig.obj_type for o in objs):
            return False
    if trig.of_type:
        ents = [e for p, n in ctx.preps(t.i) if p in ctx.lex.of_preps for e in ctx.entities_of(n)]
        if not any(doc.entities[e].type in trig.of_type for e in ents):
            return False
    return True


def _ancestors(ctx: _Ctx, i: int, n: int) -> list[int]:
    toks, out = ctx.doc.tokens, []
    sent = toks[i].sent
    while len(out) < n and toks[i].head != i:
        i = toks[i].head
        if toks[i].sent != sent:
            break
        out.append(i)
    return out


def _compose(ctx: _Ctx, si: int, hits: dict[int, Trigger]) -> list[Cand]:
    toks = ctx.doc.tokens
    used: set[int] = set()
    out: list[Cand] = []
    by_tok: dict[int, Cand] = {}
    # 1. acquisition under an offer marker → one acquisition offer
    for a, trig in sorted(hits.items()):
        if trig.type != "acquisition":
            continue
        for anc in _ancestors(ctx, a, _CLIMB):
            h = hits.get(anc)
            if h is None and fold(toks[anc].lemma) in ctx.lex.light_verbs:
                # "fait une offre … pour acheter X", the purpose clause hanging on the light verb
                marker = next((o for o in ctx.children[anc] if toks[o].dep in _OBJ and o in hits
                               and hits[o].type == "offer"), None)
                if marker is not None:
                    anc, h = marker, hits[marker]
            if h is None:
                continue
            if h.type == "offer" and anc not in used:
                c = _offer(ctx, si, anc, h, a, trig)
                used.update((a, anc))
                out.append(c)
                by_tok[anc] = by_tok[a] = c
            break
    # 2. acquisitions and other types on their own
    for i, trig in sorted(hits.items()):
        if i in used or trig.type in ("offer", "offer_rejection"):
            continue
        c = _simple(ctx, si, i, trig)
        used.add(i)
        out.append(c)
        by_tok[i] = c
        if c.type == "fundraising":
            out.extend(_lead_investors(ctx, si, i, c))
    # the investors leading a round are not the ones raising it ("un tour de table mené par X")
    lead = {a for c in out if c.type == "investment" and fold(toks[c.tok].lemma) in ctx.lex.led_by for a in c.agent}
    for c in out:
        if c.type == "fundraising" and lead & set(c.agent):
            c.agent = [a for a in c.agent if a not in lead]
    # 3. offer markers alone: an amount, a 'pour X' or an earlier offer make them offers
    for i, trig in sorted(hits.items()):
        if i in used or trig.type != "offer" or trig.needs_acquisition:
            continue
        c = _offer(ctx, si, i, trig, None, None)
        c.join_only = not c.target  # an amount found later lifts this
        used.add(i)
        out.append(c)
        by_tok[i] = c
    # 4. rejections, linked to the offer they refuse
    for i, trig in sorted(hits.items()):
        if trig.type != "offer_rejection":
            continue
        if trig.blocks and _block_is_suit(ctx, i, out, by_tok):
            continue
        r = _rejection(ctx, si, i, trig, by_tok)
        if trig.blocks:
            # a regulator blocking a deal: the deal's parties are the target
            if r.rejects_offer is not None:
                r.target = [x for x in _uniq(r.rejects_offer.agent + r.rejects_offer.target) if x not in r.agent]
            r.deal_target, r.rejects_unknown = not r.target, False
        out.append(r)
    return out


def _deal_in(by_tok: dict[int, Cand], tokens: Iterable[int]) -> Cand | None:
    """The first acquisition or offer mention among ``tokens``."""
    for j in tokens:
        if j in by_tok and by_tok[j].type in ("acquisition_offer", "acquisition"):
            return by_tok[j]
    return None


def _block_is_suit(ctx: _Ctx, i: int, out: list[Cand], by_tok: dict[int, Cand]) -> bool:
    """A block that is only tried (``to block``, ``pour bloquer``, ``moved to
    block … with a lawsuit``) is no rejection; a lawsuit of the sentence then
    takes the blocker as agent and the deal's parties as target."""
    toks, lex = ctx.doc.tokens, ctx.lex
    t = toks[i]
    suits = [c for c in out if c.type == "lawsuit"]
    purpose = _base(t.dep) in ("advcl", "acl") and any(
        fold(toks[ch].text) in lex.purpose and _base(toks[ch].dep) in ("mark", "aux") for ch in ctx.children[i])
    tried = _base(t.dep) == "xcomp" and t.head != i and fold(toks[t.head].lemma) in lex.planned
    if not (suits or purpose or tried):
        return False
    deal = _deal_in(by_tok, ctx.ix.descendants(i, _CLIMB))
    for c in suits:
        if not c.agent:
            c.agent = [x for x in ctx.subjects(i)[0] if x not in c.target]
        if not c.target:
            if deal is not None:
                c.target = [x for x in _uniq(deal.agent + deal.target) if x not in c.agent]
            c.deal_target = not c.target
    return True


def _new(ctx: _Ctx, si: int, typ: str, i: int, j: int | None = None) -> Cand:
    doc = ctx.doc
    toks = doc.tokens
    s, e = toks[i].start, toks[i].end
    if j is not None and abs(j - i) <= 4:
        s, e = min(s, toks[j].start), max(e, toks[j].end)
    sent = doc.sentences[si]
    c = Cand(typ, i, doc.span(s, e), si, sent.heading, {i} | ({j} if j is not None else set()))
    c.inside_quote = ctx.quote_at(toks[i].start) is not None
    return c


def _noun_roles(ctx: _Ctx, c: Cand, i: int, trig: Trigger) -> None:
    """Roles of a nominal trigger from its complements and its light verb."""
    doc, lex, toks = ctx.doc, ctx.lex, ctx.doc.tokens
    tprep = lex.target_preps.get(trig.type, frozenset()) | lex.target_preps.get(c.type, frozenset())
    auto: list[str] = []
    owner: list[str] = []
    preps = ctx.noun_preps(i, trig.type == "offer")
    if trig.buyer:  # "the sale of its tea unit to Y": the parse may hang "to Y" on what is sold
        sold = [n for p, n in preps if p in lex.of_preps and p != "poss"]
        if not all(_a_business(ctx, n) for n in sold):
            return  # "la cession des droits": no company changes hands
        preps += [q for n in sold for q in ctx.preps(n) if q[0] in trig.buyer]
    for p, n in preps:
        ents = ctx.entities_of(n)
        if not ents:
            continue
        if p == "poss" and trig.of == "auto" and (any(q in lex.of_preps and q != "poss" for q, _ in preps)
                                                  or not any(q in lex.agent_preps for q, _ in preps)):
            # "Microsoft's acquisition of Activision", "Microsoft's largest acquisition":
            # the owner acts ('of' is acted on); "Twitter's acquisition by Musk": it undergoes
            owner += ents
        elif p in lex.agent_preps or p in lex.type_agent_preps.get(trig.type, ()) or p in trig.buyer:
            c.agent += ents  # ("the sale of its tea unit to Y": Y buys)
        elif p in lex.of_preps:
            if trig.type == "offer":
                c.agent += ents  # "l'offre de Kering", whatever the tagger made of "offre"
            elif trig.of == "auto":
                auto += ents
            else:
                (c.agent if trig.of == "agent" else c.target).extend(ents)
        elif p in tprep:
            c.target += ents
    if auto and trig.of == "auto" and not owner and not c.agent:
        # "its $69bn takeover of X": the possessive hung on the amount is the trigger's all the same
        for d in ctx.ix.descendants(i, 2):
            if d < i and toks[d].dep in ("poss", "nmod:poss") and toks[toks[d].head].pos in ("NUM", "NOUN", "SYM") \
                    and toks[d].head != i:
                owner += ctx.entities_of(d)
    # "le rachat de Twitter" (acted on) / "le rachat de Musk" (a person acts) /
    # "le rachat de Vivendi sur Lagardère" (the target is elsewhere: Vivendi acts)
    c.agent += owner
    for e in auto:
        acts = not owner and (doc.entities[e].type == "PERSON" or (bool(c.target) and not c.agent))
        (c.agent if acts else c.target).append(e)
    if not c.agent and trig.of == "auto":
        c.agent += [e for e in _possessor(ctx, i) if e not in c.target]
    if not c.agent and _base(toks[i].dep) in ("obj", "dobj") and toks[i].head != i and not ctx._is_passive(toks[i].head):
        # "Le Royaume-Uni approuve le rachat de X par Y": an active verb has no 'par' agent, the noun has
        c.agent += [e for p, n in ctx.preps(toks[i].head) if p in lex.agent_preps for e in ctx.entities_of(n)]
    t = toks[i]
    light = toks[t.head].pos in ("VERB", "AUX") and fold(toks[t.head].lemma) in lex.light_verbs
    light = light and (t.dep in _OBJ or t.dep in _SUBJ_PASS)
    if light:
        c.anchors.add(t.head)  # "a fait une offre … pour 97 milliards": the clause is the offer's
        if not c.agent and t.dep in _OBJ:
            c.agent += ctx.subjects(t.head)[0]
        elif not c.agent:
            # "l'offre a été déposée par X"
            c.agent += [e for p, n in ctx.preps(t.head) if p in lex.agent_preps for e in ctx.entities_of(n)]
        for p, n in ctx.preps(t.head):
            if p in tprep:
                c.target += ctx.entities_of(n)
    # "la proposition, qui s'élève à …" / "l'offre, rejetée par X": the relative clause is an anchor
    for ch in ctx.children[i]:
        if _base(toks[ch].dep) in ("acl", "relcl") or toks[ch].dep == "acl:relcl":
            c.anchors.add(ch)
            if toks[ch].pos == "VERB" and "VerbForm=Part" in toks[ch].morph and fold(toks[ch].lemma) in lex.light_verbs:
                # "the legal action brought by X against Y", "la plainte déposée par X contre Y"
                for p, n in ctx.preps(ch):
                    if p in lex.agent_preps and not c.agent:
                        c.agent += ctx.entities_of(n)
                    elif p in tprep:
                        c.target += ctx.entities_of(n)


def _sale_roles(ctx: _Ctx, c: Cand, v: int, trig: Trigger) -> None:
    """"X sold its tea business to Y", "X a cédé Z à Y": Y buys (the agent),
    Z is bought; what X sells of its own (a unit, no entity) makes X the
    target. Without a named buyer nothing is said of who acquires: no agent."""
    sellers, passive = ctx.subjects(v)
    objs = ctx.object_tokens(v)
    if not all(_a_business(ctx, o) for o in objs):
        return  # rights, shares, products sold: no company changes hands
    c.agent += [e for x in (v, *objs) for p, n in ctx.preps(x) if p in trig.buyer for e in ctx.entities_of(n)]
    if not c.agent:
        return  # "X is selling its unit": who will own it is not said
    c.target += ctx.objects(v) or passive
    if not c.target and objs:
        c.target += sellers


def _role_org(ctx: _Ctx, v: int, trig: Trigger) -> list[str]:
    """The organisation of the post one leaves: "stepped down as chief
    executive of X", "quitte la direction de X", "a quitté ses fonctions de
    directeur général de X" (its of-complements, up to three nouns deep)."""
    tprep = ctx.lex.target_preps.get(trig.type, frozenset())
    frontier = [n for p, n in ctx.preps(v) if p in tprep] + ctx.object_tokens(v)
    for _ in range(3):
        for k in frontier:
            e = ctx.ent.get(k)
            if e is not None and ctx.doc.entities[e].type == "ORG":
                return [e]
        frontier = [n for k in frontier for p, n in ctx.preps(k) if p in ctx.lex.of_preps and p != "poss"]
    return []


def _a_business(ctx: _Ctx, i: int) -> bool:
    """Whether the phrase at token i names an organisation or a part of one
    (a unit, une branche): what a sale must hand over to be an acquisition."""
    return bool(ctx.entities_of(i)) or fold(ctx.doc.tokens[i].lemma) in ctx.lex.member_nouns


def _verb_roles(ctx: _Ctx, c: Cand, v: int, trig: Trigger) -> None:
    lex = ctx.lex
    if trig.buyer:
        _sale_roles(ctx, c, v, trig)
        return
    agents, passive = ctx.subjects(v)
    c.agent += agents
    c.target += ctx.objects(v) or passive
    if not c.target and trig.with_:
        # "obtenir le contrôle d'OpenAI": the target completes the trigger's own word
        toks = ctx.doc.tokens
        for o in ctx.children[v]:
            if toks[o].dep in _OBJ and fold(toks[o].lemma) in trig.with_:
                c.target += [e for p, n in ctx.preps(o) if p in lex.of_preps for e in ctx.entities_of(n)]
    tprep = lex.target_preps.get(trig.type, frozenset()) | lex.target_preps.get(c.type, frozenset())
    objs = ctx.object_tokens(v)
    for x in (v, *objs):  # "invested $40 billion in OpenAI": the 'in' may hang on the amount
        for p, n in ctx.preps(x):
            if p in tprep:
                c.target += ctx.entities_of(n)


def _simple(ctx: _Ctx, si: int, i: int, trig: Trigger) -> Cand:
    c = _new(ctx, si, trig.type, i)
    if _verbal(ctx.doc, ctx.children, i):
        _verb_roles(ctx, c, i, trig)
    else:
        _noun_roles(ctx, c, i, trig)
    if trig.type == "appointment":
        _appointee(ctx, c, i)
    if c.type == "departure" and not c.target:
        c.target = _role_org(ctx, i, trig)
    # a company restructures itself ("spin off its consumer unit"): agent and target may be one
    c.agent, c.target = _uniq(c.agent), [x for x in _uniq(c.target) if x not in c.agent or c.type in _REFLEXIVE]
    if c.agent and not c.target:
        c.target = _described_target(ctx, i, trig, c.agent)
    _modality(ctx, c, i)
    if trig.type == "acquisition":
        cond = _conditional(ctx, i)
        if cond:
            c.flavour = "conditional"
            if cond == "addressee":
                c.type = "acquisition_offer"  # "we'll buy X if you want": an offer to the addressee
                c.modality, c.explicit = "asserted", False
    _place(ctx, c)
    return c


def _described_target(ctx: _Ctx, i: int, trig: Trigger, agents: list[str]) -> list[str]:
    """"Microsoft's acquisition of the publisher", "X a racheté la société":
    a target named by a definite description is the nearest entity of its
    kind that is not the agent."""
    lex = ctx.lex
    if _verbal(ctx.doc, ctx.children, i):
        slots = ctx.object_tokens(i)
    else:
        tprep = lex.target_preps.get(trig.type, frozenset())
        slots = [n for p, n in ctx.preps(i) if p in tprep or (p in lex.of_preps and p != "poss" and trig.of != "agent")]
    return next(([e] for n in slots if (e := ctx.described(n, agents))), [])


_REFLEXIVE = frozenset({"restructuring"})  # event types whose agent may be its own target


def _compound_agents(ctx: _Ctx, cands: list[Cand]) -> None:
    """"the Microsoft acquisition": a name compounded with the trigger acts
    when the article has it acting in an event of that type elsewhere
    ("Microsoft's acquisition of Activision"), instead of undergoing it."""
    toks = ctx.doc.tokens
    acting = {(c.type, a) for c in cands for a in c.agent}
    for c in cands:
        if c.agent or len(c.target) != 1 or (c.type, c.target[0]) not in acting:
            continue
        if any(toks[k].dep == "compound" and ctx.ent.get(k) == c.target[0] for k in ctx.children[c.tok]):
            c.agent, c.target = c.target, []


def _lead_investors(ctx: _Ctx, si: int, i: int, raised: Cand) -> list[Cand]:
    """``a funding round led by X``, ``un tour de table mené par X``: X invests
    in the one raising the money."""
    toks, lex = ctx.doc.tokens, ctx.lex
    out: list[Cand] = []
    # "raised €600 million from investors including X", "a levé 600 millions
    # d'euros auprès du fonds X": the money's source invests
    objs = ctx.object_tokens(i)
    sources = [n for x in (i, *objs) for p, n in ctx.preps(x) if p in lex.investor_preps]
    # "auprès" parsed as an adverb, "du fonds X" its complement
    sources += [n for a in ctx.children[i] if fold(toks[a].text) in lex.investor_preps and toks[a].pos == "ADV"
                for n in ctx.children[a] if toks[n].pos in ("NOUN", "PROPN")]
    sources += [m for n in sources for p, m in ctx.preps(n) if p in lex.investor_preps]
    investors = [e for n in sources for e in ctx.entities_of(n) if e not in raised.agent]
    if investors and raised.agent:
        c = _new(ctx, si, "investment", i)
        c.agent, c.target = _uniq(investors), list(raised.agent)
        _modality(ctx, c, i)
        out.append(c)
    for d in ctx.ix.descendants(i, 3):
        if fold(toks[d].lemma) not in lex.led_by or _base(toks[d].dep) not in ("acl", "relcl", "amod"):
            continue
        investors = [e for p, n in ctx.preps(d) if p in lex.agent_preps for e in ctx.entities_of(n)]
        investors = [e for e in investors if e not in raised.agent]
        if investors:
            c = _new(ctx, si, "investment", d)
            c.agent, c.target = _uniq(investors), list(raised.agent)
            _modality(ctx, c, i)
            out.append(c)
    return out


def _possessor(ctx: _Ctx, i: int) -> list[str]:
    """``son projet d'achat de X``, ``sa proposition``: the owner named by a
    possessive determiner of the trigger or of the noun it completes."""
    toks = ctx.doc.tokens
    heads = [i]
    h = toks[i].head
    if h != i and _base(toks[i].dep) == "nmod" and toks[h].pos == "NOUN" and fold(toks[h].lemma) in ctx.lex.plan_nouns:
        heads.append(h)
    for h in heads:
        for ch in ctx.children[h]:
            if "Poss=Yes" in toks[ch].morph and toks[ch].dep == "det":
                e = ctx.resolve(toks[ch], frozenset({"ORG", "PERSON"}))
                return [e] if e else []
    return []


def _appointee(ctx: _Ctx, c: Cand, i: int) -> None:
    """The one named is a person: ``l'actuel directeur de la région X, le
    Français Y, a été nommé`` names Y, not the region nor the nationality."""
    doc = ctx.doc
    person = lambda e: doc.entities[e].type == "PERSON"  # noqa: E731
    if any(person(t) for t in c.target):
        c.target = [t for t in c.target if person(t)]
        return
    for ch in ctx.children[i]:
        if doc.tokens[ch].dep in _OBJ or doc.tokens[ch].dep in _SUBJ_PASS:
            found = [ctx.ent[j] for j in [ch, *ctx.ix.descendants(ch, 2)] if j in ctx.ent and person(ctx.ent[j])]
            if found:
                c.target = _uniq(found)
                return
    c.target = [t for t in c.target if doc.entities[t].type != "LOC"]


def _clean_agents(ctx: _Ctx, cands: list[Cand]) -> None:
    """No court is the agent of a lawsuit, no regulator the buyer of a
    company: an agent whose name (or the long name its acronym stands for)
    holds a word of the language's ``not_agent`` class for the event type is
    dropped."""
    memo: dict[tuple[str, str], bool] = {}
    full = _acronyms(ctx)
    for c in cands:
        if full:  # "la FTC" acts as the Federal Trade Commission the article named first
            c.agent = _uniq(full.get(a, a) for a in c.agent)
            c.target = [t for t in _uniq(full.get(t, t) for t in c.target) if t not in c.agent]
        words = ctx.lex.not_agent.get(c.type)
        if words and c.agent:
            c.agent = [a for a in c.agent if not _named_with(ctx, a, c.type, words, memo)]


def _initials(ctx: _Ctx, name: str) -> str:
    words = name.split()
    while len(words) > 2 and _is_acronym(words[0]):
        words = words[1:]  # "US Federal Trade Commission" is the FTC
    return "".join(w[0] for w in words if fold(w) not in ctx.lex.name_stopwords and w[:1].isupper())


def _is_acronym(name: str) -> bool:
    return 2 <= len(name) <= 6 and name.isupper() and name.isalpha()


def _acronyms(ctx: _Ctx) -> dict[str, str]:
    """Acronym entity -> the one entity of the article whose name it abbreviates."""
    ents = ctx.doc.entities
    acr = [e for e in ents.values() if _is_acronym(e.name)]
    if not acr:
        return {}
    # the initials of each longer name, once
    by_initials: dict[tuple[str, str], list[str]] = {}
    for o in ents.values():
        if " " in o.name:
            by_initials.setdefault((o.type, _initials(ctx, o.name)), []).append(o.id)
    out: dict[str, str] = {}
    for a in acr:
        longs = [o for o in by_initials.get((a.type, a.name), ()) if o != a.id]
        if len(longs) == 1:
            out[a.id] = longs[0]
    return out


def _named_with(ctx: _Ctx, eid: str, typ: str, words: frozenset[str], memo: dict) -> bool:
    key = (eid, typ)
    if key not in memo:
        ents = ctx.doc.entities
        e = ents[eid]
        forms = [e.name, *e.aliases]
        hit = any(set(fold(f).replace("-", " ").split()) & words for f in forms)
        if not hit and _is_acronym(e.name):
            # "(Competition and Markets Authority, CMA)": the words just before the acronym name it
            text = ctx.doc.text
            for m in ctx.mentions_of(eid):
                before = text[max(0, m.start - 100) : m.start].rstrip()
                if before[-1:] in ("(", ","):
                    # "l'Autorité de la concurrence (ADLC)", "(Competition and Markets Authority, CMA)"
                    if set(fold(before).replace("(", " ").split()[-8:]) & words:
                        hit = True
                        break
        memo[key] = hit
    return memo[key]


def _succession(ctx: _Ctx, groups: list[_Group]) -> None:
    """``X a été nommé pour lui succéder``, ``named to succeed him``: an
    appointment naming no organisation is to the one the article's departure
    leaves."""
    doc, lex = ctx.doc, ctx.lex
    if not lex.succession:
        return
    left = _uniq(t for g in groups if g.type == "departure" for t in g.target if doc.entities[t].type == "ORG")
    if len(left) != 1:
        return
    for g in groups:
        if g.type != "appointment" or any(doc.entities[x].type == "ORG" for x in g.agent + g.target):
            continue
        if any(fold(t.lemma) in lex.succession or fold(t.text) in lex.succession
               for c in g.cands for t in doc.sent_tokens(doc.sentences[c.sent])):
            g.agent = [left[0], *g.agent]


def _departed_from(ctx: _Ctx, groups: list[_Group]) -> None:
    """``Activision's CEO Bobby Kotick … said he would step down``: a departure
    naming no organisation leaves the one the person heads (a title relation
    of the article), when there is one."""
    doc = ctx.doc
    heads: dict[str, list[str]] | None = None  # person -> the organisations of their titles
    for g in groups:
        if g.type != "departure" or any(doc.entities[x].type == "ORG" for x in g.target):
            continue
        if heads is None:
            heads = {}
            for r in doc.relations:
                if r.predicate in TITLE_PREDICATES and r.object in doc.entities and doc.entities[r.object].type == "ORG":
                    heads.setdefault(r.subject, []).append(r.object)
        people = {x for x in g.agent + g.target if doc.entities[x].type == "PERSON"}
        orgs = _uniq(o for x in people for o in heads.get(x, ()))
        if len(orgs) == 1:
            g.target.append(orgs[0])


def _self_restructuring(ctx: _Ctx, cands: list[Cand]) -> None:
    """``La scission sera officialisée en décembre``, ``the demerger will
    complete next year``: a restructuring naming nobody is the one of the
    organisation the article is about (its single most named, else none),
    unless the article names one whose roles it can join."""
    if any(c.type == "restructuring" and c.own_roles for c in cands):
        return
    main = None
    for c in cands:
        if c.type == "restructuring" and not c.agent and not c.target:
            main = main or main_org(ctx.doc)
            if main is None:
                return
            c.agent, c.target = [main], [main]


def _offer(ctx: _Ctx, si: int, o: int, otrig: Trigger, a: int | None, atrig: Trigger | None) -> Cand:
    """An acquisition offer from offer marker o and, when present, acquisition word a."""
    c = _new(ctx, si, "acquisition_offer", o, a)
    if _verbal(ctx.doc, ctx.children, o):
        _verb_roles(ctx, c, o, otrig)
        c.target = []  # the object of "proposer" is the offer itself, not its target
        for p, n in ctx.preps(o):
            if p in ctx.lex.target_preps.get("offer", frozenset()):
                c.target += ctx.entities_of(n)
    else:
        _noun_roles(ctx, c, o, otrig)
    if a is not None and atrig is not None:
        # the purchase inside an offer: its complements are the offer's ("rachat … sur Lagardère")
        sub = Cand("acquisition_offer", a, c.trigger, si, c.heading, set())
        if _verbal(ctx.doc, ctx.children, a):
            sub.target += ctx.objects(a) or ctx.subjects(a)[1]
            sub.agent += [x for x in ctx.subjects(a)[0]]
            for p, n in ctx.preps(a):
                if p in ctx.lex.agent_preps:
                    sub.agent += ctx.entities_of(n)
        else:
            _noun_roles(ctx, sub, a, atrig)
        c.anchors.update(sub.anchors | {a})
        if not c.agent:
            if c.target and sub.target and not sub.agent and not _verbal(ctx.doc, ctx.children, a):
                # "offre de rachat de Vivendi sur Lagardère": the 'de' of the purchase is the bidder
                c.agent, sub.target = sub.target, []
            else:
                c.agent = sub.agent
        c.target = c.target + sub.target
    c.agent = _uniq(c.agent)
    c.target = [x for x in _uniq(c.target) if x not in c.agent]
    _modality(ctx, c, o)
    _place(ctx, c)
    return c


def _rejection(ctx: _Ctx, si: int, i: int, trig: Trigger, by_tok: dict[int, Cand]) -> Cand:
    """A refusal; its target is the bidder of the offer it refuses when the
    parse shows that offer (``a rejeté l'offre de Kering``), else it is left
    for :func:`_resolve_rejections` (``Non merci``)."""
    c = _new(ctx, si, "offer_rejection", i)
    if _verbal(ctx.doc, ctx.children, i):
        # subjects() covers "une proposition rejetée par X" (a passive participle and its 'par')
        c.agent += ctx.subjects(i)[0]
        c.target += ctx.objects(i)
        # "rejected three offers from X": the bidder hangs on the verb
        tprep = ctx.lex.target_preps.get("offer_rejection", frozenset())
        c.target += [e for p, n in ctx.preps(i) if p in tprep for e in ctx.entities_of(n)]
    else:
        _noun_roles(ctx, c, i, trig)
    # the offer it refuses: an offer mention below it, or the noun it modifies
    c.rejects_offer = _deal_in(by_tok, ctx.ix.descendants(i, _CLIMB) + _ancestors(ctx, i, 1))
    if not c.target and c.rejects_offer is not None:
        c.target = list(c.rejects_offer.agent)
    if not c.agent and c.rejects_offer is not None and _verbal(ctx.doc, ctx.children, i) and ctx._is_passive(i):
        # "X's bid for Y was rejected": no 'by', the one the bid was made to refused it
        c.agent = [t for t in c.rejects_offer.target if t not in c.target]
    c.rejects_unknown = not c.target
    c.agent = _uniq(c.agent)
    c.target = [x for x in _uniq(c.target) if x not in c.agent]
    _modality(ctx, c, i)
    return c


def _phrases(ctx: _Ctx, si: int) -> list[Cand]:
    doc, lex = ctx.doc, ctx.lex
    sent = doc.sentences[si]
    out: list[Cand] = []
    if not lex.phrases:
        return out
    if ctx.folded_text is None:
        ctx.folded_text = fold_same_length(doc.text)  # folded per character: any slice is the slice's fold
    text = ctx.folded_text[sent.start : sent.end]
    if not lex.any_phrase.search(text):
        return out
    for ph in lex.phrases:
        for m in ph.pattern.finditer(text):
            s, e = sent.start + m.start(), sent.start + m.end()
            if ph.quote and ctx.quote_at(s) is None:
                continue
            toks = [t for t in doc.sent_tokens(sent) if t.start < e and s < t.end]
            if not toks:
                continue
            if any(c.sent == si and c.trigger.start < e and s < c.trigger.end for c in out):
                continue
            c = Cand(ph.type, toks[0].i, doc.span(s, e), si, sent.heading, {t.i for t in toks})
            c.inside_quote = ctx.quote_at(s) is not None
            # agent: the subject of the phrase's verb, else the speaker of the quotation
            for t in toks:
                for ch in ctx.children[t.i]:
                    if _base(doc.tokens[ch].dep) == "nsubj" and ch not in c.anchors:
                        c.agent += ctx.entities_of(ch)
                if c.agent:
                    break
            if not c.agent:
                for t in toks:
                    if t.head not in c.anchors:
                        for ch in ctx.children[t.head]:
                            if _base(doc.tokens[ch].dep) == "nsubj":
                                c.agent += ctx.entities_of(ch)
                        break
            if c.inside_quote:
                sp = ctx.speaker(s)
                if sp:
                    c.agent.append(sp)
            elif ph.type == "offer_rejection":
                # "Il a été clair : OpenAI n'est pas à vendre": the one who says it refuses too
                sp = _clause_speaker(ctx, sent, s)
                if sp and sp not in c.agent:
                    c.agent.append(sp)
            c.agent = _uniq(c.agent)
            c.rejects_unknown = ph.type == "offer_rejection"
            out.append(c)
    return out


def _clause_speaker(ctx: _Ctx, sent, s: int) -> str | None:
    """The one who says the phrase: the subject of the verb whose complement
    clause holds it (``X wrote that …``), or of a clause before a colon."""
    doc = ctx.doc
    first = ctx.ix.token_at(s)
    if first is not None:
        cur = first
        for _ in range(_CLIMB + 1):
            t = doc.tokens[cur]
            if t.head == cur:
                break
            if _base(t.dep) in ("ccomp", "parataxis"):
                ents = ctx.subjects(t.head)[0]
                if ents:
                    return ents[0]
            cur = t.head
    before = [t for t in doc.sent_tokens(sent) if t.end <= s]
    if not any(t.text == ":" for t in before):
        return None
    for t in before:
        if t.text == ":":
            break
        if _base(t.dep) == "nsubj" or t.dep == "expl:subj":
            ents = ctx.entities_of(t.i)
            if ents:
                return ents[0]
    return None


# ---- modality, condition, place ------------------------------------------------------


def _modality(ctx: _Ctx, c: Cand, i: int) -> None:
    lex, toks = ctx.lex, ctx.doc.tokens
    cur, steps = i, 0
    found: str | None = None
    while found is None and steps <= _CLIMB:
        t = toks[cur]
        for ch in ctx.children[cur]:
            x = toks[ch]
            fx = fold(x.text)
            if x.dep in ("neg", "advmod") and (fx in lex.negation or fold(x.lemma) in lex.negation):
                found = "negated"
                break
            if _base(x.dep) == "aux" and x.dep not in ("aux:pass",):
                fl = fold(x.lemma)
                if fl in lex.possible or fx in lex.possible:
                    found = "possible"
                    break
                if fl in lex.future_aux or fx in lex.future_aux:
                    found = "planned"
                    break
                if "Mood=Cnd" in x.morph and "VerbForm=Part" in t.morph:
                    found = "reported"  # "aurait proposé": the conditional of rumour
                    break
            if _base(x.dep) == "amod" and t.pos in ("NOUN", "PROPN"):
                fl = fold(x.lemma)
                if fl in lex.possible_adj or fx in lex.possible_adj:
                    found = "possible"
                elif fl in lex.planned_adj or fx in lex.planned_adj:
                    found = "planned"
                elif fl in lex.reported_adj or fx in lex.reported_adj:
                    found = "reported"
                if found:
                    break
        if found:
            break
        if cur != i:
            fl = fold(t.lemma)
            # "Sanofi va racheter X": a finite aller heads the infinitive (not "est allé racheter")
            if fl in lex.planned or (fl in lex.future_aux and "VerbForm=Fin" in t.morph and "Tense=Past" not in t.morph):
                found = "planned"
                break
            if fl in lex.possible:
                found = "possible"
                break
        else:
            if t.pos in ("VERB", "AUX"):
                if "Mood=Cnd" in t.morph:
                    found = "possible"
                    break
                if "Tense=Fut" in t.morph:
                    found = "planned"
                    break
        b = _base(t.dep)
        if b in ("advcl", "acl") and any(fold(toks[ch].text) in lex.purpose and _base(toks[ch].dep) in ("mark", "case", "aux")
                                         for ch in ctx.children[cur]):
            found = "planned"  # "pour transformer OpenAI", "to convert"
            break
        head = toks[t.head]
        if t.head == cur:
            break
        if b == "xcomp" or (b in _OBJ and fold(head.lemma) in lex.light_verbs | lex.planned) or (
            b == "obl" and fold(head.lemma) in lex.planned) or (
            t.pos in ("VERB", "AUX") and _base(head.dep) != "ROOT" and b == "conj"):
            cur = t.head
            steps += 1
            continue
        break
    if found is None:
        for j in ctx.reported_in(c.sent):
            if not (toks[j].pos in ("VERB", "AUX") and j == i):
                found = "reported"
                break
    if found:
        c.modality, c.explicit = found, True


def _conditional(ctx: _Ctx, i: int) -> str | None:
    """'addressee' for "… si tu veux" / "if you want", 'conditional' for another if-clause."""
    toks, lex = ctx.doc.tokens, ctx.lex
    # the if-clause hangs on the verb or, misparsed, somewhere below it
    for ch in ctx.ix.descendants(i, _CLIMB):
        if toks[ch].pos not in ("VERB", "AUX"):
            continue
        marks = [g for g in ctx.children[ch] if _base(toks[g].dep) == "mark" and fold(toks[g].text) in lex.conditional]
        if not marks:
            continue
        subj = [g for g in ctx.children[ch] if _base(toks[g].dep) == "nsubj"]
        if any(fold(toks[g].text) in lex.addressee for g in subj):
            return "addressee"
        return "conditional"
    return None


def _place(ctx: _Ctx, c: Cand) -> None:
    doc = ctx.doc
    for a in sorted(c.anchors):
        for p, n in ctx.preps(a):
            if p in ctx.lex.place_preps:
                for e in ctx.entities_of(n):
                    if doc.entities[e].type == "LOC" and e not in c.place and e not in c.agent + c.target:
                        c.place.append(e)


# ---- amounts and dates ----------------------------------------------------------------


def _span_head(ctx: _Ctx, start: int, end: int) -> int | None:
    toks = ctx.doc.tokens
    lo = ctx.ix.first_at(start)
    inside = []
    for k in range(max(0, lo - 1), len(toks)):
        if toks[k].start >= end:
            break
        if toks[k].end > start:
            inside.append(k)
    if not inside:
        return None
    ins = set(inside)
    for k in inside:
        if toks[k].head not in ins or toks[k].head == k:
            return k
    return inside[0]


def _attach(ctx: _Ctx, cands: list[Cand]) -> None:
    """Give each amount and date to the event the parse links it to, nearest first."""
    doc, toks = ctx.doc, ctx.doc.tokens
    by_sent: dict[int, list[Cand]] = {}
    for c in cands:
        by_sent.setdefault(c.sent, []).append(c)
    links: list[tuple[int, int, Cand]] = []  # (distance, amount index, event)
    for k, a in enumerate(doc.amounts):
        h = _span_head(ctx, a.start, a.end)
        if h is None or toks[h].sent not in by_sent:
            continue
        here = [c for c in by_sent[toks[h].sent] if c.type in AMOUNT_TYPES]
        if not here:
            continue
        hit = _climb_to(ctx, h, here)
        if hit is None and len(here) == 1 and not _other_owner(ctx, h, here[0]):
            hit = (_ATTACH + 1, here[0])
        if hit is not None:
            links.append((hit[0], k, hit[1]))
    taken: set[int] = set()
    for _, k, c in sorted(links, key=lambda x: (x[0], x[1])):
        if k in taken or c.amount is not None:
            continue
        a = doc.amounts[k]
        c.amount, c.amount_approx, c.amount_i = {"value": a.value, "currency": a.currency}, a.approximate, k
        taken.add(k)
    dlinks: list[tuple[int, int, Cand]] = []
    for k, d in enumerate(doc.dates):
        h = _span_head(ctx, d.start, d.end)
        if h is None or toks[h].sent not in by_sent or d.value is None:
            continue
        here = by_sent[toks[h].sent]
        hit = _climb_to(ctx, h, here, clause=True)
        if hit is None and len(here) == 1 and not _other_owner(ctx, h, here[0]):
            hit = (_ATTACH + 1, here[0])
        if hit is not None:
            dlinks.append((hit[0], k, hit[1]))
    for _, k, c in sorted(dlinks, key=lambda x: (x[0], x[1])):
        d = doc.dates[k]
        if c.time is None:
            c.time = {"value": d.value, "precision": d.precision, "text": d.text}


def _climb_to(ctx: _Ctx, h: int, here: list[Cand], clause: bool = False) -> tuple[int, Cand] | None:
    """(steps, event) for the first event token above h in the parse; the climb
    stops at a verb of another clause (``dont le chiffre d'affaires atteint …``)."""
    toks = ctx.doc.tokens
    anchors: dict[int, Cand] = {}
    for c in here:
        for x in c.anchors:
            anchors.setdefault(x, c)
    for c in here:
        if clause:
            # a date modifies the clause: the verb above a nominal trigger counts too
            v = _clause_verb(ctx, c.tok)
            if v is not None:
                anchors.setdefault(v, c)
    cur = h
    for step in range(_ATTACH + 1):
        if cur in anchors:
            return step, anchors[cur]
        if step and toks[cur].pos in ("VERB", "AUX") and _base(toks[cur].dep) != "aux":
            return None
        if toks[cur].head == cur:
            return None
        cur = toks[cur].head
    return None


def _clause_verb(ctx: _Ctx, i: int) -> int | None:
    toks = ctx.doc.tokens
    cur = i
    for _ in range(_CLIMB):
        if toks[cur].pos in ("VERB", "AUX"):
            return cur
        if toks[cur].head == cur:
            return None
        cur = toks[cur].head
    return None


def _other_owner(ctx: _Ctx, h: int, c: Cand) -> bool:
    """True when the amount hangs on a noun of its own before reaching the root
    (``sa fortune de 400 milliards``): then it is not the event's."""
    toks = ctx.doc.tokens
    cur = h
    for _ in range(_ATTACH):
        if toks[cur].head == cur:
            return False
        cur = toks[cur].head
        if cur in c.anchors:
            return False
        if toks[cur].pos in ("NOUN", "PROPN") and not ctx.ent.get(cur):
            return True
        if toks[cur].pos in ("VERB", "AUX"):
            return _clause_verb(ctx, c.tok) != cur
    return False


# ---- merging ---------------------------------------------------------------------------


@dataclass
class _Group:
    type: str
    cands: list[Cand]
    agent: list[str]
    target: list[str]
    amount: dict[str, Any] | None
    amount_approx: bool
    flavour: str | None

    def absorb(self, c: Cand) -> None:
        self.cands.append(c)
        self.agent = _uniq(self.agent + c.agent)
        self.target = _uniq(self.target + [t for t in c.target if t not in self.agent or self.type in _REFLEXIVE])
        if c.amount and (self.amount is None or (self.amount_approx and not c.amount_approx)):
            self.amount, self.amount_approx = c.amount, c.amount_approx
        self.flavour = self.flavour or c.flavour


def _compatible(g: _Group, c: Cand) -> int:
    """0 when c cannot be the same happening as g, else 1 + the roles they share."""
    if g.type != c.type or (g.flavour or None) != (c.flavour or None):
        return 0
    score = 1
    if g.type != "offer_rejection":
        if g.agent and c.agent:
            if not set(g.agent) & set(c.agent):
                return 0
            score += 2
    if g.target and c.target:
        if not set(g.target) & set(c.target):
            return 0
        score += 1
    if g.amount and c.amount and not (g.amount_approx or c.amount_approx):
        if g.amount.get("currency") != c.amount.get("currency") or abs(g.amount["value"] - c.amount["value"]) > 0.005 * abs(g.amount["value"] or 1):
            return 0
        score += 2
    return score


def _merge(ctx: _Ctx, cands: list[Cand]) -> list[_Group]:
    groups: list[_Group] = []

    def best(c: Cand, types: tuple[str, ...] | None = None) -> _Group | None:
        scored = [(_compatible(g, c) if types is None else _cross(g, c), -k, g) for k, g in enumerate(groups)
                  if (types is None or g.type in types)]
        scored = [s for s in scored if s[0] > 0]
        return max(scored, key=lambda s: (s[0], s[1]))[2] if scored else None

    strong = [c for c in cands if c.own_roles and not c.join_only]
    strong = [c for c in strong if not c.heading] + [c for c in strong if c.heading]
    weak = [c for c in cands if not c.own_roles or c.join_only]
    for c in strong:
        if c.type == "acquisition" and (c.explicit or c.heading):
            # "une acquisition potentielle d'OpenAI par Musk" while Musk bids for OpenAI: the offer
            g = best(c, ("acquisition_offer",))
            if g is not None:
                g.cands.append(c)
                continue
        g = best(c)
        if g is not None:
            g.absorb(c)
        elif c.type != "offer_rejection" or c.agent:
            groups.append(_Group(c.type, [c], list(c.agent), list(c.target), c.amount, c.amount_approx, c.flavour))
        else:
            weak.append(c)  # a rejection with a target but nobody rejecting: joins one
    for c in weak:
        # anaphora points back: only to an event already mentioned
        before = [g for g in groups if not g.flavour and any(x.trigger.start < c.trigger.start for x in g.cands)]
        same = [g for g in before if g.type == c.type and _compatible(g, c)]
        if not same and c.type == "acquisition" and not c.own_roles:
            same = [g for g in before if g.type == "acquisition_offer"]
        if same:
            # anaphora ("cette offre") joins the main event of its type
            main = max(same, key=lambda g: (_compatible(g, c), len(g.cands), -groups.index(g)))
            if main.type == c.type:
                main.absorb(c)
            else:
                main.cands.append(c)
    return groups


def _cross(g: _Group, c: Cand) -> int:
    """An uncertain acquisition joins an offer by the same agent for the same target."""
    if not (g.agent and c.agent and set(g.agent) & set(c.agent)):
        return 0
    if g.flavour:
        return 0
    if g.target and c.target and not set(g.target) & set(c.target):
        return 0
    return 1 + bool(g.target and c.target)


def _resolve_deals(groups: list[_Group]) -> None:
    """A block or a suit against ``the deal`` with no party named: the parties
    of the deal of the same sentence, else of the article's main deal."""
    deals = [g for g in groups if g.type in ("acquisition", "acquisition_offer") and (g.agent or g.target)]
    if not deals:
        return
    for g in groups:
        if g.target or not any(c.deal_target for c in g.cands):
            continue
        sents = {c.sent for c in g.cands}
        here = [d for d in deals if any(c.sent in sents for c in d.cands)]
        deal = here[0] if here else max(deals, key=lambda d: (len(d.cands), -min(c.trigger.start for c in d.cands)))
        g.target = [x for x in _uniq(deal.agent + deal.target) if x not in g.agent]


def _resolve_rejections(ctx: _Ctx, groups: list[_Group]) -> None:
    """A rejection with no target refuses the latest earlier offer by someone else."""
    offers = [g for g in groups if g.type == "acquisition_offer"]
    for g in groups:
        if g.type != "offer_rejection" or g.target:
            continue
        first = min(c.trigger.start for c in g.cands)
        prior = []
        for o in offers:
            if set(o.agent) & set(g.agent) or not o.agent:
                continue
            starts = [c.trigger.start for c in o.cands if c.trigger.start < first or c.sent == g.cands[0].sent]
            if starts:
                prior.append((max(starts), o))
        if prior:
            o = max(prior, key=lambda p: p[0])[1]
            g.target = [x for x in o.agent if x not in g.agent] or [x for x in o.target if x not in g.agent]


def _describe(doc: Doc, ev: Event) -> str:
    name = lambda i: doc.entities[i].name if i in doc.entities else i  # noqa: E731
    who = ", ".join(map(name, ev.agent)) or "?"
    what = ", ".join(map(name, ev.target)) or "?"
    return f"{ev.type}: {who} → {what}"


def _to_event(ctx: _Ctx, g: _Group) -> Event:
    doc = ctx.doc
    body = [c for c in g.cands if not c.heading] or g.cands
    own = [c for c in body if c.type == g.type and c.own_roles] or [c for c in body if c.type == g.type] or body
    lead = own[0]
    modal = next((c for c in sorted(body, key=lambda c: c.trigger.start) if c.type == g.type and c.explicit), None)
    times = [c.time for c in sorted(g.cands, key=lambda c: (c.heading, c.trigger.start)) if c.time]
    places = _uniq(p for c in g.cands for p in c.place)
    spans: dict[tuple[int, int], Span] = {}
    for c in g.cands:
        s = doc.sentences[c.sent]
        end = s.end
        while end > s.start and doc.text[end - 1].isspace():
            end -= 1
        spans.setdefault((s.start, end), doc.span(s.start, end))
    ev = Event(
        type=g.type,
        modality=modal.modality if modal else "asserted",
        agent=list(g.agent),
        target=[t for t in g.target if t not in g.agent or g.type in _REFLEXIVE],
        amount=dict(g.amount) if g.amount and g.type in AMOUNT_TYPES else None,
        time=times[0] if times else None,
        place=places,
        trigger=lead.trigger,
        evidence=[spans[k] for k in sorted(spans)],
        flavour=g.flavour,
    )
    return ev


@component("events", reads=("tokens", "sentences", "entities", "mentions", "amounts", "dates", "quotes", "blocks"),
           writes=("events",))
def find_events(doc: Doc) -> None:
    doc.events = []
    if not doc.tokens:
        return
    lex = lexicon(doc.language)
    ctx = _Ctx(doc, lex)
    cands = _find_candidates(ctx)
    _clean_agents(ctx, cands)
    _attach(ctx, cands)
    for c in cands:
        if c.join_only and c.amount is not None:
            c.join_only = False  # "une offre de 97,4 milliards", "près de 100 milliards : l'offre de Musk"
    _compound_agents(ctx, cands)
    _self_restructuring(ctx, cands)
    cands.sort(key=lambda c: c.trigger.start)
    groups = _merge(ctx, cands)
    _resolve_deals(groups)
    _resolve_rejections(ctx, groups)
    _succession(ctx, groups)
    _departed_from(ctx, groups)
    for g in groups:
        if not (g.agent or g.target):
            continue
        if g.type in lex.needs_target and not (g.target or g.amount):
            continue  # "the heft of Apple's investment": in nothing, of nothing
        ev = _to_event(ctx, g)
        doc.events.append(ev)
        for c in g.cands:
            if c.amount_i is not None and c.type == g.type:
                a = doc.amounts[c.amount_i]
                if ev.amount and a.value == ev.amount["value"]:
                    a.refers_to = _describe(doc, ev)
    doc.events.sort(key=lambda e: e.evidence[0].start if e.evidence else 0)

