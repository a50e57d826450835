"""Spark builds: analyse a corpus on a cluster, load the facts into the store.

``dossier spark-build INPUT OUTPUT`` (or ``spark-submit``, see :func:`main`)
reads JSON Lines (the fields of dossier's JSONL reader: text, title, url,
published, language, source; each line is checked by that same reader) or
Parquet with those columns, from any Hadoop-compatible path. Every Python
executor process loads the spaCy models once (``mapPartitions`` over
batches); each article becomes one row of facts and is written as Parquet::

    OUTPUT/documents/  one row per article: the ``documents`` columns, then one
                       JSON-encoded list per fact table (entities, aliases,
                       mentions, amounts, dates, quotes, events, event_roles,
                       evidence, relations, stances, ...) holding exactly the
                       rows the store writes for it; input_file, input_line.
                       Sorted by input file and line.
    OUTPUT/entities/   the cross-article entity table: one row per entity id
                       (content-derived: type + folded name, so it is the
                       blocking key of a ``groupBy``), its name (from the first
                       article naming it, as in a local build), type, aliases,
                       number of documents and mentions.
    OUTPUT/errors/     lines that could not become an analysed article, with
                       the reason (as ``dossier build`` reports them).
    OUTPUT/links/      the cross-article story, computed by Spark jobs that
                       meet facts on blocking keys (``spark_linking.py``): one
                       directory per store table (entity_keys, entity_links,
                       event_clusters, statements, contradictions).

``dossier load OUTPUT --db URL`` then puts the facts into SQLite or PostgreSQL
(``COPY``) in batches of articles, one transaction each; an article already in
the store is skipped, so loading twice is a no-op. Into an empty store the
links are copied as they are; into a store holding other articles too, the
store's own linking pass relates the new articles to the old ones. The rows are the store's
own: they are recorded by running the store's ``_write`` against a recorder,
so this module follows any table or column the store gains.

The corpus is never collected to the driver: only the per-split line counts
(to number JSONL lines as the local reader does) and the summary counts are.
"""

from __future__ import annotations

import argparse
import inspect
import json
import math
import os
import re
import sys
import time
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import unquote, urlparse

from dossier.errors import DossierError
from dossier.model import Article, Doc, ReadError
from dossier.pipeline import DEFAULT
from dossier.store import Store

DOC_TABLE = "documents"
ORDER = ("input_file", "input_line")  # where the article was read: its place in the input
FIELDS = ("title", "url", "published", "language", "source")  # beside text, as the JSONL reader
BATCH = 32  # articles analysed together (spaCy batching), as dossier build
LOAD_BATCH = 500  # articles per load transaction


# -- the store's rows for one article -----------------------------------------

class _NoRows:
    rowcount = 0

    def fetchone(self):
        return None

    def fetchall(self):
        return []


_INSERT = re.compile(
    r"^\s*INSERT\s+(?:OR\s+\w+\s+)?INTO\s+(\w+)\s*\(([^)]*)\)\s*VALUES\s*\(([^)]*)\)", re.I | re.S)


def _literal(token: str) -> Any:
    t = token.strip()
    if t.upper() == "NULL":
        return None
    if t[:1] == "'" and t[-1:] == "'":
        return t[1:-1].replace("''", "'")
    try:
        return int(t)
    except ValueError:
        return float(t)


