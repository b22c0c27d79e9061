"""Shipped data, read as package data wherever the package is installed.

The files live once in the repository: the contract schemas in `schemas/`, the example target
files in `deploy/targets/`, the traffic profiles in `deploy/simulator/`, the status report's
reference values in `deploy/reference/` and the source definitions in `deploy/sources/`.
`streams/data/` links to those folders, so a wheel carries them and code reads them with
importlib.resources, never by a path derived from the repository. An operator who wants their
own files points KOMHEN_SCHEMAS_DIR or KOMHEN_DEPLOY_DIR (with `targets/`, `simulator/`,
`reference/`, `sources/` inside) at them.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path
from typing import Any

from streams.contract.texts import text as said
from streams.documents.reading import read_document


def _folder(override_variable: str, shipped: str, below_override: str = "") -> Path:
    override = os.environ.get(override_variable)
    if override:
        return Path(override, below_override)
    folder = files("streams").joinpath("data", shipped)
    if not isinstance(folder, Path):  # a zip import: pip and the Docker image install files
        raise RuntimeError(said("shipped.not_files"))
    return folder


def schemas() -> Path:
    """The folder of contract schemas (JSON Schema, the code table, channel prices, samples)."""
    return _folder("KOMHEN_SCHEMAS_DIR", "schemas")


def schema(name: str) -> Any:
    """A JSON file of the schemas folder, decoded (read within the documents' bounds like any other)."""
    return read_document(schemas() / name, "schema file")


def _shipped_folder(kind: str) -> Path:
    """The folder of a kind of shipped file: targets, reference, simulator or sources."""
    return _folder("KOMHEN_DEPLOY_DIR", kind, kind)


def shipped_document(kind: str, name: str) -> Path | None:
    """The shipped file of `kind` named `name` (`albertslund`, `ishoej.yaml`), or None if there is none."""
    if "/" in name or name.startswith("."):
        return None
    path = _shipped_folder(kind) / f"{name.removesuffix('.yaml')}.yaml"
    return path if path.is_file() else None


def shipped_names(kind: str) -> list[str]:
    """The names of the shipped files of `kind`, sorted: ['albertslund', 'ishoej', …]."""
    return sorted(p.stem for p in _shipped_folder(kind).glob("*.yaml"))


def shipped_targets() -> list[Path]:
    """The example target files (Ishøj, Albertslund, national), sorted by name."""
    return sorted(_shipped_folder("targets").glob("*.yaml"))


def shipped_reference(name: str) -> Path | None:
    """A shipped reference file for status reports (e.g. `landsgennemsnit-2013`), or None if there is none."""
    return shipped_document("reference", name)


def shipped_references() -> list[str]:
    """The names of the shipped reference files, e.g. ['landsgennemsnit-2013']."""
    return shipped_names("reference")


def simulator_profile(name: str = "ishoej.yaml") -> Path:
    """A traffic profile for `komhen simulate` and `komhen demo`."""
    return _shipped_folder("simulator") / name


def shipped_source(name: str) -> Path | None:
    """A shipped source definition (e.g. `os2forms`), or None if there is none by that name."""
    return shipped_document("sources", name)


def shipped_sources() -> list[str]:
    """The names of the shipped source definitions, e.g. ['contact-centre', 'os2forms', …]."""
    return shipped_names("sources")
