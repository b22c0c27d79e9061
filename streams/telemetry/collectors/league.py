"""The national view as gauges: the deployment's sums, the average municipality and the league tables.

Written from the national figures of the global view (streams/telemetry/figures.py), on the one
worker that holds that view, so each series exists once. Series stay few: channel × direction ×
window for the nation, measure × window for the averages, municipality × measure × window for the
tables (98 × 7 × 4 = 2,744 per family).
"""

from __future__ import annotations

from prometheus_client.core import GaugeMetricFamily

from streams.contract import names
from streams.telemetry.collectors.base import FiguresCollector
from streams.telemetry.figures import StateFigures

WINDOW_LABELS = ["channel", "direction", "window"]
MEASURE_LABELS = [names.LABEL_MEASURE, "window"]
PLACE_LABELS = ["municipality", names.LABEL_MEASURE, "window"]


class NationalCollector(FiguresCollector[StateFigures]):
    """The whole deployment: its sums and shares, each measure over the sums, and the average municipality."""

    def families(self, figures: StateFigures) -> list[GaugeMetricFamily]:
        if figures.national is None:
            return []
        counts = GaugeMetricFamily(
            names.NATIONAL_WINDOW_INQUIRIES,
            "Inquiries in the window in the whole deployment: the sum over every municipality.",
            labels=WINDOW_LABELS,
        )
        shares = GaugeMetricFamily(
            names.NATIONAL_CHANNEL_SHARE,
            "Share 0..1 of the channel among the deployment's inquiries of the same direction, from the sums "
            "(the national aggregate, not an average of municipalities' shares).",
            labels=WINDOW_LABELS,
        )
        national = GaugeMetricFamily(
            names.NATIONAL_MEASURE,
            "The league measure of the whole deployment computed once over the sums of all municipalities' "
            "inquiries (the national aggregate; a large municipality weighs more).",
            labels=MEASURE_LABELS,
        )
        average = GaugeMetricFamily(
            names.MUNICIPALITY_AVERAGE,
            "The average municipality: mean or median of the ranked municipalities' values of the measure "
            "(each municipality weighs one; those with too few inquiries are left out).",
            labels=[*MEASURE_LABELS, names.LABEL_STATISTIC],
        )
        for w in figures.national.windows:
            for channel, direction in figures.national.pairs:
                counts.add_metric([channel, direction, w.window], w.counts.get((channel, direction), 0))
            for (channel, direction), share in w.shares.items():
                shares.add_metric([channel, direction, w.window], share)
            for league in w.leagues:
                key = [league.measure.value, w.window]
                if league.national is not None:
                    national.add_metric(key, league.national)
                for statistic, value in ((names.STATISTIC_MEAN, league.mean), (names.STATISTIC_MEDIAN, league.median)):
                    if value is not None:
                        average.add_metric([*key, statistic], value)
        return [counts, shares, national, average]


class LeagueCollector(FiguresCollector[StateFigures]):
    """The league tables: each municipality's value, place and percentile, and how many are ranked."""

    def families(self, figures: StateFigures) -> list[GaugeMetricFamily]:
        if figures.national is None:
            return []
        value = GaugeMetricFamily(
            names.MUNICIPALITY_MEASURE,
            "The municipality's value of the league measure in the window (also when it has too few inquiries "
            "to be ranked).",
            labels=PLACE_LABELS,
        )
        rank = GaugeMetricFamily(
            names.LEAGUE_RANK,
            "The municipality's place on the measure, 1 = best; equal values share a place. Absent when the "
            "measure rests on too few inquiries.",
            labels=PLACE_LABELS,
        )
        percentile = GaugeMetricFamily(
            names.LEAGUE_PERCENTILE,
            "Share 0..1 of the other ranked municipalities this one is at least as good as (1 = best, 0 = last).",
            labels=PLACE_LABELS,
        )
        ranked = GaugeMetricFamily(
            names.LEAGUE_RANKED,
            "How many municipalities are ranked on the measure in the window.",
            labels=MEASURE_LABELS,
        )
        minimum = GaugeMetricFamily(
            names.LEAGUE_MIN_INQUIRIES,
            "Inquiries a measure must rest on for a municipality to be ranked (KOMHEN_LEAGUE_MIN_INQUIRIES).",
            value=figures.national.min_inquiries,
        )
        for w in figures.national.windows:
            for league, table in zip(w.leagues, w.tables, strict=True):
                ranked.add_metric([league.measure.value, w.window], league.ranked)
                for standing in table:
                    place = [standing.municipality, league.measure.value, w.window]
                    if standing.value is not None:
                        value.add_metric(place, standing.value)
                    if standing.rank is not None and standing.percentile is not None:
                        rank.add_metric(place, standing.rank)
                        percentile.add_metric(place, standing.percentile)
        return [value, rank, percentile, ranked, minimum]
