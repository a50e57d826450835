"""The cross-article story as Spark jobs: ``linking.py``'s rules, distributed.

Every decision is the one a local build makes, by the same functions
(``block_links``, ``representative``, ``happening_links``,
``find_contradictions``, ``group_statements``); what changes is where facts
meet. They meet on blocking keys, never on the driver:

- entities: per-article parts reduced by entity id (name of the first
  article, aliases, documents, the names around a person); grouped by
  blocking key (normalised name or alias, surname), each block decides its
  pairs; clusters are the connected components of those links (label
  propagation, one join per round); people named by a title join the one
  holder of that title, by joins on (title, canonical organisation);
- events: roles mapped to canonical actors by a join, grouped by (type,
  actor) to find the same happening across outlets, components again;
  contradictions are looked for within each cluster;
- statements: quotes grouped by canonical speaker.

The rows of the store's link tables are written under ``OUTPUT/links/<table>``;
``dossier load`` copies them into a store that holds exactly these articles.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from dossier.linking import (FAMILY, LINK_TABLES, Ent, UnionFind, agentless_pairs, block_links, entity_keys, happening_links,
                             find_contradictions, group_statements, norm, representative, title_reason)

# the fact tables (JSON columns of OUTPUT/documents) the story is made of
FACTS = ("entities", "aliases", "mentions", "entity_roles", "relations", "events", "event_roles", "evidence",
         "amounts", "quotes")
LINKS_DIR = "links"


def _parsed(row) -> dict[str, Any]:
    d = row.asDict()
    out = {"id": d["id"], "text": d["text"], "order": (d.get("input_file") or "", d.get("input_line") or 0)}
    for t in FACTS:
        out[t] = json.loads(d.get(t) or "[]")
    return out


# -- entities -------------------------------------------------------------------

def _entity_parts(d: dict) -> list[tuple[str, tuple]]:
    """One article's share of each entity: (order, name, type, aliases, 1 if
    the article mentions it, names around it when a person)."""
    aliases: dict[str, set[str]] = defaultdict(set)
    for a in d["aliases"]:
        aliases[a["entity"]].add(a["alias"])
    names = {e["id"]: e["name"] for e in d["entities"]}
    mentioned = {m["entity"] for m in d["mentions"]}
    # an entity id is derived from its folded name, so norm() of this
    # article's name is that of the stored one
    around = {e: norm(names[e]) for e in mentioned if e in names}
    out = []
    for e in d["entities"]:
        context = frozenset(n for o, n in around.items() if o != e["id"]) if (
            e["type"] == "PERSON" and e["id"] in mentioned) else frozenset()
        out.append((e["id"], (d["order"], e["name"], e["type"], frozenset(aliases[e["id"]]),
                              int(e["id"] in mentioned), context)))
    return out


def _merge_parts(a: tuple, b: tuple) -> tuple:
    first = a if a[0] <= b[0] else b
    return (first[0], first[1], first[2], a[3] | b[3], a[4] + b[4], a[5] | b[5])


def _ent(kv: tuple) -> tuple[str, Ent]:
    i, (_, name, type_, aliases, ndocs, context) = kv
    return i, Ent(i, name, type_, sorted(aliases), ndocs, set(context))


def components(edges, n: int):
    """(vertex, smallest vertex of its connected component) for every vertex
    of the ``edges`` RDD of (a, b) pairs: min-label propagation, one round per
    step of the longest shortest path (clusters of the story are small)."""
    # each partition first joins what its own edges join (a union-find) and
    # hands on stars to its roots: same components, far fewer rounds
    both = edges.mapPartitions(_stars).flatMap(lambda e: [e, (e[1], e[0])]).distinct(n).persist()
    labels = both.map(lambda e: (e[0], min(e))).reduceByKey(min, n).persist()
    while True:
        new = (both.join(labels, n).map(lambda t: (t[1][0], t[1][1])).union(labels)
               .reduceByKey(min, n).persist())
        changed = new.join(labels, n).filter(lambda t: t[1][0] != t[1][1]).count()
        labels.unpersist()
        labels = new
        if not changed:
            both.unpersist()
            return labels


def _stars(edges) -> list[tuple[str, str]]:
    uf = UnionFind()
    for a, b in edges:
        uf.union(a, b)
    return [(v, root) for v in list(uf.parent) if (root := uf.find(v)) != v]


def _block_rows(kv: tuple) -> list[tuple]:
    key, members = kv
    return [(key, i, x, y, why) for i, (x, y, why) in enumerate(block_links(key, members))]


def _entities(docs, n: int):
    """(canonical RDD of (entity, canonical), reasons RDD, entity RDD)."""
    ents = docs.flatMap(_entity_parts).reduceByKey(_merge_parts, n).map(_ent).persist()
    titled = docs.flatMap(lambda d: [(r["entity"], None) for r in d["entity_roles"]]).distinct(n)
    links = (ents.subtractByKey(titled, n)
             .flatMap(lambda kv: [(k, kv[1]) for k in entity_keys(kv[1])])
             .groupByKey(n).flatMap(_block_rows).persist())
    # an entity's reason is that of its first link, blocks in key order (as locally)
    reasons = (links.flatMap(lambda t: [(t[2], t[:2] + (t[4],)), (t[3], t[:2] + (t[4],))])
               .reduceByKey(min, n).mapValues(lambda v: v[2]))
    label = components(links.map(lambda t: (t[2], t[3])), n)
    reps = (label.join(ents, n).map(lambda t: (t[1][0], (representative(t[1][1]), t[0])))
            .reduceByKey(max, n).mapValues(lambda v: v[1]))
    rep_of = label.map(lambda t: (t[1], t[0])).join(reps, n).map(lambda t: t[1])
    base = ents.map(lambda kv: (kv[0], kv[0])).leftOuterJoin(rep_of, n).mapValues(lambda v: v[1] or v[0]).persist()
    matches, title_reasons = _titles(docs, ents, base, titled, n)
    canonical = base.leftOuterJoin(matches, n).mapValues(lambda v: v[1] or v[0]).persist()
    return canonical, reasons.subtractByKey(title_reasons, n).union(title_reasons).coalesce(n), ents


def _titles(docs, ents, base, titled, n):
    """'the OpenAI CEO' joins the one person the story makes OpenAI's CEO:
    (entity, person) and (entity, reason) RDDs."""
    relations = docs.flatMap(lambda d: [(r["subject"], (r["predicate"], r["object"])) for r in d["relations"]
                                        if r["predicate"] in FAMILY])
    holders = (relations.subtractByKey(titled, n).join(base, n)  # subject -> (predicate, object), canonical subject
               .map(lambda t: (t[1][0][1], (FAMILY[t[1][0][0]], t[1][1]))).join(base, n)  # object -> canonical
               .map(lambda t: ((t[1][0][0], t[1][1]), t[1][0][1]))
               .groupByKey(n).mapValues(set).filter(lambda kv: len(kv[1]) == 1)
               .mapValues(lambda s: next(iter(s))))
    roles = docs.flatMap(lambda d: [(r["org"], (r["entity"], r["predicate"])) for r in d["entity_roles"]]).distinct(n)
    found = (roles.join(base, n)  # org -> (entity, predicate), canonical org
             .map(lambda t: ((FAMILY[t[1][0][1]], t[1][1]), (t[1][0][0], t[1][0][1], t[0])))
             .join(holders, n)  # -> ((entity, predicate, org), person)
             .map(lambda t: (t[1][0][0], (t[1][0][1], t[1][0][2], t[1][1], t[0][1])))
             .reduceByKey(min, n)  # a person with two titles: the first, as locally
             .persist())
    names = ents.mapValues(lambda e: e.name)
    described = (found.join(names, n)  # entity -> (predicate, org, person, canonical org), its name
                 .map(lambda t: (t[1][0][2], (t[0], t[1][1], t[1][0])))
                 .join(names, n)  # person -> ..., person's name
                 .map(lambda t: (t[1][0][2][3], (t[1][0], t[1][1])))
                 .leftOuterJoin(names, n)  # canonical org -> ..., its name
                 .map(lambda t: (t[1][0][0][0], title_reason(
                     t[1][0][0][1], t[1][0][1], t[1][0][0][2][0], t[1][1] or t[1][0][0][2][1]))))
    return found.mapValues(lambda v: v[2]), described


# -- events -----------------------------------------------------------------------

def _doc_events(d: dict) -> list[tuple[str, dict]]:
    """An article's events shaped as ``linking.load_events`` shapes them, with
    the text of their first evidence span; roles still per-article ids."""
    first: dict[str, dict] = {}
    for r in sorted(d["evidence"], key=lambda r: (r["fact"], r["char_start"], r["char_end"])):
        first.setdefault(r["fact"], {"document": r["document"], "start": r["char_start"], "end": r["char_end"],
                                     "text": d["text"][r["char_start"]:r["char_end"]]})
    approx = {(a["value"], a["currency"]) for a in d["amounts"] if a["approximate"]}
    out = []
    for r in d["events"]:
        amount = None
        if r["amount_value"] is not None:
            amount = {"value": r["amount_value"], "currency": r["amount_currency"],
                      "approximate": (r["amount_value"], r["amount_currency"]) in approx}
        out.append((r["id"], {
            "id": r["id"], "type": r["type"], "document": d["id"],
            "evidence": [first[r["id"]]] if r["id"] in first else [],
            "roles": {"agent": [], "target": [], "place": [], "amount": amount,
                      "time": {"value": r["time_value"], "precision": r["time_precision"]} if r["time_value"] else None},
        }))
    return out


def _with_roles(kv: tuple) -> tuple[str, dict]:
    i, (event, roles) = kv
    for role, entity in roles or ():
        event["roles"][role].append(entity)
    for role in ("agent", "target", "place"):
        event["roles"][role] = sorted(set(event["roles"][role]))
    return i, event


def _same_pairs(kv: tuple) -> list[tuple[str, str]]:
    return happening_links(list(kv[1]))


def _contradictions(kv: tuple) -> list[tuple]:
    cluster, members = kv
    events = [e for e, _ in members]
    names = {a: n for _, ns in members for a, n in ns}
    return [(x["id"], x["kind"], x["event"], json.dumps(x, ensure_ascii=False))
            for x in find_contradictions(events, {e["id"]: cluster for e in events}, names)]


def _events(docs, canonical, ents, n: int):
    """(event, cluster) and contradiction rows."""
    events = docs.flatMap(_doc_events)
    roles = (docs.flatMap(lambda d: [(r["entity"], (r["event"], r["role"])) for r in d["event_roles"]])
             .leftOuterJoin(canonical, n).map(lambda t: (t[1][0][0], (t[1][0][1], t[1][1] or t[0]))).groupByKey(n))
    events = events.leftOuterJoin(roles, n).map(_with_roles).persist()
    blocks = (events.flatMap(lambda kv: [((kv[1]["type"], a), kv[1]) for a in
                                         set(kv[1]["roles"]["agent"]) | set(kv[1]["roles"]["target"])])
              .groupByKey(n).persist())
    same = blocks.flatMap(_same_pairs).persist()
    base = (events.map(lambda kv: (kv[0], kv[0])).leftOuterJoin(components(same, n), n)
            .mapValues(lambda v: v[1] or v[0]))
    # an agentless report joins the one cluster with an agent it fits (linking._join_agentless)
    agentless = (blocks.flatMap(lambda kv: agentless_pairs([list(kv[1])])).map(lambda p: (p[1], p[0]))
                 .join(base, n).map(lambda t: (t[1][0], t[1][1])).distinct(n).groupByKey(n)
                 .flatMap(lambda kv: [(kv[0], r) for r in kv[1]] if len(set(kv[1])) == 1 else []))
    clusters = (events.map(lambda kv: (kv[0], kv[0])).leftOuterJoin(components(same.union(agentless), n), n)
                .mapValues(lambda v: v[1] or v[0]).persist())
    blocks.unpersist()
    names = ents.mapValues(lambda e: e.name)
    agent_names = (events.flatMap(lambda kv: [(a, kv[0]) for a in kv[1]["roles"]["agent"]]).join(names, n)
                   .map(lambda t: (t[1][0], (t[0], t[1][1]))).groupByKey(n))
    contradictions = (events.leftOuterJoin(agent_names, n).join(clusters, n)
                      .map(lambda t: (t[1][1], (t[1][0][0], list(t[1][0][1] or ()))))
                      .groupByKey(n).flatMap(_contradictions))
    return clusters, contradictions


# -- statements -----------------------------------------------------------------

def _statements(docs, canonical, n: int):
    quotes = docs.flatMap(lambda d: [(q["speaker"], {"id": q["id"], "document": d["id"], "text": q["text"],
                                                     "kind": q["kind"]}) for q in d["quotes"]])
    unspoken = quotes.filter(lambda kv: not kv[0]).map(lambda kv: (kv[1]["id"], kv[1]["id"]))
    spoken = (quotes.filter(lambda kv: kv[0]).leftOuterJoin(canonical, n)
              .map(lambda t: (t[1][1] or t[0], dict(t[1][0], speaker=t[1][1] or t[0])))
              .groupByKey(n).flatMap(lambda kv: group_statements(list(kv[1])).items()))
    return spoken.union(unspoken).coalesce(n)


# -- the job ----------------------------------------------------------------------

def link(spark, documents, output: str, mode: str = "errorifexists") -> dict[str, int]:
    """Compute the story's link tables from the ``documents`` DataFrame (one
    row of facts per article, as spark-build writes it) and write them under
    ``output``/links. Returns the number of rows per table."""
    from pyspark import StorageLevel
    from pyspark.sql import types as T

    cols = [c for c in ("id", "text", "input_file", "input_line", *FACTS) if c in documents.columns]
    docs = documents.select(*cols).rdd.map(_parsed).persist(StorageLevel.MEMORY_AND_DISK)
    n = docs.getNumPartitions()
    canonical, reasons, ents = _entities(docs, n)
    clusters, contradictions = _events(docs, canonical, ents, n)
    tables = {
        "entity_keys": ents.flatMap(lambda kv: [(k, kv[0]) for k in sorted(entity_keys(kv[1]))]),
        "entity_links": canonical.leftOuterJoin(reasons, n).filter(lambda t: t[0] != t[1][0] or t[1][1] is not None)
        .map(lambda t: (t[0], t[1][0], t[1][1])),
        "event_clusters": clusters,
        "statements": _statements(docs, canonical, n),
        "contradictions": contradictions,
    }
    counts = {}
    for name, rdd in tables.items():
        schema = T.StructType([T.StructField(c, T.StringType()) for c in LINK_TABLES[name]])
        path = output.rstrip("/") + f"/{LINKS_DIR}/{name}"
        (spark.createDataFrame(rdd, schema).coalesce(4).sortWithinPartitions(*LINK_TABLES[name])
         .write.mode(mode).parquet(path))
        counts[name] = spark.read.parquet(path).count()
    docs.unpersist()
    return counts
