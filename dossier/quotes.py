"""Who said what: direct, partial and indirect quotes with their speakers.

Three passes over one :class:`~dossier.model.Doc`:

1. **Marks** (:func:`scan_marks`, no parse needed). One scan over the
   quotation marks (« », “ ”, „ “, " ", ‘ ’, ‹ ›) with a stack: nested quotes
   stay inside the outer one; ’ closes a ‘ only where it is not an apostrophe
   (``l’offre``, ``don’t``, the plural possessive in ``the players’ union``);
   a straight " opens or closes by what touches it, and mixed pairs (“…" or
   "…”) found in scraped text still close. A quote may run over a line or
   paragraph break, but an opening mark is given up after ``_MAX_BLOCKS``
   blocks, ``_MAX_CHARS`` characters or at a heading, so a stray mark never
   swallows the rest of the article; a quote that opens a paragraph (or
   follows a colon) and is never closed is recovered up to the end of its
   paragraph. The same mark opening again in a later paragraph closes the
   pending one at its paragraph end (the news convention for quotes running
   over several paragraphs).

2. **Kind and attribution of quoted spans.** *Direct*: the quote stands as
   the reporter's sentence, or follows ``:`` / ``said,``. *Partial*: a
   fragment inside the reporter's own sentence (``qualifié l’offre de
   « ridicule »``, ``d’« Escroc »``). A short Title Case quote after a work or
   product noun or right before a noun (``le film « Oppenheimer »``, ``the
   “Morning Ledger” newsletter``), or any short quote after a label marker
   (``so-called``), is a name, not a quote; a partial quote that no cue
   governs is a scare quote and is dropped. The cue is looked for, in order:
   the speech verb right after the closing mark (``», a déclaré X``, ``,” X
   said``), the speech verb (or belief verb, or speech noun with an owner:
   ``his warnings``) governing the quote in the dependency parse, the nearest
   speech verb before the opening mark (``X a déclaré : «``, also at the end
   of the previous line), a ``selon X`` / ``according to X`` marker, a dash
   and a name after the quote (``“…” — Jane Doe``), and a colon introduction
   (``Sa réponse : «``, ``Jane Doe, The Post: “``). A direct quote with no
   cue of its own that follows an attributed quote, with nothing between but
   that quote's own attribution, goes on from it: same speaker, same cue
   (``“A,” he said. “B.”`` is one attribution in two pieces). Once indirect
   quotes are known, a floating quote still alone goes on from the latest
   reported speech of any kind before it under the same conditions (``…,
   said Jane Doe. “B.”``; ``He said repairs would take weeks.⏎“B.”``, the
   news convention of a quote opening the paragraph after its speaker's),
   else takes the speech verb of the sentence right before it (``She sighs.
   “B.”``); a question (``X was asked why …``) or a negated verb (``officials
   haven't said …``) is never carried on.

3. **Indirect quotes.** A speech verb with a clausal complement (``X a
   affirmé que …``, ``X said (that) …``, ``…, X said.``), a speech verb whose
   complement holds a partial quote (``accused Trump of … “unprecedented”``),
   a speech noun with a ``that`` clause and an owner (``his assertion that
   …``), and sentences opened or closed by ``selon X,`` / ``according to X``
   / ``Pour X,`` give the reported content (without ``que``/``that``) as an
   *indirect* quote; one nested in another quote is left out. A belief verb
   alone (``X pense que``) is not reported speech.

Speakers come from the cue's subject (``nsubj``, never a passive subject,
never a subject inside a quotation when the cue is outside it; ``-il`` in
``a-t-il indiqué``; through ``and``/``to``/participles to the governing
verb; a name beside the verb when the parse misses it, an age between them
allowed (``Trump, 70, told``), after the verb only when the verb follows a
quote and the name is not its object). A name gives its entity (a lone
surname the tagger missed gives the one person whose name ends with it; a
dateline ``WASHINGTON (AP) —`` names nobody); an apposition gives its head
(``Bret Taylor, le président d’OpenAI`` → Bret Taylor; ``le patron de
Vertex, Paul Martin`` → Paul Martin); a relative pronoun the noun its clause
hangs on (``Jane Doe, who said``; a personal ``who`` the parse hung on an
organisation goes up to the person: ``Norman Ornstein, a scholar at the
Institute who describes``); a pronoun (``il``/``elle``/``he``/``she``) gives
the most recent PERSON entity of compatible gender, the subject of the
current or an earlier sentence first (the one who speaks before the one
spoken about: in ``Mook explained that Elias made a case, he wrote`` *he* is
Mook), an earlier pronoun of the same gender passing on its own antecedent,
and a gendered common noun subject (``the woman``) or a full name the entity
stage left without an entity (``Ana Cruz, …, says``) in between blocking
older names; ``they``/``ils`` gives an organisation that is the latest
subject (``Greenpeace … They said``); a definite company noun (``the
company``, ``l’entreprise``) the most recent ORG, unless it belongs to
someone (``Trump’s campaign``, ``her campaign``); another definite role noun
(``the senator``) the person that noun was a title or apposition of. Gender
comes from titles (``Mme``, ``Mr.``), gendered appositions, the tagger's
gender on a first name, and ``X said she …``. A spokesperson or lawyer
speaking for someone (``son avocat``, ``Musk's lawyer``, ``l’avocat de
Musk``, ``a Dow spokeswoman``, ``a spokesman for Disney``) makes that someone
the speaker and the named spokesperson the *intermediary*; so do ``par la
voix de``, ``through a spokesperson``, ``communiqué diffusé par`` in the
quote's frame.

Real news adds (issue 19): an inverted subject that is a noun phrase
(``», a commenté l'analyste de Natixis Pierre Garnier``, ``said Barclays
analyst Nina Patel``: the person it names; ``a déclaré le groupe``: the
noun); a pronoun cue takes the speaker of an earlier quote as readily as a
subject (``a-t-il ajouté`` after ``», a commenté X``); ``it`` is the latest
organisation; a title noun (``poursuit la dirigeante``, ``the boss said``)
the latest person named beside a title of the same family (relations.json
roles) in the three sentences before; ``Jane Roe KC, for Acme,`` makes Acme
the speaker and Jane Roe the intermediary, for her later quotes too (``She
said``, ``Roe told``), a one-word party opening the name of one organisation
of the article (``for Acme`` / ``Acme Holdings``) being that organisation; an
attribution inside French guillemets (``« A, a expliqué X lors de … . B »``)
is cut out, leaving two quotes by X; a quoted intertitle (a short paragraph
that is only a quote) quotes no one; a floating quote after ``X issued a
statement.`` is X's; ``selon X`` / ``according to X`` is never carried on to
the next quote.

**Speakers as written.** When the subject (or the ``selon``/``according to``
object, or the inverted subject) is a noun phrase that names no entity —
``a spokeswoman``, ``un porte-parole du ministère``, ``the report``,
``officials``, ``one voter``, ``Trump’s campaign``, a name the entity stage
missed — ``speaker`` stays None and ``speaker_span`` is that noun phrase
(determiner, modifiers, prepositional complements, never a clause, an
apposition or anything past a comma), the evidence of who spoke in the
text's own words. A pronoun whose antecedent is such a noun phrase (``The
woman … She said``, ``Officials … They said``, ``Les dockers … Ils ont
dénoncé``) gives that noun phrase. Dates and amounts (``the coming days``),
words inside a quotation and markup are never speakers. When nothing in the
text supports a speaker both stay None.

``speaker_span`` is the evidence in the quote's own frame: the name's mention
or the noun phrase as written, or, for a resolved pronoun, possessive or
description, that word or noun phrase (``Il``, ``the company``); the
antecedent is then one of the entity's mentions. Two exceptions carry the
evidence from outside the frame: a pronoun standing for a noun phrase that
names no entity gives that noun phrase, and a floating quote carries the span
of the quote (or speech verb) it continues. An unresolved pronoun gives
neither speaker nor speaker span.

All words come from ``lang/<code>/quotes.json``; regexes and word sets are
compiled once per language, and each document gets one index (tokens by
offset, children, mentions by offset, quoted intervals), so attribution is
local work per quote.
"""

from __future__ import annotations

import dataclasses
from functools import cached_property
import re
from bisect import bisect_left, bisect_right
from itertools import accumulate
from dataclasses import dataclass
from functools import lru_cache

from .coref import main_org
from .lang import load, phrases
from .model import Doc, Mention, Quote, Span, Token, fold
from .pipeline import component
from .vocab import TITLE_PREDICATES, root

# Typography, not language: which marks open and close which family.
_OPENERS = {"«": "G", "“": "D", "„": "D", "‘": "S", "‹": "C", '"': "Q"}
_CLOSERS = {"»": "G", "”": "D", "’": "S", "›": "C", '"': "Q"}
_MARK_RE = re.compile(r'[«»“”„"‘’‹›]')
_OPEN_CHARS = "«“„‘‹\""
_CLOSE_CHARS = "»”’›\""
_SPACE = " \t\r\n\u00a0\u202f\u2009\u2007\u2060"
_FINAL = (".", "!", "?", "…", "...")
_MAX_BLOCKS = 2  # a quote may close at most this many blocks after it opens
_MAX_CHARS = 2500
_LEAD_TOKENS = 40
_TAIL_TOKENS = 16
_SPEAKER_TYPES = ("PERSON", "ORG", "LOC")
_NON_VERB_POS = {"NOUN", "PROPN", "PUNCT", "DET", "ADP", "PRON", "NUM", "CCONJ", "SCONJ", "SYM", "X", "SPACE"}
_NAME_DEPS = ("flat", "compound", "fixed")
_DATELINE = re.compile(r",?\s*(?:[A-Z][\w.]*\s*)?(?:\([^)\n]{1,30}\))?\s*[—–-]")




