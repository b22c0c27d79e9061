"""Text files in the encodings people save them in, told by their bytes, through `komhen import`, the
status report from files, `komhen publish`'s reader and the source adapters.

Excel's "Unicode text" is UTF-16 little-endian with a byte-order mark, tab-separated, CRLF (Excel
writes no other UTF-16; Notepad writes both byte orders, with a mark). UTF-16 without a mark, in
either byte order, is told by its zero bytes. Each variant is written here from the shipped samples
with Python's codecs and csv module, and must give exactly what the original gives. A workbook or a
PDF given instead of a text file is named in one line.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from streams.cli import main
from streams.cli.exit import ExitCode
from streams.cli.publish import read_items
from streams.ingress.adapters.base import SourceRecord, records_of
from streams.ingress.komhen.encoding import detect_encoding
from streams.ingress.komhen.export_file import open_export
from streams.ingress.komhen.results import Imported
from tests.fixtures.factories import SAMPLES, TZ

KOMHEN = SAMPLES / "komhen-tracetool-export.csv"  # Latin-1, `;`, CRLF, with æøå in a local column's header
NDJSON = SAMPLES / "inquiry-events.ndjson"
CDR = SAMPLES / "telephony-cdr.csv"

# (name, codec, a byte-order mark written in front, what detect_encoding says)
ENCODINGS = [
    ("utf-16-le-bom", "utf-16-le", b"\xff\xfe", "utf-16"),
    ("utf-16-be-bom", "utf-16-be", b"\xfe\xff", "utf-16"),
    ("utf-16-le", "utf-16-le", b"", "utf-16-le"),
    ("utf-16-be", "utf-16-be", b"", "utf-16-be"),
    ("utf-8-bom", "utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
]


def komhen_text(delimiter: str = ";") -> str:
    """The sample export's text, its fields joined by `delimiter` as Excel would write them."""
    rows = list(csv.reader(io.StringIO(KOMHEN.read_bytes().decode("latin-1"), newline=""), delimiter=";"))
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def written(folder: Path, name: str, text: str, codec: str, bom: bytes) -> Path:
    path = folder / name
    path.write_bytes(bom + text.encode(codec))
    return path


def events(path: Path) -> list[dict[str, Any]]:
    """The file's events without their ids (an id is derived from the file's bytes, which differ)."""
    export = open_export(path, tz=TZ, received_at=datetime(2015, 1, 1, tzinfo=TZ))
    return [{k: v for k, v in r.event.items() if k != "event_id"} for r in export if isinstance(r, Imported)]


@pytest.mark.parametrize(("name", "codec", "bom", "encoding"), ENCODINGS, ids=[e[0] for e in ENCODINGS])
def test_the_encoding_is_told_by_the_bytes(name: str, codec: str, bom: bytes, encoding: str) -> None:
    text = komhen_text()
    assert detect_encoding(bom + text.encode(codec)) == encoding
    assert detect_encoding(bom + "Kommune;Enhed\r\n183;Børn og Unge\r\n".encode(codec)) == encoding


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        ("Kommune;Børn".encode("latin-1"), "latin-1"),  # no zero byte in Latin-1 text
        ("Kommune;Børn".encode(), "utf-8"),
        ("Ø".encode("utf-16-le"), "latin-1"),  # one character is too little to tell UTF-16 by: not UTF-8, so Latin-1
        ("Kommune".encode("utf-32"), "utf-32"),  # its mark begins with UTF-16 LE's, and is told apart
        (b"", "utf-8"),
    ],
)
def test_short_and_other_texts_are_not_taken_for_utf16(content: bytes, encoding: str) -> None:
    assert detect_encoding(content) == encoding


@pytest.mark.parametrize(("name", "codec", "bom", "encoding"), ENCODINGS, ids=[e[0] for e in ENCODINGS])
def test_an_export_in_any_of_them_imports_as_the_latin1_original(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, codec: str, bom: bytes, encoding: str
) -> None:
    path = written(tmp_path, f"{name}.csv", komhen_text(), codec, bom)
    assert main(["import", "--dry-run", "--clock", "event", str(path)]) == ExitCode.OK
    assert capsys.readouterr() == ("Læst 1 fil, 30 rækker: 30 henvendelser, 0 afvist.\n", "")
    assert events(path) == events(KOMHEN)
    assert events(path)[0]["department_name"] == "Borgerservice"


