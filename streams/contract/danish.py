"""Numbers as Danes write them, for everything a person reads: 1.234 and 44,4 %.

>>> whole(1234567), percent(0.4444), decimal(40.5, 2)
('1.234.567', '44,4 %', '40,50')
"""

from __future__ import annotations


def whole(n: float) -> str:
    """A whole number with '.' between thousands."""
    return f"{round(n):,}".replace(",", ".")


def decimal(x: float, places: int = 1) -> str:
    """A decimal number with ',' as the decimal sign and '.' between thousands."""
    return f"{x:,.{places}f}".replace(",", "\0").replace(".", ",").replace("\0", ".")


def percent(share: float, places: int = 1) -> str:
    """A share 0..1 as a percentage: 0.444 -> '44,4 %'."""
    return f"{decimal(share * 100, places)} %"
