"""What reading a row gives: an event (`Imported`, with its findings) or a `RejectedRow`, with where it is and why.

A module of its own because these values outlive the file they came from: the summary counts
them, the CLI prints them, and the source adapters reject their records as `RejectedRow` too.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

from streams.contract.texts import Worded
from streams.domain.events.descriptive import FindingReason
from streams.domain.events.inquiry import InvalidEvent, Reason
from streams.domain.events.privacy import redact
from streams.ingress.komhen.texts import reason_da

Language = Literal["da", "en"]


@dataclass(frozen=True, slots=True)
class RowFinding:
    """A descriptive value of a counted row that was normalised (`kept` is what it became) or left out."""

    field: str  # the event field: kle, inquiry_type, completion, form, duration_s, department_name
    reason: FindingReason
    value: str  # as the file has it (at most 40 characters)
    kept: str | None = None


@dataclass(frozen=True, slots=True)
class Imported:
    """A row mapped to an event; `event` is schema v1 JSON, already checked by parse_event."""

    file: str
    line: int
    event: dict[str, Any]
    findings: tuple[RowFinding, ...] = ()


@dataclass(frozen=True, slots=True)
class RejectedRow:
    """A row (or a source record) that cannot be counted, with where it is and why.

    `detail` is English; rows of KOMHEN files also carry `detail_da` and the counting `field`, a record a
    source adapter rejected carries its `error`, said in the language of the line only when it is shown.
    """

    file: str
    line: int
    reason: Reason
    detail: str
    detail_da: str | None = None
    field: str | None = None
    error: InvalidEvent | None = dataclasses.field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, file: str, line: int, error: InvalidEvent) -> RejectedRow:
        """The rejection of a record the event contract or its adapter refused."""
        return cls(file, line, error.reason, error.detail, field=error.field, error=error)

    @classmethod
    def not_json(cls, file: str, line: int, e: ValueError, english: str | None = None) -> RejectedRow:
        """A record that is not JSON: in English with the parser's sentence (or `english`), in Danish where it
        breaks (the parser's words are English)."""
        lineno, column = getattr(e, "lineno", None), getattr(e, "colno", None)
        if column is None:
            danish = str(e)
        elif lineno is not None and lineno > 1 and english is None:
            danish = f"linje {lineno}, kolonne {column}"
        else:
            danish = f"kolonne {column}"
        error = Worded(english or str(e), danish)
        return cls.of(file, line, InvalidEvent(Reason.MALFORMED_JSON, "rejected.not_json", error=error))

    def detail_in(self, language: Language) -> str | None:
        """What is wrong, in `language`; None where the row has no Danish sentence (English only)."""
        if language == "en":
            return self.detail
        return self.error.said("da") if self.error is not None else self.detail_da

    def format(self, language: Language = "en") -> str:
        """One line: file, line, reason and what is wrong (CPR-like numbers removed)."""
        if language == "da" and (detail_da := self.detail_in("da")) is not None:
            return redact(f"{self.file}:{self.line}: afvist ({reason_da(self.reason)}): {detail_da}")
        return redact(f"{self.file}:{self.line}: {self.reason.value}: {self.detail}")


RowResult = Imported | RejectedRow
