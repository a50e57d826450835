"""The story's vocabulary: entity types, event types and relation predicates.

One registry, ``dossier/lang/vocab.json`` (its ``_doc`` says what each field
means), read by the components, the exports, the web API and the evaluation.
The JSON Schema's enums are written from it (``python -m dossier.vocab``;
``tests/test_language.py`` checks them). A predicate added there and to a
language's ``relations.json`` is extracted, stored and exported with no code
change.
"""

from __future__ import annotations

import json
from pathlib import Path

from .lang import SUPPORTED, data

_V = data("vocab.json")
_T, _E, _P = _V["entity_types"], _V["event_types"], _V["predicates"]

ENTITY_TYPES: tuple[str, ...] = tuple(_T)  # in this order a tie of type votes is broken
EVENT_TYPES: tuple[str, ...] = tuple(_E)
PREDICATES: tuple[str, ...] = tuple(_P)
NER_LABELS: tuple[str, ...] = tuple(_V.get("ner_labels", ()))  # besides the entity types
EVENT_MARKERS: tuple[str, ...] = tuple(_V.get("event_markers", ()))

TYPE_CODE: dict[str, str] = {t: d["code"] for t, d in _T.items()}
ENTITY_CLASSES: dict[str, str] = {t: d["schema_org"] for t, d in _T.items()}

AMOUNT_TYPES = frozenset(t for t, d in _E.items() if d.get("amount"))
POTENTIAL_TYPES = frozenset(t for t, d in _E.items() if d.get("potential"))
EVENT_CLASSES: dict[str, str] = {t: d["schema_org"] for t, d in _E.items() if d.get("schema_org")}

SUBJECT_TYPES: dict[str, frozenset[str]] = {p: frozenset(d["subject"]) for p, d in _P.items()}
OBJECT_TYPES: dict[str, frozenset[str]] = {p: frozenset(d["object"]) for p, d in _P.items()}
PARENT: dict[str, str] = {p: d["parent"] for p, d in _P.items() if d.get("parent")}
TITLE_PREDICATES: tuple[str, ...] = tuple(p for p, d in _P.items() if d.get("title"))
AFFILIATIONS = frozenset(p for p, d in _P.items() if d.get("affiliation"))
WITH_OBJECT: dict[str, dict[str, str]] = {p: d["with_object"] for p, d in _P.items() if d.get("with_object")}
# predicate -> (schema.org property, True when it reads object -> subject)
SCHEMA_PROPERTIES: dict[str, tuple[str, bool]] = {
    p: (d["schema_org"]["property"], bool(d["schema_org"].get("inverse"))) for p, d in _P.items() if d.get("schema_org")}


def root(predicate: str) -> str:
    """The most general predicate ``predicate`` is a kind of (``ceo_of`` → ``head_of``)."""
    while predicate in PARENT:
        predicate = PARENT[predicate]
    return predicate


# the more precise predicates of each one (head_of -> ceo_of)
CHILDREN: dict[str, tuple[str, ...]] = {p: tuple(c for c in PREDICATES if PARENT.get(c) == p) for p in PREDICATES}
# a title predicate -> its root: a ceo_of and a head_of name the holder of one role
FAMILY: dict[str, str] = {p: root(p) for p in TITLE_PREDICATES}


def family(predicate: str) -> set[str]:
    """The predicates of the same root (``ceo_of`` and ``head_of``)."""
    r = root(predicate)
    return {p for p in PREDICATES if root(p) == r}


def _check() -> None:
    """A predicate names only registered types and predicates (else fail at import, not mid-article)."""
    for p, d in _P.items():
        types = {*d["subject"], *d["object"], *d.get("with_object", {})}
        preds = {d.get("parent", p), *d.get("with_object", {}).values()}
        if not types <= set(_T) or not preds <= set(_P):
            raise ValueError(f"vocab.json: predicate {p} names unknown types or predicates: "
                             f"{sorted(types - set(_T))} {sorted(preds - set(_P))}")


_check()


SCHEMA = Path(__file__).parent / "schema" / "dossier.schema.json"


def with_enums(schema: dict) -> dict:
    """The JSON export's ``schema`` with the vocabulary's enums and the languages."""
    item = {k: v["items"]["properties"] for k, v in schema["properties"].items() if v.get("type") == "array"}
    item["entities"]["type"]["enum"] = list(ENTITY_TYPES)
    item["events"]["type"]["enum"] = list(EVENT_TYPES)
    item["relations"]["predicate"]["enum"] = list(PREDICATES)
    item["documents"]["language"]["enum"] = list(SUPPORTED)
    return schema


if __name__ == "__main__":  # write the vocabulary into the JSON Schema
    SCHEMA.write_text(json.dumps(with_enums(json.loads(SCHEMA.read_text("utf-8"))), indent=2, ensure_ascii=False), "utf-8")
