"""What the broker's topics tell a command, in one line, in Danish by default and in English on request, against
the real (embedded) broker: a report asked before any worker counted (no summaries topic yet), and topics made
with another partition count than the settings give."""

from __future__ import annotations

import os
from dataclasses import replace

import pytest
from kafka.admin import KafkaAdminClient, NewTopic

from streams.broker.topics import TopicLayoutError, ensure_topics
from streams.cli import main
from streams.cli.exit import ExitCode
from streams.contract.texts import speaking
from streams.dev.embedded import EmbeddedBroker
from tests.fixtures.workers import fresh_settings


@pytest.mark.parametrize(
    ("language", "line"),
    [
        (
            "da",
            "komhen report: emnet sweep-{language}-summaries findes ikke på {servers}: ingen worker har talt noget der "
            "endnu; start `komhen worker`, eller sæt KOMHEN_TOPIC (--topic) til det input-emne, jeres workers bruger",
        ),
        (
            "en",
            "komhen report: topic sweep-{language}-summaries does not exist at {servers}: no worker has counted "
            "anything there yet; start `komhen worker`, or set KOMHEN_TOPIC (--topic) to the input topic your "
            "workers use",
        ),
    ],
    ids=["da", "en"],
)
def test_a_report_before_any_worker_counted_says_start_a_worker_in_the_language(
    language: str,
    line: str,
    broker: EmbeddedBroker,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in [n for n in os.environ if n.startswith(("KAFKA_", "KOMHEN_"))]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrap_servers)
    arguments = ["report", "selfservice", "--from", "2026-12-01", "--to", "2026-12-07", "--topic", f"sweep-{language}"]
    status = main(["--language", language, *arguments])
    out, err = capsys.readouterr()
    expected = line.format(language=language, servers=broker.bootstrap_servers)
    assert (status, out, err) == (ExitCode.UNUSABLE, "", expected + "\n")


@pytest.mark.parametrize(
    ("language", "input_line", "snapshots_line"),
    [
        (
            "da",
            "emnet {input} har 2 partitioner, men KOMHEN_PARTITIONS er 3; sæt KOMHEN_PARTITIONS, så de passer "
            "(ændres antallet for et eksisterende emne, flytter afdelinger mellem partitionerne)",
            "emnet {snapshots} har 2 partitioner, men {input} har 3; slet {snapshots} (det næste øjebliksbillede "
            "skriver det igen)",
        ),
        (
            "en",
            "topic {input} has 2 partitions but KOMHEN_PARTITIONS is 3; set KOMHEN_PARTITIONS to match (changing the "
            "count of an existing topic moves departments between partitions)",
            "topic {snapshots} has 2 partitions but {input} has 3; delete {snapshots} (the next snapshot writes it "
            "again)",
        ),
    ],
    ids=["da", "en"],
)
def test_topics_of_another_partition_count_are_said_in_the_language(
    language: str, input_line: str, snapshots_line: str, broker: EmbeddedBroker
) -> None:
    """Made with 2 partitions, started with 3: the input topic's count is the setting to change; a snapshot topic
    of another count than its input topic is the one to delete."""
    made_with_two = fresh_settings(broker.bootstrap_servers, partitions=2)
    ensure_topics(made_with_two)
    with speaking(language), pytest.raises(TopicLayoutError) as input_topic:
        ensure_topics(replace(made_with_two, partitions=3))
    assert str(input_topic.value) == input_line.format(input=made_with_two.topic)

    three = fresh_settings(broker.bootstrap_servers, partitions=3)
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap_servers)
    try:
        admin.create_topics([NewTopic(three.snapshot_topic, num_partitions=2, replication_factor=1)])
    finally:
        admin.close()
    with speaking(language), pytest.raises(TopicLayoutError) as snapshot_topic:
        ensure_topics(three)
    assert str(snapshot_topic.value) == snapshots_line.format(input=three.topic, snapshots=three.snapshot_topic)
