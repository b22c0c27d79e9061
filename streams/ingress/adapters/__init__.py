"""Source adapters: telephony, web self-service, Digital Post / print and the reception queue system.

Each module maps its system's native records to inquiry events (schemas/inquiry-event.v1.json)
or service events (schemas/service-event.v1.json) and exposes `read_<name>(path, mapping)` and
`follow(directory, mapping)`; base.py holds what they share. ADAPTERS names them by source.
"""

from types import MappingProxyType

from streams.ingress.adapters import digitalpost, reception, selfservice, telephony

ADAPTERS = MappingProxyType(
    {a.source: a for a in (telephony.ADAPTER, selfservice.ADAPTER, digitalpost.ADAPTER, reception.ADAPTER)}
)
