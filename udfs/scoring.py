"""The scoring rules of SCORING.md, one small function per rule, no I/O.

``score_indicator`` is the entry point for a 三级 row: it parses the target, applies the
matching rule, then the manual override and the review flags. ``score_project`` rolls rows
up to 二级/一级, adds the execution score and grades the total.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .model import (
    Flag, Funds, FundsResult, GroupScore, Indicator, IndicatorResult, Project, ProjectResult, Rule, shown,
)
from .dates import meets
from .numbers import ONE, ZERO, D, clamp, percent_text, quantize, ratio, score_text
from .profile import DEFAULT_PROFILE, RuleProfile
from .rubric import total_cap
from .targets import (
    QUALITATIVE_ACHIEVED, QUALITATIVE_FAILED, QUALITATIVE_PARTIAL, ActualError, Comparator, Pair, ParsedTarget,
    Quantity, TargetKind, normalize_text, parse_target, read_actual_deadline, read_pair, qualitative_grade,
)


@dataclass(frozen=True)
class RuleOutcome:
    """What a rule says about a row before overrides: score (None = cannot score) and why."""

    rule: Rule
    score: Decimal | None
    sentence: str
    completion: Decimal | None = None
    flags: tuple[Flag, ...] = ()


def round_score(value: Decimal, profile: RuleProfile = DEFAULT_PROFILE, cap: Decimal | None = None) -> Decimal:
    """``value`` rounded by the profile; never above ``cap`` (the 分值): a weight with more
    digits than the step (10.088 at 0.01) rounds its near-full scores down to 10.08, not up to
    10.09, while the full score itself stays the 分值 as typed."""
    if cap is not None and value == cap:
        return cap
    rounded = quantize(value, profile.rounding_step, profile.rounding_mode)
    if cap is not None and rounded > cap:
        return quantize(cap, profile.rounding_step, "floor")
    return rounded


def grade(total: Decimal, profile: RuleProfile = DEFAULT_PROFILE) -> str:
    """优 ≥ 90 > 良 ≥ 80 > 中 ≥ 60 > 差 (half-open: 89.5 is 良)."""
    if total >= profile.grade_excellent:
        return "优"
    if total >= profile.grade_good:
        return "良"
    if total >= profile.grade_pass:
        return "中"
    return "差"


def execution_rate(executed: Decimal | None, budget: Decimal | None) -> Decimal | None:
    """执行率 = 全年执行数 / 全年预算数 (the adjusted budget, not 年初预算数)."""
    return ratio(executed, budget)


def _execution_problem(budget: Decimal | None, executed: Decimal | None, weight: Decimal) -> str:
    """Why no execution score can be given, or ''; a negative amount is a typo, not a 0."""
    if weight < ZERO:
        return f"分值不能为负数：{score_text(weight)}"
    if budget is None or budget == ZERO:
        return "全年预算数为空或为0，无法计算执行率"
    if budget < ZERO:
        return f"全年预算数不能为负数：{score_text(budget)}"
    if executed is None:
        return "全年执行数为空，无法计算执行率"
    return ""


def score_execution(funds: Funds, profile: RuleProfile = DEFAULT_PROFILE) -> FundsResult:
    """得分 = min(执行率, 1) × 分值 with 执行率封顶 (the default), else 执行率 × 分值, which
    rewards spending beyond the budget above the weight; never below 0."""
    weight = profile.execution_weight if funds.weight is None else funds.weight
    line = funds.total
    problem = _execution_problem(line.budget, line.executed, weight)
    if problem:
        return FundsResult(funds, None, None, weight, problem)
    rate = execution_rate(line.executed, line.budget)
    counted = min(rate, ONE) if profile.cap_execution_rate else rate
    score = round_score(max(counted * weight, ZERO), profile, weight if profile.cap_execution_rate else None)
    message = (
        f"执行率={score_text(line.executed)}/{score_text(line.budget)}={percent_text(rate)}，"
        f"得分={score_text(score)}分（分值{score_text(weight)}分）"
    )
    return FundsResult(funds, rate, score, weight, message)


def relative_difference(target: Decimal | None, actual: Decimal | None) -> Decimal | None:
    """(actual − target) / target: 成本偏差率 for cost rows, 偏离度 for any indicator."""
    if target is None or actual is None:
        return None
    return ratio(actual - target, target)


def _full(weight: Decimal) -> str:
    return f"得满分{score_text(weight)}分"


@dataclass(frozen=True)
class Said:
    """How a rule sentence names the two sides: as the user wrote them ("≥95%", "97.30%"),
    with the reading in brackets where a unit was taken from the other side ("≤5（即5%）")."""

    target: str
    actual: str

    @classmethod
    def of(cls, target: Quantity, actual: Quantity) -> "Said":
        return cls(target.text(), actual.text())


def score_positive(target: Quantity, actual: Quantity, weight: Decimal, strict: bool,
                   profile: RuleProfile, rule: Rule = Rule.POSITIVE, said: Said | None = None) -> RuleOutcome:
    """正向: B ≥ A → w; else w × B / A. ``strict`` is the '>' comparator (B must exceed A)."""
    said = said or Said.of(target, actual)
    a, b = target.value, max(actual.value, ZERO)
    met = b > a if strict else b >= a
    completion = ratio(b, a)
    label = rule.label
    if met:
        flags = (Flag.OVER_ACHIEVED,) if completion is not None and completion >= profile.over_achievement_threshold else ()
        sentence = f"{label}：实际{said.actual}达到目标{said.target}，{_full(weight)}"
        if flags:
            sentence += f"；完成率{percent_text(completion)}，超额完成，需说明原因"
        return RuleOutcome(rule, weight, sentence, completion, flags)
    if a <= ZERO:
        return RuleOutcome(rule, ZERO, f"{label}：实际{said.actual}未超过目标{said.target}，得0分", completion)
    score = round_score(clamp(weight * b / a, ZERO, weight), profile, weight)
    sentence = (
        f"{label}：实际{said.actual}未达到目标{said.target}，"
        f"得分={score_text(weight)}×{actual.text()}/{target.text()}={score_text(score)}分"
    )
    return RuleOutcome(rule, score, sentence, completion)


def score_reverse(target: Quantity, actual: Quantity, weight: Decimal, profile: RuleProfile,
                  said: Said | None = None) -> RuleOutcome:
    """反向: B ≤ A → w; A < B < 2A → w(1 − (B−A)/A); B ≥ 2A → 0 (or w·A/B in the ratio variant).
    A target of 0 ("0起", "无") allows nothing: B ≤ 0 → w, otherwise 0 (SCORING.md §5b.3)."""
    said = said or Said.of(target, actual)
    a, b = target.value, max(actual.value, ZERO)
    completion = ratio(b, a)
    label = Rule.REVERSE.label
    if b <= a:
        return RuleOutcome(Rule.REVERSE, weight, f"{label}：实际{said.actual}未超过目标{said.target}，{_full(weight)}", completion)
    if a <= ZERO:
        return RuleOutcome(Rule.REVERSE, ZERO, f"{label}：目标为{said.target}，实际{said.actual}超出，得0分", completion)
    if profile.reverse_variant == "ratio":
        score = round_score(weight * a / b, profile, weight)
        return RuleOutcome(Rule.REVERSE, score, f"{label}：实际{said.actual}超过目标{said.target}，得分={score_text(weight)}×目标/实际={score_text(score)}分", completion)
    if b >= 2 * a:
        return RuleOutcome(Rule.REVERSE, ZERO, f"{label}：实际{said.actual}达到目标{said.target}的2倍及以上，得0分", completion)
    score = round_score(clamp(weight * (ONE - (b - a) / a), ZERO, weight), profile, weight)
    excess = percent_text((b - a) / a)
    sentence = (
        f"{label}：实际{said.actual}超过目标{said.target}（超出{excess}），"
        f"得分={score_text(weight)}×(1−{excess})={score_text(score)}分"
    )
    return RuleOutcome(Rule.REVERSE, score, sentence, completion)


def score_equal(target: Quantity, actual: Quantity, weight: Decimal, profile: RuleProfile,
                said: Said | None = None) -> RuleOutcome:
    """等于: scored as 正向; A = 0 gives w when B ≤ 0 else 0; any B ≠ A is flagged for review."""
    said = said or Said.of(target, actual)
    label = Rule.EQUAL.label
    if target.value == ZERO:
        score = weight if actual.value <= ZERO else ZERO
        outcome = RuleOutcome(Rule.EQUAL, score, f"{label}：目标为0，实际{said.actual}，得{score_text(score)}分")
    else:
        outcome = score_positive(target, actual, weight, False, profile, Rule.EQUAL, said)
    if actual.value != target.value:
        return RuleOutcome(outcome.rule, outcome.score, outcome.sentence + "；实际值与目标值不等，需复核",
                           outcome.completion, outcome.flags + (Flag.NOT_EQUAL,))
    return outcome


def score_deadline(parsed: ParsedTarget, actual: object, weight: Decimal, profile: RuleProfile,
                   year: int | None = None) -> RuleOutcome:
    """时效: met → w; not met → 0, unless a completion ratio is given (80% → 0.8 w). A date
    later than the deadline is not met; a year written on neither side is the 自评 ``year``."""
    label = Rule.DEADLINE.label
    state = read_actual_deadline(actual)
    shown_actual = shown(actual)
    if state.date is not None:
        if parsed.deadline is None:
            return RuleOutcome(Rule.UNPARSED, None, f"无法评分：目标「{parsed.text}」没有日期，实际为日期「{shown_actual}」")
        comparison = meets(state.date, parsed.deadline, year)
        word = "不晚于" if comparison.met else "晚于"
        score = weight if comparison.met else ZERO
        return _noted(RuleOutcome(Rule.DEADLINE, score,
                                  f"{label}：实际「{shown_actual}」{word}目标「{parsed.text}」，得{score_text(score)}分"),
                      state.note, comparison.note)
    if state.met is not None:
        score = weight if state.met else ZERO
        return RuleOutcome(Rule.DEADLINE, score,
                           f"{label}：实际「{shown_actual}」{'按时完成' if state.met else '未按时完成'}，得{score_text(score)}分")
    if state.share is not None:
        share = clamp(state.share, ZERO, ONE)
        score = round_score(weight * share, profile, weight)
        text = "按时完成" if share >= ONE else f"完成{percent_text(share)}"
        return RuleOutcome(Rule.DEADLINE, score, f"{label}：实际{text}，得{score_text(score)}分", share)
    return RuleOutcome(Rule.UNPARSED, None, f"无法评分：时效指标的实际完成值「{shown_actual}」无法判断是否按时完成")


def _noted(outcome: RuleOutcome, *notes: str) -> RuleOutcome:
    """Add what had to be assumed: the row stays scored, flagged 需复核 with the assumption."""
    notes = tuple(note for note in notes if note)
    if not notes:
        return outcome
    return RuleOutcome(outcome.rule, outcome.score, outcome.sentence + "；需复核：" + "；".join(notes),
                       outcome.completion, outcome.flags + (Flag.NEEDS_REVIEW,))


def qualitative_band(grade_name: str, weight: Decimal, profile: RuleProfile) -> tuple[Decimal, Decimal]:
    """The [low, high] score band of a qualitative grade; high is inclusive only for 达成."""
    achieved, partial = weight * profile.qualitative_achieved_floor, weight * profile.qualitative_partial_floor
    return {
        QUALITATIVE_ACHIEVED: (achieved, weight),
        QUALITATIVE_PARTIAL: (partial, achieved),
        QUALITATIVE_FAILED: (ZERO, partial),
    }[grade_name]


def _band_top(grade_name: str, weight: Decimal, profile: RuleProfile) -> Decimal:
    """Default score of a grade: the top of its band, one rounding step below an open end."""
    low, high = qualitative_band(grade_name, weight, profile)
    if grade_name == QUALITATIVE_ACHIEVED:
        return high
    return max(low, quantize(high - profile.rounding_step, profile.rounding_step, "floor"))


def score_qualitative(parsed: ParsedTarget, actual: object, weight: Decimal, profile: RuleProfile) -> RuleOutcome:
    """定性: three grades; the default score is the top of the grade's band."""
    grade_name = qualitative_grade(parsed.text, actual)
    if grade_name is None:
        return RuleOutcome(Rule.UNPARSED, None, f"无法评分：定性指标的实际完成值「{shown(actual)}」无法判断达成程度，请人工评分")
    score = round_score(_band_top(grade_name, weight, profile), profile, weight)
    return RuleOutcome(Rule.QUALITATIVE, score, f"{Rule.QUALITATIVE.label}：实际「{shown(actual)}」属于“{grade_name}”，得{score_text(score)}分")


