"""The last English lines of a Danish run (issue 26's sweep), each in Danish by default and in English on request.

Each case runs the part that says the line as an operator meets it (a command, a settings file, a flag); the
exact line is compared in both languages. The missing summaries topic needs a broker:
tests/integration/broker/test_topic_lines_language.py.
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from streams.broker.clients import ssl_context
from streams.cli import main
from streams.cli.exit import ExitCode
from streams.contract.errors import UnusableInput
from streams.contract.texts import speaking
from streams.documents.settings import ConfigError, load_settings
from streams.documents.snapshot_keys import load_snapshot_keys
from streams.generators.kubernetes.spec import KubernetesSettings, KubernetesSettingsError
from streams.generators.rules.writer import generate_rule_files
from streams.ingress.adapters.follow import FollowStateError, follow_directory
from tests.fixtures.factories import REPO_ROOT, free_port


@pytest.fixture(autouse=True)
def newcomer(monkeypatch: pytest.MonkeyPatch) -> None:
    """No settings but the case's own."""
    for name in [n for n in os.environ if n.startswith(("KAFKA_", "KOMHEN_"))]:
        monkeypatch.delenv(name)


def load_keys(environ: dict[str, str]) -> object:
    return load_snapshot_keys(load_settings(environ))


def refusal(run: Callable[[], object], kind: type[Exception]) -> str:
    with pytest.raises(kind) as caught:
        run()
    return str(caught.value)


@pytest.mark.parametrize(
    ("language", "short", "twice", "both"),
    [
        (
            "da",
            "KOMHEN_SNAPSHOT_KEYS: nøgle 2 har 4 byte; en nøgle til øjebliksbilleder skal have mindst 32 "
            "(fx `openssl rand -hex 32`)",
            "KOMHEN_SNAPSHOT_KEYS nævner en nøgle to gange; nævn hver nøgle én gang, den, der skrives med, først",
            "KOMHEN_SNAPSHOT_KEYS og KOMHEN_SNAPSHOT_KEYS_FILE er begge sat; angiv nøglerne i kun den ene af dem",
        ),
        (
            "en",
            "KOMHEN_SNAPSHOT_KEYS: key 2 has 4 bytes; a snapshot key needs at least 32 (e.g. `openssl rand -hex 32`)",
            "KOMHEN_SNAPSHOT_KEYS lists a key twice; list each key once, the one to write with first",
            "KOMHEN_SNAPSHOT_KEYS and KOMHEN_SNAPSHOT_KEYS_FILE are both set; give the keys in one of them",
        ),
    ],
    ids=["da", "en"],
)
def test_unusable_snapshot_keys_are_said_in_the_language(
    language: str, short: str, twice: str, both: str, tmp_path: Path
) -> None:
    key = "k" * 40
    keys_file = tmp_path / "snapshot-keys"
    keys_file.write_text(key + "\n", encoding="utf-8")
    cases = [
        ({"KOMHEN_SNAPSHOT_KEYS": f"{key},tiny"}, short),
        ({"KOMHEN_SNAPSHOT_KEYS": f"{key},{key}"}, twice),
        ({"KOMHEN_SNAPSHOT_KEYS": key, "KOMHEN_SNAPSHOT_KEYS_FILE": str(keys_file)}, both),
    ]
    with speaking(language):
        said = [refusal(partial(load_keys, environ), ConfigError) for environ, _ in cases]
    assert said == [line for _, line in cases]


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("da", "komhen export: perioden starter 5.12.2026, efter den slutter 1.12.2026"),
        ("en", "komhen export: the period starts 2026-12-05, after its end 2026-12-01"),
    ],
    ids=["da", "en"],
)
def test_a_reversed_export_period_is_said_before_kafka_is_needed(
    language: str, line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["--language", language, "export", "--from", "2026-12-05", "--to", "2026-12-01"])
    out, err = capsys.readouterr()
    assert (status, out, err) == (ExitCode.UNUSABLE, "", line + "\n")