class FactRecorder(Store):
    """A store that connects nowhere and records, per table, the rows its
    ``_write`` inserts for one article."""

    def __init__(self) -> None:  # no connection, no migration
        self.url = "recorder:"
        self.tables: dict[str, list[dict[str, Any]]] = {}

    def close(self) -> None:
        pass

    def execute(self, query: str, params: Iterable[Any] = ()):
        self._record(query, [tuple(params)])
        return _NoRows()

    def executemany(self, query: str, rows: list[tuple]) -> None:
        if rows:
            self._record(query, rows)

    def _record(self, query: str, rows: list[tuple]) -> None:
        m = _INSERT.match(query)
        if not m:
            if query.lstrip()[:6].upper() == "SELECT":
                return  # a lookup: the recorder has nothing stored
            raise DossierError(f"cannot record this statement for a Spark build: {query.strip()[:80]}")
        table = m.group(1)
        columns = [c.strip() for c in m.group(2).split(",")]
        slots = [s.strip() for s in m.group(3).split(",")]
        out = self.tables.setdefault(table, [])
        for params in rows:
            it = iter(params)
            values = [next(it) if s == "?" else _literal(s) for s in slots]
            out.append(dict(zip(columns, values)))

    def capture(self, doc: Doc) -> dict[str, list[dict[str, Any]]]:
        self.tables = {}
        self._write(doc)
        return self.tables


def fact_tables() -> list[str]:
    """The tables the store's ``_write`` inserts into besides documents, in
    the order it writes them: one JSON column each."""
    owner = next(c for c in Store.__mro__ if "_write" in vars(c))
    names = re.findall(r"INSERT\s+INTO\s+(\w+)", inspect.getsource(owner), re.I)
    return list(dict.fromkeys(n for n in names if n not in ("meta", DOC_TABLE)))


def document_columns() -> list[tuple[str, str]]:
    """(name, declared SQL type) of the documents table, from the migrations."""
    import sqlite3

    from dossier.store import MIGRATIONS

    conn = sqlite3.connect(":memory:")
    try:
        for script in MIGRATIONS:
            conn.executescript(script)
        return [(r[1], r[2]) for r in conn.execute(f"PRAGMA table_info({DOC_TABLE})")]
    finally:
        conn.close()


def fact_row(doc: Doc, recorder: FactRecorder | None = None,
             tables: list[str] | None = None) -> dict[str, Any]:
    """One article as a row: its documents columns, and the rows of every
    fact table as a JSON list of objects."""
    tables = fact_tables() if tables is None else tables
    captured = (recorder or FactRecorder()).capture(doc)
    unknown = set(captured) - set(tables) - {DOC_TABLE}
    if unknown:
        raise DossierError(f"the store writes tables this Spark build does not know: {sorted(unknown)}")
    (row,) = captured[DOC_TABLE]
    for t in tables:
        row[t] = json.dumps(captured.get(t, []), ensure_ascii=False, separators=(",", ":"))
    return row


def write_facts(docs: Iterable[Doc], output: str, input_file: str = "") -> int:
    """Write analysed docs as ``OUTPUT/documents`` Parquet without Spark (the
    same rows ``spark-build`` writes; for small corpora and tests)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rec, tables = FactRecorder(), fact_tables()
    rows = []
    for n, doc in enumerate(docs, 1):
        row = fact_row(doc, rec, tables)
        row.update(input_file=input_file, input_line=n)
        rows.append(row)
    schema = pa.schema([(c, _arrow_type(t)) for c, t in document_columns()]
                       + [(t, pa.string()) for t in tables]
                       + [("input_file", pa.string()), ("input_line", pa.int64())])
    os.makedirs(os.path.join(output, "documents"), exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), os.path.join(output, "documents", "part-00000.parquet"))
    return len(rows)


def _arrow_type(sql_type: str):
    import pyarrow as pa

    t = sql_type.upper()
    return pa.int64() if "INT" in t else pa.float64() if any(k in t for k in ("DOUB", "REAL", "FLOA")) else pa.string()


def _spark_type(sql_type: str):
    from pyspark.sql import types as T

    t = sql_type.upper()
    return T.LongType() if "INT" in t else T.DoubleType() if any(k in t for k in ("DOUB", "REAL", "FLOA")) else T.StringType()


# -- executors ------------------------------------------------------------------

def display_path(uri: str) -> str:
    """``file:///a/b.jsonl`` -> ``/a/b.jsonl`` (as a local build names it); other URIs as they are."""
    u = urlparse(uri)
    return unquote(u.path) if u.scheme == "file" else uri


