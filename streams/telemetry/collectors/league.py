"""The national view as gauges: the deployment's sums, the average municipality and the league tables.

Computed at scrape time from the same window sums of the global view that give each
municipality's `_all`, on the one worker that holds that view, so each series exists once.
Series stay few: channel × direction × window for the nation, measure × window for the
averages, municipality × measure × window for the tables (98 × 7 × 4 = 2,744 per family).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from prometheus_client.core import GaugeMetricFamily

from streams.contract import names
from streams.domain.counting.windows import WINDOWS
from streams.domain.events.codes import code_table
from streams.domain.measures.league import league_tables
from streams.domain.measures.shares import channel_shares

PerMunicipality = Mapping[str, Mapping[str, Counter[tuple[str, str]]]]  # window -> municipality -> counts


def national_families(
    channels: PerMunicipality, completions: PerMunicipality, min_inquiries: int
) -> list[GaugeMetricFamily]:
    """Every national and league family for windows of (channel, direction) and (channel, completion) counts."""
    window_labels = ["channel", "direction", "window"]
    counts = GaugeMetricFamily(
        names.NATIONAL_WINDOW_INQUIRIES,
        "Inquiries in the window in the whole deployment: the sum over every municipality.",
        labels=window_labels,
    )
    shares = GaugeMetricFamily(
        names.NATIONAL_CHANNEL_SHARE,
        "Share 0..1 of the channel among the deployment's inquiries of the same direction, from the sums "
        "(the national aggregate, not an average of municipalities' shares).",
        labels=window_labels,
    )
    measure_labels = [names.LABEL_MEASURE, "window"]
    national = GaugeMetricFamily(
        names.NATIONAL_MEASURE,
        "The league measure of the whole deployment computed once over the sums of all municipalities' "
        "inquiries (the national aggregate; a large municipality weighs more).",
        labels=measure_labels,
    )
    average = GaugeMetricFamily(
        names.MUNICIPALITY_AVERAGE,
        "The average municipality: mean or median of the ranked municipalities' values of the measure "
        "(each municipality weighs one; those with too few inquiries are left out).",
        labels=[*measure_labels, names.LABEL_STATISTIC],
    )
    place_labels = ["municipality", names.LABEL_MEASURE, "window"]
    value = GaugeMetricFamily(
        names.MUNICIPALITY_MEASURE,
        "The municipality's value of the league measure in the window (also when it has too few inquiries "
        "to be ranked).",
        labels=place_labels,
    )
    rank = GaugeMetricFamily(
        names.LEAGUE_RANK,
        "The municipality's place on the measure, 1 = best; equal values share a place. Absent when the "
        "measure rests on too few inquiries.",
        labels=place_labels,
    )
    percentile = GaugeMetricFamily(
        names.LEAGUE_PERCENTILE,
        "Share 0..1 of the other ranked municipalities this one is at least as good as (1 = best, 0 = last).",
        labels=place_labels,
    )
    ranked = GaugeMetricFamily(
        names.LEAGUE_RANKED, "How many municipalities are ranked on the measure in the window.", labels=measure_labels
    )
    minimum = GaugeMetricFamily(
        names.LEAGUE_MIN_INQUIRIES,
        "Inquiries a measure must rest on for a municipality to be ranked (KOMHEN_LEAGUE_MIN_INQUIRIES).",
    )
    minimum.add_metric([], min_inquiries)
    pairs = code_table().channel_directions()
    for window in WINDOWS:
        by_municipality = channels.get(window, {})
        total: Counter[tuple[str, str]] = Counter()
        for municipality_counts in by_municipality.values():
            total.update(municipality_counts)
        for channel, direction in pairs:
            counts.add_metric([channel, direction, window], total.get((channel, direction), 0))
        for (channel, direction), share in channel_shares(total, pairs).items():
            shares.add_metric([channel, direction, window], share)
        tables = league_tables(by_municipality, completions.get(window, {}), min_inquiries)
        for measure, table in tables.items():
            key = [measure.value, window]
            if table.national is not None:
                national.add_metric(key, table.national)
            for statistic, stat in ((names.STATISTIC_MEAN, table.mean), (names.STATISTIC_MEDIAN, table.median)):
                if stat is not None:
                    average.add_metric([*key, statistic], stat)
            ranked.add_metric(key, table.ranked)
            for standing in table.table():
                place = [standing.municipality, measure.value, window]
                if standing.value is not None:
                    value.add_metric(place, standing.value)
                if standing.rank is not None and standing.percentile is not None:
                    rank.add_metric(place, standing.rank)
                    percentile.add_metric(place, standing.percentile)
    return [counts, shares, national, average, value, rank, percentile, ranked, minimum]
