"""共性指标 (财预〔2013〕53号 附件2) from the seed's text, hand-calculated, row by row.

衡山县市场监督管理局 2022 (shared/seeds/000_…): 编制 23+39+9+113 = 184, 在职 147;
“三公” 预算 54 决算 31.02; 年初预算支出 2081.28, 全年预算数 (决算总收入) 2007.45, 支出
1771.68 + 231.13 = 2002.81, 年末结转和结余 4.64; 在用资产 646.48 of 原值 1353.07. Figures the
seed does not give leave their indicator uncomputed, saying what is missing. Published Hunan
tables (贯塘乡 2023, a 2018 基础数据表) check the formulas against the ratios they print.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

import udfs.excel as excel
from addin.demo import load_demo
from tests import guantang_2023 as guantang
from udfs.common_indicators import (
    COMMON_INDICATORS, INFINITE, change, common_value, common_values, cost_line, cost_source, find_indicator, quotient,
)
from udfs.model import BaseData, Conduct, CostLine, Department, Staffing
from udfs.numbers import percent_text

SEED_ROWS = [
    # indicator, shown, working (as the 评分表 prints it), or what is missing
    ("财政供养人员控制率", "79.89%", "147÷184=79.89%"),  # 147 / 184 = 0.798913
    ("“三公经费”变动率", "—", "缺少上年“三公经费”决算数"),
    ("重点支出安排率", "—", "缺少重点项目支出"),
    ("预算完成率", "99.77%", "2002.81÷2007.45=99.77%"),  # 0.997689
    ("预算调整率", "-3.55%", "（2007.45−2081.28）÷2081.28=-3.55%"),  # −73.83 / 2081.28 = −0.035473
    ("支付进度", "—", "缺少未按进度下达的专项个数"),
    ("结转结余率", "0.23%", "4.64÷2007.45=0.23%"),  # 0.0023114
    ("资金结余", "—", "缺少上年结转结余"),
    ("公用经费控制率", "—", "缺少公用经费本年决算数、公用经费本年预算数"),
    ("“三公经费”控制率", "57.44%", "31.02÷54=57.44%"),  # 0.574444
    ("政府采购执行率", "—", "缺少政府采购金额本年预算数"),
    ("管理制度健全性", "—", "缺少管理制度健全性“已制定”“合法合规完整”“有效执行”项（是/否）"),
    ("资金使用合规性", "—", "缺少资金使用违规事项个数"),
    ("固定资产利用率", "47.78%", "646.48÷1353.07=47.78%"),  # 0.477788
]


@pytest.fixture(scope="module")
def seed_values():
    return {value.indicator.key: value for value in common_values(load_demo())}


def test_every_indicator_of_the_framework_is_computed_once_in_order(seed_values):
    assert [row[0] for row in SEED_ROWS] == [i.key for i in COMMON_INDICATORS] == list(seed_values)
    assert all(i.formula and i.source and i.level1 in ("投入", "过程") for i in COMMON_INDICATORS)


@pytest.mark.parametrize("key, shown, working", SEED_ROWS, ids=[row[0] for row in SEED_ROWS])
def test_the_seed_department_row_by_row(seed_values, key, shown, working):
    value = seed_values[key]
    assert value.shown == shown
    assert (value.working or value.missing) == working


@pytest.mark.parametrize("key, numerator, denominator", [
    ("财政供养人员控制率", "147", "184"),
    ("预算完成率", "2002.81", "2007.45"),
    ("“三公经费”控制率", "31.02", "54"),
    ("结转结余率", "4.64", "2007.45"),
    ("固定资产利用率", "646.48", "1353.07"),
])
def test_seed_rates_are_exact_quotients(seed_values, key, numerator, denominator):
    assert seed_values[key].value == Decimal(numerator) / Decimal(denominator)


def test_the_adjustment_rate_is_the_change_from_the_initial_budget(seed_values):
    assert seed_values["预算调整率"].value == (Decimal("2007.45") - Decimal("2081.28")) / Decimal("2081.28")


def test_the_department_table_is_the_source_of_the_funds_figures_else_the_budget_sheet():
    """Without a 部门整体 table, 预算完成率 is 决算支出 ÷ 调整后预算 of 预算执行 (SCORING.md §6)."""
    demo = load_demo()
    without = replace(demo, whole=None, budget=replace(demo.budget, adjusted_expenditure=Decimal("2100")))
    value = common_value(without, find_indicator("预算完成率"))
    assert value.working == "2007.45÷2100=95.59%"
    assert common_value(replace(demo, whole=None), find_indicator("预算完成率")).missing == "缺少全年预算数"


# --- published Hunan tables -------------------------------------------------------------

def test_guantang_2023_prints_the_staffing_rate_the_formula_gives():
    """附件一: 编制数46, 2023年实际在职人数50, 控制率108.70%."""
    value = common_value(guantang.department(), find_indicator("财政供养人员控制率"))
    assert value.shown == "108.70%" and value.working == "50÷46=108.70%"


@pytest.mark.parametrize("key, shown", [
    ("公用经费控制率", "225.54%"),  # 193.42 / 85.76
    ("预算调整率", "135.76%"),  # (2030.12 − 861.10) / 861.10
    ("预算完成率", "100.00%"),  # 2030.12 / 2030.12
    ("“三公经费”控制率", "0.00%"),  # 0 budgeted, 0 spent
    ("“三公经费”变动率", "0.00%"),  # 0 last year, 0 this year
])
def test_guantang_2023_common_indicators(key, shown):
    assert common_value(guantang.department(), find_indicator(key)).shown == shown


def test_a_hunan_2018_basic_data_table():
    """A published 2018 基础数据表 (编制数143, 实际在职136, 控制率95.10%; “三公经费” 2017年决算
    29.08, 2018年预算63.46, 2018年决算44.29): 变动率 of the 决算 columns is 52.30%; that county's
    own text used the two years' budgets, (63.46 − 32) ÷ 32 = 98.31%, which DEPT_RATIO gives too."""
    department = Department("某单位", 2018, base_data=BaseData(
        Staffing(Decimal(143), Decimal(136)), (CostLine("三公经费", "", Decimal("29.08"), Decimal("63.46"), Decimal("44.29")),)))
    assert common_value(department, find_indicator("财政供养人员控制率")).shown == "95.10%"
    assert common_value(department, find_indicator("“三公经费”变动率")).shown == "52.30%"
    assert percent_text(Decimal(str(excel.DEPT_RATIO("三公经费变动率", 63.46, 32.0)))) == "98.31%"