def _number_lines(offsets: dict[tuple[str, int], int], rows: Iterator) -> Iterator[tuple]:
    """Give each line of a split its line number in its file."""
    key, k = None, 0
    for r in rows:
        if (r.file, r.block) != key:
            key, k = (r.file, r.block), 0
        k += 1
        yield r.file, offsets[key] + k, r.value


_PARSED = ("kind", "id", "input_file", "input_line", "path", "text", *FIELDS, "reason", "skipped")


def _parse(item: Article | ReadError, uri: str, line: int) -> tuple:
    if isinstance(item, ReadError):
        return ("error", None, uri, line, f"{item.path}:{item.line}" if item.line else item.path, None,
                *(None for _ in FIELDS), str(item), item.skipped)
    return ("article", item.id, uri, line, item.path, item.text, *(getattr(item, f) for f in FIELDS), None, False)


def _parse_jsonl(rows: Iterator[tuple]) -> Iterator[tuple]:
    from dossier.readers import _jsonl_line

    for uri, line, value in rows:
        if line == 1:
            value = value.removeprefix("\ufeff")
        if not value.strip():
            continue  # blank lines are skipped, as the local reader does
        yield _parse(_jsonl_line(display_path(uri), line, value), uri, line)


def _parse_records(rows: Iterator) -> Iterator[tuple]:
    """Parquet input: each record goes through the JSONL reader's checks."""
    from dossier.readers import _jsonl_line

    for r in rows:
        d = r.asDict()
        uri, line = d.pop("input_file"), d.pop("input_line")
        raw = json.dumps({k: v for k, v in d.items() if v is not None}, default=str, ensure_ascii=False)
        yield _parse(_jsonl_line(display_path(uri), line, raw), uri, line)


def _analyse_partition(names: tuple[str, ...], tables: list[str], columns: list[str],
                       rows: Iterator) -> Iterator[tuple]:
    """Analyse a partition's articles in batches; models load once per
    executor process (``nlp.load`` is cached) and are reused by every task."""
    from dossier.build import _analyse_batch
    from dossier.errors import Msg
    from dossier.lang import SUPPORTED
    from dossier.pipeline import make_doc

    recorder = FactRecorder()

    def result(status: str, r, message: str) -> tuple:
        out = dict(input_file=r.input_file, input_line=r.input_line, path=r.path, status=status, message=message)
        return tuple(out.get(c) for c in columns)

    def run(batch: list) -> Iterator[tuple]:
        docs, by_id = [], {}
        for r in batch:
            a = Article(text=r.text, path=r.path, **{f: getattr(r, f) for f in FIELDS})
            try:
                doc = make_doc(a)
            except ValueError as exc:
                yield result("skipped", r, f"{r.path}: " + Msg.UNSUPPORTED_LANGUAGE.format(
                    lang=exc.args[0], supported=", ".join(SUPPORTED)))
                continue
            docs.append(doc)
            by_id[doc.id] = r  # ids are unique: articles were deduplicated
        problems: list[str] = []
        good = _analyse_batch(docs, names, lambda msg, skipped: problems.append(msg))
        ok = {d.id for d in good}
        failed = [d for d in docs if d.id not in ok]
        for d, msg in zip(failed, problems + [""] * len(failed)):
            yield result("failed", by_id[d.id], msg or f"{d.article.path}: analysis failed")
        for d in good:
            r = by_id[d.id]
            try:
                row = fact_row(d, recorder, tables)
            except Exception as exc:  # noqa: BLE001  (as dossier build: one article, not the batch)
                yield result("failed", r, f"{r.path}: cannot store the article ({exc})")
                continue
            row.update(input_file=r.input_file, input_line=r.input_line, status="stored", message=None)
            yield tuple(row.get(c) for c in columns)

    batch: list = []
    for r in rows:
        batch.append(r)
        if len(batch) >= BATCH:
            yield from run(batch)
            batch = []
    if batch:
        yield from run(batch)


