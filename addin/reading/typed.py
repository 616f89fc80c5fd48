"""A grid cell (value + number format) as the model takes it: text, Entry or Figure.

What the accountant sees in a cell is what every output prints (SCORING.md §5b.4), so every
reader turns cells into model values here, with the text the spreadsheet shows computed once
by :func:`udfs.display.shown_text`: the template reader and the official-table importer alike.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

from udfs.cells import is_blank
from udfs.display import shown_text
from udfs.model import Entry
from udfs.numbers import D, Figure
from udfs.targets import normalize_text

from .grid import GENERAL


def shown(value: object, number_format: str = GENERAL) -> str:
    """What the cell shows, on one line and trimmed; "" for a blank cell."""
    if is_blank(value):
        return ""
    return shown_text(value, number_format).strip()


def entry(value: object, number_format: str = GENERAL) -> Entry | None:
    """A 年度指标值/实际完成值 cell; None when blank. Numbers become exact Decimals (a
    number no table holds raises ValueError with the Chinese reason of :func:`udfs.numbers.D`)."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        text = value.strip()
        return Entry(text, text, number_format)
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return Entry(D(value), shown(value, number_format), number_format)
    return Entry(value, shown(value, number_format), number_format)


class NotANumber(ValueError):
    """The cell holds something that is not a number; the message is Chinese."""


def figure(value: object, number_format: str = GENERAL) -> Figure | None:
    """An amount, weight or score cell as a Figure that prints as the cell shows it; None when
    blank. Text that is a plain number ("912.50", "1,234.5") counts; anything else raises
    :class:`NotANumber` (or ValueError for a number out of range)."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise NotANumber(f"「{shown(value)}」是逻辑值，不是数字")
    if isinstance(value, (date, time, timedelta)):
        raise NotANumber(f"「{shown(value, number_format)}」是日期或时间，不是数字")
    if isinstance(value, (int, float, Decimal)):
        return Figure(D(value), shown(value, number_format), number_format)
    text = str(value).strip()
    plain = normalize_text(text).replace(",", "").replace(" ", "")
    try:
        number = Decimal(plain)
    except ArithmeticError:
        raise NotANumber(f"「{text}」不是数字") from None
    if not number.is_finite():
        raise NotANumber(f"「{text}」不是数字")
    return Figure(D(plain), text, number_format)  # D names the number as typed when it is out of range
