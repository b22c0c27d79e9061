"""What every dashboard shares: the datasource, folder, tags, uids, grid, colours and the names shown.

Decided once here, so each dashboard module only assembles (grafana-foundation-sdk's `common.py`
habit, in plain data: Grafana's JSON model is the contract, not a library).
"""

from __future__ import annotations

from typing import Any

from streams.contract.danish import WHOLE_COUNTRY_DA, WHOLE_MUNICIPALITY_DA
from streams.contract.identifiers import ALL_DEPARTMENTS, NATIONAL
from streams.documents.reference import code_table, municipality_table
from streams.domain.measures.progress import TargetState

Panel = dict[str, Any]
Dashboard = dict[str, Any]

SCHEMA_VERSION = 39  # Grafana 10.x / 11.x dashboard model
DATASOURCE_UID = "komhen-prometheus"  # provisioned in deploy/grafana/provisioning/datasources
DATASOURCE_NAME = "Prometheus (komhen)"
DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}
FOLDER = "Kanalstrategi"
TAGS = ("komhen", "kanalstrategi")
WORKER_JOB = "komhen-worker"
GRID_WIDTH = 24
DAYS_PER_MONTH = 30.4375  # 365.25 / 12: the monthly cost is the 28-day cost scaled to an average month

OVERVIEW_UID = "komhen-overblik"
DEPARTMENT_UID = "komhen-afdeling"
OPERATIONS_UID = "komhen-drift"
NATIONAL_UID = "komhen-landsoversigt"

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
STATE_COLOURS = {
    TargetState.MET: "green",
    TargetState.ON_SCHEDULE: "blue",
    TargetState.BEHIND_SCHEDULE: "orange",
    TargetState.MISSED: "red",
    TargetState.TOO_FEW_INQUIRIES: "text",
}


def municipality_name(number: str) -> str:
    """'Ishøj (183)' from the municipality table; 'kommune 999' for a number not in it; 'hele landet'."""
    if number == NATIONAL:
        return WHOLE_COUNTRY_DA
    return municipality_table().label_of(number)


def municipality_names() -> dict[str, str]:
    """Every municipality of the table by number, as 'Ishøj (183)' (value mappings, series names)."""
    return {m.number: m.label for m in municipality_table().all()}


def department_name(department: str) -> str:
    return WHOLE_MUNICIPALITY_DA if department == ALL_DEPARTMENTS else department


def directions_da() -> dict[str, str]:
    """Each direction as an adjective ('in': 'indgående'), from the code table's Danish names."""
    return {direction: name.lower() for direction, name in code_table().direction_names.items()}