# -- the Spark job ------------------------------------------------------------

@dataclass
class SparkReport:
    documents: int = 0
    duplicates: int = 0
    skipped: int = 0
    failed: int = 0
    entities: int = 0
    links: dict[str, int] = field(default_factory=dict)  # rows of each cross-article table
    messages: list[str] = field(default_factory=list)

    def summary(self) -> str:
        merged = self.links.get("entity_links", 0)
        return (f"{self.documents} articles analysed, {self.duplicates} duplicates, {self.skipped} skipped, "
                f"{self.failed} failed, {self.entities} entities ({merged} linked across articles)")


def _is_parquet(path: str, fmt: str | None) -> bool:
    if fmt:
        if fmt not in ("jsonl", "parquet"):
            raise DossierError(f"unknown input format '{fmt}' (expected jsonl or parquet)")
        return fmt == "parquet"
    return path.rstrip("/").lower().endswith((".parquet", ".pq"))


def spark_build(spark, input_path: str, output: str, components: Iterable[str] = DEFAULT,
                input_format: str | None = None, partitions: int | None = None,
                overwrite: bool = False) -> SparkReport:
    """Analyse every article under ``input_path`` with ``spark`` and write the
    facts under ``output`` (see the module docstring)."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    names = tuple(components)
    tables = fact_tables()
    doc_cols = document_columns()
    sc = spark.sparkContext
    mode = "overwrite" if overwrite else "errorifexists"
    if not overwrite and _exists(spark, output):
        raise DossierError(f"{output} already exists; choose another OUTPUT or pass --overwrite")

    parsed_schema = T.StructType(
        [T.StructField(c, T.LongType() if c == "input_line" else T.BooleanType() if c == "skipped" else T.StringType())
         for c in _PARSED])
    if _is_parquet(input_path, input_format):
        src = spark.read.parquet(input_path)
        if "text" not in src.columns:
            raise DossierError(f"{input_path}: the Parquet input has no 'text' column")
        src = src.select(*[F.col(c) if c in src.columns else F.lit(None).alias(c) for c in ("text", *FIELDS)],
                         F.col("_metadata.file_path").alias("input_file"),
                         (F.col("_metadata.row_index") + 1).alias("input_line"))
        total = src.count()
        parsed = spark.createDataFrame(src.rdd.mapPartitions(_parse_records), parsed_schema)
    else:
        raw = (spark.read.option("lineSep", "\n").text(input_path)
               .select("value", F.col("_metadata.file_path").alias("file"),
                       F.col("_metadata.file_block_start").alias("block")))
        # lines per split, to number lines as the local reader does (a tiny table)
        offsets: dict[tuple[str, int], int] = {}
        running: dict[str, int] = {}
        total = 0
        for r in sorted(raw.groupBy("file", "block").count().collect(), key=lambda r: (r["file"], r["block"])):
            offsets[(r["file"], r["block"])] = running.get(r["file"], 0)
            running[r["file"]] = running.get(r["file"], 0) + r["count"]
            total += r["count"]
        parsed = spark.createDataFrame(
            raw.rdd.mapPartitions(partial(_number_lines, offsets)).mapPartitions(_parse_jsonl), parsed_schema)

    parsed = parsed.persist(StorageLevel.MEMORY_AND_DISK)
    articles = parsed.filter(F.col("kind") == "article")
    # one analysis per article id: the first occurrence in the input wins, as locally
    first = F.min(F.struct("input_file", "input_line", "path", "text", *FIELDS)).alias("a")
    unique = articles.groupBy("id").agg(first).select("a.*")
    n = partitions or max(2 * sc.defaultParallelism, math.ceil(max(total, 1) / 200))
    unique = unique.repartition(max(1, min(n, max(total, 1))))

    out_cols = ([c for c, _ in doc_cols] + tables + ["input_file", "input_line", "status", "message"])
    out_schema = T.StructType(
        [T.StructField(c, _spark_type(t)) for c, t in doc_cols]
        + [T.StructField(t, T.StringType()) for t in tables]
        + [T.StructField("input_file", T.StringType()), T.StructField("input_line", T.LongType()),
           T.StructField("status", T.StringType()), T.StructField("message", T.StringType())])
    results = spark.createDataFrame(
        unique.rdd.mapPartitions(partial(_analyse_partition, names, tables, out_cols)), out_schema)
    results = results.persist(StorageLevel.MEMORY_AND_DISK)

    docs = results.filter(F.col("status") == "stored").drop("status", "message")
    docs.orderBy(*ORDER).write.mode(mode).parquet(_join(output, "documents"))

    errors = (parsed.filter(F.col("kind") == "error")
              .select("path", F.col("reason").alias("message"),
                      F.when(F.col("skipped"), "skipped").otherwise("failed").alias("status"), *ORDER)
              .unionByName(results.filter(F.col("status") != "stored").select("path", "message", "status", *ORDER)))
    errors.coalesce(1).sortWithinPartitions(*ORDER).write.mode(mode).parquet(_join(output, "errors"))

    report = SparkReport()
    from dossier.spark_linking import link

    report.links = link(spark, spark.read.parquet(_join(output, "documents")), output, mode)
    entities = _entity_table(docs, tables)
    if entities is not None:
        entities.coalesce(max(1, min(n, 16))).sortWithinPartitions("id").write.mode(mode).parquet(
            _join(output, "entities"))
        report.entities = spark.read.parquet(_join(output, "entities")).count()  # from the footers

    report.documents = spark.read.parquet(_join(output, "documents")).count()
    n_lines, n_ids = articles.agg(F.count("*"), F.countDistinct("id")).first()
    report.duplicates = n_lines - n_ids
    written = spark.read.parquet(_join(output, "errors"))
    for r in written.groupBy("status").count().collect():
        if r["status"] == "skipped":
            report.skipped += r["count"]
        else:
            report.failed += r["count"]
    report.messages = [r["message"] for r in written.limit(1000).collect()]
    results.unpersist()
    parsed.unpersist()
    return report


def _entity_table(docs, tables: list[str]):
    """Entities across articles: ``groupBy`` on the content-derived id."""
    from pyspark.sql import functions as F

    if "entities" not in tables:
        return None
    row = "array<map<string,string>>"
    ents = (docs.select(F.explode(F.from_json("entities", row)).alias("e"), "id", *ORDER)
            .select(F.col("e")["id"].alias("entity"), F.col("e")["name"].alias("name"),
                    F.col("e")["type"].alias("type"), F.col("id").alias("document"), *ORDER))
    table = ents.groupBy("entity").agg(
        F.min_by("name", F.struct(*ORDER)).alias("name"), F.first("type").alias("type"),
        F.countDistinct("document").alias("documents"))
    if "aliases" in tables:
        aliases = (docs.select(F.explode(F.from_json("aliases", row)).alias("a"))
                   .select(F.col("a")["entity"].alias("entity"), F.col("a")["alias"].alias("alias"))
                   .groupBy("entity").agg(F.array_sort(F.collect_set("alias")).alias("aliases")))
        table = table.join(aliases, "entity", "left")
    if "mentions" in tables:
        mentions = (docs.select(F.explode(F.from_json("mentions", row)).alias("m"))
                    .groupBy(F.col("m")["entity"].alias("entity")).count().withColumnRenamed("count", "mentions"))
        table = table.join(mentions, "entity", "left")
    return table.withColumnRenamed("entity", "id")


def _exists(spark, path: str) -> bool:
    """Whether ``path`` exists, on any Hadoop file system."""
    jvm = spark.sparkContext._jvm
    p = jvm.org.apache.hadoop.fs.Path(path)
    return p.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).exists(p)


def _join(base: str, name: str) -> str:
    return base.rstrip("/") + "/" + name


def session(master: str | None = None, app: str = "dossier", conf: dict[str, str] | None = None):
    """A SparkSession whose Python workers run this interpreter."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    b = SparkSession.builder.appName(app)
    if master:
        b = b.master(master)
    for k, v in (conf or {}).items():
        b = b.config(k, v)
    return b.getOrCreate()


