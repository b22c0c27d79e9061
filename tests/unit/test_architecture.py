"""The folder tree is the architecture: each layer imports only from the layers it builds on."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.factories import REPO_ROOT

STREAMS = REPO_ROOT / "streams"
COMMON = {
    "streams",
    "streams.config",
    "streams.resources",
    "streams.yamlfile",
    "streams.errors",
    "streams.danish",
    "streams.logs",  # redacted, rate-limited logs and output (builds on domain.privacy only)
    "streams.telemetry.names",  # every metric and label name: constants, for the ingest's metrics too
}
# What each layer may import from the package, besides the common modules and itself.
ALLOWED = {
    "domain": set(),
    "broker": {"domain"},
    "telemetry": {"domain"},
    "worker": {"domain", "broker", "telemetry", "generators"},  # it serves the status report at `/`
    "ingress": {"domain", "broker"},
    "generators": {"domain", "telemetry", "broker"},
    "dev": {"domain", "broker", "ingress", "telemetry"},
    "cli": {"domain", "broker", "worker", "telemetry", "ingress", "generators", "dev"},
}
INFRASTRUCTURE = ("kafka", "aiokafka", "faust", "mode", "aiohttp", "prometheus_client", "grafana_client", "niquests")


def imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) >= 2 and parts[0] == "streams" and parts[1] in ALLOWED else None


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_a_layer_imports_only_the_layers_it_builds_on(layer: str) -> None:
    wrong = {}
    for path in sorted((STREAMS / layer).rglob("*.py")):
        for module in imports(path):
            other = layer_of(module)
            if module.startswith("streams.") and module not in COMMON and other not in ALLOWED[layer] | {layer}:
                wrong[str(path.relative_to(REPO_ROOT))] = module
    assert wrong == {}


def test_the_domain_imports_no_kafka_faust_http_or_prometheus() -> None:
    found = {
        str(path.relative_to(REPO_ROOT)): module
        for path in sorted((STREAMS / "domain").rglob("*.py"))
        for module in imports(path)
        if module.split(".")[0] in INFRASTRUCTURE
    }
    assert found == {}


def test_every_folder_of_the_package_is_a_layer_named_here() -> None:
    folders = {p.name for p in STREAMS.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == set(ALLOWED)
