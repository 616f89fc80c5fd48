"""Rubrics as data: each rule of the vocabulary at its boundaries, and the four shipped profiles.

The boundaries are the ones reviewers argue about: a 控制率 of exactly 100.00% keeps full
points, 100.01% does not, 110% has lost them all; a band "≥80%" holds at 80% exactly; a
完成值 at 130% of the target is "30% or more above"; 执行率 80% is not "below 80%".
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

import udfs.excel as excel
from addin.demo import load_demo
from tests import guantang_2023 as guantang
from tests.lo import requires_libreoffice, type_into_workbook
from udfs.department_scoring import score_common, score_whole
from udfs.model import Flag, Funds, FundsLine, Indicator, Project
from udfs.profile import (
    BANDS_80_50_PROFILE, DEFAULT_PROFILE, PLATFORM_PROFILE, SHIPPED_PROFILES, YUEYANG_PROFILE, ProfileError,
    profile_from_rows, profile_rows,
)
from udfs.rubric import (
    RubricError, RubricKind, TotalCap, apply_rule, format_caps, parse_caps, parse_over_deduction, parse_rule, total_cap,
)
from udfs.scoring import score_indicator, score_project

ROOT = Path(__file__).resolve().parents[1]
D = Decimal


def points(rule_text: str, figure: str) -> Decimal:
    return apply_rule(parse_rule(rule_text), D(figure), figure).points


# --- 线性扣分 ------------------------------------------------------------------------------

STAFFING = "5分；≤100%满分，每超1个百分点扣0.5分，扣完为止"  # 岳阳 财政供养人员控制率


@pytest.mark.parametrize("rate, expected", [
    ("0.7989", "5"),  # the seed: 147 / 184
    ("1", "5"),  # 100.00%: at the bar
    ("1.0001", "4.99"),  # 100.01%: 0.005 points pro rata, never less than 0.01 off
    ("1.0870", "0.65"),  # 贯塘乡 108.70%: 8.7 points over × 0.5 = 4.35
    ("1.1", "0"),  # 110%: 10 points over × 0.5 = 5, all lost
    ("1.5", "0"),  # 扣完为止: never negative
])
def test_linear_penalty_above_a_bar(rate, expected):
    assert points(STAFFING, rate) == D(expected)


def test_linear_sentences_say_how_far_and_what_it_cost():
    rule = parse_rule(STAFFING)
    assert apply_rule(rule, D("1.087"), "50÷46=108.70%").sentence == \
        "50÷46=108.70%，超出100%的标准8.7个百分点，每个百分点扣0.5分，扣4.35分，得0.65分"
    assert apply_rule(rule, D("1"), "100.00%").sentence == "100.00%，未超过100%，得满分5分"
    assert apply_rule(rule, D("1.2"), "120.00%").sentence.endswith("扣完为止，得0分")


def test_linear_penalty_below_a_bar_in_steps():
    rule = "10分；≥100%满分，每低5个百分点扣2分"  # a 预算完成率 rule of a 2018 Hunan 评分表
    # 99.27% is 0.73 points below: 0.73 ÷ 5 × 2 = 0.292, rounded up to 0.30 off
    assert points(rule, "1") == 10 and points(rule, "0.95") == 8 and points(rule, "0.9927") == D("9.70")
    assert parse_rule(rule).step == D("0.05")


def test_the_three_public_change_rate_is_full_at_no_increase():
    rule = "5分；≤0%满分，每超1个百分点扣0.5分，扣完为止"
    assert points(rule, "-0.2") == 5 and points(rule, "0") == 5 and points(rule, "0.04") == 3


# --- 分档 --------------------------------------------------------------------------------

KEY_SPENDING = "5分；≥90%得5分，≥80%得4分，≥70%得3分，≥60%得2分，其他得0分"
ADJUSTMENT = "3分；按绝对值：=0得3分，≤10%得2分，≤20%得1分，≤30%得0.5分，其他得0分"


@pytest.mark.parametrize("rate, expected", [
    ("0.95", "5"), ("0.9", "5"), ("0.8999", "4"), ("0.8", "4"), ("0.7999", "3"), ("0.6", "2"), ("0.5999", "0"),
])
def test_bands_take_the_first_that_holds_80_percent_exactly_is_4(rate, expected):
    assert points(KEY_SPENDING, rate) == D(expected)


@pytest.mark.parametrize("rate, expected", [
    ("0", "3"), ("-0.0355", "2"), ("0.1", "2"), ("0.1001", "1"), ("0.3", "0.5"), ("0.3001", "0"), ("1.3576", "0"),
])
def test_adjustment_bands_on_the_absolute_rate(rate, expected):
    """The seed's −3.55% is an adjustment of 3.55%; 贯塘乡's 135.76% is beyond every band."""
    assert points(ADJUSTMENT, rate) == D(expected)


def test_band_sentence_names_the_band():
    rule = parse_rule(ADJUSTMENT)
    assert apply_rule(rule, D("-0.0355"), "-3.55%").sentence == "-3.55%（按绝对值3.55%），属于“≤10%”档，得2分"
    assert apply_rule(parse_rule(KEY_SPENDING), D("0.5"), "50.00%").sentence == "50.00%，属于“其他”档，得0分"


# --- 按次扣分, 逐项计分 ---------------------------------------------------------------------

@pytest.mark.parametrize("late, expected", [("0", "3"), ("1", "2.5"), ("2", "2"), ("6", "0"), ("9", "0")])
def test_deduction_per_late_special_fund(late, expected):
    assert points("3分；每个扣0.5分，扣完为止", late) == D(expected)


@pytest.mark.parametrize("done, expected", [("0", "0"), ("2", "2"), ("3", "3")])
def test_checklist_one_point_per_item(done, expected):
    assert points("3分；每项1分", done) == D(expected)


# --- the text ----------------------------------------------------------------------------

def test_full_width_and_half_width_spellings_are_one_rule():
    a = parse_rule("5分；≤100%满分，每超1个百分点扣0.5分，扣完为止")
    b = parse_rule("5分; ≤100％满分, 每超过1个百分点扣0.5分")
    assert (a.kind, a.bar, a.step, a.deduct) == (b.kind, b.bar, b.step, b.deduct) == (
        RubricKind.LINEAR, a.bar, D("0.01"), D("0.5"))
    assert parse_rule("不计分") is None and parse_rule("") is None


@pytest.mark.parametrize("text, message", [
    ("≤100%满分", "评分标准应以分值开头"),
    ("5分；大约一百", "评分标准中「大约一百」不是可用的规则"),
    ("5分；≥90%得6分，其他得0分", "评分标准：分档得分超过分值5分"),
    ("5分；≤100%满分，每低1个百分点扣1分", "评分标准：“≤”满分应与“每超”对应"),
])
def test_bad_rule_text_is_a_chinese_error(text, message):
    with pytest.raises(RubricError, match=message):
        parse_rule(text)


def test_a_bad_rubric_in_the_sheet_names_its_key():
    with pytest.raises(ProfileError, match="评分规则「共性指标：支付进度」中「每超过一天扣分」不是可用的规则"):
        profile_from_rows([("共性指标：支付进度", "3分；每超过一天扣分")])


# --- rules on a whole 自评表 ----------------------------------------------------------------

def _positive(actual: str, weight: str = "5") -> Indicator:
    return Indicator("产出指标", "数量指标", "检查企业", "≥100户", actual, D(weight))


@pytest.mark.parametrize("actual, score", [("129户", "5"), ("130户", "3"), ("252户", "3")])
def test_over_achievement_deduction_at_30_percent_above(actual, score):
    result = score_indicator(_positive(actual, "5"), PLATFORM_PROFILE)
    assert result.score == D(score)
    assert (Flag.OVER_DEDUCTED in result.flags) == (score == "3")


def test_over_achievement_deduction_explains_itself_and_stops_at_zero():
    result = score_indicator(_positive("140户", "1"), PLATFORM_PROFILE)
    assert result.score == 0 and result.rule_score == 0
    assert "按评分规则“一体化平台”，完成值达到年度指标值的130%及以上扣2分，得0分" in result.explanation
    assert score_indicator(_positive("140户", "5"), DEFAULT_PROFILE).score == 5  # national: flag only


def test_parse_over_deduction():
    assert parse_over_deduction("≥130%扣2分", "x").threshold == D("1.3")
    assert parse_over_deduction("不扣分", "x") is None
    with pytest.raises(RubricError, match="应为“不扣分”或如“≥130%扣2分”"):
        parse_over_deduction("超了扣分", "x")


CAPS = parse_caps("执行率<80%最高89分；<70%最高79分；<60%最高69分；<50%最高59分", "x")


@pytest.mark.parametrize("rate, cap", [
    ("1", None), ("0.8", None), ("0.7999", "89"), ("0.7", "89"), ("0.6999", "79"), ("0.6", "79"),
    ("0.5999", "69"), ("0.5", "69"), ("0.4999", "59"),
])
def test_total_caps_by_execution_rate(rate, cap):
    found = total_cap(CAPS, D(rate))
    assert (found.cap if found else None) == (D(cap) if cap else None)


def test_a_cap_bites_only_above_it_and_says_so():
    def project(executed: str) -> Project:
        return Project("道路养护", "交通局", "交通局", Funds(FundsLine("年度资金总额", None, D(100), D(executed)), weight=D(10)),
                       indicators=(_positive("100户", "90"),))

    capped = score_project(project("65"), PLATFORM_PROFILE)
    assert (capped.total, capped.grade) == (79, "中")  # 6.5 + 90 = 96.5 capped at 79
    assert capped.notes == ("执行率65.00%，低于70%，按评分规则“一体化平台”总分不超过79分（各项合计96.5分）",)
    assert score_project(project("65"), DEFAULT_PROFILE).total == D("96.5")
    assert score_project(project("85"), PLATFORM_PROFILE).notes == ()
    assert format_caps(CAPS) == "执行率<80%最高89分；<70%最高79分；<60%最高69分；<50%最高59分"
    assert parse_caps("无", "x") == () and format_caps(()) == "无"
    assert CAPS[0] == TotalCap(D("0.8"), D(89))


# --- the four shipped profiles ------------------------------------------------------------

def test_each_profile_is_its_sheet_rows_and_cites_a_source():
    for name, profile in SHIPPED_PROFILES.items():
        assert profile.name == name and profile.source
        assert profile_from_rows([(key, value) for key, value, _ in profile_rows(profile)]) == profile
        hash(profile)  # PERF_TABLE memoises rows per profile


def test_a_profile_is_selected_by_name_and_rows_override_it():
    assert profile_from_rows([("规则名称", "一体化平台")]) == PLATFORM_PROFILE
    assert profile_from_rows([("规则名称", "湖南·岳阳"), ("共性指标：支付进度", "")]) == YUEYANG_PROFILE  # blank keeps it
    strict = profile_from_rows([("规则名称", "一体化平台"), ("超额完成扣分", "≥150%扣1分")])
    assert (strict.over_deduction.threshold, strict.over_deduction.points, strict.total_caps) == (
        D("1.5"), D(1), PLATFORM_PROFILE.total_caps)
    custom = profile_from_rows([("规则名称", "衡阳市"), ("产出指标分值", "40")])
    assert custom.name == "衡阳市" and custom.level1_weight("产出指标") == 40 and custom.over_deduction is None


def test_the_national_default_is_the_project_rules_unchanged():
    """The seed's 自评表 still totals 98; only the profiles that say so deduct or cap."""
    project = load_demo().projects[0]
    assert score_project(project, DEFAULT_PROFILE, 2022).total == 98
    assert score_project(project, YUEYANG_PROFILE, 2022).total == 98
    assert score_project(project, BANDS_80_50_PROFILE, 2022).total == 98  # no 定性 row
    # 药械化监管 360 of 200 (180%), 特种设备监管 252 of 110 (229%), 罚没收入 399.32 of 303.9 (131%)
    assert score_project(project, PLATFORM_PROFILE, 2022).total == 92


