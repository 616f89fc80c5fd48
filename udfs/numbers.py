"""The one owner of number rules: Decimal conversion, rounding, ratios, percentages.

Accounting figures are never floats here ("never use floating point in an accounting
system"): every value entering the core goes through :func:`D`, every division through
:func:`ratio`, every published score through :func:`round_score`. Nothing else in the
project rounds or divides on its own.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")

ROUNDING_MODES = {"half_up": ROUND_HALF_UP, "floor": ROUND_FLOOR}


def D(value: object) -> Decimal:
    """Convert an int, float, str or Decimal to Decimal without binary artefacts.

    Floats come from Excel cells; ``repr`` gives the shortest decimal that round-trips
    (0.97 stays 0.97, not 0.9699999999999999733546474089962430298328399658203125).
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("布尔值不是数字")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("不是有限数字")
        return Decimal(repr(value))
    if isinstance(value, str):
        try:
            return Decimal(value.strip().replace(",", ""))
        except InvalidOperation:
            raise ValueError(f"「{value}」不是数字") from None
    raise TypeError(f"无法转换为数字：{value!r}")


def quantize(value: Decimal, step: Decimal = CENT, mode: str = "half_up") -> Decimal:
    """Round ``value`` to a multiple of ``step`` (0.01, 0.1, 1) with ``mode`` half_up or floor."""
    units = (value / step).quantize(ONE, rounding=ROUNDING_MODES[mode])
    return (units * step).quantize(step) if step < ONE else units * step


def ratio(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """numerator / denominator, or None when either is missing or the denominator is zero."""
    if numerator is None or denominator is None or denominator == ZERO:
        return None
    return numerator / denominator


def clamp(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(low, min(high, value))


def percent_text(rate: Decimal | None, places: int = 2) -> str:
    """0.88256 -> "88.26%"; None -> "—". Half-up, as published tables do."""
    if rate is None:
        return "—"
    step = Decimal(1).scaleb(-places)
    return f"{quantize(rate * HUNDRED, step):f}%"


def amount_text(value: Decimal | None) -> str:
    """An amount as published: 2007.45 -> "2007.45", 54.00 -> "54", 0.5 -> "0.5"."""
    if value is None:
        return "—"
    text = f"{quantize(value, CENT):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def score_text(value: Decimal | None) -> str:
    """A score as published: 10.00 -> "10", 3.99 -> "3.99", 4.50 -> "4.5"."""
    return amount_text(value)


def to_float(value: Decimal | None) -> float | None:
    """The edge conversion for Excel cells and JSON; the core never computes with it."""
    return None if value is None else float(value)
