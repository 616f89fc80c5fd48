"""Read 年度指标值 and 实际完成值 as they are typed in real tables (SCORING.md §5).

The parser never raises on text: anything it cannot read becomes a ``ParsedTarget`` of kind
UNPARSED whose ``problem`` names the text, so a cell shows "无法解析…" instead of a silent 0.
Quantities are normalised to base units (95% -> 0.95, 303.9万 -> 3 039 000) and remember how
they were written, so a side typed without its unit takes the other side's (§5b.2): "132.9"
against "≤202.6万元" is 132.9万元, "≥98" against "98%" is ≥98%. Cells read from a workbook
arrive as :class:`udfs.model.Entry`, whose number format settles what a bare number leaves
open (0.973 shown as "97.30%" is a percentage). Dates live in :mod:`udfs.dates`, units in
:mod:`udfs.units`; whatever had to be assumed is returned with the result, never applied
silently (§5b.5).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from decimal import Decimal
from enum import Enum

from .dates import Deadline, date_in_context, number_as_month, period_deadline
from .model import Entry, Rule
from .numbers import HUNDRED, D
from .profile import DEFAULT_PROFILE, RuleProfile
from .units import COUNT, PERCENT, canonical_unit, conversion, dimension_of


class Comparator(str, Enum):
    GE = "≥"
    GT = ">"
    LE = "≤"
    LT = "<"
    EQ = "="


# Characters seen in real tables that NFKC leaves alone, and a few Traditional forms.
_CHAR_MAP = str.maketrans({
    "≧": "≥", "≦": "≤", "═": "=", "﹦": "=", "＝": "=", "‹": "<", "›": ">", "〉": ">", "〈": "<",
    "萬": "万", "億": "亿", "個": "个", "於": "于", "內": "内", "過": "过", "達": "达", "時": "时",
    "顯": "显", "實": "实", "現": "现", "項": "项", "戶": "户", "臺": "台", "規": "规", "執": "执",
    "滿": "满", "較": "较", "無": "无", "準": "准", "範": "范", "後": "后", "終": "终", "並": "并",
    "為": "为", "與": "与", "週": "周", "歲": "岁", "場": "场", "張": "张", "輛": "辆", "條": "条",
    "處": "处", "噸": "吨", "畝": "亩", "數": "数", "標": "标", "經": "经", "費": "费", "預": "预",
    "計": "计", "劃": "划", "畫": "画", "務": "务", "質": "质", "測": "测", "檢": "检",
    "驗": "验", "監": "监", "蓋": "盖", "顧": "顾", "證": "证",
})

_COMPARATOR_SYMBOLS = (
    (">=", Comparator.GE), ("<=", Comparator.LE), ("≥", Comparator.GE), ("≤", Comparator.LE),
    (">", Comparator.GT), ("<", Comparator.LT), ("=", Comparator.EQ),
)
_COMPARATOR_WORDS = (
    ("大于等于", Comparator.GE), ("大于或等于", Comparator.GE), ("不少于", Comparator.GE),
    ("不低于", Comparator.GE), ("至少", Comparator.GE), ("以上", Comparator.GE), ("及以上", Comparator.GE),
    ("小于等于", Comparator.LE), ("小于或等于", Comparator.LE), ("不超过", Comparator.LE),
    ("不高于", Comparator.LE), ("不多于", Comparator.LE), ("控制在", Comparator.LE), ("以内", Comparator.LE),
    ("以下", Comparator.LE), ("大于", Comparator.GT), ("高于", Comparator.GT), ("超过", Comparator.GT),
    ("小于", Comparator.LT), ("低于", Comparator.LT), ("少于", Comparator.LT), ("等于", Comparator.EQ),
)
_SCALES = {"千": Decimal(1000), "万": Decimal(10_000), "亿": Decimal(100_000_000)}
# The exponent ("1e20") is part of the number, so it cannot turn into the unit "e";
# udfs.numbers.D then refuses magnitudes no table holds.
_NUMBER = re.compile(r"(?<![\d.])-?\d+(?:,\d{3})*(?:\.\d+)?(?:[eE][+-]?\d+)?")
_UNIT = re.compile(
    r"\s*([千万亿]?)\s*(%|百分比|百分点|[A-Za-z]{1,3}[23]?(?![A-Za-z])|人[·*/x]次|[^\d\s,.，。;；、()（）<>≥≤=%]{0,6})"
)
# Units of a time limit: "3天" in a 时效指标 row means "within 3 days" (reverse).
_DURATION_UNITS = ("天", "工作日", "小时", "分钟")
_DEADLINE_WORDS = ("年底", "年末", "月底", "月末", "之前", "前完成", "以前", "完成时间", "按时", "按期", "如期", "及时",
                   "按月", "按季", "当年", "年内", "季度末", "上半年", "下半年", "截至", "截止")
# A target saying "none" (无, 零) is a zero upper bound (SCORING.md §5b.3).
_NONE_WORDS = ("无", "零", "没有")
# A number cell whose format adds a unit (0"人", #,##0"元") shows more than digits and signs.
_BARE_NUMBER_TEXT = re.compile(r"[\d\s.,\-+eE]*")
_ABSENT_ACTUALS = re.compile(r"^(?:无|零|没有|未发生|没发生|没有发生|不存在|0)$")


class TargetKind(str, Enum):
    """What kind of target a text is; mirrors :class:`Rule` minus MANUAL."""

    POSITIVE = Rule.POSITIVE.value
    REVERSE = Rule.REVERSE.value
    EQUAL = Rule.EQUAL.value
    DEADLINE = Rule.DEADLINE.value
    QUALITATIVE = Rule.QUALITATIVE.value
    UNPARSED = Rule.UNPARSED.value

    @property
    def rule(self) -> Rule:
        return Rule(self.value)


@dataclass(frozen=True)
class Quantity:
    """A number in base units, with its (canonical) unit and the scale word it was written with."""

    value: Decimal
    unit: str = ""  # "%", "元", "批次", "平方米", "" ... (udfs.units.canonical_unit)
    scale: str = ""  # "万", "亿", "千" or ""

    @property
    def dimension(self) -> str:
        """"percent", "money", another measured dimension, or the unit itself for counts."""
        found = dimension_of(self.unit)
        if found is None:
            return ""
        return self.unit if found.name == COUNT else found.name

    @property
    def bare(self) -> bool:
        """Written without unit or scale word: it takes the other side's unit (§5b.2)."""
        return not self.unit and not self.scale

    def text(self) -> str:
        """Back to how people write it: 0.95 -> "95%", 3039000 万 -> "303.9万"."""
        if self.unit == PERCENT:
            return f"{_plain(self.value * HUNDRED)}%"
        divisor = _SCALES.get(self.scale, Decimal(1))
        return f"{_plain(self.value / divisor)}{self.scale}{self.unit}"