class Lexicon:
    """Compiled quote knowledge for one language (``lang/<code>/quotes.json``)."""

    def __init__(self, lang: str):
        d = load(lang, "quotes")
        self.verbs = {fold(w) for w in d.get("speech_verbs", [])}
        self.forms = {fold(w) for w in d.get("speech_forms", [])}
        self.nouns = {fold(w) for w in d.get("speech_nouns", [])}
        # belief verbs attribute quoted words ("she believes he “surrounds
        # himself …”") but alone they report no speech
        self.thought = {fold(w) for w in d.get("thought_verbs", [])}
        self.subj_pron: dict[str, str] = {fold(k): v for k, v in d.get("subject_pronouns", {}).items()}
        self.obj_pron: dict[str, str] = {fold(k): v for k, v in d.get("object_pronouns", {}).items()}
        self.possessives: dict[str, str] = {fold(k): v for k, v in d.get("possessives", {}).items()}
        self.that = {fold(w) for w in d.get("that", [])}
        # title nouns (relations.json) that name a person by role: "le dirigeant"
        self.roles = {fold(k): v for k, v in load(lang, "relations").get("roles", {}).items()
                      if v in TITLE_PREDICATES and " " not in k}
        self.org_nouns = {fold(w) for w in d.get("org_nouns", [])}
        self.indefinite = {fold(w) for w in d.get("indefinite_determiners", [])}
        # "the company said": the organisation the article is about (a
        # regulator noun, "the watchdog", is the latest regulator instead)
        self.company_nouns = {fold(w) for w in d.get("company_nouns", [])}
        # "the complaint said", "peut-on lire dans la plainte": the latest organisation wrote it
        self.document_nouns = {fold(w) for w in d.get("document_nouns", [])}
        # a board or analysts speak for the organisation named after them, as a spokesperson does
        self.inter_nouns = {fold(w) for w in d.get("intermediary_nouns", []) + d.get("body_nouns", [])}
        # "a spokesman for Disney": whom the spokesperson speaks for
        self.owner_preps = {fold(w) for w in d.get("owner_prepositions", [])}
        # pronouns that name a speaker as written without an antecedent
        self.nominal_pron = {fold(w) for w in d.get("nominal_pronouns", [])}
        # relative pronouns that stand for a person only ("who", not "which")
        self.personal_relatives = {fold(w) for w in d.get("personal_relatives", [])}
        # a quote after "X asked Y" is Y's answer, not X's words
        self.question_verbs = {fold(w) for w in d.get("question_verbs", [])}
        self.negations = {fold(w) for w in d.get("negations", [])}
        # verbs whose object is whom one speaks to ("told CNN's Dana Bash"):
        # only after these is a name following an inverted cue not the speaker
        self.addressee_verbs = {fold(w) for w in d.get("addressee_verbs", [])}
        self.gender_titles: dict[str, str] = {fold(k): v for k, v in d.get("gender_titles", {}).items()}
        self.gender_nouns: dict[str, str] = {
            fold(w): g for g, ws in d.get("gender_nouns", {}).items() for w in ws
        }
        acc = phrases(d.get("according_markers", []))
        # "Selon Musk, ..." / "..., according to Reuters."
        self.according = re.compile(rf"(?<![\w’'])(?:{acc})(?![\w’'])", re.I)
        self.opinion = re.compile(rf"^\s*(?:{phrases(d.get('opinion_markers', []))})\s+", re.I)
        self.intermediary = re.compile(rf"(?<![\w’'])(?:{phrases(d.get('intermediary_markers', []))})(?![\w’'])", re.I)
        self.work_before = re.compile(rf"(?:^|[^\w’'-])(?:{phrases(d.get('work_nouns', []))})\s*(?:[:,]\s*)?$", re.I)
        # "Jane Roe, for Acme, told the court": the one a lawyer speaks for
        rep = d.get("representation_prepositions", [])
        # (letters after the name, "Jane Roe KC, for Acme", are not in the name)
        self.represent_re = re.compile(rf"(?-i:[ \t]+[A-Z]{{2,4}})*[ \t]*,\s*(?:{phrases(rep)})\s+", re.I) if rep else None
        # « A, a-t-il dit, B »: an attribution inside the marks (French typography)
        self.incise = bool(d.get("incise_inside_marks"))
        self.label_before = re.compile(rf"(?:^|[^\w’'-])(?:{phrases(d.get('label_markers', []))})\s*(?:[:,]\s*)?$", re.I)

    def role_family(self, t: Token) -> str | None:
        """The title family (``head_of``) of a role noun (``PDG``, ``patron``,
        ``chief``), from the relation lexicon's roles."""
        if t.pos not in ("NOUN", "PROPN"):
            return None
        p = self.roles.get(fold(t.text)) or self.roles.get(fold(t.lemma))
        return root(p) if p else None

    def is_cue_verb(self, t: Token) -> bool:
        if t.pos in _NON_VERB_POS:
            return False
        return fold(t.lemma) in self.verbs or fold(t.text) in self.forms

    def is_cue_noun(self, t: Token) -> bool:
        return t.pos == "NOUN" and (fold(t.lemma) in self.nouns or fold(t.text) in self.nouns)


@lru_cache(maxsize=None)
def lexicon(lang: str) -> Lexicon:
    return Lexicon(lang)


# --------------------------------------------------------------------------
# 1. Quotation marks


@dataclass
class Marked:
    """A span between quotation marks: ``open``/``close`` are the marks'
    offsets (``close_end`` is just past the closing mark, or the paragraph end
    of a recovered quote); ``start``/``end`` bound the text without marks."""

    open: int
    close_end: int
    start: int
    end: int
    recovered: bool = False


