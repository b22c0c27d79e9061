"""How an export's bytes become text lines, and the file's identity: its encoding and its content id.

A module of its own because the source adapters and `komhen publish` read their files' bytes the
same way, and neither question needs the columns or the rows. Excel's "Unicode text" (UTF-16 with a
byte-order mark, tab-separated), UTF-16 without a mark, UTF-8 with or without one and Latin-1 are
each told from the bytes; an Excel workbook or a PDF given instead of a text file is named.
"""

from __future__ import annotations

import base64
import hashlib
import re

LINE_BREAK = re.compile(r"\r\n|\n|\r")  # CRLF, LF, and the odd old-Mac CR-only file


# Byte-order marks, longest first: UTF-32 LE's begins with UTF-16 LE's. The BOM-aware codecs drop the mark.
BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# Files that are no text at all, by their first bytes: what a person gave instead of an export.
NOT_TEXT = (
    (b"PK\x03\x04", "binary.xlsx"),  # an Office Open XML workbook (a zip), or another zip
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "binary.xls"),  # an Excel 97-2003 workbook (OLE2)
    (b"%PDF-", "binary.pdf"),
)
SAMPLE_BYTES = 4096  # enough text to tell UTF-16 by its zero bytes


def detect_encoding(content: bytes) -> str:
    """The encoding of a text file, told from its bytes (never from a guess at the language):

    - a byte-order mark names it: UTF-8 (utf-8-sig), UTF-16 (Excel's "Unicode text"), UTF-32;
    - UTF-16 without a mark shows in its zero bytes: Danish text is Latin letters, whose high byte is
      0, so every other byte is zero (the second of each pair in little-endian, the first in big-endian),
      which neither UTF-8 nor Latin-1 text ever holds;
    - else UTF-8 if the bytes are valid UTF-8, else Latin-1. Latin-1 text with æøå is practically
      never valid UTF-8 (ø is byte 0xF8, never valid in UTF-8; æ and å start a 3-byte sequence that
      a following letter cannot continue), so trying UTF-8 first is safe, and Latin-1 decodes any bytes.

    >>> detect_encoding("Kommune;Enhed".encode("utf-16-le")), detect_encoding("Kommune;Børn".encode("latin-1"))
    ('utf-16-le', 'latin-1')
    """
    for bom, encoding in BOMS:
        if content.startswith(bom):
            return encoding
    utf16 = _utf16_by_zero_bytes(content[:SAMPLE_BYTES])
    if utf16 is not None:
        return utf16
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return "latin-1"
    return "utf-8"


def _utf16_by_zero_bytes(sample: bytes) -> str | None:
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    first, second = sample[0 : 2 * pairs : 2].count(0), sample[1 : 2 * pairs : 2].count(0)
    if second * 2 > pairs and first * 10 < pairs:
        return "utf-16-le"
    if first * 2 > pairs and second * 10 < pairs:
        return "utf-16-be"
    return None


def not_text(content: bytes) -> str | None:
    """What a file that is no text is (`binary.xlsx`, a key of streams.contract.texts), or None for text."""
    return next((kind for magic, kind in NOT_TEXT if content.startswith(magic)), None)


def decoded(content: bytes) -> str:
    """The file's text in the encoding its bytes show (detect_encoding); a byte-order mark is dropped."""
    return content.decode(detect_encoding(content))


def content_id(content: bytes) -> str:
    """16 base32 characters of the file's SHA-256, the stem of every event id of the file.

    Base32 (a-z, 2-7) rather than hex: it has no 0 or 1, so no id can look like a CPR
    number (whose month needs one) and be rejected by the personal-data check.
    """
    return base64.b32encode(hashlib.sha256(content).digest()).decode("ascii")[:16].lower()
