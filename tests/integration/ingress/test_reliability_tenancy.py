"""Tenancy (issue 24): a source writes for its own municipalities only, through the ingest and straight to Kafka.

The trial, on loopback with the real broker, ingest and worker: the telephony token of one municipality
published events for two others (202); it suppressed another municipality's real inquiry by publishing
its `event_id` first with a made-up department (the real one became "a correction" and was never
counted); any source renamed any department; the ingest's `/metrics` (source names and counts) needed
no token. Each of these is a test here, with exact numbers.
"""

from __future__ import annotations

import json
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from kafka import KafkaProducer

from streams.documents.settings import Settings
from streams.documents.tokens import MetricsToken, Tokens
from streams.ingress.http.ingest import create_ingest_app
from tests.fixtures.factories import free_port
from tests.fixtures.prometheus import api, require, running
from tests.fixtures.workers import WorkerProcess, start_worker, wait_for
from tests.integration.ingress.test_ingest import INVALID, MISSING, NOW, IngestServer, event, labels, read_topic
from tests.integration.ingress.test_komhen_files_cli import inquiries
from tests.integration.worker.test_reliability_bad_input import read_dead_letters
from tests.integration.worker.test_reliability_idempotence import outcomes

pytestmark = pytest.mark.integration

TEL_183 = "telephony-183-token-0123456789abcdef"
TEL_165 = "telephony-165-token-0123456789abcdef"
FORMS = "os2forms-token-0123456789abcdef"
METRICS = "metrics-token-0123456789abcdef"
# A national deployment: each municipality's telephony has its own source id; a shared forms platform serves two.
TOKENS = Tokens(
    {
        "telephony-183": (TEL_183, ["183"]),
        "telephony-165": (TEL_165, ["165"]),
        "os2forms": (FORMS, ["183", "165"]),
    }
)
REGISTRY = """\
telephony-183: {municipalities: ["183"]}
telephony-165: {municipalities: ["165"]}
os2forms: {municipalities: ["183", "165"]}
"""


@contextmanager
def ingest(settings: Settings, metrics_token: MetricsToken | None = None) -> Iterator[IngestServer]:
    server = IngestServer(create_ingest_app(settings, TOKENS, metrics_token=metrics_token)).start()
    try:
        yield server
    finally:
        server.stop()


def counters(server: IngestServer, token: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    from prometheus_client.parser import text_string_to_metric_families

    reply = server.request("GET", "/metrics", headers={"Authorization": f"Bearer {token}"})
    assert reply.status == 200, reply.body
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(reply.body)
        for s in family.samples
        if s.name.endswith("_total")
    }


