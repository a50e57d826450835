"""Quotation benchmark on PolNeAR (84 English political news articles, 2016).

Run: ``.venv/bin/python benchmarks/polnear_quotes.py [--peer DIR] [-v] [--limit N]``

Gold. PolNeAR annotates *attributions* in brat standoff files
(``attributions/<article>_<annotator>.ann``): a Source (speaker), a Cue and a
Content span, tied by an ``E`` relation; spans may be discontinuous
(``Content 10 40;52 90``). We keep the attributions whose content is a direct
quotation: the content contains a quotation mark (“ ” " « » „ ‘) or is
wrapped by one on its own line (the closing mark that ends the previous
paragraph does not make the next paragraph a quotation). That includes mixed
quotes (``Obama said he is “surprised and troubled” by …``), where the whole
content is the gold span. Two
articles were annotated by six annotators; we use the first annotator's file
in name order. Articles come from ``text/<article>.txt``.

System. dossier's pipeline (``entities`` + ``quotes``, language ``en``).
Quotes that share one cue span form one *unit* (``“A,” he said, “B.”`` is
one attribution in PolNeAR, and so is an indirect quote with the partial
quote inside it), and a floating quote (no cue of its own; dossier carries
over the cue and ``speaker_span`` of the reported speech it continues, or
the same ``speaker_span`` without a cue) joins the unit it continues; a unit
counts when one of its quotes is direct or partial, or its text contains or
is wrapped by a quotation mark. Indirect-only units without marks are left
out on both sides. A unit's speaker is that of its first quote with a
speaker entity, else of its first quote with a ``speaker_span``.

Matching, as in the Gender Gap Tracker's evaluation (``evaluate_quotes.py``):
word tokens (``\\w+``) of each side; a gold unit matches the unmatched system
unit with the largest overlap ``|gold ∩ sys| / |gold|`` when it reaches the
threshold (0.3 lenient, 0.8 strict); greedy, one-to-one, gold in text order.
Precision = matched / system units, recall = matched / gold units. A second
pair of rows uses the symmetric ``|gold ∩ sys| / max(|gold|, |sys|)``, which
also punishes a system span much longer than the gold one.

Speaker accuracy, over matched pairs. When gold has no source, right iff we
give neither a speaker entity nor a speaker span. Otherwise right iff (a) the
speaker as written overlaps the gold source: our ``speaker_span`` (a name, a
pronoun, or a noun phrase that names no entity, such as ``a spokeswoman`` or
``the report``) overlaps the gold source span; or we give a speaker entity
and (b) one of its mentions overlaps the gold source, or (c) a capitalised
word (3+ letters) of the gold source text is a word of its name or aliases
(case- and accent-folded; titles and pronouns are not names). So gold ``he``
counts as right when our ``speaker_span`` is that ``he``; gold ``President
Barack Obama`` is right for our entity ``Barack Obama`` anywhere; gold ``a
spokeswoman`` is right when our ``speaker_span`` is that ``a spokeswoman``
(``speaker`` None: no entity is claimed).

Nothing is hidden by (a): the ``entity`` column is the stricter accuracy that
needs a speaker entity (rules b and c, or a with an entity; a pair whose gold
has no source is right iff we give no entity), so a source like ``a
spokeswoman`` is always counted wrong there; the ``named`` column is the
main accuracy over the matched pairs whose gold source contains a proper
name; and the lines under the table split the pairs (at 0.3) by what dossier
gave: an entity, a span without an entity, or nothing.

The comparison bar is the Gender Gap Tracker's published English figures on
its own annotated Canadian news (V7.0): quote F1 0.837 at 0.3, 0.761 at 0.8,
speaker accuracy 0.865 (at 0.3). Different articles and a different
annotation scheme (GGT annotated indirect quotes too), so it is a bar, not a
head-to-head score.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dossier.model import Article, Doc, fold  # noqa: E402
from dossier.pipeline import analyse, make_doc  # noqa: E402

PEER = Path(__file__).resolve().parents[1].parent / "shared" / "peer" / "polnear"
OPEN_MARKS = "“\"«„‘"
CLOSE_MARKS = "”\"»“’"
CONTAIN_MARKS = "“”\"«»„‘"
THRESHOLDS = (0.3, 0.8)
GGT = {"f1_0.3": 0.837, "f1_0.8": 0.761, "speaker": 0.865}
_WORD = re.compile(r"\w+")


@dataclass
class Unit:
    ranges: list[tuple[int, int]]
    source: list[tuple[int, int]] = field(default_factory=list)  # gold source ranges
    source_text: str = ""
    speaker: str | None = None  # system entity id
    speaker_span: tuple[int, int] | None = None
    kinds: str = ""
    tokens: frozenset[int] = frozenset()

    @property
    def start(self) -> int:
        return self.ranges[0][0]

    def text(self, doc_text: str) -> str:
        return " … ".join(doc_text[a:b] for a, b in self.ranges)


def has_marks(text: str, ranges: list[tuple[int, int]]) -> bool:
    a, b = ranges[0][0], ranges[-1][1]
    if any(any(c in CONTAIN_MARKS for c in text[s:e]) for s, e in ranges):
        return True
    # the marks that wrap it, on its own line (not the end of the previous paragraph)
    before = text[max(0, a - 3) : a].rsplit("\n", 1)[-1].rstrip()
    after = text[b : b + 3].split("\n", 1)[0].lstrip(" ,.")
    return bool(before) and before[-1] in OPEN_MARKS or bool(after) and after[0] in CLOSE_MARKS


def read_gold(peer: Path) -> dict[str, tuple[str, list[Unit]]]:
    """article stem -> (text, gold quotation units)."""
    out: dict[str, tuple[str, list[Unit]]] = {}
    for ann in sorted((peer / "attributions").glob("*.ann")):
        stem = ann.stem.rsplit("_", 1)[0]
        if stem in out:
            continue  # several annotators: the first one in name order
        text = (peer / "text" / f"{stem}.txt").read_text(encoding="utf-8")
        spans: dict[str, list[tuple[int, int]]] = {}
        rels = []
        for line in ann.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if line.startswith("T") and len(parts) >= 2:
                label, _, rng = parts[1].partition(" ")
                spans[parts[0]] = [tuple(map(int, r.split())) for r in rng.split(";")]  # type: ignore[misc]
            elif line.startswith("E") and len(parts) >= 2:
                rels.append(dict(x.split(":", 1) for x in parts[1].split()))
        units = []
        for r in rels:
            content = spans.get(r.get("Content", ""))
            if not content or not has_marks(text, content):
                continue
            src = spans.get(r.get("Source", ""), [])
            units.append(Unit(sorted(content), source=src, source_text=" ".join(text[a:b] for a, b in src)))
        out[stem] = (text, sorted(units, key=lambda u: u.start))
    return out


def system_units(doc: Doc) -> list[Unit]:
    groups: dict[object, list] = {}
    by_speaker_span: dict[tuple[int, int], object] = {}
    for q in doc.quotes:
        sp = (q.speaker_span.start, q.speaker_span.end) if q.speaker_span else None
        if q.cue:
            key: object = (q.cue.start, q.cue.end)
        elif sp in by_speaker_span:
            key = by_speaker_span[sp]  # a floating quote goes on from the last one
        else:
            key = ("q", q.start)
        if sp:
            by_speaker_span[sp] = key
        groups.setdefault(key, []).append(q)
    units = []
    text = doc.text
    for qs in groups.values():
        ranges = sorted((q.start, q.end) for q in qs)
        if not any(q.kind != "indirect" for q in qs) and not has_marks(text, ranges):
            continue
        # merge nested ranges (a partial quote inside its indirect quote)
        merged: list[tuple[int, int]] = []
        for a, b in ranges:
            if merged and a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
            else:
                merged.append((a, b))
        sp = next((q for q in qs if q.speaker), None) or next((q for q in qs if q.speaker_span), None)
        units.append(Unit(merged, speaker=sp.speaker if sp else None,
                          speaker_span=(sp.speaker_span.start, sp.speaker_span.end) if sp and sp.speaker_span else None,
                          kinds="+".join(sorted({q.kind for q in qs}))))
    return sorted(units, key=lambda u: u.start)


def tokenize(text: str):
    toks = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    return toks, [a for a, _ in toks]


def token_set(toks, starts, ranges) -> frozenset[int]:
    out = set()
    for a, b in ranges:
        i = max(0, bisect_left(starts, a) - 1)
        while i < len(toks) and toks[i][0] < b:
            if toks[i][1] > a:
                out.add(i)
            i += 1
    return frozenset(out)


def overlaps(a: tuple[int, int], spans) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


_NOT_NAMES = {"the", "a", "an", "he", "she", "it", "they", "his", "her", "its", "their", "mr", "ms", "mrs", "dr",
              "i", "we", "one", "who", "which", "president", "sen", "rep", "gov"}


def proper_names(text: str) -> set[str]:
    """Capitalised words (3+ letters) of a gold source, titles and pronouns aside."""
    return {fold(w) for w in re.findall(r"[^\W\d_][\w'’\-]*", text)
            if w[0].isupper() and len(w) >= 3 and fold(w).strip(".") not in _NOT_NAMES}


def speaker_right(doc: Doc, g: Unit, s: Unit, entity_only: bool = False) -> bool:
    """Rules (a)-(c) of the module docstring; ``entity_only``: a speaker entity is required."""
    if not g.source:
        return s.speaker is None and (entity_only or s.speaker_span is None)
    if not entity_only and s.speaker_span and overlaps(s.speaker_span, g.source):
        return True  # (a) the speaker as written overlaps the gold source
    if s.speaker is None or s.speaker not in doc.entities:
        return False
    if s.speaker_span and overlaps(s.speaker_span, g.source):
        return True
    ent = doc.entities[s.speaker]
    if any(overlaps((m.start, m.end), g.source) for m in ent.mentions):
        return True
    gold_names = proper_names(g.source_text)
    ours = {fold(w) for n in [ent.name, *ent.aliases] for w in re.findall(r"[\w'’\-]+", n) if len(w) >= 3}
    return bool(gold_names & ours)


def match(gold: list[Unit], system: list[Unit], threshold: float, symmetric: bool):
    used: set[int] = set()
    pairs = []
    for g in gold:
        best, best_score = None, 0.0
        for k, s in enumerate(system):
            if k in used or not g.tokens or not s.tokens:
                continue
            inter = len(g.tokens & s.tokens)
            if not inter:
                continue
            score = inter / (max(len(g.tokens), len(s.tokens)) if symmetric else len(g.tokens))
            if score >= threshold and score > best_score:
                best, best_score = k, score
        if best is not None:
            used.add(best)
            pairs.append((g, system[best]))
    return pairs, used


def prf(tp: int, n_sys: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_sys if n_sys else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--peer", type=Path, default=PEER, help="the PolNeAR folder (attributions/, text/)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles")
    ap.add_argument("-v", "--verbose", action="store_true", help="print misses, false alarms and wrong speakers")
    args = ap.parse_args(argv)
    if not (args.peer / "attributions").is_dir():
        print(f"PolNeAR not found at {args.peer} (use --peer)", file=sys.stderr)
        return 2
    t0 = time.time()
    gold = read_gold(args.peer)
    stems = sorted(gold)[: args.limit or None]
    docs = [make_doc(Article(text=gold[s][0], language="en", path=s)) for s in stems]
    analyse(docs, ("entities", "quotes"))
    t1 = time.time()

    rows = []
    per_doc = []
    for stem, doc in zip(stems, docs):
        text, gunits = gold[stem]
        toks, starts = tokenize(text)
        for u in gunits:
            u.tokens = token_set(toks, starts, u.ranges)
        sunits = system_units(doc)
        for u in sunits:
            u.tokens = token_set(toks, starts, u.ranges)
        per_doc.append((stem, doc, gunits, sunits))

    n_gold = sum(len(g) for _, _, g, _ in per_doc)
    n_sys = sum(len(s) for _, _, _, s in per_doc)
    for symmetric in (False, True):
        for th in THRESHOLDS:
            tp = right = ent_right = named = named_right = 0
            split = {"entity": [0, 0], "span only": [0, 0], "none": [0, 0]}
            for stem, doc, g, s in per_doc:
                pairs, _ = match(g, s, th, symmetric)
                tp += len(pairs)
                for a, b in pairs:
                    ok = speaker_right(doc, a, b)
                    right += ok
                    ent_right += speaker_right(doc, a, b, entity_only=True)
                    if proper_names(a.source_text):
                        named += 1
                        named_right += ok
                    kind = "entity" if b.speaker in doc.entities else "span only" if b.speaker_span else "none"
                    split[kind][0] += 1
                    split[kind][1] += ok
            p, r, f = prf(tp, n_sys, n_gold)
            rows.append((("sym " if symmetric else "") + f"overlap ≥ {th}", p, r, f, right / tp if tp else 0.0, tp,
                         named_right / named if named else 0.0, ent_right / tp if tp else 0.0, split))

    print(f"PolNeAR quotations: {len(stems)} articles, {n_gold} gold quotation attributions, "
          f"{n_sys} dossier quote units ({t1 - t0:.1f}s analysis)")
    print()
    print(f"{'match':<22}{'P':>7}{'R':>7}{'F1':>7}{'speaker':>9}{'entity':>8}{'named':>7}{'matched':>9}")
    for name, p, r, f, acc, tp, acc_named, acc_ent, _ in rows:
        print(f"{name:<22}{p:7.3f}{r:7.3f}{f:7.3f}{acc:9.3f}{acc_ent:8.3f}{acc_named:7.3f}{tp:9d}")
    print("(speaker: over matched pairs, the speaker as written overlaps the gold source, or our entity is it;")
    print(" entity: the same pairs, a speaker entity required;")
    print(" named: speaker, over the pairs whose gold source has a proper name)")
    print()
    print("matched pairs at overlap ≥ 0.3 by what dossier gave:")
    for kind, (n, ok) in rows[0][8].items():
        print(f"  {kind:<10}{n:5d} pairs, speaker right {ok / n if n else 0.0:.3f}")
    print()
    print(f"bar (Gender Gap Tracker, English): F1 {GGT['f1_0.3']:.3f} at 0.3 / {GGT['f1_0.8']:.3f} at 0.8, "
          f"speaker accuracy {GGT['speaker']:.3f}")
    f03, f08, acc = rows[0][3], rows[1][3], rows[0][4]
    print(f"dossier:                           F1 {f03:.3f} at 0.3 / {f08:.3f} at 0.8, speaker accuracy {acc:.3f}")

    if args.verbose:
        for stem, doc, g, s in per_doc:
            pairs, used = match(g, s, THRESHOLDS[0], False)
            matched = {id(a) for a, _ in pairs}
            for u in g:
                if id(u) not in matched:
                    print(f"MISS  {stem}: [{u.source_text}] {u.text(doc.text)[:160]!r}")
            for k, u in enumerate(s):
                if k not in used:
                    name = doc.entities[u.speaker].name if u.speaker in doc.entities else None
                    print(f"FALSE {stem}: [{name}] ({u.kinds}) {u.text(doc.text)[:160]!r}")
            for a, b in pairs:
                if not speaker_right(doc, a, b):
                    name = doc.entities[b.speaker].name if b.speaker in doc.entities else None
                    sp = doc.text[b.speaker_span[0]:b.speaker_span[1]] if b.speaker_span else None
                    print(f"WHO   {stem}: gold [{a.source_text}] ours [{name} / {sp}] {a.text(doc.text)[:120]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
