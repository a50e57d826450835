"""``dossier eval``: score the store against gold files (``shared/gold/FORMAT.md``).

Per section: precision, recall and F1. Optional gold items earn credit when
found and cost nothing when missed; ``not_entities`` reported by the system
count against entity precision and are listed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from .errors import DossierError, Msg
from .export import story
from .model import article_id, fold
from .store import Store
from .vocab import root

SECTIONS = ("entities", "amounts", "quotes", "events", "relations", "stances")


@dataclass
class Score:
    tp_sys: int = 0  # system items that match gold
    n_sys: int = 0
    tp_gold: int = 0  # gold items found (required + optional found)
    n_gold: int = 0  # required gold items + optional found
    errors: list[str] = field(default_factory=list)  # false positives
    missed: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp_sys / self.n_sys if self.n_sys else (1.0 if not self.n_gold else 0.0)

    @property
    def recall(self) -> float:
        return self.tp_gold / self.n_gold if self.n_gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Score") -> None:
        for k in ("tp_sys", "n_sys", "tp_gold", "n_gold"):
            setattr(self, k, getattr(self, k) + getattr(other, k))
        self.errors += other.errors
        self.missed += other.missed

    def to_json(self) -> dict[str, Any]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "found": self.tp_gold, "gold": self.n_gold, "system": self.n_sys,
                "false_positives": self.errors, "missed": self.missed}


def _names(x: str | list[str] | None) -> set[str]:
    if x is None:
        return set()
    return {fold(n) for n in ([x] if isinstance(x, str) else x)}


def _match(system: list[Any], gold: list[dict], ok: Callable[[Any, dict], bool], label: Callable[[Any], str],
           glabel: Callable[[dict], str]) -> Score:
    """Greedy one-to-one matching of system items to gold items."""
    s = Score(n_sys=len(system))
    used: set[int] = set()
    for g in gold:
        hit = next((i for i, x in enumerate(system) if i not in used and ok(x, g)), None)
        if hit is not None:
            used.add(hit)
            s.tp_gold += 1
            s.n_gold += 1
        elif not g.get("optional"):
            s.n_gold += 1
            s.missed.append(glabel(g))
    s.tp_sys = len(used)
    s.errors = [label(x) for i, x in enumerate(system) if i not in used]
    return s


def _words(s: str) -> list[str]:
    return re.findall(r"\w+", fold(s))


def _quote_match(sys_text: str, gold_text: str) -> bool:
    gw, sw = _words(gold_text), set(_words(sys_text))
    return bool(gw) and sum(w in sw for w in gw) / len(gw) >= 0.8 and len(sw) <= 1.25 * len(set(gw)) + 2


def score_document(data: dict[str, Any], doc_id: str, gold: dict[str, Any]) -> dict[str, Score]:
    ents = {e["id"]: e for e in data["entities"]}
    in_doc = [e for e in data["entities"] if any(m["document"] == doc_id and not m.get("heading") for m in e["mentions"])]

    def names_of(eid: str | None) -> set[str]:
        e = ents.get(eid or "")
        return {fold(e["name"]), *(fold(a) for a in e["aliases"])} if e else set()

    def ename(eid: str | None) -> str:
        return ents[eid]["name"] if eid in ents else str(eid)

    out: dict[str, Score] = {}
    out["entities"] = _match(
        in_doc, gold.get("entities", []),
        lambda e, g: e["type"] == g["type"] and bool(names_of(e["id"]) & _names([g["name"], *g.get("aliases", [])])),
        lambda e: f"{e['name']} ({e['type']})", lambda g: f"{g['name']} ({g['type']})",
    )
    bad = {fold(n) for n in gold.get("not_entities", [])}
    out["entities"].errors += [f"not an entity: {e['name']}" for e in in_doc if names_of(e["id"]) & bad]

    amounts, seen = [], set()
    for a in data["amounts"]:
        if a["document"] == doc_id and (a["value"], a["currency"]) not in seen:
            seen.add((a["value"], a["currency"]))
            amounts.append(a)
    out["amounts"] = _match(
        amounts, gold.get("amounts", []),
        lambda a, g: a["currency"] == g["currency"] and abs(a["value"] - g["value"]) <= 0.005 * abs(g["value"]),
        lambda a: f"{a['text']} = {a['value']:g} {a['currency']}", lambda g: f"{g['text']} = {g['value']:g} {g['currency']}",
    )
    quotes = [q for q in data["quotes"] if q["document"] == doc_id and q["kind"] != "indirect"]
    out["quotes"] = _match(
        quotes, gold.get("quotes", []),
        lambda q, g: _quote_match(q["text"], g["text"]) and bool(_names(g["speaker"]) & names_of(q["speaker"])),
        lambda q: f"{ename(q['speaker'])}: {q['text'][:60]}", lambda g: f"{g['speaker']}: {g['text'][:60]}",
    )

    def amount_ok(ev: dict, g: dict) -> bool:
        ga, sa = g.get("amount"), ev["roles"].get("amount")
        if not ga:
            return True
        return bool(sa) and sa["currency"] == ga["currency"] and abs(sa["value"] - ga["value"]) <= 0.005 * abs(ga["value"])

    def event_ok(ev: dict, g: dict) -> bool:
        if ev["type"] != g["type"]:
            return False
        if not any(names_of(a) & _names(g.get("agent")) for a in ev["roles"]["agent"]):
            return False
        if g.get("target") and not any(names_of(t) & _names(g["target"]) for t in ev["roles"]["target"]):
            return False
        return amount_ok(ev, g)

    events = [e for e in data["events"] if any(x["document"] == doc_id for x in e["evidence"])]
    out["events"] = _match(
        events, gold.get("events", []), event_ok,
        lambda e: f"{e['type']} by {', '.join(map(ename, e['roles']['agent'])) or '?'} on {', '.join(map(ename, e['roles']['target'])) or '?'}",
        lambda g: f"{g['type']} by {g.get('agent')} on {g.get('target', '-')}",
    )

    def pred(p: str | list[str]) -> set[str]:
        ps = {p} if isinstance(p, str) else set(p)
        return {root(x) for x in ps}  # a ceo_of is a head_of

    rels = [r for r in data["relations"] if any(x["document"] == doc_id for x in r["evidence"])]
    out["relations"] = _match(
        rels, gold.get("relations", []),
        lambda r, g: fold(g["subject"]) in names_of(r["subject"]) and fold(g["object"]) in names_of(r["object"])
        and bool(pred(r["predicate"]) & pred(g["predicate"])),
        lambda r: f"{ename(r['subject'])} {r['predicate']} {ename(r['object'])}",
        lambda g: f"{g['subject']} {g['predicate']} {g['object']}",
    )
    stances = [s for s in data["stances"] if s["evidence"]["document"] == doc_id]
    out["stances"] = _match(
        stances, gold.get("stances", []),
        lambda s, g: bool(_names(g["holder"]) & names_of(s["holder"])) and s["polarity"] == g["polarity"]
        and fold(g["evidence_contains"]) in fold(_sentence(data, s["evidence"])),
        lambda s: f"{ename(s['holder'])} {s['polarity']} {s['topic']}",
        lambda g: f"{g['holder']} {g['polarity']} {g['topic']}",
    )
    return out


def _sentence(data: dict[str, Any], ev: dict[str, Any]) -> str:
    """The evidence widened to its sentence(s) in the document."""
    text = next(d["text"] for d in data["documents"] if d["id"] == ev["document"])
    lo = max(text.rfind(".", 0, ev["start"]), text.rfind("\n", 0, ev["start"])) + 1
    hi = min([i for i in (text.find(".", ev["end"]), text.find("\n", ev["end"])) if i >= 0] or [len(text)])
    return text[lo : hi + 1]


def evaluate(store: Store, gold_paths: list[str | Path],
             notify: Callable[[str], None] | None = None) -> dict[str, Score]:
    """Scores over every gold file, micro-averaged per section. A gold file that
    cannot be scored raises DossierError, or, with ``notify``, is reported there
    (one line naming it and the reason) and left out."""
    return summed(evaluate_documents(store, gold_paths, notify).values())


def summed(per_doc: Iterable[dict[str, Score]]) -> dict[str, Score]:
    """Micro-average: each section's counts summed over the documents."""
    total = {k: Score() for k in SECTIONS}
    for scores in per_doc:
        for k, s in scores.items():
            total[k].add(s)
    return total