# -- loading into the store -----------------------------------------------------

@dataclass
class LoadReport:
    stored: int = 0
    unchanged: int = 0
    messages: list[str] = field(default_factory=list)
    links: str = "unchanged"  # the cross-article story: copied from spark-build, linked in the store, unchanged

    def summary(self) -> str:
        return f"{self.stored} stored, {self.unchanged} already in the store"


def _filesystem(path: str) -> tuple[Any, str]:
    import pyarrow.fs as pafs

    if "://" in path and not path.startswith("file://"):
        return pafs.FileSystem.from_uri(path)
    return pafs.LocalFileSystem(), display_path(path)


def _files(fs, root: str) -> list[str]:
    """The Parquet data files under ``root`` (a file or a directory), sorted."""
    import pyarrow.fs as pafs

    info = fs.get_file_info(root)
    if info.type == pafs.FileType.File:
        return [root]
    if info.type == pafs.FileType.NotFound:
        return []
    return sorted(f.path for f in fs.get_file_info(pafs.FileSelector(root, recursive=True))
                  if f.type == pafs.FileType.File and f.base_name.endswith(".parquet")
                  and not f.base_name.startswith(("_", ".")))


def _parquet_files(path: str) -> tuple[Any, list[str], str | None]:
    """(file system, the documents' Parquet files, the output root holding
    links/ or None when ``path`` is a bare Parquet file or directory)."""
    import pyarrow.fs as pafs

    fs, root = _filesystem(path)
    docs = _join(root, "documents")
    base = None
    if fs.get_file_info(docs).type == pafs.FileType.Directory:
        base, root = root, docs
    if fs.get_file_info(root).type == pafs.FileType.NotFound:
        raise DossierError(f"{path}: no such Parquet file or directory")
    files = _files(fs, root)
    if not files:
        raise DossierError(f"{path}: no Parquet files (expected the OUTPUT of dossier spark-build)")
    return fs, files, base


