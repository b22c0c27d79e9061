"""The KOMHEN code table (schemas/komhen-codes.v1.json) as typed, frozen data.

Every mapping between event values and KOMHEN export codes goes through here, so the
validator, the importer, the exporter, targets and dashboards cannot disagree. The domain
reads no file: the documents layer reads the table once (streams.documents.reference.code_table)
and hands the frozen value to the code that needs it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

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
