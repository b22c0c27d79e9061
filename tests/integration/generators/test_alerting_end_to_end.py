"""A missed target fires in a real Prometheus and reaches a real Alertmanager; meeting it resolves.

Worker (with a target file) -> Prometheus scraping it with the generated rules -> the shipped
Alertmanager routing (webhook URL and timings shortened) -> a webhook receiver in the test.
"""

from __future__ import annotations

import time
import urllib.parse
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from streams.documents.settings import Settings
from streams.generators.rules import RuleSettings, generate_rule_files
from streams.ingress.publisher import Publisher
from tests.fixtures.factories import REPO_ROOT, TEST_DATA, event_json
from tests.fixtures.prometheus import WebhookReceiver, alertmanager, api, prometheus
from tests.fixtures.workers import Labels, WorkerProcess, labels, start_worker, wait_for

TARGETS = TEST_DATA / "targets" / "e2e.yaml"


def inquiries(prefix: str, n: int, channel: str) -> list[dict[str, Any]]:
    return [
        event_json(f"{prefix}-{i}", source="e2e", occurred_at="2026-11-20T10:00:00+01:00", channel=channel)
        for i in range(n)
    ]


def shipped_alertmanager_config(webhook_url: str) -> dict[str, Any]:
    """deploy/alertmanager/alertmanager.yml with the test's webhook and second-scale timings."""
    config: dict[str, Any] = yaml.safe_load((REPO_ROOT / "deploy" / "alertmanager" / "alertmanager.yml").read_text())
    config["route"].update(group_wait="1s", group_interval="1s", repeat_interval="1h")
    for receiver in config["receivers"]:
        for webhook in receiver.get("webhook_configs", []):
            webhook["url"] = webhook_url
            webhook["send_resolved"] = True
    return config


def sample(worker: WorkerProcess, metric: str, series: Labels) -> float | None:
    """One sample of the worker's /metrics, or None while it has no such series yet."""
    return worker.metrics().get(metric, {}).get(series)


def test_missed_target_fires_reaches_alertmanager_and_resolves(settings: Settings, tmp_path: Path) -> None:
    worker = start_worker(replace(settings, targets=str(TARGETS)), tmp_path)
    receiver = WebhookReceiver()
    rules = generate_rule_files([TARGETS], tmp_path / "rules", settings=RuleSettings(target_missed_for=2))
    try:
        worker.wait_ready(settings.partitions)
        with (
            alertmanager(tmp_path, shipped_alertmanager_config(receiver.url)) as am_url,
            prometheus(tmp_path, worker.settings.web_port, rules, am_url) as prom_url,
        ):
            with Publisher(settings) as publisher:
                publisher.publish(inquiries("phone", 10, "phone"))  # 0 % self-service: missed

            def firing() -> list[dict[str, Any]]:
                return [
                    a
                    for a in api(prom_url + "/api/v1/alerts")["alerts"]
                    if a["labels"]["alertname"] == "KomhenTargetMissed" and a["state"] == "firing"
                ]

            wait_for(lambda: len(firing()) == 2, 60, "KomhenTargetMissed firing for _all and borgerservice")
            assert {a["labels"]["department"] for a in firing()} == {"_all", "borgerservice"}
            alert = next(a for a in firing() if a["labels"]["department"] == "_all")
            assert alert["labels"]["severity"] == "critical" and alert["labels"]["target"] == "selvbetjening-test"
            assert float(alert["value"]) == 0.0  # the actual share, which the description shows as a percentage
            metrics = worker.metrics()
            scope = labels(target="selvbetjening-test", municipality="183", department="_all")
            assert metrics["komhen_target_actual"][scope] == 0.0
            assert metrics["komhen_target_met"][scope] == 0.0

            def received(status: str) -> set[str]:
                return {
                    a["labels"]["department"]
                    for n in receiver.notifications
                    for a in n["alerts"]
                    if a["labels"]["alertname"] == "KomhenTargetMissed" and a["status"] == status
                }

            wait_for(lambda: received("firing") == {"_all", "borgerservice"}, 60, "Alertmanager to notify the webhook")
            notified = next(
                a for n in receiver.notifications for a in n["alerts"] if a["labels"]["department"] == "_all"
            )
            assert notified["annotations"] == {
                "summary": "Mål ikke nået: Mindst 40 % selvbetjening (hele kommunen)",
                "description": "Kanalandel for hele kommunen i kommune 183 er 0%; målet er mindst 40%. "
                "Målet gælder løbende.",
            }

            with Publisher(settings) as publisher:
                publisher.publish(inquiries("selfservice", 20, "self_service"))  # 20 of 30 = 67 %: met
            wait_for(lambda: received("resolved") == {"_all", "borgerservice"}, 90, "the alerts to resolve")
            # Resolved already on part of the 20 (12 of 22 is met too): the exact share once all are in.
            wait_for(lambda: sample(worker, "komhen_target_actual", scope) == 20 / 30, 30, "all 20 counted")
            assert worker.metrics()["komhen_target_met"][scope] == 1.0
            assert firing() == []
    finally:
        receiver.close()
        worker.close()