def _link_batches(fs, base: str, batch: int) -> Iterator[tuple[str, list[tuple]]]:
    """spark-build's cross-article tables, as (table, rows) batches."""
    import pyarrow.parquet as pq

    from dossier.linking import LINK_TABLES
    from dossier.spark_linking import LINKS_DIR

    for table, cols in LINK_TABLES.items():
        for f in _files(fs, _join(_join(base, LINKS_DIR), table)):
            with fs.open_input_file(f) as fh:
                for rb in pq.ParquetFile(fh).iter_batches(batch_size=batch * 20, columns=list(cols)):
                    yield table, list(zip(*(rb.column(c).to_pylist() for c in cols)))


def _has_links(fs, base: str | None) -> bool:
    import pyarrow.fs as pafs

    from dossier.linking import LINK_TABLES
    from dossier.spark_linking import LINKS_DIR

    return base is not None and all(
        fs.get_file_info(_join(_join(base, LINKS_DIR), t)).type == pafs.FileType.Directory for t in LINK_TABLES)


def load(path: str, store: Store, batch: int = LOAD_BATCH,
         progress: Callable[[int], None] | None = None) -> LoadReport:
    """Load spark-build's Parquet facts into ``store``; articles already
    stored are skipped, each batch is one transaction. The cross-article
    story computed by spark-build is copied when the store holds exactly its
    articles; otherwise the store links what the new articles change."""
    import pyarrow.parquet as pq

    from dossier import linking

    fs, files, base = _parquet_files(path)
    stored_cols = [getattr(d, "name", None) or d[0]
                   for d in store.execute(f"SELECT * FROM {DOC_TABLE} LIMIT 0").description]
    report = LoadReport()
    empty = store.execute(f"SELECT COUNT(*) FROM {DOC_TABLE}").fetchone()[0] == 0
    was_linked = not linking.stale(store)
    seen: set[str] = set()
    new: list[str] = []
    for f in files:
        with fs.open_input_file(f) as fh:
            pf = pq.ParquetFile(fh)
            for rb in pf.iter_batches(batch_size=batch):
                new += _load_batch(store, rb.to_pylist(), stored_cols, seen, report)
                if progress:
                    progress(rb.num_rows)
    if new and empty and _has_links(fs, base):
        linking.replace_links(store, _link_batches(fs, base, batch))
        report.links = "copied"
    elif new or linking.stale(store):
        linking.update(store, new, was_linked)
        report.links = "linked in the store"
    return report