def rule_outcome(indicator: Indicator, profile: RuleProfile = DEFAULT_PROFILE, year: int | None = None) -> RuleOutcome:
    """Apply the rule the target calls for; never raises on bad text or absurd numbers."""
    try:
        return _apply_rule(indicator, profile, year)
    except ValueError as error:  # an out-of-range number in the actual (udfs.numbers.D)
        return RuleOutcome(Rule.UNPARSED, None, f"无法评分：实际完成值{error}")


def _as_typed(text: str) -> str:
    """The user's text on one line: "100㎡" stays "100㎡" (normalising would print "100m2")."""
    return " ".join(text.split())


def _said(parsed: ParsedTarget, pair: Pair, actual: object) -> Said:
    """The user's own text for each side; a side that took the other's unit shows its reading."""
    target_text = _as_typed(parsed.text) or pair.target.text()
    if pair.adopted in ("target", "both"):
        target_text += f"（即{pair.target.text()}）"
    if isinstance(actual, (int, float, Decimal)):  # an Excel value: shown in the unit the target gives it
        return Said(target_text, pair.actual.text())
    actual_text = _as_typed(shown(actual)) or pair.actual.text()
    if pair.adopted in ("actual", "both") and actual_text != pair.actual.text():
        actual_text += f"（即{pair.actual.text()}）"
    return Said(target_text, actual_text)


