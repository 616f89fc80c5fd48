"""Rubrics as data: the small rule vocabulary regional 评分表 are written in.

A rubric is text in a 评分规则 cell, so a finance bureau can change it without code; this
module reads that text into typed rules and applies them to a figure. The vocabulary is what
the published 评分表 use (岳阳's 共性指标 table, the 一体化平台 practice):

* **线性** ``5分；≤100%满分，每超1个百分点扣0.5分，扣完为止`` — full points up to a bar, then a
  deduction per percentage point beyond it (pro rata; a deduction is never less than 0.01, so
  100.01% does not keep full points), down to 0. ``≥95%满分，每低1个百分点扣1分`` the other way.
* **分档** ``5分；≥90%得5分，≥80%得4分，…，其他得0分`` — the first band that holds wins, so
  80% exactly earns the ≥80% band. ``按绝对值：`` before the bands compares |figure| (a 预算调整率
  of −3.55% is an adjustment of 3.55%).
* **按次扣分** ``3分；每个扣0.5分，扣完为止`` — per counted event (late 专项, violations).
* **逐项计分** ``3分；每项1分`` — per item of a checklist done.
* ``不计分`` — the indicator is computed and shown, not scored.

Two rules act on a whole 自评表: :class:`OverDeduction` (``≥130%扣2分``: a 完成值 that far above
the target loses points) and :class:`TotalCap` (``执行率<80%最高89分；<70%最高79分``).
Every rule keeps the text it was read from; :func:`format_rule` writes it back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from enum import Enum

from .numbers import HUNDRED, ZERO, amount_text, percent_text

NOT_SCORED = "不计分"
NO_DEDUCTION = "不扣分"
NO_CAP = "无"
_NUMBER = r"(\d+(?:\.\d+)?)"
_COMPARATORS = {"≥": ">=", ">=": ">=", "＞": ">", ">": ">", "≤": "<=", "<=": "<=", "＜": "<", "<": "<", "=": "=", "＝": "="}
_SHOWN = {">=": "≥", ">": "＞", "<=": "≤", "<": "＜", "=": "="}


class RubricError(ValueError):
    """Rubric text that does not follow the vocabulary; the message is Chinese."""


class RubricKind(str, Enum):
    LINEAR = "linear"
    BANDS = "bands"
    PER_EVENT = "per_event"
    CHECKLIST = "checklist"


@dataclass(frozen=True)
class Bound:
    """A comparison with a bound: ``>= 0.9``. Percent bounds are fractions (90% is 0.9)."""

    op: str  # ">=", ">", "<=", "<", "="
    value: Decimal
    percent: bool = True

    def holds(self, figure: Decimal) -> bool:
        return {">=": figure >= self.value, ">": figure > self.value, "<=": figure <= self.value,
                "<": figure < self.value, "=": figure == self.value}[self.op]

    @property
    def text(self) -> str:
        shown = percent_text(self.value, _places(self.value * HUNDRED)) if self.percent else amount_text(self.value)
        return _SHOWN[self.op] + shown


@dataclass(frozen=True)
class Band:
    bound: Bound | None  # None: 其他
    points: Decimal


@dataclass(frozen=True)
class RubricRule:
    """One 共性指标's rule. ``text`` is what the 评分规则 cell says (the 评分标准 printed)."""

    weight: Decimal
    kind: RubricKind
    text: str
    bar: Bound | None = None  # LINEAR: full points while the figure holds this bound
    step: Decimal = Decimal("0.01")  # LINEAR: deduct per this much beyond the bar (1 个百分点)
    deduct: Decimal = ZERO  # LINEAR: per step; PER_EVENT: per event
    bands: tuple[Band, ...] = ()
    absolute: bool = False  # BANDS on |figure|
    item_points: Decimal = ZERO  # CHECKLIST


@dataclass(frozen=True)
class RuleScore:
    """Points of a rule for a figure (None: cannot score) and the sentence saying why."""

    points: Decimal | None
    sentence: str


