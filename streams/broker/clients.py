"""Connection settings shared by every Kafka client (kafka-python, aiokafka, Faust).

TLS and SASL come from the environment (see streams.documents.settings), so the same code runs on the
embedded broker in plain text and on a municipality's Kafka with TLS and SASL. A client takes only the
connection (`Settings.connection`), never the whole Settings.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import ssl
import time
from typing import Any

from streams.contract.errors import ServiceUnavailable
from streams.contract.texts import Line, text
from streams.documents.settings import ConfigError, KafkaConnection
from streams.telemetry.logs import RateLimit


class BrokerUnavailable(ServiceUnavailable):
    """No broker answered at the configured address."""


def ssl_context(connection: KafkaConnection) -> ssl.SSLContext | None:
    """The one TLS context every client uses: the server checked against the cluster's CA (or the
    system's), and, for mutual TLS, this client's certificate and key presented."""
    if "SSL" not in connection.security_protocol:
        return None
    try:
        context = ssl.create_default_context(cafile=connection.ssl_cafile or None)
        if connection.ssl_certfile:
            context.load_cert_chain(connection.ssl_certfile, connection.ssl_keyfile)
    except (ssl.SSLError, OSError) as exc:
        raise ConfigError(text("kafka.tls_files", error=exc)) from None
    return context


def client_options(connection: KafkaConnection) -> dict[str, Any]:
    """Keyword arguments for kafka-python and aiokafka clients (both use these names)."""
    options: dict[str, Any] = {
        "bootstrap_servers": connection.bootstrap_servers,
        "security_protocol": connection.security_protocol,
    }
    context = ssl_context(connection)
    if context is not None:
        options["ssl_context"] = context
    if connection.security_protocol.startswith("SASL"):
        options["sasl_mechanism"] = connection.sasl_mechanism
        options["sasl_plain_username"] = connection.sasl_username
        options["sasl_plain_password"] = connection.sasl_password
    return options


def _addresses(bootstrap_servers: str) -> list[tuple[str, int]]:
    out = []
    for server in bootstrap_servers.split(","):
        host, _, port = server.strip().rpartition(":")
        if port.isdigit():
            out.append((host.strip("[]"), int(port)))
    return out


def require_broker(bootstrap_servers: str, timeout_s: float = 3.0) -> None:
    """Return once any bootstrap server accepts a connection; else raise BrokerUnavailable saying what to do.

    A quick check before a command starts its Kafka clients, which would otherwise retry for
    half a minute and end in a traceback.
    """
    for host, port in _addresses(bootstrap_servers):
        try:
            with socket.create_connection((host, port), timeout=timeout_s):
                return
        except OSError:
            continue
    raise BrokerUnavailable(text("kafka.unavailable", servers=bootstrap_servers))


async def broker_reachable(bootstrap_servers: str, timeout_s: float = 1.0) -> bool:
    """True if a TCP connection to any bootstrap server opens within the timeout."""
    for host, port in _addresses(bootstrap_servers):
        try:
            _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout_s)
        except (OSError, TimeoutError):
            continue
        writer.close()
        return True
    return False


class BrokerWatch:
    """Whether Kafka answers, with one log line when it goes away and one when it is back.

    The Kafka clients log every failed attempt (about a hundred lines a second during an
    outage); this says in one sentence what operators need to know.
    """

    def __init__(self, bootstrap_servers: str, log: logging.Logger) -> None:
        self.bootstrap_servers = bootstrap_servers
        self.log = log
        self.reachable = True
        self.since = time.time()

    async def check(self) -> bool:
        reachable = await broker_reachable(self.bootstrap_servers)
        if reachable != self.reachable:
            now = time.time()
            if reachable:
                self.log.info(Line("log.kafka_back", servers=self.bootstrap_servers, seconds=round(now - self.since)))
            else:
                self.log.warning(
                    Line(
                        "log.kafka_gone",
                        servers=self.bootstrap_servers,
                        since=time.strftime("%H:%M:%S", time.localtime(now)),
                    )
                )
            self.reachable, self.since = reachable, now
        return reachable


def quiet_kafka_client_logs(interval_s: float = 30.0) -> None:
    """Rate-limit the Kafka clients' repeated errors; install once per process."""
    for name in ("aiokafka", "kafka"):
        logging.getLogger(name).addFilter(RateLimit(burst=1, period_s=interval_s))