def test_a_token_publishes_for_its_own_municipalities_only_another_is_403_with_a_reason_per_event(
    settings: Settings,
) -> None:
    with ingest(settings, MetricsToken(METRICS)) as server:
        # The trial: the telephony token of 183 published events for 165 and 101 (202). Now nothing is published.
        trial = [
            event("t-1", source="telephony-183"),
            event("t-2", source="telephony-183", municipality="165"),
            event("t-3", source="telephony-183", municipality="101"),
        ]
        reply = server.post(trial, token=TEL_183)
        assert (reply.status, reply.body) == (
            403,
            {
                "error": "the token of source 'telephony-183' publishes only events of source 'telephony-183' for "
                "municipality 183; nothing was published",
                "indexes": [1, 2],
                "rejected": [
                    {
                        "index": 1,
                        "reason": "source_not_allowed",
                        "field": "municipality",
                        "detail": "source telephony-183 may write for municipality 183 only, not 165",
                    },
                    {
                        "index": 2,
                        "reason": "source_not_allowed",
                        "field": "municipality",
                        "detail": "source telephony-183 may write for municipality 183 only, not 101",
                    },
                ],
            },
        )
        # Nor may it speak for 165's own telephony: the source is the token's.
        posed = server.post([event("t-4", source="telephony-165", municipality="165")], token=TEL_183)
        assert posed.status == 403
        assert posed.body["rejected"] == [
            {
                "index": 0,
                "reason": "source_not_allowed",
                "field": "source",
                "detail": "the token of source 'telephony-183' cannot publish events of source 'telephony-165'",
            }
        ]
        assert read_topic(settings, 0, timeout_s=3) == {}

        own = server.post([event("t-1", source="telephony-183")], token=TEL_183)
        shared = server.post(
            [event("f-1", source="os2forms"), event("f-2", source="os2forms", municipality="165")], token=FORMS
        )
        assert (own.status, own.body, shared.status, shared.body) == (
            202,
            {"accepted": 1, "rejected": []},
            202,
            {"accepted": 2, "rejected": []},
        )
        published = read_topic(settings, 3)
        assert {m: sorted(e["event_id"] for e in published[m]) for m in published} == {
            "183": ["f-1", "t-1"],
            "165": ["f-2"],
        }
        metrics = counters(server, METRICS)
        assert {k: v for k, v in metrics.items() if k[0] == "komhen_ingest_events_rejected_total"} == {
            ("komhen_ingest_events_rejected_total", labels(source="telephony-183", reason="source_not_allowed")): 3.0
        }
        assert {k: v for k, v in metrics.items() if k[0] == "komhen_ingest_requests_total"} == {
            ("komhen_ingest_requests_total", labels(code="403")): 2.0,
            ("komhen_ingest_requests_total", labels(code="202")): 2.0,
        }


