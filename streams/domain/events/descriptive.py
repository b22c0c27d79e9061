"""Descriptive fields: what an inquiry was about, never a reason to lose the inquiry.

An inquiry is *counted* by its counting fields (municipality, department, channel and
direction, time, identity and source); those are checked strictly and a bad one rejects the
event. The *descriptive* fields (inquiry type, KLE task, completion, form, duration, the
department's display name) are only read by reports and measures: a value whose meaning is
clear is normalised (`JA` → true, `23.05.10 Flytning` → `23.05.10`), any other implausible
value is dropped, and each of these is a `Finding` that is counted per source, field and
reason — never silent, never a rejection.

>>> form_flag("J"), kle_code("23.05.10 Flytning"), completion_code("straks"), inquiry_type_code(" vejl ", ["VEJL"])
(True, '23.05.10', 'immediate', 'VEJL')
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping, Sequence
from enum import StrEnum
from typing import NamedTuple

from streams.contract.texts import Language, Worded, language, text_in

# In the order of the event schema. A test keeps these equal to the schema's x-field-kind.
DESCRIPTIVE_FIELDS = ("inquiry_type", "kle", "completion", "form", "duration_s", "department_name")


class FindingReason(StrEnum):
    """What was done with an implausible descriptive value; a fixed set, used as a metric label."""

    NORMALISED = "normalised"  # the meaning was clear: rewritten and kept
    WRONG_TYPE = "wrong_type"  # dropped: e.g. a number where a code belongs
    UNKNOWN_CODE = "unknown_code"  # dropped: not one of the field's codes
    INVALID_FORMAT = "invalid_format"  # dropped: not a KLE number, a duration out of range, a blank name
    TOO_LONG = "too_long"  # dropped: longer than the field allows
    OTHER_DEPARTMENT = "other_department"  # dropped: a department_name whose slug is another department
    PERSONAL_DATA = "personal_data"  # dropped unread: it looks like a CPR number (a file's descriptive column)


class Finding(NamedTuple):
    """One implausible descriptive value of one event: the field, what was done, and a sentence.

    The sentence is a key of the catalogue (streams.contract.texts) with its parameters, said only when it is
    shown, like a rejection's (streams.domain.events.inquiry.InvalidEvent).
    """

    field: str
    reason: FindingReason
    key: str
    params: Mapping[str, object]

    @property
    def detail(self) -> str:
        """English, for the SDK and ingest; may quote the value (redact before showing)."""
        return text_in("en", self.key, **self.params)

    def said(self, lang: Language | None = None) -> str:
        """The sentence in `lang`, by default the operator's language."""
        return text_in(lang or language(), self.key, **self.params)

    @property
    def dropped(self) -> bool:
        return self.reason is not FindingReason.NORMALISED


