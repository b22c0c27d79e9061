"""The sources registry (schemas/source-registry.v1.json): which municipalities each source may write for.

Read like every document (bounded, strict YAML), checked by the schema and against the 98
municipality numbers, and mapped to a `SourceRegistry`. The file holds no secret: the workers
read it (KOMHEN_SOURCE_REGISTRY) without ever seeing a token, the ingest checks its tokens
against it, and `komhen kubernetes` makes a KafkaUser for each source it lists.

`source_registry(settings)` is the one place that says what holds without a file: the
deployment's one municipality (KOMHEN_MUNICIPALITY) for every source, or, with neither, every
source for every municipality.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from streams.contract.texts import text as said
from streams.documents.problems import Problem, excerpt, field_name, one_line
from streams.documents.reading import DocumentError, read_document
from streams.documents.reference import municipality_table
from streams.documents.settings import ConfigError, Settings, env_name
from streams.documents.validation import schema_problems
from streams.domain.organisation.municipalities import COUNT
from streams.domain.organisation.source_registry import SourceRegistry

SCHEMA = "source-registry.v1.json"


class RegistryFileError(ConfigError):
    """The sources registry cannot be used; the message names the file, the source and the problem."""


def municipality_problems(where: str, value: Any) -> list[Problem]:
    """What is wrong with a list of municipality numbers at `where` (a field path), in words; [] if nothing.

    Shared with the tokens file, whose municipalities follow the same rule.
    """
    if value == []:
        return [(where, said("registry.empty"))]
    if not isinstance(value, list):
        return [(where, said("registry.not_a_list", value=excerpt(value)))]
    table = municipality_table()
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, number in enumerate(value):
        if not isinstance(number, str):
            problems.append((f"{where}[{i}]", said("registry.quotes", value=excerpt(number))))
        elif not table.is_number(number):
            problems.append((f"{where}[{i}]", said("registry.not_a_municipality", value=excerpt(number), count=COUNT)))
        elif number in seen:
            problems.append((f"{where}[{i}]", said("registry.twice", number=number)))
        else:
            seen.add(number)
    return problems


def load_source_registry(path: Path, municipality: str = "") -> SourceRegistry:
    """Read and check the registry; with `municipality` (KOMHEN_MUNICIPALITY), every grant must be that one."""
    try:
        data = read_document(path, "sources registry")
    except DocumentError as exc:
        raise RegistryFileError(str(exc)) from None
    if not isinstance(data, dict) or not data:
        raise RegistryFileError(f"{path}: {said('registry.not_a_mapping')}")
    problems: list[Problem] = []
    for source, entry in data.items():
        if isinstance(entry, dict) and "municipalities" in entry:
            problems += municipality_problems(f"{field_name(source)}.municipalities", entry["municipalities"])
    problems = problems or schema_problems(SCHEMA, data)  # the numbers first: their sentences say more
    if problems:
        raise RegistryFileError(one_line(str(path), problems))
    registry = SourceRegistry.of({source: entry["municipalities"] for source, entry in data.items()})
    if municipality:
        _within(registry, municipality, str(path))
    return registry


def _within(registry: SourceRegistry, municipality: str, name: str) -> None:
    for source in registry.sources:
        others = sorted(registry.grants[source] - {municipality})
        if others:
            raise RegistryFileError(
                f"{name}: "
                + said(
                    "registry.outside",
                    source=repr(source),
                    other=others[0],
                    municipality=municipality,
                    variable=env_name("municipality"),
                )
            )


def source_registry(settings: Settings) -> SourceRegistry:
    """The registry every writer is held to: the file KOMHEN_SOURCE_REGISTRY names; without one, every source
    for KOMHEN_MUNICIPALITY alone; without that either, every source for every municipality (open)."""
    if settings.municipality and not municipality_table().is_number(settings.municipality):
        raise ConfigError(  # as the settings say a setting's problem: "<origin>: <setting> (<variable>) <problem>"
            f"{said('settings.configuration')}: municipality ({env_name('municipality')}) "
            + said("registry.municipality_setting", value=excerpt(settings.municipality), count=COUNT)
        )
    if settings.source_registry:
        return load_source_registry(Path(settings.source_registry), settings.municipality)
    if settings.municipality:
        return SourceRegistry.single(settings.municipality)
    return SourceRegistry.open()


def describe(registry: SourceRegistry) -> str:
    """What the registry lets through, in one line for the start-up log."""
    if registry.is_open:
        return said("registry.open", registry=env_name("source_registry"), municipality=env_name("municipality"))
    if not registry.grants and registry.others is not None:
        return said("registry.single", numbers=_listed(registry.others), variable=env_name("municipality"))
    sources = ", ".join(f"{s} ({_listed(registry.grants[s])})" for s in registry.sources[:10])
    return said(
        "registry.listed", n=len(registry.grants), sources=sources + (" …" if len(registry.grants) > 10 else "")
    )


def _listed(numbers: Iterable[str]) -> str:
    return ", ".join(sorted(numbers))
