"""Dates and times as a date/time section of a number format shows them (zh-CN names).

A spreadsheet stores a date as a serial number of days; a section like
``yyyy"年"m"月"d"日"`` or ``h:mm AM/PM`` turns it into text. An :class:`Instant` holds the
serial split into whole days and exact seconds, so a Python datetime and a float serial
take the same road. How the time of day is rounded follows LibreOffice 7.4, which treats
three kinds of section differently:

* date only (``yyyy-mm-dd``): the day of the serial rounded to milliseconds;
* time only (``h:mm``, ``hh:mm:ss.00``): the clock is *truncated* (23:59:59.9 shows 23:59:59),
  after rounding away float noise (tools::Time::GetClock);
* date and time (``yyyy/m/d h:mm``): like time only, except that a time which rounds (to
  the decimals of a second shown) to midnight is shown as 00:00 of the next day;
* elapsed time (``[h]:mm``): the seconds are rounded half-up to the decimals shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from .numfmt import (AMPM, COMMA, DATE, DIGIT, DOT, ELAPSED, LITERAL, PERCENT, SKIP, SLASH,
                     Section, Token)

SECONDS_PER_DAY = 86400
_DAY = Decimal(SECONDS_PER_DAY)
_DAY_ZERO = date(1899, 12, 30)  # serial 0 (the count every date after 1900-02-28 agrees with)
_DAY_ZERO_1904 = date(1904, 1, 1)
_MAX_ELAPSED = Decimal(2**32 - 1)  # LibreOffice shows #FMT for more elapsed seconds
_MONTHS = ("一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月",
           "十一月", "十二月")
_WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")  # Monday first, like date.weekday()
_TIME_LETTERS = "hs"
_DATE_LETTERS = "ydeagb"


@dataclass(frozen=True)
class Instant:
    """A serial as whole days and the exact seconds of that day (0 <= seconds < 86400)."""

    days: int
    seconds: Decimal
    excel_days: bool = False  # count days as Excel's 1900 system (with its 1900-02-29)
    date1904: bool = False

    @classmethod
    def from_serial(cls, serial: Decimal, date1904: bool = False) -> "Instant":
        """A number stored in a cell (days; the fraction is the time of day)."""
        days = int(serial.to_integral_value(ROUND_FLOOR))
        return cls(days, (serial - days) * _DAY, excel_days=not date1904, date1904=date1904)

    @classmethod
    def from_value(cls, value: date | time | timedelta) -> "Instant":
        """A Python date, datetime, time (on day 0) or timedelta (a duration in days)."""
        if isinstance(value, timedelta):
            micro = (value.days * SECONDS_PER_DAY + value.seconds) * 10**6 + value.microseconds
            days, rest = divmod(micro, SECONDS_PER_DAY * 10**6)
            return cls(days, Decimal(rest) / 10**6)
        if isinstance(value, time):
            return cls(0, _clock_seconds(value))
        day = value.date() if isinstance(value, datetime) else value
        seconds = _clock_seconds(value.time()) if isinstance(value, datetime) else Decimal(0)
        return cls((day - _DAY_ZERO).days, seconds)

    @property
    def serial(self) -> Decimal:
        return self.days + self.seconds / _DAY


def to_serial(value: date | time | timedelta, date1904: bool = False) -> Decimal:
    """The serial number a spreadsheet stores for a date/time value (shown by number formats)."""
    instant = Instant.from_value(value)
    days = instant.days
    if isinstance(value, date):
        day = value.date() if isinstance(value, datetime) else value
        if date1904:
            days = (day - _DAY_ZERO_1904).days
        elif date(1900, 1, 1) <= day < date(1900, 3, 1):
            days -= 1  # Excel counts these before its fictitious 1900-02-29
    return days + instant.seconds / _DAY


def render_date(section: Section, instant: Instant) -> str:
    """The text of a date/time section for an instant (see the module docstring for rounding)."""
    tokens = section.tokens
    places = subsecond_digits(section)
    elapsed = any(token.kind == ELAPSED for token in tokens)
    has_date = any(_is_date_token(tokens, i) for i in range(len(tokens)))
    has_time = any(_is_time_token(tokens, i) for i in range(len(tokens)))
    if elapsed:
        return _render_elapsed(section, instant, places)
    days, seconds = instant.days, instant.seconds
    if has_date and has_time:
        if _round(seconds, places) >= _DAY:
            days, clock = days + 1, (0, 0, 0, Decimal(0))  # 23:59:59.6 is the next day
        else:
            clock = _clock(instant, places)
    elif has_time:
        clock = _clock(instant, places)
    else:
        millis = _round((days * _DAY + seconds) * 1000, 0)
        days = int((millis / (_DAY * 1000)).to_integral_value(ROUND_FLOOR))
        clock = (0, 0, 0, Decimal(0))
    calendar = _calendar(days, instant)  # OverflowError past the year 9999
    return _render(tokens, calendar, clock, places, elapsed_total=None)


def subsecond_digits(section: Section) -> int:
    """How many decimals of a second the section shows (``ss.00`` -> 2)."""
    tokens = section.tokens
    for index, token in enumerate(tokens):
        if token.kind == DOT and index > 0 and _is_seconds(tokens[index - 1]):
            count = 0
            for follower in tokens[index + 1:]:
                if follower.kind != DIGIT or follower.text != "0":
                    break
                count += 1
            return count
    return 0


def skip_blanks(char: str) -> str:
    """The blanks ``_x`` leaves: as many spaces as LibreOffice's width of x (CJK counts 2)."""
    if not char or ord(char) < 32:
        return ""
    if ord(char) > 127:
        return "  "
    return " " * _CHAR_WIDTHS[ord(char) - 32]