def _apply_rule(indicator: Indicator, profile: RuleProfile, year: int | None) -> RuleOutcome:
    weight = indicator.weight
    if weight is None:
        typed = indicator.weight_text or "（空）"
        return RuleOutcome(Rule.UNPARSED, None, f"无法评分：分值「{typed}」不是数字")
    if weight < ZERO:
        return RuleOutcome(Rule.UNPARSED, None, f"无法评分：分值不能为负数：{score_text(weight)}")
    parsed = parse_target(indicator.target, indicator.level2, indicator.level3, profile)
    if parsed.kind is TargetKind.UNPARSED:
        return RuleOutcome(Rule.UNPARSED, None, f"无法评分：{parsed.problem}")
    if parsed.kind is TargetKind.DEADLINE:
        return score_deadline(parsed, indicator.actual, weight, profile, year)
    if parsed.kind is TargetKind.QUALITATIVE:
        return score_qualitative(parsed, indicator.actual, weight, profile)
    assert parsed.quantity is not None
    try:
        pair = read_pair(parsed.quantity, indicator.actual, parsed.zero_bound)
    except ActualError as error:
        return RuleOutcome(Rule.UNPARSED, None, f"无法评分：{error}")
    said = _said(parsed, pair, indicator.actual)
    target, actual = pair.target, pair.actual
    if parsed.kind is TargetKind.REVERSE:
        outcome = score_reverse(target, actual, weight, profile, said)
    elif parsed.kind is TargetKind.EQUAL:
        outcome = score_equal(target, actual, weight, profile, said)
    else:
        outcome = score_positive(target, actual, weight, parsed.comparator is Comparator.GT, profile, said=said)
    flags = (Flag.UNIT_MISMATCH,) if pair.unit_mismatch else ()
    outcome = RuleOutcome(outcome.rule, outcome.score, outcome.sentence, outcome.completion, outcome.flags + flags)
    return _noted(outcome, *pair.assumptions)


