"""The ingest's tokens file (schemas/ingest-tokens.v1.json): each source's bearer token and the
municipalities it may write for; and the metrics token that lets Prometheus read the ingest's `/metrics`.

Read like every document (bounded, strict YAML), checked with sentences that name the source
and the problem but never a token, and by the schema; mapped to `Tokens`, which keeps only
SHA-256 digests, compares a presented token with every one in constant time, and holds what
each source may write for as a `SourceRegistry`.

Two forms: `telephony-183: {token: "...", municipalities: ["183"]}`, and the plain
`telephony: "..."`, which writes for the deployment's one municipality (KOMHEN_MUNICIPALITY) and
is refused when the settings name none: a token never writes for every municipality.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from streams.contract import identifiers
from streams.contract.texts import text as said
from streams.documents.problems import Problem, excerpt, field_name, one_line
from streams.documents.reading import DocumentError, read_document, read_text
from streams.documents.settings import ConfigError, env_name
from streams.documents.source_registry import municipality_problems
from streams.documents.validation import schema_problems
from streams.domain.organisation.source_registry import SourceRegistry

MIN_TOKEN_LENGTH = 16
# RFC 6750 b64token: the characters a bearer token may have.
TOKEN_RE = re.compile(r"[A-Za-z0-9\-._~+/]+=*\Z")
ENTRY_FIELDS = ("token", "municipalities")


class TokenFileError(ConfigError):
    """The tokens file cannot be used; the message names the file and the source, never a token."""


class Tokens:
    """Bearer tokens of the sources, kept as SHA-256 digests and compared in constant time, and the
    municipalities each source may write for.

    >>> tokens = Tokens({"telephony": ("s3cret-telephony-token", ["183"])})
    >>> tokens.source_for("s3cret-telephony-token")
    'telephony'
    >>> tokens.registry.allows("telephony", "183"), tokens.registry.allows("telephony", "165")
    (True, False)
    """

    def __init__(self, grants: Mapping[str, tuple[str, Iterable[str]]]) -> None:
        self._digests = [(source, _digest(token)) for source, (token, _) in grants.items()]
        self.registry = SourceRegistry.of({source: municipalities for source, (_, municipalities) in grants.items()})

    @property
    def sources(self) -> list[str]:
        return [source for source, _ in self._digests]

    def source_for(self, presented: str) -> str | None:
        """The source whose token this is, or None; compares with every token, so timing tells nothing."""
        given = _digest(presented)
        match = None
        for source, digest in self._digests:
            if hmac.compare_digest(given, digest):
                match = source
        return match

    def __repr__(self) -> str:
        return f"Tokens(sources={self.sources})"


class MetricsToken:
    """The one bearer token that reads the ingest's `/metrics` (Prometheus's), kept as a digest."""

    def __init__(self, token: str) -> None:
        self._digest = _digest(token)

    def matches(self, presented: str) -> bool:
        return hmac.compare_digest(_digest(presented), self._digest)

    def __repr__(self) -> str:
        return "MetricsToken()"


def _digest(token: str) -> bytes:
    # Equal-length digests: compare_digest then reveals neither content nor length of a token.
    return hashlib.sha256(token.encode("utf-8")).digest()


def _token_problem(token: Any, whose: str) -> str | None:
    """What is wrong with a token, naming whose it is and never showing it; None if nothing."""
    if not isinstance(token, str):
        return said("token.not_a_string", whose=whose)
    if len(token) < MIN_TOKEN_LENGTH:
        if not token:
            return said("token.empty", whose=whose, least=MIN_TOKEN_LENGTH)
        return said("token.short", whose=whose, length=len(token), least=MIN_TOKEN_LENGTH)
    if not TOKEN_RE.match(token):
        return said("token.characters", whose=whose)
    return None


def _entry(path: Path, source: str, entry: Any, municipality: str) -> tuple[str, list[str]]:
    """A source's (token, municipalities), from either form; TokenFileError names the source, never the token."""
    whose = said("token.of_source", source=repr(source))
    if isinstance(entry, dict):
        unknown = sorted((field_name(k) for k in entry if k not in ENTRY_FIELDS), key=str)
        if unknown:
            raise TokenFileError(f"{path}: " + said("token.unknown_field", source=repr(source), field=repr(unknown[0])))
        for name in ENTRY_FIELDS:
            if name not in entry:
                raise TokenFileError(f"{path}: " + said("token.needs", source=repr(source), field=repr(name)))
        problems: list[Problem] = municipality_problems(f"{field_name(source)}.municipalities", entry["municipalities"])
        if problems:
            raise TokenFileError(one_line(str(path), problems))
        token, municipalities = entry["token"], list(entry["municipalities"])
    elif municipality:
        token, municipalities = entry, [municipality]
    elif isinstance(entry, str):
        raise TokenFileError(
            f"{path}: " + said("token.plain", source=repr(source), name=source, variable=env_name("municipality"))
        )
    else:
        token, municipalities = entry, []
    problem = _token_problem(token, whose)
    if problem:
        raise TokenFileError(f"{path}: {problem}")
    return token, municipalities


def load_tokens(path: Path, municipality: str = "") -> Tokens:
    """Read and check the tokens file; raise TokenFileError with a message that never shows a token.

    `municipality` (KOMHEN_MUNICIPALITY) is what a plain `source: token` writes for; without it the
    plain form is refused.
    """
    try:
        data = read_document(path, "tokens file")  # its errors give the position, never the line
    except DocumentError as exc:
        raise TokenFileError(str(exc)) from None
    if not isinstance(data, dict) or not data:
        raise TokenFileError(f"{path}: " + said("token.not_a_mapping"))
    limit = identifiers.MAX_LENGTH
    by_token: dict[str, str] = {}
    grants: dict[str, tuple[str, list[str]]] = {}
    for source, entry in data.items():
        if not isinstance(source, str) or not identifiers.SOURCE.match(source):
            raise TokenFileError(
                f"{path}: " + said("token.not_a_source", value=excerpt(field_name(source)), limit=limit)
            )
        token, municipalities = _entry(path, source, entry, municipality)
        if token in by_token:
            raise TokenFileError(f"{path}: " + said("token.shared", first=repr(by_token[token]), second=repr(source)))
        by_token[token] = source
        grants[source] = (token, municipalities)
    problems = schema_problems("ingest-tokens.v1.json", data, quote=False)  # the sentences above cover it
    if problems:
        raise TokenFileError(one_line(str(path), problems))
    return Tokens(grants)


def load_metrics_token(path: Path, tokens: Tokens) -> MetricsToken:
    """The metrics token: a file holding one bearer token (surrounding white space ignored), never shown, and
    no source's token (a source must not read every other source's counts)."""
    try:
        token = read_text(path, "metrics token file").strip()
    except DocumentError as exc:
        raise TokenFileError(str(exc)) from None
    problem = _token_problem(token, said("token.metrics"))
    if problem:
        raise TokenFileError(f"{path}: {problem}")
    owner = tokens.source_for(token)
    if owner is not None:
        raise TokenFileError(f"{path}: " + said("token.metrics_shared", source=repr(owner)))
    return MetricsToken(token)