# LibreOffice's rough character widths for _x (SvNumberformat::InsertBlanks), ASCII 32..127.
_CHAR_WIDTHS = (
    1, 1, 1, 2, 2, 3, 2, 1, 1, 1, 1, 2, 1, 1, 1, 1,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 2, 2, 2, 2,
    3, 2, 2, 2, 2, 2, 2, 3, 2, 1, 2, 2, 2, 3, 3, 3,
    2, 3, 2, 2, 2, 2, 2, 3, 2, 2, 2, 1, 1, 1, 2, 2,
    1, 2, 2, 2, 2, 2, 1, 2, 2, 1, 1, 2, 1, 3, 2, 2,
    2, 2, 1, 2, 1, 2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 1,
)


# ---------------------------------------------------------------------------- clocks

Clock = tuple[int, int, int, Decimal]  # hour, minute, second, fraction of a second


def _clock(instant: Instant, places: int) -> Clock:
    """A time-only section's clock: float noise rounded away, then truncated (GetClock)."""
    if instant.seconds <= 0:
        return 0, 0, 0, Decimal(0)
    magnitude = abs(float(instant.serial))
    noise_places = 9 if magnitude < 1 else min(max(10 - math.ceil(math.log10(magnitude)), 2), 9)
    seconds = _round(instant.seconds, noise_places)
    if seconds >= _DAY:
        seconds = _DAY - Decimal("1e-9")
    hour, minute, second, fraction = _split(seconds)
    if places:
        shown = _round(fraction, places)
        if shown >= 1:
            shown = fraction.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)
        fraction = shown
    return hour, minute, second, fraction


def _split(seconds: Decimal) -> Clock:
    whole = int(seconds)
    hour, rest = divmod(whole, 3600)
    minute, second = divmod(rest, 60)
    return hour, minute, second, seconds - whole


