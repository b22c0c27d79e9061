"""SCRAM (SASL_SSL) and mutual TLS from the settings reach every Kafka client.

No broker that enforces them can run here: the embedded Tansu 0.6 refuses every client without SASL
when started with --authentication, but it then also refuses to create users (AlterUserScramCredentials
needs an authenticated client, PLAIN is not offered, and its only storage is in memory), and its
--cert and --key cannot be given together. So the TLS context is tested against a real TLS server that
requires a client certificate, and each client's construction is checked: every kafka-python and aiokafka
client takes client_options(), Faust takes the same context and credentials.
"""

from __future__ import annotations

import ast
import asyncio
import shutil
import socket
import ssl
import subprocess
import threading
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer
from faust.transport.drivers.aiokafka import credentials_to_aiokafka_auth
from kafka import KafkaAdminClient, KafkaProducer

from streams.broker.clients import client_options, ssl_context
from streams.documents.settings import ConfigError, Settings, load_settings
from tests.fixtures.factories import REPO_ROOT

KAFKA_CLIENTS = {"KafkaProducer", "KafkaConsumer", "KafkaAdminClient", "AIOKafkaProducer", "AIOKafkaConsumer"}


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A CA, a broker certificate for 127.0.0.1 and a client certificate (CN komhen-worker), as Strimzi issues them."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    d = tmp_path_factory.mktemp("pki")

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=d, check=True, capture_output=True)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
            "-subj", "/CN=komhen-test-ca")  # fmt: skip
    (d / "san.ext").write_text("subjectAltName=IP:127.0.0.1\n")
    for name, cn, ext in (("broker", "127.0.0.1", ["-extfile", "san.ext"]), ("user", "komhen-worker", [])):
        openssl(
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            f"{name}.key",
            "-out",
            f"{name}.csr",
            "-subj",
            f"/CN={cn}",
        )
        openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", f"{name}.crt", "-days", "2", *ext)  # fmt: skip
    return d


def mtls(pki: Path) -> Settings:
    return load_settings(
        {
            "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9093",
            "KAFKA_SECURITY_PROTOCOL": "SSL",
            "KAFKA_SSL_CAFILE": str(pki / "ca.crt"),
            "KAFKA_SSL_CERTFILE": str(pki / "user.crt"),
            "KAFKA_SSL_KEYFILE": str(pki / "user.key"),
        }
    )


def scram(pki: Path) -> Settings:
    return load_settings(
        {
            "KAFKA_BOOTSTRAP_SERVERS": "kafka-kafka-bootstrap:9093",
            "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
            "KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
            "KAFKA_SASL_USERNAME": "komhen-worker",
            "KAFKA_SASL_PASSWORD": "from-the-secret",
            "KAFKA_SSL_CAFILE": str(pki / "ca.crt"),
        }
    )


def handshake(pki: Path, context: ssl.SSLContext) -> str:
    """A TLS server that requires a client certificate from the CA: the client's common name, or the error."""
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=str(pki / "ca.crt"))
    server_context.load_cert_chain(pki / "broker.crt", pki / "broker.key")
    server_context.verify_mode = ssl.CERT_REQUIRED
    seen: list[str] = []
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]

        def serve() -> None:
            conn, _ = listener.accept()
            try:
                with server_context.wrap_socket(conn, server_side=True) as tls:
                    subject = dict(x[0] for x in tls.getpeercert()["subject"])  # type: ignore[index, misc]
                    seen.append(subject["commonName"])
                    tls.sendall(b"ok")
            except ssl.SSLError as exc:
                seen.append(f"refused: {exc.reason}")

        thread = threading.Thread(target=serve)
        thread.start()
        try:
            with (
                socket.create_connection(("127.0.0.1", port), timeout=5) as raw,
                context.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
            ):
                tls.recv(2)
        except (ssl.SSLError, OSError):
            pass
        thread.join(5)
    return seen[0]


def test_the_tls_context_presents_the_clients_certificate_to_a_server_that_requires_one(pki: Path) -> None:
    context = ssl_context(mtls(pki).connection)
    assert context is not None and context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert handshake(pki, context) == "komhen-worker"


def test_without_a_client_certificate_the_server_refuses(pki: Path) -> None:
    context = ssl_context(scram(pki).connection)  # SASL_SSL: TLS checks the server, SCRAM says who the client is
    assert context is not None
    assert handshake(pki, context) == "refused: PEER_DID_NOT_RETURN_A_CERTIFICATE"