def _load_batch(store: Store, rows: list[dict[str, Any]], stored_cols: list[str], seen: set[str],
                report: LoadReport) -> list[str]:
    """Store the rows' new articles; their ids."""
    if not rows:
        return []
    doc_cols = [c for c in rows[0] if c in stored_cols]
    tables = [c for c in rows[0] if c not in stored_cols and c not in (*ORDER, "status", "message")]
    with store.transaction():
        ids = [r["id"] for r in rows]
        marks = ", ".join("?" for _ in ids)
        present = {r[0] for r in store.execute(f"SELECT id FROM {DOC_TABLE} WHERE id IN ({marks})", ids).fetchall()}
        new = []
        for r in rows:
            if r["id"] in present or r["id"] in seen:
                report.unchanged += 1
            else:
                seen.add(r["id"])
                new.append(r)
        if new:
            store.copy_rows(DOC_TABLE, tuple(doc_cols), [tuple(r[c] for c in doc_cols) for r in new])
            for t in tables:
                facts = [x for r in new for x in json.loads(r[t] or "[]")]
                if facts:
                    cols = tuple(dict.fromkeys(k for x in facts for k in x))
                    store.copy_rows(t, cols, [tuple(x.get(c) for c in cols) for x in facts])
    report.stored += len(new)
    return [r["id"] for r in new]


# -- spark-submit -----------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    """``spark-submit "$(python -c 'import dossier.spark as s; print(s.__file__)')" INPUT OUTPUT``
    (dossier installed on every node), or ``python -m dossier.spark INPUT OUTPUT``."""
    p = argparse.ArgumentParser(prog="dossier.spark", description="Analyse articles with Spark; write Parquet facts.")
    p.add_argument("input", help="JSON Lines or Parquet: a file, a directory or a glob, on any Hadoop path")
    p.add_argument("output", help="output directory (documents/, entities/, errors/)")
    p.add_argument("--format", choices=("jsonl", "parquet"), help="input format (default: from the name)")
    p.add_argument("--components", help="comma-separated components (default: all)")
    p.add_argument("--partitions", type=int, help="analysis partitions (default: from the cores and input size)")
    p.add_argument("--master", help="Spark master when not run by spark-submit (e.g. local[*])")
    p.add_argument("--overwrite", action="store_true", help="replace an existing output directory")
    args = p.parse_args(argv)
    spark = session(args.master)
    start = time.time()
    try:
        report = spark_build(spark, args.input, args.output,
                             components=args.components.split(",") if args.components else DEFAULT,
                             input_format=args.format, partitions=args.partitions, overwrite=args.overwrite)
    except DossierError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        spark.stop()
    print(f"dossier spark-build: {report.summary()} in {time.time() - start:.0f}s -> {args.output}")
    return 0 if not report.failed else 1


if __name__ == "__main__":
    # run under the package name, so executors import the same functions
    from dossier.spark import main as _main

    sys.exit(_main())
