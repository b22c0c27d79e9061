"""A report asked of a broker no worker has counted on says so in one line, in Danish by default and in English on
request, against the real (embedded) broker: the topic of summaries does not exist there yet."""

from __future__ import annotations

import os

import pytest

from streams.cli import main
from streams.cli.exit import ExitCode
from streams.dev.embedded import EmbeddedBroker


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