def test_kafka_python_and_aiokafka_clients_take_scram_over_tls(pki: Path) -> None:
    settings = scram(pki)
    options = client_options(settings.connection)
    assert {k: v for k, v in options.items() if k != "ssl_context"} == {
        "bootstrap_servers": "kafka-kafka-bootstrap:9093",
        "security_protocol": "SASL_SSL",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_plain_username": "komhen-worker",
        "sasl_plain_password": "from-the-secret",
    }
    for client in (KafkaProducer, KafkaAdminClient):  # kafka-python: the SDK, the ingest, topic creation
        assert set(options) <= set(client.DEFAULT_CONFIG), client.__name__

    async def build() -> AIOKafkaConsumer:  # aiokafka: restore, snapshots, summaries, export and report
        return AIOKafkaConsumer(**options)

    client = asyncio.run(build())._client
    assert (client._security_protocol, client._sasl_mechanism, client._sasl_plain_username) == (
        "SASL_SSL",
        "SCRAM-SHA-512",
        "komhen-worker",
    )
    assert client._ssl_context is options["ssl_context"]


def test_the_faust_worker_takes_the_same_credentials(pki: Path) -> None:
    from streams.worker.app import faust_app

    for settings, expected in (
        (
            scram(pki),
            {
                "security_protocol": "SASL_SSL",
                "sasl_mechanism": "SCRAM-SHA-512",
                "sasl_plain_username": "komhen-worker",
                "sasl_plain_password": "from-the-secret",
            },
        ),
        (mtls(pki), {"security_protocol": "SSL"}),
    ):
        auth = dict(credentials_to_aiokafka_auth(faust_app(settings).conf.broker_credentials))
        context = auth.pop("ssl_context")
        assert auth == expected
        assert isinstance(context, ssl.SSLContext) and context.verify_mode == ssl.CERT_REQUIRED
    mtls_context = credentials_to_aiokafka_auth(faust_app(mtls(pki)).conf.broker_credentials)["ssl_context"]
    assert handshake(pki, mtls_context) == "komhen-worker"


def test_every_kafka_client_in_the_code_is_built_from_client_options() -> None:
    """Every construction of a Kafka client under streams/ passes **client_options(connection); Faust's
    app gets its credentials from the same ssl_context (tested above)."""
    built = []
    for path in sorted((REPO_ROOT / "streams").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in KAFKA_CLIENTS:
                spread = [k.value for k in node.keywords if k.arg is None]
                uses = any(isinstance(s, ast.Call) and getattr(s.func, "id", "") == "client_options" for s in spread)
                built.append((path.relative_to(REPO_ROOT).as_posix(), uses))
    assert built and all(uses for _, uses in built), [p for p, uses in built if not uses]
    assert sorted({p for p, _ in built}) == [
        "streams/broker/consumers.py",
        "streams/broker/snapshot_topic.py",
        "streams/broker/topics.py",
        "streams/ingress/publisher.py",
    ]


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {
                "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
                "KAFKA_SASL_MECHANISM": "SCRAM-SHA-1",
                "KAFKA_SASL_USERNAME": "u",
                "KAFKA_SASL_PASSWORD": "p",
            },
            "indstillingerne: sasl_mechanism (KAFKA_SASL_MECHANISM) skal være en af PLAIN, SCRAM-SHA-256, "
            "SCRAM-SHA-512, men er 'SCRAM-SHA-1'",
        ),
        (
            {"KAFKA_SECURITY_PROTOCOL": "SSL", "KAFKA_SSL_CERTFILE": "user.crt"},
            "indstillingerne: ssl_certfile (KAFKA_SSL_CERTFILE) og KAFKA_SSL_KEYFILE hører sammen (gensidig TLS "
            "kræver både certifikatet og dets nøgle)",
        ),
        (
            {"KAFKA_SSL_CAFILE": "ca.crt"},
            "indstillingerne: ssl_cafile (KAFKA_SSL_CAFILE) er sat, men KAFKA_SECURITY_PROTOCOL er PLAINTEXT; brug "
            "SSL eller SASL_SSL",
        ),
        (
            {"KAFKA_SECURITY_PROTOCOL": "SSL", "KAFKA_SSL_CAFILE": "/nonexistent/ca.crt"},
            "indstillingerne: ssl_cafile (KAFKA_SSL_CAFILE) peger på en fil, der ikke findes: /nonexistent/ca.crt",
        ),
    ],
)
def test_unusable_security_settings_are_one_line(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(environ)
    assert str(caught.value) == message


def test_a_key_that_is_not_the_certificates_is_one_line(pki: Path) -> None:
    settings = Settings(
        security_protocol="SSL",
        ssl_cafile=str(pki / "ca.crt"),
        ssl_certfile=str(pki / "user.crt"),
        ssl_keyfile=str(pki / "broker.key"),
    )
    with pytest.raises(ssl.SSLError) as openssl:  # OpenSSL's own words, which the line quotes
        ssl.create_default_context(cafile=str(pki / "ca.crt")).load_cert_chain(pki / "user.crt", pki / "broker.key")
    with pytest.raises(ConfigError) as caught:
        ssl_context(settings.connection)
    assert str(caught.value) == (
        f"KAFKA_SSL_CAFILE, KAFKA_SSL_CERTFILE eller KAFKA_SSL_KEYFILE kan ikke bruges ({openssl.value}); angiv "
        "PEM-filer: klyngens CA og denne klients certifikat med dets nøgle"
    )
