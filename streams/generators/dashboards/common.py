"""Shared dashboard defaults: datasource, variables, panel builders, thresholds, uids and links.

Every dashboard module assembles panels from these functions only, so units, colours,
Danish texts and the datasource reference are decided once (grafana-foundation-sdk's
`common.py` habit, in plain data: Grafana's JSON model is the contract, not a library).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from streams.contract.identifiers import ALL_DEPARTMENTS, NATIONAL
from streams.domain.events.codes import code_table
from streams.domain.measures.progress import STATE_NAMES_DA, TargetState
from streams.domain.measures.targets import Target
from streams.domain.organisation.municipalities import all_municipalities, label_of

Panel = dict[str, Any]
Dashboard = dict[str, Any]

SCHEMA_VERSION = 39  # Grafana 10.x / 11.x dashboard model
DATASOURCE_UID = "komhen-prometheus"  # provisioned in deploy/grafana/provisioning/datasources
DATASOURCE_NAME = "Prometheus (komhen)"
DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}
FOLDER = "Kanalstrategi"
TAGS = ("komhen", "kanalstrategi")
WORKER_JOB = "komhen-worker"

OVERVIEW_UID = "komhen-overblik"
DEPARTMENT_UID = "komhen-afdeling"
OPERATIONS_UID = "komhen-drift"
NATIONAL_UID = "komhen-landsoversigt"

WINDOWS_DA = {"7d": "7 dage", "28d": "28 dage", "365d": "365 dage", "ytd": "År til dato"}
DAYS_PER_MONTH = 30.4375  # 365.25 / 12: the monthly cost is the 28-day cost scaled to an average month
GRID_WIDTH = 24

# The service measures' definitions (README "Service events", streams/shares.py), said once for every panel.
ANSWER_RATE_DA = (
    "Besvarelsesprocent = indgående telefonhenvendelser (besvaret eller lagt på telefonsvarer) / (dem + afbrudte "
    "opkald). Et afbrudt opkald (den, der ringer, lægger på før svar eller telefonsvarer) er ikke en henvendelse "
    "efter KOMHEN, men blev tilbudt; tom uden opkald."
)
FIRST_CONTACT_DA = (
    "Straksafklaringsgrad = telefon- og personlige henvendelser afsluttet ved første kontakt (STRAKS) / dem med en "
    "registreret afslutning (STRAKS eller HOLD). Henvendelser uden afslutning tæller ikke med; tom uden nogen."
)
COMPLETION_RATE_DA = (
    "Gennemførelsesgrad = gennemførte selvbetjeningstransaktioner (indgående selvbetjeningshenvendelser) / "
    "påbegyndte selvbetjeningsforsøg; tom, hvor ingen påbegyndte forsøg er indberettet. Pr. KLE-opgave: "
    "komhen report selfservice."
)

# One fixed colour per channel across all dashboards: digital greens/blues, expensive reds/oranges.
CHANNEL_COLOURS = {
    "self_service": "green",
    "digital_post": "dark-green",
    "email": "blue",
    "sms": "light-blue",
    "chat": "purple",
    "social_media": "light-purple",
    "web": "super-light-green",
    "system": "dark-blue",
    "phone": "orange",
    "personal": "red",
    "letter": "yellow",
    "remote_print": "dark-yellow",
    "output_manager": "text",
}


def municipality_name(number: str) -> str:
    """'Ishøj (183)' from the municipality table; 'kommune 999' for a number not in it; 'hele landet'."""
    if number == NATIONAL:
        return "hele landet"
    return label_of(number)


def municipality_names() -> dict[str, str]:
    """Every municipality of the table by number, as 'Ishøj (183)' (value mappings, series names)."""
    return {m.number: m.label for m in all_municipalities()}


def department_name(department: str) -> str:
    return "hele kommunen" if department == ALL_DEPARTMENTS else department


def selector(**labels: str) -> str:
    """A PromQL selector, labels in the given order; a value starting with ~ is a regex, with ! a negation.

    >>> selector(a="1", b="~x|y", c="!_all")
    '{a="1",b=~"x|y",c!="_all"}'
    """
    operators = {"~": "=~", "!": "!="}
    parts = [f'{k}{operators[v[0]]}"{v[1:]}"' if v[:1] in operators else f'{k}="{v}"' for k, v in labels.items()]
    return "{" + ",".join(parts) + "}"


# --- template variables ------------------------------------------------------------------------


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
    options = [{"selected": w == default, "text": da, "value": w} for w, da in WINDOWS_DA.items()]
    return {
        "name": "window",
        "label": "Vindue",
        "description": "Det rullende vindue, tallene gælder for; det slutter på referencedagen "
        "(se Datakilder og drift).",
        "type": "custom",
        "query": ",".join(f"{da} : {w}" for w, da in WINDOWS_DA.items()),
        "current": {"text": WINDOWS_DA[default], "value": default},
        "hide": 0,
        "includeAll": False,
        "multi": False,
        "options": options,
    }


# --- queries and field config ------------------------------------------------------------------


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


def target_thresholds(target: Target) -> dict[str, Any]:
    """Red on the wrong side of the target file's threshold, green on the right side."""
    if target.comparator == ">=":
        return steps(("red", None), ("green", target.threshold))
    return steps(("green", None), ("red", target.threshold))


