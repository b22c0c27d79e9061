"""The sources' bearer tokens: the tokens file checked, and tokens compared in constant time.

A module of its own because it is the endpoint's one secret: how tokens are read, held (as
SHA-256 digests) and compared, and the rule that no message ever shows one, read in one place.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from pathlib import Path

from streams.documents.reading import YamlFileError, read_yaml
from streams.documents.settings import ConfigError
from streams.domain.events.inquiry import rules

MIN_TOKEN_LENGTH = 16
# RFC 6750 b64token: the characters a bearer token may have.
TOKEN_RE = re.compile(r"[A-Za-z0-9\-._~+/]+=*\Z")


class TokenFileError(ConfigError):
    """The tokens file cannot be used; the message names the file and the source, never a token."""


class Tokens:
    """Bearer tokens of the sources, kept as SHA-256 digests and compared in constant time.

    >>> tokens = Tokens({"telephony": "s3cret-telephony-token"})
    >>> tokens.source_for("s3cret-telephony-token")
    'telephony'
    """

    def __init__(self, by_source: dict[str, str]) -> None:
        self._digests = [(source, _digest(token)) for source, token in by_source.items()]

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


def _digest(token: str) -> bytes:
    # Equal-length digests: compare_digest then reveals neither content nor length of a token.
    return hashlib.sha256(token.encode("utf-8")).digest()


def load_tokens(path: Path) -> Tokens:
    """Read and check the tokens file; raise TokenFileError with a message that never shows a token."""
    try:
        data = read_yaml(path)  # its errors give the position, never the line (which may hold a token)
    except YamlFileError as exc:
        raise TokenFileError(str(exc)) from None
    if not isinstance(data, dict) or not data:
        raise TokenFileError(f"{path}: expected a mapping of source id: bearer token with at least one source")
    source_rule = rules().patterns["source"]
    source_limit = rules().max_length["source"]
    by_token: dict[str, str] = {}
    for source, token in data.items():
        if not isinstance(source, str) or not source_rule.match(source) or len(source) > source_limit:
            raise TokenFileError(
                f"{path}: {source!r} is not a source id (lower-case letters, digits, '_', '.', '-'; "
                f"at most {source_limit} characters)"
            )
        if not isinstance(token, str):
            raise TokenFileError(f"{path}: the token of source {source!r} must be a string")
        if len(token) < MIN_TOKEN_LENGTH:
            which = "is empty" if not token else f"has {len(token)} characters"
            raise TokenFileError(
                f"{path}: the token of source {source!r} {which}; at least {MIN_TOKEN_LENGTH} are needed"
            )
        if not TOKEN_RE.match(token):
            raise TokenFileError(
                f"{path}: the token of source {source!r} has characters a bearer token cannot have "
                "(allowed: letters, digits, - . _ ~ + / and trailing =)"
            )
        if token in by_token:
            raise TokenFileError(
                f"{path}: sources {by_token[token]!r} and {source!r} share a token; each source needs its own"
            )
        by_token[token] = source
    return Tokens(data)