@dataclass(frozen=True)
class ParsedTarget:
    text: str  # as the user sees it
    kind: TargetKind
    comparator: Comparator | None = None
    quantity: Quantity | None = None
    deadline: Deadline | None = None
    problem: str = ""  # Chinese, set when kind is UNPARSED
    zero_bound: bool = False  # "0人", "无": nothing may happen (§5b.3)


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def normalize_text(value: object) -> str:
    """Full-width to half-width, odd comparators to standard ones, Traditional to Simplified.
    An :class:`Entry` is read as the text it shows."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).translate(_CHAR_MAP)
    return re.sub(r"\s+", " ", text).strip()


def _has_comparator_symbol(text: str) -> bool:
    return any(symbol in text for symbol, _ in _COMPARATOR_SYMBOLS)


def _split_comparator(text: str) -> tuple[Comparator | None, str]:
    """Take a comparator symbol or word off the text; returns (comparator, rest)."""
    for symbol, comparator in _COMPARATOR_SYMBOLS:
        if symbol in text:
            return comparator, text.replace(symbol, " ", 1).strip()
    for word, comparator in _COMPARATOR_WORDS:
        if word in text:
            return comparator, text.replace(word, " ", 1).strip()
    return None, text


def _looks_like_deadline(text: str) -> bool:
    return any(word in text for word in _DEADLINE_WORDS)


def parse_quantity(text: str) -> Quantity | None:
    """The first number in ``text`` with its scale word and unit, or None."""
    match = _NUMBER.search(text)
    if not match:
        return None
    value = D(match.group(0))
    unit_match = _UNIT.match(text, match.end())
    scale, unit = (unit_match.group(1), unit_match.group(2)) if unit_match else ("", "")
    unit = unit.strip()
    for suffix in ("以上", "以下", "以内", "左右", "及以上", "之内", "内"):
        unit = unit.removesuffix(suffix)
    unit = canonical_unit(unit)
    if unit == PERCENT:
        return Quantity(value / HUNDRED, PERCENT, "")
    return Quantity(value * _SCALES.get(scale, Decimal(1)), unit, scale)


def count_numbers(text: str) -> int:
    return len(_NUMBER.findall(text))


def _is_duration(unit: str) -> bool:
    return unit in _DURATION_UNITS


def _direction(comparator: Comparator | None, level2: str, level3: str, profile: RuleProfile,
               quantity: Quantity | None = None) -> TargetKind:
    """A comparator decides; without one, 成本指标 rows, names that should be low, a duration
    in a 时效指标 row ("3天" = within 3 days) and a zero ("0人": nothing may happen) are
    reverse, the rest positive."""
    if comparator in (Comparator.GE, Comparator.GT):
        return TargetKind.POSITIVE
    if comparator in (Comparator.LE, Comparator.LT):
        return TargetKind.REVERSE
    if comparator is Comparator.EQ:
        return TargetKind.EQUAL
    if quantity is not None and quantity.value == 0:
        return TargetKind.REVERSE
    if "成本" in level2 or any(word in level3 for word in profile.reverse_name_keywords):
        return TargetKind.REVERSE
    if "时效" in level2 and quantity is not None and _is_duration(quantity.unit):
        return TargetKind.REVERSE
    return TargetKind.POSITIVE


def parse_target(
    value: object, level2: str = "", level3: str = "", profile: RuleProfile = DEFAULT_PROFILE
) -> ParsedTarget:
    """Classify a 年度指标值 and extract what the rules compare against. Never raises.

    Only a target without comparator needs the names: 成本指标 rows and names such as
    投诉率 make it reverse (SCORING.md §3.2), and so does a duration in a 时效指标 row.
    """
    parsed = _parse_text(value, "时效" in level2)
    if parsed.quantity is not None and parsed.comparator is None:
        kind = _direction(None, level2, level3, profile, parsed.quantity)
        return parsed if kind is parsed.kind else replace(parsed, kind=kind)
    return parsed


@functools.lru_cache(maxsize=16384, typed=True)  # typed: False == 0.0 and True == 1 as keys
def _parse_text(value: object, is_timeliness: bool) -> ParsedTarget:
    """The name-independent part of :func:`parse_target`; memoised, as tables repeat the
    same few targets (≥95%, 2022年底) hundreds of times. Direction-less numbers come back
    POSITIVE and get their direction from the names in parse_target. A date cell is a
    deadline whatever the row."""
    if isinstance(value, Entry):
        return _parse_entry(value, is_timeliness)
    if isinstance(value, date):
        deadline = Deadline.from_date(value)
        return ParsedTarget(deadline.text(), TargetKind.DEADLINE, None, None, deadline)
    if isinstance(value, bool):
        return ParsedTarget(str(value), TargetKind.UNPARSED, problem="年度指标值是逻辑值，不是指标值")
    if isinstance(value, (int, float, Decimal)):
        return _number_target(value, _plain_number(value), is_timeliness)
    if isinstance(value, (time, timedelta)):
        return ParsedTarget(str(value), TargetKind.UNPARSED, problem=f"年度指标值「{value}」是时间，不是指标值")
    return _text_target("" if value is None else str(value), is_timeliness)


def _plain_number(value: object) -> str:
    try:
        return _plain(D(value))
    except (ValueError, TypeError):
        return str(value)


def _number_target(value: object, shown: str, is_timeliness: bool, percent: bool = False) -> ParsedTarget:
    try:
        number = D(value)
    except ValueError:
        return ParsedTarget(shown, TargetKind.UNPARSED, problem=f"年度指标值「{shown}」不是有限数字")
    if is_timeliness and not percent:
        as_month = number_as_month(number, shown)
        if as_month is not None:
            return ParsedTarget(shown, TargetKind.DEADLINE, None, None, as_month[0])
    quantity = Quantity(number, PERCENT) if percent else Quantity(number)
    return ParsedTarget(shown, TargetKind.POSITIVE, None, quantity, zero_bound=number == 0)


def _parse_entry(entry: Entry, is_timeliness: bool) -> ParsedTarget:
    """A cell read with its format: the shown text settles what a bare value leaves open
    (0.95 under a percent format is 95%; a custom format "0人" carries a unit)."""
    value = entry.value
    if isinstance(value, (date, bool, time, timedelta)):
        parsed = _parse_text(value, is_timeliness)
        return replace(parsed, text=entry.text)
    if isinstance(value, (int, float, Decimal)):
        if PERCENT in entry.text:
            return _number_target(value, entry.text, is_timeliness, percent=True)
        if not _BARE_NUMBER_TEXT.fullmatch(entry.text):  # a unit from the format: 0"人", #,##0"元"
            parsed = _text_target(entry.text, is_timeliness)
            if parsed.quantity is not None:
                return parsed
        return _number_target(value, entry.text, is_timeliness)
    return _text_target(str(value), is_timeliness)


def _text_target(raw: str, is_timeliness: bool) -> ParsedTarget:
    text = normalize_text(raw)
    if not text:
        return ParsedTarget(raw, TargetKind.UNPARSED, problem="年度指标值为空")
    comparator, rest = _split_comparator(text)
    found = date_in_context(rest, is_timeliness)
    if found is not None and found.deadline is None:
        return ParsedTarget(raw, TargetKind.UNPARSED, comparator, problem=f"年度指标值「{raw}」中的日期「{found.text}」不存在")
    if found is not None and (is_timeliness or comparator in (None, Comparator.LE, Comparator.LT)):
        return ParsedTarget(raw, TargetKind.DEADLINE, comparator, None, found.deadline)
    if comparator is None and rest in _NONE_WORDS:  # nothing may happen
        return ParsedTarget(raw, TargetKind.REVERSE, None, Quantity(Decimal(0)), zero_bound=True)
    if _looks_like_deadline(rest) and (is_timeliness or comparator is None) and not _NUMBER.search(rest):
        return ParsedTarget(raw, TargetKind.DEADLINE, comparator, None, period_deadline(rest))
    try:
        quantity = parse_quantity(rest)
    except ValueError as error:
        return ParsedTarget(raw, TargetKind.UNPARSED, comparator, problem=f"年度指标值{error}")
    if quantity is None:
        if is_timeliness or _looks_like_deadline(rest):
            return ParsedTarget(raw, TargetKind.DEADLINE, comparator, None, period_deadline(rest))
        if comparator is None or not _has_comparator_symbol(text):
            # "控制在预算范围内", "不超过预算": a comparator word with nothing to compare is a
            # qualitative statement; a bare "≥" is a half-typed number.
            return ParsedTarget(raw, TargetKind.QUALITATIVE)
        return ParsedTarget(raw, TargetKind.UNPARSED, comparator, problem=f"年度指标值「{raw}」有比较符号但没有数值")
    kind = _direction(comparator, "", "", DEFAULT_PROFILE) if comparator else TargetKind.POSITIVE
    return ParsedTarget(raw, kind, comparator, quantity, zero_bound=comparator is None and quantity.value == 0)


def clear_cache() -> None:
    _parse_text.cache_clear()
    _read_actual_text.cache_clear()


class ActualError(ValueError):
    """An actual value that cannot be compared with its target; the message is Chinese."""


@dataclass(frozen=True)
class Pair:
    """Target and actual in one unit, ready for a rule, and what had to be assumed."""

    target: Quantity
    actual: Quantity
    assumptions: tuple[str, ...] = ()  # Chinese; each makes the row 需复核 (§5b.5)
    unit_mismatch: bool = False  # two different counting words (批次 against 例)
    adopted: str = ""  # "target" or "actual": the side that took the other's unit


@dataclass(frozen=True)
class _Read:
    quantity: Quantity
    shown: str
    source: str  # "format": unit certain from the cell format; "text"; "cell": a bare number cell; "raw": a UDF value
    notes: tuple[str, ...] = ()


def _read_actual(value: object, target: Quantity, zero_bound: bool) -> _Read:
    """The actual as written, before units are aligned."""
    said = value.text if isinstance(value, Entry) else str(value)
    if isinstance(value, Entry):
        raw = value.value
        if isinstance(raw, (int, float, Decimal)) and not isinstance(raw, bool):
            if PERCENT in value.text:
                return _Read(Quantity(D(raw), PERCENT), value.text, "format")
            if not _BARE_NUMBER_TEXT.fullmatch(value.text):
                quantity = parse_quantity(normalize_text(value.text))
                if quantity is not None and quantity.unit:
                    return _Read(quantity, value.text, "format")
            return _Read(Quantity(D(raw)), value.text, "cell")
        if isinstance(raw, str):
            return _read_actual_text(raw, target, zero_bound)
        value = raw
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ActualError("实际完成值为空")
    if isinstance(value, date):
        raise ActualError(f"实际完成值是日期「{Deadline.from_date(value).text()}」，无法与年度指标值「{target.text()}」比较")
    if isinstance(value, bool):
        raise ActualError("实际完成值是逻辑值，无法与年度指标值比较")
    if isinstance(value, (time, timedelta)):
        raise ActualError(f"实际完成值「{said}」是时间，无法与年度指标值比较")
    if isinstance(value, (int, float, Decimal)):
        number = D(value)
        return _Read(Quantity(number), _plain(number), "raw")
    return _read_actual_text(str(value), target, zero_bound)


@functools.lru_cache(maxsize=16384)
def _read_actual_text(raw: str, target: Quantity, zero_bound: bool) -> _Read:
    """An actual typed as text; memoised like the targets (tables repeat "100%", "已完成")."""
    text = normalize_text(raw)
    if not text:
        raise ActualError("实际完成值为空")
    _, rest = _split_comparator(text)
    if zero_bound and _ABSENT_ACTUALS.match(rest.replace(" ", "")):
        return _Read(Quantity(Decimal(0), target.unit, target.scale), raw, "text")
    found = date_in_context(rest, False)
    if found is not None and found.strong:  # "截至2023年底完成120人": the count is the actual, not the year
        rest = (rest[:found.start] + " " + rest[found.end:]).strip()
        if not _NUMBER.search(rest):
            raise ActualError(f"实际完成值「{raw}」是日期，无法与年度指标值「{target.text()}」比较")
    quantity = parse_quantity(rest)
    if quantity is None:
        raise ActualError(f"实际完成值「{raw}」中没有数值")
    notes = ()
    if count_numbers(rest) > 1:
        notes = (f"实际完成值「{raw}」中有多个数值，按第一个数值「{quantity.text()}」计",)
    return _Read(quantity, raw, "text", notes)


def read_pair(target: Quantity, actual_value: object, zero_bound: bool = False) -> Pair:
    """Read a 实际完成值 against a quantitative target and put both in one unit.

    A side written without unit takes the other side's (SCORING.md §5b.2, both ways: "≥98"
    against "98%" is ≥98%, "132.9" against "≤202.6万元" is 132.9万元). A bare number against
    a percentage has two readings, as a fraction (0.97 = 97%) or in percentage points
    (97 = 97%); the one closer in magnitude wins (:func:`_bare_number_in_unit`). Where that
    reading came from text or a General cell rather than a percent cell or an Excel call, it is
    an assumption and the row is 需复核. Units of one dimension convert; different counting
    words compare with a flag; different dimensions raise :class:`ActualError` naming both.
    """
    read = _read_actual(actual_value, target, zero_bound)
    actual, notes = read.quantity, list(read.notes)
    if actual.bare and target.bare:
        return _both_bare(target, actual, read, notes)
    if actual.bare:
        adopted, note = _bare_number_in_unit(actual.value, target, read)
        return Pair(target, adopted, tuple(notes + ([note] if note else [])), adopted="actual")
    if target.bare:
        adopted, note = _bare_number_in_unit(target.value, actual, read, side="年度指标值")
        return Pair(adopted, actual, tuple(notes + ([note] if note else [])), adopted="target")
    if not target.unit or not actual.unit:  # "303.9万" against "399.32万元": a scale word only
        if PERCENT in (target.unit, actual.unit):
            raise _incomparable(read, target, actual)
        return Pair(target, Quantity(actual.value, target.unit or actual.unit, actual.scale), tuple(notes))
    factor = conversion(actual.unit, target.unit)
    if factor is None:
        raise _incomparable(read, target, actual)
    mismatch = actual.unit != target.unit and dimension_of(actual.unit).name == COUNT
    if mismatch:
        notes.append(f"实际完成值的单位「{actual.unit}」与年度指标值的单位「{target.unit}」不同，按同一单位比较")
    converted = actual if factor == 1 else Quantity(actual.value * factor, target.unit, target.scale)
    return Pair(target, converted, tuple(notes), mismatch)


def _incomparable(read: _Read, target: Quantity, actual: Quantity) -> ActualError:
    def unit_name(quantity: Quantity) -> str:
        return (quantity.scale + quantity.unit) or "无单位"

    return ActualError(f"实际完成值「{read.shown}」的单位（{unit_name(actual)}）与年度指标值「{target.text()}」"
                       f"的单位（{unit_name(target)}）不同，无法比较")


def _bare_number_in_unit(number: Decimal, other: Quantity, read: _Read, side: str = "实际完成值") -> tuple[Quantity, str]:
    """A number written without unit, read in the other side's unit, and the assumption made
    ("" when none). Against a percentage the reading closer in magnitude to the other value wins
    (smallest |ln(reading/other)|), as nobody types a value a hundred times off on purpose:
    0.97 and 97 against ≥95% are 97%, 0.8 against ≤1% is 0.8%. Without a magnitude to compare
    (either value ≤ 0) up to 2 is a fraction, above it percentage points."""
    if other.unit != PERCENT:
        return Quantity(number * _SCALES.get(other.scale, Decimal(1)), other.unit, other.scale), ""
    if other.value <= 0 or number <= 0:
        value = _fraction_or_points(number)
    else:
        # A tie keeps an actual a fraction (an Excel percent cell) but a target in points ("≥1" is 1%).
        fraction, points = number, number / HUNDRED
        to_points, to_fraction = _log_distance(points, other.value), _log_distance(fraction, other.value)
        value = points if to_points < to_fraction or (to_points == to_fraction and side != "实际完成值") else fraction
    reading = Quantity(value, PERCENT)
    took_fraction = value == number and number != 0
    certain = read.source in ("raw", "format") if side == "实际完成值" else read.source == "format"
    if took_fraction and not certain:
        written = _plain(number)
        return reading, f"{side}「{written}」未写单位，按{reading.text()}计"
    return reading, ""


def _both_bare(target: Quantity, actual: Quantity, read: _Read, notes: list[str]) -> Pair:
    """Neither side has a unit. An Excel percent cell reaches a UDF as a bare fraction (0.97),
    so a fraction against points (≥95) reads as a percentage when that makes the two values
    close — an assumption, flagged."""
    a, b = target.value, actual.value
    if a > 1 and Decimal(0) < b <= Decimal("1.5") and a <= HUNDRED and Decimal("0.5") <= b * HUNDRED / a <= 2:
        percent_target = Quantity(a / HUNDRED, PERCENT)
        percent_actual = Quantity(b, PERCENT)
        note = f"年度指标值「{_plain(a)}」与实际完成值「{read.shown}」都未写单位，按百分比{percent_target.text()}与{percent_actual.text()}比较"
        return Pair(percent_target, percent_actual, tuple(notes + [note]), adopted="both")
    return Pair(target, actual, tuple(notes))


def read_actual_quantity(value: object, target: Quantity) -> Quantity:
    """The actual alone, in the target's unit (the narrative check compares single figures)."""
    return read_pair(target, value).actual