@pytest.mark.parametrize(
    ("language", "label", "clash", "state"),
    [
        (
            "da",
            "release=kube prometheus er ikke en Kubernetes-etiket (fx release=kube-prometheus-stack)",
            "målfilerne ville skrive den samme regelfil targets-ishoej.rules.yml; omdøb en af dem",
            "{path}: er ikke en tilstandsfil fra --follow; slet den, så læses alle filer igen",
        ),
        (
            "en",
            "release=kube prometheus is not a Kubernetes label (e.g. release=kube-prometheus-stack)",
            "target files would write the same rule file targets-ishoej.rules.yml; rename one of them",
            "{path}: not a follow state file; delete it to read every file again",
        ),
    ],
    ids=["da", "en"],
)
def test_a_bad_label_two_target_files_of_one_name_and_a_damaged_follow_state_in_the_language(
    language: str, label: str, clash: str, state: str, tmp_path: Path
) -> None:
    ishoej = REPO_ROOT / "deploy" / "targets" / "ishoej.yaml"
    (tmp_path / "copy").mkdir()
    copy = tmp_path / "copy" / "ishoej.yaml"
    copy.write_text(ishoej.read_text(encoding="utf-8").replace('"183"', '"184"'), encoding="utf-8")
    state_file = tmp_path / "state.json"
    state_file.write_text('{"schema_version": 1}', encoding="utf-8")
    with speaking(language):
        said = [
            refusal(
                lambda: KubernetesSettings(monitoring_labels={"release": "kube prometheus"}), KubernetesSettingsError
            ),
            refusal(lambda: generate_rule_files([ishoej, copy], tmp_path / "out"), UnusableInput),
            refusal(
                lambda: next(follow_directory(tmp_path, lambda p: [], state_file=state_file, poll_interval_s=0.01)),
                FollowStateError,
            ),
        ]
    assert said == [label, clash, state.format(path=state_file)]


