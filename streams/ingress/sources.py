"""`komhen source SYSTEM`: run a source adapter over files, or follow a directory, and publish.

Inquiries and service measures go to the input topic through the SDK; rejected records are
listed with file, line and reason, skipped ones (cancelled tickets, …) are counted with why.
"""

from __future__ import annotations

import signal
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from threading import Event
from types import MappingProxyType

from streams.config import ConfigError, Settings
from streams.ingress.adapters import digitalpost, reception, selfservice, telephony
from streams.ingress.adapters.base import Adapter, AdapterResult, Inquiry, MappingError, Measure, Skipped, load_mapping
from streams.ingress.adapters.follow import FollowStateError
from streams.ingress.komhen_file import Rejected
from streams.ingress.publisher import Publisher

ADAPTERS = MappingProxyType(
    {
        "telephony": telephony.ADAPTER,
        "selfservice": selfservice.ADAPTER,
        "digitalpost": digitalpost.ADAPTER,
        "reception": reception.ADAPTER,
    }
)


class SourceRun:
    """Publishes what an adapter produced and keeps the tally for the closing line."""

    def __init__(self, publisher: Publisher) -> None:
        self.publisher = publisher
        self.tally: Counter[str] = Counter()
        self.skipped: Counter[str] = Counter()

    def publish(self, results: Iterable[AdapterResult]) -> None:
        ready = []
        for result in results:
            if isinstance(result, Inquiry):
                ready.append(result.event)
                self.tally["inquiries"] += 1
            elif isinstance(result, Measure):
                ready.append(result.measure)
                self.tally["measures"] += 1
            elif isinstance(result, Skipped):
                self.skipped[result.reason] += 1
            elif isinstance(result, Rejected):
                print(result.format(), file=sys.stderr)
                self.tally["rejected"] += 1
        self.publisher.send_valid(ready)

    def summary(self) -> str:
        skipped = ", ".join(f"{n} {reason}" for reason, n in sorted(self.skipped.items())) or "none"
        return (
            f"published {self.tally['inquiries']} inquiries and {self.tally['measures']} service measures, "
            f"rejected {self.tally['rejected']}, skipped: {skipped}"
        )


def run_source(
    settings: Settings,
    system: str,
    files: list[Path],
    *,
    mapping_path: Path,
    follow: Path | None = None,
    poll_interval_s: float = 2.0,
) -> int:
    """Publish the files' records, or keep following a directory until SIGINT/SIGTERM."""
    adapter: Adapter = ADAPTERS[system]
    try:
        mapping = load_mapping(mapping_path, tz=settings.tz)
    except MappingError as exc:
        raise ConfigError(str(exc)) from None
    with Publisher(settings) as publisher:
        run = SourceRun(publisher)
        for path in files:
            run.publish(adapter.read(path, mapping))
        if follow is not None:
            stop = Event()
            for signum in (signal.SIGINT, signal.SIGTERM):
                signal.signal(signum, lambda *_: stop.set())
            print(f"following {follow} for new {system} files (Ctrl-C stops)", file=sys.stderr)
            batches = adapter.follow(follow, mapping, stop=stop, poll_interval_s=poll_interval_s)
            try:
                for batch in batches:
                    run.publish(batch.results)
                    print(f"{batch.path}: {run.summary()}", file=sys.stderr)
            except FollowStateError as exc:
                raise ConfigError(str(exc)) from None
            finally:
                batches.close()
    print(run.summary())
    return 1 if run.tally["rejected"] else 0
