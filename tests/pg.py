"""A throwaway PostgreSQL server for the tests.

``DOSSIER_TEST_PG=postgresql://user@host:port/db`` uses a server CI provides
(the user must be allowed to CREATE DATABASE). Otherwise the PostgreSQL server
binaries (``initdb``, ``pg_ctl``; Debian's ``postgresql`` package) start a
private cluster in a temporary directory, listening on a free port of
127.0.0.1 and on a unix socket in that directory, with durability switched
off (it is thrown away). PostgreSQL refuses to run as root, so as root the
cluster runs as the ``postgres`` system user (created if missing).
Without binaries or psycopg the tests are skipped with the reason.
``pg_server`` in conftest.py starts one server per test session.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

ENV = "DOSSIER_TEST_PG"
USER = "postgres"


class Unavailable(Exception):
    """No PostgreSQL server can be had; the message says why."""


def find_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    # Debian installs the server binaries outside PATH
    versions = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                      key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    return versions[-1] if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TempPostgres:
    """Start with :meth:`start`, get a fresh database with :meth:`new_database`."""

    def __init__(self) -> None:
        self.dir: str | None = None
        self.base_url: str | None = None  # a maintenance database URL
        self._pg_ctl: str | None = None
        self._as: list[str] = []
        self._own = False

    def start(self) -> "TempPostgres":
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise Unavailable("psycopg is not installed (pip install 'dossier[postgres]')")
        if os.environ.get(ENV):
            self.base_url = os.environ[ENV]
            return self
        initdb, pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
        if not (initdb and pg_ctl):
            raise Unavailable(f"no PostgreSQL server binaries (initdb, pg_ctl) found; "
                              f"apt-get install postgresql, or set {ENV}=postgresql://...")
        self._pg_ctl = pg_ctl
        self.dir = tempfile.mkdtemp(prefix="dossier-pg-")
        if os.geteuid() == 0:
            self._as = self._run_as_user()
            shutil.chown(self.dir, user=USER)
        os.chmod(self.dir, 0o700)
        data, log = os.path.join(self.dir, "data"), os.path.join(self.dir, "log")
        self._run([initdb, "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"])
        port = _free_port()
        opts = (f"-p {port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=40")
        self._own = True
        try:
            self._run([pg_ctl, "start", "-w", "-t", "60", "-D", data, "-l", log, "-o", opts])
        except Unavailable as exc:
            tail = Path(log).read_text(errors="replace")[-2000:] if os.path.exists(log) else ""
            self.stop()
            raise Unavailable(f"{exc}\n{tail}")
        self.base_url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        return self

    def _run_as_user(self) -> list[str]:
        try:
            import pwd

            pwd.getpwnam(USER)
        except KeyError:
            subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER],
                           check=True, capture_output=True)
        runuser = shutil.which("runuser")
        return [runuser, "-u", USER, "--"] if runuser else ["su", USER, "-s", "/bin/sh", "-c"]

    def _run(self, cmd: list[str]) -> None:
        if self._as and self._as[0] == "su":
            cmd = [*self._as, " ".join(f"'{c}'" for c in cmd)]
        else:
            cmd = [*self._as, *cmd]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if res.returncode != 0:
            raise Unavailable(f"{' '.join(cmd)} failed: {res.stderr.strip() or res.stdout.strip()}")

    def new_database(self, template: str | None = None) -> str:
        """Create an empty database, or a copy of the one at URL ``template``
        (nobody may be connected to it meanwhile), and return its URL."""
        import psycopg
        from psycopg.conninfo import conninfo_to_dict, make_conninfo

        name = "dossier_test_" + uuid.uuid4().hex[:12]
        copy = f" TEMPLATE {conninfo_to_dict(template)['dbname']}" if template else ""
        with psycopg.connect(self.base_url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}{copy}")
        params = conninfo_to_dict(self.base_url)
        params["dbname"] = name
        host, port, user = params.get("host", "127.0.0.1"), params.get("port", "5432"), params.get("user", "")
        auth = user + (":" + params["password"] if params.get("password") else "")
        return f"postgresql://{auth}@{host}:{port}/{name}" if auth else make_conninfo(**params)

    def drop_database(self, url: str) -> None:
        import psycopg
        from psycopg.conninfo import conninfo_to_dict

        name = conninfo_to_dict(url)["dbname"]
        with psycopg.connect(self.base_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        if self._own and self.dir and self._pg_ctl:
            try:
                self._run([self._pg_ctl, "stop", "-m", "immediate", "-w", "-D", os.path.join(self.dir, "data")])
            except Unavailable:
                pass
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None
        self._own = False


def server_or_skip() -> TempPostgres:
    """A started server, or the test skipped with the reason there is none."""
    import pytest

    server = TempPostgres()
    try:
        return server.start()
    except Unavailable as exc:
        pytest.skip(f"no PostgreSQL server for the tests: {exc}")


# -- shared by test_postgres, test_parallel and test_spark --------------------

ARTICLES = [
    {"title": "Musk propose 97,4 milliards de dollars pour racheter OpenAI",
     "source": "Le Quotidien", "published": "2025-02-11", "language": "fr", "url": "https://example.org/fr/1",
     "text": "Musk propose 97,4 milliards de dollars pour racheter OpenAI\n"
             "Elon Musk a présenté lundi une offre de 97,4 milliards de dollars pour racheter OpenAI, "
             "selon le Wall Street Journal. Le patron de Tesla est soutenu par un consortium d'investisseurs.\n"
             "« Il est temps qu'OpenAI redevienne la force open source qu'elle était », a déclaré Elon Musk "
             "dans un communiqué transmis par son avocat, Marc Toberoff.\n"
             "Sam Altman, le directeur général d'OpenAI, a rejeté l'offre sur X le jour même."},
    {"title": "Altman rejects Musk's $97.4 billion bid for OpenAI",
     "source": "Daily Ledger", "published": "2025-02-11", "language": "en", "url": "https://example.org/en/1",
     "text": "Altman rejects Musk's $97.4 billion bid for OpenAI\n"
             "Sam Altman said on Monday that OpenAI is not for sale, hours after Elon Musk offered "
             "$97.4 billion to buy the company behind ChatGPT.\n"
             "\"No thank you but we will buy twitter for $9.74 billion if you want,\" Altman wrote on X.\n"
             "Microsoft, which has invested about $13 billion in OpenAI, declined to comment."},
    {"title": "OpenAI : le conseil d'administration examine l'offre",
     "source": "La Gazette", "published": "2025-02-12",
     "text": "Le conseil d'administration d'OpenAI examine l'offre d'Elon Musk\n"
             "Le conseil d'administration d'OpenAI a indiqué mardi qu'il étudierait l'offre d'Elon Musk. "
             "Bret Taylor, président du conseil, a affirmé que l'entreprise n'était pas à vendre.\n"
             "Selon Reuters, Microsoft reste le principal actionnaire extérieur d'OpenAI, "
             "avec un investissement d'environ 13 milliards de dollars."},
    {"title": "Musk says he would drop the bid if OpenAI stays a nonprofit",
     "source": "Daily Ledger", "published": "2025-02-13", "language": "en",
     "text": "Musk would drop the bid if OpenAI stays a nonprofit\n"
             "Elon Musk will withdraw his offer if the board of OpenAI agrees to preserve the charity's mission, "
             "his lawyer Marc Toberoff said in a court filing in California on Wednesday.\n"
             "OpenAI called the filing an attempt to disrupt the competition. The company is valued at "
             "$157 billion after its last funding round."},
    {"title": None, "source": "Le Quotidien", "published": "2025-02-14", "language": "fr",
     "text": "Le procès entre Musk et OpenAI fixé au printemps\n"
             "Une juge fédérale de Californie a fixé au printemps 2026 le procès qui oppose Elon Musk à OpenAI. "
             "Le milliardaire accuse Sam Altman d'avoir trahi la mission de l'organisation.\n"
             "OpenAI, de son côté, affirme que Musk cherche à freiner un concurrent de sa société xAI."},
    {"title": "SoftBank in talks to invest in OpenAI",
     "source": "Tech Wire", "published": "2025-02-14", "url": "https://example.org/en/3",
     "text": "SoftBank in talks to invest in OpenAI\n"
             "SoftBank is in talks to lead a funding round of up to $40 billion in OpenAI, two people familiar "
             "with the matter said on Friday. Masayoshi Son met Sam Altman in Tokyo last week.\n"
             "The deal would value OpenAI at $300 billion, nearly double its valuation in October."},
]


def write_jsonl(path, articles=ARTICLES) -> str:
    """Write ``articles`` as JSON Lines (None fields left out); returns the path."""
    import json

    with open(path, "w", encoding="utf-8") as f:
        for a in articles:
            f.write(json.dumps({k: v for k, v in a.items() if v is not None}, ensure_ascii=False) + "\n")
    return str(path)


_USABLE: tuple[str, ...] | None = None


def usable_components() -> tuple[str, ...]:
    """The default components that run on these articles right now (a
    component still being written is left out, so these tests check the
    backends, not the components)."""
    global _USABLE
    if _USABLE is None:
        from dossier.model import Article
        from dossier.pipeline import DEFAULT, analyse, make_doc

        def runs(names) -> bool:
            try:
                analyse([make_doc(Article(text=a["text"], language=a.get("language"))) for a in ARTICLES], names)
            except Exception:  # noqa: BLE001
                return False
            return True

        if runs(DEFAULT):
            _USABLE = tuple(DEFAULT)
            return _USABLE
        names: list[str] = []
        for name in DEFAULT:
            if runs((*names, name)):
                names.append(name)
        _USABLE = tuple(names)
    return _USABLE


def canonical(value):
    """A story with every list sorted, to compare stories modulo order
    (SQLite and PostgreSQL sort NULLs and text differently)."""
    import json

    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [canonical(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value