def evaluate_documents(store: Store, gold_paths: list[str | Path],
                       notify: Callable[[str], None] | None = None) -> dict[str, dict[str, Score]]:
    """Per gold file (by path, in the order given): its scores per section."""
    data = story(store)
    stored = {d["id"] for d in data["documents"]}
    out: dict[str, dict[str, Score]] = {}
    for gp in map(Path, gold_paths):
        try:
            out[str(gp)] = _score_file(data, stored, gp)
        except DossierError as exc:
            if notify is None:
                raise
            notify(str(exc))
    return out


def _score_file(data: dict[str, Any], stored: set[str], gp: Path) -> dict[str, Score]:
    try:
        gold = json.loads(gp.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DossierError(Msg.GOLD_UNREADABLE.format(path=gp, detail=exc)) from exc
    if not isinstance(gold, dict) or not isinstance(gold.get("document"), str):
        raise DossierError(Msg.GOLD_UNREADABLE.format(path=gp, detail="no 'document' string at the top level"))
    # the gold file names its article relative to the folder holding gold/
    article = gp.resolve().parent.parent / gold["document"]
    try:
        doc_id = article_id(article.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise DossierError(Msg.GOLD_UNREADABLE.format(path=gp, detail=exc)) from exc
    if doc_id not in stored:
        raise DossierError(Msg.GOLD_DOC_MISSING.format(path=gp, document=article))
    try:
        return score_document(data, doc_id, gold)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        # a gold item lacking a field or of the wrong shape: name the file, never a traceback
        detail = f"missing field {exc}" if isinstance(exc, KeyError) else f"malformed item ({exc})"
        raise DossierError(Msg.GOLD_MALFORMED.format(path=gp, detail=detail)) from exc


def overall(scores: dict[str, Score]) -> float:
    """One figure for the story: the mean of the section F1s."""
    return sum(s.f1 for s in scores.values()) / len(scores) if scores else 0.0


def below_floors(scores: dict[str, Score], floors: dict[str, dict[str, float]]) -> list[str]:
    """Each ``section metric value < floor`` that fails the quality gate."""
    out = []
    for section, metrics in floors.items():
        s = scores.get(section)
        for metric, floor in metrics.items():
            value = getattr(s, metric) if s else 0.0
            if value + 1e-9 < floor:
                out.append(f"{section} {metric} {value:.3f} < {floor}")
    return out