def _override_problem(indicator: Indicator, outcome: RuleOutcome, profile: RuleProfile) -> str:
    """Why a manual score cannot be used, or '' when it can (SCORING.md §3.7, §3.5)."""
    manual, weight = indicator.manual_score, indicator.weight
    if weight is None:
        return "分值不是数字"
    if not ZERO <= manual <= weight:
        return f"人工得分{score_text(manual)}超出[0, {score_text(weight)}]"
    if not indicator.deviation_reason.strip():
        return "人工得分必须填写偏差原因"
    if outcome.rule is Rule.QUALITATIVE:
        grade_name = qualitative_grade(normalize_text(indicator.target), indicator.actual)
        low, high = qualitative_band(grade_name, weight, profile)
        inside = low <= manual <= high if grade_name == QUALITATIVE_ACHIEVED else low <= manual < high
        if not inside:
            return f"人工得分{score_text(manual)}不在“{grade_name}”档[{score_text(low)}, {score_text(high)})内"
    return ""


def over_deducted(outcome: RuleOutcome, profile: RuleProfile) -> RuleOutcome:
    """The profile's 超额完成扣分 (一体化平台: a 完成值 30% or more above the target loses 2
    points); the national default has none, so the outcome is returned unchanged."""
    rule = profile.over_deduction
    if (rule is None or outcome.score is None or outcome.completion is None
            or outcome.rule not in (Rule.POSITIVE, Rule.EQUAL) or outcome.completion < rule.threshold):
        return outcome
    score = max(ZERO, outcome.score - rule.points)
    sentence = (f"{outcome.sentence}；按评分规则“{profile.name}”，完成值达到年度指标值的{percent_text(rule.threshold, 0)}"
                f"及以上扣{score_text(rule.points)}分，得{score_text(score)}分")
    return RuleOutcome(outcome.rule, score, sentence, outcome.completion, outcome.flags + (Flag.OVER_DEDUCTED,))