def target_unit(target: Target) -> str:
    return "percentunit" if target.measure.in_percent else "currencyDKK"


def channel_overrides() -> list[dict[str, Any]]:
    """Series named by their `channel` label get the Danish name and the channel's fixed colour."""
    return [
        {
            "matcher": {"id": "byName", "options": name},
            "properties": [
                {"id": "displayName", "value": channel.da},
                {"id": "color", "value": {"mode": "fixed", "fixedColor": CHANNEL_COLOURS[name]}},
            ],
        }
        for name, channel in code_table().channels.items()
    ]


def direction_overrides() -> list[dict[str, Any]]:
    return [
        {"matcher": {"id": "byName", "options": d}, "properties": [{"id": "displayName", "value": da}]}
        for d, da in code_table().direction_names.items()
    ]


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
    return [
        {"matcher": {"id": "byName", "options": k}, "properties": [{"id": "displayName", "value": v}]}
        for k, v in texts.items()
    ]


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


def _single_value(
    kind: str,
    title: str,
    description: str,
    targets: Sequence[Panel],
    fields: dict[str, Any],
    width: int,
    height: int,
    **options: Any,
) -> Panel:
    """A panel that reduces each series to its last value (stat, gauge, bar gauge, pie chart)."""
    panel = _panel(kind, title, description, targets, width, height)
    panel["fieldConfig"] = fields
    panel["options"] = {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False}, **options}
    return panel


def stat(
    title: str, description: str, targets: Sequence[Panel], fields: dict[str, Any], *, width: int = 6, height: int = 5
) -> Panel:
    return _single_value(
        "stat",
        title,
        description,
        targets,
        fields,
        width,
        height,
        colorMode="value",
        graphMode="none",
        justifyMode="auto",
        orientation="auto",
        textMode="value_and_name",
    )


STATE_COLOURS = {
    TargetState.MET: "green",
    TargetState.ON_SCHEDULE: "blue",
    TargetState.BEHIND_SCHEDULE: "orange",
    TargetState.MISSED: "red",
    TargetState.TOO_FEW_INQUIRIES: "text",
}


def state_stat(title: str, description: str, expr: str, *, width: int = 6, height: int = 4) -> Panel:
    """A target's state in Danish: the one komhen_target_state series that is 1, named by its `state` label."""
    overrides = [
        {
            "matcher": {"id": "byName", "options": state.value},
            "properties": [
                {"id": "displayName", "value": STATE_NAMES_DA[state]},
                {"id": "color", "value": {"mode": "fixed", "fixedColor": STATE_COLOURS[state]}},
            ],
        }
        for state in TargetState
    ]
    return _single_value(
        "stat",
        title,
        description,
        [query(expr, "{{state}}", instant=True)],
        field_config("none", no_value="ingen data", overrides=overrides),
        width,
        height,
        colorMode="background",
        graphMode="none",
        justifyMode="center",
        orientation="auto",
        textMode="name",
    )


def gauge(
    title: str, description: str, targets: Sequence[Panel], fields: dict[str, Any], *, width: int = 6, height: int = 7
) -> Panel:
    return _single_value(
        "gauge", title, description, targets, fields, width, height, showThresholdLabels=True, showThresholdMarkers=True
    )


def bargauge(
    title: str, description: str, targets: Sequence[Panel], fields: dict[str, Any], *, width: int = 12, height: int = 8
) -> Panel:
    return _single_value(
        "bargauge",
        title,
        description,
        targets,
        fields,
        width,
        height,
        displayMode="gradient",
        orientation="horizontal",
        showUnfilled=True,
    )


def piechart(
    title: str, description: str, targets: Sequence[Panel], fields: dict[str, Any], *, width: int = 8, height: int = 8
) -> Panel:
    return _single_value(
        "piechart",
        title,
        description,
        targets,
        fields,
        width,
        height,
        pieType="donut",
        displayLabels=["name", "percent"],
        legend={"displayMode": "table", "placement": "right", "showLegend": True, "values": ["value", "percent"]},
    )


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


# --- dashboards and links ----------------------------------------------------------------------


def dashboard_links() -> list[dict[str, Any]]:
    """A menu of all komhen dashboards, keeping the time range and the variables (municipality, department)."""
    return [
        {
            "type": "dashboards",
            "title": "Kanalstrategi",
            "tags": [TAGS[0]],
            "asDropdown": True,
            "includeVars": True,
            "keepTime": True,
            "targetBlank": False,
            "icon": "external link",
            "tooltip": "",
            "url": "",
        }
    ]


def municipality_link() -> dict[str, Any]:
    """A data link from a municipality number to its overview (the generic one, which asks for it)."""
    return {
        "title": "Åbn kommunens overblik",
        "url": f"/d/{OVERVIEW_UID}?var-municipality=${{__value.raw}}&${{window:queryparam}}&${{__url_time_range}}",
    }


def department_link() -> dict[str, Any]:
    """A data link from a series with a `department` label to that department's drill-down."""
    return {
        "title": "Åbn afdelingen ${__field.labels.department}",
        "url": f"/d/{DEPARTMENT_UID}?${{municipality:queryparam}}&var-department=${{__field.labels.department}}"
        "&${__url_time_range}",
    }


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