def test_the_ingests_metrics_need_the_metrics_token_and_prometheus_reads_them_with_it(
    settings: Settings, tmp_path: Path
) -> None:
    with ingest(settings, MetricsToken(METRICS)) as server:
        none = server.request("GET", "/metrics")
        assert (none.status, none.headers["WWW-Authenticate"], none.body) == (
            401,
            MISSING,
            {"error": "the metrics need an Authorization: Bearer <metrics token> header"},
        )
        source = server.request("GET", "/metrics", headers={"Authorization": f"Bearer {TEL_183}"})
        assert (source.status, source.headers["WWW-Authenticate"], source.body) == (
            401,
            INVALID,
            {"error": "the bearer token is not the metrics token"},
        )
        assert server.post([event("m-1", source="telephony-183")], token=TEL_183).status == 202

        # A real Prometheus scrapes it as deploy/prometheus/prometheus.yml does: with the token from a file.
        token_file = tmp_path / "ingest_metrics_token"
        token_file.write_text(METRICS + "\n")
        port = free_port()
        target = {"static_configs": [{"targets": [f"127.0.0.1:{server.port}"]}]}
        config = {
            "global": {"scrape_interval": "1s"},
            "scrape_configs": [
                {
                    "job_name": "komhen-ingest",
                    "authorization": {"type": "Bearer", "credentials_file": str(token_file)},
                    **target,
                },
                {"job_name": "no-token", **target},
            ],
        }
        (tmp_path / "prometheus.yml").write_text(yaml.safe_dump(config))
        args = [
            require("prometheus"),
            f"--config.file={tmp_path / 'prometheus.yml'}",
            f"--storage.tsdb.path={tmp_path / 'tsdb'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ]
        with running(args, port, tmp_path / "prometheus.log") as url:

            def query(expr: str) -> dict[str, float]:
                result = api(f"{url}/api/v1/query?" + urllib.parse.urlencode({"query": expr}))["result"]
                return {r["metric"].get("job", ""): float(r["value"][1]) for r in result}

            wait_for(lambda: len(query("up")) == 2, 30, "both scrape jobs to run once")
            assert query("up") == {"komhen-ingest": 1.0, "no-token": 0.0}
            accepted = 'komhen_ingest_events_accepted_total{source="telephony-183"}'
            assert query(accepted) == {"komhen-ingest": 1.0}
            targets = api(f"{url}/api/v1/targets")["activeTargets"]
            refused = next(t for t in targets if t["labels"]["job"] == "no-token")
            assert "401" in refused["lastError"]


# --- the worker: every path into the input topic -------------------------------------------------------------


@pytest.fixture
def registered(settings: Settings, tmp_path: Path) -> Settings:
    """The test's settings with the national registry of TOKENS as KOMHEN_SOURCE_REGISTRY."""
    path = tmp_path / "sources.yaml"
    path.write_text(REGISTRY, encoding="utf-8")
    return replace(settings, source_registry=str(path))


@pytest.fixture
def tenant_worker(registered: Settings, tmp_path: Path) -> Iterator[WorkerProcess]:
    running_worker = start_worker(registered, tmp_path, "tenant-worker")
    try:
        running_worker.wait_ready(registered.partitions)
        yield running_worker
    finally:
        running_worker.close()


def straight_to_kafka(settings: Settings, messages: list[tuple[str, list[dict[str, Any]]]]) -> None:
    """Each (key, events) as one record, with a plain Kafka producer: no SDK, no ingest, no check."""
    producer = KafkaProducer(bootstrap_servers=settings.bootstrap_servers)
    try:
        for key, events in messages:
            value = events[0] if len(events) == 1 else {"schema_version": 1, "events": events}
            producer.send(settings.topic, key=key.encode(), value=json.dumps(value).encode()).get(timeout=30)
    finally:
        producer.close()


def rejected_by_reason(worker: WorkerProcess) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, value in worker.metrics().get("komhen_events_rejected_total", {}).items():
        reason = dict(key)["reason"]
        out[reason] = out.get(reason, 0) + int(value)
    return out


def corrections(worker: WorkerProcess) -> int:
    return int(sum(worker.metrics().get("komhen_corrections_ignored_total", {}).values()))


def test_straight_to_kafka_an_event_its_source_may_not_write_is_dead_lettered_with_the_reason(
    registered: Settings, tenant_worker: WorkerProcess
) -> None:
    call = event("s-7", source="telephony-183", municipality="165")
    abandoned = {k: v for k, v in call.items() if k not in ("channel", "direction")} | {"kind": "call_abandoned"}
    straight_to_kafka(
        registered,
        [
            (
                "183",
                [
                    event("k-1", source="telephony-183"),
                    event("k-2", source="os2forms"),
                    event("k-3", source="telephony-165"),  # 165's telephony writing for 183
                    event("k-4", source="stranger"),  # in no registry
                ],
            ),
            ("165", [event("k-5", source="telephony-183", municipality="165"), abandoned]),
            ("165", [event("k-6", source="telephony-165", municipality="165")]),
        ],
    )
    wait_for(lambda: sum(outcomes(tenant_worker).values()) == 7, 60, "all 7 events judged")
    seen = outcomes(tenant_worker)
    assert (seen["accepted"], seen["rejected"], seen["duplicate"]) == (3, 4, 0)  # 3 + 4 + 0 = 7 received
    assert rejected_by_reason(tenant_worker) == {"source_not_allowed": 4}
    assert inquiries(tenant_worker) == Counter(
        {("183", "borgerservice", "phone", "in"): 2, ("165", "borgerservice", "phone", "in"): 1}
    )
    letters = [json.loads(letter) for letter in read_dead_letters(registered, 4)]
    assert sorted((d["reason"], d["field"], d["source"], d["detail"]) for d in letters) == [
        (
            "source_not_allowed",
            "municipality",
            "telephony-165",
            "source telephony-165 may write for municipality 165 only, not 183",
        ),
        (
            "source_not_allowed",
            "municipality",
            "telephony-183",
            "source telephony-183 may write for municipality 183 only, not 165",
        ),
        (
            "source_not_allowed",
            "municipality",
            "telephony-183",
            "source telephony-183 may write for municipality 183 only, not 165",
        ),
        ("source_not_allowed", "source", "stranger", "source stranger is not in the sources registry"),
    ]
    assert sorted(json.loads(d["payload"])["event_id"] for d in letters) == ["k-3", "k-4", "k-5", "s-7"]


def test_the_squatting_attack_fails_and_the_real_inquiry_counts_exactly(
    registered: Settings, tenant_worker: WorkerProcess
) -> None:
    """The trial: 183's telephony publishes 165's event id first with a made-up department, so that 165's real
    inquiry would be "a correction" and never counted. Through the ingest it is 403; straight to Kafka it is a
    dead letter; a source allowed for 165 that uses the same id has an identity of its own. 165's inquiry counts."""
    victim_id = "tel-165-0042"
    squat = event(victim_id, source="telephony-183", municipality="165", department="made-up")
    with ingest(registered) as server:
        assert server.post([squat], token=TEL_183).status == 403
        straight_to_kafka(registered, [("165", [squat])])
        shared = event(victim_id, source="os2forms", municipality="165", department="blanketter")
        assert server.post([shared], token=FORMS).status == 202
        wait_for(lambda: sum(outcomes(tenant_worker).values()) == 2, 60, "the squat and the shared platform's event")
        real = event(victim_id, source="telephony-165", municipality="165")
        assert server.post([real], token=TEL_165).body == {"accepted": 1, "rejected": []}
    wait_for(lambda: sum(outcomes(tenant_worker).values()) == 3, 60, "the real inquiry judged")
    seen = outcomes(tenant_worker)
    assert (seen["accepted"], seen["rejected"], seen["duplicate"]) == (2, 1, 0)
    assert corrections(tenant_worker) == 0
    assert inquiries(tenant_worker) == Counter(
        {("165", "borgerservice", "phone", "in"): 1, ("165", "blanketter", "phone", "in"): 1}
    )
    assert [json.loads(d)["detail"] for d in read_dead_letters(registered, 1)] == [
        "source telephony-183 may write for municipality 183 only, not 165"
    ]


def test_a_department_is_named_only_by_sources_allowed_for_its_municipality(
    registered: Settings, tenant_worker: WorkerProcess
) -> None:
    def names() -> dict[str, str]:
        info = tenant_worker.metrics().get("komhen_department_info", {})
        return {dict(k)["department"]: dict(k)["department_name"] for k in info if dict(k)["municipality"] == "183"}

    at = NOW - timedelta(hours=6)
    straight_to_kafka(
        registered,
        [("183", [event("n-1", source="telephony-183", department_name="Borgerservice", occurred_at=at)])],
    )
    wait_for(lambda: names() == {"borgerservice": "Borgerservice"}, 60, "the department named by its own source")
    straight_to_kafka(  # newer, so they would win (a name of the same slug: a name belongs to one department):
        # from 165's telephony, and from a source in no registry
        registered,
        [
            (
                "183",
                [
                    event(
                        "n-2",
                        source="telephony-165",
                        department_name="BORGERSERVICE",
                        occurred_at=at + timedelta(hours=1),
                    ),
                    event(
                        "n-3", source="stranger", department_name="borgerservice", occurred_at=at + timedelta(hours=2)
                    ),
                ],
            )
        ],
    )
    wait_for(lambda: outcomes(tenant_worker)["rejected"] == 2, 60, "both renames refused")
    assert names() == {"borgerservice": "Borgerservice"}
    # A source allowed for 183 still names it (the newest inquiry that carried a name wins).
    straight_to_kafka(
        registered,
        [
            (
                "183",
                [
                    event(
                        "n-4",
                        source="os2forms",
                        department_name="BorgerService",
                        occurred_at=at + timedelta(hours=3),
                    )
                ],
            )
        ],
    )
    wait_for(lambda: names() == {"borgerservice": "BorgerService"}, 60, "renamed by an allowed source")
    seen = outcomes(tenant_worker)
    assert (seen["accepted"], seen["rejected"], seen["duplicate"]) == (2, 2, 0)