@pytest.mark.parametrize(
    ("language", "not_a_url", "unreachable"),
    [
        (
            "da",
            "komhen grafana push: argumentet --url: 'grafana.kommune.dk' er ikke en adresse som "
            "https://grafana.kommune.dk (se komhen grafana push --help)",
            "komhen grafana: Grafana på {url} kan ikke nås (ingen forbindelse): tjek --url",
        ),
        (
            "en",
            "komhen grafana push: argument --url: 'grafana.kommune.dk' is not an address like "
            "https://grafana.kommune.dk (see komhen grafana push --help)",
            "komhen grafana: cannot reach Grafana at {url} (no connection): check --url",
        ),
    ],
    ids=["da", "en"],
)
def test_a_grafana_address_without_its_scheme_is_a_flag_mistake_and_a_silent_one_is_no_connection(
    language: str, not_a_url: str, unreachable: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    push = ["--language", language, "grafana", "push", "--token", "t", "--dashboards", str(REPO_ROOT / "dashboards")]
    with pytest.raises(SystemExit) as usage:
        main([*push, "--url", "grafana.kommune.dk"])
    assert (usage.value.code, capsys.readouterr().err) == (ExitCode.UNUSABLE, not_a_url + "\n")
    assert main([*push, "--url", url]) == ExitCode.SERVICE
    assert capsys.readouterr().err == unreachable.format(url=url) + "\n"


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("da", "komhen rules: {path}: (øverste niveau): en tom værdi (null) er ikke en tabel af felter (nøgle: værdi)"),
        ("en", "komhen rules: {path}: (top level): an empty value (null) is not of type 'object'"),
    ],
    ids=["da", "en"],
)
def test_an_empty_target_file_is_said_as_yaml_writes_it_not_as_python_does(
    language: str, line: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "mål.yaml"
    empty.write_text("# targets to come\n", encoding="utf-8")
    status = main(["--language", language, "rules", "generate", str(empty), "--out", str(tmp_path / "rules")])
    assert (status, capsys.readouterr().err) == (ExitCode.UNUSABLE, line.format(path=empty) + "\n")


@pytest.mark.parametrize(
    ("language", "namespace", "tls"),
    [
        (
            "da",
            "komhen kubernetes: --namespace 'Kanal_Strategi' er ikke et Kubernetes-navn (små bogstaver, cifre og '-', "
            "højst 63 tegn)",
            "KAFKA_SSL_CAFILE, KAFKA_SSL_CERTFILE eller KAFKA_SSL_KEYFILE kan ikke bruges ({error}); angiv PEM-filer: "
            "klyngens CA og denne klients certifikat med dets nøgle",
        ),
        (
            "en",
            "komhen kubernetes: --namespace 'Kanal_Strategi' is not a Kubernetes name (lower-case letters, digits and "
            "'-', at most 63)",
            "KAFKA_SSL_CAFILE, KAFKA_SSL_CERTFILE or KAFKA_SSL_KEYFILE cannot be used ({error}); give PEM files: the "
            "cluster's CA, and this client's certificate with its key",
        ),
    ],
    ids=["da", "en"],
)
def test_a_namespace_kubernetes_refuses_and_a_ca_file_that_is_no_certificate_in_the_language(
    language: str, namespace: str, tls: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    registry = REPO_ROOT / "deploy" / "sources-registry.yaml"
    arguments = ["kubernetes", "ishoej", "--sources-registry", str(registry), "--namespace", "Kanal_Strategi"]
    status = main(["--language", language, *arguments, "--out", str(tmp_path / "k8s")])
    assert (status, capsys.readouterr().err) == (ExitCode.UNUSABLE, namespace + "\n")
    assert not (tmp_path / "k8s").exists()

    ca = tmp_path / "ca.pem"
    ca.write_text("not a certificate\n", encoding="utf-8")
    with pytest.raises(ssl.SSLError) as openssl:  # OpenSSL's own words, as the line quotes them
        ssl.create_default_context(cafile=str(ca))
    environ = {
        "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9093",
        "KAFKA_SECURITY_PROTOCOL": "SSL",
        "KAFKA_SSL_CAFILE": str(ca),
    }
    with speaking(language):
        said = refusal(lambda: ssl_context(load_settings(environ).connection), ConfigError)
    assert said == tls.format(error=openssl.value)


@pytest.mark.parametrize(
    ("language", "no_token", "elsewhere"),
    [
        (
            "da",
            "komhen ingest: {tokens}: kilden 'os2forms' sender poster, men har intet token her; tilføj et",
            "komhen ingest: {tokens}: --source os2forms lægger sine poster i kommune 183, men kilden os2forms må kun "
            "skrive for kommunerne 165, 751",
        ),
        (
            "en",
            "komhen ingest: {tokens}: source 'os2forms' posts records but has no token here; add one",
            "komhen ingest: {tokens}: --source os2forms maps its records to municipality 183, but source os2forms may "
            "write for municipalities 165, 751 only",
        ),
    ],
    ids=["da", "en"],
)
def test_an_ingest_source_without_a_token_or_for_another_municipality_is_said_in_the_language(
    language: str,
    no_token: str,
    elsewhere: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Said before the ingest listens or reaches Kafka (nothing listens at its address): the source posts records
    for Ishøj (183), its mapping says."""
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", f"127.0.0.1:{free_port()}")
    mapping = REPO_ROOT / "tests" / "data" / "sources" / "os2forms" / "mapping.yaml"
    tokens = tmp_path / "tokens.yaml"
    ingest = ["--language", language, "ingest", "--tokens", str(tokens), "--port", str(free_port())]
    said = []
    for entries in (
        f"telephony: {{token: {'t' * 40}, municipalities: ['183']}}\n",
        f"os2forms: {{token: {'s' * 40}, municipalities: ['751', '165']}}\n",
    ):
        tokens.write_text(entries, encoding="utf-8")
        status = main([*ingest, "--source", f"os2forms={mapping}"])
        said.append((status, capsys.readouterr().err))
    assert said == [
        (ExitCode.UNUSABLE, no_token.format(tokens=tokens) + "\n"),
        (ExitCode.UNUSABLE, elsewhere.format(tokens=tokens) + "\n"),
    ]


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("da", "--authentication skal være scram-sha-512 eller tls, men er 'none'"),
        ("en", "--authentication must be one of scram-sha-512, tls; it is 'none'"),
    ],
    ids=["da", "en"],
)
def test_an_authentication_strimzi_does_not_know_is_said_in_the_language(language: str, line: str) -> None:
    """The flag offers only these two; a program that builds the settings itself is told the same."""
    with speaking(language):
        said = refusal(lambda: KubernetesSettings(authentication="none"), KubernetesSettingsError)
    assert said == line