def typed(prefix: str, n: int, channel: str, inquiry_type: str, day: str) -> list[dict[str, Any]]:
    return [
        event_json(
            f"{prefix}-{i}",
            source="e2e",
            occurred_at=f"{day}T10:00:00+01:00",
            channel=channel,
            inquiry_type=inquiry_type,
        )
        for i in range(n)
    ]


def test_a_volume_target_is_silent_on_too_few_inquiries_fires_above_its_baseline_share_and_resolves(
    settings: Settings, tmp_path: Path
) -> None:
    targets = TEST_DATA / "targets" / "volumen.yaml"
    worker = start_worker(replace(settings, targets=str(targets)), tmp_path)
    receiver = WebhookReceiver()
    rules = generate_rule_files([targets], tmp_path / "rules", settings=RuleSettings(target_missed_for=2))
    scope = labels(target="information-halveret", municipality="183", department="_all")
    try:
        worker.wait_ready(settings.partitions)
        with (
            alertmanager(tmp_path, shipped_alertmanager_config(receiver.url)) as am_url,
            prometheus(tmp_path, worker.settings.web_port, rules, am_url) as prom_url,
        ):

            def alerts(state: str) -> list[dict[str, Any]]:
                return [
                    a
                    for a in api(prom_url + "/api/v1/alerts")["alerts"]
                    if a["labels"]["alertname"] == "KomhenTargetMissed" and a["state"] == state
                ]

            def prometheus_value(expr: str) -> float | None:
                result = api(prom_url + "/api/v1/query?" + urllib.parse.urlencode({"query": expr}))["result"]
                return float(result[0]["value"][1]) if result else None

            # 10 information calls: 10/70 of the baseline, but 10 inquiries are fewer than 20: no verdict.
            with Publisher(settings) as publisher:
                publisher.publish(typed("info", 10, "phone", "INFO", "2026-11-20"))
            too_few = 'komhen_target_state{target="information-halveret",state="too_few_inquiries"}'
            # The target reads the whole municipality's view, which follows the summaries: wait for all 10.
            wait_for(lambda: sample(worker, "komhen_target_inquiries", scope) == 10, 60, "the 10 calls")
            wait_for(lambda: prometheus_value(too_few) == 1.0, 60, "Prometheus to see the too-few state")
            assert scope not in worker.metrics().get("komhen_target_actual", {})
            time.sleep(5)  # more than the test's 2 s `for:` and several evaluations
            assert alerts("firing") == [] and alerts("pending") == []

            # 30 more information calls and 5 by a digital channel: 40 of 70 = 57 % of the baseline, over half.
            with Publisher(settings) as publisher:
                publisher.publish(typed("info2", 30, "phone", "VEJL", "2026-11-20"))
                publisher.publish(typed("mail", 5, "email", "INFO", "2026-11-20"))
            # It may fire on part of the 35 (38 of 70 is over half too): wait for the worker to hold all of
            # them, then for the firing alert to carry the exact value.
            wait_for(lambda: sample(worker, "komhen_target_inquiries", scope) == 45, 60, "the 35 more calls")
            assert worker.metrics()["komhen_target_actual"][scope] == 40 / 70
            wait_for(
                lambda: [float(a["value"]) for a in alerts("firing")] == [40 / 70], 60, "the volume target to fire"
            )

            def received(status: str) -> list[dict[str, Any]]:
                return [
                    a
                    for n in receiver.notifications
                    for a in n["alerts"]
                    if a["labels"]["target"] == "information-halveret" and a["status"] == status
                ]

            wait_for(lambda: bool(received("firing")), 60, "Alertmanager to notify the webhook")
            assert received("firing")[0]["annotations"] == {
                "summary": "Mål ikke nået: Halvt så mange informationshenvendelser på telefon (hele kommunen)",
                "description": "Antal henvendelser i forhold til udgangspunktet for hele kommunen i kommune 183 er "
                "57.14%; målet er højst 50%. Målet gælder løbende.",
            }

            # A week later the calls have left the 7-day window; 25 self-service transactions keep data flowing.
            with Publisher(settings) as publisher:
                publisher.publish(typed("self", 25, "self_service", "OPRET", "2026-11-28"))
            wait_for(lambda: bool(received("resolved")), 90, "the volume alert to resolve")
            # The alert may resolve while the worker still counts the 25 (the target is unjudged meanwhile, and
            # says so by exporting no actual value): wait for the worker's judgement, then read its exact figures.
            met = labels(**dict(scope), state="met")
            wait_for(lambda: sample(worker, "komhen_target_state", met) == 1.0, 60, "the worker to judge it met")
            metrics = worker.metrics()
            assert metrics["komhen_target_actual"][scope] == 0.0
            assert metrics["komhen_target_state"][labels(**dict(scope), state="met")] == 1.0
            assert alerts("firing") == []
    finally:
        receiver.close()
        worker.close()
