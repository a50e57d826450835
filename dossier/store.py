"""The story store: an ordinary SQLite file anyone can open (or PostgreSQL).

Like sqlite-utils/datasette: plain tables, migrations in code, WAL with a
single writer, content-derived ids so that re-ingesting is a no-op. Each
article is written in one transaction (or a savepoint of its batch's), so a
crash never leaves half of one.
The SQL is written once with ``?`` placeholders; a backend only says how to
connect and how to spell them.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator

from .errors import DossierError, Msg
from .model import Doc, content_id, event_id

SCHEMA_VERSION = 5
OPEN_WAIT_SECONDS = 60


def _redeclare(table: str, columns: str, *indexed: str) -> str:
    """SQL recreating ``table`` with ``columns`` (its columns in their order, now
    declaring REFERENCES), its rows copied by column name, and an index
    ``<table>_<column>`` on each ``indexed`` column."""
    names = ", ".join(re.findall(r"(?:^|,)\s*(\w+) (?:TEXT|INTEGER|DOUBLE PRECISION)\b", columns))
    return (f"CREATE TABLE {table}_v5 ({columns});\n"
            f"INSERT INTO {table}_v5 ({names}) SELECT {names} FROM {table};\n"
            f"DROP TABLE {table};\nALTER TABLE {table}_v5 RENAME TO {table};\n"
            + "".join(f"CREATE INDEX {table}_{c} ON {table} ({c});\n" for c in indexed))


# Each entry migrates from version i to i+1; never edit a released entry.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE IF NOT EXISTS documents (
        id TEXT PRIMARY KEY, path TEXT, title TEXT, url TEXT, source TEXT,
        published TEXT, language TEXT NOT NULL, text TEXT NOT NULL,
        structure TEXT, added TEXT);
    CREATE TABLE IF NOT EXISTS entities (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS aliases (
        entity TEXT NOT NULL, alias TEXT NOT NULL, PRIMARY KEY (entity, alias));
    CREATE TABLE IF NOT EXISTS mentions (
        document TEXT NOT NULL, char_start INTEGER NOT NULL, char_end INTEGER NOT NULL,
        entity TEXT NOT NULL, text TEXT NOT NULL, label TEXT, heading INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (document, char_start, char_end));
    CREATE INDEX IF NOT EXISTS mentions_entity ON mentions (entity);
    CREATE TABLE IF NOT EXISTS amounts (
        document TEXT NOT NULL, char_start INTEGER NOT NULL, char_end INTEGER NOT NULL,
        value DOUBLE PRECISION NOT NULL, currency TEXT, approximate INTEGER NOT NULL,
        text TEXT NOT NULL, refers_to TEXT, PRIMARY KEY (document, char_start, char_end));
    CREATE TABLE IF NOT EXISTS dates (
        document TEXT NOT NULL, char_start INTEGER NOT NULL, char_end INTEGER NOT NULL,
        text TEXT NOT NULL, value TEXT, precision TEXT, relative INTEGER NOT NULL,
        PRIMARY KEY (document, char_start, char_end));
    CREATE TABLE IF NOT EXISTS quotes (
        id TEXT PRIMARY KEY, document TEXT NOT NULL, char_start INTEGER NOT NULL,
        char_end INTEGER NOT NULL, text TEXT NOT NULL, kind TEXT NOT NULL, speaker TEXT,
        speaker_start INTEGER, speaker_end INTEGER, cue_start INTEGER, cue_end INTEGER,
        intermediary TEXT, intermediary_start INTEGER, intermediary_end INTEGER);
    CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes (speaker);
    CREATE TABLE IF NOT EXISTS events (
        id TEXT PRIMARY KEY, document TEXT NOT NULL, type TEXT NOT NULL, modality TEXT NOT NULL,
        amount_value DOUBLE PRECISION, amount_currency TEXT, time_value TEXT, time_precision TEXT,
        time_text TEXT, flavour TEXT, trigger_start INTEGER, trigger_end INTEGER);
    CREATE TABLE IF NOT EXISTS event_roles (
        event TEXT NOT NULL, role TEXT NOT NULL, entity TEXT NOT NULL,
        PRIMARY KEY (event, role, entity));
    CREATE INDEX IF NOT EXISTS event_roles_entity ON event_roles (entity);
    CREATE TABLE IF NOT EXISTS relations (
        id TEXT PRIMARY KEY, document TEXT NOT NULL, subject TEXT NOT NULL,
        predicate TEXT NOT NULL, object TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS stances (
        id TEXT PRIMARY KEY, document TEXT NOT NULL, holder TEXT NOT NULL, topic TEXT NOT NULL,
        polarity TEXT NOT NULL, char_start INTEGER NOT NULL, char_end INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS evidence (
        fact TEXT NOT NULL, document TEXT NOT NULL, char_start INTEGER NOT NULL,
        char_end INTEGER NOT NULL, PRIMARY KEY (fact, document, char_start, char_end));
    """,
    # v2: the cross-article story (linking.py), recomputed after each build
    """
    CREATE TABLE IF NOT EXISTS entity_links (
        entity TEXT PRIMARY KEY, canonical TEXT NOT NULL, reason TEXT);
    CREATE TABLE IF NOT EXISTS event_clusters (event TEXT PRIMARY KEY, cluster TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS statements (quote TEXT PRIMARY KEY, statement TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS contradictions (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL, event TEXT NOT NULL, detail TEXT NOT NULL);
    """,
    # v3: people named only by a title ("the OpenAI CEO"), resolved by linking.py
    """
    CREATE TABLE IF NOT EXISTS entity_roles (
        entity TEXT NOT NULL, predicate TEXT NOT NULL, org TEXT NOT NULL,
        PRIMARY KEY (entity, predicate, org));
    """,
    # v4: blocking keys, so that linking a new article reads only its candidates;
    # the next build relinks everything once to fill them
    """
    CREATE TABLE IF NOT EXISTS entity_keys (
        key TEXT NOT NULL, entity TEXT NOT NULL, PRIMARY KEY (key, entity));
    CREATE INDEX IF NOT EXISTS entity_keys_entity ON entity_keys (entity);
    CREATE INDEX IF NOT EXISTS entity_links_canonical ON entity_links (canonical);
    CREATE INDEX IF NOT EXISTS event_clusters_cluster ON event_clusters (cluster);
    CREATE INDEX IF NOT EXISTS events_document ON events (document);
    CREATE INDEX IF NOT EXISTS quotes_document ON quotes (document);
    CREATE INDEX IF NOT EXISTS relations_object ON relations (object);
    CREATE INDEX IF NOT EXISTS entity_roles_org ON entity_roles (org);
    CREATE INDEX IF NOT EXISTS amounts_document ON amounts (document);
    DELETE FROM meta WHERE key = 'linked_documents';
    """,
    # v5 (SQLite): foreign keys declared, so that Datasette, sqlite-utils and
    # schema browsers show what an id column points to. SQLite cannot add a
    # foreign key to a table, so each table holding references is recreated
    # (same columns, keys and indexes) and its rows copied, parents before
    # children, in the migration's transaction. They are declared, not
    # enforced: PRAGMA foreign_keys stays off (SQLite's default). PostgreSQL,
    # which would enforce them, skips this entry (see SQLITE_ONLY).
    "".join([
        _redeclare("aliases", "entity TEXT NOT NULL REFERENCES entities (id), alias TEXT NOT NULL, "
                   "PRIMARY KEY (entity, alias)"),
        _redeclare("mentions", "document TEXT NOT NULL REFERENCES documents (id), char_start INTEGER NOT NULL, "
                   "char_end INTEGER NOT NULL, entity TEXT NOT NULL REFERENCES entities (id), text TEXT NOT NULL, "
                   "label TEXT, heading INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (document, char_start, char_end)",
                   "entity"),
        _redeclare("amounts", "document TEXT NOT NULL REFERENCES documents (id), char_start INTEGER NOT NULL, "
                   "char_end INTEGER NOT NULL, value DOUBLE PRECISION NOT NULL, currency TEXT, "
                   "approximate INTEGER NOT NULL, text TEXT NOT NULL, refers_to TEXT, "
                   "PRIMARY KEY (document, char_start, char_end)", "document"),
        _redeclare("dates", "document TEXT NOT NULL REFERENCES documents (id), char_start INTEGER NOT NULL, "
                   "char_end INTEGER NOT NULL, text TEXT NOT NULL, value TEXT, precision TEXT, "
                   "relative INTEGER NOT NULL, PRIMARY KEY (document, char_start, char_end)"),
        _redeclare("quotes", "id TEXT PRIMARY KEY, document TEXT NOT NULL REFERENCES documents (id), "
                   "char_start INTEGER NOT NULL, char_end INTEGER NOT NULL, text TEXT NOT NULL, kind TEXT NOT NULL, "
                   "speaker TEXT REFERENCES entities (id), speaker_start INTEGER, speaker_end INTEGER, "
                   "cue_start INTEGER, cue_end INTEGER, intermediary TEXT REFERENCES entities (id), "
                   "intermediary_start INTEGER, intermediary_end INTEGER", "speaker", "document"),
        _redeclare("events", "id TEXT PRIMARY KEY, document TEXT NOT NULL REFERENCES documents (id), "
                   "type TEXT NOT NULL, modality TEXT NOT NULL, amount_value DOUBLE PRECISION, amount_currency TEXT, "
                   "time_value TEXT, time_precision TEXT, time_text TEXT, flavour TEXT, trigger_start INTEGER, "
                   "trigger_end INTEGER", "document"),
        _redeclare("event_roles", "event TEXT NOT NULL REFERENCES events (id), role TEXT NOT NULL, "
                   "entity TEXT NOT NULL REFERENCES entities (id), PRIMARY KEY (event, role, entity)", "entity"),
        _redeclare("relations", "id TEXT PRIMARY KEY, document TEXT NOT NULL REFERENCES documents (id), "
                   "subject TEXT NOT NULL REFERENCES entities (id), predicate TEXT NOT NULL, "
                   "object TEXT NOT NULL REFERENCES entities (id)", "object"),
        _redeclare("stances", "id TEXT PRIMARY KEY, document TEXT NOT NULL REFERENCES documents (id), "
                   "holder TEXT NOT NULL REFERENCES entities (id), topic TEXT NOT NULL, polarity TEXT NOT NULL, "
                   "char_start INTEGER NOT NULL, char_end INTEGER NOT NULL"),
        _redeclare("evidence", "fact TEXT NOT NULL, document TEXT NOT NULL REFERENCES documents (id), "
                   "char_start INTEGER NOT NULL, char_end INTEGER NOT NULL, "
                   "PRIMARY KEY (fact, document, char_start, char_end)"),
        _redeclare("entity_links", "entity TEXT PRIMARY KEY REFERENCES entities (id), "
                   "canonical TEXT NOT NULL REFERENCES entities (id), reason TEXT", "canonical"),
        _redeclare("event_clusters", "event TEXT PRIMARY KEY REFERENCES events (id), "
                   "cluster TEXT NOT NULL REFERENCES events (id)", "cluster"),
        _redeclare("statements", "quote TEXT PRIMARY KEY REFERENCES quotes (id), "
                   "statement TEXT NOT NULL REFERENCES quotes (id)"),
        _redeclare("contradictions", "id TEXT PRIMARY KEY, kind TEXT NOT NULL, "
                   "event TEXT NOT NULL REFERENCES events (id), detail TEXT NOT NULL"),
        _redeclare("entity_roles", "entity TEXT NOT NULL REFERENCES entities (id), predicate TEXT NOT NULL, "
                   "org TEXT NOT NULL REFERENCES entities (id), PRIMARY KEY (entity, predicate, org)", "org"),
        _redeclare("entity_keys", "key TEXT NOT NULL, entity TEXT NOT NULL REFERENCES entities (id), "
                   "PRIMARY KEY (key, entity)", "entity"),
    ]),
]

