"""A dashboard's frame: its links, variables and the panels laid out on Grafana's grid."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from streams.generators.dashboards.defaults import GRID_WIDTH, SCHEMA_VERSION, TAGS, Dashboard, Panel
from streams.generators.dashboards.links import dashboard_links
from streams.generators.dashboards.variables import datasource_variable


def assemble(panels: Sequence[Panel]) -> list[Panel]:
    """Number the panels and lay them out left to right, wrapping at the grid width; a row starts a new line."""
    out: list[Panel] = []
    x = y = line_height = 0
    for number, panel in enumerate(panels, start=1):
        pos = panel["gridPos"]
        if panel["type"] == "row" or x + pos["w"] > GRID_WIDTH:
            y += line_height
            x = line_height = 0
        out.append({**panel, "id": number, "gridPos": {**pos, "x": x, "y": y}})
        x += pos["w"]
        line_height = max(line_height, pos["h"])
        if panel["type"] == "row":
            x, y, line_height = 0, y + pos["h"], 0
    return out


def dashboard(
    uid: str,
    title: str,
    description: str,
    variables: Sequence[dict[str, Any]],
    panels: Sequence[Panel],
    *,
    time_from: str,
    refresh: str,
) -> Dashboard:
    return {
        "uid": uid,
        "title": title,
        "description": description,
        "tags": list(TAGS),
        "timezone": "browser",
        "editable": True,
        "graphTooltip": 1,
        "time": {"from": time_from, "to": "now"},
        "refresh": refresh,
        "schemaVersion": SCHEMA_VERSION,
        "version": 1,
        "weekStart": "monday",
        "links": dashboard_links(),
        "annotations": {"list": []},
        "templating": {"list": [datasource_variable(), *variables]},
        "panels": assemble(panels),
    }
