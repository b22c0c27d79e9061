"""Panels and what they are made of: queries, field config, overrides, panel kinds, tables, rows.

Every dashboard module builds its panels with these functions only, so units, colours, the
datasource and the table transformations are decided once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from streams.contract.danish import STATE_NAMES_DA
from streams.documents.reference import code_table
from streams.domain.measures.progress import TargetState
from streams.domain.measures.targets import Target
from streams.generators.dashboards.defaults import CHANNEL_COLOURS, DATASOURCE, GRID_WIDTH, STATE_COLOURS, Panel


def ref_id(i: int) -> str:
    """The i-th query's refId: A, B, C …"""
    return chr(ord("A") + i)


def query(expr: str, legend: str = "__auto", *, ref: str = "A", instant: bool = False, table: bool = False) -> Panel:
    """One Prometheus query of a panel; instant for current values, else a range over the dashboard's time."""
    return {
        "datasource": DATASOURCE,
        "refId": ref,
        "expr": expr,
        "legendFormat": legend,
        "instant": instant,
        "range": not instant,
        "format": "table" if table else "time_series",
    }


def steps(*pairs: tuple[str, float | None]) -> dict[str, Any]:
    return {"mode": "absolute", "steps": [{"color": c, "value": v} for c, v in pairs]}


def alarm_from(value: float, colour: str = "red") -> dict[str, Any]:
    """Green below `value`, `colour` from it on: where a panel's threshold and its alert agree."""
    return steps(("green", None), (colour, value))


def target_thresholds(target: Target) -> dict[str, Any]:
    """Red on the wrong side of the target file's threshold, green on the right side."""
    if target.comparator == ">=":
        return steps(("red", None), ("green", target.threshold))
    return steps(("green", None), ("red", target.threshold))


def target_unit(target: Target) -> str:
    return "percentunit" if target.measure.in_percent else "currencyDKK"


WHOLE_NUMBERS = {"unit": "short", "decimals": 0}  # the properties of a column of counts in a table of shares


def override(name: str, properties: Mapping[str, Any], *, matcher: str = "byName") -> dict[str, Any]:
    """Field config for the fields called `name` (byFrameRefID: the query `name`), property id -> value."""
    return {
        "matcher": {"id": matcher, "options": name},
        "properties": [{"id": key, "value": value} for key, value in properties.items()],
    }


def fixed_colour(colour: str) -> dict[str, str]:
    return {"mode": "fixed", "fixedColor": colour}


def channel_overrides() -> list[dict[str, Any]]:
    """Series named by their `channel` label get the Danish name and the channel's fixed colour."""
    return [
        override(name, {"displayName": channel.da, "color": fixed_colour(CHANNEL_COLOURS[name])})
        for name, channel in code_table().channels.items()
    ]


def direction_overrides() -> list[dict[str, Any]]:
    return rename_series(code_table().direction_names)


