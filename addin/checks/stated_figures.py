"""How a figure is written in a narrative sentence, and whether it may describe a table value.

"393.2万余元" is 3 932 000 元 or a little more (余: below 3 933 000); "约400万元" is about
4 000 000; "1600万元" may be 1 598.7万 rounded; "97%" is 0.97 and "100%" is exactly 1 to
half a point. The unit is what follows the number ("批次", "人次" — not "人" —, "元/人"), so
that a sentence is compared only with a table figure in the same unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterator

from udfs.numbers import HUNDRED, D
from udfs.targets import Quantity, normalize_text

# How a figure is qualified, from the words just before or after it.
_ABOUT_BEFORE = ("大约", "约为", "约合", "大概", "将近", "接近", "约", "近")
_AT_LEAST_BEFORE = ("不少于", "不低于", "超过", "高于", "多达", "逾", "超")
_AT_MOST_BEFORE = ("不超过", "不足", "不到", "低于", "少于")
_ABOUT_AFTER = ("左右",)
_AT_LEAST_AFTER = ("及以上", "以上")
_AT_MOST_AFTER = ("以下", "以内")
# Words between a qualifier and its figure ("约达到400万元"), and words that end in a
# qualifier's character without being one (签约, 附近).
_FILLERS = ("达到", "共计", "累计", "达", "为", "共", "计", "有", "是", "了")
_NOT_QUALIFIERS = ("签约", "节约", "预约", "制约", "合约", "附近", "最近", "就近")

# Units written as words; any other unit is the measure word after the number (人, 台, 座).
_UNITS = sorted((
    "个工作日", "工作日", "个百分点", "百分点", "平方公里", "平方米", "立方米", "人次", "家次", "户次", "批次",
    "车次", "架次", "场次", "台次", "件次", "班次", "个月", "公里", "千米", "公顷", "小时", "分钟", "千克", "公斤",
    "km", "m2", "m3", "kg",
), key=len, reverse=True)
_UNIT_ALIASES = {"千米": "公里", "km": "公里", "m2": "平方米", "m3": "立方米", "公斤": "千克", "kg": "千克",
                 "个百分点": "百分点"}
_SCALES = {"": Decimal(1), "千": Decimal(1000), "万": Decimal(10_000), "亿": Decimal(100_000_000)}

# A number (15 digits at most: udfs.numbers bounds every figure), 万/亿 before or after
# 余/多, then up to four characters that may start its unit (m2 and m3: ㎡ and ㎥ after NFKC).
_STATED = re.compile(
    r"(?<![\d.])(\d{1,15}(?:,\d{3}){0,4}(?:\.\d{1,9})?)(?![\d])([千万亿]?)(余|多)?([千万亿]?)(%|m[23](?!\d)|[^\d%,.:;!?()、。]{0,4})"
)


@dataclass(frozen=True)
class StatedFigure:
    """A number of a sentence as written, in base units, with its precision."""

    value: Decimal  # base units: 0.97 for 97%, 3 932 000 for 393.2万
    text: str
    unit: str  # "%", "元", "人次", "" (none)
    scaled: bool  # written with 千/万/亿
    last: Decimal  # one unit of the last digit written, base units
    significant: Decimal  # one unit of the last non-zero digit, base units
    trailing_zeros: bool  # an integer such as 1600: it may be rounded
    floor: bool  # 余/多: at least the figure, below the next step
    start: int
    end: int


def compact(text: object) -> str:
    """The text as the matcher reads it: normalised (full-width, Traditional) without spaces."""
    return normalize_text(text).replace(" ", "")


def is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def unit_token(text: str) -> tuple[str, int]:
    """The unit a figure is written in and how many characters it takes; a rate such as
    "元/人" is its own unit, not money."""
    if text[:1] == "%":
        return "%", 1
    unit = next((u for u in _UNITS if text.startswith(u)), text[:1] if text and is_cjk(text[0]) else "")
    if not unit:
        return "", 0
    length = len(unit)
    if text[length:length + 1] == "/" and is_cjk(text[length + 1:length + 2]):
        return f"{_UNIT_ALIASES.get(unit, unit)}/{text[length + 1]}", length + 2
    return _UNIT_ALIASES.get(unit, unit), length


def subject_unit(quantity: Quantity) -> tuple[str, bool]:
    """(unit, bare scale) of a table figure: "%", "元" (money, also "399.32万" without unit:
    bare scale), a measure word ("批次"), or "" when the table gives none."""
    if quantity.unit == "%":
        return "%", False
    if quantity.unit.startswith("元") and "/" not in quantity.unit:
        return "元", False
    if not quantity.unit:
        return ("元", True) if quantity.scale else ("", False)
    return unit_token(quantity.unit)[0], False


def _place(digits: str) -> tuple[Decimal, Decimal, bool]:
    """(last digit's place, last non-zero digit's place, integer ending in zeros) of "1600"."""
    whole, _, fraction = digits.partition(".")
    if fraction:
        last = Decimal(1).scaleb(-len(fraction))
        return last, last, False
    stripped = whole.rstrip("0")
    zeros = len(whole) - len(stripped) if stripped else 0
    return Decimal(1), Decimal(1).scaleb(zeros), zeros > 0


def stated_figures(clause: str) -> Iterator[StatedFigure]:
    """The numbers of a clause with their unit and precision; years, dates and ordinals come
    out with their unit (年, 月, 日) or none and so match no table figure."""
    for match in _STATED.finditer(clause):
        number, scale1, more, scale2, tail = match.groups()
        digits = number.replace(",", "")
        try:
            value = D(digits)
        except ValueError:
            continue
        unit, length = unit_token(tail)
        scale = scale1 or scale2
        last, significant, zeros = _place(digits)
        factor = 1 / HUNDRED if unit == "%" else _SCALES[scale]
        end = match.start(5) + length
        yield StatedFigure(value * factor, clause[match.start():end], unit, bool(scale), last * factor,
                           significant * factor, zeros and unit != "%", bool(more), match.start(), end)


def qualifier(before: str, after: str, figure: StatedFigure) -> str:
    """How the words around a figure qualify it: "floor" (余/多), "at_least" (超过, 以上),
    "at_most" (不足, 以内), "about" (约, 左右) or "exact"."""
    if figure.floor:
        return "floor"
    tail = before[-8:]
    stripped = True
    while stripped:
        stripped = False
        for filler in _FILLERS:
            if tail.endswith(filler) and len(tail) > len(filler):
                tail, stripped = tail[:-len(filler)], True
                break
    if not tail.endswith(_NOT_QUALIFIERS):
        for words, reading in ((_AT_MOST_BEFORE, "at_most"), (_AT_LEAST_BEFORE, "at_least"), (_ABOUT_BEFORE, "about")):
            if tail.endswith(words):
                return reading
    for words, reading in ((_ABOUT_AFTER, "about"), (_AT_LEAST_AFTER, "at_least"), (_AT_MOST_AFTER, "at_most")):
        if after.startswith(words):
            return reading
    return "exact"


def agrees(figure: StatedFigure, reading: str, value: Decimal) -> bool:
    """Whether the text's figure, read as written, may describe the table value.

    393.2万余 covers 393.2万 ≤ x < 393.3万; 约 allows 5%, or half the last non-zero digit up
    to 25% ("约1万人" for 12 000); 超过/以上 is a lower bound, 不足/以内 an upper one; a plain
    figure must round to the value (an integer ending in zeros, "1600万", may be rounded by up
    to 1%; "100%" may not)."""
    difference = value - figure.value
    half = figure.last / 2
    if reading == "floor":
        return Decimal(0) <= difference < figure.significant
    if reading == "at_least":
        return difference >= -half
    if reading == "at_most":
        return difference <= half
    if reading == "about":
        size = abs(figure.value)
        return abs(difference) <= max(size * Decimal("0.05"), min(figure.significant / 2, size / 4))
    if abs(difference) <= half:
        return True
    return figure.trailing_zeros and abs(difference) <= min(figure.significant / 2, abs(figure.value) / HUNDRED)


def plausible(figure: StatedFigure, value: Decimal) -> bool:
    """Within a factor of two: farther off, the text counts something else."""
    return bool(value) and Decimal("0.5") <= figure.value / value <= 2


def compatible(figure: StatedFigure, unit: str, bare_scale: bool) -> bool:
    """Whether the figure is in a table figure's unit (see :func:`subject_unit`); "393.2万"
    written without 元 is in the unit of a table figure typed "399.32万"."""
    if figure.unit:
        return figure.unit == unit
    return bare_scale and figure.scaled