# Entries (by index) only SQLite runs; elsewhere the version is bumped and the
# tables stay as they are. v5 declares foreign keys for the tools that read
# them; PostgreSQL has no declared-only foreign key (it would check every write
# and every delete of the linking pass against them), so it keeps its tables.
SQLITE_ONLY = frozenset({4})

# SQLite errors about the store itself, not about one article: the disk is
# full, the file is damaged or cannot be read or written. Going on is
# pointless; the command stops with one line saying so (StoreError).
_UNUSABLE = ("SQLITE_FULL", "SQLITE_IOERR", "SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_CANTOPEN",
             "SQLITE_READONLY", "SQLITE_NOMEM")


class StoreError(DossierError):
    """The store cannot be used any more (full, damaged, unreadable): ``detail`` is SQLite's reason."""

    def __init__(self, message: str, detail: str):
        super().__init__(message)
        self.detail = detail


def unusable(exc: BaseException) -> bool:
    """Whether ``exc`` is a SQLite error about the whole store (see ``_UNUSABLE``)."""
    return isinstance(exc, sqlite3.DatabaseError) and (getattr(exc, "sqlite_errorname", None) or "").startswith(_UNUSABLE)


def store_error(exc: sqlite3.DatabaseError, path: str) -> StoreError:
    """The user's message for an :func:`unusable` error of the store at ``path``."""
    name, detail = getattr(exc, "sqlite_errorname", None) or "", str(exc)
    if name.startswith("SQLITE_FULL"):
        msg = Msg.STORE_FULL
    elif name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        msg = Msg.STORE_DAMAGED
    else:
        msg = Msg.STORE_FAILED
    return StoreError(msg.format(path=path, detail=detail), detail)