def field_config(
    unit: str,
    *,
    thresholds: dict[str, Any] | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
    decimals: int | None = None,
    overrides: Sequence[dict[str, Any]] = (),
    custom: Mapping[str, Any] | None = None,
    no_value: str | None = None,
    links: Sequence[dict[str, Any]] = (),
    mappings: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    defaults: dict[str, Any] = {
        "unit": unit,
        "thresholds": thresholds or steps(("green", None)),
        "color": {"mode": "thresholds" if thresholds else "palette-classic"},
    }
    for key, value in (("min", minimum), ("max", maximum), ("decimals", decimals), ("noValue", no_value)):
        if value is not None:
            defaults[key] = value
    if custom:
        defaults["custom"] = dict(custom)
    if links:
        defaults["links"] = list(links)
    if mappings:
        defaults["mappings"] = value_mappings(mappings)
    return {"defaults": defaults, "overrides": list(overrides)}


def value_mappings(texts: Mapping[str, str]) -> list[dict[str, Any]]:
    """Grafana value mappings: a label value shown as a Danish text (measure names, municipality names)."""
    return [{"type": "value", "options": {k: {"text": v, "index": i} for i, (k, v) in enumerate(texts.items())}}]


def rename_series(texts: Mapping[str, str]) -> list[dict[str, Any]]:
    """Overrides naming series (by their legend) in Danish, e.g. a municipality number as its name."""
    return [override(name, {"displayName": da}) for name, da in texts.items()]


# --- panels ------------------------------------------------------------------------------------


def _panel(kind: str, title: str, description: str, targets: Sequence[Panel], width: int, height: int) -> Panel:
    return {
        "type": kind,
        "title": title,
        "description": description,
        "datasource": DATASOURCE,
        "targets": list(targets),
        "gridPos": {"h": height, "w": width, "x": 0, "y": 0},
    }


def timeseries(
    title: str,
    description: str,
    targets: Sequence[Panel],
    fields: dict[str, Any],
    *,
    stacked_percent: bool = False,
    width: int = 12,
    height: int = 9,
) -> Panel:
    panel = _panel("timeseries", title, description, targets, width, height)
    custom = {"drawStyle": "line", "lineWidth": 1, "fillOpacity": 60 if stacked_percent else 10, "showPoints": "never"}
    custom["stacking"] = {"mode": "percent" if stacked_percent else "none", "group": "A"}
    fields["defaults"]["custom"] = {**custom, **fields["defaults"].get("custom", {})}
    panel["fieldConfig"] = fields
    panel["options"] = {
        "legend": {"displayMode": "table", "placement": "right", "showLegend": True, "calcs": ["lastNotNull"]},
        "tooltip": {"mode": "multi", "sort": "desc"},
    }
    return panel


# The options of each single-value panel kind, beside the reduction to the last value.
STAT = {
    "colorMode": "value",
    "graphMode": "none",
    "justifyMode": "auto",
    "orientation": "auto",
    "textMode": "value_and_name",
}
STATE_STAT = {**STAT, "colorMode": "background", "justifyMode": "center", "textMode": "name"}
GAUGE = {"showThresholdLabels": True, "showThresholdMarkers": True}
BARGAUGE = {"displayMode": "gradient", "orientation": "horizontal", "showUnfilled": True}
PIECHART = {
    "pieType": "donut",
    "displayLabels": ["name", "percent"],
    "legend": {"displayMode": "table", "placement": "right", "showLegend": True, "values": ["value", "percent"]},
}


def _single_value(
    kind: str,
    options: Mapping[str, Any],
    title: str,
    description: str,
    targets: Sequence[Panel],
    fields: dict[str, Any],
    width: int,
    height: int,
) -> Panel:
    """A panel that reduces each series to its last value (stat, gauge, bar gauge, pie chart)."""
    panel = _panel(kind, title, description, targets, width, height)
    panel["fieldConfig"] = fields
    panel["options"] = {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False}, **options}
    return panel


def stat(
    title: str, description: str, targets: Sequence[Panel], fields: dict[str, Any], *, width: int = 6, height: int = 5
) -> Panel:
    return _single_value("stat", STAT, title, description, targets, fields, width, height)


def state_stat(title: str, description: str, expr: str, *, width: int = 6, height: int = 4) -> Panel:
    """A target's state in Danish: the one komhen_target_state series that is 1, named by its `state` label."""
    overrides = [
        override(state.value, {"displayName": STATE_NAMES_DA[state], "color": fixed_colour(STATE_COLOURS[state])})
        for state in TargetState
    ]
    fields = field_config("none", no_value="ingen data", overrides=overrides)
    return _single_value(
        "stat", STATE_STAT, title, description, [query(expr, "{{state}}", instant=True)], fields, width, height
    )


def instant_stat(
    title: str, description: str, expr: str, legend: str, fields: dict[str, Any], *, width: int = 6, height: int = 5
) -> Panel:
    """A stat of one instant query, its series named by `legend`."""
    return stat(title, description, [query(expr, legend, instant=True)], fields, width=width, height=height)


def series_stat(
    title: str,
    description: str,
    series: Sequence[tuple[str, str]],
    fields: dict[str, Any],
    *,
    width: int = 6,
    height: int = 5,
) -> Panel:
    """A stat of several instant queries side by side, each a (name, PromQL)."""
    targets = [query(expr, legend, ref=ref_id(i), instant=True) for i, (legend, expr) in enumerate(series)]
    return stat(title, description, targets, fields, width=width, height=height)


def trend(
    title: str, description: str, expr: str, legend: str, fields: dict[str, Any], *, width: int = 12, height: int = 9
) -> Panel:
    """A time series of one range query, its series named by `legend`."""
    return timeseries(title, description, [query(expr, legend)], fields, width=width, height=height)


