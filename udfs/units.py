"""Units of measure as accountants spell them, and which of them can be compared.

One unit is often spelled several ways in the same table (㎡ / m² / 平方米, 万元 / 万,
人次 / 人·次); SCORING.md §5b.2 makes them one unit. Units of the same dimension convert
(1.2公里 against ≥1000米); counting words (批次, 例, 家, 人 …) are all counts, so two
different ones are compared with a review flag; units of different dimensions (分 against
%, 元 against 人) cannot be compared at all.

Spellings are matched after NFKC normalisation (:func:`udfs.targets.normalize_text`), which
turns ㎡ into "m2", ㎞ into "km" and full-width letters into ASCII.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

PERCENT = "%"
MONEY = "元"
COUNT = "count"

# spelling (after NFKC) -> canonical unit
_SPELLINGS: dict[str, str] = {
    "%": PERCENT, "百分比": PERCENT, "百分点": PERCENT,
    "元": MONEY, "块": MONEY, "块钱": MONEY,
    "m2": "平方米", "平米": "平方米", "平方": "平方米", "平方米": "平方米",
    "km2": "平方公里", "平方公里": "平方公里", "亩": "亩", "公顷": "公顷",
    "m3": "立方米", "立方": "立方米", "立方米": "立方米", "方": "立方米",
    "m": "米", "米": "米", "km": "公里", "公里": "公里", "千米": "公里",
    "g": "克", "克": "克", "kg": "千克", "公斤": "千克", "千克": "千克", "t": "吨", "吨": "吨",
    "人·次": "人次", "人*次": "人次", "人/次": "人次", "人x次": "人次", "人次": "人次",
    "min": "分钟", "分钟": "分钟", "h": "小时", "小时": "小时", "天": "天", "日": "天",
    "个工作日": "工作日", "工作日": "工作日", "个月": "月", "月": "月", "年": "年",
    "分": "分",
}

# canonical unit -> (dimension, size in the dimension's base unit)
_DIMENSIONS: dict[str, tuple[str, Decimal]] = {
    PERCENT: ("percent", Decimal(1)),
    MONEY: ("money", Decimal(1)),
    "平方米": ("area", Decimal(1)), "亩": ("area", Decimal(2000) / Decimal(3)), "公顷": ("area", Decimal(10_000)),
    "平方公里": ("area", Decimal(1_000_000)),
    "立方米": ("volume", Decimal(1)),
    "米": ("length", Decimal(1)), "公里": ("length", Decimal(1000)),
    "克": ("mass", Decimal("0.001")), "千克": ("mass", Decimal(1)), "吨": ("mass", Decimal(1000)),
    "分钟": ("time", Decimal(1)), "小时": ("time", Decimal(60)), "天": ("time", Decimal(1440)),
    "工作日": ("workday", Decimal(1)), "月": ("month", Decimal(1)), "年": ("year", Decimal(1)),
    "分": ("points", Decimal(1)),
}

DIMENSION_NAMES = {
    "percent": "百分比", "money": "金额", "area": "面积", "volume": "体积", "length": "长度", "mass": "重量",
    "time": "时长", "workday": "工作日", "month": "月数", "year": "年数", "points": "分数", COUNT: "数量",
}


def canonical_unit(spelling: str) -> str:
    """The one name of a unit: "㎡"/"m2"/"平米" -> "平方米"; unknown counting words unchanged."""
    return _SPELLINGS.get(spelling, spelling)


@dataclass(frozen=True)
class Dimension:
    name: str  # "percent", "money", "area", …, "count"
    size: Decimal  # of one unit, in the dimension's base unit


def dimension_of(unit: str) -> Dimension | None:
    """The dimension of a canonical unit; any other non-empty unit counts things; "" has none."""
    if not unit:
        return None
    name, size = _DIMENSIONS.get(unit, (COUNT, Decimal(1)))
    return Dimension(name, size)


def conversion(source: str, target: str) -> Decimal | None:
    """Factor turning a value in ``source`` into ``target`` units (1 for the same unit and for
    two counting words), or None when the dimensions differ."""
    if source == target:
        return Decimal(1)
    a, b = dimension_of(source), dimension_of(target)
    if a is None or b is None or a.name != b.name:
        return None
    return a.size / b.size
