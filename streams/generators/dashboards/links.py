"""Links between the dashboards: the menu of all of them, and data links from a municipality or a department.

Each keeps the time range and passes the variables on, so a click keeps what is being looked at.
"""

from __future__ import annotations

from typing import Any

from streams.generators.dashboards.defaults import DEPARTMENT_UID, OVERVIEW_UID, TAGS


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


def municipality_link_by_label() -> dict[str, str]:
    """A data link from a series labelled with a municipality to its overview."""
    return {
        "title": "Åbn kommunens overblik",
        "url": f"/d/{OVERVIEW_UID}?var-municipality=${{__field.labels.municipality}}&${{window:queryparam}}"
        "&${__url_time_range}",
    }


def department_cell_link() -> dict[str, str]:
    """A data link from a table cell holding a department's slug to its drill-down, in the same window."""
    return {
        "title": "Åbn afdelingen",
        "url": f"/d/{DEPARTMENT_UID}?${{municipality:queryparam}}&var-department=${{__value.raw}}"
        "&${window:queryparam}&${__url_time_range}",
    }