def _render_elapsed(section: Section, instant: Instant, places: int) -> str:
    """``[h]:mm:ss``: the duration rounded to the shown decimals, with its sign in front."""
    total = instant.days * _DAY + instant.seconds
    negative = total < 0
    rounded = _round(abs(total), places)
    if rounded > _MAX_ELAPSED:
        return "#FMT"
    whole = int(rounded)
    clock = (whole // 3600, whole % 3600 // 60, whole % 60, rounded - whole)
    text = _render(section.tokens, None, clock, places, elapsed_total=whole)
    return "-" + text if negative and rounded != 0 else text


# ---------------------------------------------------------------------------- calendar

Calendar = tuple[int, int, int, int]  # year, month, day, weekday (Monday = 0)


def _calendar(days: int, instant: Instant) -> Calendar:
    if instant.date1904:
        day = _DAY_ZERO_1904 + timedelta(days=days)
    elif instant.excel_days and days == 60:
        return 1900, 2, 29, 3  # Excel's fictitious leap day
    elif instant.excel_days and 0 < days < 60:
        day = _DAY_ZERO + timedelta(days=days + 1)
    else:
        day = _DAY_ZERO + timedelta(days=days)
    return day.year, day.month, day.day, day.weekday()


# ---------------------------------------------------------------------------- tokens


def _render(tokens: tuple[Token, ...], calendar: Calendar | None, clock: Clock, places: int,
            elapsed_total: int | None) -> str:
    hour, minute, second, fraction = clock
    twelve_hour = any(token.kind == AMPM for token in tokens)
    out: list[str] = []
    index = 0
    first_elapsed = True
    while index < len(tokens):
        token = tokens[index]
        kind, text = token.kind, token.text
        if kind == DATE:
            out.append(_date_part(tokens, index, calendar, hour, minute, second, twelve_hour))
        elif kind == ELAPSED:
            unit = {"h": 3600, "m": 60, "s": 1}[text[0]]
            value = (elapsed_total or 0) // unit if first_elapsed else 0
            out.append(f"{value:0{len(text)}d}")
            first_elapsed = False
        elif kind == AMPM:
            out.append(_ampm(text, hour))
        elif kind == DOT and index > 0 and _is_seconds(tokens[index - 1]) and places:
            out.append("." + f"{fraction:.{places}f}".split(".")[1])
            index += 1 + places
            continue
        elif kind in (LITERAL, DIGIT, SLASH, DOT, COMMA, PERCENT):
            out.append(text)
        elif kind == SKIP:
            out.append(skip_blanks(text))
        index += 1
    return "".join(out)


def _date_part(tokens, index: int, calendar: Calendar | None, hour: int, minute: int,
               second: int, twelve_hour: bool) -> str:
    text = tokens[index].text
    letter, width = text[0], len(text)
    if letter == "m" and width <= 2 and _is_minute(tokens, index):
        return f"{minute:0{width}d}"
    if letter == "h":
        shown = (hour % 12 or 12) if twelve_hour else hour
        return f"{shown:0{min(width, 2)}d}"
    if letter == "s":
        return f"{second:0{min(width, 2)}d}"
    if calendar is None:
        return ""
    year, month, day, weekday = calendar
    if letter == "y":
        # LibreOffice knows YY and YYYY; a lone Y is a letter ("yyy" shows "23y").
        return f"{year:04d}" * (width // 4) + f"{year % 100:02d}" * (width % 4 // 2) + "y" * (width % 2)
    if letter == "e":
        # LibreOffice: E is the short year of the era, EE the full one (Excel: e is 4 digits).
        return f"{year % 100:02d}" if width == 1 else f"{year:04d}"
    if letter == "m":
        return (str(month), f"{month:02d}", f"{month}月", _MONTHS[month - 1],
                _MONTHS[month - 1][0])[min(width, 5) - 1]
    if letter == "d":
        if width <= 2:
            return f"{day:0{width}d}"
        return _WEEKDAYS[weekday] if width == 3 else "星期" + _WEEKDAYS[weekday]
    if letter == "a":
        return _WEEKDAYS[weekday] if width == 3 else "星期" + _WEEKDAYS[weekday]
    if letter == "g":
        return "公元" if width >= 3 else ""
    if letter == "b":
        buddhist = year + 543
        return f"{buddhist % 100:02d}" if width <= 2 else f"{buddhist:04d}"
    return ""


def _ampm(text: str, hour: int) -> str:
    if text.lower() == "a/p":
        return "p" if hour >= 12 else "a"  # LibreOffice writes lower case either way
    return "下午" if hour >= 12 else "上午"


def _is_seconds(token: Token) -> bool:
    return token.kind in (DATE, ELAPSED) and token.text[0] == "s"


def _is_minute(tokens: tuple[Token, ...], index: int) -> bool:
    """m/mm is minutes right after an hour or right before a second, else the month."""
    for token in reversed(tokens[:index]):
        if token.kind in (DATE, ELAPSED):
            if token.text[0] == "h":
                return True
            break
    for token in tokens[index + 1:]:
        if token.kind in (DATE, ELAPSED):
            return token.text[0] == "s"
    return False


def _is_date_token(tokens, index: int) -> bool:
    token = tokens[index]
    if token.kind != DATE:
        return False
    letter = token.text[0]
    return letter in _DATE_LETTERS or (letter == "m" and not _is_minute(tokens, index))


def _is_time_token(tokens, index: int) -> bool:
    token = tokens[index]
    if token.kind in (AMPM, ELAPSED):
        return True
    if token.kind != DATE:
        return False
    letter = token.text[0]
    return letter in _TIME_LETTERS or (letter == "m" and _is_minute(tokens, index))


def _clock_seconds(value: time) -> Decimal:
    return Decimal(value.hour * 3600 + value.minute * 60 + value.second) + \
        Decimal(value.microsecond) / 10**6


def _round(number: Decimal, places: int) -> Decimal:
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
