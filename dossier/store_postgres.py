"""The story store on PostgreSQL (``pip install dossier[postgres]``, psycopg 3).

Same tables, same SQL and same results as the SQLite :class:`~dossier.store.Store`:
the migrations are reused as they are (they were written to be portable), only
the placeholder (``%s``), the transaction verbs and bulk loading differ.

* The connection runs in autocommit mode and ``begin``/``commit``/``rollback``
  issue the SQL verbs themselves, exactly like the SQLite store, so one
  article is still one transaction.
* Rows come back as dicts that can also be indexed by position (like
  ``sqlite3.Row``), so ``row[0]`` and ``row["id"]`` both work.
* Several builds may write to one server at once: migrations hold a
  session advisory lock, and writing an article holds a transaction advisory
  lock on its id, so two writers of the same article never collide (the
  second one finds it stored).
* SQLite sorts NULL before every value, PostgreSQL after: every ``ORDER BY``
  term is given SQLite's place for NULL (``NULLS FIRST``, or ``NULLS LAST``
  when descending), so that rows come back in the same order (an article
  without a date first, as in SQLite).
* :meth:`copy_rows` bulk-loads with ``COPY`` into a temporary staging table,
  then ``INSERT … SELECT … ON CONFLICT DO NOTHING`` keeps re-loading idempotent
  (``COPY`` itself cannot skip existing keys).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterable

from .errors import DossierError, Msg
from .store import Store

# pg_advisory_lock key for migrations ("dossier" in ASCII, as a bigint)
_MIGRATION_LOCK = 0x646F7373696572


class Row(dict):
    """A dict row that also answers ``row[0]``, like ``sqlite3.Row``."""

    __slots__ = ("_values",)

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, int):
            return self._values[key]
        return dict.__getitem__(self, key)


def _row_factory(cursor):
    names = [c.name for c in cursor.description] if cursor.description else []

    def make(values) -> Row:
        r = Row(zip(names, values))
        r._values = tuple(values)
        return r

    return make


class PostgresStore(Store):
    """``postgresql://user@host/db`` (any libpq connection string works)."""

    placeholder = "%s"

    def connect(self):
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise DossierError(Msg.BAD_DB_URL.format(
                url=self.url, detail="the PostgreSQL backend needs psycopg: pip install 'dossier[postgres]'")) from exc
        try:
            return psycopg.connect(self.url, autocommit=True, row_factory=_row_factory)
        except psycopg.Error as exc:
            raise DossierError(Msg.BAD_DB_URL.format(url=_redact(self.url), detail=str(exc).strip())) from exc

    def sql(self, query: str) -> str:
        # a literal % must be doubled once the query carries %s placeholders
        return sqlite_null_order(query).replace("%", "%%").replace("?", "%s")

    def execute(self, query: str, params: Iterable[Any] = ()):
        params = tuple(params)
        if not params:
            return self.conn.execute(sqlite_null_order(query))
        return self.conn.execute(self.sql(query), params)

    def executemany(self, query: str, rows: list[tuple]) -> None:
        if rows:
            with self.conn.cursor() as cur:
                cur.executemany(self.sql(query), rows)

    def begin(self) -> None:
        self.conn.execute("BEGIN")

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        if self._in_transaction():
            self.conn.execute("ROLLBACK")

    def _in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self.conn.info.transaction_status in (TransactionStatus.INTRANS, TransactionStatus.INERROR)

    def _reset_failed_statement(self) -> None:
        """A failed statement aborts PostgreSQL's transaction: roll it back."""
        self.rollback()

    # -- schema ----------------------------------------------------------
    def migrate(self) -> None:
        # two builds starting on an empty database must not both create tables
        self.conn.execute("SELECT pg_advisory_lock(%s)", (_MIGRATION_LOCK,))
        try:
            super().migrate()
        finally:
            self.conn.execute("SELECT pg_advisory_unlock(%s)", (_MIGRATION_LOCK,))

    # -- writing ---------------------------------------------------------
    batch_writes = False  # each article holds its own lock: one transaction per article

    def _lock_article(self, doc_id: str) -> None:
        # concurrent writers of one article take turns (released at commit)
        self.conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (doc_id,))

    def copy_rows(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        """COPY ``rows`` into a staging table, then insert them in order,
        skipping keys already stored. Runs in the caller's transaction (or
        in its own when there is none)."""
        if not rows:
            return
        own = not self._in_transaction()
        if own:
            self.begin()
        try:
            stage = f"dossier_stage_{table}"
            cols = ", ".join(columns)
            self.conn.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {stage} (LIKE {table} INCLUDING DEFAULTS, "
                f"dossier_seq BIGSERIAL) ON COMMIT DELETE ROWS")
            self.conn.execute(f"TRUNCATE {stage}")
            with self.conn.cursor() as cur:
                with cur.copy(f"COPY {stage} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                cur.execute(
                    f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {stage} ORDER BY dossier_seq "
                    f"ON CONFLICT DO NOTHING")
            if own:
                self.commit()
        except BaseException:
            if own:
                self.rollback()
            raise


_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.I)
_CLAUSE_END = re.compile(r"\s+(LIMIT|OFFSET|FETCH|FOR|UNION|INTERSECT|EXCEPT|WINDOW)\b", re.I)
_HAS_NULLS = re.compile(r"\bNULLS\s+(FIRST|LAST)\s*$", re.I)
_DESC = re.compile(r"\bDESC\s*$", re.I)


@lru_cache(maxsize=1024)
def sqlite_null_order(query: str) -> str:
    """``query`` with each ``ORDER BY`` term sorting NULL where SQLite does:
    ``NULLS FIRST`` ascending, ``NULLS LAST`` descending (a term that says
    where its NULLs go is left alone). Terms are split at top-level commas;
    the clause ends at a closing parenthesis, ``LIMIT``, ``OFFSET`` … or the
    end of the query. Our queries put no ``ORDER BY`` inside a string."""
    if not _ORDER_BY.search(query):
        return query
    out, pos = [], 0
    for m in _ORDER_BY.finditer(query):
        if m.start() < pos:  # in a subquery of a term already rewritten: left as it is
            continue
        terms, start, depth, i = [], m.end(), 0, m.end()
        while i < len(query):
            ch = query[i]
            if ch == "(":
                depth += 1
            elif ch == ")":
                if depth == 0:
                    break
                depth -= 1
            elif depth == 0 and ch == ",":
                terms.append(query[start:i])
                start = i + 1
            elif depth == 0 and ch.isspace() and _CLAUSE_END.match(query, i):
                break
            i += 1
        terms.append(query[start:i])
        fixed = []
        for t in terms:
            bare = t.rstrip()
            if not _HAS_NULLS.search(bare):
                bare += " NULLS LAST" if _DESC.search(bare) else " NULLS FIRST"
            fixed.append(bare + t[len(t.rstrip()):])
        out.append(query[pos:m.end()] + ",".join(fixed))
        pos = i
    return "".join(out) + query[pos:]


def _redact(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)