def test_the_four_profiles_score_the_seed_department_differently_each_difference_explained():
    demo = load_demo()
    totals = {name: score_whole(demo, profile).total for name, profile in SHIPPED_PROFILES.items()}
    # funds 2002.81/2007.45 → 9.98; 综合执法制服 未达成: 5.99 (80/60) or 4.99 (80/50); 罚没收入 131%: −2
    assert totals == {"全国默认": D("95.97"), "一体化平台": D("93.97"), "湖南·岳阳": D("95.97"),
                      "定性分档80/50": D("94.97")}
    row = next(r for r in score_whole(demo, PLATFORM_PROFILE).indicators if r.indicator.level3 == "执法办案罚没收入")
    assert row.score == 28 and "按评分规则“一体化平台”" in row.explanation
    partial = next(r for r in score_whole(demo, BANDS_80_50_PROFILE).indicators if r.indicator.level3.startswith("综合执法"))
    assert partial.score == D("4.99") and "未达成" in partial.explanation
    common = {name: score_common(demo, profile) for name, profile in SHIPPED_PROFILES.items()}
    assert {name: result.score for name, result in common.items()} == {
        "全国默认": 0, "一体化平台": 0, "湖南·岳阳": D(13), "定性分档80/50": 0}  # 5 控制率 + 2 调整率 + 6 三公控制率
    assert all(row.explanation.startswith("不计分；") for row in common["全国默认"].rows)
    yueyang = {row.value.indicator.key: row for row in common["湖南·岳阳"].rows}
    assert yueyang["财政供养人员控制率"].explanation == "147÷184=79.89%，未超过100%，得满分5分"
    assert yueyang["支付进度"].explanation == "无法评分：缺少未按进度下达的专项个数，未计分"
    assert common["湖南·岳阳"].weight == 36


