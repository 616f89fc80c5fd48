"""Read 年度指标值 and 实际完成值 as they are typed in real tables (SCORING.md §5).

The parser never raises on text: anything it cannot read becomes a ``ParsedTarget`` of kind
UNPARSED whose ``problem`` names the text, so a cell shows "无法解析…" instead of a silent 0.
Quantities are normalised to base units (95% -> 0.95, 303.9万 -> 3 039 000) and remember how
they were written, so an actual typed without its unit ("132.9" against "≤202.6万元") is read
in the target's unit.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import Enum

from .model import Rule
from .numbers import HUNDRED, D
from .profile import DEFAULT_PROFILE, RuleProfile


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
_PERCENT_UNITS = ("%", "百分比", "百分点")
# The exponent ("1e20") is part of the number, so it cannot turn into the unit "e";
# udfs.numbers.D then refuses magnitudes no table holds.
_NUMBER = re.compile(r"(?<![\d.])-?\d+(?:,\d{3})*(?:\.\d+)?(?:[eE][+-]?\d+)?")
_UNIT = re.compile(r"\s*([千万亿]?)\s*(%|百分比|百分点|[^\d\s,.，。;；、()（）<>≥≤=]{0,6})")
_DATE = re.compile(
    r"(?:(?P<year>(?:19|20)\d{2})\s*年)?\s*(?:(?P<month>1[0-2]|0?[1-9])\s*月)?\s*(?:(?P<day>[0-3]?\d)\s*日)?"
)
# Units of a time limit: "3天" in a 时效指标 row means "within 3 days" (reverse).
_DURATION_UNITS = ("天", "日", "个工作日", "工作日", "小时", "分钟")
_DEADLINE_WORDS = ("年底", "年末", "月底", "月末", "之前", "前完成", "以前", "完成时间", "按时", "按期", "如期", "及时", "按月", "按季", "当年")


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
    """A number in base units, with the unit and scale word it was written with."""

    value: Decimal
    unit: str = ""  # "%", "元", "批次", "人次", "" ...
    scale: str = ""  # "万", "亿", "千" or ""

    @property
    def dimension(self) -> str:
        if self.unit == "%":
            return "percent"
        if self.unit.startswith("元"):
            return "money"
        return self.unit

    def text(self) -> str:
        """Back to how people write it: 0.95 -> "95%", 3039000 万 -> "303.9万"."""
        if self.unit == "%":
            return f"{_plain(self.value * HUNDRED)}%"
        divisor = _SCALES.get(self.scale, Decimal(1))
        return f"{_plain(self.value / divisor)}{self.scale}{self.unit}"


@dataclass(frozen=True)
class Deadline:
    """A date target or actual; missing parts compare as 'any'. 年底 means month 12."""

    year: int | None
    month: int | None
    day: int | None

    def key(self, default_year: int | None) -> tuple[int, int, int]:
        return (self.year or default_year or 0, self.month or 12, self.day or 31)

    def not_later_than(self, other: "Deadline") -> bool:
        """Whether this date meets ``other``. A side without a year borrows the other side's
        year: "2022年11月" meets "12月底之前完成" (a year of 0 would make every dated
        actual later than an undated target)."""
        year = self.year or other.year
        return self.key(year) <= other.key(year)

    def text(self) -> str:
        """As people write it: 2022年11月30日, 12月."""
        parts = zip((self.year, self.month, self.day), "年月日")
        return "".join(f"{value}{suffix}" for value, suffix in parts if value is not None)

    @classmethod
    def from_date(cls, value: date) -> "Deadline":
        """An Excel date cell (xlwings and openpyxl hand datetime) is a full date."""
        return cls(value.year, value.month, value.day)


@dataclass(frozen=True)
class ParsedTarget:
    text: str
    kind: TargetKind
    comparator: Comparator | None = None
    quantity: Quantity | None = None
    deadline: Deadline | None = None
    problem: str = ""  # Chinese, set when kind is UNPARSED


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def normalize_text(value: object) -> str:
    """Full-width to half-width, odd comparators to standard ones, Traditional to Simplified."""
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


def _find_date(text: str) -> Deadline | None:
    for match in _DATE.finditer(text):
        if match.group("year") or match.group("month"):
            year, month, day = (int(g) if g else None for g in match.group("year", "month", "day"))
            return Deadline(year, month, day)
    return None


def _looks_like_deadline(text: str) -> bool:
    return any(word in text for word in _DEADLINE_WORDS) or bool(
        re.search(r"(?:19|20)\d{2}\s*年(?!\s*(?:度|内|以))|\d{1,2}\s*月(?:底|末|份|前|\d|\s*$)", text)
    )


def parse_quantity(text: str) -> Quantity | None:
    """The first number in ``text`` with its scale word and unit, or None."""
    match = _NUMBER.search(text)
    if not match:
        return None
    value = D(match.group(0))
    unit_match = _UNIT.match(text, match.end())
    scale, unit = (unit_match.group(1), unit_match.group(2)) if unit_match else ("", "")
    unit = unit.strip()
    for suffix in ("以上", "以下", "以内", "左右", "及以上"):
        unit = unit.removesuffix(suffix)
    if unit in _PERCENT_UNITS:
        return Quantity(value / HUNDRED, "%", "")
    return Quantity(value * _SCALES.get(scale, Decimal(1)), unit, scale)


def _is_duration(unit: str) -> bool:
    return unit.startswith(_DURATION_UNITS)


def _direction(comparator: Comparator | None, level2: str, level3: str, profile: RuleProfile,
               unit: str = "") -> TargetKind:
    """A comparator decides; without one, 成本指标 rows, names that should be low, and a
    duration in a 时效指标 row ("3天" = within 3 days) are reverse, the rest positive."""
    if comparator in (Comparator.GE, Comparator.GT):
        return TargetKind.POSITIVE
    if comparator in (Comparator.LE, Comparator.LT):
        return TargetKind.REVERSE
    if comparator is Comparator.EQ:
        return TargetKind.EQUAL
    if "成本" in level2 or any(word in level3 for word in profile.reverse_name_keywords):
        return TargetKind.REVERSE
    if "时效" in level2 and _is_duration(unit):
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
        kind = _direction(None, level2, level3, profile, parsed.quantity.unit)
        return parsed if kind is parsed.kind else replace(parsed, kind=kind)
    return parsed


@functools.lru_cache(maxsize=16384)
def _parse_text(value: object, is_timeliness: bool) -> ParsedTarget:
    """The name-independent part of :func:`parse_target`; memoised, as tables repeat the
    same few targets (≥95%, 2022年底) hundreds of times. Direction-less numbers come back
    POSITIVE and get their direction from the names in parse_target. An Excel date cell is a
    deadline whatever the row."""
    if isinstance(value, date):
        deadline = Deadline.from_date(value)
        return ParsedTarget(deadline.text(), TargetKind.DEADLINE, None, None, deadline)
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        try:
            number = D(value)
        except ValueError:
            return ParsedTarget(str(value), TargetKind.UNPARSED, problem=f"年度指标值「{value}」不是有限数字")
        return ParsedTarget(_plain(number), TargetKind.POSITIVE, None, Quantity(number))
    raw = "" if value is None else str(value)
    text = normalize_text(raw)
    if not text:
        return ParsedTarget(raw, TargetKind.UNPARSED, problem="年度指标值为空")
    comparator, rest = _split_comparator(text)
    if _looks_like_deadline(rest) and (is_timeliness or comparator is None):
        deadline = _find_date(rest)
        if deadline or is_timeliness:
            return ParsedTarget(raw, TargetKind.DEADLINE, comparator, None, deadline)
    try:
        quantity = parse_quantity(rest)
    except ValueError as error:
        return ParsedTarget(raw, TargetKind.UNPARSED, comparator, problem=f"年度指标值{error}")
    if quantity is None:
        if is_timeliness or _looks_like_deadline(rest):
            return ParsedTarget(raw, TargetKind.DEADLINE, comparator)
        if comparator is None or not _has_comparator_symbol(text):
            # "控制在预算范围内", "不超过预算": a comparator word with nothing to compare is a
            # qualitative statement; a bare "≥" is a half-typed number.
            return ParsedTarget(raw, TargetKind.QUALITATIVE)
        return ParsedTarget(raw, TargetKind.UNPARSED, comparator, problem=f"年度指标值「{raw}」有比较符号但没有数值")
    kind = _direction(comparator, "", "", DEFAULT_PROFILE) if comparator else TargetKind.POSITIVE
    return ParsedTarget(raw, kind, comparator, quantity)


def clear_cache() -> None:
    _parse_text.cache_clear()


class ActualError(ValueError):
    """An actual value that cannot be compared with its target; the message is Chinese."""


def read_actual_quantity(value: object, target: Quantity) -> Quantity:
    """Read a 实际完成值 against a quantitative target, adopting the target's unit when absent.

    A bare number (a cell value or text without unit) against a percent target is either an
    Excel percentage (0.97 = 97%) or percentage points (97 = 97%); see
    :func:`_bare_number_in_target_unit`. Other numbers are in the target's scale ("132.9"
    against "≤202.6万元" is 132.9万元).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ActualError("实际完成值为空")
    if isinstance(value, date):
        raise ActualError(f"实际完成值是日期「{Deadline.from_date(value).text()}」，"
                          f"无法与年度指标值「{target.text()}」比较")
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return _bare_number_in_target_unit(D(value), target)
    text = normalize_text(value)
    _, rest = _split_comparator(text)
    quantity = parse_quantity(rest)
    if quantity is None:
        raise ActualError(f"实际完成值「{value}」中没有数值")
    if not quantity.unit and not quantity.scale:
        return _bare_number_in_target_unit(quantity.value, target)
    if not quantity.unit and target.unit and quantity.dimension != "percent":
        return Quantity(quantity.value, target.unit, quantity.scale)
    dims = {quantity.dimension, target.dimension}
    if quantity.dimension != target.dimension and ("percent" in dims or "money" in dims) and target.unit:
        raise ActualError(f"实际完成值「{value}」的单位与年度指标值「{target.text()}」不一致，无法比较")
    return quantity


