"""Each scoring rule of SCORING.md §2–§4 with its edge cases."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from udfs.model import Flag, Funds, FundsLine, Indicator, Rule
from udfs.profile import DEFAULT_PROFILE, RuleProfile, profile_from_rows
from udfs.scoring import grade, score_execution, score_indicator
from udfs.targets import parse_target


def score(target, actual, weight=10, level2="数量指标", level3="", manual=None, reason="", profile=DEFAULT_PROFILE):
    indicator = Indicator("产出指标", level2, level3, target, actual, Decimal(weight),
                          None if manual is None else Decimal(manual), reason)
    return score_indicator(indicator, profile)


@pytest.mark.parametrize("target, actual, expected", [
    ("≥95%", "97%", 10), ("≥95%", "95%", 10), ("≥95%", "90%", Decimal("9.47")),
    ("≥95%", 0.9, Decimal("9.47")), ("≥95%", "90", Decimal("9.47")), ("100批次", "50批次", 5),
    ("≥50个", "-3个", 0), ("＞0", "0", 0), ("＞0", "1", 10), (">=100", "0", 0),
    ("≥303.9万", "399.32万", 10), ("≥ 95 %", "95 %", 10), ("98%以上", "0.97", Decimal("9.90")),
    ("≧735人次", "735", 10), ("不少于20次", "10次", 5),
])
def test_positive(target, actual, expected):
    result = score(target, actual)
    assert result.rule is Rule.POSITIVE
    assert result.score == expected


@pytest.mark.parametrize("target, actual, expected", [
    ("≤90万元", "80万元", 10), ("≤90万元", "90", 10), ("≤10", "15", 5), ("≤10", "20", 0), ("≤10", "30", 0),
    ("≤202.6万元", "132.9", 10), ("‹=5", "6", 8), ("≤0", "0", 10), ("≤0", "1", 0),
    ("不超过100元", "-5元", 10),
])
def test_reverse(target, actual, expected):
    result = score(target, actual)
    assert result.rule is Rule.REVERSE
    assert result.score == expected


@pytest.mark.parametrize("target, actual, expected", [
    ("3天", "2天", 10), ("3天", "3天", 10), ("3天", "4天", Decimal("6.67")), ("3天", "6天", 0),
    ("5个工作日", "7个工作日", 6), ("2小时", "1小时", 10), ("30分钟", "45分钟", 5), ("10日", "5日", 10),
])
def test_a_duration_in_a_timeliness_row_is_a_time_limit(target, actual, expected):
    result = score(target, actual, level2="时效指标")
    assert result.rule is Rule.REVERSE
    assert result.score == expected


def test_a_duration_outside_timeliness_rows_stays_positive():
    assert score("3天", "2天", level2="数量指标").rule is Rule.POSITIVE


def test_cost_row_without_comparator_is_reverse():
    assert score("8", "12", 2, level2="成本指标").rule is Rule.REVERSE
    assert score("8", "12", 2, level2="成本指标").score == 1


@pytest.mark.parametrize("name", ["投诉率", "产品不合格率", "安全事故发生率", "预算调整率"])
def test_names_that_should_be_low_are_reverse(name):
    assert score("5%", "4%", level2="质量指标", level3=name).rule is Rule.REVERSE


def test_explicit_comparator_beats_the_name_list():
    assert score("≥95%", "97%", level3="投诉处理率控制率").rule is Rule.POSITIVE


def test_reverse_ratio_variant_from_profile():
    profile = profile_from_rows([("反向指标算法", "比值")])
    assert score("≤10", "20", profile=profile).score == 5


@pytest.mark.parametrize("target, actual, expected, flagged", [
    ("=100%", "100%", 10, False), ("=100%", "90%", 9, True), ("=0", "0", 10, False),
    ("=0", "-1", 10, True), ("=0", "2", 0, True), ("﹦50", "60", 10, True),
])
def test_equal(target, actual, expected, flagged):
    result = score(target, actual)
    assert result.rule is Rule.EQUAL
    assert result.score == expected
    assert (Flag.NOT_EQUAL in result.flags) is flagged


@pytest.mark.parametrize("target, actual, expected", [
    ("2022年底", "100%", 10), ("2022年底", "80%", 8), ("2022年底", 0.8, 8), ("2022年底", "按时完成", 10),
    ("2022年底", "未完成", 0), ("2023年12月", "2023年10月", 10), ("2023年12月", "2024年1月", 0),
    ("12月底之前完成", "12月", 10), ("在项目计划完成时间内完成", "已完成", 10), ("2022年底", "2022年12月", 10),
    # a year on one side only: the other side is read in the same year
    ("12月底之前完成", "2022年11月", 10), ("12月底之前完成", "2022年12月", 10), ("10月底前", "2022年11月", 0),
    ("2022年12月", "11月", 10), ("2022年10月", "11月", 0),
    # years on both sides
    ("2022年12月", "2022年11月", 10), ("2022年12月", "2023年11月", 0), ("2023年6月", "2022年12月", 10),
    # Excel date cells, as actual or as target
    ("2022年底", datetime(2022, 11, 30), 10), ("2022年底", date(2023, 1, 2), 0), ("12月底之前完成", datetime(2022, 12, 31), 10),
    (datetime(2022, 12, 31), "2022年11月", 10), (date(2022, 6, 30), "2022年7月", 0), (date(2022, 6, 30), date(2022, 6, 30), 10),
])
def test_deadline(target, actual, expected):
    result = score(target, actual, level2="时效指标")
    assert result.rule is Rule.DEADLINE
    assert result.score == expected


@pytest.mark.parametrize("actual, expected", [
    ("效果明显", 10), ("达成预期", 10), ("基本达成", Decimal("7.99")), ("未达成", Decimal("5.99")),
])
def test_qualitative_bands(actual, expected):
    result = score("效果明显", actual, level2="社会效益指标")
    assert result.rule is Rule.QUALITATIVE
    assert result.score == expected


@pytest.mark.parametrize("target, actual", [
    ("效果明显", "效果不明显"), ("群众满意", "不满意"), ("服务质量提升", "未提升"), ("落实到位", "不到位"),
    ("环境改善", "未改善"), ("效果明显", "没有明显效果"), ("群众满意", "不太满意"), ("落实到位", "落实不够到位"),
    ("效果明显", "无明显改善"), ("控制在预算范围内", "未控制在预算范围内"),
])
def test_negated_achievement_is_not_achieved(target, actual):
    result = score(target, actual, level2="社会效益指标")
    assert result.rule is Rule.QUALITATIVE
    assert result.score == Decimal("5.99")


@pytest.mark.parametrize("target, actual, expected", [
    # a "无…" target: saying it did not happen achieves it ...
    ("无安全事故", "无安全事故", 10), ("无安全事故", "未发生安全事故", 10), ("无安全事故", "无", 10),
    ("无安全事故", "0起", 10), ("全年未发生重大投诉", "未发生", 10), ("全年无重大安全事故", "安全生产无事故", 10),
    # ... and saying it happened does not
    ("无安全事故", "发生1起安全事故", Decimal("5.99")), ("无安全事故", "2起", Decimal("5.99")),
    ("全年未发生重大投诉", "发生2起投诉", Decimal("5.99")),
    # against any other target, "无…" alone says nothing and goes to a person
    ("效果明显", "无", None), ("效果明显", "无安全事故", None), ("群众满意", "未发生投诉", None),
    ("无安全事故", datetime(2022, 12, 31), None),
])
def test_absence_targets_and_absence_actuals(target, actual, expected):
    assert score(target, actual, level2="社会效益指标").score == expected


@pytest.mark.parametrize("target, actual", [
    ("控制在预算范围内", "未超预算"), ("控制在预算范围内", "预算范围内"), ("不超过预算", "控制在预算以内"),
    ("不超过预算", "未超出预算"), ("成本控制合理", "在预算之内"),
])
def test_staying_within_a_limit_is_achieved(target, actual):
    result = score(target, actual, level2="成本指标")
    assert result.rule is Rule.QUALITATIVE
    assert result.score == 10


@pytest.mark.parametrize("target", ["控制在预算范围内", "不超过预算", "不低于上年水平", "达到良好以上"])
def test_comparator_words_without_a_number_are_qualitative(target):
    assert score(target, target, level2="成本指标").rule is Rule.QUALITATIVE
    assert score(target, target, level2="成本指标").score == 10


@pytest.mark.parametrize("target, actual, problem", [
    ("≥1e20", "5", "年度指标值数值超出范围：「1e20」"), ("≥95%", "1e20", "实际完成值数值超出范围：「1e20」"),
    ("≤3E18元", "5元", "数值超出范围"), ("效果明显", "1e99%", "数值超出范围"),
    ("≥1e1000000", "5", "年度指标值数值超出范围：「1e1000000」"), ("≥95%", "1e1000000%", "实际完成值数值超出范围"),
    ("≥95%", "-1e999999999", "数值超出范围"),
])
def test_exponents_out_of_range_cannot_be_scored(target, actual, problem):
    result = score(target, actual)
    assert result.score is None and Flag.CANNOT_SCORE in result.flags
    assert problem in result.explanation


@pytest.mark.parametrize("target, actual, expected", [
    ("≥1e3", "500", 5), ("≥1.5E3批次", "1500批次", 10), ("100个", "5e1个", 5),
])
def test_exponents_are_numbers_not_units(target, actual, expected):
    result = score(target, actual)
    assert result.rule is Rule.POSITIVE and result.score == expected
    assert "e" not in parse_target(target).quantity.unit.lower()


def test_qualitative_override_must_stay_in_its_band():
    inside = score("效果明显", "基本达成", level2="社会效益指标", manual=7, reason="部分乡镇未覆盖")
    outside = score("效果明显", "基本达成", level2="社会效益指标", manual=9, reason="部分乡镇未覆盖")
    assert inside.score == 7 and Flag.OVERRIDDEN in inside.flags
    assert outside.score == Decimal("7.99") and Flag.BAD_OVERRIDE in outside.flags


@pytest.mark.parametrize("target, actual, problem", [
    ("", "97%", "年度指标值为空"), ("≥", "97%", "没有数值"), ("≥95%", "", "实际完成值为空"),
    ("≥95%", "良好", "没有数值"), ("≥95%", "28.8万元", "单位"),
    ("效果明显", "见附件", "无法判断"), ("2022年底", "正在推进", "无法判断"),
])
def test_unscorable_rows_say_why_and_never_score_zero(target, actual, problem):
    result = score(target, actual, level2="时效指标" if "年底" in target else "质量指标")
    assert result.score is None and result.rule_score is None
    assert Flag.CANNOT_SCORE in result.flags
    assert problem in result.explanation


def test_override_needs_a_reason_and_a_valid_range():
    no_reason = score("≥95%", "97%", 5, manual=4)
    too_high = score("≥95%", "97%", 5, manual=6, reason="x")
    assert no_reason.score == 5 and Flag.BAD_OVERRIDE in no_reason.flags
    assert too_high.score == 5 and Flag.BAD_OVERRIDE in too_high.flags


def test_lost_points_need_a_reason():
    assert Flag.NEEDS_REASON in score("≥95%", "90%").flags
    assert Flag.NEEDS_REASON not in score("≥95%", "90%", reason="检测设备故障").flags


def test_over_achievement_threshold_comes_from_the_profile():
    assert Flag.OVER_ACHIEVED in score("100个", "125个").flags
    strict = profile_from_rows([("超额完成阈值", "1.3")])
    assert Flag.OVER_ACHIEVED not in score("100个", "125个", profile=strict).flags


@pytest.mark.parametrize("rounding, expected", [
    ("四舍五入到0.01", Decimal("9.47")), ("向下取整到0.1", Decimal("9.4")),
    ("向下取整到1", 9), ("四舍五入到1", 9),
])
def test_rounding_profiles(rounding, expected):
    assert score("≥95%", "90%", profile=profile_from_rows([("得分取整方式", rounding)])).score == expected


@pytest.mark.parametrize("executed, budget, score_expected, rate", [
    ("231.13", "231.13", 10, 1), ("100", "200", 5, Decimal("0.5")), ("300", "200", 10, Decimal("1.5")),
])
def test_execution_score(executed, budget, score_expected, rate):
    result = score_execution(Funds(FundsLine("年度资金总额", None, Decimal(budget), Decimal(executed))))
    assert result.score == score_expected and result.rate == rate


def test_execution_cap_can_be_switched_off():
    """封顶 (default): min(执行率, 1) × 分值; 不封顶: 执行率 × 分值, above the weight."""
    uncapped = profile_from_rows([("执行率封顶", "否")])
    over = Funds(FundsLine("年度资金总额", None, Decimal(200), Decimal(300)))
    under = Funds(FundsLine("年度资金总额", None, Decimal(200), Decimal(150)))
    assert score_execution(over).score == 10
    assert score_execution(over, uncapped).score == 15
    assert score_execution(under, uncapped).score == score_execution(under).score == Decimal("7.5")


def test_execution_score_is_never_negative():
    uncapped = profile_from_rows([("执行率封顶", "否")])
    refund = Funds(FundsLine("年度资金总额", None, Decimal(200), Decimal(-30)))
    assert score_execution(refund).score == score_execution(refund, uncapped).score == 0


@pytest.mark.parametrize("budget, weight, message", [
    (Decimal(-200), None, "全年预算数不能为负数"), (Decimal(200), Decimal(-10), "分值不能为负数"),
])
def test_negative_budget_or_weight_is_a_message_not_a_zero(budget, weight, message):
    result = score_execution(Funds(FundsLine("年度资金总额", None, budget, Decimal(100)), weight=weight))
    assert result.score is None and message in result.message


@pytest.mark.parametrize("budget", [None, Decimal(0)])
def test_execution_without_budget_is_a_clear_message(budget):
    result = score_execution(Funds(FundsLine("年度资金总额", None, budget, Decimal(5))))
    assert result.score is None and "全年预算数为空或为0" in result.message


@pytest.mark.parametrize("total, expected", [
    (100, "优"), (90, "优"), (Decimal("89.99"), "良"), (Decimal("89.5"), "良"), (80, "良"),
    (Decimal("79.99"), "中"), (60, "中"), (Decimal("59.99"), "差"), (0, "差"),
])
def test_grade_intervals_are_half_open(total, expected):
    assert grade(Decimal(total)) == expected


def test_level1_weights_are_profile_data():
    regional = profile_from_rows([("产出指标分值", 40), ("满意度指标分值", 20)])
    assert regional.level1_weight("产出指标") == 40 and regional.total_weight == 100
    assert isinstance(regional, RuleProfile)


@pytest.mark.parametrize("actual", ["未能按期完成", "无法在年底前完成", "没能按计划完成"])
def test_being_unable_to_finish_is_not_finishing(actual):
    assert score("2022年底", actual, level2="时效指标").score == 0
    assert score("效果明显", actual, level2="社会效益指标").score == Decimal("5.99")


@pytest.mark.parametrize("target, actual, level2", [
    ("≥95%", "94.99%", "质量指标"), ("≥95%", "97%", "质量指标"), ("≤5", "5.001", "数量指标"),
    ("效果明显", "效果明显", "社会效益指标"), ("效果明显", "部分达成", "社会效益指标"), ("2022年底", "99.99%", "时效指标"),
])
@pytest.mark.parametrize("weight", ["10.088", "2.5", "0.333"])
def test_a_weight_with_more_digits_than_the_step_never_scores_above_it(target, actual, level2, weight):
    for rounding in ("四舍五入到0.01", "四舍五入到1", "向下取整到0.1"):
        profile = profile_from_rows([("得分取整方式", rounding)])
        result = score(target, actual, weight, level2, profile=profile)
        assert result.score is not None and Decimal(0) <= result.score <= Decimal(weight), (rounding, result)


def test_a_negative_weight_cannot_be_scored():
    result = score("≥95%", "97%", -5)
    assert result.score is None and Flag.CANNOT_SCORE in result.flags
    assert "分值不能为负数：-5" in result.explanation
