"""A missed target fires in a real Prometheus and reaches a real Alertmanager; meeting it resolves.

Worker (with a target file) -> Prometheus scraping it with the generated rules -> the shipped
Alertmanager routing (webhook URL and timings shortened) -> a webhook receiver in the test.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from streams.config import Settings
from streams.generators.rules import RuleSettings, generate_rule_files
from streams.ingress.publisher import Publisher
from tests.factories import REPO_ROOT, event_json
from tests.integration.servers import WebhookReceiver, alertmanager, api, prometheus
from tests.integration.workers import labels, start_worker, wait_for

TARGETS = Path(__file__).parent / "data" / "targets-e2e.yaml"


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
            metrics = worker.metrics()
            assert metrics["komhen_target_actual"][scope] == 20 / 30
            assert metrics["komhen_target_met"][scope] == 1.0
            assert firing() == []
    finally:
        receiver.close()
        worker.stop()
