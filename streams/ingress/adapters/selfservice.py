"""Web self-service: form submissions (JSON lines) to self-service inquiries and attempt measures.

A completed transaction is a `self_service` inquiry, always with a KLE task and OPRET or STATUS
(from the record or the mapping's task for the form), because the self-service rate is defined
over transactions per task. A started or abandoned attempt is no inquiry but a service event,
so the completion rate (completed / started) is available per department and KLE task.
Fields: see schemas/samples/selfservice-submissions.md.
"""

from __future__ import annotations

from streams.domain.events.inquiry import InquiryEvent, InvalidEvent, Reason
from streams.domain.events.privacy import shown
from streams.domain.events.service import ServiceEvent, ServiceKind
from streams.domain.organisation.departments import NoSlug, unit_department
from streams.ingress.adapters.base import Adapter, Mapped, SourceMapping, SourceRecord, event_id

SOURCE = "selfservice"
STATUSES = ("completed", "abandoned", "started")
TRANSACTION_TYPES = ("OPRET", "STATUS")
_ATTEMPTS = {"started": ServiceKind.SELFSERVICE_STARTED, "abandoned": ServiceKind.SELFSERVICE_ABANDONED}


def map_submission(record: SourceRecord, mapping: SourceMapping) -> Mapped:
    """One submission record to a self-service inquiry (completed) or an attempt measure."""
    submission_id = record.required("id")
    at = record.moment("timestamp")
    form = record.required("form")
    status = record.choice("status", STATUSES)
    department, unit = _department(record, mapping, form)
    task = record.task(mapping, form)
    if status in _ATTEMPTS:
        return ServiceEvent(
            kind=_ATTEMPTS[status],
            event_id=event_id(SOURCE, submission_id),
            source=SOURCE,
            occurred_at=at,
            municipality=mapping.municipality,
            department=department,
            kle=task.kle,
        )
    if task.kle is None:
        raise InvalidEvent(Reason.MISSING_FIELD, "rejected.no_task", "kle", name="kle", form=shown(form))
    if task.inquiry_type is None:
        raise InvalidEvent(
            Reason.MISSING_FIELD, "rejected.no_task", "inquiry_type", name="inquiry_type", form=shown(form)
        )
    if task.inquiry_type not in TRANSACTION_TYPES:
        raise InvalidEvent(Reason.UNKNOWN_CODE, "rejected.transaction", "inquiry_type", value=shown(task.inquiry_type))
    return InquiryEvent(
        event_id=event_id(SOURCE, submission_id),
        source=SOURCE,
        occurred_at=at,
        municipality=mapping.municipality,
        department=department,
        channel="self_service",
        direction="in",
        inquiry_type=task.inquiry_type,
        kle=task.kle,
        form=True,  # KOMHEN's Blanket: the citizen filled in a form
        department_name=unit,  # None: the mapping's name for the department
    )


def _department(record: SourceRecord, mapping: SourceMapping, form: str) -> tuple[str, str | None]:
    """The record's own department (and its name as written) if it names one, else the mapping's for the form."""
    unit = record.text("department")
    if unit is None:
        return record.department(mapping, form), None
    try:
        return unit_department(unit, mapping.municipality), unit
    except NoSlug as e:
        raise InvalidEvent(Reason.INVALID_FORMAT, "rejected.no_slug", "department", unit=shown(e.unit)) from None


ADAPTER = Adapter(SOURCE, map_submission)