def test_excels_unicode_text_tab_separated_utf16_with_a_mark_imports_and_reports(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """What the issue saw: 'the header lacks Kommune, Enhed, Kanal, Dato'."""
    path = written(tmp_path, "uge45.txt", komhen_text("\t"), "utf-16-le", b"\xff\xfe")
    assert path.read_bytes()[:12] == b"\xff\xfeK\x00o\x00m\x00m\x00u\x00"  # as Excel writes it
    assert main(["import", "--dry-run", "--clock", "event", str(path)]) == ExitCode.OK
    assert capsys.readouterr() == ("Læst 1 fil, 30 rækker: 30 henvendelser, 0 afvist.\n", "")
    assert events(path) == events(KOMHEN)

    assert main(["report", "status", "--from-file", str(path), "-o", str(tmp_path / "rapport")]) == ExitCode.OK
    said = capsys.readouterr().err.splitlines()
    assert said[0] == "Læst 1 fil, 30 rækker: 30 henvendelser, 0 afvist."
    assert said[2].startswith("Statusrapport for Køge Kommune (259), 3.–5. november 2014: 7 enheder")


@pytest.mark.parametrize(
    ("content", "kind_da", "kind_en"),
    [
        (None, "en Excel-projektmappe (.xlsx) eller en anden zip-fil", "an Excel workbook (.xlsx) or another zip file"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
            "en Excel 97-2003-projektmappe (.xls)",
            "an Excel 97-2003 workbook (.xls)",
        ),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "en PDF", "a PDF"),
    ],
    ids=["xlsx", "xls", "pdf"],
)
def test_a_workbook_or_a_pdf_given_instead_is_named_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes | None, kind_da: str, kind_en: str
) -> None:
    path = tmp_path / "uge45.xlsx"
    if content is None:
        with zipfile.ZipFile(path, "w") as workbook:  # the container of an .xlsx
            workbook.writestr("[Content_Types].xml", "<Types/>")
    else:
        path.write_bytes(content)
    assert main(["import", "--dry-run", str(path)]) == ExitCode.UNUSABLE
    assert capsys.readouterr().err == (
        f"komhen import: {path}: er {kind_da}, ikke en tekstfil; gem den i Excel som CSV (semikolonsepareret) eller "
        "Unicode-tekst\n"
    )
    assert main(["--language", "en", "report", "status", "--from-file", str(path)]) == ExitCode.UNUSABLE
    assert capsys.readouterr().err == (
        f"komhen report: {path}: is {kind_en}, not a text file; save it from Excel as CSV (semicolon-separated) or "
        "Unicode text\n"
    )


@pytest.mark.parametrize(("name", "codec", "bom", "encoding"), ENCODINGS, ids=[e[0] for e in ENCODINGS])
def test_publish_reads_events_in_any_of_them_as_the_utf8_original(
    name: str, codec: str, bom: bytes, encoding: str
) -> None:
    original = [(i.where, i.value, i.text) for i in read_items(io.BytesIO(NDJSON.read_bytes()))]
    assert len(original) == 20
    content = bom + NDJSON.read_text(encoding="utf-8").encode(codec)
    assert [(i.where, i.value, i.text) for i in read_items(io.BytesIO(content))] == original


@pytest.mark.parametrize(("name", "codec", "bom", "encoding"), ENCODINGS, ids=[e[0] for e in ENCODINGS])
def test_a_source_systems_csv_in_any_of_them_gives_the_same_records(
    name: str, codec: str, bom: bytes, encoding: str
) -> None:
    columns = CDR.read_text(encoding="utf-8").splitlines()[0].split(",")

    def values(content: bytes) -> list[tuple[int, dict[str, Any]]]:
        out = []
        for record in records_of("cdr.csv", content, TZ):
            assert isinstance(record, SourceRecord), record
            out.append((record.line, {c: record.value((c,)) for c in columns}))
        return out

    original = values(CDR.read_bytes())
    assert len(original) == 10
    assert original[0] == (2, {**original[0][1], "call_id": "c-20261116-0001", "queue": "7001", "outcome": "answered"})
    text = CDR.read_text(encoding="utf-8")
    assert values(bom + text.encode(codec)) == original
    tabbed = text.replace(",", "\t")  # Excel's "Unicode text" of the same sheet (no field holds a comma)
    assert values(b"\xff\xfe" + tabbed.encode("utf-16-le")) == original


@pytest.mark.parametrize(
    ("content", "position"),
    [(b"\xfe\xff\x00K\x00o\x00", "6"), (b"\xff\xfeK\x00\x00\xd8;\x00", "4")],
    ids=["odd length after a UTF-16 mark", "a lone surrogate"],
)
def test_bytes_that_break_the_encoding_their_mark_promises_are_one_line_not_a_crash(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, position: str
) -> None:
    path = tmp_path / "uge45.csv"
    path.write_bytes(content)
    assert main(["import", "--dry-run", str(path)]) == ExitCode.UNUSABLE
    assert capsys.readouterr().err == (
        f"komhen import: {path}: byte {position} passer ikke til utf-16, som filens første bytes lover; gem filen "
        "igen i Excel som CSV (semikolonsepareret) eller Unicode-tekst\n"
    )
    assert main(["--language", "en", "import", "--dry-run", str(path)]) == ExitCode.UNUSABLE
    assert capsys.readouterr().err == (
        f"komhen import: {path}: byte {position} is not utf-16, which the file's first bytes promise; save the file "
        "again from Excel as CSV (semicolon separated) or Unicode text\n"
    )
