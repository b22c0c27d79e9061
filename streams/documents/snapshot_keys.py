"""The keys snapshots are signed with (KOMHEN_SNAPSHOT_KEYS or KOMHEN_SNAPSHOT_KEYS_FILE), as SnapshotKeys.

A list, first key first: snapshots are written with the first and accepted with any, so a key is
rotated by putting the new one first and dropping the old one once every partition has a snapshot
written since (docs/exact-counts.md, "Snapshot keys"). The file form holds one key per line (blank lines and
lines starting with `#` are left out) and suits a Docker or Kubernetes secret mounted as a file;
it is read like every document (bounded, regular files only). Messages name a key by its position,
never by its text. Without either setting the snapshots are signed with the public development key:
damage is still found, forgery is not, and the worker says so in one line when it starts.
"""

from __future__ import annotations

from pathlib import Path

from streams.contract.texts import text as said
from streams.documents.reading import DocumentError, read_text
from streams.documents.settings import ConfigError, Settings
from streams.domain.counting.snapshot_codec import MIN_KEY_BYTES, SnapshotKeys


def load_snapshot_keys(settings: Settings) -> SnapshotKeys:
    """The snapshot keys the settings name; the development key if they name none; ConfigError otherwise."""
    if settings.snapshot_keys and settings.snapshot_keys_file:
        raise ConfigError(said("snapshot_keys.both"))
    if settings.snapshot_keys_file:
        origin = f"KOMHEN_SNAPSHOT_KEYS_FILE={settings.snapshot_keys_file}"
        try:
            text = read_text(Path(settings.snapshot_keys_file), "snapshot keys file")
        except DocumentError as exc:
            raise ConfigError(f"KOMHEN_SNAPSHOT_KEYS_FILE={exc}") from None
        lines = (line.strip() for line in text.splitlines())
        keys = [line for line in lines if line and not line.startswith("#")]
    elif settings.snapshot_keys:
        origin = "KOMHEN_SNAPSHOT_KEYS"
        keys = [key.strip() for key in settings.snapshot_keys.split(",")]
    else:
        return SnapshotKeys.for_development()
    if not keys:
        raise ConfigError(said("snapshot_keys.none", origin=origin))
    for number, key in enumerate(keys, 1):
        size = len(key.encode())
        if size < MIN_KEY_BYTES:
            raise ConfigError(
                said("snapshot_keys.short", origin=origin, number=str(number), size=size, least=MIN_KEY_BYTES)
            )
    if len(set(keys)) != len(keys):
        raise ConfigError(said("snapshot_keys.twice", origin=origin))
    return SnapshotKeys([key.encode() for key in keys])
