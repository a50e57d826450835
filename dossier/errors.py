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
    # language
    UNSUPPORTED_LANGUAGE = "language '{lang}' is not supported (dossier reads: {supported}); skipped"
    # store
    NEWER_SCHEMA = "store {path} has schema version {found}, newer than this dossier ({mine}); upgrade dossier"
    LOCKED = "store {path} is being written by another build; try again when it finishes"
    BAD_DB_URL = "cannot open store '{url}': {detail}"
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
