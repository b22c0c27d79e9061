"""Units and reference files of the status report: read, checked against their JSON Schemas
(schemas/report-units.v1.json, schemas/report-reference.v1.json) and mapped to the values of
streams.domain.report.inputs. A file is refused as a whole, with every problem named; a report
holds no personal data, so a CPR-like number anywhere in one is a problem too.
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType
from typing import Any

from streams.contract.texts import text as said
from streams.documents.problems import Problem, field_path, one_line
from streams.documents.reading import DocumentError, read_document
from streams.documents.validation import schema_problems
from streams.domain.events.privacy import CPR_RE
from streams.domain.report.inputs import DisplayNames, Group, Reference, ReportInputError, Units


def _texts(data: Any, where: tuple[str | int, ...] = ()) -> list[tuple[str, str]]:
    """(field path, text) of every string in a decoded YAML document."""
    if isinstance(data, str):
        return [(field_path(where), data)]
    if isinstance(data, dict):
        return [t for k, v in data.items() for t in _texts(v, (*where, str(k)))]
    if isinstance(data, list):
        return [t for i, v in enumerate(data) for t in _texts(v, (*where, i))]
    return []


def _read(path: Path, kind: str, schema_name: str) -> Any:
    try:
        data = read_document(path, kind)
    except DocumentError as exc:
        raise ReportInputError(str(exc)) from None
    problems: list[Problem] = schema_problems(schema_name, data)
    problems += [(where, said("report_input.cpr")) for where, text in _texts(data) if CPR_RE.search(text)]
    if problems:
        raise ReportInputError(one_line(str(path), problems))
    return data


def load_reference(path: Path) -> Reference:
    """Read a reference file, or raise ReportInputError naming every problem."""
    data = _read(path, "reference file", "report-reference.v1.json")
    return Reference(
        name=data["name"],
        values=MappingProxyType({k: float(v) for k, v in data["values"].items()}),
        source=data.get("source"),
    )


def load_units(path: Path, municipality: str | None = None) -> Units:
    """Read a units file; refuse one written for another municipality than `municipality`."""
    data = _read(path, "units file", "report-units.v1.json")
    if municipality is not None and data.get("municipality") not in (None, municipality):
        theirs = data["municipality"]
        raise ReportInputError(f"{path}: " + said("report_input.other_municipality", theirs=theirs, ours=municipality))
    return Units(
        municipality=data.get("municipality"),
        names=DisplayNames(data.get("municipality_name"), MappingProxyType(dict(data.get("departments", {})))),
        groups=MappingProxyType(
            {gid: Group(g["name"], tuple(g["departments"])) for gid, g in data.get("groups", {}).items()}
        ),
    )
