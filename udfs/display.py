"""What a spreadsheet shows for a cell value under its number format (SCORING.md §5b.4).

"What the accountant sees in a cell is what every output prints": a cell holding 0.973 with
the format ``0.00%`` shows ``97.30%``, and so must the 自评表, the report and ``--json``.
:func:`shown_text` renders a value under an Excel number-format code as stored in .xlsx
``styles.xml`` the way LibreOffice Calc shows it in a zh-CN locale (Excel agrees for the codes
accountants use; where the two differ we follow LibreOffice, which is what WPS/LibreOffice
users see and what CI can check — the differences are named where they are handled).

The pipeline is small on purpose: :mod:`udfs.numfmt` tokenizes the code into sections, this
module chooses the section for the value and renders numbers, :mod:`udfs.datetext` renders
dates and times. Numbers are rounded half-up away from zero on their decimal value (a float
becomes ``Decimal(repr(x))``, so 1.005 under ``0.00`` shows 1.01 as in Calc, never a binary
artefact). Nothing here raises: a code or value the renderer does not understand falls back
to General (e.g. ``[DBNum1]`` Chinese numerals, fractions ``# ?/?``).

Where LibreOffice 7.4 (zh-CN) and Excel differ, and we show what LibreOffice shows:

* General keeps 15 significant digits (1234567890123, 0.333333333333333; 1E+016 from 2^53
  on, 5E-10 below 10^-9); Excel's General fits 11 characters (1.23457E+12).
* A minus sign is shown only by the first section: ``[>=100]0.0;0.00`` shows -1 as 1.00.
* % and thousands scaling multiply the double before rounding: 0.285 under ``0%`` is
  28.499999999999996% and shows 28% (Excel 29%).
* A clock is truncated, not rounded: 23:59:59.9 under ``hh:mm:ss`` shows 23:59:59; with a
  date it rolls over only when the shown seconds round to midnight.
* ``e`` is the two-digit year (Excel: 2023), ``ee`` the four-digit one; a lone ``y`` is a
  letter; ``A/P`` shows a/p; AM/PM is 上午/下午.
* More than 2^32 seconds under ``[h]``/``[mm]``/``[ss]`` show ``#FMT``.
* Built-in id 14 is ``yyyy-m-d`` and 22 ``yyyy-m-d h:mm`` (Excel zh-CN: ``yyyy/m/d``).

A serial under a date format counts as Excel's 1900 system, with its fictitious 1900-02-29
(LibreOffice shows serials 1-60 one day earlier; no accounting date is that old).
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from .datetext import Instant, render_date, skip_blanks, to_serial
from .numfmt import (AT, BOOLEAN, COMMA, DIGIT, DOT, EXPONENT, GENERAL, LITERAL, PERCENT,
                     SKIP, SLASH, Condition, Format, Section, parse_format)

__all__ = ["shown_text", "builtin_number_format", "is_percent_format", "is_date_format"]

# Room for every finite double written out in full (1.8e308 has 309 digits).
_WIDE = Context(prec=700, Emax=1000, Emin=-1000)
_TWO_TO_53 = Decimal(2**53)
_ZERO = Decimal(0)

# Excel built-in numFmtId -> code, as LibreOffice 7.4 shows a file that uses the id
# without a <numFmt> element under a zh-CN locale. Excel's own zh-CN table differs for
# 14 and 22 (it shows yyyy/m/d); LibreOffice shows yyyy-m-d, and we follow LibreOffice.
_BUILTIN_FORMATS: dict[int, str] = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
    5: '"￥"#,##0;"￥"\\-#,##0', 6: '"￥"#,##0;[Red]"￥"\\-#,##0',
    7: '"￥"#,##0.00;"￥"\\-#,##0.00', 8: '"￥"#,##0.00;[Red]"￥"\\-#,##0.00',
    9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
    14: "yyyy\\-m\\-d", 15: "d\\-mmm\\-yy", 16: "d\\-mmm", 17: "mmm\\-yy",
    18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss",
    22: "yyyy\\-m\\-d h:mm",
    23: "$#,##0_);($#,##0)", 24: "$#,##0_);[Red]($#,##0)",
    25: "$#,##0.00_);($#,##0.00)", 26: "$#,##0.00_);[Red]($#,##0.00)",
    27: 'yyyy"年"m"月"', 28: 'm"月"d"日"', 29: 'm"月"d"日"', 30: "m\\-d\\-yy",
    31: 'yyyy"年"m"月"d"日"', 32: 'h"时"mm"分"', 33: 'h"时"mm"分"ss"秒"',
    34: 'AM/PMh"时"mm"分"', 35: 'AM/PMh"时"mm"分"ss"秒"', 36: 'yyyy"年"m"月"',
    37: "#,##0;\\-#,##0", 38: "#,##0;[Red]\\-#,##0",
    39: "#,##0.00;\\-#,##0.00", 40: "#,##0.00;[Red]\\-#,##0.00",
    41: '_ * #,##0_ ;_ * \\-#,##0_ ;_ * "-"_ ;_ @_ ',
    42: '_ "￥"* #,##0_ ;_ "￥"* \\-#,##0_ ;_ "￥"* "-"_ ;_ @_ ',
    43: '_ * #,##0.00_ ;_ * \\-#,##0.00_ ;_ * "-"??_ ;_ @_ ',
    44: '_ "￥"* #,##0.00_ ;_ "￥"* \\-#,##0.00_ ;_ "￥"* "-"??_ ;_ @_ ',
    45: "mm:ss", 46: "[h]:mm:ss", 47: "mm:ss.0", 48: "##0.0E+0", 49: "@",
    50: 'yyyy"年"m"月"', 51: 'm"月"d"日"', 52: 'yyyy"年"m"月"', 53: 'm"月"d"日"',
    54: 'm"月"d"日"', 55: 'AM/PMh"时"mm"分"', 56: 'AM/PMh"时"mm"分"ss"秒"',
    57: 'yyyy"年"m"月"', 58: 'm"月"d"日"',
}


def shown_text(value, number_format: str | None = "General", date1904: bool = False) -> str:
    """The text a spreadsheet shows for ``value`` under ``number_format``.

    ``value`` is what a cell stores: None (blank, shows ""), str, bool (TRUE/FALSE), int,
    float, Decimal, or a date/datetime/time/timedelta; a number under a date format is a
    serial in the 1900 system (with Excel's 1900-02-29) or, with ``date1904``, the 1904
    system. Never raises: the last line of defence shows the value as General text.
    """
    try:
        return _shown(value, parse_format(number_format), date1904)
    except (ArithmeticError, ValueError, OverflowError, IndexError):
        return _plain(value)


def builtin_number_format(num_fmt_id: int) -> str | None:
    """The code of an Excel built-in number format id (as LibreOffice zh-CN shows it), else None.

    A cell style may name a built-in id without writing its code into styles.xml; this is
    the code the renderer then needs.
    """
    return _BUILTIN_FORMATS.get(num_fmt_id)


def is_percent_format(number_format: str | None) -> bool:
    """True when the code shows positive numbers with an (unquoted) ``%``: 0.973 is 97.3%."""
    sections = parse_format(number_format).numeric_sections
    return bool(sections) and sections[0].has(PERCENT) and not sections[0].is_date


def is_date_format(number_format: str | None) -> bool:
    """True when the code shows a date or time (y m d h s, AM/PM, [h]; not quoted or escaped)."""
    return any(section.is_date for section in parse_format(number_format).numeric_sections)


# ---------------------------------------------------------------------------- values


def _shown(value, fmt: Format, date1904: bool) -> str:
    if value is None or value == "":
        return ""  # an empty string is an empty cell: no format shows anything for it
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        section = fmt.text_section
        return value if section is None else _render_text(section, value)
    if isinstance(value, (date, time, timedelta)):
        return _shown_moment(value, fmt, date1904)
    number = _decimal(value)
    if number is None:
        return _plain(value)
    if not number.is_finite():
        return "#NUM!"
    if fmt.is_standard:
        return _general(number)
    if not fmt.numeric_sections:  # a text format (@): numbers show as General, signed
        return _signed(_general_custom(abs(number)), number < 0)
    section, index, number = _choose(fmt, number)
    if section is None:
        return _general_custom(abs(number))  # a section the code lacks: LibreOffice adds General
    return _render_section(section, number, index == 0,
                           lambda: Instant.from_serial(number, date1904))


def _shown_moment(value: date | time | timedelta, fmt: Format, date1904: bool) -> str:
    """A date/time value: under a date section its own fields, under a number section its serial.

    A bare date under General (which no spreadsheet stores: typing a date sets a date
    format) prints as ISO 8601 text, which is what a reader of the report expects.
    """
    if fmt.is_standard or not fmt.numeric_sections:
        return _iso(value)
    serial = to_serial(value, date1904)
    section, index, number = _choose(fmt, serial)
    if section is None:
        return _general_custom(abs(number))
    instant = Instant.from_value(value)
    return _render_section(section, number, index == 0,
                           lambda: instant if number == serial else Instant.from_serial(number))


def _render_section(section: Section, number: Decimal, signed: bool, instant) -> str:
    """Render ``number`` with the chosen section; only the first section shows a minus sign."""
    if section.is_date:
        try:
            return render_date(section, instant())
        except OverflowError:
            return _general(number)
    if section.has(BOOLEAN):
        return "FALSE" if number == 0 else "TRUE"
    negative = signed and (number < 0 or (number.is_signed() and section.has(EXPONENT)))
    number = abs(number)  # (LibreOffice's scientific output shows a -0.0 as -0.00E+00)
    if section.unsupported or section.is_fraction:
        return _signed(_general(number), negative)
    if section.is_general:
        return _render_general_section(section, number, negative)
    if section.has(DIGIT):
        if section.has(EXPONENT):
            return _render_scientific(section, number, negative)
        return _render_fixed(section, number, negative)
    return _plain_tokens(section.tokens)  # "TRUE", "-": text only, never a sign


# ---------------------------------------------------------------------------- sections


def _choose(fmt: Format, number: Decimal) -> tuple[Section | None, int, Decimal]:
    """The numeric section for ``number``, its index, and the number as that section sees it.

    LibreOffice's rule (SvNumberformat): without conditions, two sections mean ``>=0``/else
    and three mean ``>0``/``<0``/zero (a lone ``[>0]`` also becomes ``>=0``); a code whose
    conditions leave numbers without a section gets a General section for them (None here).
    A "real negative" section (the ``<0`` one) sees the number without its sign.
    """
    sections = fmt.numeric_sections
    if not sections:
        return None, 0, number
    count = len(sections)
    if count == 1 and sections[0].condition is not None:
        count = 2  # LibreOffice appends a General section
    elif count == 2 and sections[0].condition is not None and sections[1].condition is not None:
        count = 3
    op1 = sections[0].condition
    op2 = sections[1].condition if len(sections) > 1 else None
    if op1 is None and count > 1:
        op1 = Condition(">", _ZERO)
    if op2 is None and count > 2:
        op2 = Condition("<", _ZERO)
    if count == 2 and op1 == Condition(">", _ZERO) and op2 is None:
        op1 = Condition(">=", _ZERO)
    if op1 is None or op1.holds(number):
        index = 0
    elif op2 is None or op2.holds(number):
        index = 1
    else:
        index = 2
    if number < 0 and ((index == 0 and _first_is_negative(op1, op2)) or
                       (index == 1 and _second_is_negative(op1, op2))):
        number = -number
    return (sections[index] if index < len(sections) else None), index, number


def _second_is_negative(op1: Condition | None, op2: Condition | None) -> bool:
    if any(op is not None and op.limit != _ZERO for op in (op1, op2)):
        return False
    ops = (op1.op if op1 else None, op2.op if op2 else None)
    return ops in ((">=", None), (">", "<"), (None, None))


def _first_is_negative(op1: Condition | None, op2: Condition | None) -> bool:
    if op1 is None or any(op is not None and op.limit != _ZERO for op in (op1, op2)):
        return False
    second = op2.op if op2 else None
    return (op1.op == "<" and second in (">", "=", ">=", None)) or \
        (op1.op == "<=" and second in (None, ">"))


def _render_text(section: Section, text: str) -> str:
    out = []
    for token in section.tokens:
        if token.kind in (AT, GENERAL):
            out.append(text)
        elif token.kind == SKIP:
            out.append(skip_blanks(token.text))
        elif token.kind == LITERAL:
            out.append(token.text)
    return "".join(out)


def _render_general_section(section: Section, number: Decimal, negative: bool) -> str:
    """``General"元"``, ``[Red]General``: a custom code's General (see :func:`_general_custom`)."""
    out = [_general_custom(number) if token.kind == GENERAL else _plain_token(token)
           for token in section.tokens]
    return _signed("".join(out), negative)


def _plain_tokens(tokens) -> str:
    return "".join(_plain_token(token) for token in tokens)


def _plain_token(token) -> str:
    if token.kind == SKIP:
        return skip_blanks(token.text)
    if token.kind in (LITERAL, COMMA, DOT, PERCENT, SLASH):
        return token.text
    return ""


def _signed(text: str, negative: bool) -> str:
    """LibreOffice puts a kept minus sign in front of everything, literals included."""
    return "-" + text if negative else text


# ---------------------------------------------------------------------------- numbers


def _render_fixed(section: Section, number: Decimal, negative: bool) -> str:
    """``0``, ``#,##0.00``, ``0.0%``, ``#,##0,`` (scaled by 1000), literals and blanks."""
    tokens = section.tokens
    layout = _Layout(tokens)
    rounded = _round_like_calc(number, layout.percents, layout.scale, len(layout.decimals))
    integer_digits, fraction_digits = _split_digits(rounded, len(layout.decimals))
    pieces = {**_fill_integer(tokens, layout, integer_digits),
              **_fill_fraction(tokens, layout, fraction_digits)}
    shows_decimals = any(pieces.get(index) for index in layout.decimals)
    out: list[str] = []
    for index, token in enumerate(tokens):
        if index in pieces:
            out.append(pieces[index])
        elif index in layout.skipped or (token.kind == DOT and not shows_decimals):
            continue  # a decimal point with nothing after it is dropped (#.## shows 100)
        else:
            out.append("." if token.kind == DOT else _plain_token(token))
    return _signed("".join(out), negative and rounded != 0)


def _round_like_calc(number: Decimal, percents: int, scale: int, places: int) -> Decimal:
    """``number`` (>= 0) scaled by the format's % and trailing commas, rounded to ``places``.

    Calc rounds half away from zero on the shortest decimal that reads back as the stored
    double - ``Decimal(repr(x))`` - so 1.005 under 0.00 shows 1.01. Scaling happens on the
    double first: 0.285 under 0% is 28.499999999999996% and shows 28% in LibreOffice
    (Excel shows 29%); we follow LibreOffice. At most 15 significant digits are shown, the
    rest are zeros (12345678901234567 under 0.00 shows 12345678901234600.00).
    """
    binary = float(number) * 100.0 ** percents / 1000.0 ** scale
    return _round_significant(_round_half_up(Decimal(repr(binary)), places))


class _Layout:
    """Where a fixed-point section keeps its integer and decimal placeholders."""

    def __init__(self, tokens) -> None:
        dot = next((i for i, t in enumerate(tokens) if t.kind == DOT), None)
        digits = [i for i, t in enumerate(tokens) if t.kind == DIGIT]
        self.integers = [i for i in digits if dot is None or i < dot]
        self.decimals = [i for i in digits if dot is not None and i > dot]
        self.percents = sum(1 for t in tokens if t.kind == PERCENT)
        self.skipped: set[int] = set()
        self.grouping = False
        self.scale = 0
        for anchor in self.integers[-1:] + self.decimals[-1:]:
            follower = anchor + 1
            while follower < len(tokens) and tokens[follower].kind == COMMA:
                self.scale += 1  # a comma after the last digit divides by 1000
                self.skipped.add(follower)
                follower += 1
        if self.integers:
            first, last = self.integers[0], self.integers[-1]
            for i, token in enumerate(tokens):
                if token.kind == COMMA and first < i < last:
                    self.grouping = True
                    self.skipped.add(i)
def _split_digits(rounded: Decimal, places: int) -> tuple[str, str]:
    text = f"{rounded:.{places}f}" if places else f"{rounded:.0f}"
    integer, _, fraction = text.partition(".")
    return ("" if integer == "0" else integer), fraction


def _fill_integer(tokens, layout: _Layout, digits: str) -> dict[int, str]:
    """Integer digits spread over the placeholders from the right; the first takes the rest."""
    places = layout.integers
    if not places:
        return {}
    if layout.grouping:
        width = _min_integer_width(tokens, places)
        core = digits.rjust(width, "0") if width else digits
        text = _group(core)
        pad = "".join(" " for i in places[:len(places) - max(len(core), width)]
                      if tokens[i].text == "?")
        return {places[0]: pad + text, **{i: "" for i in places[1:]}}
    filled: dict[int, str] = {}
    remaining = digits
    for position, index in enumerate(reversed(places)):
        placeholder = tokens[index].text
        if position == len(places) - 1:
            piece = remaining if remaining else _empty_digit(placeholder)
        elif remaining:
            piece, remaining = remaining[-1], remaining[:-1]
        else:
            piece = _empty_digit(placeholder)
        filled[index] = piece
    return filled


def _min_integer_width(tokens, places: list[int]) -> int:
    """Digits always shown: from the first ``0`` placeholder on (``#,##0`` -> 1)."""
    for position, index in enumerate(places):
        if tokens[index].text == "0":
            return len(places) - position
    return 0


def _fill_fraction(tokens, layout: _Layout, digits: str) -> dict[int, str]:
    places = layout.decimals
    last_significant = len(digits.rstrip("0"))
    filled = {}
    for position, index in enumerate(places):
        digit = digits[position] if position < len(digits) else "0"
        placeholder = tokens[index].text
        if position < last_significant or placeholder == "0":
            filled[index] = digit
        else:
            filled[index] = _empty_digit(placeholder)
    return filled


def _empty_digit(placeholder: str) -> str:
    return {"0": "0", "?": " "}.get(placeholder, "")


def _group(digits: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return ",".join(part for part in parts if part)


def _render_scientific(section: Section, number: Decimal, negative: bool) -> str:
    """``0.00E+00`` and engineering ``##0.0E+0`` (the exponent a multiple of 3)."""
    tokens = section.tokens
    e_index = next(i for i, t in enumerate(tokens) if t.kind == EXPONENT)
    mantissa_tokens, exponent_tokens = tokens[:e_index], tokens[e_index + 1:]
    layout = _Layout(mantissa_tokens)
    places = len(layout.decimals)
    integer_places = [mantissa_tokens[i].text for i in layout.integers]
    width = max(1, len(integer_places))
    engineering = width > 1 and "#" in integer_places
    value = _round_significant(number * (Decimal(100) ** layout.percents))
    exponent = _exponent_for(value, width, engineering)
    mantissa = _round_half_up(value.scaleb(-exponent, _WIDE), places)
    if value and mantissa >= Decimal(10) ** width:
        exponent += width if engineering else 1
        mantissa = _round_half_up(value.scaleb(-exponent, _WIDE), places)
    integer_digits, fraction_digits = _split_digits(mantissa, places)
    if not integer_digits and not engineering:
        integer_digits = "0" if any(p == "0" for p in integer_places) else ""
    body = []
    integer_text = _fill_integer(mantissa_tokens, layout, integer_digits)
    fraction_text = _fill_fraction(mantissa_tokens, layout, fraction_digits)
    for index, token in enumerate(mantissa_tokens):
        piece = integer_text.get(index, fraction_text.get(index))
        if piece is None:
            if index in layout.skipped:
                continue
            piece = "." if token.kind == DOT else _plain_token(token)
        body.append(piece)
    exponent_digits = sum(1 for t in exponent_tokens if t.kind == DIGIT)
    sign_char = "-" if exponent < 0 else ("+" if tokens[e_index].text == "+" else "")
    exponent_text = f"{abs(exponent):0{max(1, exponent_digits)}d}"
    rest = "".join(_plain_token(t) for t in exponent_tokens if t.kind != DIGIT)
    return _signed(f"{''.join(body)}E{sign_char}{exponent_text}{rest}", negative)


def _exponent_for(value: Decimal, width: int, engineering: bool) -> int:
    if value == 0:
        return 0
    magnitude = value.adjusted()
    if engineering:
        return (magnitude // width) * width
    return magnitude - (width - 1)


# ---------------------------------------------------------------------------- General


def _general(number: Decimal) -> str:
    """Calc's General for a number (LibreOffice 7.4, read back through getString).

    Up to 15 significant digits, trailing zeros dropped; integers below 2^53 in full
    (1500000000000000); other magnitudes from 10^15 in scientific with a 3-digit exponent
    (1E+016); below 10^-4 fixed while it needs at most 16 decimals and the number is at
    least 10^-9, else scientific with a 2-digit exponent (1.5E-10). Excel's General keeps
    11 characters instead (1.23457E+12); we follow LibreOffice.
    """
    try:
        as_float = float(number)
    except (OverflowError, InvalidOperation, ValueError):
        return str(number)
    if math.isnan(as_float) or math.isinf(as_float):
        return "#NUM!"
    if as_float == 0:
        return "0"
    value = Decimal(repr(as_float))
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value == value.to_integral_value() and value < _TWO_TO_53:
        return sign + f"{value:.0f}"
    magnitude = value.adjusted()
    if value < Decimal("1e-4"):
        if magnitude >= -9:
            fixed = _strip(f"{_round_sig(value, 15):f}")
            if len(fixed.partition(".")[2]) <= 16:
                return sign + fixed
        return sign + _scientific(value, 2)
    if magnitude >= 15:
        return sign + _scientific(value, 3)
    places = 15 - magnitude - 1
    return sign + _strip(f"{_round_half_up(value, places):.{places}f}")


def _general_custom(number: Decimal) -> str:
    """General inside a custom code (``General"元"``, a section the code lacks), unsigned.

    LibreOffice writes these in fixed point with 15 significant digits, however small,
    and above 10^15 in scientific with all 14 decimals (2.00000000000000E+15).
    """
    try:
        value = Decimal(repr(float(number)))
    except OverflowError:
        value = number
    if value == 0:
        return "0"
    if value > Decimal("1e15"):
        rounded = _round_significant(value)
        exponent = rounded.adjusted()
        return f"{rounded.scaleb(-exponent, _WIDE):.14f}E+{exponent:02d}"
    return _strip(f"{_round_significant(value):f}")


def _scientific(value: Decimal, exponent_width: int) -> str:
    rounded = _round_sig(value, 15)
    exponent = rounded.adjusted()
    mantissa = _strip(f"{rounded.scaleb(-exponent, _WIDE):.14f}")
    sign = "-" if exponent < 0 else "+"
    return f"{mantissa}E{sign}{abs(exponent):0{exponent_width}d}"


def _round_sig(value: Decimal, digits: int) -> Decimal:
    if value == 0:
        return value
    return _round_half_up(value, digits - 1 - value.adjusted())


def _round_significant(value: Decimal) -> Decimal:
    """A double holds 15 significant decimal digits; LibreOffice shows no more (1.005 -> 1.01)."""
    return _round_sig(value, 15)


def _strip(text: str) -> str:
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


# ---------------------------------------------------------------------------- helpers


def _round_half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=_WIDE)


def _decimal(value) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return Decimal("NaN")
        return Decimal(repr(value))
    try:
        return Decimal(repr(float(value)))  # numpy scalars and other number-likes
    except (TypeError, ValueError, OverflowError):
        return None


def _iso(value: date | time | timedelta) -> str:
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, (date, time)):
        return value.isoformat() if isinstance(value, date) else value.isoformat("seconds")
    return str(value)


def _plain(value) -> str:
    """The last resort for a value nothing else could show."""
    if value is None:
        return ""
    number = _decimal(value) if not isinstance(value, (str, bool)) else None
    if number is not None and number.is_finite():
        return _general(number)
    return str(value)