def _inner(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in _SPACE:
        a += 1
    while b > a and text[b - 1] in _SPACE:
        b -= 1
    return a, b


def scan_marks(text: str, blocks) -> list[Marked]:
    """Outermost quoted spans of ``text``, in order (see the module docstring)."""
    if not blocks:
        return []
    bstarts = [b.start for b in blocks]
    # prefix count of non-paragraph blocks: a quote never crosses a heading
    heads = [0]
    for b in blocks:
        heads.append(heads[-1] + (b.kind != "paragraph"))
    stack: list[tuple[str, int, str, int]] = []  # family, offset, char, block
    out: list[Marked] = []
    unclosed: list[tuple[int, int]] = []

    def block_of(pos: int) -> int:
        return max(0, bisect_right(bstarts, pos) - 1)

    def expire(pos: int, b: int) -> None:
        while stack:
            _, p, _, pb = stack[0]
            if pos - p > _MAX_CHARS or b - pb > _MAX_BLOCKS or heads[b + 1] - heads[pb + 1] > 0:
                unclosed.append((p, pb))
                stack.pop(0)
            else:
                break

    def pending(fam: str) -> int | None:
        for k in range(len(stack) - 1, -1, -1):
            if stack[k][0] == fam:
                return k
        return None

    n = len(text)
    for m in _MARK_RE.finditer(text):
        pos, ch = m.start(), m.group()
        prev = text[pos - 1] if pos else "\n"
        nxt = text[pos + 1] if pos + 1 < n else "\n"
        b = block_of(pos)
        expire(pos, b)
        role = ""
        fam = ""
        if ch == '"':
            fam = "Q"
            can_open = not prev.isalnum() and nxt not in _SPACE
            can_close = prev not in _SPACE and not nxt.isalnum()
            k = pending("Q")
            if k is not None and can_close:
                role = "close"
            elif k is None and can_close and pending("D") is not None and not can_open:
                fam, role = "D", "close"  # “…" mixed marks, as scraped text has them
            elif can_open:
                role = "open"
            elif k is not None and not (prev in _SPACE and nxt in _SPACE):
                role = "close"
        elif ch == "’":
            fam = "S"
            # an apostrophe, unless a ‘ is open and it does not sit inside a word
            if pending("S") is not None and prev not in _SPACE and not (prev.isalpha() and nxt.isalpha()):
                role = "close"
                if prev in "sz" and nxt == " " and text[pos + 2 : pos + 3].islower() and _later_close(text, pos, blocks[b].end):
                    role = ""  # "the players’ union’": a plural possessive
        elif ch == "”" and pending("D") is None and (prev in _SPACE or pos == 0) and nxt.isalnum():
            fam, role = "D", "open"  # ”…” written with the closing mark twice
        elif ch == "“" and (k := pending("D")) is not None and stack[k][2] == "„":
            fam, role = "D", "close"  # „…“
        elif ch in _OPENERS and ch not in _CLOSERS:
            fam, role = _OPENERS[ch], "open"
        elif ch in _CLOSERS:
            fam, role = _CLOSERS[ch], "close"
            if ch == "”" and pending("D") is None and pending("Q") is not None:
                fam = "Q"  # "…” mixed marks
        if role == "open":
            k = pending(fam)
            if k is not None and stack[k][3] < b:
                # the same mark opens again in a later paragraph: the pending
                # quote ran to the end of its own paragraph
                if k == 0:
                    unclosed.append((stack[0][1], stack[0][3]))
                del stack[k:]
            stack.append((fam, pos, ch, b))
        elif role == "close":
            k = pending(fam)
            if k is None:
                continue  # a stray closing mark
            p = stack[k][1]
            del stack[k:]
            if k == 0:
                a, e = _inner(text, p + 1, pos)
                if a < e:
                    out.append(Marked(p, pos + 1, a, e))
    if stack:
        unclosed.append((stack[0][1], stack[0][3]))
    for p, pb in unclosed:
        q = _recover(text, p, blocks[pb])
        if q and not any(o.open <= q.open < o.close_end or q.open <= o.open < q.close_end for o in out):
            out.append(q)
    out.sort(key=lambda q: q.open)
    return out


def _later_close(text: str, pos: int, end: int) -> bool:
    """Another ’ that can close a ‘ before ``end`` (and before any new ‘)."""
    k = pos + 1
    while True:
        k = text.find("’", k, end)
        if k < 0:
            return False
        if "‘" in text[pos:k]:
            return False
        before, after = text[k - 1], text[k + 1 : k + 2] or "\n"
        if not (before.isalpha() and after.isalpha()) and before not in _SPACE:
            return True
        k += 1


def _recover(text: str, p: int, block) -> Marked | None:
    """An opening mark never closed: a direct quote to the end of its
    paragraph if it opens the paragraph or follows a colon, and the paragraph
    ends a sentence."""
    before = text[block.start : p].rstrip(_SPACE)
    if before and not before.endswith(":"):
        return None
    a, e = _inner(text, p + 1, block.end)
    body = text[a:e]
    if len(body.split()) < 3 or not body.rstrip(_CLOSE_CHARS + _SPACE).endswith(_FINAL):
        return None
    return Marked(p, e, a, e, recovered=True)


# --------------------------------------------------------------------------
# Per-document look-ups


class _Index:
    """What quotes look up in one document beyond ``doc.index`` (whose token,
    tree and sentence look-ups it passes on): body mentions, quoted
    intervals, cue words, entity genders."""

    def __init__(self, doc: Doc, lex: Lexicon, marked: list[Marked]):
        self.doc = doc
        self.lex = lex
        self.ix = ix = doc.index
        self.toks = doc.tokens
        self.tok_starts, self.children = ix.tok_starts, ix.children
        self.first_at, self.tokens_in, self.subtree, self.block_of_tok = ix.first_at, ix.tokens_in, ix.subtree, ix.block_of
        self.quoted = [(q.start, q.end) for q in marked]
        self.quoted_starts = [a for a, _ in self.quoted]
        self.open_marks = {q.open for q in marked}
        # most tokens have a part of speech that makes them neither a cue
        # verb nor a belief verb: only the others are looked up
        self.cue = [False] * len(doc.tokens)
        self.thought = [False] * len(doc.tokens)
        for t in [t for t in doc.tokens if t.pos not in _NON_VERB_POS]:
            lemma = fold(t.lemma)
            self.cue[t.i] = lemma in lex.verbs or fold(t.text) in lex.forms
            self.thought[t.i] = lemma in lex.thought
        self.cue_nouns = [t.i for t in doc.tokens if t.pos == "NOUN" and lex.is_cue_noun(t)]
        self.cue_noun_set = set(self.cue_nouns)
        self._gender: dict[str, str] | None = None
        self._surnames: dict[str, set[str]] | None = None
        self._chain: dict[int, object] = {}
        # pronoun offset -> the noun subject it refers to when that names no
        # entity ("Donald Trump's son … he said", "Officials … they said")
        self.blockers: dict[int, Token] = {}
        # offsets of the mentions that spoke an earlier quote: the speaker of
        # an inverted cue (", a commenté l'analyste X") is the one a later
        # "a-t-il ajouté" refers to, as much as a subject is
        self.spoke: set[int] = set()
        # person entity -> the mention of whom they speak for ("Jane Roe, for Acme,")
        self.parties: dict[str, object] = {}
        self._orgs_by_first: dict[str, list[str]] | None = None
        self._holders: dict[str, str | None] = {}
        self._body_by_entity: dict[str, tuple[list[int], list]] | None = None

    @cached_property
    def main_org(self) -> str | None:
        """The organisation the article is about (``coref.main_org``)."""
        return main_org(self.doc, tie_break=True)

    def in_quote(self, pos: int) -> bool:
        k = bisect_right(self.quoted_starts, pos) - 1
        return k >= 0 and self.quoted[k][0] <= pos < self.quoted[k][1]

    # mentions -----------------------------------------------------------
    def mentions_in(self, a: int, b: int) -> list:
        """Mentions overlapping [a, b), none in a heading (a heading quotes no one)."""
        return [m for m in self.ix.mentions_over(a, b) if not m.heading]

    def last_mention_before(self, eid: str, pos: int):
        """The entity's last mention (outside headings) starting before ``pos``."""
        if self._body_by_entity is None:
            self._body_by_entity = {}
            for m in self.ix.mentions:
                if not m.heading:
                    starts, ms = self._body_by_entity.setdefault(m.entity, ([], []))
                    starts.append(m.start)
                    ms.append(m)
        starts, ms = self._body_by_entity.get(eid, ((), ()))
        k = bisect_left(starts, pos)
        return ms[k - 1] if k else None

    def title_holder(self, fam: str) -> str | None:
        """The one person the article's relations give a title of family ``fam``."""
        if fam not in self._holders:
            doc = self.doc
            holders = {r.subject for r in doc.relations if root(r.predicate) == fam and r.subject in doc.entities
                       and doc.entities[r.subject].type == "PERSON"}
            self._holders[fam] = next(iter(holders)) if len(holders) == 1 else None
        return self._holders[fam]

    def entity_type(self, m) -> str:
        return self.doc.entities[m.entity].type

    def is_subject(self, m, direct: bool = False) -> bool:
        """The mention is (the name of) a subject; ``direct``: not only a
        modifier of one (``Trump attorney Alan Garten``)."""
        for t in self.tokens_in(m.start, m.end):
            k = t.i
            for _ in range(1 if direct else 4):
                tk = self.toks[k]
                if tk.dep.startswith("nsubj"):
                    return True
                if tk.dep.split(":")[0] in (*_NAME_DEPS, "appos") and tk.head != k:
                    k = tk.head
                    continue
                break
        return False

    def is_dateline(self, m) -> bool:
        """``WASHINGTON (AP) — …``: a place opening its paragraph before a dash."""
        if not self.ix.starts_block(m.start):
            return False  # (most mentions: no need to find their block)
        b = self.doc.blocks[self.block_of_tok(self.toks[min(self.first_at(m.start), len(self.toks) - 1)])]
        return m.start == b.start and bool(_DATELINE.match(self.doc.text, m.end))

    def is_dateline_tok(self, t: Token) -> bool:
        return any(self.is_dateline(m) for m in self.mentions_in(t.start, t.end))

    def surname(self, word: str) -> str | None:
        """The one PERSON entity whose name ends with ``word`` (``Schiff`` for
        ``Adam Schiff`` when the tagger missed the short form)."""
        if self._surnames is None:
            self._surnames = {}
            for e in self.doc.entities.values():
                if e.type == "PERSON":
                    for n in [e.name, *e.aliases]:
                        parts = n.split()
                        if len(parts) > 1:
                            self._surnames.setdefault(fold(parts[-1]), set()).add(e.id)
        ids = self._surnames.get(fold(word), set())
        return next(iter(ids)) if len(ids) == 1 else None

    def gender(self, eid: str) -> str:
        """'m', 'f' or '' from titles (``Mme``, ``Mr.``) and gendered
        appositions (``la présidente``, ``spokeswoman``)."""
        if self._gender is None:
            self._gender = {}
            votes: dict[str, dict[str, int]] = {}
            for m in self.ix.mentions:
                if m.heading or self.entity_type(m) != "PERSON":
                    continue
                v = votes.setdefault(m.entity, {"m": 0, "f": 0})
                i = self.first_at(m.start)
                if i > 0:
                    g = self.lex.gender_titles.get(fold(self.toks[i - 1].text))
                    if g in v:
                        v[g] += 1
                toks = self.tokens_in(m.start, m.end)
                if len(toks) > 1 and toks[0].pos == "PROPN":
                    g = _morph_gender(toks[0])  # "Sophie Laurent": Gender=Fem on the first name
                    if g in v:
                        v[g] += 1
                for t in toks:
                    g = self.lex.gender_titles.get(fold(t.text))
                    if g in v:
                        v[g] += 1
                    for c in self.children[t.i]:
                        ct = self.toks[c]
                        if ct.dep == "appos" and ct.pos == "NOUN":
                            g = self.lex.gender_nouns.get(fold(ct.lemma)) or _morph_gender(ct)
                            if g in v:
                                v[g] += 1
            # "Kelly Ayotte said she would …": the reported clause's pronoun
            for t in self.toks:
                if not t.dep.startswith("nsubj") or t.pos != "PROPN":
                    continue
                verb = t.head
                for c in self.children[verb]:
                    if self.toks[c].dep != "ccomp":
                        continue
                    for g in self.children[c]:
                        gt = self.toks[g]
                        gen = self.lex.subj_pron.get(fold(gt.text)) if gt.dep.startswith("nsubj") else None
                        if gen in ("m", "f"):
                            for m in self.mentions_in(t.start, t.end):
                                if self.entity_type(m) == "PERSON" and m.entity in votes:
                                    votes[m.entity][gen] += 1
            for eid2, v in votes.items():
                if v["m"] != v["f"]:
                    self._gender[eid2] = "m" if v["m"] > v["f"] else "f"
        return self._gender.get(eid, "")

    def _gendered_subject(self, sent, gender: str) -> Token | None:
        for t in self.doc.sent_tokens(sent):
            if t.dep.startswith("nsubj") and t.pos == "NOUN" and self.lex.gender_nouns.get(fold(t.lemma)) == gender:
                return None if any(True for _ in self.mentions_in(t.start, t.end)) else t
        return None

    def antecedent(self, pos: int, etype: str, gender: str = "", depth: int = 0):
        """The most recent mention of an ``etype`` entity before ``pos``:
        a subject of the current or of an earlier sentence first (an earlier
        subject pronoun of the same gender passes on its own antecedent:
        ``Sophie … Elle … Il … Elle``), else the nearest compatible mention of
        an earlier sentence."""
        si = self.ix.sent_at(pos)
        if si < 0:
            return None
        fallback = None
        lo = max(0, si - 8)
        for s in range(si, lo - 1, -1):
            sent = self.doc.sentences[s]
            if sent.heading:
                continue
            if gender in ("m", "f") and s != si and (g := self._gendered_subject(sent, gender)) is not None:
                # "The woman … She claimed": the pronoun is hers, not a name's
                if fallback is None:
                    self.blockers[pos] = g
                return fallback
            cands = []
            for m in self.mentions_in(sent.start, min(sent.end, pos)):
                if m.end > pos or self.entity_type(m) != etype or self.in_quote(m.start):
                    continue
                if gender in ("m", "f") and self.gender(m.entity) not in ("", gender):
                    continue
                cands.append(m)
            subj = [m for m in cands if self.is_subject(m) or m.start in self.spoke]
            if gender in ("m", "f") and etype == "PERSON":
                u = self._unnamed_subject(sent, pos)
                if u is not None and (not subj or u.start > subj[-1].start):
                    # "Ana Cruz, …, says …" with no entity for Ana Cruz:
                    # the pronoun is hers, not an older name's
                    return fallback
            if subj:
                # the one who speaks before the one spoken about: "Mook
                # explained that Elias made a case, he wrote" is Mook
                main = [m for m in subj if not self.reported(m)]
                return (main or subj)[-1]
            if s != si and gender in ("m", "f") and depth < 4:
                p = self._subject_pronoun(sent, gender)
                if p is not None:
                    if p.i not in self._chain:
                        self._chain[p.i] = None
                        self._chain[p.i] = self.antecedent(p.start, etype, gender, depth + 1)
                    if self._chain[p.i] is not None:
                        return self._chain[p.i]
            if cands and s != si and fallback is None:
                fallback = cands[-1]
        return fallback

    def group_antecedent(self, pos: int):
        """``they``/``ils`` for an organisation: the latest subject of the
        current or the three previous sentences, when that subject is an ORG
        name; a plural noun or a pair of names as subject in between is the
        group instead (``Officials …``, ``Smith and Jones …``), and a person
        as subject leaves the pronoun unresolved."""
        si = self.ix.sent_at(pos)
        for s in range(si, max(-1, si - 4), -1):
            sent = self.doc.sentences[s]
            if sent.heading:
                continue
            subs = [t for t in self.doc.sent_tokens(sent)
                    if t.dep.startswith("nsubj") and t.start < pos and not self.in_quote(t.start)]
            for t in reversed(subs):
                if self.lex.subj_pron.get(fold(t.text.lstrip("-"))) == "p":
                    continue  # an earlier "they" passes on its own antecedent
                m = next((m for m in self.mentions_in(t.start, t.end)), None)
                if m is None:
                    for c in self.children[t.i]:
                        if self.toks[c].dep.split(":")[0] in _NAME_DEPS:
                            m = next((m for m in self.mentions_in(self.toks[c].start, self.toks[c].end)), None)
                            if m:
                                break
                if m is not None and self.entity_type(m) == "ORG" and not any(
                        self.toks[c].dep == "conj" for c in self.children[t.i]):
                    return m
                if m is None and t.pos == "NOUN" and "Number=Plur" in t.morph:
                    self.blockers[pos] = t  # "Officials … they said": the group as written
                return None
        return None

    def _unnamed_subject(self, sent, pos: int) -> Token | None:
        """The latest speaker of ``sent`` before ``pos`` (subject of a speech
        verb) that is a full name (``Ana Cruz``) the entity stage left
        without an entity."""
        for t in reversed(self.doc.sent_tokens(sent)):
            if t.start >= pos or not t.dep.startswith("nsubj") or t.pos != "PROPN" or self.in_quote(t.start):
                continue
            if not self.cue[t.head]:
                continue  # only a speaker: "Ana Cruz, …, says", not "Wall Street …"
            parts = [self.toks[c] for c in self.children[t.i] if self.toks[c].dep.split(":")[0] in _NAME_DEPS]
            if parts and all(p.pos == "PROPN" for p in parts) and t.text[:1].isupper() \
                    and not any(True for _ in self.mentions_in(min(p.start for p in parts + [t]), t.end)):
                return t
        return None

    def reported(self, m) -> bool:
        """The mention lies in the clause a speech verb reports (``X said
        that [m …]``)."""
        k = self.first_at(m.start)
        if k >= len(self.toks):
            return False
        for _ in range(12):
            t = self.toks[k]
            if t.head == k:
                return False
            if t.dep.split(":")[0] == "ccomp" and self.cue[t.head]:
                return True
            k = t.head
        return False

    def _subject_pronoun(self, sent, gender: str) -> Token | None:
        for t in self.doc.sent_tokens(sent):
            if (t.dep.startswith("nsubj") or t.dep == "expl:subj") and not self.in_quote(t.start):
                if self.lex.subj_pron.get(fold(t.text.lstrip("-"))) == gender:
                    return t
        return None


def _morph_gender(t: Token) -> str:
    if "Gender=Fem" in t.morph:
        return "f"
    if "Gender=Masc" in t.morph:
        return "m"
    return ""


# --------------------------------------------------------------------------
# Speakers


@dataclass
class _Who:
    speaker: str | None = None
    span: Span | None = None
    intermediary: str | None = None
    inter_span: Span | None = None


def _tok_span(doc: Doc, t: Token) -> Span:
    a, b = t.start, t.end
    while a < b and doc.text[a] in "-’'":
        a += 1  # "-il" in "a-t-il"
    return doc.span(a, b)


def _np_span(ix: _Index, t: Token) -> Span:
    """The noun phrase of ``t`` (determiner, adjectives, ``t``), not its clauses."""
    lo = t.i
    for c in ix.children[t.i]:
        ct = ix.toks[c]
        if c < t.i and ct.dep.split(":")[0] in ("det", "amod", "compound", "nmod", "poss") and ct.pos != "PUNCT":
            lo = min(lo, ix.subtree(c)[0])
    a = ix.toks[lo].start
    return ix.doc.span(a, t.end)


# not "case": "Selon le rapport" names "le rapport" (a possessive "’s" comes
# with its possessor's subtree)
_LEFT_DEPS = ("det", "amod", "compound", "nmod", "poss", "nummod", "quantmod", "advmod", "predet", "flat")
_RIGHT_DEPS = ("prep", "nmod", "amod", "compound", "flat", "nummod")
_NOMINAL_MAX = 12  # tokens: a speaker as written is a noun phrase, not a clause


def _nominal_span(ix: _Index, t: Token) -> Span:
    """The noun phrase naming a speaker as written: determiner, adjectives,
    ``t`` and its prepositional modifiers (``a spokesman for the agency``,
    ``un porte-parole du ministère``), never its clauses, appositions or
    anything past a comma or a quotation mark."""
    toks = ix.toks
    lo = hi = t.i
    for c in sorted(ix.children[t.i], reverse=True):
        ct = toks[c]
        if c < t.i and ct.dep.split(":")[0] in _LEFT_DEPS and ct.pos != "PUNCT":
            a, b = ix.subtree(c)
            if t.i - a <= _NOMINAL_MAX and not any(
                    toks[k].pos == "PUNCT" and not _joiner(ix, k) for k in range(a, t.i)):
                lo = min(lo, a)
    for c in sorted(ix.children[t.i]):
        ct = toks[c]
        # a participle with no subject of its own modifies the noun: "a
        # person briefed on the offer", "une source proche du dossier"
        participle = ct.dep.split(":")[0] == "acl" and ct.pos == "VERB" and "VerbForm=Part" in ct.morph \
            and not any(toks[g].dep.startswith("nsubj") for g in ix.children[c])
        if c < t.i or ct.dep.split(":")[0] not in _RIGHT_DEPS and not participle:
            continue
        a, b = ix.subtree(c)
        if b - lo >= _NOMINAL_MAX or any(
            toks[k].pos == "PUNCT" and not _joiner(ix, k) or toks[k].pos in ("VERB", "AUX") and k != c
            or ix.in_quote(toks[k].start)
            for k in range(hi + 1, b + 1)
        ):
            break
        hi = b
    while lo < t.i and toks[lo].pos in ("PUNCT", "ADP"):
        lo += 1
    return ix.doc.span(_tok_span(ix.doc, toks[lo]).start, toks[hi].end)


_NOT_SPEAKER_LABELS = {"DATE", "TIME", "MONEY", "QUANTITY", "ORDINAL"}
_MARKUP = re.compile(r"[<>=\[\]{}|/\\#_*]")


def _joiner(ix: _Index, k: int) -> bool:
    """A hyphen or apostrophe inside a word (``start-up``), not a dash
    between words (``MOSCOW - Russia's network``)."""
    t = ix.toks[k]
    if t.text not in "-’'":
        return False
    return k > 0 and ix.toks[k - 1].end == t.start or k + 1 < len(ix.toks) and ix.toks[k + 1].start == t.end


def _nominal(ix: _Index, t: Token) -> _Who:
    """A speaker as written that is no entity (``a spokeswoman``, ``the
    report``, ``officials``): its noun phrase, no speaker. Not a date or an
    amount (``the coming days``), not words inside a quotation, not markup."""
    if ix.in_quote(t.start) or t.ent_label in _NOT_SPEAKER_LABELS or not t.text[:1].isalpha():
        return _Who()
    span = _nominal_span(ix, t)
    if _MARKUP.search(span.text):
        return _Who()
    return _Who(None, span)


def _name_mention(ix: _Index, t: Token, types=_SPEAKER_TYPES):
    """The entity mention naming ``t`` (the token itself, then its name
    parts); a dateline (``WASHINGTON (AP) —``) names no speaker."""
    for m in ix.mentions_in(t.start, t.end):
        if ix.entity_type(m) in types and not ix.is_dateline(m):
            return m
    lo, hi = t.start, t.end
    dateline = ix.is_dateline_tok(t)
    for c in ix.children[t.i]:
        ct = ix.toks[c]
        if ct.dep.split(":")[0] in _NAME_DEPS:
            lo, hi = min(lo, ct.start), max(hi, ct.end)
        elif dateline and ct.pos != "PUNCT":
            # the parse hangs the real subject under the dateline
            a, z = ix.subtree(c)
            lo, hi = min(lo, ix.toks[a].start), max(hi, ix.toks[z].end)
    best = None
    for m in ix.mentions_in(lo, hi):
        if ix.entity_type(m) in types and not ix.is_dateline(m) and (best is None or ix.entity_type(m) == "PERSON"):
            best = m
    return best


def _mention_who(doc: Doc, m) -> _Who:
    return _Who(m.entity, doc.span(m.start, m.end))


def _owner(ix: _Index, t: Token, depth: int = 0) -> _Who:
    """Whose spokesperson/lawyer ``t`` is: ``Musk's lawyer``, ``l'avocat de
    Musk``, ``son avocat`` (antecedent of the possessive), ``a Dow
    spokeswoman``, ``a spokesman for Disney``; one common noun further
    (``le conseil d'administration de Solvay``, ``the board of directors of X``)."""
    doc, lex = ix.doc, ix.lex
    for c in ix.children[t.i]:
        ct = ix.toks[c]
        dep = ct.dep.split(":")[0]
        if dep in ("poss", "nmod", "det") and ct.i != t.i:
            low = fold(ct.text)
            if low in lex.possessives:
                g = lex.possessives[low]
                etype = "ORG" if g == "org" else "PERSON"
                m = ix.antecedent(ct.start, etype, g if g in ("m", "f") else "")
                if m is None and g == "":
                    m = ix.antecedent(ct.start, "ORG")
                if m is not None:
                    return _Who(m.entity, _tok_span(doc, ct))
                continue
        if dep in ("poss", "nmod") or dep == "compound" and c < t.i and ct.pos == "PROPN":
            # "a Dow spokeswoman", not "the Clinton campaign spokesman"
            m = _name_mention(ix, ct, ("PERSON", "ORG"))
            if m is not None:
                return _mention_who(doc, m)
        if dep == "prep" and c > t.i and fold(ct.text) in lex.owner_preps:
            for g in ix.children[c]:
                if ix.toks[g].dep == "pobj":
                    m = _name_mention(ix, ix.toks[g], ("PERSON", "ORG"))
                    if m is not None:
                        return _mention_who(doc, m)
    for nxt in _complements(ix, t, lex.owner_preps, after=True) if depth == 0 else ():
        if nxt.pos == "NOUN":
            w = _owner(ix, nxt, 1)
            if w.speaker:
                return w
    return _Who()


def _complements(ix: _Index, t: Token, preps=None, after: bool = False):
    """The nouns completing ``t``: an nmod (UD) or the object of a preposition
    (ClearNLP, only ``preps`` when given); ``after``: only those after ``t``."""
    for c in ix.children[t.i]:
        ct = ix.toks[c]
        if after and c < t.i:
            continue
        if ct.dep.split(":")[0] == "nmod":
            yield ct
        elif ct.dep == "prep" and (preps is None or fold(ct.text) in preps):
            yield from (ix.toks[g] for g in ix.children[c] if ix.toks[g].dep == "pobj")


def _party(ix: _Index, t: Token, m):
    """``Jane Roe, for Acme,``: the name set off by commas right after a
    representation preposition that follows the person's name."""
    if ix.lex.represent_re is None or ix.entity_type(m) != "PERSON" and m.label not in ("PERSON", "PER"):
        return None  # (the tagger's label: a person the entity stage typed otherwise)
    text = ix.doc.text
    mt = ix.lex.represent_re.match(text, m.end)
    if not mt:
        return None
    comma = text.find(",", mt.end(), mt.end() + 80)
    if comma < 0:
        return None
    for pm in ix.mentions_in(mt.end(), comma):
        if ix.entity_type(pm) in ("PERSON", "ORG") and pm.entity != m.entity:
            return _short_form(ix, pm)
    a, b = _inner(text, mt.end(), comma)
    word = text[a:b]
    if word[:1].isupper() and word.isalpha():
        # a short form the tagger left without a mention
        org = _org_opening_with(ix, word, None)
        if org is not None:
            return Mention(a, b, word, "short form", org)
    return None


def _org_opening_with(ix: _Index, word: str, other: str | None) -> str | None:
    """The one organisation of the article whose name (of two words or more)
    opens with ``word``."""
    if ix._orgs_by_first is None:  # first folded word -> organisations, once per document
        ix._orgs_by_first = {}
        for o in ix.doc.entities.values():
            if o.type == "ORG" and len(o.name.split()) > 1:
                ix._orgs_by_first.setdefault(fold(o.name).split()[0], []).append(o.id)
    orgs = [o for o in ix._orgs_by_first.get(fold(word), ()) if o != other]
    return orgs[0] if len(orgs) == 1 else None


def _short_form(ix: _Index, pm):
    """``for Getty`` when the article names ``Getty Images``: a one-word name
    that opens the name of exactly one organisation of the article is that
    organisation (a mention of it at the same place)."""
    e = ix.doc.entities[pm.entity]
    if e.type == "ORG" or len(e.name.split()) != 1:
        return pm
    org = _org_opening_with(ix, e.name, e.id)
    return pm if org is None else dataclasses.replace(pm, entity=org)


def _represented(ix: _Index, who: _Who) -> _Who:
    """A person who spoke for someone earlier (``Jane Roe, for Acme,``)
    still speaks for them (``She added``, ``Roe told the court``): the one
    spoken for is the speaker, the person the intermediary."""
    if not ix.parties or not who.speaker or who.intermediary:
        return who
    party = ix.parties.get(who.speaker)
    if party is None:
        e = ix.doc.entities.get(who.speaker)
        if e is None or e.type != "PERSON" or len(e.name.split()) != 1:
            return who
        # "Roe" for "Jane Roe" when the entity stage kept the surname apart
        hits = [p for k, p in ix.parties.items() if fold(e.name) in fold(ix.doc.entities[k].name).split()]
        if len(hits) != 1:
            return who
        party = hits[0]
    return _Who(party.entity, who.span, who.speaker, who.span)


def _has_owner(ix: _Index, t: Token) -> bool:
    """``Trump's campaign``, ``her campaign``, ``the campaign of X``: a
    group noun that belongs to someone is not the latest organisation."""
    for c in ix.children[t.i]:
        ct = ix.toks[c]
        dep = ct.dep.split(":")[0]
        if dep == "poss" or dep == "det" and fold(ct.text) in ix.lex.possessives:
            return True
        if dep in ("nmod", "compound") and _name_mention(ix, ct, ("PERSON", "ORG", "LOC")) is not None:
            return True
        if dep == "prep" and c > t.i and fold(ct.text) in ix.lex.owner_preps:
            return True
    return False


def _is_relative(ix: _Index, t: Token) -> bool:
    head = ix.toks[t.head]
    return ("PronType=Rel" in t.morph or t.tag in ("WP", "WDT")) and head.dep in ("relcl", "acl:relcl", "acl") \
        and head.head != head.i and t.i < head.i


def resolve(ix: _Index, t: Token, depth: int = 0) -> _Who:
    """The speaker named or designated by the subject token ``t``: an entity
    with the evidence span, or, for a noun phrase that names no entity, that
    noun phrase as written and no speaker."""
    doc, lex = ix.doc, ix.lex
    if fold(t.text.strip("-‑")) == "t" and t.i + 1 < len(ix.toks) and ix.toks[t.i + 1].text[:1] in "-‑":
        t = ix.toks[t.i + 1]  # "ajoute-t-il" parsed with "-t" as subject: the pronoun is "-il"
    low = fold(t.text.lstrip("-"))
    # a spokesperson or lawyer: speaker is the one spoken for
    role_tokens = [t] + [ix.toks[c] for c in ix.children[t.i] if ix.toks[c].dep.split(":")[0] in ("compound", "appos")]
    for r in role_tokens:
        if r.pos == "NOUN" and (fold(r.lemma) in lex.inter_nouns or fold(r.text) in lex.inter_nouns):
            owner = _owner(ix, t)
            if owner.speaker is None and r is not t:
                owner = _owner(ix, r)
            named = None
            for c in [t.i] + ix.children[t.i] + ix.children[r.i]:
                m = _name_mention(ix, ix.toks[c], ("PERSON",))
                if m is not None and (owner.speaker is None or m.entity != owner.speaker):
                    named = m
                    break
            if owner.speaker:
                w = owner
                if named is not None:
                    w.intermediary, w.inter_span = named.entity, doc.span(named.start, named.end)
                return w
            if named is not None:
                return _mention_who(doc, named)
            return _nominal(ix, t)  # "a spokeswoman", "un porte-parole du ministère"
    if depth < 2 and _is_relative(ix, t):
        # "Jane Doe, who said …": the noun the relative clause hangs on; a
        # personal "who" skips an organisation the parse hung it on ("Norman
        # Ornstein, a scholar at the Institute who describes …")
        ante = ix.toks[ix.toks[t.head].head]
        w = resolve(ix, ante, depth + 1)
        if low in lex.personal_relatives and w.speaker and doc.entities[w.speaker].type != "PERSON" \
                and ante.dep.split(":")[0] in ("pobj", "nmod", "obl"):
            w = _Who()
            k = ante.i
            for _ in range(5):  # up to the person the phrase describes
                if ix.toks[k].head == k:
                    break
                k = ix.toks[k].head
                if ix.toks[k].pos in ("NOUN", "PROPN"):
                    w2 = resolve(ix, ix.toks[k], depth + 1)
                    if w2.speaker and doc.entities[w2.speaker].type == "PERSON":
                        w = w2
                        break
        if w.speaker:
            return _Who(w.speaker, _tok_span(doc, t), w.intermediary, w.inter_span)
        return w
    if t.pos == "PRON" or low in lex.subj_pron or low in lex.obj_pron:
        if low in lex.nominal_pron:
            return _nominal(ix, t)  # "one", "another", "others", "I"
        g = lex.subj_pron.get(low, lex.obj_pron.get(low))
        m = None
        if g in ("m", "f"):
            m = ix.antecedent(t.start, "PERSON", g)
        elif g == "p" and low in lex.subj_pron:
            m = ix.group_antecedent(t.start)
        elif g == "org":
            m = ix.antecedent(t.start, "ORG")  # "it told the court": the latest organisation
        if m is not None:
            return _Who(m.entity, _tok_span(doc, t))
        if t.start in ix.blockers and depth < 2:
            # the pronoun stands for a noun phrase that names no entity
            # ("The woman … she said", "Officials … they said"): that noun
            # phrase is the speaker as written
            w = resolve(ix, ix.blockers[t.start], depth + 1)
            if w.speaker is None and w.span is not None:
                return w
        return _Who()
    m = _name_mention(ix, t)
    if m is not None:
        party = _party(ix, t, m)
        if party is not None:
            # "Jane Roe, for Acme, told the court": Acme speaks through her
            ix.parties[m.entity] = party
            return _Who(party.entity, doc.span(party.start, party.end), m.entity, doc.span(m.start, m.end))
        return _mention_who(doc, m)
    if t.pos == "PROPN":
        eid = ix.surname(t.text)
        if eid:
            return _Who(eid, _tok_span(doc, t))
    if t.pos in ("NOUN", "PROPN"):
        # "le président d'OpenAI, Bret Taylor": the apposed name (a comma
        # apposition is often parsed as a conjunct without its "and")
        for c in ix.children[t.i]:
            ct = ix.toks[c]
            if ct.dep == "appos" or ct.dep == "conj" and not any(ix.toks[g].dep == "cc" for g in ix.children[c]):
                m = _name_mention(ix, ct, ("PERSON", "ORG"))
                if m is not None:
                    return _mention_who(doc, m)
        # "the chief executive of Halvorsen, Anna Berg": the parse hangs the
        # apposed person on the organisation
        for o in _complements(ix, t):
            for g in ix.children[o.i]:
                if ix.toks[g].dep == "appos" and g > o.i:
                    m = _name_mention(ix, ix.toks[g], ("PERSON",))
                    if m is not None:
                        return _mention_who(doc, m)
        dets = [ix.toks[c] for c in ix.children[t.i] if ix.toks[c].dep.split(":")[0] in ("det", "poss")]
        if any(fold(d.text) in lex.indefinite for d in dets):
            return _nominal(ix, t)
        lem = fold(t.lemma)
        if (lem in lex.document_nouns or fold(t.text) in lex.document_nouns) and "Number=Plur" not in t.morph:
            if _has_owner(ix, t):
                # "le compte officiel de Velmont", "Acme's statement": its owner speaks
                w = _owner(ix, t)
                return w if w.speaker else _nominal(ix, t)
            m = ix.antecedent(t.start, "ORG")
            if m is not None:
                return _Who(m.entity, _np_span(ix, t))
            return _nominal(ix, t)
        if lem in lex.org_nouns or fold(t.text) in lex.org_nouns:
            if not _has_owner(ix, t) and "Number=Plur" not in t.morph:
                # "the company said", "a déclaré le groupe": the organisation
                # the article is about, else the latest one
                main = None
                if lem in lex.company_nouns or fold(t.text) in lex.company_nouns:
                    # the organisation the last sentences had acting, else the article's
                    main = _subject_org(ix, t) or ix.main_org
                if main is not None:
                    return _Who(main, _np_span(ix, t))
                m = ix.antecedent(t.start, "ORG")
                if m is not None:
                    return _Who(m.entity, _np_span(ix, t))
            return _nominal(ix, t)
        if t.pos == "NOUN" and dets:
            m = _described(ix, t)
            if m is not None:
                return _Who(m.entity, _np_span(ix, t))
    if t.pos in ("NOUN", "PROPN", "NUM") and not ix.is_dateline_tok(t):
        return _nominal(ix, t)
    return _Who()


def _subject_org(ix: _Index, t: Token, back: int = 2) -> str | None:
    """The organisation that is the subject of the sentence before ``t`` in
    its own (outside quotes), else of one of the ``back`` sentences before:
    "Kestrel announced an investment in Nordic Oats. '…,' the company said"
    (Kestrel, though Nordic Oats may be the article's most named)."""
    for si in range(t.sent, max(-1, t.sent - back - 1), -1):
        sent = ix.doc.sentences[si]
        found = None
        for u in ix.doc.sent_tokens(sent):
            if u.start >= t.start:
                break
            head = ix.toks[u.head]
            # the main clause's subject, not a reported one ("He added that Globex would …")
            if u.dep.split(":")[0] == "nsubj" and head.head == head.i and not ix.in_quote(u.start):
                m = _name_mention(ix, u, ("ORG",))
                for c in ix.children[u.i] if m is None and u.pos == "NOUN" else ():  # "Le groupe Solvane a annoncé"
                    if c > u.i and ix.toks[c].dep.split(":")[0] in ("appos", "nmod", "flat", "compound"):
                        m = m or _name_mention(ix, ix.toks[c], ("ORG",))
                if m is not None:
                    found = found or m.entity
        if found is not None:
            return found
    return None


def _described(ix: _Index, t: Token):
    """``the senator`` → the latest PERSON mention the same noun stood beside
    (``Senator Smith``, ``Smith, the senator``) in an earlier sentence."""
    lem = fold(t.lemma)
    si = t.sent
    for s in range(si - 1, max(-1, si - 8), -1):
        sent = ix.doc.sentences[s]
        if sent.heading:
            continue
        toks = ix.doc.sent_tokens(sent)
        hits = [u for u in toks if fold(u.lemma) == lem and u.pos in ("NOUN", "PROPN")]
        if not hits:
            continue
        for m in reversed(list(ix.mentions_in(sent.start, sent.end))):
            if ix.entity_type(m) != "PERSON":
                continue
            inside = {t.i for t in ix.tokens_in(m.start, m.end)}
            for u in hits:
                # "Senator Smith" / "Smith, the senator" / "the senator, Smith"
                if u.head in inside and u.dep.split(":")[0] in ("compound", "appos", "flat"):
                    return m
                if any(ix.toks[i].head == u.i and ix.toks[i].dep.split(":")[0] in ("appos", "compound", "flat") for i in inside):
                    return m
    return _titled(ix, t)


_ROLE_WINDOW = 4  # tokens between a name and its title ("Jane Roe, the chief executive")


def _of_role(ix: _Index, u: Token, roles: list[int]) -> bool:
    """``u`` hangs on a role noun as its complement (``de Vertex``, ``of Vertex``)."""
    h = ix.toks[u.head]
    if h.pos == "ADP":
        h = ix.toks[h.head]
    return h.i in roles and u.dep.split(":")[0] in ("nmod", "pobj", "flat", "compound") and u.i > h.i


def _titled(ix: _Index, t: Token):
    """``le dirigeant``, ``the chief executive``: the latest PERSON of the
    previous sentences named beside a title of the same family (``Jane Roe,
    grand patron de Vertex``; ``Vertex CEO Jane Roe``), or the one person the
    article's relations give such a title."""
    fam = ix.lex.role_family(t)
    if fam is None:
        return None
    doc = ix.doc
    for s in range(t.sent - 1, max(-1, t.sent - 4), -1):
        sent = doc.sentences[s]
        if sent.heading:
            continue
        toks = doc.sent_tokens(sent)
        roles = [u.i for u in toks if u.i != t.i and ix.lex.role_family(u) == fam and not ix.in_quote(u.start)]
        if not roles:
            continue
        for m in reversed(list(ix.mentions_in(sent.start, sent.end))):
            if ix.entity_type(m) != "PERSON" or ix.in_quote(m.start):
                continue
            inside = [u.i for u in ix.tokens_in(m.start, m.end)]
            if not inside or any(_of_role(ix, ix.toks[i], roles) for i in inside):
                continue  # "patronne de Vertex": the organisation of the title, not its holder
            if any(inside[0] - _ROLE_WINDOW <= r <= inside[-1] + _ROLE_WINDOW for r in roles):
                return m
    eid = ix.title_holder(fam)
    return ix.last_mention_before(eid, t.start) if eid is not None else None


def subject_of(ix: _Index, v: Token) -> Token | None:
    """The subject of the cue verb ``v`` (following ``conj``/``xcomp`` to the
    governing verb when ``v`` has none)."""
    lex = ix.lex
    cur = v
    # a cue outside quotes takes no subject from inside one ("… the
    # investigation is over” and suggested that …")
    outside = not ix.in_quote(v.start)
    for _ in range(5):
        subs = [
            ix.toks[c] for c in ix.children[cur.i]
            if (ix.toks[c].dep in ("nsubj", "expl:subj")
                and (ix.toks[c].dep == "nsubj" or fold(ix.toks[c].text.lstrip("-")) in lex.subj_pron)
                # a name the tagger took for a verb: "Trump in recent days has suggested"
                or ix.toks[c].dep == "csubj" and _name_mention(ix, ix.toks[c]) is not None
                # "a-t-il poursuivi": an inverted clitic is never a passive subject
                or _inverted_clitic(ix, ix.toks[c]))
            and (outside is False or not ix.in_quote(ix.toks[c].start))
        ]
        if subs:
            # two subjects is a parse error; the one nearest the verb is right
            return min(subs, key=lambda u: abs(u.i - cur.i))
        passive = any(ix.toks[c].dep.startswith("nsubj") and ix.toks[c].dep not in ("nsubj", "expl:subj")
                      and not _inverted_clitic(ix, ix.toks[c])
                      and not (outside and ix.in_quote(ix.toks[c].start)) for c in ix.children[cur.i])
        for c in ix.children[cur.i]:
            ct = ix.toks[c]
            if ct.dep == "agent":  # English passive: "was told by X"
                for g in ix.children[ct.i]:
                    if ix.toks[g].dep == "pobj":
                        return ix.toks[g]
            if ct.dep == "obl:agent":  # "a été annoncé par X"
                return ct
        if passive:
            return None  # "the bid was reported": what was said, not who
        if outside and cur is not v and ix.in_quote(cur.start):
            # the parse hung the cue under the quoted sentence ("“…,” Trump
            # said, before suggesting …"): the quote's own cue speaks
            for c in ix.children[cur.i]:
                ct = ix.toks[c]
                if c != v.i and ix.cue[c] and not ix.in_quote(ct.start) \
                        and ct.dep.split(":")[0] in ("parataxis", "ccomp", "conj"):
                    sub = next((ix.toks[g] for g in ix.children[c] if ix.toks[g].dep == "nsubj"
                                and not ix.in_quote(ix.toks[g].start)), None)
                    if sub is not None:
                        return sub
        # "… and told", "decided to say", "…, adding", "by referring to"
        if cur.dep.split(":")[0] in ("conj", "xcomp", "advcl", "pcomp", "prep") and cur.head != cur.i:
            nxt = ix.toks[cur.head]
            if cur.dep == "conj" and cur.pos == "VERB" and nxt.pos in ("NOUN", "PROPN", "PRON"):
                # a verb conjoined to a noun is a misparse ("… campaign with
                # Trump and advising …"): go up to the nearest verb
                for _ in range(4):
                    if nxt.pos in ("VERB", "AUX") or nxt.head == nxt.i:
                        break
                    nxt = ix.toks[nxt.head]
            cur = nxt
            continue
        break
    return None


_OBJECT_DEPS = ("dobj", "obj", "iobj", "dative", "pobj")


def _inverted_clitic(ix: _Index, t: Token) -> bool:
    """``-il`` in ``a-t-il poursuivi``: a subject pronoun joined to its verb."""
    return t.dep.startswith("nsubj") and t.text[:1] in "-‑" and fold(t.text.lstrip("-‑")) in ix.lex.subj_pron


def _np_goes_on(ix: _Index, t: Token) -> bool:
    """The token after the name ``t`` still belongs to its noun phrase (a
    common noun: ``Barclays analyst``)."""
    k = t.i + 1
    typ = ix.entity_type(_name_mention(ix, t))
    while k < len(ix.toks) and ix.toks[k].pos == "PROPN" and (m := _name_mention(ix, ix.toks[k])) is not None \
            and ix.entity_type(m) == typ:
        k += 1
    return k < len(ix.toks) and ix.toks[k].pos == "NOUN" and ix.toks[k].sent == t.sent


def _speaker_near_verb(ix: _Index, v: Token, inverted: bool = False) -> Token | None:
    """Parse missed the subject: a proper name right before the verb (an age
    may stand between: ``Trump, 70, told``), or, when the verb follows a
    quote (``», a répondu Sam Altman``, ``,” said Smith``), right after it,
    unless that name is the verb's object (``told CNN's Dana Bash``)."""
    k = v.i + 1
    n = len(ix.toks)
    noun: Token | None = None  # "a commenté l'analyste de Natixis Pierre Garnier"
    org: Token | None = None
    while inverted and k < n and k <= v.i + (8 if noun is not None else 3) and ix.toks[k].sent == v.sent:
        tk = ix.toks[k]
        owner = ix.toks[tk.head] if tk.dep.split(":")[0] in ("poss", "compound", "flat", "nmod") else tk
        if (tk.dep.split(":")[0] in _OBJECT_DEPS or owner.dep.split(":")[0] in _OBJECT_DEPS) and (
                fold(v.lemma) in ix.lex.addressee_verbs or fold(v.text) in ix.lex.addressee_verbs):
            break
        m = _name_mention(ix, tk) if tk.pos in ("PROPN", "NOUN", "VERB") else None
        if m is not None:
            if ix.entity_type(m) == "PERSON" or noun is None and org is None and not _np_goes_on(ix, tk):
                return tk
            # "said Barclays analyst Nina Patel": the person the noun phrase names
            org = org or tk
        elif tk.pos == "NOUN" and noun is None and not ix.in_quote(tk.start):
            noun = tk  # the role or group noun of an inverted subject
        elif tk.text == "," and noun is not None and k + 1 < n and ix.toks[k + 1].dep.split(":")[0] == "appos":
            pass  # "a déclaré la directrice de X, Emma Rourke": the name apposed to the role
        elif tk.pos not in ("DET", "PROPN", "ADJ", "ADP") and fold(tk.text) not in ix.lex.gender_titles:
            break
        k += 1
    if inverted and noun is not None and org is None and any(
            ix.toks[c].dep.split(":")[0] == "det" for c in ix.children[noun.i]):
        return noun  # "a déclaré le groupe", "said the company": resolve() knows the noun
    if inverted and org is not None:
        return org
    k = v.i - 1
    while k >= 0 and k >= v.i - 5 and ix.toks[k].sent == v.sent:
        tk = ix.toks[k]
        if (tk.pos in ("PROPN", "NOUN", "VERB") or tk.text[:1].isupper()) and _name_mention(ix, tk) is not None:
            return tk
        if tk.pos not in ("AUX", "ADV", "PART", "NUM") and tk.text != ",":
            break
        k -= 1
    return None


def who_for_verb(ix: _Index, v: Token, inverted: bool = False) -> tuple[_Who, Token | None]:
    s = subject_of(ix, v)
    if s is None:
        s = _speaker_near_verb(ix, v, inverted)
    if s is None:
        return _Who(), None
    return resolve(ix, s), s


def _intermediary(ix: _Index, frame_a: int, frame_b: int, who: _Who) -> None:
    """``par la voix de son porte-parole, Jean Dupont`` / ``through a
    spokesperson, Jane Doe`` in the quote's frame: record the named one."""
    if who.intermediary or frame_a >= frame_b:
        return
    doc = ix.doc
    for mt in ix.lex.intermediary.finditer(doc.text, frame_a, frame_b):
        for m in ix.mentions_in(mt.end(), min(frame_b, mt.end() + 60)):
            if ix.entity_type(m) in ("PERSON", "ORG") and m.entity != who.speaker:
                gap = doc.text[mt.end() : m.start]
                if re.search(r"[.;:!?«»“”\"]", gap):
                    break
                who.intermediary, who.inter_span = m.entity, doc.span(m.start, m.end)
                return


# --------------------------------------------------------------------------
# 2. Attribution of marked quotes


@dataclass
class _Frame:
    lead: list[Token]  # tokens before the opening mark, nearest last
    tail: list[Token]  # tokens after the closing mark, nearest first
    lead_text: str
    tail_end: int


def _frame(ix: _Index, q: Marked, prev_end: int) -> _Frame:
    doc = ix.doc
    text = doc.text
    i = ix.first_at(q.open) - 1
    lead: list[Token] = []
    ob = ix.ix.block_at(q.open)
    crossed = False
    while i >= 0 and len(lead) < _LEAD_TOKENS:
        t = ix.toks[i]
        if t.end <= prev_end:
            break
        if ix.block_of_tok(t) != ob:
            # "Il a déclaré :" at the end of the previous paragraph
            if crossed or lead or not text[t.start : q.open].rstrip(_SPACE + _OPEN_CHARS).endswith(":"):
                break
            crossed = True
            ob = ix.block_of_tok(t)
        if t.text in _FINAL and t.pos == "PUNCT":
            break
        lead.append(t)
        i -= 1
    lead.reverse()
    lead_start = lead[0].start if lead else q.open
    lead_text = text[lead_start : q.open]
    tail: list[Token] = []
    j = ix.first_at(q.close_end)
    qb = ix.block_of_tok(ix.toks[j - 1]) if j > 0 else 0
    tail_end = q.close_end
    while j < len(ix.toks) and len(tail) < _TAIL_TOKENS:
        t = ix.toks[j]
        if t.start in ix.open_marks or ix.block_of_tok(t) != qb:
            break
        tail.append(t)
        tail_end = t.end
        if t.text in _FINAL and t.pos == "PUNCT":
            break
        j += 1
    return _Frame(lead, tail, lead_text, tail_end)


def _is_direct(text: str, q: Marked, fr: _Frame, lex: Lexicon) -> bool:
    lead = fr.lead_text.rstrip(_SPACE)
    if q.recovered or not lead:
        return True
    first = text[q.start : q.start + 1]
    if lead.endswith(":"):
        return True
    if lead.endswith(",") and (first.isupper() or first in _OPEN_CHARS):
        return True
    if lead.endswith(",") and any(lex.is_cue_verb(t) for t in fr.lead[-6:]):
        return True  # “Normally,” she said, “you have …”: the quote goes on
    body = text[q.start : q.end].rstrip(_CLOSE_CHARS + _SPACE)
    # "He said “We will win.”": a full sentence right after the cue
    return first.isupper() and body.endswith(_FINAL) and len(body.split()) >= 4 and lead[-1:].isalpha()


def _title_like(text: str) -> bool:
    words = re.findall(r"[^\W\d_][\w’'\-]*", text)
    if not words or len(words) > 6 or text.rstrip().endswith(_FINAL):
        return False
    long = [w for w in words if len(w) > 3]
    return bool(long) and all(w[0].isupper() for w in long) and words[0][0].isupper()


def _whole_block(ix: _Index, q: Marked) -> bool:
    """The quote is a whole short paragraph with no final punctuation: an
    intertitle set in quotation marks, not words said there."""
    text = ix.doc.text
    k = ix.ix.block_at(q.open)
    if k < 0:
        return False
    b = ix.doc.blocks[k]
    body = text[q.start : q.end].rstrip(_CLOSE_CHARS + _SPACE)
    return text[b.start : b.end].strip(_SPACE) == text[q.open : q.close_end].strip(_SPACE) \
        and not body.endswith(_FINAL) and len(body.split()) <= 8


def _cue_in_tail(ix: _Index, fr: _Frame) -> Token | None:
    for k, t in enumerate(fr.tail):
        if ix.cue[t.i]:
            # nothing verbal between the mark and the cue but the subject
            for u in fr.tail[:k]:
                if u.pos == "VERB" and not ix.cue[u.i] and not _namelike(ix, u):
                    return None
            return t
        if t.pos == "VERB" and t.dep not in ("amod",) and not _namelike(ix, t):
            return None
    return None


def _namelike(ix: _Index, t: Token) -> bool:
    """A name the tagger took for a verb (``Trump implored``)."""
    return _name_mention(ix, t) is not None or t.text[:1].isupper() and t.i > 0 and ix.toks[t.i - 1].pos == "PUNCT"


def _cue_by_head(ix: _Index, q: Marked) -> Token | None:
    """The speech verb (or noun) governing the quoted tokens."""
    inside = ix.tokens_in(q.start, q.end)
    if not inside:
        return None
    roots = [t for t in inside if not (q.start <= ix.toks[t.head].start < q.end) or t.head == t.i]
    for r in roots[:3]:
        cur = r
        for _ in range(6):
            if cur.head == cur.i:
                break
            cur = ix.toks[cur.head]
            if q.start <= cur.start < q.end:
                continue
            if ix.cue[cur.i] or ix.thought[cur.i] or ix.lex.is_cue_noun(cur):
                return cur
    return None


def _cue_in_lead(ix: _Index, fr: _Frame) -> Token | None:
    for t in reversed(fr.lead):
        if ix.cue[t.i] and not ix.in_quote(t.start):
            return t
    return None


def _according(ix: _Index, a: int, b: int) -> tuple[_Who, Span] | None:
    """``selon X`` / ``according to X`` between offsets a and b."""
    doc = ix.doc
    for mt in ix.lex.according.finditer(doc.text, a, b):
        j = ix.first_at(mt.end())
        if j >= len(ix.toks):
            continue
        # the first name, pronoun or noun of the phrase after the marker
        for t in ix.toks[j : j + 6]:
            if t.start >= b or t.pos == "PUNCT":
                break
            if t.ent_label in _NOT_SPEAKER_LABELS:
                continue  # "according to a June 2011 memo": the memo
            if t.pos in ("PROPN", "NOUN", "PRON"):
                head = t
                while head.dep.split(":")[0] in _NAME_DEPS and head.head != head.i and ix.toks[head.head].start < b:
                    head = ix.toks[head.head]
                who = resolve(ix, head)
                if who.speaker is None:
                    w2 = resolve(ix, t)
                    if w2.speaker or who.span is None:
                        who = w2
                return who, doc.span(mt.start(), mt.end())
    return None


def _colon_who(ix: _Index, fr: _Frame) -> tuple[_Who, Token | None]:
    """``Sa réponse : « … »`` / ``Musk : « … »``: the lead's main subject or
    its only name."""
    if not fr.lead_text.rstrip(_SPACE).endswith(":"):
        return _Who(), None
    lead = [t for t in fr.lead if t.pos != "PUNCT"]
    if not lead:
        return _Who(), None
    names = []
    for t in lead:
        m = _name_mention(ix, t, ("PERSON", "ORG"))
        if m is not None and m not in names:
            names.append(m)
    if names and not any(t.pos in ("VERB", "AUX") and _name_mention(ix, t) is None for t in lead):
        # a label: "Gerald F. Seib, The Wall Street Journal:" — the person first
        first = next((m for m in names if ix.entity_type(m) == "PERSON"), names[0])
        if len(lead) <= 16 and fold(ix.doc.text[lead[0].start : first.start]).strip(" ,") == "":
            return _mention_who(ix.doc, first), None
        if len(names) == 1 and len(lead) <= 6:
            return _mention_who(ix.doc, names[0]), None
    roots = [t for t in lead if t.head == t.i or not any(u.i == t.head for u in lead)]
    for r in roots:
        if r.pos in ("VERB", "AUX"):
            s = subject_of(ix, r)
            if s is not None:
                return resolve(ix, s), r
    return _Who(), None


_DASH = re.compile(r"[ \t\u00a0]*(?:\n\s*)?([—–―-])[ \t\u00a0]*")


def _dash_who(ix: _Index, q: Marked) -> tuple[_Who, Span] | None:
    """``“…” — Jane Doe, The Post``: a dash right after the quote, on its
    line or opening the next one, then a name."""
    mt = _DASH.match(ix.doc.text, q.close_end)
    if not mt:
        return None
    for m in ix.mentions_in(mt.end(), mt.end() + 40):
        if m.start - mt.end() <= 12 and ix.entity_type(m) in ("PERSON", "ORG"):
            return _mention_who(ix.doc, m), ix.doc.span(mt.start(1), mt.end(1))
        break
    return None


def _attribute(ix: _Index, q: Marked, prev_end: int) -> tuple[Quote | None, _Frame]:
    doc, lex = ix.doc, ix.lex
    text = doc.text
    fr = _frame(ix, q, prev_end)
    body = text[q.start : q.end]
    direct = _is_direct(text, q, fr, lex)
    lead_tail = fr.lead_text.rstrip(_SPACE)
    short_name = _title_like(body)
    if _whole_block(ix, q):
        return None, fr  # a quoted intertitle ("Coup de tonnerre") quotes no one here
    if len(body.split()) <= 6 and (
        body[:1].isupper() and lex.work_before.search(lead_tail) or lex.label_before.search(lead_tail)
    ):
        return None, fr  # le film « Oppenheimer », the so-called “alt-right”
    cue: Token | None = None
    cue_span: Span | None = None
    who = _Who()
    order = ("tail", "head", "lead") if direct else ("head", "tail")
    for way in order:
        v = {"tail": _cue_in_tail, "lead": _cue_in_lead}[way](ix, fr) if way != "head" else _cue_by_head(ix, q)
        if v is None:
            continue
        if way == "head" and v.pos == "NOUN":
            w = _owner(ix, v)
            if w.speaker is None:
                continue
            cue, who = v, w
            break
        w, _ = who_for_verb(ix, v, inverted=way == "tail")
        cue, who = v, w
        if w.speaker or way == "head" or way == "tail":
            break
    if cue is not None:
        cue_span = _tok_span(doc, cue)
    frame_a = fr.lead[0].start if fr.lead else q.open
    if who.speaker is None:
        acc = _according(ix, frame_a, fr.tail_end)
        if acc is not None and (acc[0].speaker or who.span is None):
            who, cue_span = acc
    if who.speaker is None and cue_span is None and direct:
        dash = _dash_who(ix, q)
        if dash is not None:
            who, cue_span = dash
    if who.speaker is None and cue_span is None and direct:
        w, root = _colon_who(ix, fr)
        if w.speaker:
            who = w
            cue_span = _tok_span(doc, root) if root is not None else None
    if cue_span is None and who.speaker is None:
        if not direct or short_name:
            return None, fr  # a scare quote or a quoted name, nobody says it
    if short_name and (fr.tail and fr.tail[0].pos == "NOUN" or fr.lead and fr.lead[-1].pos == "DET"):
        return None, fr  # the “Morning Ledger” newsletter: a name, not words said
    who = _represented(ix, who)
    _intermediary(ix, frame_a, fr.tail_end, who)
    quote = Quote(
        text=body, start=q.start, end=q.end, kind="direct" if direct else "partial",
        speaker=who.speaker, speaker_span=who.span, cue=cue_span,
        intermediary=who.intermediary, intermediary_span=who.inter_span,
    )
    return quote, fr


# --------------------------------------------------------------------------
# 3. Indirect quotes


def _balance(text: str, a: int, b: int) -> int:
    """Move ``b`` past a closing mark that closes a mark opened in [a, b)."""
    inner = text[a:b]
    opens = sum(inner.count(c) for c in "«“„‹") + inner.count('"') % 2
    closes = sum(inner.count(c) for c in "»”›")
    if opens > closes:
        k = b
        while k < len(text) and k < b + 3 and text[k] in _SPACE + ".,":
            k += 1
        if k < len(text) and text[k] in _CLOSE_CHARS:
            return k + 1
    return b


def _content(ix: _Index, comp: Token) -> tuple[int, int] | None:
    lo, hi = ix.subtree(comp.i)
    toks = ix.toks
    while lo <= hi and (toks[lo].pos == "PUNCT" and toks[lo].text not in _OPEN_CHARS or fold(toks[lo].text) in ix.lex.that):
        lo += 1
    while hi >= lo and toks[hi].pos == "PUNCT" and toks[hi].text not in _CLOSE_CHARS:
        hi -= 1
    if hi - lo < 1:
        return None
    return toks[lo].start, toks[hi].end


_NOT_COMPLEMENT = {"punct", "cc", "conj", "advcl", "mark", "nsubj", "nsubjpass", "csubj", "aux", "auxpass",
                   "neg", "npadvmod", "parataxis", "expl", "dep", "obl", "advmod"}


def _complement(ix: _Index, v: Token) -> tuple[int, int] | None:
    """What a speech verb says about: its dependents to the right
    (``accused Trump of showering praise … “unprecedented …”``)."""
    kids = [c for c in ix.children[v.i] if c > v.i and ix.toks[c].dep.split(":")[0] not in _NOT_COMPLEMENT]
    if not kids:
        return None
    lo = min(ix.subtree(c)[0] for c in kids)
    hi = max(ix.subtree(c)[1] for c in kids)
    toks = ix.toks
    while lo <= hi and toks[lo].pos == "PUNCT" and toks[lo].text not in _OPEN_CHARS:
        lo += 1
    while hi >= lo and toks[hi].pos == "PUNCT" and toks[hi].text not in _CLOSE_CHARS:
        hi -= 1
    if hi - lo < 1:
        return None
    return toks[lo].start, toks[hi].end


def _indirect(ix: _Index, taken: list[tuple[int, int]], partial_cues: set[tuple[int, int]]) -> list[Quote]:
    doc, lex = ix.doc, ix.lex
    out: list[Quote] = []
    taken = sorted(taken)
    taken_starts = [s for s, _ in taken]
    quoted_ends = [e for _, e in ix.quoted]
    # only cue verbs, speech nouns and the cues of partial quotes can report
    # anything (a belief verb only as the cue of a partial quote)
    own_starts = {a for a, _ in partial_cues}
    maybe = {i for i, cue in enumerate(ix.cue) if cue}
    maybe.update(ix.cue_nouns)
    for a in own_starts:
        maybe.update(range(bisect_left(ix.tok_starts, a), bisect_right(ix.tok_starts, a)))
    for v in map(ix.toks.__getitem__, sorted(maybe)):
        if not ix.cue[v.i] and v.pos != "NOUN" and not ix.thought[v.i]:
            continue
        if doc.sentences[v.sent].heading or ix.in_quote(v.start):
            continue
        if lex.is_cue_noun(v):
            # "his assertion that the “media is rigging the polls”"
            comp = next((ix.toks[c] for c in ix.children[v.i] if ix.toks[c].dep.split(":")[0] in ("acl", "ccomp")
                         and c > v.i and any(fold(ix.toks[g].text) in lex.that for g in ix.children[c])), None)
            span = _content(ix, comp) if comp is not None else None
            if span is None:
                continue
            who = _owner(ix, v)
            if who.speaker:
                a, b = span
                out.append(Quote(doc.text[a:b], a, b, "indirect", who.speaker, who.span, _tok_span(doc, v)))
            continue
        own = v.start in own_starts and (v.start, _tok_span(doc, v).end) in partial_cues
        if not ix.cue[v.i] and not own:
            continue  # a belief verb reports speech only with quoted words
        comp = next((ix.toks[c] for c in ix.children[v.i] if ix.toks[c].dep == "ccomp" and c > v.i), None)
        before_verb = False
        if comp is None:
            # "…, Gilberthorpe said.": the reported clause before the verb
            comp = next((ix.toks[c] for c in ix.children[v.i] if ix.toks[c].dep == "ccomp" and c < v.i), None)
            before_verb = comp is not None
        if comp is not None:
            span = _content(ix, comp)
            if before_verb and span is not None and ix.in_quote(span[0]):
                continue  # "“…,” X told the court": the clause is the direct quote already found
        elif own:
            span = _complement(ix, v)
        else:
            continue
        if span is None:
            continue
        a, b = span
        # a quote that opens inside the clause closes it (only the quotes
        # starting in the clause are looked at: the clause grows rightwards)
        k = bisect_left(taken_starts, a)
        while k < len(taken) and taken[k][0] < b:
            s, e = taken[k]
            if b < e <= b + 400 and "\n" not in doc.text[b:e]:
                b = e
            k += 1
        b = _balance(doc.text, a, b)
        # marked spans are outermost, so sorted by start and by end alike
        inside = sum(min(b, e) - max(a, s)
                     for s, e in ix.quoted[bisect_right(quoted_ends, a):bisect_left(ix.quoted_starts, b)])
        if inside >= 0.8 * (b - a):
            continue  # the complement is a direct quote already found
        subj = subject_of(ix, v) or _speaker_near_verb(ix, v)
        if subj is None:
            continue
        who = _represented(ix, resolve(ix, subj))
        s = ix.doc.sentences[v.sent]
        _intermediary(ix, s.start, s.end, who)
        out.append(Quote(doc.text[a:b], a, b, "indirect", who.speaker, who.span,
                         _tok_span(doc, v), who.intermediary, who.inter_span))
    out.extend(_according_sentences(ix))
    # nested in another quote (direct or indirect): the outer one carries it
    spans = sorted(taken + [(q.start, q.end) for q in out])
    starts = [a for a, _ in spans]
    reach = list(accumulate((b for _, b in spans), max))  # the furthest end of the spans up to each
    exact = set(taken)
    keep = []
    for q in out:
        before = bisect_left(starts, q.start)  # spans starting strictly before q
        if before and reach[before - 1] >= q.end:
            continue
        if any(b > q.end for _, b in spans[before:bisect_right(starts, q.start)]):
            continue  # a span starting where q starts and ending after it
        if (q.start, q.end) in exact:
            continue
        keep.append(q)
    return keep


def _according_sentences(ix: _Index) -> list[Quote]:
    """``Selon X, …`` / ``…, according to X.`` / ``Pour X, …``."""
    doc, lex = ix.doc, ix.lex
    text = doc.text
    out = []
    for s in doc.sentences:
        if s.heading:
            continue
        st = text[s.start : s.end]
        if not lex.according.search(st) and not lex.opinion.match(st):
            continue  # no marker: nothing below can match
        lead = len(st) - len(st.lstrip())
        mt = lex.according.match(st, lead) or lex.opinion.match(st)
        if mt:
            comma = st.find(",", mt.end())
            if comma < 0 or comma - mt.end() > 80:
                continue
            if lex.opinion.match(st) and not lex.according.match(st, lead):
                # "Pour X," only with a name right after the marker
                ms = [m for m in ix.mentions_in(s.start + mt.end(), s.start + comma)
                      if ix.entity_type(m) in ("PERSON", "ORG")]
                if not ms or text[s.start + mt.end() : ms[0].start].strip():
                    continue
            acc = _according(ix, s.start + mt.start(), s.start + comma) if lex.according.match(st, lead) else None
            if acc is None:
                ms = [m for m in ix.mentions_in(s.start + mt.end(), s.start + comma) if ix.entity_type(m) in ("PERSON", "ORG")]
                if not ms:
                    continue
                ca, cb = _inner(text, s.start + lead, s.start + mt.end())
                who, cue = _mention_who(doc, ms[0]), doc.span(ca, cb)
            else:
                who, cue = acc
            a, b = _inner(text, s.start + _after_apposition(ix, st, s.start, comma) + 1, s.end)
            while b > a and text[b - 1] in ".!?…":
                b -= 1
        else:
            found = None
            for m2 in lex.according.finditer(st):
                before = st[: m2.start()].rstrip()
                if before.endswith(","):
                    found = m2
            if found is None:
                continue
            tail = st[found.end() :].strip()
            if not tail.rstrip(".!?… ") or re.search(r"[,;:]", tail.rstrip(".!?… ")):
                continue  # only a marker closing the sentence
            acc = _according(ix, s.start + found.start(), s.end)
            if acc is None:
                continue
            who, cue = acc
            a, b = _inner(text, s.start, s.start + len(st[: found.start()].rstrip().rstrip(",")))
            if who.speaker is None and _reports_itself(ix, a, b):
                # "Renault a annoncé …, selon un accord signé à Londres": the
                # sentence names its own speaker; a noun phrase that is no
                # entity after it says how, not who
                continue
        if b - a < 8 or who.span is None:
            continue
        out.append(Quote(text[a:b], a, b, "indirect", who.speaker, who.span, cue, who.intermediary, who.inter_span))
    return out


def _after_apposition(ix: _Index, st: str, base: int, comma: int) -> int:
    """The comma that ends the marker's phrase in sentence text ``st``: past
    an apposition to the source ("Selon Pierre Garnier, analyste chez Oddo,
    le prix…", "According to Jane Moss, an analyst at Barclays, …"), a short
    verbless phrase opening with a bare noun or an indefinite article."""
    nxt = st.find(",", comma + 1)
    if nxt < 0 or nxt - comma > 80:
        return comma
    toks = ix.tokens_in(base + comma + 1, base + nxt)
    if not toks or len(toks) > 10 or any(t.pos in ("VERB", "AUX") for t in toks):
        return comma
    first = toks[0]
    if first.pos == "NOUN" or fold(first.text) in ix.lex.indefinite:
        return nxt
    return comma


def _reports_itself(ix: _Index, a: int, b: int) -> bool:
    """The main verb of the text in [a, b) is a speech verb with a subject."""
    for t in ix.tokens_in(a, b):
        h = ix.toks[t.head]
        if t.head == t.i or not (a <= h.start < b):
            return ix.cue[t.i] and any(ix.toks[c].dep.startswith("nsubj") for c in ix.children[t.i])
    return False


# --------------------------------------------------------------------------


@component("quotes", reads=("tokens", "sentences", "blocks", "entities", "mentions"), writes=("quotes",))
def find_quotes(doc: Doc) -> None:
    doc.quotes = extract(doc)


def extract(doc: Doc) -> list[Quote]:
    if not doc.tokens:
        return []
    lex = lexicon(doc.language)
    marked = scan_marks(doc.text, doc.blocks)
    if lex.incise:
        marked = [part for q in marked for part in _split_incise(doc, lex, q)]
    ix = _Index(doc, lex, marked)
    quotes: list[Quote] = []
    prev: Quote | None = None
    prev_end = 0
    floating: list[tuple[Quote, int]] = []  # direct quotes left with no speaker, and their opening mark
    for q in marked:
        quote, fr = _attribute(ix, q, prev_end)
        prev_end = q.close_end
        if quote is None:
            continue
        if quote.intermediary and quote.intermediary_span is not None:
            ix.spoke.add(quote.intermediary_span.start)  # the one who spoke for the speaker
        elif quote.speaker and quote.speaker_span is not None:
            ix.spoke.add(quote.speaker_span.start)
        if _is_floating(quote):
            # a floating quote goes on from the previous attributed quote:
            # same speaker, same cue (one attribution in two pieces)
            if any(ix.cue[t.i] for t in fr.tail):
                pass
            elif prev is not None and _continues(ix, prev, q.open):
                _carry(quote, prev)
            else:
                floating.append((quote, q.open))
        quotes.append(quote)
        if quote.speaker or quote.speaker_span or quote.cue and quote.kind == "direct":
            # a partial quote inside the sentence that attributes a direct
            # quote is an aside; the direct quote's speaker goes on
            if not (quote.kind == "partial" and prev is not None and prev.kind == "direct" and prev.cue
                    and _same_sentence(ix, prev.cue.start, quote.start)):
                prev = quote
        elif quote.kind == "direct":
            prev = None
    taken = [(q.start, q.end) for q in quotes]
    partial_cues = {(q.cue.start, q.cue.end) for q in quotes if q.kind == "partial" and q.cue}
    quotes.extend(_indirect(ix, taken, partial_cues))
    _carry_over(ix, quotes, floating)
    quotes.sort(key=lambda q: (q.start, q.end))
    return quotes


_INCISE_END = ".!?;"


def _split_incise(doc: Doc, lex: Lexicon, q: Marked) -> list[Marked]:
    """« A, a commenté X lors d’une conférence. B »: the attribution set
    inside the marks (the French incise) cut out, leaving two quoted parts
    (the second may hold another incise)."""
    text = doc.text
    toks = doc.index.tokens_in(q.start, q.end)
    for k, t in enumerate(toks):
        if t.text != "," or k == 0:
            continue
        j = None
        for u in toks[k + 1 : k + 4]:
            if lex.is_cue_verb(u):
                j = u.i
                break
            if not (u.pos == "AUX" or u.text[:1] in "-‑" or fold(u.text) == "t"):
                break
        if j is None:
            continue
        pos = [u for u in toks if u.i > j]
        if not pos:
            continue
        first = pos[0]
        # a subject: "-t-il" before or after the verb, or a noun phrase after it
        pron = any(u.text[:1] in "-‑" for u in toks[k + 1 : j - toks[0].i + 2])
        if not (pron or first.pos in ("DET", "PROPN", "NOUN")):
            continue
        end = None
        for n, u in enumerate(pos):
            if u.text in _INCISE_END:
                end = u
                break
            if u.text == ",":
                rest = pos[n + 1 :]
                stop = next((x for x in rest if x.text in _INCISE_END or x.text == ","), None)
                head = rest[0] if rest else None
                span = [x for x in rest if stop is None or x.i < stop.i]
                if head is not None and head.pos in ("ADP", "ADV") and head.text[:1].islower() and stop is not None \
                        and stop.text in _INCISE_END and not any(x.pos in ("VERB", "AUX") for x in span):
                    end = stop  # ", lors d’une conférence de presse." belongs to the incise
                else:
                    end = u
                break
        if end is None:
            continue
        a_end = _inner(text, q.start, t.start)[1]
        if a_end <= q.start:
            continue
        part_a = Marked(q.open, t.start, q.start, a_end)
        b_start, b_end = _inner(text, end.end, q.end)
        if b_start >= b_end or len(text[b_start:b_end].split()) < 2:
            return [part_a]
        part_b = Marked(b_start, q.close_end, b_start, b_end, q.recovered)
        return [part_a, *_split_incise(doc, lex, part_b)]
    return [q]


def _is_floating(q: Quote) -> bool:
    return q.kind == "direct" and q.cue is None and q.speaker is None and q.speaker_span is None


def _carry(quote: Quote, prev: Quote) -> None:
    quote.speaker, quote.speaker_span, quote.cue = prev.speaker, prev.speaker_span, prev.cue
    quote.intermediary, quote.intermediary_span = prev.intermediary, prev.intermediary_span


def _anchor_end(q: Quote) -> int:
    return max(q.end, q.cue.end if q.cue else q.end)


def _carry_over(ix: _Index, quotes: list[Quote], floating: list[tuple[Quote, int]]) -> None:
    """Floating quotes the marked pass left alone: the latest reported
    speech before them, of any kind, goes on (``…, said Jane Doe. “…”``
    after an indirect quote; ``She said the plan was unfair.⏎“…”`` at the
    start of the next paragraph), else a speech verb with no quote of its own
    in the sentence right before (``She sighs. “…”``). One sweep in text
    order: linear in the number of quotes."""
    if not floating:
        return
    # "Selon X, …" / "according to X" holds for its own clause: never carried on
    anchors = sorted((q for q in quotes if q.cue is not None and (q.speaker or q.speaker_span) and _anchorable(ix, q)
                      and not (q.kind == "indirect" and ix.lex.according.fullmatch(q.cue.text))),
                     key=_anchor_end)
    ends = [_anchor_end(q) for q in anchors]
    last: Quote | None = None  # the latest floating quote given a speaker here
    for quote, open_ in floating:
        k = bisect_right(ends, open_) - 1
        prev = anchors[k] if k >= 0 else None
        if last is not None and _anchor_end(last) <= open_ and (prev is None or _anchor_end(last) > _anchor_end(prev)):
            prev = last
        if prev is not None and _continues(ix, prev, open_):
            _carry(quote, prev)
            last = quote
            continue
        who, v = _bare_cue_before(ix, open_)
        if v is not None:
            quote.speaker, quote.speaker_span, quote.cue = who.speaker, who.span, _tok_span(ix.doc, v)
            quote.intermediary, quote.intermediary_span = who.intermediary, who.inter_span
            last = quote


def _speaks(ix: _Index, v: Token) -> bool:
    """The verb reports words said: not a question (``X was asked why``:
    the next quote is the answer) and not negated (``officials haven't
    said …``)."""
    if fold(v.lemma) in ix.lex.question_verbs:
        return False
    return not any(fold(ix.toks[c].text) in ix.lex.negations for c in ix.children[v.i])


def _anchorable(ix: _Index, q: Quote) -> bool:
    k = ix.first_at(q.cue.start) if q.cue else len(ix.toks)
    return k >= len(ix.toks) or _speaks(ix, ix.toks[k])


def _bare_cue_before(ix: _Index, pos: int) -> tuple[_Who, Token | None]:
    """The speech verb of the sentence right before ``pos`` (in the same
    paragraph, or closing the previous one) with a speaker: ``She sighs.``,
    ``Her friend Jane Doe chimed in.`` A question verb is not one: the quote
    after ``X asked Y …`` is the answer."""
    i = ix.first_at(pos) - 1
    while i >= 0 and ix.toks[i].pos == "PUNCT" and ix.toks[i].text not in _FINAL:
        i -= 1
    if i < 0 or ix.toks[i].text not in _FINAL:
        return _Who(), None  # the quote does not open a sentence
    sent = ix.doc.sentences[ix.toks[i].sent]
    quote_block = ix.block_of_tok(ix.toks[min(ix.first_at(pos), len(ix.toks) - 1)])
    if sent.heading or ix.block_of_tok(ix.toks[i]) < quote_block - 1:
        return _Who(), None  # at most one paragraph break between
    toks = ix.doc.sent_tokens(sent)
    for t in reversed(toks):
        if ix.in_quote(t.start) or not ix.cue[t.i]:
            continue
        if not _speaks(ix, t):
            break
        who, _ = who_for_verb(ix, t)
        if who.speaker or who.span:
            return who, t
        break
    else:
        # "Jane Roe issued a statement." / "X a publié un communiqué." then
        # the statement quoted: the subject of the verb whose object is a
        # speech noun
        for t in toks:
            if t.i not in ix.cue_noun_set or ix.in_quote(t.start) or t.dep.split(":")[0] not in ("dobj", "obj"):
                continue
            v = ix.toks[t.head]
            if v.pos not in ("VERB", "AUX") or not _speaks(ix, v) or _owner(ix, t).speaker:
                continue
            s = subject_of(ix, v)
            who = resolve(ix, s) if s is not None else _Who()
            if who.speaker:
                return who, t
    return _Who(), None


def _same_sentence(ix: _Index, a: int, b: int) -> bool:
    return ix.ix.sent_at(a) == ix.ix.sent_at(b)


def _continues(ix: _Index, prev: Quote, pos: int) -> bool:
    """Nothing between the previous quote and ``pos`` but its own
    attribution: no other speech verb, no other person as a subject, at most
    one paragraph break and a few words."""
    if pos - prev.end > 300:
        return False
    if ix.ix.block_at(pos) - ix.ix.block_at(prev.end) > 1:
        return False
    for t in ix.tokens_in(prev.end, pos):
        if ix.cue[t.i] and not (prev.cue and prev.cue.start <= t.start < prev.cue.end):
            # "…,” he said, referring to Trump. “…": a participle adds no speaker
            if any(ix.toks[c].dep.startswith("nsubj") or ix.toks[c].dep == "expl:subj" for c in ix.children[t.i]):
                return False
    for m in ix.mentions_in(prev.end, pos):
        # another person as a subject could be the next speaker
        if ix.entity_type(m) == "PERSON" and m.entity not in (prev.speaker, prev.intermediary) \
                and ix.is_subject(m, direct=True):
            return False
    return True
