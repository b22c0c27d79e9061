"""/metrics in the Prometheus text format, byte for byte what prometheus_client writes, faster for gauges.

prometheus_client's generate_latest validates and escapes every label name of every sample
(about 20 µs a sample here); a national deployment's exporting worker has tens of thousands of
gauge samples whose label names are the same few per family. Plain gauge and counter families
are written here with each family's label order and names checked once; anything else
(histograms, a counter's _created samples, timestamps, names outside the legacy character set)
goes through generate_latest itself.
A test checks that both give the same bytes for the worker's registry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from prometheus_client import generate_latest
from prometheus_client.registry import Collector
from prometheus_client.samples import Sample
from prometheus_client.utils import floatToGoString

_LEGACY_NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
_LEGACY_LABEL = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")


class _One(Collector):
    """One family, for generate_latest."""

    def __init__(self, family: object) -> None:
        self._family = family

    def collect(self) -> Iterable[object]:  # type: ignore[override]
        return [self._family]


def _value(text: str) -> str:
    if "\\" in text or "\n" in text or '"' in text:
        return text.replace("\\", r"\\").replace("\n", r"\n").replace('"', r"\"")
    return text


def _sample_lines(name: str, samples: Iterable[Sample]) -> list[str] | None:
    """The sample lines of a family whose samples are all named `name`, or None where generate_latest must decide."""
    lines = []
    orders: dict[tuple[str, ...], list[str]] = {}
    for s in samples:
        if s.timestamp is not None or s.exemplar is not None or s.name != name:
            return None
        labels = s.labels
        if labels:
            keys = tuple(labels)
            order = orders.get(keys)
            if order is None:
                order = sorted(keys)
                if not all(_LEGACY_LABEL.match(k) and not k.startswith("__") for k in order):
                    return None
                orders[keys] = order
            inner = ",".join(f'{k}="{_value(labels[k])}"' for k in order)
            lines.append(f"{name}{{{inner}}} {floatToGoString(s.value)}\n")
        else:
            lines.append(f"{name} {floatToGoString(s.value)}\n")
    return lines


def exposition(registry: Collector) -> bytes:
    """The registry in the text format 0.0.4, as generate_latest(registry) would write it."""
    out: list[str] = []
    for family in registry.collect():
        lines = None
        # A gauge's samples carry its name; a counter's (without _created series) the name and _total.
        name = {"gauge": family.name, "counter": family.name + "_total"}.get(family.type)
        if name is not None and _LEGACY_NAME.match(name):
            lines = _sample_lines(name, family.samples)
        if name is None or lines is None:
            out.append(generate_latest(_One(family)).decode("utf-8"))
            continue
        doc = family.documentation.replace("\\", r"\\").replace("\n", r"\n")
        out.append(f"# HELP {name} {doc}\n# TYPE {name} {family.type}\n")
        out.extend(lines)
    return "".join(out).encode("utf-8")
