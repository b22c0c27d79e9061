"""The ingest tokens file: each source's token and the municipalities it writes for; refused with exact
messages that never show a token; compared in constant time. And the metrics token."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from streams.documents import tokens as tokens_module
from streams.documents.settings import ConfigError
from streams.documents.tokens import TokenFileError, Tokens, load_metrics_token, load_tokens
from tests.fixtures.factories import REPO_ROOT

TEL = "tel-token-0123456789abcdef"
SELF = "self-token-0123456789abcdef"


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "tokens.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_file_maps_each_token_to_its_source_and_its_municipalities(tmp_path: Path) -> None:
    text = f"""\
telephony-183: {{token: {TEL}, municipalities: ["183"]}}
os2forms:
  token: '{SELF}'
  municipalities: ["183", "165", "101"]
"""
    tokens = load_tokens(write(tmp_path, text))
    assert tokens.sources == ["telephony-183", "os2forms"]
    assert tokens.source_for(TEL) == "telephony-183"
    assert tokens.source_for(SELF) == "os2forms"
    assert tokens.source_for(TEL + "x") is None
    assert tokens.source_for("") is None
    assert dict(tokens.registry.grants) == {
        "telephony-183": frozenset({"183"}),
        "os2forms": frozenset({"101", "165", "183"}),
    }
    assert (
        tokens.registry.refusal("telephony-183", "165")
        == "source telephony-183 may write for municipality 183 only, not 165"
    )
    assert tokens.registry.refusal("os2forms", "751") == (
        "source os2forms may write for municipalities 101, 165 and 183 only, not 751"
    )


def test_a_plain_token_writes_for_the_deployments_one_municipality(tmp_path: Path) -> None:
    path = write(tmp_path, f"telephony: {TEL}\nos2forms: {{token: {SELF}, municipalities: ['183']}}\n")
    tokens = load_tokens(path, municipality="183")
    assert dict(tokens.registry.grants) == {"telephony": frozenset({"183"}), "os2forms": frozenset({"183"})}
    with pytest.raises(TokenFileError) as raised:
        load_tokens(path)
    assert str(raised.value) == (
        f"{path}: kilden 'telephony' har et token alene, som skriver for installationens ene kommune, og "
        'KOMHEN_MUNICIPALITY er ikke sat; sæt den, eller skriv telephony: {token: ..., municipalities: ["183"]}'
    )
    assert TEL not in str(raised.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "forventet er en tabel af kilde-id: bearer-token med mindst én kilde"),
        ("{}\n", "forventet er en tabel af kilde-id: bearer-token med mindst én kilde"),
        (f"- {TEL}\n", "forventet er en tabel af kilde-id: bearer-token med mindst én kilde"),
        (f"{TEL}\n", "forventet er en tabel af kilde-id: bearer-token med mindst én kilde"),
        ("telephony: ''\n", "tokenet for kilden 'telephony' er tomt; der skal mindst 16 tegn til"),
        ("telephony:\n", "tokenet for kilden 'telephony' skal være en tekst"),
        ("telephony: 123456789012345678\n", "tokenet for kilden 'telephony' skal være en tekst"),
        ("telephony: short-token-15c\n", "tokenet for kilden 'telephony' har 15 tegn; der skal mindst 16 til"),
        (
            "telephony: 'has spaces in the token'\n",
            "tokenet for kilden 'telephony' har tegn, et bearer-token ikke kan have "
            "(tilladt: bogstaver, cifre, - . _ ~ + / og = til sidst)",
        ),
        (
            f"Telephony: {TEL}\n",
            "'Telephony' er ikke et kilde-id (små bogstaver, cifre, '_', '.', '-'; højst 64 tegn)",
        ),
        (
            f"telephony: {TEL}\nselfservice: {TEL}\n",
            "kilderne 'telephony' og 'selfservice' deler et token; hver kilde skal have sit eget",
        ),
        (
            f"telephony: {TEL}\ntelephony: {SELF}\n",
            "linje 2, kolonne 1: er ikke gyldig YAML: nøglen 'telephony' står to gange",
        ),
        (
            f"telephony: [{TEL}\n",
            "linje 2, kolonne 1: er ikke gyldig YAML; tjek indrykningen, kolonerne og anførselstegnene her eller "
            "lige før",
        ),
        (
            f"telephony: {{token: {TEL}}}\n",
            "kilden 'telephony' skal have 'municipalities'",
        ),
        (
            "telephony: {municipalities: ['183']}\n",
            "kilden 'telephony' skal have 'token'",
        ),
        (
            f"telephony: {{token: {TEL}, municipalities: ['183'], scope: all}}\n",
            "kilden 'telephony' har det ukendte felt 'scope'; tilladt er: token, municipalities",
        ),
        (
            f"telephony: {{token: {TEL}, municipalities: []}}\n",
            'telephony.municipalities: er tom; angiv de kommuner, kilden skriver for, fx ["183"]',
        ),
        (
            f"telephony: {{token: {TEL}, municipalities: '183'}}\n",
            "telephony.municipalities: '183' er ikke en liste af kommunenumre, fx [\"183\"]",
        ),
        (
            f"telephony: {{token: {TEL}, municipalities: [183, '999', '165', '165']}}\n",
            'telephony.municipalities[0]: 183 skal skrives i anførselstegn, fx "183"; '
            "{path}: telephony.municipalities[1]: '999' er ikke et af Danmarks 98 kommunenumre; "
            "{path}: telephony.municipalities[3]: kommune 165 står to gange",
        ),
        (
            "telephony: {token: short, municipalities: ['183']}\n",
            "tokenet for kilden 'telephony' har 5 tegn; der skal mindst 16 til",
        ),
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
        "no municipalities",
        "no token",
        "an unknown field",
        "no municipality listed",
        "municipalities not a list",
        "a number unquoted, unknown, twice",
        "a short token in the mapping form",
    ],
)
def test_a_bad_tokens_file_is_refused_with_a_message_that_names_the_problem(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(TokenFileError) as raised:
        load_tokens(path, municipality="183")
    assert str(raised.value) == f"{path}: {message}".replace("{path}", str(path))
    assert TEL not in str(raised.value) and SELF not in str(raised.value)


def test_an_unreadable_tokens_file_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(TokenFileError) as raised:
        load_tokens(missing)
    assert str(raised.value) == f"{missing}: (filen): kan ikke læses: findes ikke"


def test_a_tokens_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, b"telephony: \xff\xfe-not-utf8-token-xx\n")
    with pytest.raises(TokenFileError) as raised:
        load_tokens(path)
    assert str(raised.value) == f"{path}: (filen): er ikke UTF-8-tekst; gem filen som UTF-8"


def test_a_tokens_file_error_is_a_configuration_error_so_the_cli_exits_with_status_2() -> None:
    assert issubclass(TokenFileError, ConfigError)


def test_tokens_never_appear_in_their_repr() -> None:
    assert repr(Tokens({"telephony": (TEL, ["183"])})) == "Tokens(sources=['telephony'])"


@pytest.mark.parametrize(
    ("presented", "expected"),
    [(TEL, "telephony"), (SELF, "selfservice"), ("third-token-0123456789abcdef", "reception"), ("unknown", None)],
)
def test_every_configured_token_is_compared_in_constant_time_without_early_exit(
    monkeypatch: pytest.MonkeyPatch, presented: str, expected: str | None
) -> None:
    tokens = Tokens(
        {
            "telephony": (TEL, ["183"]),
            "selfservice": (SELF, ["183"]),
            "reception": ("third-token-0123456789abcdef", ["165"]),
        }
    )
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


def test_the_metrics_token_is_one_line_of_its_own_never_shown(tmp_path: Path) -> None:
    tokens = Tokens({"telephony": (TEL, ["183"])})
    good = tmp_path / "metrics-token"
    good.write_text("  metrics-token-0123456789abcdef\n", encoding="utf-8")
    token = load_metrics_token(good, tokens)
    assert token.matches("metrics-token-0123456789abcdef") and not token.matches(TEL)
    assert repr(token) == "MetricsToken()"
    for text, message in (
        ("", "metrics-tokenet er tomt; der skal mindst 16 tegn til"),
        ("short\n", "metrics-tokenet har 5 tegn; der skal mindst 16 til"),
        (
            "has spaces in the metrics token",
            "metrics-tokenet har tegn, et bearer-token ikke kan have "
            "(tilladt: bogstaver, cifre, - . _ ~ + / og = til sidst)",
        ),
        (f"{TEL}\n", "metrics-tokenet er også tokenet for kilden 'telephony'; giv hver sit eget"),
    ):
        bad = tmp_path / "bad-metrics-token"
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(TokenFileError) as raised:
            load_metrics_token(bad, tokens)
        assert str(raised.value) == f"{bad}: {message}"
        assert TEL not in str(raised.value)
    with pytest.raises(TokenFileError) as raised:
        load_metrics_token(Path("/dev/zero"), tokens)
    assert str(raised.value) == (
        "/dev/zero: (filen): er en tegnenhed (character device); en tokenfil til metrics skal være en almindelig fil"
    )


@pytest.mark.parametrize(
    ("peer", "status"),
    [
        (("127.0.0.1", 50000), 200),
        (("127.8.9.10", 50000), 200),
        (("::1", 50000, 0, 0), 200),
        (("::ffff:127.0.0.1", 50000, 0, 0), 200),
        (("192.0.2.10", 50000), 403),  # TEST-NET-1: any other host
        (("::ffff:192.0.2.10", 50000, 0, 0), 403),
        (("2001:db8::1", 50000, 0, 0), 403),
        (("::123", 50000, 0, 0), 403),  # begins like ::1, is not it
    ],
)
def test_without_a_metrics_token_the_metrics_answer_this_hosts_loopback_only(
    peer: tuple[object, ...], status: int
) -> None:
    """No client here can come from another host (tests stay on loopback): the address is handed to the handler."""
    from unittest.mock import Mock

    from aiohttp.test_utils import make_mocked_request
    from prometheus_client import CollectorRegistry

    from streams.documents.settings import Settings
    from streams.ingress.http.delivery import Delivery
    from streams.ingress.http.ingest import IngestService
    from streams.ingress.http.limits import Limits
    from streams.ingress.http.metrics import IngestMetrics
    from streams.ingress.publisher import Publisher

    tokens = Tokens({"telephony": (TEL, ["183"])})
    service = IngestService(
        Settings(), tokens, Delivery(Settings(), Publisher, 1.0), IngestMetrics(CollectorRegistry()), Limits()
    )
    transport = Mock()
    transport.get_extra_info.side_effect = lambda name, default=None: peer if name == "peername" else default
    request = make_mocked_request("GET", "/metrics", transport=transport)
    response = asyncio.run(service.metrics_page(request))
    assert response.status == status
    if status == 403:
        assert json.loads(response.text or "") == {
            "error": "the metrics are served to this host's loopback only; start the ingest with --metrics-token FILE "
            "to let Prometheus read them with that bearer token"
        }


def komhen_ingest(tmp_path: Path, tokens: str, *args: str, **env: str) -> tuple[int, str]:
    """`komhen ingest` as a process that should refuse to start: its exit status and its error output."""
    path = write(tmp_path, tokens)
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("KAFKA_", "KOMHEN_"))}
    done = subprocess.run(
        [sys.executable, "-m", "streams", "ingest", "--tokens", str(path), "--port", "9", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**clean, "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9", **env},
        check=False,
    )
    assert done.stdout == ""
    return done.returncode, done.stderr


def test_the_ingest_refuses_to_start_with_tokens_the_workers_would_dead_letter(tmp_path: Path) -> None:
    registry = tmp_path / "sources.yaml"
    registry.write_text("telephony: {municipalities: ['183']}\n", encoding="utf-8")
    tokens = f"telephony: {{token: {TEL}, municipalities: ['183', '165']}}\n"
    assert komhen_ingest(tmp_path, tokens, KOMHEN_SOURCE_REGISTRY=str(registry)) == (
        2,
        f"komhen ingest: {tmp_path / 'tokens.yaml'}: kilden 'telephony' har fået kommune 165, som workerne ikke "
        f"lader den skrive for ({registry}); workerne ville afvise dens hændelser (dead letter): giv den lov der, "
        "eller fjern den her\n",
    )
    tokens_file = tmp_path / "tokens.yaml"
    beyond = f"telephony: {{token: {TEL}, municipalities: ['165']}}\n"
    assert komhen_ingest(tmp_path, beyond, KOMHEN_MUNICIPALITY="183") == (
        2,
        f"komhen ingest: {tokens_file}: kilden 'telephony' har fået kommune 165, som workerne ikke lader den skrive "
        "for (KOMHEN_MUNICIPALITY=183); workerne ville afvise dens hændelser (dead letter): giv den lov der, eller "
        "fjern den her\n",
    )
    assert komhen_ingest(tmp_path, f"telephony: {TEL}\n") == (
        2,
        f"komhen ingest: {tokens_file}: kilden 'telephony' har et token alene, som skriver for installationens ene "
        "kommune, og KOMHEN_MUNICIPALITY er ikke sat; sæt den, eller skriv telephony: {token: ..., "
        'municipalities: ["183"]}\n',
    )
    mapping = REPO_ROOT / "tests" / "data" / "sources" / "os2forms" / "mapping.yaml"  # municipality 183
    forms = f"os2forms: {{token: {SELF}, municipalities: ['165']}}\n"
    assert komhen_ingest(tmp_path, forms, "--source", f"os2forms={mapping}") == (
        2,
        f"komhen ingest: {tokens_file}: --source os2forms lægger sine poster i kommune 183, men kilden os2forms må "
        "kun skrive for kommune 165\n",
    )


def test_the_ingest_refuses_a_metrics_token_that_is_a_sources_token(tmp_path: Path) -> None:
    metrics = tmp_path / "metrics-token"
    metrics.write_text(TEL + "\n", encoding="utf-8")
    assert komhen_ingest(
        tmp_path, f"telephony: {TEL}\n", "--metrics-token", str(metrics), KOMHEN_MUNICIPALITY="183"
    ) == (
        2,
        f"komhen ingest: {metrics}: metrics-tokenet er også tokenet for kilden 'telephony'; giv hver sit eget\n",
    )
