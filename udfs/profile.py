"""Rule profile: every weight, threshold and variant the scoring rules leave to the region.

SCORING.md makes these "profile settings with the national default"; no scoring function
holds a constant of its own. The 评分规则 sheet of the template is this dataclass as an
editable key/value table (:func:`profile_rows` writes it, :func:`profile_from_rows` reads it).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from decimal import Decimal
from typing import Iterable, Mapping

from .common_catalogue import COMMON_INDICATORS
from .numbers import D
from .rubric import (
    OverDeduction, RubricError, RubricRule, TotalCap, format_caps, format_over_deduction, format_rule, parse_caps,
    parse_over_deduction, parse_rule,
)

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
    # Regional rubrics (udfs.rubric); the national defaults add nothing to the rules above.
    source: str = "财预〔2020〕10号附件1；共性指标按财预〔2013〕53号附件2计算，不计分（该文件未规定分值）"
    over_deduction: OverDeduction | None = None  # e.g. ≥130% → −2 (一体化平台)
    total_caps: tuple[TotalCap, ...] = ()  # e.g. 执行率<80% → 总分 at most 89
    common_rules: tuple[tuple[str, RubricRule | None], ...] = tuple((i.key, None) for i in COMMON_INDICATORS)

    def common_rule(self, key: str) -> RubricRule | None:
        """The rubric of 共性指标 ``key``; None when this profile does not score it."""
        return dict(self.common_rules).get(key)

    @property
    def scores_common(self) -> bool:
        return any(rule is not None for _, rule in self.common_rules)

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
    ("规则来源", "source", "本套规则的出处；选择规则名称后自动填写"),
    ("超额完成扣分", "over_deduction", "“不扣分”，或如“≥130%扣2分”：完成值达到年度指标值的该比例及以上时扣分"),
    ("按执行率限定总分", "total_caps", "“无”，或如“执行率<80%最高89分；<70%最高79分”：取适用的最低上限"),
    *((f"共性指标：{i.key}", f"common:{i.key}", f"{i.formula}；“不计分”或分值和评分标准（见下方说明）")
      for i in COMMON_INDICATORS),
)
COMMON_PREFIX = "common:"



def _format(value: object, attr: str = "") -> str:
    if attr.startswith(COMMON_PREFIX) or isinstance(value, RubricRule):
        return format_rule(value)  # type: ignore[arg-type]
    if attr == "over_deduction":
        return format_over_deduction(value)  # type: ignore[arg-type]
    if attr == "total_caps":
        return format_caps(value)  # type: ignore[arg-type]
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
        elif attr.startswith(COMMON_PREFIX):
            value = profile.common_rule(attr.removeprefix(COMMON_PREFIX))
        else:
            value = getattr(profile, attr)
            if attr == "reverse_variant":
                value = {v: k for k, v in REVERSE_VARIANTS.items()}[value]
        rows.append((key, _format(value, attr), help_text))
    return rows


class ProfileError(ValueError):
    """A 评分规则 value that cannot be used; the message names the key."""


def _parse(attr: str, key: str, text: str, current: object) -> object:
    text = str(text).strip()
    try:
        if attr.startswith(COMMON_PREFIX):
            return parse_rule(text, f"评分规则「{key}」")
        if attr == "over_deduction":
            return parse_over_deduction(text, f"评分规则「{key}」")
        if attr == "total_caps":
            return parse_caps(text, f"评分规则「{key}」")
    except RubricError as error:
        raise ProfileError(str(error)) from None
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
    """Build a profile from (key, value) pairs; unknown keys and blank values are ignored.

    The 规则名称 picks the starting point: a shipped profile (:data:`SHIPPED_PROFILES`) by its
    name, else the national default under the name given; every other filled row then
    overrides that profile's value (a blank row keeps it).
    """
    rows = list(rows)
    by_key = {key: attr for key, attr, _ in _KEYS}
    name = next((str(value).strip() for key, value in rows
                 if str(key or "").strip() == "规则名称" and value is not None and str(value).strip()), None)
    base = SHIPPED_PROFILES.get(name, DEFAULT_PROFILE) if name else DEFAULT_PROFILE
    changes: dict[str, object] = {"name": name} if name else {}
    weights = dict(base.level1_weights)
    common = dict(base.common_rules)
    attrs = {f.name for f in fields(RuleProfile)}
    for raw_key, raw_value in rows:
        key = str(raw_key or "").strip()
        if key not in by_key or raw_value is None or str(raw_value).strip() == "" or key == "规则名称":
            continue
        attr = by_key[key]
        if attr in weights:
            weights[attr] = _parse(attr, key, raw_value, weights[attr])
        elif attr.startswith(COMMON_PREFIX):
            common[attr.removeprefix(COMMON_PREFIX)] = _parse(attr, key, raw_value, None)
        elif attr in attrs:
            changes[attr] = _parse(attr, key, raw_value, getattr(DEFAULT_PROFILE, attr))
    return replace(base, level1_weights=tuple(weights.items()), common_rules=tuple(common.items()), **changes)


# --- shipped profiles ---------------------------------------------------------------------
# Each cites where its rules come from; 全国默认 stays exactly the rules above.

YUEYANG_RULES = {
    "财政供养人员控制率": "5分；≤100%满分，每超1个百分点扣0.5分，扣完为止",
    "“三公经费”变动率": "5分；≤0%满分，每超1个百分点扣0.5分，扣完为止",
    "重点支出安排率": "5分；≥90%得5分，≥80%得4分，≥70%得3分，≥60%得2分，其他得0分",
    "预算调整率": "3分；按绝对值：=0得3分，≤10%得2分，≤20%得1分，≤30%得0.5分，其他得0分",
    "支付进度": "3分；每个扣0.5分，扣完为止",
    "资金结余": "3分；=0得3分，≤100%得2分，其他得0分",
    "“三公经费”控制率": "6分；≤100%满分，每超1个百分点扣1分，扣完为止",
    "管理制度健全性": "3分；每项1分",
    "资金使用合规性": "3分；每个扣1分，扣完为止",
}

PLATFORM_PROFILE = replace(
    DEFAULT_PROFILE, name="一体化平台",
    source="预算管理一体化系统操作手册（2022年）：完成值超过年度指标值30%及以上扣2分；执行率低于80%、70%、60%、50%时"
           "总分分别不超过89、79、69、59分",
    over_deduction=OverDeduction(Decimal("1.3"), Decimal(2)),
    total_caps=(TotalCap(Decimal("0.8"), Decimal(89)), TotalCap(Decimal("0.7"), Decimal(79)),
                TotalCap(Decimal("0.6"), Decimal(69)), TotalCap(Decimal("0.5"), Decimal(59))),
)
YUEYANG_PROFILE = replace(
    DEFAULT_PROFILE, name="湖南·岳阳",
    source="岳阳市财政局《部门整体支出绩效评价评分表（参考样表）》（附件3-1）共性指标：投入15分、过程（预算执行、预算管理）；"
           "自评表规则同全国默认",
    common_rules=tuple((i.key, parse_rule(YUEYANG_RULES[i.key]) if i.key in YUEYANG_RULES else None)
                       for i in COMMON_INDICATORS),
)
BANDS_80_50_PROFILE = replace(
    DEFAULT_PROFILE, name="定性分档80/50",
    source="部分省份的自评表填报说明：定性指标达成[80%,100%]、部分达成[50%,80%)、未达成[0,50%)；其余同全国默认",
    qualitative_partial_floor=Decimal("0.5"),
)
SHIPPED_PROFILES: Mapping[str, RuleProfile] = {
    profile.name: profile for profile in (DEFAULT_PROFILE, PLATFORM_PROFILE, YUEYANG_PROFILE, BANDS_80_50_PROFILE)
}
