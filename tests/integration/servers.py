"""The Prometheus harness: real Prometheus and Alertmanager (Debian packages), a webhook receiver, and a
worker scraped by Prometheus with the dashboards' queries evaluated against it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from streams.dev.embedded import wait_for_port
from streams.documents.settings import Settings
from tests.factories import free_port
from tests.integration.workers import WorkerProcess, start_worker, wait_for

ALERTMANAGER = "prometheus-alertmanager"
RATE_INTERVAL = "1m"  # what $__rate_interval stands for in a dashboard query


def require(binary: str) -> str:
    path = shutil.which(binary)
    if path is None:
        pytest.fail(
            f"{binary} is not installed; `make test` installs it (apt-get install prometheus prometheus-alertmanager)"
        )
    return path


@contextmanager
def running(args: list[str], port: int, log: Path) -> Iterator[str]:
    with open(log, "ab") as out:
        process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_port("127.0.0.1", port, timeout_s=30)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)


@contextmanager
def prometheus(
    tmp: Path, worker_port: int, rule_files: list[Path], alertmanager_url: str, scrape_interval: str = "1s"
) -> Iterator[str]:
    """A Prometheus scraping the worker every `scrape_interval` (its scrape timeout too) and evaluating
    `rule_files` every second."""
    port = free_port()
    config = {
        "global": {"scrape_interval": scrape_interval, "evaluation_interval": "1s"},
        "rule_files": [str(p) for p in rule_files],
        "alerting": {"alertmanagers": [{"static_configs": [{"targets": [alertmanager_url.split("//")[1]]}]}]},
        "scrape_configs": [
            {"job_name": "komhen-worker", "static_configs": [{"targets": [f"127.0.0.1:{worker_port}"]}]}
        ],
    }
    (tmp / "prometheus.yml").write_text(yaml.safe_dump(config))
    args = [
        require("prometheus"),
        f"--config.file={tmp / 'prometheus.yml'}",
        f"--storage.tsdb.path={tmp / 'tsdb'}",
        f"--web.listen-address=127.0.0.1:{port}",
        "--rules.alert.resend-delay=1s",
    ]
    with running(args, port, tmp / "prometheus.log") as url:
        yield url


@contextmanager
def alertmanager(tmp: Path, config: dict[str, Any]) -> Iterator[str]:
    port = free_port()
    (tmp / "alertmanager.yml").write_text(yaml.safe_dump(config))
    args = [
        require(ALERTMANAGER),
        f"--config.file={tmp / 'alertmanager.yml'}",
        f"--storage.path={tmp / 'am-data'}",
        f"--web.listen-address=127.0.0.1:{port}",
        "--cluster.listen-address=",
    ]
    with running(args, port, tmp / "alertmanager.log") as url:
        yield url


class WebhookReceiver:
    """An HTTP endpoint that keeps every Alertmanager notification it receives."""

    def __init__(self) -> None:
        self.notifications: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.notifications.append(json.loads(body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/alerts"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


def api(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())["data"]


# --- a worker scraped by Prometheus, and the dashboards' queries over it ---------------------------


@dataclass
class Stack:
    prometheus_url: str
    worker: WorkerProcess
    dashboards: dict[str, dict[str, Any]]  # uid -> dashboard
    exported: dict[str, set[str]]  # metric name -> label names, from the worker's /metrics

    def query(self, expr: str) -> list[dict[str, Any]]:
        data = api(f"{self.prometheus_url}/api/v1/query?" + urllib.parse.urlencode({"query": expr}))
        assert data["resultType"] == "vector", expr
        return list(data["result"])

    def worker_value(self, metric: str, **labels: str) -> float:
        return self.worker.metrics()[metric][frozenset(labels.items())]


def exported_metrics(worker: WorkerProcess) -> dict[str, set[str]]:
    """Metric name -> the label names of its samples, from the worker's /metrics."""
    out: dict[str, set[str]] = {}
    for name, samples in worker.metrics().items():
        for labels in samples:
            out.setdefault(name, set()).update(k for k, _ in labels)
    return out


@contextmanager
def scraped_worker(
    settings: Settings,
    tmp: Path,
    dashboards: list[Path],
    feed: Callable[[Settings], None],
    scraped: Callable[[Stack], bool],
) -> Iterator[Stack]:
    """A worker with `settings`, fed by `feed`, and a Prometheus scraping it until `scraped` holds."""
    worker = start_worker(settings, tmp)
    try:
        worker.wait_ready(settings.partitions)
        feed(settings)
        # Every 2 s: a scrape that misses its timeout marks every series stale, and a query made then
        # finds no data; on a busy machine a 1 s timeout was missed.
        with prometheus(tmp, worker.settings.web_port, [], "http://127.0.0.1:9", scrape_interval="2s") as url:
            stack = Stack(url, worker, {}, {})
            wait_for(lambda: scraped(stack), 90, "Prometheus to scrape what the worker counted")
            stack.dashboards = {d["uid"]: d for d in (json.loads(p.read_text()) for p in dashboards)}
            stack.exported = exported_metrics(worker)
            yield stack
    except Exception:
        print(worker.log_tail())
        raise
    finally:
        worker.close()


def substitute(expr: str, variables: dict[str, str]) -> str:
    out = expr.replace("$__rate_interval", RATE_INTERVAL)
    for name, value in sorted(variables.items(), key=lambda kv: -len(kv[0])):
        out = out.replace(f"${name}", value)
    assert "$" not in out, out
    return out


def panel_queries(dashboard: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(panel title, refId, expr) of every query of every panel."""
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            yield panel["title"], target["refId"], target["expr"]


def expr_of(dashboard: dict[str, Any], title: str, ref: str = "A") -> str:
    matches = [e for t, r, e in panel_queries(dashboard) if t == title and r == ref]
    assert len(matches) == 1, f"{title}/{ref}: {len(matches)} queries"
    return matches[0]


def values(stack: Stack, expr: str, *labels: str) -> dict[Any, float]:
    """The result as {label value (or tuple of values): sample value}."""
    out: dict[Any, float] = {}
    for sample in stack.query(expr):
        key = tuple(sample["metric"].get(label, "") for label in labels)
        out[key[0] if len(key) == 1 else key] = float(sample["value"][1])
    return out


def scalar(stack: Stack, expr: str) -> float:
    result = stack.query(expr)
    assert len(result) == 1, (expr, result)
    return float(result[0]["value"][1])


KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset"}


def metric_names_and_labels(expr: str) -> tuple[set[str], set[str]]:
    """Metric names and label names a PromQL expression refers to (strings and durations ignored)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr.replace("$__rate_interval", "1m"))
    labels: set[str] = set()
    grouping = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)")
    for match in grouping.finditer(text):
        labels |= {name.strip() for name in match.group(1).split(",") if name.strip()}
    text = grouping.sub(" ", text)
    for match in re.finditer(r"\{([^}]*)\}", text):
        labels |= set(re.findall(r"([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)", match.group(1)))
    text = re.sub(r"\{[^}]*\}|\[[^\]]*\]", " ", text)
    names = {
        m.group(1)
        for m in re.finditer(r"(?<![\w.])([a-zA-Z_:][\w:]*)\s*(\()?", text)
        if m.group(2) is None and m.group(1) not in KEYWORDS
    }
    return names, labels