def test_guantang_under_the_yueyang_rubric():
    """贯塘乡 2023: 控制率 108.70% → 0.65 of 5; 预算调整率 135.76% → 0 of 3; “三公” 0 → 0: full."""
    rows = {row.value.indicator.key: row for row in score_common(guantang.department(), YUEYANG_PROFILE).rows}
    assert rows["财政供养人员控制率"].points == D("0.65")
    assert rows["预算调整率"].points == 0
    assert rows["“三公经费”变动率"].points == 5 and rows["“三公经费”控制率"].points == 6


def test_a_profile_range_in_a_cell_function_selects_by_name():
    rows = [["规则名称", "一体化平台", ""]]
    assert excel.PERF_SCORE("≥100户", "140户", 5, "", "", None, "", rows) == 3.0
    assert excel.PERF_SCORE("≥100户", "140户", 5, "", "", None, "", None) == 5.0


@requires_libreoffice
def test_choosing_a_profile_in_libreoffice_changes_the_rows_the_reader_gets(tmp_path):
    """The 评分规则 values that differ between profiles are native formulas of 规则名称: a user
    picking 一体化平台 in Calc (no Python) saves that profile's rows."""
    from addin.reading.workbook import read_workbook

    typed = tmp_path / "一体化平台.xlsx"
    type_into_workbook(ROOT / "examples" / "衡山县市场监督管理局_2022.xlsm", typed, [("评分规则", "B2", "一体化平台")])
    department, problems = read_workbook(typed)
    assert problems == []
    assert department.profile == PLATFORM_PROFILE
    assert score_whole(department).total == D("93.97")


@pytest.mark.parametrize("name", list(SHIPPED_PROFILES))
def test_every_rubric_score_is_explained_by_its_own_sentence(name):
    """No number without its reason: a scored row names its points, the others say why not."""
    from udfs.numbers import score_text

    for department in (load_demo(), guantang.department()):
        for row in score_common(department, SHIPPED_PROFILES[name]).rows:
            if row.points is not None:
                assert f"得{score_text(row.points)}分" in row.explanation or "得满分" in row.explanation, row
            else:
                assert row.explanation.startswith(("不计分；", "无法评分：")), row
        for row in score_whole(department, SHIPPED_PROFILES[name]).indicators:
            assert row.explanation