def _bare_number_in_target_unit(number: Decimal, target: Quantity) -> Quantity:
    """A number typed without unit, read in the target's unit (see read_actual_quantity).

    Against a percent target the number has two readings, as a fraction (0.8 = 80%) and in
    percentage points (0.8 = 0.8%); the one closer in magnitude to the target wins (smallest
    |ln(reading/target)|), as nobody types a value a hundred times off on purpose: 0.97 and
    97 against ≥95% are 97%, 0.8 against ≤1% is 0.8%. When there is no magnitude to
    compare (target or number ≤ 0) up to 2 is a fraction, above it percentage points.
    """
    if target.unit != "%":
        return Quantity(number * _SCALES.get(target.scale, Decimal(1)), target.unit, target.scale)
    if target.value <= 0 or number <= 0:
        return Quantity(_fraction_or_points(number), "%")
    fraction, points = number, number / HUNDRED
    closer = points if _log_distance(points, target.value) < _log_distance(fraction, target.value) else fraction
    return Quantity(closer, "%")


def _fraction_or_points(number: Decimal) -> Decimal:
    """A bare completion number with no target magnitude to compare: up to 2 is an Excel
    percentage (0.97, 1.2), above it percentage points (97)."""
    return number if abs(number) <= 2 else number / HUNDRED


