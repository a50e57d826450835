"""Every message dossier shows a user, in one catalogue (as spaCy's ``Errors``)."""

from __future__ import annotations


class Msg:
    # readers
    MISSING_PATH = "no such file or directory"
    EMPTY = "empty file"
    WHITESPACE = "file contains only whitespace"
    BINARY = "binary content ({kind}), not a text article"
    UNDECODABLE = "cannot decode the bytes as text ({detail})"
    UNSUPPORTED_EXT = "unsupported file type '{ext}' (expected .txt, .html, .htm, .jsonl)"
    HTML_NO_TEXT = "no article text found in the HTML"
    JSONL_NOT_JSON = "line is not valid JSON ({detail})"
    JSONL_NOT_OBJECT = "line is not a JSON object"
    JSONL_NO_TEXT = "line has no 'text' string"
    UNREADABLE = "cannot read file ({detail})"
    TOO_LARGE = "article is {size} characters, over the limit of {limit}"
    SYMLINK_LOOP = "symbolic link loop, not followed"
    NOT_REGULAR = "not a regular file (device, pipe or socket)"
    TOO_LARGE_FILE = "file is {size} bytes, too large for one article (limit {limit} characters)"
    HTML_UNPARSABLE = "cannot parse the HTML ({detail})"
    HTML_TOO_DEEP = "HTML is nested {depth} levels deep, too deep to extract the article"
    JSONL_EMPTY_TEXT = "line's 'text' is empty or only whitespace"
    JSONL_BINARY = "line has binary content (NUL bytes), not a text article"
    # analysis
    OVER_BUDGET = "analysis took longer than {seconds} s; skipped (DOSSIER_BUDGET sets the limit, 0 for none)"
    # language
    UNSUPPORTED_LANGUAGE = "language '{lang}' is not supported (dossier reads: {supported}); skipped"
    # store
    NEWER_SCHEMA = "store {path} has schema version {found}, newer than this dossier ({mine}); upgrade dossier"
    LOCKED = "store {path} is being written by another build; try again when it finishes"
    BAD_DB_URL = "cannot open store '{url}': {detail}"
    BAD_SCHEMA_VERSION = "its schema version '{found}' is not a number (a damaged store, or not dossier's)"
    STORE_FULL = ("cannot write store '{path}': {detail}; the articles stored before are kept: "
                  "free some space, then rerun the same command to resume")
    STORE_DAMAGED = "store '{path}' is damaged ({detail}); restore it from a copy, or build a new store"
    STORE_FAILED = "store '{path}' cannot be used: {detail}"
    # eval
    GOLD_UNREADABLE = "cannot read gold file {path}: {detail}"
    GOLD_MALFORMED = "gold file {path} cannot be scored: {detail}"
    GOLD_DOC_MISSING = "gold file {path} refers to {document}, which is not in the store; build it first"
    # command line
    UNKNOWN_FORMAT = "unknown format '{format}' (available: {formats})"
    NEEDS_DIRECTORY = "the {format} export writes a directory: give one with -o DIR"
    CANNOT_WRITE = "cannot write {path}: {detail}"
    NEEDS_EXTRA = "{what} needs the {extra} extra: pip install 'dossier[{extra}]'"
    NO_STORE = "no store at '{db}' (run 'dossier build PATH --db {db}' first)"
    NO_STORE_SERVE = ("no store at '{db}' (run 'dossier build PATH --db {db}' first, "
                      "or start with --allow-ingest to fill an empty one)")
    PORT_IN_USE = "port {port} on {host} is in use (choose another with --port)"
    CANNOT_LISTEN = "cannot listen on {host} port {port}: {detail}"
    # web server (dossier serve): its guards and its ingest worker
    HOST_NOT_ALLOWED = ("host '{host}' is not a name of this server (it answers to {allowed}; "
                        "start it with --allowed-host NAME to add one)")
    CROSS_ORIGIN = "cross-origin request refused: it comes from {origin}, not from this server"
    NOT_JSON = "POST /api/articles takes Content-Type: application/json, not '{got}'"
    NO_TOKEN = ("missing or wrong ingest token: send the token printed when the server started, as "
                "'Authorization: Bearer TOKEN' or 'X-Dossier-Token: TOKEN'")
    INGEST_BUSY = "{waiting} articles are already waiting to be analysed; try again in {retry} s"
    INGEST_TIMEOUT = "the analysis took longer than {seconds:g} s and was stopped; the article was not stored"
    INGEST_WORKER = "the analysis process stopped ({detail}); the article was not stored"
    INGEST_STOPPING = "the server is stopping; the article was not stored"
    SHORT_TOKEN = "the ingest token must be at least {n} characters long (--token, DOSSIER_TOKEN)"
    EXPOSED = ("listening on {host}, reachable from other machines: whoever can connect reads the story, "
               "in clear (plain HTTP)")
    EXPOSED_INGEST = ("--allow-ingest on an address other machines reach: whoever has the token adds articles, "
                      "and the token crosses the network in clear; prefer 127.0.0.1 behind an HTTPS proxy")
    EXPOSED_HOSTS = "requests must name the server by an allowed host: {allowed} (add more with --allowed-host NAME)"
    # entity lookup (query.find_entities)
    NO_ENTITY = "no entity named '{name}' in the story"
    AMBIGUOUS_ENTITY = "'{name}' could be any of: {candidates}; give one of these names"


class DossierError(Exception):
    """An error with a message meant for the user."""


class EntityLookupError(DossierError):
    """A name that designates no entity, or several (see ``query.match_entities``)."""


class EntityNotFound(EntityLookupError):
    """No entity bears the name asked for."""


class AmbiguousEntity(EntityLookupError):
    """The name asked for partly matches entities of different names (``candidates``)."""

    def __init__(self, message: str, candidates: list[dict]):
        super().__init__(message)
        self.candidates = candidates
