"""Channel shares and service rates: the one place a share or a rate is computed.

A channel's share is its inquiries divided by all inquiries *of the same direction* in
the same period (KOMHEN's definition): incoming phone calls are compared with all
incoming inquiries, outgoing Digital Post with all outgoing letters and messages.
"""

from __future__ import annotations

from collections.abc import Mapping

ChannelDirection = tuple[str, str]
# KOMHEN: only phone and personal contacts can be resolved at first contact (STRAKS).
FIRST_CONTACT_CHANNELS = frozenset({"phone", "personal"})


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


def answer_rate(channels: Mapping[ChannelDirection, int], kinds: Mapping[str, int]) -> float | None:
    """Incoming calls that became inquiries (answered or voicemail) / all incoming calls offered.

    Abandoned calls are not inquiries (KOMHEN) but were offered; None without any calls.
    """
    answered = channels.get(("phone", "in"), 0)
    offered = answered + kinds.get("call_abandoned", 0)
    return answered / offered if offered else None


def completion_rate(channels: Mapping[ChannelDirection, int], kinds: Mapping[str, int]) -> float | None:
    """Completed self-service transactions / started attempts; None where no attempt was reported."""
    started = kinds.get("selfservice_started", 0)
    return channels.get(("self_service", "in"), 0) / started if started else None


def first_contact_resolution(completions: Mapping[tuple[str, str], int]) -> float | None:
    """STRAKS / (STRAKS + HOLD) among phone and personal inquiries that recorded a completion."""
    resolved = sum(
        n for (channel, c), n in completions.items() if channel in FIRST_CONTACT_CHANNELS and c == "immediate"
    )
    recorded = sum(n for (channel, _), n in completions.items() if channel in FIRST_CONTACT_CHANNELS)
    return resolved / recorded if recorded else None
