"""The ingest tokens file: refused with exact messages that never show a token; compared in constant time."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.documents.settings import ConfigError
from streams.ingress.http import tokens as tokens_module
from streams.ingress.http.tokens import TokenFileError, Tokens, load_tokens

TEL = "tel-token-0123456789abcdef"
SELF = "self-token-0123456789abcdef"


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "tokens.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_file_maps_each_token_to_its_source(tmp_path: Path) -> None:
    tokens = load_tokens(write(tmp_path, f"telephony: {TEL}\nselfservice: '{SELF}'\n"))
    assert tokens.sources == ["telephony", "selfservice"]
    assert tokens.source_for(TEL) == "telephony"
    assert tokens.source_for(SELF) == "selfservice"
    assert tokens.source_for(TEL + "x") is None
    assert tokens.source_for("") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "expected a mapping of source id: bearer token with at least one source"),
        ("{}\n", "expected a mapping of source id: bearer token with at least one source"),
        (f"- {TEL}\n", "expected a mapping of source id: bearer token with at least one source"),
        (f"{TEL}\n", "expected a mapping of source id: bearer token with at least one source"),
        ("telephony: ''\n", "the token of source 'telephony' is empty; at least 16 are needed"),
        ("telephony:\n", "the token of source 'telephony' must be a string"),
        ("telephony: 123456789012345678\n", "the token of source 'telephony' must be a string"),
        ("telephony: short-token-15c\n", "the token of source 'telephony' has 15 characters; at least 16 are needed"),
        (
            "telephony: 'has spaces in the token'\n",
            "the token of source 'telephony' has characters a bearer token cannot have "
            "(allowed: letters, digits, - . _ ~ + / and trailing =)",
        ),
        (
            f"Telephony: {TEL}\n",
            "'Telephony' is not a source id (lower-case letters, digits, '_', '.', '-'; at most 64 characters)",
        ),
        (
            f"telephony: {TEL}\nselfservice: {TEL}\n",
            "sources 'telephony' and 'selfservice' share a token; each source needs its own",
        ),
        (f"telephony: {TEL}\ntelephony: {SELF}\n", "line 2, column 1: is not valid YAML: duplicate key 'telephony'"),
        (f"telephony: [{TEL}\n", "line 2, column 1: is not valid YAML: expected ',' or ']', but got '<stream end>'"),
    ],
    ids=[
        "empty file",
        "empty mapping",
        "a list",
        "a bare token",
        "empty token",
        "null token",
        "a number as token",
        "token of 15 characters",
        "token with spaces",
        "source id with capitals",
        "two sources share a token",
        "a source listed twice",
        "broken YAML",
    ],
)
def test_a_bad_tokens_file_is_refused_with_a_message_that_names_the_problem(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(TokenFileError) as raised:
        load_tokens(path)
    assert str(raised.value) == f"{path}: {message}"
    assert TEL not in str(raised.value) and SELF not in str(raised.value)


def test_an_unreadable_tokens_file_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(TokenFileError) as raised:
        load_tokens(missing)
    assert str(raised.value) == f"{missing}: (file): cannot be read: No such file or directory"


def test_a_tokens_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, b"telephony: \xff\xfe-not-utf8-token-xx\n")
    with pytest.raises(TokenFileError) as raised:
        load_tokens(path)
    assert str(raised.value) == f"{path}: (file): is not UTF-8 text"


def test_a_tokens_file_error_is_a_configuration_error_so_the_cli_exits_with_status_2() -> None:
    assert issubclass(TokenFileError, ConfigError)


def test_tokens_never_appear_in_their_repr() -> None:
    assert repr(Tokens({"telephony": TEL})) == "Tokens(sources=['telephony'])"


@pytest.mark.parametrize(
    ("presented", "expected"),
    [(TEL, "telephony"), (SELF, "selfservice"), ("third-token-0123456789abcdef", "reception"), ("unknown", None)],
)
def test_every_configured_token_is_compared_in_constant_time_without_early_exit(
    monkeypatch: pytest.MonkeyPatch, presented: str, expected: str | None
) -> None:
    tokens = Tokens({"telephony": TEL, "selfservice": SELF, "reception": "third-token-0123456789abcdef"})
    calls: list[tuple[int, int]] = []
    real = tokens_module.hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((len(a), len(b)))
        return real(a, b)

    monkeypatch.setattr(tokens_module.hmac, "compare_digest", spy)
    assert tokens.source_for(presented) == expected
    # One comparison per configured token, of equal-length digests: neither which token matched,
    # nor whether one did, nor a token's length shows in the time taken.
    assert calls == [(32, 32), (32, 32), (32, 32)]