def _fraction_or_points(number: Decimal) -> Decimal:
    """A bare completion number with no target magnitude to compare: up to 2 is an Excel
    percentage (0.97, 1.2), above it percentage points (97)."""
    return number if abs(number) <= 2 else number / HUNDRED


def _log_distance(a: Decimal, b: Decimal) -> Decimal:
    """exp(|ln(a/b)|) for positive a, b: orders like |ln(a/b)| but stays exact."""
    return max(a / b, b / a)


# "未能按期完成": not being able to negates whatever follows, achieved word or not.
_UNABLE_WORDS = ("未能", "不能", "没能", "无法")


@dataclass(frozen=True)
class DeadlineActual:
    """What a 时效 actual states: a date, a completion share, met or not, or nothing usable."""

    date: Deadline | None = None
    share: Decimal | None = None
    met: bool | None = None
    note: str = ""  # an assumption (需复核)


def read_actual_deadline(value: object) -> DeadlineActual:
    """A deadline actual: a date, a completion ratio, met/not met, or nothing."""
    shown = None
    if isinstance(value, Entry):
        shown, value = value.text, value.value
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) and PERCENT in shown:
            return DeadlineActual(share=D(value))
    if isinstance(value, date):
        return DeadlineActual(date=Deadline.from_date(value))
    if isinstance(value, bool):
        return DeadlineActual(met=value)
    if isinstance(value, (int, float, Decimal)):
        number = D(value)
        as_month = number_as_month(number, shown if shown is not None else _plain(number))
        if as_month is not None:
            return DeadlineActual(date=as_month[0], note=as_month[1])
        return DeadlineActual(share=_fraction_or_points(number))
    text = normalize_text(value)
    if not text:
        return DeadlineActual()
    if any(word in text for word in ("未完成", "未按时", "延期", "逾期", "滞后", "未达成", "否", *_UNABLE_WORDS)):
        return DeadlineActual(met=False)
    if "%" in text or "百分比" in text:
        quantity = parse_quantity(text)
        return DeadlineActual(share=quantity.value) if quantity else DeadlineActual()
    found = date_in_context(text, True)
    if found is not None and found.deadline is not None:
        return DeadlineActual(date=found.deadline)
    period = period_deadline(text)
    if period is not None and not any(word in text for word in ("按时", "按期", "如期")):
        return DeadlineActual(date=period)
    if any(word in text for word in ("按时", "按期", "如期", "及时", "已完成", "完成", "是", "达成", "达到", "按计划")):
        return DeadlineActual(met=True)
    return DeadlineActual()


