"""Template variables: the datasource, values from a query, a hidden constant, fixed choices, the window."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from streams.contract.danish import WINDOW_NAMES_DA
from streams.generators.dashboards.defaults import DATASOURCE, DATASOURCE_NAME, DATASOURCE_UID


def datasource_variable() -> dict[str, Any]:
    return {
        "name": "datasource",
        "label": "Datakilde",
        "type": "datasource",
        "query": "prometheus",
        "current": {"text": DATASOURCE_NAME, "value": DATASOURCE_UID},
        "hide": 0,
        "options": [],
        "refresh": 1,
        "regex": "",
    }


def query_variable(name: str, label: str, query: str, description: str, regex: str = "") -> dict[str, Any]:
    """A single-value variable filled from label values (Grafana's label_values(), refreshed on time change),
    or from a query_result() whose lines `regex` turns into a value and the text shown for it."""
    return {
        "name": name,
        "label": label,
        "description": description,
        "type": "query",
        "datasource": DATASOURCE,
        "query": {"query": query, "refId": "PrometheusVariableQueryEditor-VariableQuery"},
        "definition": query,
        "current": {},
        "hide": 0,
        "includeAll": False,
        "multi": False,
        "options": [],
        "refresh": 2,
        "regex": regex,
        "sort": 1,
    }


def constant_variable(name: str, value: str) -> dict[str, Any]:
    """A hidden fixed value, still passed on by links that include variables."""
    return {
        "name": name,
        "type": "constant",
        "query": value,
        "current": {"text": value, "value": value},
        "hide": 2,
        "options": [{"selected": True, "text": value, "value": value}],
    }


def custom_variable(
    name: str, label: str, description: str, choices: Mapping[str, str], default: str
) -> dict[str, Any]:
    """A single-value variable from fixed choices (value -> Danish text)."""
    options = [{"selected": v == default, "text": da, "value": v} for v, da in choices.items()]
    return {
        "name": name,
        "label": label,
        "description": description,
        "type": "custom",
        "query": ",".join(f"{da} : {v}" for v, da in choices.items()),
        "current": {"text": choices[default], "value": default},
        "hide": 0,
        "includeAll": False,
        "multi": False,
        "options": options,
    }


def window_variable(default: str = "28d") -> dict[str, Any]:
    """The rolling window the figures are for, by its Danish name."""
    return custom_variable(
        "window",
        "Vindue",
        "Det rullende vindue, tallene gælder for; det slutter på referencedagen (se Datakilder og drift).",
        WINDOW_NAMES_DA,
        default,
    )
