"""The status report's exact-numbers fixture: Ishøj (183), counting weeks 45–47 2015 and the three weeks before.

One spec, two forms of the same inquiries: the KOMHEN export file `tests/data/status/ishoej-uge42-47.csv`
(TraceTool layout, Latin-1, CRLF, trailing `;`, one line per inquiry as bulk registrations are) and
inquiry events. Every figure the report shows is worked out by hand in
`tests/data/status/README.md` and asserted in tests/unit/test_status_report.py.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple

from tests.factories import REPO_ROOT, TZ, event_json

DATA = REPO_ROOT / "tests" / "data" / "status"
KOMHEN_FILE = DATA / "ishoej-uge42-47.csv"
UNITS_FILE = DATA / "units-183.yaml"
TARGETS_FILE = DATA / "targets-183-units.yaml"
HEADER = "Kommune;ID;Enhed;Opgave;Kanal;Type;Afslutning;Blanket;Dato;StartTidspunkt;SlutTidspunkt;Datakilde;"

BS, BU, TM, KF = "Borgerservice", "Børn og Unge", "Teknik og Miljø", "Kultur og Fritid"


class Rows(NamedTuple):
    """`n` identical inquiries: unit, KOMHEN codes, ISO week and weekday of 2015 (at 10:00)."""

    unit: str
    kle: str
    channel: str
    type: str
    completion: str
    form: str
    week: int
    weekday: int
    n: int


R = Rows
SPEC: tuple[Rows, ...] = (
    # --- the period: counting weeks 45–47 2015 (2.–22. november) ---
    # Borgerservice: 100 in, 20 out
    R(BS, "23.05.10", "SLVBTJN", "OPRET", "", "", 45, 2, 8),
    R(BS, "23.05.10", "SLVBTJN", "OPRET", "", "", 46, 2, 8),
    R(BS, "23.05.10", "SLVBTJN", "OPRET", "", "", 47, 2, 8),
    R(BS, "29.09.06", "SLVBTJN", "STATUS", "", "", 46, 3, 6),
    R(BS, "23.05.10", "TLFIND", "VEJL", "STRAKS", "", 45, 1, 10),
    R(BS, "29.09.06", "TLFIND", "INFO", "STRAKS", "", 46, 1, 6),
    R(BS, "29.09.06", "TLFIND", "INFO", "HOLD", "", 46, 4, 4),
    R(BS, "23.05.10", "TLFIND", "SLVBTJN", "STRAKS", "", 47, 1, 8),
    R(BS, "00.01.00", "TLFIND", "VEJL", "STRAKS", "", 45, 3, 2),
    R(BS, "02.34.02", "TLFIND", "VEJL", "STRAKS", "", 45, 4, 2),
    R(BS, "25.02.00", "TLFIND", "VEJL", "STRAKS", "", 46, 5, 2),
    R(BS, "85.02.02", "TLFIND", "VEJL", "STRAKS", "", 47, 5, 2),
    R(BS, "23.05.10", "PRSNLG", "OPRET", "STRAKS", "JA", 45, 2, 6),
    R(BS, "23.05.10", "PRSNLG", "SLVBTJN", "STRAKS", "", 46, 2, 4),
    R(BS, "32.03", "PRSNLG", "INFO", "HOLD", "", 47, 3, 10),
    R(BS, "23.05.10", "EMLIND", "INFO", "", "", 45, 5, 5),
    R(BS, "", "WEB", "", "", "", 46, 1, 9),
    R(BS, "23.05.10", "DOKUD", "STATUS", "", "", 45, 3, 12),
    R(BS, "29.09.06", "TLFUD", "INFO", "", "", 46, 4, 3),
    R(BS, "32.03", "PPRUD", "STATUS", "", "", 47, 4, 5),
    # Børn og Unge: 35 in, 40 out
    R(BU, "28.03.05", "SLVBTJN", "OPRET", "", "", 45, 1, 5),
    R(BU, "28.03.05", "SLVBTJN", "OPRET", "", "", 46, 1, 5),
    R(BU, "28.03.05", "SLVBTJN", "OPRET", "", "", 47, 1, 5),
    R(BU, "28.03.05", "DOKIND", "STATUS", "", "", 46, 2, 10),
    R(BU, "28.03.05", "TLFIND", "INFO", "STRAKS", "", 47, 2, 5),
    R(BU, "28.03.05", "PPRIND", "OPRET", "", "JA", 45, 3, 2),
    R(BU, "17.01.00", "EMLIND", "VEJL", "", "", 46, 3, 3),
    R(BU, "28.03.05", "DOKUD", "STATUS", "", "", 45, 4, 8),
    R(BU, "28.03.05", "DOKUD", "STATUS", "", "", 46, 4, 8),
    R(BU, "28.03.05", "DOKUD", "STATUS", "", "", 47, 4, 8),
    R(BU, "28.03.05", "EMLUD", "INFO", "", "", 46, 5, 12),
    R(BU, "28.03.05", "SMSUD", "INFO", "", "", 47, 5, 4),
    # Teknik og Miljø: 30 in, 10 out
    R(TM, "02.34.02", "PPRIND", "OPRET", "", "JA", 45, 1, 4),
    R(TM, "02.34.02", "PPRIND", "STATUS", "", "", 46, 1, 1),
    R(TM, "02.34.02", "SLVBTJN", "OPRET", "", "", 46, 2, 5),
    R(TM, "02.34.02", "SLVBTJN", "OPRET", "", "", 47, 2, 5),
    R(TM, "02.34.02", "TLFIND", "VEJL", "HOLD", "", 47, 3, 6),
    R(TM, "02.34.02", "EMLIND", "INFO", "", "", 45, 4, 9),
    R(TM, "02.34.02", "PPRUD", "STATUS", "", "", 46, 5, 3),
    R(TM, "02.34.02", "FPRNT", "STATUS", "", "", 47, 5, 2),
    R(TM, "02.34.02", "DOKUD", "STATUS", "", "", 47, 4, 5),
    # Kultur og Fritid: 5 in; a blank unit: 2 in
    R(KF, "20.02.00", "TLFIND", "VEJL", "STRAKS", "", 46, 3, 3),
    R(KF, "20.02.00", "SLVBTJN", "OPRET", "", "", 47, 3, 2),
    R("", "", "PRSNLG", "VEJL", "STRAKS", "", 45, 5, 2),
    # --- the three weeks before: 42–44 2015 (12. oktober – 1. november) ---
    # Borgerservice: 80 in, 18 out
    R(BS, "23.05.10", "SLVBTJN", "OPRET", "", "", 42, 2, 6),
    R(BS, "23.05.10", "SLVBTJN", "OPRET", "", "", 43, 2, 6),
    R(BS, "23.05.10", "SLVBTJN", "OPRET", "", "", 44, 2, 6),
    R(BS, "23.05.10", "TLFIND", "VEJL", "STRAKS", "", 43, 1, 20),
    R(BS, "29.09.06", "TLFIND", "INFO", "HOLD", "", 44, 1, 10),
    R(BS, "23.05.10", "PRSNLG", "OPRET", "STRAKS", "", 42, 3, 15),
    R(BS, "32.03", "PRSNLG", "INFO", "HOLD", "", 43, 3, 15),
    R(BS, "23.05.10", "EMLIND", "INFO", "", "", 44, 4, 2),
    R(BS, "23.05.10", "DOKUD", "STATUS", "", "", 43, 4, 8),
    R(BS, "32.03", "PPRUD", "STATUS", "", "", 44, 5, 10),
    # Børn og Unge: 25 in, 20 out
    R(BU, "28.03.05", "SLVBTJN", "OPRET", "", "", 43, 1, 10),
    R(BU, "28.03.05", "DOKIND", "STATUS", "", "", 44, 2, 5),
    R(BU, "28.03.05", "TLFIND", "INFO", "STRAKS", "", 42, 2, 5),
    R(BU, "28.03.05", "PPRIND", "OPRET", "", "JA", 43, 3, 5),
    R(BU, "28.03.05", "DOKUD", "STATUS", "", "", 43, 4, 10),
    R(BU, "28.03.05", "EMLUD", "INFO", "", "", 44, 4, 10),
    # Teknik og Miljø: 25 in, 7 out
    R(TM, "02.34.02", "PPRIND", "OPRET", "", "JA", 42, 1, 10),
    R(TM, "02.34.02", "SLVBTJN", "OPRET", "", "", 43, 1, 5),
    R(TM, "02.34.02", "TLFIND", "VEJL", "HOLD", "", 44, 1, 10),
    R(TM, "02.34.02", "PPRUD", "STATUS", "", "", 43, 5, 5),
    R(TM, "02.34.02", "DOKUD", "STATUS", "", "", 44, 5, 2),
)


def moment(row: Rows) -> datetime:
    return datetime.combine(date.fromisocalendar(2015, row.week, row.weekday), datetime.min.time(), TZ).replace(hour=10)


def komhen_file_bytes() -> bytes:
    """The export file as a municipality holds it: Latin-1, CRLF, trailing `;`, one line per inquiry."""
    lines = [HEADER]
    for row in SPEC:
        when = moment(row).strftime("%d-%m-%Y %H:%M:%S")
        fields = ["183", "183", row.unit, row.kle, row.channel, row.type, row.completion, row.form, when, "", ""]
        lines += [";".join([*fields, "Tracetool"]) + ";"] * row.n
    return ("\r\n".join(lines) + "\r\n").encode("latin-1")


_CHANNELS = {
    "SLVBTJN": ("self_service", "in"),
    "TLFIND": ("phone", "in"),
    "TLFUD": ("phone", "out"),
    "PRSNLG": ("personal", "in"),
    "EMLIND": ("email", "in"),
    "EMLUD": ("email", "out"),
    "DOKIND": ("digital_post", "in"),
    "DOKUD": ("digital_post", "out"),
    "PPRIND": ("letter", "in"),
    "PPRUD": ("letter", "out"),
    "FPRNT": ("remote_print", "out"),
    "SMSUD": ("sms", "out"),
    "WEB": ("web", "in"),
}
_SLUGS = {BS: "borgerservice", BU: "boern-og-unge", TM: "teknik-og-miljoe", KF: "kultur-og-fritid", "": "unknown"}


def events() -> list[dict[str, Any]]:
    """The same inquiries as schema v1 events (as a source system would send them)."""
    out = []
    for i, row in enumerate(SPEC):
        channel, direction = _CHANNELS[row.channel]
        for k in range(row.n):
            out.append(
                event_json(
                    f"fixture-{i}-{k}",
                    source="fixture",
                    occurred_at=moment(row),
                    municipality="183",
                    department=_SLUGS[row.unit],
                    channel=channel,
                    direction=direction,
                    inquiry_type=row.type or None,
                    kle=row.kle or None,
                    completion={"STRAKS": "immediate", "HOLD": "forwarded"}.get(row.completion),
                    form={"JA": True, "NEJ": False}.get(row.form),
                )
            )
    return out


if __name__ == "__main__":  # regenerate the checked-in file: python -m tests.status_fixture
    DATA.mkdir(parents=True, exist_ok=True)
    KOMHEN_FILE.write_bytes(komhen_file_bytes())
    print(f"wrote {KOMHEN_FILE} ({sum(r.n for r in SPEC)} rows)")
