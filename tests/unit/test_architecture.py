"""The folder tree is the architecture: each layer imports only the layers below it in one ordered list.

The list is written once, here and in the table of docs/architecture.md (a test holds them equal). Every module
of the package is checked: the top-level ones, `from streams import X`, and relative imports.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.fixtures.factories import REPO_ROOT

STREAMS = REPO_ROOT / "streams"
# From the bottom up: a layer may import itself and any layer before it, never one after it.
LAYERS = (
    "contract",  # names every layer may read: metric and label names, identifiers, errors, numbers in Danish
    "domain",  # the pure model: no I/O, no Kafka, Faust, HTTP or Prometheus
    "documents",  # every input document: read (bounded), validated against its schema, mapped to domain values
    "telemetry",  # metrics (collectors, label budget, exposition) and logs
    "broker",  # Kafka clients, topics, reading topics, the snapshot topic
    "ingress",  # how inquiries arrive: publisher SDK, KOMHEN files, source adapters, HTTP ingest
    "generators",  # rules, dashboards, the status report, exports, manifests
    "worker",  # the Faust worker as services
    "dev",  # demo, embedded broker, simulator, live table
    "cli",  # the komhen command
    "entry",  # streams/__init__.py, streams/__main__.py
)
INFRASTRUCTURE = ("kafka", "aiokafka", "faust", "mode", "aiohttp", "prometheus_client", "grafana_client", "niquests")
IO = ("importlib", "os", "pathlib", "shutil", "subprocess", "socket", "urllib", "http", "io", "tempfile")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) >= 2 and parts[1] in LAYERS:
        return parts[1]
    return "entry"


def package_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(STREAMS.rglob("*.py"))}


def imports(path: Path, module: str) -> set[str]:
    """Every module `path` imports, absolute; `from P import n` yields P.n when that is a module."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    return imports_in(path.read_text(encoding="utf-8"), package, set(package_modules()))


def imports_in(text: str, package: str, known: set[str]) -> set[str]:
    """The modules `text` imports when it stands in `package`, relative imports made absolute."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in known)
    return names


def upward_imports() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for module, path in package_modules().items():
        own = LAYERS.index(layer_of(module))
        for imported in sorted(imports(path, module)):
            if imported.startswith("streams.") and LAYERS.index(layer_of(imported)) > own:
                found.setdefault(str(path.relative_to(REPO_ROOT)), []).append(imported)
    return found


def test_no_module_imports_a_layer_above_its_own() -> None:
    assert upward_imports() == {}


def test_the_domain_imports_no_kafka_faust_http_or_prometheus_and_does_no_io() -> None:
    found: dict[str, list[str]] = {}
    for name, path in package_modules().items():
        if layer_of(name) != "domain":
            continue
        for module in sorted(imports(path, name)):
            outside = module.split(".")[0] in INFRASTRUCTURE or module.split(".")[0] in IO
            if outside or (
                module.startswith("streams.") and layer_of(module) != "domain" and layer_of(module) != "contract"
            ):
                found.setdefault(str(path.relative_to(REPO_ROOT)), []).append(module)
    assert found == {}


def test_every_folder_of_the_package_is_a_layer_of_the_list() -> None:
    folders = {p.name for p in STREAMS.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == set(LAYERS) - {"entry"}


def test_the_documentation_lists_the_layers_in_this_order() -> None:
    page = (REPO_ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| \d+ \| `streams/([a-z]+)/`", page, flags=re.M)
    assert tuple(listed) == LAYERS[:-1]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from streams.contract import names", {"streams.contract", "streams.contract.names"}),
        ("from . import pipeline", {"streams.worker", "streams.worker.pipeline"}),
        ("from .pipeline import Pipeline", {"streams.worker.pipeline"}),
        ("from ..contract.names import total", {"streams.contract.names"}),
        ("from streams import cli", {"streams", "streams.cli"}),
    ],
)
def test_imports_are_resolved_in_every_form(source: str, expected: set[str]) -> None:
    assert imports_in(source, "streams.worker", set(package_modules())) == expected