QUALITATIVE_ACHIEVED = "达成年度指标"
QUALITATIVE_PARTIAL = "部分达成并具有一定效果"
QUALITATIVE_FAILED = "未达成且效果较差"

_PARTIAL_WORDS = ("部分达成", "基本达成", "基本完成", "基本符合", "基本实现", "部分完成", "部分", "一般")
_FAILED_WORDS = ("未达成", "未完成", "未达到", "未实现", "未落实", "未执行", "较差", "效果差", "无效", "不符合", "不达标", "否",
                 *_UNABLE_WORDS)
_ACHIEVED_WORDS = (
    "达成", "达到", "完成", "实现", "是", "好", "有效", "显著", "明显", "符合", "满意", "应保尽保", "到位",
    "落实", "执行", "提升", "提高", "改善", "稳定", "保障", "合格", "消除", "建成", "通过", "覆盖",
    # cost and limit targets ("控制在预算范围内"): staying inside is achieving
    "未超", "不超", "未突破", "以内", "之内", "范围内", "控制在",
)
# 不/未/无/没有 right before an achieved word reverses it: 效果不明显, 不满意, 未提升, 不够到位.
_NEGATED_ACHIEVEMENT = re.compile(
    "(?:没有|不|未|无)(?:太|够|很|十分|能|完全|尽)?(?:"
    + "|".join(re.escape(word) for word in _ACHIEVED_WORDS) + ")"
)
# Targets that ask for something NOT to happen (无安全事故, 未发生重大投诉, 零事故): for them an
# actual saying it did not happen is the achievement, and one saying it happened is not.
_ABSENCE_WORDS = ("无", "未发生", "没有发生", "没发生", "不发生", "杜绝", "零")
_ABSENCE_TARGET = re.compile(
    r"^(?:无|未发生|没有|不发生|杜绝|零)|未发生|不发生|杜绝"
    r"|(?:无|零)[^,，。;；]{0,8}(?:事故|投诉|案件|伤亡|差错|违规|违纪|问题)"
)
_OCCURRED = re.compile(r"(?<!未)(?<!没有)(?<!没)(?<!不)发生")


