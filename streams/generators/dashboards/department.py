"""Afdeling: drill-down into one department (or `_all`, the whole municipality) of any municipality."""

from __future__ import annotations

from streams.contract import names
from streams.contract.danish import (
    ANSWER_RATE_DA,
    COMPLETION_RATE_DA,
    FIRST_CONTACT_DA,
    STATE_NAMES_DA,
    WINDOW_NAMES_DA,
)
from streams.contract.identifiers import ALL_DEPARTMENTS
from streams.domain.measures.progress import TargetState
from streams.generators.dashboards import queries
from streams.generators.dashboards.defaults import DEPARTMENT_UID, Dashboard, Panel, directions_da
from streams.generators.dashboards.layout import dashboard
from streams.generators.dashboards.panels import (
    WHOLE_NUMBERS,
    bargauge,
    channel_mix,
    channel_overrides,
    columns_table,
    direction_overrides,
    field_config,
    organize,
    override,
    piechart,
    query,
    ref_id,
    row,
    steps,
    table,
    value_mappings,
)
from streams.generators.dashboards.queries import selector
from streams.generators.dashboards.variables import query_variable, window_variable

SCOPE = {"municipality": "$municipality", "department": "$department"}
# The columns of the targets table: (Danish column, metric), by target; None: joined for its labels only.
TARGET_COLUMNS = (
    ("Nu", names.TARGET_ACTUAL),
    ("Mål", names.TARGET_THRESHOLD),
    ("Planen i dag", names.TARGET_EXPECTED),
    ("Nået", names.TARGET_MET),
)
# The counts behind the two service rates, as columns of one table row: (Danish column, query).
SERVICE_COLUMNS = (
    ("Besvarede opkald", queries.incoming("phone", "$window", **SCOPE)),
    ("Afbrudte opkald", queries.service_events("call_abandoned", "$window", **SCOPE)),
    ("Gennemførte selvbetjeninger", queries.incoming("self_service", "$window", **SCOPE)),
    ("Påbegyndte forsøg", queries.service_events("selfservice_started", "$window", **SCOPE)),
    ("Afbrudte forsøg", queries.service_events("selfservice_abandoned", "$window", **SCOPE)),
)


def shares_row() -> list[Panel]:
    """Channel shares of each direction in every window side by side: is the mix moving?"""
    panels: list[Panel] = [row("Kanalandele pr. vindue")]
    for direction, da in directions_da().items():
        for window, window_da in WINDOW_NAMES_DA.items():
            expr = queries.channel_shares(direction, window, **SCOPE)
            panels.append(
                bargauge(
                    f"{da.capitalize()}, {window_da.lower()}",
                    f"Hver kanals andel af afdelingens {da} henvendelser over {window_da.lower()}.",
                    [query(expr, "{{channel}}", instant=True)],
                    field_config("percentunit", minimum=0, maximum=1, overrides=channel_overrides()),
                    width=6,
                    height=9,
                )
            )
    return panels


def trend_row() -> list[Panel]:
    panels: list[Panel] = [row("Udvikling og retning")]
    for direction, da in directions_da().items():
        panels.append(
            channel_mix(
                f"Kanalmiks over tid, {da}",
                f"Kanalandele af afdelingens {da} henvendelser i vinduet ($window), over tid.",
                queries.channel_shares(direction, "$window", **SCOPE),
                width=8,
            )
        )
    split = f"sum by (direction) ({names.WINDOW_INQUIRIES}{selector(**SCOPE, window='$window')})"
    panels.append(
        piechart(
            "Indgående og udgående",
            "Afdelingens henvendelser i vinduet fordelt på retning.",
            [query(split, "{{direction}}", instant=True)],
            field_config("short", decimals=0, overrides=direction_overrides()),
            height=9,
        )
    )
    counts = f"sum by (channel, direction) ({names.WINDOW_INQUIRIES}{selector(**SCOPE, window='$window')}) > 0"
    panels.append(
        table(
            "Henvendelser pr. kanal og retning",
            "Antal henvendelser i vinduet pr. kanal og retning (kanaler uden henvendelser er udeladt).",
            [query(counts, ref="A", instant=True, table=True)],
            field_config("short", decimals=0),
            transformations=[organize({"channel": "Kanal", "direction": "Retning", "Value": "Henvendelser"})],
            height=8,
        )
    )
    return panels


def _rate_per_window(metric: str, title: str, definition: str, no_value: str) -> Panel:
    """A service rate of the department in every window, one bar per window (7 dage … år til dato)."""
    return bargauge(
        title,
        f"{definition} Én bjælke pr. rullende vindue.",
        [
            query(queries.service_rate(metric, window, **SCOPE), window_da, ref=ref_id(i), instant=True)
            for i, (window, window_da) in enumerate(WINDOW_NAMES_DA.items())
        ],
        field_config(
            "percentunit", thresholds=steps(("blue", None)), minimum=0, maximum=1, decimals=1, no_value=no_value
        ),
        width=12,
        height=8,
    )


def answer_rate_panel() -> Panel:
    return _rate_per_window(queries.ANSWER_RATE, "Besvarelsesprocent, telefon", ANSWER_RATE_DA, "ingen opkald")


