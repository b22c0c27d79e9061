"""Logging never raises and never prints a `--- Logging error ---`: with Faust's own formatter (mode's), for
a held-back repeat, for arguments that do not fit their format, and for arguments that cannot be shown.

The worker with the broker gone wrote thousands of such tracebacks (issue 24); the same against a real
worker: tests/integration/worker/test_reliability_broker_loss.py.

The worker's and the ingest's lines are catalogue lines (`Line`): said in the language chosen when the
record is made, and held back by their key whatever their numbers.
"""

from __future__ import annotations

import ast
import contextlib
import io
import logging
from collections.abc import Iterator
from string import Formatter
from typing import cast

import pytest
from mode.utils.logging import ExtensionFormatter

from streams.contract.texts import CATALOGUES, Line, speaking
from streams.domain.events.privacy import REDACTED
from streams.telemetry import logs
from tests.fixtures.factories import REPO_ROOT


class Unprintable:
    def __repr__(self) -> str:
        raise RuntimeError("no repr")

    __str__ = __repr__


@pytest.fixture
def faust_handler() -> Iterator[tuple[logging.Logger, io.StringIO, io.StringIO, list[float]]]:
    """A logger with a handler as a Faust worker has one (mode's formatter), rate-limited, redaction installed;
    and what Python's logging prints about its own errors (standard error)."""
    logs.install(rate_limit=False)
    now = [0.0]
    out, errors = io.StringIO(), io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(ExtensionFormatter(stream=out, fmt="%(levelname)s %(message)s"))
    handler.addFilter(logs.RateLimit(burst=2, period_s=30, clock=lambda: now[0]))
    log = logging.getLogger("test.never-raises")
    log.addHandler(handler)
    log.propagate = False
    with contextlib.redirect_stderr(errors):
        try:
            yield log, out, errors, now
        finally:
            log.removeHandler(handler)


def test_a_held_back_repeat_is_written_through_fausts_formatter_without_a_logging_error(
    faust_handler: tuple[logging.Logger, io.StringIO, io.StringIO, list[float]],
) -> None:
    log, out, errors, now = faust_handler
    for _ in range(1318):
        log.error("Unable connect to node with id %s: %s", 111, "[Errno 111] Connect call failed")
    now[0] = 31
    log.error("Unable connect to node with id %s: %s", 111, "[Errno 111] Connect call failed")
    assert errors.getvalue() == ""
    assert out.getvalue().splitlines() == [
        "ERROR Unable connect to node with id 111: [Errno 111] Connect call failed",
        "ERROR Unable connect to node with id 111: [Errno 111] Connect call failed",
        "ERROR Unable connect to node with id 111: [Errno 111] Connect call failed "
        "(og 1.316 til af samme slags inden for de sidste 30 s)",
    ]


def test_arguments_that_do_not_fit_or_cannot_be_shown_never_raise(
    faust_handler: tuple[logging.Logger, io.StringIO, io.StringIO, list[float]],
) -> None:
    log, out, errors, _ = faust_handler
    log.warning("no placeholder", None)
    log.warning("two placeholders %s %d", "one")
    log.warning("a number %d", "not a number")
    log.warning("shown %s", Unprintable())
    log.warning("100%% done, a literal percent in a value: %s", "50% of 0101901234")
    assert errors.getvalue() == ""
    lines = out.getvalue().splitlines()
    assert lines[:3] == [
        "WARNING no placeholder (None,)",
        "WARNING two placeholders %s %d ('one',)",
        "WARNING a number %d ('not a number',)",
    ]
    assert lines[3] == "WARNING a log record of test.never-raises that cannot be shown as text"
    assert lines[4] == f"WARNING 100% done, a literal percent in a value: 50% of {REDACTED}"


