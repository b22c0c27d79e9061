"""Tenancy (issue 24): a source writes for its own municipalities only, through the ingest and straight to Kafka.

The trial, on loopback with the real broker, ingest and worker: the telephony token of one municipality
published events for two others (202); it suppressed another municipality's real inquiry by publishing
its `event_id` first with a made-up department (the real one became "a correction" and was never
counted); any source renamed any department; the ingest's `/metrics` (source names and counts) needed
no token. Each of these is a test here, with exact numbers.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

from streams.documents.settings import Settings
from streams.documents.tokens import MetricsToken, Tokens
from streams.ingress.http.ingest import create_ingest_app
from tests.factories import free_port
from tests.integration.servers import api, require, running
from tests.integration.test_ingest import INVALID, MISSING, IngestServer, event, labels, read_topic
from tests.integration.workers import wait_for

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
