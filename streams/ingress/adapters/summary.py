"""What `komhen source` tells a person, in Danish, besides the counts: what was skipped and why, and notes.

A record is skipped only when it is no inquiry (an internal call, a transfer leg, a meeting …);
each reason is counted and said in words. Notes are what a counted record needs said: a unit key
the mapping does not name (so the inquiry counts under `unknown`), or where a time came from.

>>> from collections import Counter
>>> skipped_line(Counter({"internal_call": 3, "transfer_leg": 1}))
'sprunget over (ikke henvendelser): 3 interne opkald; 1 viderestillet del af et indgående opkald, der selv tælles'
"""

from __future__ import annotations

from collections import Counter

from streams.contract.danish import whole

# Reason code -> (one, many) in Danish.
SKIPPED_DA = {
    "internal_call": ("internt opkald", "interne opkald"),
    "outgoing_call_not_answered": ("udgående opkald, som ingen tog", "udgående opkald, som ingen tog"),
    "transfer_leg": (
        "viderestillet del af et indgående opkald, der selv tælles",
        "viderestillede dele af indgående opkald, der selv tælles",
    ),
    "conference_call": ("opkald til eller fra et telefonmøde", "opkald til eller fra telefonmøder"),
    "meeting": ("onlinemøde", "onlinemøder"),
    "call_failed": ("opkald, der fejlede teknisk (SIP-fejl)", "opkald, der fejlede teknisk (SIP-fejl)"),
    "ticket_cancelled": ("annulleret billet", "annullerede billetter"),
    "ticket_no_show": ("billet, hvor borgeren ikke kom", "billetter, hvor borgeren ikke kom"),
}
MAX_NOTES = 10  # distinct notes shown; the rest are counted in one line


def skipped_line(skipped: Counter[str]) -> str | None:
    """One line for everything skipped, most frequent first; None when nothing was."""
    if not skipped:
        return None
    parts = []
    for reason, n in sorted(skipped.items(), key=lambda item: (-item[1], item[0])):
        one, many = SKIPPED_DA.get(reason, (reason, reason))
        parts.append(f"{whole(n)} {one if n == 1 else many}")
    return "sprunget over (ikke henvendelser): " + "; ".join(parts)


def note_lines(notes: Counter[str]) -> list[str]:
    """A line per distinct note with how many records it concerns, the most frequent first."""
    ranked = sorted(notes.items(), key=lambda item: (-item[1], item[0]))
    lines = [f"bemærkning ({whole(n)} gange): {note}" if n > 1 else f"bemærkning: {note}" for note, n in ranked]
    if len(lines) > MAX_NOTES:
        rest = sum(n for _, n in ranked[MAX_NOTES:])
        lines = [*lines[:MAX_NOTES], f"og {whole(len(ranked) - MAX_NOTES)} andre bemærkninger om {whole(rest)} poster"]
    return lines