def completion_rate_panel() -> Panel:
    return _rate_per_window(
        queries.COMPLETION_RATE,
        "Gennemførelsesgrad for selvbetjening",
        COMPLETION_RATE_DA,
        "ingen påbegyndte forsøg",
    )


def first_contact_panel() -> Panel:
    return _rate_per_window(
        queries.FIRST_CONTACT, "Straksafklaringsgrad", FIRST_CONTACT_DA, "ingen henvendelser med afslutning"
    )


def service_counts_panel() -> Panel:
    """The numerators and denominators of both rates in the chosen window, as one table row."""
    return columns_table(
        "Opkald og selvbetjeningsforsøg i vinduet",
        "Tallene bag besvarelsesprocenten og gennemførelsesgraden i vinduet ($window): besvarede (eller lagt på "
        "telefonsvarer) og afbrudte indgående opkald; gennemførte selvbetjeninger, påbegyndte og afbrudte forsøg. "
        "Et afbrudt forsøg er også talt som påbegyndt. Afbrudte opkald og forsøg er ikke henvendelser.",
        SERVICE_COLUMNS,
        field_config("short", decimals=0),
        height=4,
    )


def service_row() -> list[Panel]:
    """Telephone answer rate and self-service completion rate, with the counts they come from."""
    return [
        row("Service: telefon, selvbetjening og straksafklaring"),
        answer_rate_panel(),
        completion_rate_panel(),
        first_contact_panel(),
        service_counts_panel(),
    ]


def targets_row() -> list[Panel]:
    """Every target whose scope is this department, as one table row each."""
    by_target = [(da, f"max by (target) ({metric}{selector(**SCOPE)})") for da, metric in TARGET_COLUMNS]
    info = f"max by (target, title, comparator, window, owner) ({names.TARGET_INFO}{selector(**SCOPE)})"
    state = f"max by (target, state) ({names.TARGET_STATE}{selector(**SCOPE)} == 1)"
    columns = [
        *by_target,
        (None, info),
        ("Henvendelser", f"max by (target) ({names.TARGET_INQUIRIES}{selector(**SCOPE)})"),
        ("Mindst", f"max by (target) ({names.TARGET_MIN_INQUIRIES}{selector(**SCOPE)})"),
        (None, state),
    ]
    labels = {
        "target": "Mål-id",
        "title": "Mål",
        "comparator": "Retning",
        "window": "Vindue",
        "owner": "Ansvarlig",
        names.LABEL_STATE: "Status",
    }
    return [
        row("Afdelingens mål"),
        columns_table(
            "Mål for afdelingen",
            "Målene fra målfilerne, hvis omfang er denne afdeling (hele kommunen: _all; også mål med et mønster "
            "som *), med tallet nu, målet, glidestiens værdi i dag, status og de henvendelser, vurderingen hviler "
            "på. Under minimummet er status 'for få henvendelser': ingen vurdering, ingen alarm og intet tal nu. "
            "Tom, hvis ingen målfil dækker afdelingen.",
            columns,
            field_config(
                "percentunit",
                decimals=1,
                overrides=[
                    override("Nået", {"unit": "bool_yes_no"}),
                    override("Henvendelser", WHOLE_NUMBERS),
                    override("Mindst", WHOLE_NUMBERS),
                    override("Status", {"mappings": value_mappings({s.value: STATE_NAMES_DA[s] for s in TargetState})}),
                ],
            ),
            labels=labels,
        ),
    ]


# Grafana writes each line of query_result() as {label="value",...} value timestamp, labels sorted by
# name; the named groups pick the variable's value (the slug the queries use) and its text.
DEPARTMENT_CHOICE = '/department="(?<value>[^"]+)",department_name="(?<text>[^"]+)"/'


def department_choices() -> str:
    """Every department of the municipality by its display name, and the whole municipality (_all)."""
    info = f'{names.DEPARTMENT_INFO}{{municipality="$municipality"}}'
    whole = f'{names.WINDOW_INQUIRIES}{{municipality="$municipality",department="{ALL_DEPARTMENTS}"}}'
    return (
        f"query_result(max by (department, department_name) (topk by (department) (1, {info})) "
        f'or label_replace(max by (department) ({whole}), "department_name", "Hele kommunen", "", ""))'
    )


def department() -> Dashboard:
    municipality = query_variable(
        "municipality", "Kommune", f"label_values({names.WINDOW_INQUIRIES}, municipality)", "Kommunens nummer."
    )
    department_var = query_variable(
        "department",
        "Afdeling",
        department_choices(),
        "Afdelingen ved sit navn (værdien er dens kode, fx boern-og-unge); Hele kommunen er _all.",
        regex=DEPARTMENT_CHOICE,
    )
    return dashboard(
        DEPARTMENT_UID,
        "Afdeling",
        "Én afdelings kanalandele, retning, service (besvarelse og selvbetjening) og mål. Genereret af komhen "
        "dashboards build; ret koden (streams/dashboards), ikke filen.",
        [municipality, department_var, window_variable("28d")],
        [*shares_row(), *trend_row(), *service_row(), *targets_row()],
        time_from="now-30d",
        refresh="5m",
    )
