"""How an export's bytes become text lines, and the file's identity: its encoding and its content id.

A module of its own because the source adapters read their files' bytes the same way, and
neither question needs the columns or the rows.
"""

from __future__ import annotations

import base64
import hashlib
import re

LINE_BREAK = re.compile(r"\r\n|\n|\r")  # CRLF, LF, and the odd old-Mac CR-only file


def detect_encoding(content: bytes) -> str:
    """utf-8-sig with a BOM, utf-8 if the bytes are valid UTF-8, else latin-1.

    Latin-1 text with æøå is practically never valid UTF-8 (ø is byte 0xF8, never valid in
    UTF-8; æ and å start a 3-byte sequence that a following letter cannot continue), so
    trying UTF-8 first is safe, and latin-1 decodes any bytes.
    """
    if content.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return "latin-1"
    return "utf-8"


def content_id(content: bytes) -> str:
    """16 base32 characters of the file's SHA-256, the stem of every event id of the file.

    Base32 (a-z, 2-7) rather than hex: it has no 0 or 1, so no id can look like a CPR
    number (whose month needs one) and be rejected by the personal-data check.
    """
    return base64.b32encode(hashlib.sha256(content).digest()).decode("ascii")[:16].lower()