def qualitative_grade(target_text: str, actual: object) -> str | None:
    """Which of the three qualitative grades an actual states, or None if it says none.

    "无…"/"未发生…" is an achievement only against a target of that kind ("无安全事故");
    against "效果明显" an actual of "无" says nothing and goes to a person.
    """
    if isinstance(actual, Entry) and not isinstance(actual.value, str):
        actual = actual.value
    if isinstance(actual, (date, bool, time, timedelta)):  # a date states no grade; its digits are no count
        return None
    if isinstance(actual, (int, float, Decimal)) and not isinstance(actual, bool):
        return QUALITATIVE_ACHIEVED if _fraction_or_points(D(actual)) >= 1 else None
    text = normalize_text(actual)
    if not text:
        return None
    if text == normalize_text(target_text):
        return QUALITATIVE_ACHIEVED
    if any(word in text for word in _PARTIAL_WORDS):
        return QUALITATIVE_PARTIAL
    if any(word in text for word in _FAILED_WORDS) or _NEGATED_ACHIEVEMENT.search(text):
        return QUALITATIVE_FAILED
    if _ABSENCE_TARGET.search(normalize_text(target_text)):
        absence = _absence_grade(text)
        if absence:
            return absence
    if any(word in text for word in _ACHIEVED_WORDS):
        return QUALITATIVE_ACHIEVED
    quantity = parse_quantity(text)
    if quantity is not None and quantity.unit == "%" and quantity.value >= 1:
        return QUALITATIVE_ACHIEVED
    return None


def _absence_grade(text: str) -> str | None:
    """Against a "无安全事故" target: "无"/"未发生"/"0起" achieve it, "发生2起" does not."""
    if _OCCURRED.search(text):
        return QUALITATIVE_FAILED
    quantity = parse_quantity(text)
    if quantity is not None and quantity.unit != "%":
        return QUALITATIVE_ACHIEVED if quantity.value == 0 else QUALITATIVE_FAILED
    if any(word in text for word in _ABSENCE_WORDS):
        return QUALITATIVE_ACHIEVED
    return None