class Store:
    """SQLite store. Subclasses change ``connect`` and ``placeholder``."""

    placeholder = "?"
    batch_writes = True  # write_many: one transaction per batch (False: one per article)

    def __init__(self, url: str | Path = "dossier.db"):
        self.url = str(url)
        # Two processes creating the same new store at once: switching it to
        # WAL or migrating it can report "locked" without waiting; the loser
        # waits for the winner instead of failing.
        deadline = time.monotonic() + OPEN_WAIT_SECONDS
        while True:
            try:
                self.conn = self.connect()
                self.migrate()
                return
            except (sqlite3.OperationalError, DossierError) as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    self._close_quietly()
                    if isinstance(exc, StoreError):  # damaged where opening reads: "cannot open store"
                        raise DossierError(Msg.BAD_DB_URL.format(url=self.url, detail=exc.detail)) from exc
                    raise
                self._close_quietly()
                time.sleep(0.05)
            except sqlite3.DatabaseError as exc:  # "database disk image is malformed" while migrating
                self._close_quietly()
                raise DossierError(Msg.BAD_DB_URL.format(url=self.url, detail=exc)) from exc

    def _close_quietly(self) -> None:
        conn = getattr(self, "conn", None)
        if conn is not None:
            try:
                conn.close()
            except Exception:  # noqa: BLE001  (closing what failed to open: nothing more to say)
                pass

    # -- backend ---------------------------------------------------------
    def connect(self):
        path = self.url[len("sqlite:///") :] if self.url.startswith("sqlite:///") else self.url
        try:
            conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
            # the foreign keys (schema v5) are declared for tools, not enforced:
            # off, SQLite's default, whatever this SQLite was compiled with
            conn.execute("PRAGMA foreign_keys=OFF")
        except sqlite3.DatabaseError as exc:
            raise DossierError(Msg.BAD_DB_URL.format(url=self.url, detail=exc)) from exc
        conn.row_factory = sqlite3.Row
        return conn

    def sql(self, query: str) -> str:
        return query if self.placeholder == "?" else query.replace("?", self.placeholder)

    def execute(self, query: str, params: Iterable[Any] = ()):
        try:
            return self.conn.execute(self.sql(query), tuple(params))
        except sqlite3.DatabaseError as exc:
            raise self._error(exc)

    def executemany(self, query: str, rows: list[tuple]) -> None:
        if rows:
            try:
                self.conn.executemany(self.sql(query), rows)
            except sqlite3.DatabaseError as exc:
                raise self._error(exc)

    def _error(self, exc: sqlite3.DatabaseError) -> Exception:
        """``exc`` as a :class:`StoreError` naming this store when it is about
        the whole store (full, damaged), else as it is."""
        if not unusable(exc):
            return exc
        err = store_error(exc, self.url)
        err.__cause__ = exc
        return err

    def copy_rows(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        """Bulk-insert ``rows`` in order, skipping rows whose key is already
        stored; the caller holds the transaction. PostgreSQL uses COPY."""
        marks = ", ".join("?" for _ in columns)
        self.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}) ON CONFLICT DO NOTHING", rows)

    def rows(self, query: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        cursor = self.execute(query, params)
        try:
            return [dict(r) for r in cursor.fetchall()]
        except sqlite3.DatabaseError as exc:  # a damaged page is found while reading
            raise self._error(exc)

    def begin(self) -> None:
        self.execute("BEGIN IMMEDIATE")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """``with store.transaction():`` commits at the end, rolls back on any error or interrupt."""
        self.begin()
        try:
            yield
            self.commit()
        except BaseException:
            self.rollback()
            raise

    def commit(self) -> None:
        self.execute("COMMIT")

    def rollback(self) -> None:
        # a Ctrl-C may land just after COMMIT: then there is nothing to undo,
        # and the interrupt, not a rollback error, must reach the caller
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.DatabaseError as exc:
                # a full disk or a damaged file can fail the rollback too; SQLite
                # undoes the transaction when the connection closes, and the
                # error that made it roll back is the one to report
                if not unusable(exc):
                    raise

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- schema ----------------------------------------------------------
    def schema_version(self) -> int:
        try:
            row = self.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except StoreError:
            raise  # damaged, not new: never "migrated" from version 0
        except Exception as exc:
            self._reset_failed_statement()
            if unusable(exc):
                raise self._error(exc) from None
            return 0
        if not row:
            return 0
        try:
            return int(row[0])
        except (TypeError, ValueError):
            raise DossierError(Msg.BAD_DB_URL.format(
                url=self.url, detail=Msg.BAD_SCHEMA_VERSION.format(found=row[0]))) from None

    def _reset_failed_statement(self) -> None:
        """PostgreSQL aborts the transaction on error; SQLite needs nothing."""

    def migration(self, version: int) -> str:
        """The SQL that migrates this store from ``version`` to ``version + 1``."""
        if version in SQLITE_ONLY and not isinstance(self.conn, sqlite3.Connection):
            return ""
        return MIGRATIONS[version]

    def migrate(self) -> None:
        found = self.schema_version()
        if found > SCHEMA_VERSION:
            raise DossierError(Msg.NEWER_SCHEMA.format(path=self.url, found=found, mine=SCHEMA_VERSION))
        for version in range(found, SCHEMA_VERSION):
            self.begin()
            if self.schema_version() > version:  # another process migrated meanwhile
                self.rollback()
                continue
            for stmt in filter(str.strip, self.migration(version).split(";")):
                self.execute(stmt)
            self.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(version + 1),),
            )
            self.commit()

    # -- writing ---------------------------------------------------------
    def has_document(self, doc_id: str) -> bool:
        return self.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    def write(self, doc: Doc) -> bool:
        """Store one analysed article in one transaction; False if already stored."""
        self.begin()
        try:
            self._lock_article(doc.id)
            if self.has_document(doc.id):
                self.rollback()
                return False
            self._write(doc)
            self.commit()
            return True
        except BaseException:
            self.rollback()
            raise

    def write_many(self, docs: list[Doc]) -> list[bool | Exception]:
        """:meth:`write` for each doc, in one transaction: one commit per batch
        instead of one per article, ~25% of the writing time. The new articles'
        rows go in with one ``executemany`` per table under one savepoint; if
        anything fails, that is undone and each article is written again under
        its own savepoint, so that a failed article is undone alone and returned
        as its exception. A backend that locks each article (PostgreSQL) keeps
        one transaction per article, so that no writer holds several locks."""
        if not self.batch_writes:
            out: list[bool | Exception] = []
            for doc in docs:
                try:
                    out.append(self.write(doc))
                except Exception as exc:  # noqa: BLE001  (reported by the caller, the batch goes on)
                    out.append(exc)
            return out
        with self.transaction():
            stored = self._write_batch(docs)
            return stored if stored is not None else [self._write_savepoint(doc) for doc in docs]

    def _write_batch(self, docs: list[Doc]) -> list[bool] | None:
        """Write the batch's new articles table by table (each table's rows in
        the order :meth:`_write` inserts them one article after the other, so the
        same rows are kept); None, with nothing written, if anything failed."""
        self.execute("SAVEPOINT batch")
        try:
            ids = [doc.id for doc in docs]
            # has_document's test, for all ids at once
            found = self.execute(
                f"SELECT id FROM documents WHERE id IN ({', '.join('?' * len(ids))})", ids
            ).fetchall() if ids else []
            seen = {r[0] for r in found}
            out, added = [], _now()
            tables: dict[str, list[tuple]] = {}
            for doc, d in zip(docs, ids):
                new = d not in seen
                if new:
                    seen.add(d)
                    for query, rows in self._rows(doc, added):
                        tables.setdefault(query, []).extend(rows)
                out.append(new)
            for query, rows in tables.items():
                self.executemany(query, rows)
        except StoreError:
            raise  # the store, not an article: no use trying them one by one
        except Exception:  # noqa: BLE001  (each article is tried alone instead)
            self.execute("ROLLBACK TO batch")
            self.execute("RELEASE batch")
            return None
        self.execute("RELEASE batch")
        return out

    def _write_savepoint(self, doc: Doc) -> bool | Exception:
        self.execute("SAVEPOINT article")
        try:
            stored = not self.has_document(doc.id)
            if stored:
                self._write(doc)
        except StoreError:
            raise
        except Exception as exc:  # noqa: BLE001
            self.execute("ROLLBACK TO article")
            stored = exc
        self.execute("RELEASE article")
        return stored

    def _lock_article(self, doc_id: str) -> None:
        """Make concurrent writers of one article take turns; SQLite's
        BEGIN IMMEDIATE already serialises all writers."""

    # The statements _rows yields, the same string objects every time (SQLite
    # reuses a statement prepared for an equal string). Keep them in the order
    # _write inserts them: spark.fact_tables reads the table order from here.
    _DOCUMENT = (
        "INSERT INTO documents (id, path, title, url, source, published, language, text, structure, added) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    _ENTITY = "INSERT INTO entities (id, name, type) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING"
    _ENTITY_ROLE = "INSERT INTO entity_roles (entity, predicate, org) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
    _ALIAS = "INSERT INTO aliases (entity, alias) VALUES (?, ?) ON CONFLICT (entity, alias) DO NOTHING"
    _MENTION = (
        "INSERT INTO mentions (document, char_start, char_end, entity, text, label, heading) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)")
    _AMOUNT = (
        "INSERT INTO amounts (document, char_start, char_end, value, currency, approximate, text, refers_to) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
    _DATE = (
        "INSERT INTO dates (document, char_start, char_end, text, value, precision, relative) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
    _QUOTE = (
        "INSERT INTO quotes (id, document, char_start, char_end, text, kind, speaker, speaker_start, speaker_end, "
        "cue_start, cue_end, intermediary, intermediary_start, intermediary_end) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
    _EVENT = (
        "INSERT INTO events (id, document, type, modality, amount_value, amount_currency, time_value, "
        "time_precision, time_text, flavour, trigger_start, trigger_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING")
    _EVENT_ROLE = "INSERT INTO event_roles (event, role, entity) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
    _RELATION = (
        "INSERT INTO relations (id, document, subject, predicate, object) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING")
    _STANCE = (
        "INSERT INTO stances (id, document, holder, topic, polarity, char_start, char_end) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
    _EVIDENCE = (
        "INSERT INTO evidence (fact, document, char_start, char_end) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")

    def _write(self, doc: Doc) -> None:
        for query, rows in self._rows(doc, _now()):
            self.executemany(query, rows)

    def _rows(self, doc: Doc, added: str) -> Iterator[tuple[str, list[tuple]]]:
        """One article's (statement, rows), in the order :meth:`_write` inserts
        them; a statement with no rows is skipped."""
        a, d = doc.article, doc.id
        structure = json.dumps([[b.start, b.end, b.kind] for b in doc.blocks])
        yield self._DOCUMENT, [(d, a.path, a.title, a.url, a.source, a.published, doc.language, a.text, structure, added)]
        yield self._ENTITY, [(e.id, e.name, e.type) for e in doc.entities.values()]
        yield self._ENTITY_ROLE, [(e.id, *e.role) for e in doc.entities.values() if e.role]
        yield self._ALIAS, [(e.id, al) for e in doc.entities.values() for al in e.aliases]
        yield self._MENTION, [(d, m.start, m.end, m.entity, m.text, m.label, int(m.heading)) for m in doc.mentions if m.entity]
        yield self._AMOUNT, [(d, x.start, x.end, x.value, x.currency, int(x.approximate), x.text, x.refers_to) for x in doc.amounts]
        yield self._DATE, [(d, x.start, x.end, x.text, x.value, x.precision, int(x.relative)) for x in doc.dates]
        for q in doc.quotes:
            sp, cue, im = q.speaker_span, q.cue, q.intermediary_span
            yield self._QUOTE, [(content_id("quo", d, q.start, q.end), d, q.start, q.end, q.text, q.kind, q.speaker,
                                 sp and sp.start, sp and sp.end, cue and cue.start, cue and cue.end,
                                 q.intermediary, im and im.start, im and im.end)]
        used: set[str] = set()
        for ev in doc.events:
            first = ev.evidence[0].start if ev.evidence else (ev.trigger.start if ev.trigger else 0)
            eid = event_id(d, ev.type, first, used)
            amt, tm, tr = ev.amount or {}, ev.time or {}, ev.trigger
            yield self._EVENT, [(eid, d, ev.type, ev.modality, amt.get("value"), amt.get("currency"), tm.get("value"),
                                 tm.get("precision"), tm.get("text"), ev.flavour, tr and tr.start, tr and tr.end)]
            yield self._EVENT_ROLE, [(eid, role, ent) for role in ("agent", "target", "place") for ent in getattr(ev, role)]
            yield self._EVIDENCE, [(eid, d, s.start, s.end) for s in ev.evidence]
        for r in doc.relations:
            rid = content_id("rel", d, r.subject, r.predicate, r.object)
            yield self._RELATION, [(rid, d, r.subject, r.predicate, r.object)]
            yield self._EVIDENCE, [(rid, d, s.start, s.end) for s in r.evidence]
        for s in doc.stances:
            ev = s.evidence
            yield self._STANCE, [(content_id("sta", d, s.holder, s.topic, s.polarity), d, s.holder, s.topic, s.polarity,
                                  ev.start if ev else 0, ev.end if ev else 0)]

    # -- reading ---------------------------------------------------------
    def documents(self) -> list[dict[str, Any]]:
        return self.rows("SELECT * FROM documents ORDER BY published, id")

    def texts(self) -> dict[str, str]:
        return {r["id"]: r["text"] for r in self.rows("SELECT id, text FROM documents")}

    def counts(self) -> dict[str, int]:
        tables = ("documents", "entities", "mentions", "amounts", "dates", "quotes", "events", "relations", "stances")
        return {t: self.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}

    def iter_table(self, table: str, order: str = "") -> Iterator[dict[str, Any]]:
        yield from self.rows(f"SELECT * FROM {table}" + (f" ORDER BY {order}" if order else ""))


def _now() -> str:
    """The ``added`` timestamp: UTC, to the second."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def open_store(url: str | Path = "dossier.db") -> Store:
    """Open (creating and migrating) the store at ``url``: a SQLite path, or
    ``postgresql://...`` when the PostgreSQL backend is installed."""
    u = str(url)
    if u.startswith(("postgresql://", "postgres://")):
        from .store_postgres import PostgresStore  # optional backend

        return PostgresStore(u)
    return Store(u)
