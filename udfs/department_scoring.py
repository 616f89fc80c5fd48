"""The department as a whole: its 部门整体支出绩效自评表 and its 共性指标, scored by the profile.

The 部门整体 table is a 自评表 like a project's, so the same engine scores it
(:func:`udfs.scoring.score_project`); the 共性指标 (:mod:`udfs.common_indicators`) are scored
by the profile's rubric (:mod:`udfs.rubric`). Every row carries the sentence that explains its
points — including "不计分" and "无法评分" — so a table built from these results never shows a
number nobody can account for.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .common_indicators import CommonValue, common_values
from .model import Department, ProjectResult
from .numbers import ZERO
from .profile import RuleProfile
from .rubric import RubricRule, apply_rule
from .scoring import round_score, score_project


@dataclass(frozen=True)
class CommonScore:
    """One 共性指标 under a profile: its figure, the rule (None: 不计分), points and why."""

    value: CommonValue
    rule: RubricRule | None
    points: Decimal | None  # None: not scored, or cannot be scored (see ``explanation``)
    explanation: str

    @property
    def weight(self) -> Decimal:
        return ZERO if self.rule is None else self.rule.weight

    @property
    def cannot_score(self) -> bool:
        return self.rule is not None and self.points is None


@dataclass(frozen=True)
class CommonResult:
    rows: tuple[CommonScore, ...]
    profile: RuleProfile

    @property
    def scored(self) -> tuple[CommonScore, ...]:
        return tuple(row for row in self.rows if row.rule is not None)

    @property
    def weight(self) -> Decimal:
        return sum((row.weight for row in self.rows), ZERO)

    @property
    def score(self) -> Decimal:
        return sum((row.points or ZERO for row in self.rows), ZERO)

    def group(self, level1: str, level2: str = "") -> tuple[Decimal, Decimal]:
        """(分值, 得分) of a 一级 (or 二级) group of the scored rows."""
        rows = [row for row in self.scored if row.value.indicator.level1 == level1
                and (not level2 or row.value.indicator.level2 == level2)]
        return sum((row.weight for row in rows), ZERO), sum((row.points or ZERO for row in rows), ZERO)


def score_common_value(value: CommonValue, profile: RuleProfile) -> CommonScore:
    rule = profile.common_rule(value.indicator.key)
    if rule is None:
        return CommonScore(value, None, None, f"不计分；{value.working or value.missing}")
    if value.value is None:
        return CommonScore(value, rule, None, f"无法评分：{value.missing}，未计分")
    found = apply_rule(rule, value.value, value.working)
    return CommonScore(value, rule, round_score(found.points, profile), found.sentence)


def score_common(department: Department, profile: RuleProfile | None = None) -> CommonResult:
    """Every 共性指标 of the department under ``profile`` (default: the department's own)."""
    profile = profile or department.profile
    return CommonResult(tuple(score_common_value(value, profile) for value in common_values(department)), profile)


def score_whole(department: Department, profile: RuleProfile | None = None) -> ProjectResult | None:
    """The 部门整体支出绩效自评表 scored like a project; None when the department has none."""
    if department.whole is None:
        return None
    return score_project(department.whole.as_project(department.name), profile or department.profile,
                         department.year or None)
