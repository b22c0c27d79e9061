"""Channel shares: the one place a share is computed.

A channel's share is its inquiries divided by all inquiries *of the same direction* in
the same period (KOMHEN's definition): incoming phone calls are compared with all
incoming inquiries, outgoing Digital Post with all outgoing letters and messages.
"""

from __future__ import annotations

from collections.abc import Mapping

ChannelDirection = tuple[str, str]


def direction_totals(counts: Mapping[ChannelDirection, int]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for (_, direction), n in counts.items():
        totals[direction] = totals.get(direction, 0) + n
    return totals


def channel_shares(
    counts: Mapping[ChannelDirection, int], pairs: tuple[ChannelDirection, ...]
) -> dict[ChannelDirection, float]:
    """Share in 0..1 of each (channel, direction) in `pairs` whose direction had inquiries.

    Channels without inquiries get 0.0 (a target on them is then visibly missed); a
    direction with no inquiries at all has no shares (0/0 is not 0 %).
    """
    totals = direction_totals(counts)
    return {
        (channel, direction): counts.get((channel, direction), 0) / totals[direction]
        for channel, direction in pairs
        if totals.get(direction)
    }
