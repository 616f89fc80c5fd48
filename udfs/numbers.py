"""The one owner of number rules: Decimal conversion, rounding, ratios, percentages.

Accounting figures are never floats here ("never use floating point in an accounting
system"): every value entering the core goes through :func:`D`, every division through
:func:`ratio`, every published score through :func:`round_score`. Nothing else in the
project rounds or divides on its own.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal, InvalidOperation

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")

ROUNDING_MODES = {"half_up": ROUND_HALF_UP, "floor": ROUND_FLOOR}
_WIDE = Context(prec=80)
# No budget table holds 10^15 of anything; bounding inputs keeps every product and
# quotient of the rules exact within the 80-digit context.
MAX_MAGNITUDE = Decimal("1e15")
# Excel keeps 15 significant digits; anything smaller is subtraction noise (1e-17) and reads as 0.
FLOAT_NOISE = Decimal("1e-12")
# The same bounds as decimal exponents (Decimal.adjusted(): 1e15 -> 15, 9.9e14 -> 14). They are
# compared before any arithmetic: abs(Decimal("1e1000000")) already overflows the context.
_MAX_ADJUSTED = MAX_MAGNITUDE.adjusted()
_NOISE_ADJUSTED = FLOAT_NOISE.adjusted()


class Figure(Decimal):
    """A number read from a cell that remembers how the cell showed it ("912.50", "97.30%").

    What the accountant sees is what every output prints (SCORING.md §5b.4), so a typed
    amount keeps its text through the model into the 自评表, the report and JSON. Arithmetic
    on a Figure gives a plain Decimal: a computed amount is no longer what was typed and is
    printed by the published rules of :func:`amount_text`.
    """

    __slots__ = ("text", "number_format")

    def __new__(cls, value: object, text: str, number_format: str = "General") -> "Figure":
        self = super().__new__(cls, value)
        self.text = text
        self.number_format = number_format
        return self

    def __reduce__(self):  # batch workers pickle results; Decimal's own reduce drops the text
        return (Figure, (str(self), self.text, self.number_format))

    def __repr__(self) -> str:
        return f"Figure('{self}', {self.text!r}, {self.number_format!r})"


def D(value: object) -> Decimal:
    """Convert an int, float, str or Decimal to Decimal without binary artefacts.

    Floats come from Excel cells; ``repr`` gives the shortest decimal that round-trips
    (0.97 stays 0.97, not 0.9699999999999999733546474089962430298328399658203125).
    Raises ValueError (Chinese message) for non-numbers, NaN, infinities and magnitudes
    of 10^15 and above, whatever their exponent ("1e1000000" included: the bounds are checked
    on the exponent, before any arithmetic could overflow); magnitudes below 10^-12 read as 0.
    """
    number = _to_decimal(value)
    if not number.is_finite():
        raise ValueError(f"「{_short(value)}」不是有限数字")
    if number.is_zero():
        return ZERO
    exponent = number.adjusted()
    if exponent >= _MAX_ADJUSTED:
        raise ValueError(f"{OUT_OF_RANGE}：「{_short(value)}」（绝对值应小于10¹⁵）")
    return ZERO if exponent < _NOISE_ADJUSTED else number


OUT_OF_RANGE = "数值超出范围"


def _short(value: object, limit: int = 24) -> str:
    """A cell's text for a message: a 32 767-character cell is not repeated whole."""
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def _to_decimal(value: object) -> Decimal:
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
    """Round ``value`` to ``step`` (0.01, 0.1 or 1) with ``mode`` half_up or floor.

    A wide context, because a mistyped actual (1e24) must still give a sentence, not an
    InvalidOperation from the default 28-digit precision.
    """
    return value.quantize(step, rounding=ROUNDING_MODES[mode], context=_WIDE)


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
    """An amount as published: a typed :class:`Figure` as its cell shows it ("912.50");
    a computed one to two decimals without trailing zeros (2007.45, 54.00 -> "54", 0.5)."""
    if value is None:
        return "—"
    if isinstance(value, Figure):
        return value.text
    text = f"{quantize(value, CENT):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def score_text(value: Decimal | None) -> str:
    """A score as published: 10.00 -> "10", 3.99 -> "3.99", 4.50 -> "4.5"."""
    return amount_text(value)


def to_float(value: Decimal | None) -> float | None:
    """The edge conversion for Excel cells and JSON; the core never computes with it."""
    return None if value is None else float(value)
