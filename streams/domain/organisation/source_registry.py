"""Which municipalities each source may write for: the tenancy rule of a deployment that many
municipalities write into.

One value answers for the ingest (a token's source and municipalities), the worker (every record
of the input topic, whichever way it came: SDK, ingest, `komhen import`, adapters, the simulator,
a plain Kafka producer) and the Kubernetes manifests (a KafkaUser per registered source). An
event whose source may not write for its municipality is not counted: it never claims an
identity, never names a department, and goes to the dead letters as `source_not_allowed`.

A registry is built by streams.documents.source_registry from the sources registry file
(schemas/source-registry.v1.json), or, without one, from the deployment's one municipality
(KOMHEN_MUNICIPALITY: every source for it alone), or open (every source for every municipality,
what a demo or a test wants; the worker warns once).

>>> registry = SourceRegistry.of({"telephony-183": ["183"], "os2forms": ["183", "165"]})
>>> registry.allows("telephony-183", "183"), registry.allows("telephony-183", "165")
(True, False)
>>> registry.refusal("telephony-183", "165")
'source telephony-183 may write for municipality 183 only, not 165'
>>> registry.refusal("reception", "183")
'source reception is not in the sources registry'
>>> SourceRegistry.single("183").allows("anything", "183"), SourceRegistry.open().allows("x", "101")
(True, True)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from streams.contract.texts import text_in


@dataclass(frozen=True)
class SourceRegistry:
    """Named sources with their municipalities, and what any other source may write for.

    `others` is None for "every municipality" (an open registry), a set for a single-municipality
    deployment without a registry file, and empty for a registry file (a source it does not name
    writes for none).
    """

    grants: Mapping[str, frozenset[str]]
    others: frozenset[str] | None = frozenset()

    @classmethod
    def of(cls, grants: Mapping[str, Iterable[str]]) -> SourceRegistry:
        """A registry of exactly these sources; any other source writes for no municipality."""
        return cls(MappingProxyType({s: frozenset(m) for s, m in grants.items()}))

    @classmethod
    def single(cls, municipality: str) -> SourceRegistry:
        """Every source writes for this one municipality, and none for another."""
        return cls(MappingProxyType({}), frozenset({municipality}))

    @classmethod
    def open(cls) -> SourceRegistry:
        """Every source writes for every municipality: no tenancy (a demo, a test, a single tenant)."""
        return cls(MappingProxyType({}), None)

    @property
    def is_open(self) -> bool:
        return self.others is None and not self.grants

    @property
    def sources(self) -> list[str]:
        """The named sources, sorted."""
        return sorted(self.grants)

    def municipalities(self, source: str) -> frozenset[str] | None:
        """What `source` may write for; None means every municipality."""
        granted = self.grants.get(source)
        return granted if granted is not None else self.others

    def allows(self, source: str, municipality: str) -> bool:
        allowed = self.municipalities(source)
        return allowed is None or municipality in allowed

    def refusal(self, source: str, municipality: str) -> str | None:
        """Why `source` may not write for `municipality`, in an English sentence (the ingest's answer and the
        dead letter carry it); None when it may."""
        refused = self.refused(source, municipality)
        return None if refused is None else text_in("en", refused[0], **refused[1])

    def refused(self, source: str, municipality: str) -> tuple[str, dict[str, object]] | None:
        """Why `source` may not write for `municipality`, as a key of the catalogue and its parameters."""
        allowed = self.municipalities(source)
        if allowed is None or municipality in allowed:
            return None
        if source not in self.grants and not allowed:
            return "rejected.source_unknown", {"source": source}
        ordered = sorted(allowed)
        listed = {"n": len(ordered), "numbers": ", ".join(ordered[:-1]), "last": ordered[-1]}
        return "rejected.source_elsewhere", {"source": source, "municipality": municipality, **listed}

    def covers(self, other: SourceRegistry) -> list[tuple[str, str]]:
        """(source, municipality) pairs `other` grants that this registry does not, sorted: what a
        tokens file lets the ingest accept and the workers would then dead-letter."""
        missing = []
        for source in other.sources:
            missing += [(source, m) for m in sorted(other.grants[source]) if not self.allows(source, m)]
        return missing
