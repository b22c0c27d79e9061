"""The snapshot records' primitive encoding: a little-endian writer, a reader that checks every bound, the
record prefix, and `Damaged`, the one error a snapshot that cannot be used raises.

A module of its own because every record kind (bucket, manifest, head: snapshot_format.py) is
written and read with these, and what makes a snapshot unusable is decided here, byte by byte.
"""

from __future__ import annotations

import struct
import sys
import zlib
from array import array

FORMAT_VERSION = 1
BUCKET, MANIFEST, HEAD = b"KHSB", b"KHSM", b"KHSH"  # magic of each record kind
PREFIX = struct.Struct("<4sHIQQ")  # magic, format version, partition, snapshot sequence, writer
_BIG_ENDIAN = sys.byteorder == "big"


# Why a partition is counted again from the start of the input topic (the `reason` of
# komhen_restores_total{path="full_replay"}): no snapshot yet, or one of the ways a snapshot is unusable.
NO_SNAPSHOT = "no_snapshot"
DAMAGE_REASONS = ("checksum", "format", "missing", "other_log", "partition", "truncated")


class Damaged(ValueError):
    """A snapshot that cannot be used; `reason` is a short word for the metric label (DAMAGE_REASONS)."""

    def __init__(self, reason: str, message: str) -> None:
        assert reason in DAMAGE_REASONS, reason
        super().__init__(message)
        self.reason = reason


def checksum(value: bytes) -> int:
    return zlib.crc32(value)


def le(values: array[int]) -> bytes:
    """Array bytes in little-endian order whatever the machine's."""
    if _BIG_ENDIAN:
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


class Writer:
    """Parts of a record, each packed little-endian; `bytes()` joins them."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def pack(self, fmt: str, *values: object) -> None:
        self.parts.append(struct.pack("<" + fmt, *values))

    def text(self, value: str | None) -> None:
        if value is None:
            self.parts.append(b"\xff\xff")
            return
        raw = value.encode()
        if len(raw) >= 0xFFFF:
            raise ValueError(f"text of {len(raw)} bytes is too long for a snapshot (at most 65534)")
        self.parts.append(struct.pack("<H", len(raw)) + raw)

    def array(self, values: array[int]) -> None:
        self.parts.append(struct.pack("<I", len(values)))
        self.parts.append(le(values))

    def bytes(self) -> bytes:
        return b"".join(self.parts)


class Reader:
    """A record read from the start; every read past its end, and every byte left over, is `Damaged`."""

    def __init__(self, data: bytes, what: str) -> None:
        self.data = memoryview(data)
        self.at = 0
        self.what = what

    def unpack(self, fmt: str) -> tuple[int, ...]:
        fmt = "<" + fmt
        try:
            values = struct.unpack_from(fmt, self.data, self.at)
        except struct.error:
            raise Damaged("truncated", f"{self.what} ends early") from None
        self.at += struct.calcsize(fmt)
        return values

    def text(self) -> str | None:
        (n,) = self.unpack("H")
        if n == 0xFFFF:
            return None
        if self.at + n > len(self.data):
            raise Damaged("truncated", f"{self.what} ends early")
        raw = bytes(self.data[self.at : self.at + n])
        self.at += n
        try:
            return raw.decode()
        except UnicodeDecodeError:
            raise Damaged("checksum", f"{self.what} holds text that is not UTF-8") from None

    def required_text(self) -> str:
        value = self.text()
        if value is None:
            raise Damaged("checksum", f"{self.what} lacks a required text")
        return value

    def array(self, typecode: str) -> array[int]:
        (n,) = self.unpack("I")
        out = array(typecode)
        size = n * out.itemsize
        if self.at + size > len(self.data):
            raise Damaged("truncated", f"{self.what} ends early")
        out.frombytes(self.data[self.at : self.at + size])
        self.at += size
        if _BIG_ENDIAN:
            out.byteswap()
        return out

    def end(self) -> None:
        if self.at != len(self.data):
            raise Damaged("checksum", f"{self.what} has {len(self.data) - self.at} bytes too many")


def read_prefix(reader: Reader, magic: bytes, partition: int) -> tuple[int, int]:
    """Check the magic, format and partition of a record; return its (sequence, writer)."""
    if bytes(reader.data[:4]) != magic:
        raise Damaged("format", f"{reader.what} is not a snapshot record of this kind")
    _, version, part, seq, writer = reader.unpack("4sHIQQ")
    if version != FORMAT_VERSION:
        raise Damaged("format", f"{reader.what} has format version {version}; this release reads {FORMAT_VERSION}")
    if part != partition:
        raise Damaged("partition", f"{reader.what} belongs to partition {part}, not {partition}")
    return int(seq), int(writer)


def read_arrays(data: memoryview, at: int, layout: tuple[tuple[str, int], ...], what: str) -> list[array[int]]:
    """Arrays of (typecode, length) laid out back to back from `at`, which together must fill `data` to its end."""
    out = []
    for typecode, n in layout:
        values = array(typecode)
        end = at + n * values.itemsize
        if end > len(data):
            raise Damaged("truncated", f"{what} ends early")
        values.frombytes(data[at:end])
        if _BIG_ENDIAN:
            values.byteswap()
        out.append(values)
        at = end
    if at != len(data):
        raise Damaged("checksum", f"{what} has {len(data) - at} bytes too many")
    return out