SAMPLE = [  # a sample of the worker's and the ingest's lines, with numbers of both kinds
    Line("log.assigned", partitions="0, 1, 2, 3", topic="inquiries"),
    Line("log.snapshot_writing", partition="3", seq="12", days=1234, megabytes=2.5),
    Line("log.ingest_accepted", source="kmd-nexus", accepted=1500, rejected=2),
    Line("log.ingest_all_rejected", source="kmd-nexus", n=1),
    Line("log.kafka_gone", servers="127.0.0.1:9092", since="21:04:05"),
]


def test_the_workers_lines_are_danish_by_default_and_english_with_language_en(
    faust_handler: tuple[logging.Logger, io.StringIO, io.StringIO, list[float]],
) -> None:
    log, out, errors, _ = faust_handler
    for line in SAMPLE:
        log.warning(line)
    with speaking("en"):
        for line in SAMPLE:
            log.warning(line)
    assert errors.getvalue() == ""
    assert out.getvalue().splitlines() == [
        "WARNING har fået partition 0, 1, 2, 3 af emnet inquiries",
        "WARNING partition 3: skriver øjebliksbillede 12 (1.234 dagsopgørelser, 2,5 MB)",
        "WARNING kilde kmd-nexus: 1.500 hændelser modtaget, 2 afvist",
        "WARNING kilde kmd-nexus: dens ene hændelse er afvist",
        "WARNING Kafka på 127.0.0.1:9092 har ikke svaret siden 21:04:05; optællingen venter, tallene er gemt",
        "WARNING assigned partitions 0, 1, 2, 3 of inquiries",
        "WARNING partition 3: writing snapshot 12 (1,234 day buckets, 2.5 MB)",
        "WARNING source kmd-nexus: 1,500 events accepted, 2 rejected",
        "WARNING source kmd-nexus: its 1 event rejected",
        "WARNING Kafka at 127.0.0.1:9092 unreachable since 21:04:05; counting paused, counts kept",
    ]


def test_repeats_of_one_line_are_held_back_together_whatever_their_numbers(
    faust_handler: tuple[logging.Logger, io.StringIO, io.StringIO, list[float]],
) -> None:
    log, out, _, now = faust_handler
    for n in range(1, 6):
        log.warning(Line("log.connection_refused", n=n * 100))
    now[0] = 31
    log.warning(Line("log.connection_refused", n=700))
    assert out.getvalue().splitlines() == [
        "WARNING forbindelse afvist: 100 forbindelser er åbne, og det er grænsen",
        "WARNING forbindelse afvist: 200 forbindelser er åbne, og det er grænsen",
        "WARNING forbindelse afvist: 700 forbindelser er åbne, og det er grænsen "
        "(og 3 til af samme slags inden for de sidste 30 s)",
    ]


def test_every_line_in_the_code_gives_the_parameters_its_line_asks_for() -> None:
    """A `Line` is said only when its record is made: a parameter missing or misnamed would show as the
    fallback text in production, so each call is checked against its line in both languages here."""
    calls = [
        (path.name, node)
        for path in (REPO_ROOT / "streams").rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Line"
    ]
    wrong = []
    for name, call in calls:
        first = call.args[0]  # the key, or a choice of two keys
        keys = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
        given = {k.arg or "**" for k in call.keywords}
        for key in (cast(ast.Constant, k).value for k in keys):
            for language, catalogue in CATALOGUES.items():
                template = catalogue[str(key)]
                asked = {
                    f
                    for t in (template if isinstance(template, tuple) else (template,))
                    for _, f, _, _ in Formatter().parse(t)
                    if f
                }
                if (asked ^ given) - {"n"}:  # n chooses one or many, and may be shown
                    wrong.append((name, call.lineno, key, language, sorted(given), sorted(asked)))
    assert wrong == []
    said = {k.value for _, call in calls for k in ast.walk(call.args[0]) if isinstance(k, ast.Constant) and k.value}
    in_lines = {"log.none", "log.held_back", "log.municipalities_over_budget", "log.topics_missing"}  # text() parts
    assert said == {k for k in CATALOGUES["da"] if k.startswith("log.")} - in_lines