def _places(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _number(text: str, where: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise RubricError(f"{where}中「{text}」不是数字") from None


def _clean(text: str) -> str:
    """Half-width punctuation, no spaces: the forms accountants type are all the same rule."""
    table = str.maketrans({"；": ";", "，": ",", "、": ",", "：": ":", "％": "%", "（": "(", "）": ")", "－": "-"})
    return "".join(str(text).translate(table).split())


def _bound(op: str, number: str, percent: str) -> Bound:
    value = Decimal(number)
    return Bound(_COMPARATORS[op], value / HUNDRED if percent else value, bool(percent))


_OP = r"(≥|>=|＞|>|≤|<=|＜|<|=|＝)"
_LINEAR = re.compile(_OP + _NUMBER + r"(%?)(?:满分|得满分),每(超|超过|低|低于)" + _NUMBER + r"个?百分点扣" + _NUMBER
                     + r"分(?:,扣完为止)?$")
_BAND = re.compile(_OP + _NUMBER + r"(%?)(?:得|计)?(满|" + _NUMBER[1:-1] + r")分$")
_OTHER = re.compile(r"(?:其他|其余|否则)(?:得|计)?" + _NUMBER + r"分$")
_PER_EVENT = re.compile(r"每(?:个|次|起|项|出现一个)扣" + _NUMBER + r"分(?:,扣完为止)?$")
_CHECKLIST = re.compile(r"每项(?:得|计)?" + _NUMBER + r"分$")


def parse_rule(text: object, where: str = "评分标准") -> RubricRule | None:
    """The rule a 评分规则 cell states; None for 不计分. Raises :class:`RubricError` naming
    ``where`` when the text follows none of the forms."""
    original = " ".join(str(text).split())
    clean = _clean(original)
    if clean in ("", NOT_SCORED):
        return None
    weight_text, _, body = clean.partition(";")
    match = re.fullmatch(_NUMBER + "分", weight_text)
    if not match or not body:
        raise RubricError(f"{where}应以分值开头，如“5分；≤100%满分，每超1个百分点扣0.5分”，实际为「{original}」")
    weight = _number(match.group(1), where)
    if linear := _LINEAR.fullmatch(body):
        op, number, percent, direction, step, deduct = linear.groups()
        bar = _bound(op, number, percent)
        if (direction.startswith("超")) != (bar.op in ("<=", "<")):
            raise RubricError(f"{where}：“{_SHOWN[bar.op]}”满分应与“每{'超' if bar.op in ('<=', '<') else '低'}”对应，实际为「{original}」")
        return RubricRule(weight, RubricKind.LINEAR, original, bar=bar, step=Decimal(step) / HUNDRED,
                          deduct=Decimal(deduct))
    if event := _PER_EVENT.fullmatch(body):
        return RubricRule(weight, RubricKind.PER_EVENT, original, deduct=Decimal(event.group(1)))
    if item := _CHECKLIST.fullmatch(body):
        return RubricRule(weight, RubricKind.CHECKLIST, original, item_points=Decimal(item.group(1)))
    absolute = body.startswith("按绝对值:")
    bands = []
    for part in body.removeprefix("按绝对值:").split(","):
        if band := _BAND.fullmatch(part):
            op, number, percent, points = band.group(1), band.group(2), band.group(3), band.group(4)
            bands.append(Band(_bound(op, number, percent), weight if points == "满" else Decimal(points)))
        elif other := _OTHER.fullmatch(part):
            bands.append(Band(None, Decimal(other.group(1))))
        else:
            raise RubricError(f"{where}中「{part}」不是可用的规则（线性扣分、分档、按次扣分、逐项计分），见“评分规则”说明")
    if any(band.points > weight for band in bands):
        raise RubricError(f"{where}：分档得分超过分值{amount_text(weight)}分")
    return RubricRule(weight, RubricKind.BANDS, original, bands=tuple(bands), absolute=absolute)


def format_rule(rule: RubricRule | None) -> str:
    return NOT_SCORED if rule is None else rule.text


def _ceiling_cent(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_CEILING)


def apply_rule(rule: RubricRule, figure: Decimal, shown: str) -> RuleScore:
    """Points of ``rule`` for ``figure`` (a fraction for rates, a count, items done), with the
    sentence; ``shown`` is the figure as the sentence starts with it ("147÷184=79.89%",
    "未按进度下达的专项2个")."""
    weight = rule.weight
    if rule.kind is RubricKind.LINEAR:
        return _linear(rule, figure, shown)
    if rule.kind is RubricKind.PER_EVENT:
        lost = figure * rule.deduct
        points = max(ZERO, weight - lost)
        deducted = "" if figure <= ZERO else ("扣完为止，" if points == ZERO else f"扣{amount_text(lost)}分，")
        return RuleScore(points, f"{shown}，每个扣{amount_text(rule.deduct)}分，{deducted}得{amount_text(points)}分")
    if rule.kind is RubricKind.CHECKLIST:
        points = min(weight, figure * rule.item_points)
        return RuleScore(points, f"{shown}，每项{amount_text(rule.item_points)}分，得{amount_text(points)}分")
    compared = abs(figure) if rule.absolute else figure
    for band in rule.bands:
        if band.bound is None or band.bound.holds(compared):
            which = "其他" if band.bound is None else band.bound.text
            absolute = f"（按绝对值{percent_text(compared)}）" if rule.absolute and figure < ZERO else ""
            return RuleScore(band.points, f"{shown}{absolute}，属于“{which}”档，得{amount_text(band.points)}分")
    return RuleScore(ZERO, f"{shown}不在任何一档内，得0分")


def _linear(rule: RubricRule, figure: Decimal, shown: str) -> RuleScore:
    bar, weight = rule.bar, rule.weight
    assert bar is not None
    upper = bar.op in ("<=", "<")
    level = bar.text[1:]  # "100%"
    if bar.holds(figure):
        return RuleScore(weight, f"{shown}，{'未超过' if upper else '达到'}{level}，得满分{amount_text(weight)}分")
    if figure.is_infinite():
        return RuleScore(ZERO, f"{shown}，远超{level}，得0分")
    beyond = abs(figure - bar.value)
    lost = _ceiling_cent(beyond / rule.step * rule.deduct)
    points = max(ZERO, weight - lost)
    unit = amount_text(rule.step * HUNDRED)
    sentence = (f"{shown}，{'超出' if upper else '低于'}{level}的标准{amount_text(beyond * HUNDRED)}个百分点，"
                f"每{unit if unit != '1' else ''}个百分点扣{amount_text(rule.deduct)}分，")
    if points == ZERO:
        return RuleScore(ZERO, sentence + "扣完为止，得0分")
    return RuleScore(points, sentence + f"扣{amount_text(lost)}分，得{amount_text(points)}分")


# --- rules on a whole 自评表 -----------------------------------------------------------------

@dataclass(frozen=True)
class OverDeduction:
    """A 完成值 at ``threshold`` × the target or more loses ``points`` (一体化平台 practice)."""

    threshold: Decimal  # 1.3: 30% above the target
    points: Decimal


@dataclass(frozen=True)
class TotalCap:
    """With 执行率 below ``below`` the 总分 is at most ``cap``; the strictest cap that applies wins."""

    below: Decimal  # a fraction: 0.8
    cap: Decimal


_OVER = re.compile(r"(?:完成值|实际)?(?:≥|>=)" + _NUMBER + r"%扣" + _NUMBER + r"分$")
_CAP = re.compile(r"(?:执行率)?(?:<|＜)" + _NUMBER + r"%(?:最高|不超过|封顶)" + _NUMBER + r"分$")


def parse_over_deduction(text: object, where: str) -> OverDeduction | None:
    clean = _clean(str(text))
    if clean in ("", NO_DEDUCTION, "无"):
        return None
    match = _OVER.fullmatch(clean)
    if not match:
        raise RubricError(f"{where}应为“不扣分”或如“≥130%扣2分”，实际为「{text}」")
    return OverDeduction(Decimal(match.group(1)) / HUNDRED, Decimal(match.group(2)))


def format_over_deduction(rule: OverDeduction | None) -> str:
    if rule is None:
        return NO_DEDUCTION
    return f"≥{amount_text(rule.threshold * HUNDRED)}%扣{amount_text(rule.points)}分"


def parse_caps(text: object, where: str) -> tuple[TotalCap, ...]:
    clean = _clean(str(text))
    if clean in ("", NO_CAP, "不限"):
        return ()
    caps = []
    for part in clean.split(";"):
        match = _CAP.fullmatch(part)
        if not match:
            raise RubricError(f"{where}中「{part}」应如“执行率<80%最高89分”")
        caps.append(TotalCap(Decimal(match.group(1)) / HUNDRED, Decimal(match.group(2))))
    return tuple(caps)


def format_caps(caps: tuple[TotalCap, ...]) -> str:
    if not caps:
        return NO_CAP
    return "；".join(("执行率" if index == 0 else "") + f"<{amount_text(cap.below * HUNDRED)}%最高{amount_text(cap.cap)}分"
                    for index, cap in enumerate(caps))


def total_cap(caps: tuple[TotalCap, ...], rate: Decimal | None) -> TotalCap | None:
    """The strictest cap whose bound the 执行率 is below; None when none applies."""
    if rate is None:
        return None
    applying = [cap for cap in caps if rate < cap.below]
    return min(applying, key=lambda cap: cap.cap) if applying else None
