"""Settings: environment, YAML file and flags, with errors that say what to fix."""

from __future__ import annotations

import logging
from dataclasses import fields
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from streams.broker.clients import client_options
from streams.broker.topics import check_input_retention, input_retention_ms
from streams.documents.settings import ConfigError, Settings, load_settings
from streams.domain.measures.league import DEFAULT_MIN_INQUIRIES


def test_defaults_need_nothing() -> None:
    s = load_settings({})
    assert (s.topic, s.dead_letter_topic, s.clock, s.web_port, s.retention_days) == (
        "inquiries",
        "inquiries-dlq",
        "wall",
        6066,
        400,
    )


def test_environment_overrides_the_file_and_flags_override_both(tmp_path: Path) -> None:
    config = tmp_path / "komhen.yaml"
    config.write_text("topic: from-file\npartitions: 8\nclock: event\n")
    s = load_settings({"KOMHEN_CONFIG": str(config), "KOMHEN_TOPIC": "from-env"})
    assert (s.topic, s.partitions, s.clock) == ("from-env", 8, "event")
    assert s.with_overrides(topic="from-flag", clock=None).topic == "from-flag"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {"KOMHEN_CLOCK": "sundial"},
            "indstillingerne: clock (KOMHEN_CLOCK) skal være 'wall' eller 'event', men er 'sundial'",
        ),
        (
            {"KOMHEN_FETCH_MAX_WAIT_MS": "0"},
            "indstillingerne: fetch_max_wait_ms (KOMHEN_FETCH_MAX_WAIT_MS) skal være mellem 1 og 30000 millisekunder",
        ),
        (
            {"KOMHEN_PARTITIONS": "four"},
            "miljøvariablen KOMHEN_PARTITIONS: partitions skal være et helt tal, men er 'four'",
        ),
        (
            {"KOMHEN_TIMEZONE": "Europe/Ishoej"},
            "indstillingerne: timezone (KOMHEN_TIMEZONE) 'Europe/Ishoej' er ikke en kendt tidszone; skriv fx "
            "Europe/Copenhagen",
        ),
        (
            {"KOMHEN_RETENTION_DAYS": "30"},
            "indstillingerne: retention_days (KOMHEN_RETENTION_DAYS) skal være mindst 366, for at vinduerne på 365 "
            "dage og år til dato kan tælle nøjagtigt",
        ),
        (
            {"KOMHEN_LEAGUE_MIN_INQUIRIES": "0"},
            "indstillingerne: league_min_inquiries (KOMHEN_LEAGUE_MIN_INQUIRIES) skal være mindst 1",
        ),
        (
            {"KAFKA_SECURITY_PROTOCOL": "SASL_SSL"},
            "indstillingerne: sasl_mechanism (KAFKA_SASL_MECHANISM) SASL kræver KAFKA_SASL_MECHANISM, "
            "KAFKA_SASL_USERNAME og KAFKA_SASL_PASSWORD",
        ),
        (
            {"KOMHEN_SNAPSHOT_INTERVAL_S": "0.5"},
            "indstillingerne: snapshot_interval_s (KOMHEN_SNAPSHOT_INTERVAL_S) skal være 0 (ingen øjebliksbilleder) "
            "eller mellem 1 og 86400 sekunder, men er 0.5",
        ),
        (
            {"KOMHEN_INPUT_RETENTION_DAYS": "0"},
            "indstillingerne: input_retention_days (KOMHEN_INPUT_RETENTION_DAYS) skal være mindst 1 dag",
        ),
        (
            {"KOMHEN_SNAPSHOT_INTERVAL_S": "86400", "KOMHEN_INPUT_RETENTION_DAYS": "1"},
            "indstillingerne: input_retention_days (KOMHEN_INPUT_RETENTION_DAYS) skal dække tiden mellem to "
            "øjebliksbilleder (86400 s) og en margen på en dag; sæt den til mindst 2",
        ),
        (
            {"KOMHEN_SNAPSHOT_INTERVAL_S": "0"},
            "indstillingerne: input_retention_days (KOMHEN_INPUT_RETENTION_DAYS) er 7 dage, men uden "
            "øjebliksbilleder (KOMHEN_SNAPSHOT_INTERVAL_S=0) genopbygger en genstart tilstanden fra input-emnet "
            "alene: sæt den til mindst 407",
        ),
    ],
)
def test_bad_settings_are_refused_with_the_variable_name(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(environ)
    assert str(caught.value) == message


def test_snapshots_are_on_by_default_and_the_input_topic_keeps_a_week() -> None:
    s = load_settings({})
    assert (s.snapshots, s.snapshot_interval_s, s.input_retention_days, s.snapshot_topic) == (
        True,
        300.0,
        7,
        "inquiries-snapshots",
    )
    assert input_retention_ms(s) == 7 * 24 * 3600 * 1000
    assert load_settings({"KOMHEN_SNAPSHOT_INTERVAL_S": "86400", "KOMHEN_INPUT_RETENTION_DAYS": "2"}).snapshots
    off = load_settings({"KOMHEN_SNAPSHOT_INTERVAL_S": "0", "KOMHEN_INPUT_RETENTION_DAYS": "407"})
    assert (off.snapshots, input_retention_ms(off)) == (False, 407 * 24 * 3600 * 1000)


def test_unknown_keys_in_the_file_are_named(tmp_path: Path) -> None:
    config = tmp_path / "komhen.yaml"
    config.write_text("topik: x\n")
    with pytest.raises(ConfigError) as caught:
        load_settings({"KOMHEN_CONFIG": str(config)})
    known = ", ".join(sorted(f.name for f in fields(Settings)))
    assert str(caught.value) == f"{config}: ukendt indstilling 'topik'; kendte indstillinger: {known}"


def test_sasl_and_tls_settings_reach_the_kafka_clients() -> None:
    s = load_settings(
        {
            "KAFKA_BOOTSTRAP_SERVERS": "kafka:9093",
            "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
            "KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
            "KAFKA_SASL_USERNAME": "komhen",
            "KAFKA_SASL_PASSWORD": "secret",
        }
    )
    options = client_options(s.connection)
    assert {k: v for k, v in options.items() if k != "ssl_context"} == {
        "bootstrap_servers": "kafka:9093",
        "security_protocol": "SASL_SSL",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_plain_username": "komhen",
        "sasl_plain_password": "secret",
    }
    assert options["ssl_context"] is not None


def test_old_events_are_too_old_only_for_the_wall_clock() -> None:
    assert load_settings({}).too_old_after == timedelta(days=400)
    assert load_settings({"KOMHEN_CLOCK": "event"}).too_old_after is None  # a replay of 2013 is legitimate


def test_the_league_minimum_defaults_to_the_domains() -> None:
    assert Settings().league_min_inquiries == DEFAULT_MIN_INQUIRIES


class DescribingAdmin:
    """KafkaAdminClient.describe_configs as kafka-python 3 answers it, for one topic's retention."""

    def __init__(self, retention_ms: int) -> None:
        self.retention_ms = retention_ms

    def describe_configs(self, resources: list[object]) -> dict[str, Any]:
        return {"topic": {"inquiries": {"retention.ms": {"value": str(self.retention_ms)}}}}


def test_an_existing_input_topic_that_keeps_its_records_longer_or_shorter_is_named_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = load_settings({})
    with caplog.at_level(logging.INFO, logger="streams.broker.topics"):
        check_input_retention(DescribingAdmin(407 * 86_400_000), settings)
        check_input_retention(DescribingAdmin(86_400_000), settings)
        check_input_retention(DescribingAdmin(7 * 86_400_000), settings)
    assert [r.getMessage() for r in caplog.records] == [
        "emnet inquiries gemmer sine poster i 407 døgn; med øjebliksbilleder er 7 nok (KOMHEN_INPUT_RETENTION_DAYS): "
        "når hver partition har et øjebliksbillede (komhen_snapshot_timestamp_seconds), kan du sænke det med "
        "kafka-configs.sh --alter --entity-type topics --entity-name inquiries --add-config retention.ms=604800000",
        "emnet inquiries gemmer sine poster i 1 døgn, men KOMHEN_INPUT_RETENTION_DAYS er 7: poster, en genstart har "
        "brug for, kan blive slettet; hæv retention.ms til 604800000 (kafka-configs.sh --alter --entity-type topics "
        "--entity-name inquiries --add-config retention.ms=604800000)",
    ]
