"""Source adapters: telephony, web self-service, Digital Post / print and the reception queue system.

Each module maps its system's native records to inquiry events (schemas/inquiry-event.v1.json)
or service events (schemas/service-event.v1.json) and exposes `read_<name>(path, mapping)` and
`follow(directory, mapping)`; streams/adapters/base.py holds what they share.
"""
