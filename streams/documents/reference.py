"""The shipped tables as frozen domain values, each read once per process: the KOMHEN code table,
the 98 municipalities, the event contracts and KL's channel prices.

The domain reads no file. Its reference data is handed to it as values: the code that needs a
table asks for it here (the worker, the ingest, the generators, the commands) and passes it on,
to an `EventParser`, a `MeasureBook`, a report request. A lazily read singleton inside the domain
would still be I/O in the domain; reading here, once, keeps the domain a function of its inputs
and lets a test hand it any table it likes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import Any

from streams.documents.shipped import schema
from streams.domain.events.codes import Channel, CodeTable, InquiryType
from streams.domain.events.inquiry import EventContract
from streams.domain.measures.measures import MeasureBook
from streams.domain.organisation.municipalities import Municipalities, Municipality, Region


@cache
def code_table() -> CodeTable:
    """The KOMHEN code table (schemas/komhen-codes.v1.json), its import aliases cross-checked."""
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


@cache
def municipality_table() -> Municipalities:
    """The 98 municipalities and the five regions (schemas/municipalities.v1.json)."""
    raw = schema("municipalities.v1.json")
    regions = {key: Region(key, r["code"], r["name"]) for key, r in raw["regions"].items()}
    try:
        return Municipalities.of(
            regions.values(),
            (
                Municipality(m["number"], m["name"], regions[m["region"]], tuple(m["aliases"]), m.get("official"))
                for m in raw["municipalities"]
            ),
        )
    except ValueError as exc:
        raise ValueError(f"municipalities.v1.json: {exc}") from None


@cache
def channel_prices() -> Mapping[str, float]:
    """KL's 2011 price per inquiry (DKK) of the channels that have one (schemas/channel-prices.v1.json)."""
    raw = schema("channel-prices.v1.json")
    return MappingProxyType({name: float(p["dkk"]) for name, p in raw["prices"].items() if p["dkk"] is not None})


@cache
def measure_book() -> MeasureBook:
    """The measures' defaults and prices, from the code table and KL's prices."""
    return MeasureBook.of(code_table(), channel_prices())


@cache
def event_contract() -> EventContract:
    """The inquiry and service-event contracts (schemas/inquiry-event.v1.json, service-event.v1.json)."""
    inquiry, service = schema("inquiry-event.v1.json"), schema("service-event.v1.json")
    props: dict[str, Any] = inquiry["properties"]
    codes = code_table()
    return EventContract(
        required=tuple(inquiry["required"]),
        allowed=frozenset(props),
        patterns=MappingProxyType({k: _ecma_pattern(v["pattern"]) for k, v in props.items() if "pattern" in v}),
        expected=MappingProxyType({k: v["x-expected"] for k, v in props.items() if "pattern" in v}),
        expected_da=MappingProxyType({k: v["x-expected-da"] for k, v in props.items() if "pattern" in v}),
        max_length=MappingProxyType({k: v["maxLength"] for k, v in props.items() if "maxLength" in v}),
        max_duration=float(props["duration_s"]["maximum"]),
        channel_directions=MappingProxyType({c.name: frozenset(c.directions) for c in codes.channels.values()}),
        directions=frozenset(codes.direction_names),
        municipalities=frozenset(municipality_table().by_number),
        inquiry_types=tuple(codes.inquiry_types),
        completions=frozenset(codes.completion_codes),
        service_required=tuple(service["required"]),
        service_allowed=frozenset(service["properties"]),
    )


def _ecma_pattern(pattern: str) -> re.Pattern[str]:
    # JSON Schema patterns are ECMA-262: '$' is the very end. Python's '$' also matches
    # before a final newline, so anchor with \Z.
    return re.compile(pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern)
