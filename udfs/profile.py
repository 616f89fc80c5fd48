"""Rule profile: every weight, threshold and variant the scoring rules leave to the region.

SCORING.md makes these "profile settings with the national default"; no scoring function
holds a constant of its own. The 评分规则 sheet of the template is this dataclass as an
editable key/value table (:func:`profile_rows` writes it, :func:`profile_from_rows` reads it).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from decimal import Decimal
from typing import Iterable, Mapping

from .numbers import D

LEVEL1_OUTPUT = "产出指标"
LEVEL1_BENEFIT = "效益指标"
LEVEL1_SATISFACTION = "满意度指标"

ROUNDING_CHOICES: Mapping[str, tuple[Decimal, str]] = {
    "四舍五入到0.01": (Decimal("0.01"), "half_up"),
    "向下取整到0.1": (Decimal("0.1"), "floor"),
    "向下取整到1": (Decimal("1"), "floor"),
    "四舍五入到1": (Decimal("1"), "half_up"),
}
REVERSE_VARIANTS = {"线性扣减": "linear", "比值": "ratio"}


@dataclass(frozen=True)
class RuleProfile:
    """Scoring settings; the defaults are the national practice (财预〔2020〕10号)."""

    name: str = "全国默认"
    execution_weight: Decimal = Decimal(10)
    level1_weights: tuple[tuple[str, Decimal], ...] = (
        (LEVEL1_OUTPUT, Decimal(50)),
        (LEVEL1_BENEFIT, Decimal(30)),
        (LEVEL1_SATISFACTION, Decimal(10)),
    )
    cap_execution_rate: bool = True
    over_achievement_threshold: Decimal = Decimal("1.2")
    reverse_variant: str = "linear"
    rounding: str = "四舍五入到0.01"
    qualitative_achieved_floor: Decimal = Decimal("0.8")
    qualitative_partial_floor: Decimal = Decimal("0.6")
    grade_excellent: Decimal = Decimal(90)
    grade_good: Decimal = Decimal(80)
    grade_pass: Decimal = Decimal(60)
    reverse_name_keywords: tuple[str, ...] = (
        "控制率", "调整率", "结转结余率", "投诉率", "不合格率", "事故", "发生率",
    )
    budget_adjustment_limit: Decimal = Decimal("0.3")
    # 财预〔2013〕53号 defines 固定资产利用率 but no bar; 60% mirrors the pass mark of 中.
    low_asset_utilisation: Decimal = Decimal("0.6")

    @property
    def rounding_step(self) -> Decimal:
        return ROUNDING_CHOICES[self.rounding][0]

    @property
    def rounding_mode(self) -> str:
        return ROUNDING_CHOICES[self.rounding][1]

    def level1_weight(self, level1: str) -> Decimal | None:
        """The profile weight of a 一级 indicator, or None for a name the profile lacks."""
        return dict(self.level1_weights).get(level1)

    @property
    def total_weight(self) -> Decimal:
        return self.execution_weight + sum((w for _, w in self.level1_weights), Decimal(0))


DEFAULT_PROFILE = RuleProfile()

# Sheet key -> (attribute, help text). Level-1 weights are one key each.
_KEYS: tuple[tuple[str, str, str], ...] = (
    ("规则名称", "name", "本套规则的名称"),
    ("预算执行率分值", "execution_weight", "项目资金执行率的分值"),
    ("产出指标分值", LEVEL1_OUTPUT, "一级指标权重，合计加执行率分值应为100"),
    ("效益指标分值", LEVEL1_BENEFIT, "一级指标权重"),
    ("满意度指标分值", LEVEL1_SATISFACTION, "一级指标权重"),
    ("执行率封顶", "cap_execution_rate", "是：执行率超过100%按100%计分"),
    ("超额完成阈值", "over_achievement_threshold", "实际值≥目标值×阈值时标记超额完成"),
    ("反向指标算法", "reverse_variant", "线性扣减 或 比值"),
    ("得分取整方式", "rounding", "四舍五入到0.01 / 向下取整到0.1 / 向下取整到1 / 四舍五入到1"),
    ("定性达成下限", "qualitative_achieved_floor", "达成年度指标：得分不低于分值×该比例"),
    ("定性部分达成下限", "qualitative_partial_floor", "部分达成：得分不低于分值×该比例"),
    ("优等级分数线", "grade_excellent", "总分≥该值为优"),
    ("良等级分数线", "grade_good", "总分≥该值为良"),
    ("中等级分数线", "grade_pass", "总分≥该值为中，否则为差"),
    ("反向指标关键词", "reverse_name_keywords", "三级指标名称含这些词（用顿号分隔）按反向计分"),
    ("预算调整率上限", "budget_adjustment_limit", "预算调整率超过该值需说明原因"),
    ("资产使用率下限", "low_asset_utilisation", "资产使用率低于该值时，自评报告提示资产闲置"),
)


def _format(value: object) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, tuple):
        return "、".join(value)
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def profile_rows(profile: RuleProfile = DEFAULT_PROFILE) -> list[tuple[str, str, str]]:
    """(key, value text, help) rows for the 评分规则 sheet."""
    rows = []
    for key, attr, help_text in _KEYS:
        if profile.level1_weight(attr) is not None:
            value = profile.level1_weight(attr)
        else:
            value = getattr(profile, attr)
            if attr == "reverse_variant":
                value = {v: k for k, v in REVERSE_VARIANTS.items()}[value]
        rows.append((key, _format(value), help_text))
    return rows


class ProfileError(ValueError):
    """A 评分规则 value that cannot be used; the message names the key."""


def _parse(attr: str, key: str, text: str, current: object) -> object:
    text = str(text).strip()
    if attr == "reverse_variant":
        if text not in REVERSE_VARIANTS:
            raise ProfileError(f"评分规则「{key}」应为“线性扣减”或“比值”，实际为「{text}」")
        return REVERSE_VARIANTS[text]
    if attr == "rounding":
        if text not in ROUNDING_CHOICES:
            raise ProfileError(f"评分规则「{key}」不支持「{text}」，可选：{'、'.join(ROUNDING_CHOICES)}")
        return text
    if isinstance(current, bool):
        if text not in ("是", "否"):
            raise ProfileError(f"评分规则「{key}」应为“是”或“否”，实际为「{text}」")
        return text == "是"
    if isinstance(current, tuple):
        return tuple(part.strip() for part in text.replace(",", "、").replace("，", "、").split("、") if part.strip())
    if isinstance(current, Decimal):
        try:
            return D(text)
        except (ValueError, TypeError):
            raise ProfileError(f"评分规则「{key}」应为数字，实际为「{text}」") from None
    return text


def profile_from_rows(rows: Iterable[tuple[object, object]]) -> RuleProfile:
    """Build a profile from (key, value) pairs; unknown keys and blank values are ignored."""
    by_key = {key: attr for key, attr, _ in _KEYS}
    changes: dict[str, object] = {}
    weights = dict(DEFAULT_PROFILE.level1_weights)
    attrs = {f.name for f in fields(RuleProfile)}
    for raw_key, raw_value in rows:
        key = str(raw_key or "").strip()
        if key not in by_key or raw_value is None or str(raw_value).strip() == "":
            continue
        attr = by_key[key]
        if attr in weights:
            weights[attr] = _parse(attr, key, raw_value, weights[attr])
        elif attr in attrs:
            changes[attr] = _parse(attr, key, raw_value, getattr(DEFAULT_PROFILE, attr))
    return replace(DEFAULT_PROFILE, level1_weights=tuple(weights.items()), **changes)
