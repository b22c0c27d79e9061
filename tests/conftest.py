"""Shared fixtures: one embedded broker per test session, started on a free loopback port."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from streams.dev.embedded import EmbeddedBroker
from tests.factories import free_port


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedBroker]:
    """A real Kafka-compatible broker (Tansu) for the whole session."""
    log = Path(tmp_path_factory.mktemp("broker")) / "broker.log"
    with EmbeddedBroker(port=free_port(), log_path=log) as running:
        yield running


@pytest.fixture(autouse=True)
def _no_ambient_kafka(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never reach a broker the developer happens to have configured."""
    for name in list(os.environ):
        if name.startswith(("KAFKA_", "KOMHEN_")):
            monkeypatch.delenv(name)
