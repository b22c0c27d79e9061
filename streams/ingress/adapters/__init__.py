"""Source adapters: telephony, web self-service, Digital Post / print, the reception queue system, the systems'
own formats (MeMo for Digital Post, Asterisk CDR, Microsoft Teams call records; native.py holds what they
share), and any system a source-mapping document describes (shipped: OS2forms, Qmatic, contact-centre exports).

Each maps its system's native records to inquiry events (schemas/inquiry-event.v1.json) or service
events (schemas/service-event.v1.json); base.py holds what they share. ADAPTERS names the hand-written
ones by source; `source_adapter` finds any source by name or mapping file.
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo

from streams.contract.errors import UnusableInput
from streams.contract.texts import text
from streams.documents.shipped import shipped_source, shipped_sources
from streams.documents.source_mappings import load_definition
from streams.domain.sources.units import SourceMapping
from streams.ingress.adapters import asterisk, declarative, digitalpost, memo, reception, selfservice, teams, telephony
from streams.ingress.adapters.base import Adapter

_HAND_WRITTEN = (telephony, selfservice, digitalpost, reception, memo, asterisk, teams)
ADAPTERS = MappingProxyType({module.ADAPTER.source: module.ADAPTER for module in _HAND_WRITTEN})


def source_names() -> list[str]:
    """Every source `komhen source NAME` knows by name: hand-written and shipped definitions."""
    return sorted({*ADAPTERS, *shipped_sources()})


def source_adapter(name: str, *, tz: ZoneInfo) -> tuple[Adapter, SourceMapping | None]:
    """The adapter of a source name or source-mapping file, and the units its definition carries (if any)."""
    if name in ADAPTERS:
        return ADAPTERS[name], None
    shipped = shipped_source(name) if "/" not in name and not name.endswith((".yaml", ".yml")) else None
    path = shipped or Path(name)
    if shipped is None and not path.is_file():
        raise UnusableInput(text("shipped.unknown.sources", name=name, names=", ".join(source_names())))
    definition = load_definition(path, tz=tz)
    return declarative.adapter(definition), definition.units
