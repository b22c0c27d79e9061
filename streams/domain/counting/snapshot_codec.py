"""The snapshot records' primitive encoding: a little-endian writer, a reader that checks every bound, the
record prefix, the key every record is authenticated with, and `Damaged`, the one error a snapshot that
cannot be used raises.

A module of its own because every record kind (bucket, manifest, head: snapshot_format.py) is
written and read with these, and what makes a snapshot unusable is decided here, byte by byte.

A snapshot is an input like any other: whoever can write to the snapshot topic could otherwise
hand the next worker any counts (a CRC32 is recomputed by anyone). So every record ends with an
HMAC-SHA256 tag over its Kafka key and its bytes (RFC 2104), made with a secret key of the
settings (`SnapshotKeys`); a record whose tag no key reproduces is `Damaged("authentication")`.
The CRC32s stay beside the tags: they pick the record a manifest means among older ones of the
same key, and tell damage (`checksum`) from a record made without the key (`authentication`).
"""

from __future__ import annotations

import hashlib
import hmac
import struct
import sys
import zlib
from array import array
from collections.abc import Sequence

FORMAT_VERSION = 2  # 2: every record carries an HMAC-SHA256 tag (version 1 had checksums only)
BUCKET, MANIFEST, HEAD = b"KHSB", b"KHSM", b"KHSH"  # magic of each record kind
PREFIX = struct.Struct("<4sHIQQ")  # magic, format version, partition, snapshot sequence, writer
_BIG_ENDIAN = sys.byteorder == "big"


# Why a partition is counted again from the start of the input topic (the `reason` of
# komhen_restores_total{path="full_replay"}): no snapshot yet, or one of the ways a snapshot is unusable.
NO_SNAPSHOT = "no_snapshot"
DAMAGE_REASONS = ("authentication", "checksum", "format", "missing", "other_log", "partition", "truncated")


class Damaged(ValueError):
    """A snapshot that cannot be used; `reason` is a short word for the metric label (DAMAGE_REASONS)."""

    def __init__(self, reason: str, message: str) -> None:
        assert reason in DAMAGE_REASONS, reason
        super().__init__(message)
        self.reason = reason


def checksum(value: bytes | memoryview) -> int:
    return zlib.crc32(value)


TAG_BYTES = 32  # HMAC-SHA256, untruncated
MIN_KEY_BYTES = 32  # a key as long as the hash's output (RFC 2104, section 3)
_TAG_CONTEXT = b"komhen-live snapshot record\x00"  # a tag of this kind of record, never of anything else
# Signs the snapshots of a deployment that configured no key (a development set-up): it is public (it is
# here), so such snapshots are only checked for damage, and the worker says so once when it starts. No comma: it
# can be listed second in KOMHEN_SNAPSHOT_KEYS, to move off it without a full replay.
DEVELOPMENT_KEY = b"komhen-live development snapshot key (public: set KOMHEN_SNAPSHOT_KEYS_FILE)"


class SnapshotKeys:
    """The keys snapshot records are authenticated with: written with the first, accepted with any.

    A list so that a key can be rotated without a full replay: a worker given `new,old` loads
    snapshots signed with either and writes only with `new` (and rewrites at once what it loaded
    signed with `old`, see `opened`), so once every partition has a snapshot written since, `old`
    can be dropped (docs/exact-counts.md, "Snapshot keys").

    >>> keys = SnapshotKeys([b"k" * 32])
    >>> sealed = keys.seal(b"h/0", b"body")
    >>> bytes(keys.opened(b"h/0", sealed, "a head")[0])
    b'body'
    """

    def __init__(self, keys: Sequence[bytes]) -> None:
        if not keys:
            raise ValueError("at least one snapshot key is needed")
        short = [i for i, key in enumerate(keys) if len(key) < MIN_KEY_BYTES]
        if short:
            raise ValueError(f"snapshot key {short[0] + 1} is shorter than {MIN_KEY_BYTES} bytes")
        self._macs = [hmac.new(key, _TAG_CONTEXT, hashlib.sha256) for key in keys]
        # Written with the public DEVELOPMENT_KEY: damage is seen, forgery is not.
        self.development = keys[0] == DEVELOPMENT_KEY

    @classmethod
    def for_development(cls) -> SnapshotKeys:
        return cls([DEVELOPMENT_KEY])

    def __len__(self) -> int:
        return len(self._macs)

    def tag(self, record_key: bytes, body: bytes | memoryview, key_index: int = 0) -> bytes:
        """The tag of a record's key and body under the key at `key_index` (0: the one written with)."""
        mac = self._macs[key_index].copy()  # the key's own setup is done once, in __init__
        mac.update(struct.pack("<H", len(record_key)))
        mac.update(record_key)
        mac.update(body)
        return mac.digest()

    def seal(self, record_key: bytes, body: bytes) -> bytes:
        """The record as written: its body, then its tag under the first key."""
        return body + self.tag(record_key, body)

    def opened(self, record_key: bytes, value: bytes | memoryview, what: str) -> tuple[memoryview, int]:
        """The body of a sealed record and the index of the key whose tag it carries; Damaged if none."""
        view = memoryview(value)
        if len(view) < TAG_BYTES:
            raise Damaged("truncated", f"{what} ends before its tag")
        body, tag = view[:-TAG_BYTES], view[-TAG_BYTES:]
        for index in range(len(self._macs)):
            if hmac.compare_digest(self.tag(record_key, body, index), tag):
                return body, index
        raise Damaged("authentication", f"{what} is not signed with any of the snapshot keys")


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

    def __init__(self, data: bytes | memoryview, what: str) -> None:
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
