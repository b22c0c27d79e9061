"""The words an import uses for its reasons and findings, in Danish (the default) and English.

A module of its own so that the operator-facing vocabulary of an import is read and changed in
one place; the rows' own sentences stand where each rejection is made.
"""

from __future__ import annotations

from streams.domain.events.descriptive import FindingReason
from streams.domain.events.inquiry import InvalidEvent, Reason

# Danish words for the reasons a rejection can give (an import's, publish's and a source's lines; the English
# lines name the reason by its code, as the dead letters and the metrics do).
REASONS_DA = {
    Reason.MALFORMED_JSON: "ugyldig JSON",
    Reason.TOO_LARGE: "for stor",
    Reason.UNSUPPORTED_VERSION: "ukendt skemaversion",
    Reason.UNKNOWN_FIELD: "ukendt felt",
    Reason.WRONG_TYPE: "forkert type",
    Reason.KEY_MISMATCH: "nøglen passer ikke til hændelsen",
    Reason.SOURCE_NOT_ALLOWED: "kilden må ikke skrive for kommunen",
    Reason.UNPROCESSABLE: "kunne ikke behandles",
    Reason.MISSING_FIELD: "tomt felt",
    Reason.INVALID_FORMAT: "ugyldigt format",
    Reason.UNKNOWN_CODE: "ukendt kode",
    Reason.DIRECTION_NOT_ALLOWED: "retning ikke tilladt for kanalen",
    Reason.PERSONAL_DATA: "ligner et CPR-nummer",
    Reason.FUTURE_TIMESTAMP: "dato i fremtiden",
    Reason.TOO_OLD: "ældre end opbevaringstiden",
    Reason.TOO_LONG: "for langt felt",
}
FINDINGS_DA = {
    FindingReason.NORMALISED: "rettet",
    FindingReason.UNKNOWN_CODE: "udeladt, ukendt kode",
    FindingReason.INVALID_FORMAT: "udeladt, ugyldigt format",
    FindingReason.WRONG_TYPE: "udeladt, forkert type",
    FindingReason.TOO_LONG: "udeladt, for lang",
    FindingReason.OTHER_DEPARTMENT: "udeladt, navn på en anden afdeling",
    FindingReason.PERSONAL_DATA: "udeladt, ligner et CPR-nummer",
}
FINDINGS_EN = {
    FindingReason.NORMALISED: "normalised",
    FindingReason.UNKNOWN_CODE: "left out, unknown code",
    FindingReason.INVALID_FORMAT: "left out, invalid format",
    FindingReason.WRONG_TYPE: "left out, wrong type",
    FindingReason.TOO_LONG: "left out, too long",
    FindingReason.OTHER_DEPARTMENT: "left out, the name of another department",
    FindingReason.PERSONAL_DATA: "left out, looks like a CPR number",
}
_COLUMNS_DA = {"municipality": "Kommune", "department": "Enhed", "department_name": "Enhed", "occurred_at": "Dato"}


def reason_da(reason: Reason) -> str:
    return REASONS_DA.get(reason, reason.value)


def danish(e: InvalidEvent) -> str:
    """A Danish sentence for a rejection parse_event gave a mapped row."""
    column = _COLUMNS_DA.get(e.field or "", e.field or "rækken")
    if e.reason is Reason.PERSONAL_DATA:
        return f"{column} indeholder noget, der ligner et CPR-nummer; filen må ikke indeholde personoplysninger"
    if e.reason is Reason.FUTURE_TIMESTAMP:
        return f"{column} ligger mere end 5 minutter efter tidspunktet for importen; ret datoen"
    return f"{column}: {reason_da(e.reason)}"
