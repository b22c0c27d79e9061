"""The state gauges of departments and whole municipalities (`_all`), one concern a collector.

Each reads the StateFigures its keeper computed (streams/telemetry/figures.py) and writes the
families of its concern; nothing is ranked, folded or divided here.
"""

from __future__ import annotations

from prometheus_client.core import GaugeMetricFamily

from streams.contract import names
from streams.telemetry.collectors.base import FiguresCollector
from streams.telemetry.figures import StateFigures

WINDOW_LABELS = ["municipality", "department", "channel", "direction", "window"]
RATE_LABELS = ["municipality", "department", "window"]


class WindowInquiryCollector(FiguresCollector[StateFigures]):
    """komhen_window_inquiries: each department's inquiries per channel and direction in each window."""

    def families(self, figures: StateFigures) -> list[GaugeMetricFamily]:
        counts = GaugeMetricFamily(
            names.WINDOW_INQUIRIES,
            "Inquiries in the rolling window ending on the reference day (department _all: whole municipality).",
            labels=WINDOW_LABELS,
        )
        for d in figures.departments:
            for channel, direction in d.exported:
                counts.add_metric(
                    [d.municipality, d.department, channel, direction, d.window], d.counts.get((channel, direction), 0)
                )
        return [counts]


class ChannelShareCollector(FiguresCollector[StateFigures]):
    """komhen_channel_share: each channel's share of its direction (not for LEAN departments)."""

    def families(self, figures: StateFigures) -> list[GaugeMetricFamily]:
        shares = GaugeMetricFamily(
            names.CHANNEL_SHARE,
            "Share 0..1 of the channel among all inquiries of the same direction in the window.",
            labels=WINDOW_LABELS,
        )
        for d in figures.departments:
            for (channel, direction), share in d.shares.items():
                shares.add_metric([d.municipality, d.department, channel, direction, d.window], share)
        return [shares]


class ServiceEventCollector(FiguresCollector[StateFigures]):
    """komhen_window_service_events: abandoned calls and self-service attempts in each window."""

    def families(self, figures: StateFigures) -> list[GaugeMetricFamily]:
        service = GaugeMetricFamily(
            names.WINDOW_SERVICE_EVENTS,
            "Service events (abandoned calls, self-service attempts started or abandoned, reception visits missed or "
            "cancelled) in the window.",
            labels=["municipality", "department", "kind", "window"],
        )
        for d in figures.departments:
            for kind, n in d.kinds:
                service.add_metric([d.municipality, d.department, kind, d.window], n)
        return [service]


class ServiceRateCollector(FiguresCollector[StateFigures]):
    """The service rates: telephone answers, self-service completion, first-contact resolution."""

    def families(self, figures: StateFigures) -> list[GaugeMetricFamily]:
        answer = GaugeMetricFamily(
            names.ANSWER_RATE,
            "Incoming calls answered or taken by voicemail / all incoming calls offered, in the window.",
            labels=RATE_LABELS,
        )
        completion = GaugeMetricFamily(
            names.COMPLETION_RATE,
            "Completed self-service transactions / started self-service attempts, in the window.",
            labels=RATE_LABELS,
        )
        first_contact = GaugeMetricFamily(
            names.FIRST_CONTACT_RESOLUTION,
            "Phone and personal inquiries resolved at first contact (STRAKS) / those with a recorded completion.",
            labels=RATE_LABELS,
        )
        for d in figures.departments:
            where = [d.municipality, d.department, d.window]
            for family, rate in (
                (answer, d.answer_rate),
                (completion, d.completion_rate),
                (first_contact, d.first_contact_resolution),
            ):
                if rate is not None:
                    family.add_metric(where, rate)
        return [answer, completion, first_contact]


class ReferenceTimeCollector(FiguresCollector[StateFigures]):
    """komhen_reference_timestamp_seconds: where the rolling windows end."""

    def families(self, figures: StateFigures) -> list[GaugeMetricFamily]:
        reference = GaugeMetricFamily(
            names.REFERENCE_TIMESTAMP,
            "The moment the rolling windows end at (wall clock, or newest event with the event clock).",
            value=figures.reference.timestamp(),
        )
        return [reference]


class LabelBudgetCollector(FiguresCollector[StateFigures]):
    """komhen_departments_over_budget: departments counted under `_other`, per municipality label."""

    def families(self, figures: StateFigures) -> list[GaugeMetricFamily]:
        over = GaugeMetricFamily(
            names.DEPARTMENTS_OVER_BUDGET,
            f"Departments counted under department={names.OTHER} because the label budget is spent "
            "(KOMHEN_MAX_DEPARTMENTS per municipality, KOMHEN_MAX_MUNICIPALITIES).",
            labels=["municipality"],
        )
        for municipality, n in figures.over_budget:
            over.add_metric([municipality], n)
        return [over]


class DepartmentInfoCollector(FiguresCollector[StateFigures]):
    """komhen_department_info: 1 per department with series of its own, its display name as a label.

    Dashboards and the live table join on (municipality, department) to show the name.
    """

    def families(self, figures: StateFigures) -> list[GaugeMetricFamily]:
        info = GaugeMetricFamily(
            names.DEPARTMENT_INFO,
            "1 per department, with its display name as the newest inquiry that named it gave it (department_name).",
            labels=["municipality", "department", "department_name"],
        )
        for municipality, department, name in figures.names:
            info.add_metric([municipality, department, name], 1)
        return [info]
