"""Connection settings shared by every Kafka client (kafka-python, aiokafka, Faust).

TLS and SASL come from the environment (see streams.config), so the same code runs on the
embedded broker in plain text and on a municipality's Kafka with TLS and SASL.
"""

from __future__ import annotations

import ssl
from typing import Any

from streams.config import Settings


def ssl_context(settings: Settings) -> ssl.SSLContext | None:
    if "SSL" not in settings.security_protocol:
        return None
    context = ssl.create_default_context(cafile=settings.ssl_cafile or None)
    return context


def client_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for kafka-python and aiokafka clients (both use these names)."""
    options: dict[str, Any] = {
        "bootstrap_servers": settings.bootstrap_servers,
        "security_protocol": settings.security_protocol,
    }
    context = ssl_context(settings)
    if context is not None:
        options["ssl_context"] = context
    if settings.security_protocol.startswith("SASL"):
        options["sasl_mechanism"] = settings.sasl_mechanism
        options["sasl_plain_username"] = settings.sasl_username
        options["sasl_plain_password"] = settings.sasl_password
    return options