_KLE = re.compile(r"[0-9]{2}\.[0-9]{2}(?:\.[0-9]{2})?\Z")
# A KLE number followed by its title, as some exports write the task: "23.05.10 Flytning".
_KLE_WITH_TITLE = re.compile(r"\s*([0-9]{2}\.[0-9]{2}(?:\.[0-9]{2})?)(?:\s+[^\s0-9.].*)?\s*\Z", re.DOTALL)
_TRUE = frozenset({"ja", "j", "yes", "y", "true", "1", "x"})
_FALSE = frozenset({"nej", "n", "no", "false", "0"})
_COMPLETIONS = {"immediate": "immediate", "straks": "immediate", "forwarded": "forwarded", "hold": "forwarded"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_NAME_LENGTH = 100  # the schema's maxLength of department_name


def kle_code(text: str) -> str | None:
    """The KLE number of `NN.NN.NN` or `NN.NN`, also followed by a title; None if there is none."""
    match = _KLE_WITH_TITLE.match(text)
    return match.group(1) if match else None


def is_kle(text: str) -> bool:
    return _KLE.match(text) is not None


def form_flag(value: object) -> bool | None:
    """true/false from JA/NEJ, J/N, yes/no, true/false, 1/0 (text or number, any case); None if unclear."""
    if type(value) is bool:
        return value
    if type(value) is int and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    return None


def completion_code(text: str) -> str | None:
    """`immediate`/`forwarded` from themselves or KOMHEN's STRAKS/HOLD, any case; None if neither."""
    return _COMPLETIONS.get(text.strip().lower())


def inquiry_type_code(text: str, inquiry_types: Collection[str]) -> str | None:
    """One of the code table's `inquiry_types` in any case and spacing (`vejl` → `VEJL`); None if it is none."""
    code = text.strip().upper()
    return code if code in inquiry_types else None


def _quote(value: object) -> str | Worded:
    if isinstance(value, str):
        return repr(value[:40])
    if isinstance(value, int | float):
        return repr(value)
    return Worded(f"of type {type(value).__name__}", f"af typen {type(value).__name__}")


def descriptive_value(
    name: str, value: object, max_duration: float, inquiry_types: Sequence[str]
) -> tuple[object | None, Finding | None]:
    """The slow path for a descriptive value the fast checks did not accept: (kept value or None, finding).

    `max_duration` and `inquiry_types` (in the code table's order) are the event contract's.
    The value is kept (normalised) when its meaning is clear, else dropped (None); the finding
    says which. `null` means absent and is no finding.
    """
    if value is None:
        return None, None
    kept: object | None = None
    reason = FindingReason.NORMALISED
    if name == "form":
        kept = form_flag(value)
        if kept is None:
            reason = FindingReason.UNKNOWN_CODE if isinstance(value, str) else FindingReason.WRONG_TYPE
        expected = Worded("true or false", "true eller false")
    elif name == "duration_s":
        number = value
        if isinstance(value, str):
            try:
                number = float(value.strip().replace(",", "."))
            except ValueError:
                number = None
        if isinstance(number, bool) or not isinstance(number, int | float) or math.isnan(number):
            reason = FindingReason.WRONG_TYPE if not isinstance(value, str) else FindingReason.INVALID_FORMAT
        elif not 0 <= number <= max_duration:
            reason = FindingReason.INVALID_FORMAT
        else:
            kept = int(number) if float(number).is_integer() else float(number)
        expected = Worded(
            f"a number of seconds from 0 to {max_duration:g}", f"et antal sekunder fra 0 til {max_duration:g}"
        )
    elif not isinstance(value, str):
        reason = FindingReason.WRONG_TYPE
        expected = Worded("text", "tekst")
    elif name == "kle":
        kept = kle_code(value)
        reason = FindingReason.NORMALISED if kept is not None else FindingReason.INVALID_FORMAT
        expected = Worded(
            "a KLE number NN.NN.NN (or NN.NN), e.g. 23.05.10", "et KLE-nummer NN.NN.NN (eller NN.NN), fx 23.05.10"
        )
    elif name == "completion":
        kept = completion_code(value)
        reason = FindingReason.NORMALISED if kept is not None else FindingReason.UNKNOWN_CODE
        expected = Worded("immediate or forwarded (STRAKS or HOLD)", "immediate eller forwarded (STRAKS eller HOLD)")
    elif name == "inquiry_type":
        kept = inquiry_type_code(value, inquiry_types)
        reason = FindingReason.NORMALISED if kept is not None else FindingReason.UNKNOWN_CODE
        expected = Worded("one of " + ", ".join(inquiry_types), "en af " + ", ".join(inquiry_types))
    elif name == "department_name":
        text = value.strip()
        if len(text) > MAX_NAME_LENGTH:
            reason = FindingReason.TOO_LONG
        elif not text or _CONTROL.search(text):
            reason = FindingReason.INVALID_FORMAT
        else:
            kept = text
        expected = Worded(
            f"a name of 1 to {MAX_NAME_LENGTH} characters without control characters",
            f"et navn på 1 til {MAX_NAME_LENGTH} tegn uden kontroltegn",
        )
    else:
        raise ValueError(f"{name} is not a descriptive field")
    if kept is not None:
        return kept, Finding(
            name, reason, "finding.read_as", {"name": name, "value": _quote(value), "kept": repr(kept)}
        )
    return None, Finding(name, reason, "finding.left_out", {"name": name, "value": _quote(value), "expected": expected})