# --- figures typed once -------------------------------------------------------------------

def test_blank_current_year_costs_come_from_the_sheet_that_holds_them():
    demo = load_demo()
    three = cost_line(demo, "三公经费")
    assert (three.budget, three.final) == (Decimal(54), Decimal("31.02"))
    assert cost_source(demo, "三公经费", "final") == "三公经费"
    assert (cost_line(demo, "项目支出").budget, cost_source(demo, "项目支出", "budget")) == (Decimal("329.34"), "预算执行")
    assert cost_line(demo, "政府采购金额").final == Decimal(29)
    typed = replace(demo, base_data=replace(demo.base_data, costs=(CostLine("三公经费", "", None, Decimal(50), None),)))
    assert (cost_line(typed, "三公经费").budget, cost_source(typed, "三公经费", "budget")) == (Decimal(50), "")
    assert cost_line(demo, "公用经费") == CostLine("公用经费")


# --- counts, checklists, carry-over ---------------------------------------------------------

def _with_conduct(**values) -> Department:
    demo = load_demo()
    return replace(demo, base_data=replace(demo.base_data, conduct=Conduct(**values)))


def test_counts_and_the_checklist():
    department = _with_conduct(late_special_funds=Decimal(2), violations=Decimal(0), rules_exist=True,
                               rules_sound=True, rules_enforced=False)
    assert common_value(department, find_indicator("支付进度")).shown == "2个"
    assert common_value(department, find_indicator("资金使用合规性")).working == "资金使用违规事项0个"
    checklist = common_value(department, find_indicator("管理制度健全性"))
    assert (checklist.value, checklist.shown, checklist.working) == (2, "2项", "做到2项（已制定、合法合规完整）")


@pytest.mark.parametrize("current, last, value, working", [
    ("0", None, Decimal(0), "年末无结转结余"),
    ("4.64", "10", Decimal("0.464"), "年末结转结余4.64万元，上年结转结余10万元，为上年的46.40%"),
    ("4.64", "0", INFINITE, "年末结转结余4.64万元，上年结转结余0万元"),
])
def test_the_carry_over_against_last_years(current, last, value, working):
    department = _with_conduct(last_carryover=None if last is None else Decimal(last))
    department = replace(department, budget=replace(department.budget, carryover=Decimal(current)))
    found = common_value(department, find_indicator("资金结余"))
    assert (found.value, found.working) == (value, working)


def test_zero_bases():
    assert quotient(Decimal(0), Decimal(0)) == 0 and quotient(Decimal(1), Decimal(0)) == INFINITE
    assert change(Decimal(0), Decimal(0)) == 0 and change(Decimal(5), Decimal(0)) == INFINITE
    assert quotient(None, Decimal(1)) is None and change(Decimal(1), None) is None


# --- the cell function --------------------------------------------------------------------

@pytest.mark.parametrize("args, expected", [
    (("财政供养人员控制率", 147.0, 184.0), 147 / 184),
    (("在职人员控制率", 136.0, 143.0), 136 / 143),
    (("预算调整率", 2007.45, 2081.28), (2007.45 - 2081.28) / 2081.28),
    (("“三公经费”控制率", 31.02, 54.0), 31.02 / 54),
    (("资产使用率", 646.48, 1353.07), 646.48 / 1353.07),
    (("规模控制率", 1200.0, 1000.0), 1.2),
])
def test_dept_ratio(args, expected):
    assert excel.DEPT_RATIO(*args) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("args, message", [
    (("人员比例", 1.0, 2.0), "错误：没有名为「人员比例」的比率，可用：财政供养人员控制率、"),
    (("支付进度", 1.0, 2.0), "错误：「支付进度」按个数或项数评分，不是比率"),
    (("预算完成率", None, 2.0), "错误：数1或数2为空"),
    (("“三公经费”控制率", 5.0, 0.0), "错误：分母为0，无法计算"),
    (("固定资产利用率", "六百", 1.0), "错误：数1应为数字，实际为「六百」"),
])
def test_dept_ratio_errors_are_chinese_cell_values(args, message):
    assert excel.DEPT_RATIO(*args).startswith(message)
