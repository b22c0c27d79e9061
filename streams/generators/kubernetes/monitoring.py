"""kube-prometheus-stack's objects: who is scraped, the rules, and the dashboards.

The PrometheusRules hold exactly the groups `komhen rules generate` writes from the same target files
(streams.generators.rules), and the dashboards are those of `komhen dashboards build`, one ConfigMap
each for Grafana's sidecar. kube-prometheus-stack selects rules and monitors by `release: <its Helm
release>` unless told otherwise: the extra labels are the deployment's to set.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from streams.domain.measures.targets import TargetFile
from streams.generators.dashboards.build import dashboards, render
from streams.generators.kubernetes.spec import INGEST, PART_OF, WORKER, metadata, selector
from streams.generators.rules import RuleSettings, groups, rule_files

Obj = dict[str, Any]
MONITORING_API = "monitoring.coreos.com/v1"
DASHBOARD_FOLDER = "Kanalstrategi"  # the folder `komhen grafana push` and the compose stack use


def _meta(name: str, app: str, component: str, extra: Mapping[str, str]) -> Obj:
    meta = metadata(name, app, component)
    return {**meta, "labels": {**meta["labels"], **extra}}  # type: ignore[dict-item]


def monitors(extra_labels: Mapping[str, str], metrics_secret: str) -> list[Obj]:
    """Each worker scraped by its pod (each exports its own partitions; the job is komhen-worker, as the
    rules' KomhenWorkerDown and the dashboards expect); the ingest through its Service, with the metrics token
    of `metrics_secret` (key `token`), since its counters name every source."""
    pod_monitor = {
        "apiVersion": MONITORING_API,
        "kind": "PodMonitor",
        "metadata": _meta(WORKER, WORKER, "worker", extra_labels),
        "spec": {
            "jobLabel": "app.kubernetes.io/name",
            "selector": {"matchLabels": selector(WORKER)},
            "podMetricsEndpoints": [{"port": "web", "path": "/metrics", "interval": "15s", "scrapeTimeout": "10s"}],
        },
    }
    service_monitor = {
        "apiVersion": MONITORING_API,
        "kind": "ServiceMonitor",
        "metadata": _meta(INGEST, INGEST, "ingest", extra_labels),
        "spec": {
            "jobLabel": "app.kubernetes.io/name",
            "selector": {"matchLabels": selector(INGEST)},
            "endpoints": [
                {
                    "port": "http",
                    "path": "/metrics",
                    "interval": "15s",
                    "authorization": {"type": "Bearer", "credentials": {"name": metrics_secret, "key": "token"}},
                }
            ],
        },
    }
    return [pod_monitor, service_monitor]


def prometheus_rules(target_files: list[Path], settings: RuleSettings, extra_labels: Mapping[str, str]) -> list[Obj]:
    """One PrometheusRule per rule file, named after it, its spec.groups exactly the file's groups."""
    return [
        {
            "apiVersion": MONITORING_API,
            "kind": "PrometheusRule",
            "metadata": _meta(f"komhen-{f.name.removesuffix('.rules.yml')}", PART_OF, "rules", extra_labels),
            "spec": {"groups": groups(f)},
        }
        for f in rule_files(target_files, settings)
    ]


def dashboard_config_maps(target_files: Sequence[TargetFile]) -> list[Obj]:
    """Every dashboard as a ConfigMap labelled grafana_dashboard: "1" (the sidecar's default label), its
    folder in the annotation the sidecar reads when `folderAnnotation: grafana_folder` is set."""
    out = []
    for dashboard in dashboards(target_files):
        uid = dashboard["uid"]
        meta = metadata(uid, PART_OF, "dashboard")
        out.append(
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {
                    **meta,
                    "labels": {**meta["labels"], "grafana_dashboard": "1"},  # type: ignore[dict-item]
                    "annotations": {"grafana_folder": DASHBOARD_FOLDER},
                },
                "data": {f"{uid}.json": render(dashboard)},
            }
        )
    return out