def gauge(
    title: str, description: str, targets: Sequence[Panel], fields: dict[str, Any], *, width: int = 6, height: int = 7
) -> Panel:
    return _single_value("gauge", GAUGE, title, description, targets, fields, width, height)


def bargauge(
    title: str, description: str, targets: Sequence[Panel], fields: dict[str, Any], *, width: int = 12, height: int = 8
) -> Panel:
    return _single_value("bargauge", BARGAUGE, title, description, targets, fields, width, height)


def piechart(
    title: str, description: str, targets: Sequence[Panel], fields: dict[str, Any], *, width: int = 8, height: int = 8
) -> Panel:
    return _single_value("piechart", PIECHART, title, description, targets, fields, width, height)


def channel_mix(title: str, description: str, expr: str, *, width: int = 12) -> Panel:
    """Each channel's share of its direction over time (`expr` by channel), stacked to 100 %, in its colour."""
    fields = field_config("percentunit", minimum=0, maximum=1, overrides=channel_overrides())
    return timeseries(title, description, [query(expr, "{{channel}}")], fields, stacked_percent=True, width=width)


def direction_totals(title: str, description: str, expr: str) -> Panel:
    """Inquiries per direction (`expr` by direction) now, across the width of the dashboard."""
    fields = field_config("short", decimals=0, overrides=direction_overrides())
    return stat(title, description, [query(expr, "{{direction}}", instant=True)], fields, width=24, height=4)


def table(
    title: str,
    description: str,
    targets: Sequence[Panel],
    fields: dict[str, Any],
    *,
    transformations: Sequence[dict[str, Any]] = (),
    width: int = 24,
    height: int = 8,
    sort_by: str | None = None,
    sort_desc: bool = False,
) -> Panel:
    panel = _panel("table", title, description, targets, width, height)
    panel["fieldConfig"] = fields
    panel["options"] = {"showHeader": True, "cellHeight": "sm"}
    if sort_by:
        panel["options"]["sortBy"] = [{"displayName": sort_by, "desc": sort_desc}]
    panel["transformations"] = list(transformations)
    return panel


def text(title: str, markdown: str, *, width: int = 24, height: int = 5) -> Panel:
    """A note without a query: used to say plainly what the metrics cannot show yet."""
    return {
        "type": "text",
        "title": title,
        "description": "",
        "gridPos": {"h": height, "w": width, "x": 0, "y": 0},
        "options": {"mode": "markdown", "content": markdown},
    }


def row(title: str) -> Panel:
    return {
        "type": "row",
        "title": title,
        "collapsed": False,
        "panels": [],
        "gridPos": {"h": 1, "w": GRID_WIDTH, "x": 0, "y": 0},
    }


# --- tables ------------------------------------------------------------------------------------

MERGE = {"id": "merge", "options": {}}  # one row per label set from several instant queries


def organize(renames: Mapping[str, str], hidden: Iterable[str] = ()) -> dict[str, Any]:
    """Grafana's organize transformation: the Time column and `hidden` columns left out, the rest named."""
    return {
        "id": "organize",
        "options": {"excludeByName": {"Time": True, **dict.fromkeys(hidden, True)}, "renameByName": dict(renames)},
    }


def columns_table(
    title: str,
    description: str,
    columns: Sequence[tuple[str | None, str]],
    fields: dict[str, Any],
    *,
    labels: Mapping[str, str] | None = None,
    width: int = 24,
    height: int = 8,
    sort_by: str | None = None,
    sort_desc: bool = False,
) -> Panel:
    """A table of instant queries merged on their labels: a column per (Danish name, PromQL).

    A column named None is joined for its labels only (its value is hidden); `labels` names the
    label columns in Danish.
    """
    named = {f"Value #{ref_id(i)}": da for i, (da, _) in enumerate(columns) if da is not None}
    hidden = [f"Value #{ref_id(i)}" for i, (da, _) in enumerate(columns) if da is None]
    return table(
        title,
        description,
        [query(expr, ref=ref_id(i), instant=True, table=True) for i, (_, expr) in enumerate(columns)],
        fields,
        transformations=[MERGE, organize({**named, **(labels or {})}, hidden)],
        width=width,
        height=height,
        sort_by=sort_by,
        sort_desc=sort_desc,
    )
