"""The KOMHEN code table (schemas/komhen-codes.v1.json) as typed, frozen data.

Every mapping between event values and KOMHEN export codes goes through here, so the
validator, the importer, the exporter, targets and dashboards cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from streams.documents.shipped import schema

DIRECTIONS = ("in", "out")


@dataclass(frozen=True)
class Channel:
    """A KOMHEN channel with the directions it allows and its export codes."""

    name: str
    da: str
    digital: bool
    paper: bool
    expensive: bool
    immediate_allowed: bool
    codes: Mapping[str, str]

    @property
    def directions(self) -> tuple[str, ...]:
        return tuple(d for d in DIRECTIONS if d in self.codes)


@dataclass(frozen=True)
class InquiryType:
    code: str
    da: str
    group: str  # "transaction" (OPRET, STATUS) or "information"


@dataclass(frozen=True)
class CodeTable:
    channels: Mapping[str, Channel]
    inquiry_types: Mapping[str, InquiryType]
    direction_names: Mapping[str, str]
    completion_codes: Mapping[str, str]  # immediate -> STRAKS
    form_codes: Mapping[bool, str]  # True -> JA
    by_export_code: Mapping[str, tuple[str, str]]  # TLFIND -> (phone, in), aliases included

    def export_code(self, channel: str, direction: str) -> str:
        """The code KL's upload layout expects for a channel and direction."""
        return self.channels[channel].codes[direction]

    def channel_directions(self) -> tuple[tuple[str, str], ...]:
        """Every allowed (channel, direction) pair, in table order."""
        return tuple((c.name, d) for c in self.channels.values() for d in c.directions)


@cache
def code_table() -> CodeTable:
    """Load and cross-check the code table once per process."""
    raw = schema("komhen-codes.v1.json")
    channels = {
        name: Channel(
            name=name,
            da=c["da"],
            digital=c["digital"],
            paper=c["paper"],
            expensive=c["expensive"],
            immediate_allowed=c["immediate_allowed"],
            codes=MappingProxyType(dict(c["codes"])),
        )
        for name, c in raw["channels"].items()
    }
    by_code: dict[str, tuple[str, str]] = {}
    for ch in channels.values():
        for direction, code in ch.codes.items():
            by_code[code] = (ch.name, direction)
    for code, alias in raw["import_aliases"].items():
        if code.startswith("$"):
            continue
        if alias["direction"] not in channels[alias["channel"]].codes:
            raise ValueError(f"code table: alias {code} names a direction its channel does not allow")
        by_code[code] = (alias["channel"], alias["direction"])
    return CodeTable(
        channels=MappingProxyType(channels),
        inquiry_types=MappingProxyType(
            {k: InquiryType(k, v["da"], v["group"]) for k, v in raw["inquiry_types"].items()}
        ),
        direction_names=MappingProxyType({k: v["da"] for k, v in raw["directions"].items()}),
        completion_codes=MappingProxyType({k: v["code"] for k, v in raw["completion"].items()}),
        form_codes=MappingProxyType({k == "true": v["code"] for k, v in raw["form"].items()}),
        by_export_code=MappingProxyType(by_code),
    )