def score_indicator(indicator: Indicator, profile: RuleProfile = DEFAULT_PROFILE,
                    year: int | None = None) -> IndicatorResult:
    """Rule score, then the manual override (with its reason), then review flags. ``year`` is
    the 自评 year, for deadlines written without one on either side."""
    outcome = over_deducted(rule_outcome(indicator, profile, year), profile)
    flags = list(outcome.flags)
    sentence = outcome.sentence
    score = outcome.score
    if outcome.score is None:
        flags.append(Flag.CANNOT_SCORE)
    if indicator.manual_score is not None:
        problem = _override_problem(indicator, outcome, profile)
        if problem:
            flags.append(Flag.BAD_OVERRIDE)
            sentence += f"；{problem}，仍按规则得分"
        else:
            score = indicator.manual_score
            flags.append(Flag.OVERRIDDEN)
            rule_part = "无法按规则评分" if outcome.score is None else f"规则得分{score_text(outcome.score)}分"
            sentence = f"人工评分{score_text(score)}分（{rule_part}），原因：{indicator.deviation_reason.strip()}；{sentence}"
    lost_points = score is not None and score < indicator.points
    if (lost_points or Flag.OVER_ACHIEVED in flags) and not indicator.deviation_reason.strip():
        flags.append(Flag.NEEDS_REASON)
    return IndicatorResult(indicator, outcome.rule, outcome.score, score, tuple(flags), sentence + "。", outcome.completion)


def roll_up(results: tuple[IndicatorResult, ...]) -> tuple[tuple[GroupScore, ...], tuple[GroupScore, ...]]:
    """二级 = sum of its 三级 rows; 一级 = sum of its 二级; order of first appearance."""
    def group(key_of) -> tuple[GroupScore, ...]:
        nodes: dict[tuple[str, str], list[Decimal | int]] = {}
        for result in results:
            node = nodes.setdefault(key_of(result.indicator), [ZERO, ZERO, 0])
            node[0] += result.indicator.points
            node[1] += result.score or ZERO
            node[2] += result.score is None
        return tuple(GroupScore(l1, l2, w, s, n) for (l1, l2), (w, s, n) in nodes.items())

    level2 = group(lambda ind: (ind.level1, ind.level2))
    level1 = group(lambda ind: (ind.level1, ""))
    return level2, level1


def score_project(project: Project, profile: RuleProfile = DEFAULT_PROFILE, year: int | None = None) -> ProjectResult:
    funds = score_execution(project.funds, profile)
    results = tuple(score_indicator(ind, profile, year) for ind in project.indicators)
    level2, level1 = roll_up(results)
    total = (funds.score or ZERO) + sum((node.score for node in level1), ZERO)
    total, notes = capped_total(total, funds.rate, profile)
    return ProjectResult(project, funds, results, level2, level1, total, grade(total, profile), notes)


def capped_total(total: Decimal, rate: Decimal | None, profile: RuleProfile) -> tuple[Decimal, tuple[str, ...]]:
    """The 总分 under the profile's 按执行率限定总分, and the sentence saying so when it bites."""
    cap = total_cap(profile.total_caps, rate)
    if cap is None or total <= cap.cap:
        return total, ()
    note = (f"执行率{percent_text(rate)}，低于{percent_text(cap.below, 0)}，按评分规则“{profile.name}”总分不超过"
            f"{score_text(cap.cap)}分（各项合计{score_text(total)}分）")
    return cap.cap, (note,)


__all__ = [
    "RuleOutcome", "D", "execution_rate", "grade", "relative_difference", "round_score", "roll_up",
    "rule_outcome", "score_execution", "score_indicator", "score_project", "qualitative_band",
]