def _log_distance(a: Decimal, b: Decimal) -> Decimal:
    """exp(|ln(a/b)|) for positive a, b: orders like |ln(a/b)| but stays exact."""
    return max(a / b, b / a)


# "未能按期完成": not being able to negates whatever follows, achieved word or not.
_UNABLE_WORDS = ("未能", "不能", "没能", "无法")


def read_actual_deadline(value: object, default_year: int | None = None) -> Deadline | Decimal | bool | None:
    """A deadline actual: a date, a completion ratio (Decimal), met/not met (bool), or None."""
    if isinstance(value, date):
        return Deadline.from_date(value)
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return _fraction_or_points(D(value))
    text = normalize_text(value)
    if not text:
        return None
    if any(word in text for word in ("未完成", "未按时", "延期", "逾期", "滞后", "未达成", "否", *_UNABLE_WORDS)):
        return False
    if "%" in text or "百分比" in text:
        quantity = parse_quantity(text)
        return quantity.value if quantity else None
    found = _find_date(text)
    if found:
        return found
    if any(word in text for word in ("按时", "按期", "如期", "及时", "已完成", "完成", "是", "达成", "达到", "按计划")):
        return True
    return None


QUALITATIVE_ACHIEVED = "达成年度指标"
QUALITATIVE_PARTIAL = "部分达成并具有一定效果"
QUALITATIVE_FAILED = "未达成且效果较差"

_PARTIAL_WORDS = ("部分达成", "基本达成", "基本完成", "基本符合", "基本实现", "部分完成", "部分", "一般")
_FAILED_WORDS = ("未达成", "未完成", "未达到", "未实现", "未落实", "未执行", "较差", "效果差", "无效", "不符合", "不达标", "否",
                 *_UNABLE_WORDS)
_ACHIEVED_WORDS = (
    "达成", "达到", "完成", "实现", "是", "好", "有效", "显著", "明显", "符合", "满意", "应保尽保", "到位",
    "落实", "执行", "提升", "提高", "改善", "稳定", "保障", "合格",
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
    if isinstance(actual, date):  # a date states no grade; its digits are no count
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
