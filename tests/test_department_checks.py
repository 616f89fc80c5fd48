"""Checks of the department-wide tables: the 贯塘乡 mismatch, sums, reasons, rubric gaps.

衡山县贯塘乡人民政府 printed, for 2023, 按支出性质分：1925.67 (基本支出 900.47 + 项目支出 1025.20)
against 全年执行数 2030.12 — 104.45万元 of spending missing from the split. The seed department
(衡山县市场监督管理局 2022) has consistent figures and gets no department-wide finding.
"""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal

import openpyxl
import pytest

from addin import layout as L
from addin.demo import load_demo
from addin.checks.department import check_department_wide, template_department_origins
from addin.importer.evaluate import evaluate_file
from addin.template import build_template
from tests import guantang_2023 as guantang
from udfs.model import Conduct, CostLine, Department
from udfs.profile import YUEYANG_PROFILE

ORIGINS = template_department_origins()
D = Decimal


def messages(department: Department) -> list[str]:
    return [check.message for check in check_department_wide(department, ORIGINS)]


def cell(key: str) -> tuple[str, str]:
    return ORIGINS.of(key)


def test_the_seed_department_is_consistent():
    assert check_department_wide(load_demo(), ORIGINS) == []


def test_guantang_2023_split_by_expenditure_does_not_add_up_to_what_was_spent():
    found = [c for c in check_department_wide(guantang.department(), ORIGINS) if "按支出性质分" in c.message]
    assert [(c.severity, c.sheet, c.cell, c.message) for c in found] == [(
        "error", *cell("whole.expenditure"),
        "年度预算申请按支出性质分：1925.67万元（基本支出900.47万元＋项目支出1025.2万元），"
        "与全年执行数2030.12万元不符，相差104.45万元")]
    assert not any("按收入性质分" in text for text in messages(guantang.department()))  # 2030.12 = 1325.68 + 118.82 + 585.62


def test_a_printed_total_that_its_parts_do_not_make():
    department = guantang.department()
    funds = replace(department.whole.funds, revenue_total=D("2030.00"))
    found = messages(replace(department, whole=replace(department.whole, funds=funds)))
    assert "年度预算申请按收入性质分：2030万元，其中各项（一般公共预算1325.68万元＋政府性基金拨款118.82万元＋其他资金585.62万元）" \
           "合计2030.12万元，二者不符" in found


def test_guantang_through_our_workbook_names_the_cell(tmp_path):
    """Typed into the template, the 部门整体 sheet sums the parts itself; the finding points at
    the 按支出性质合计 and the 贯塘乡 figures come back as typed."""
    department = replace(guantang.department(), whole=replace(guantang.whole(), indicators=()))
    department = replace(department, whole=replace(department.whole, funds=replace(
        department.whole.funds, revenue_total=None, expenditure_total=None)))
    path = tmp_path / "贯塘乡.xlsm"
    path.write_bytes(build_template(department))
    evaluation = evaluate_file(path)
    found = [c for c in evaluation.checks if "按支出性质分" in c.message]
    assert [(c.sheet, c.cell) for c in found] == [(L.WHOLE.name, L.WHOLE.field_cell("whole", "expenditure_total"))]
    assert "相差104.45万元" in found[0].message


def _with_costs(*lines: CostLine) -> Department:
    demo = load_demo()
    return replace(demo, base_data=replace(demo.base_data, costs=demo.base_data.costs + lines))


def test_three_public_parts_against_their_total_column_by_column():
    """A 公务接待 typed as 18.81 instead of 18.18: 12.84 + 0 + 18.81 = 31.65, not 31.02."""
    found = check_department_wide(_with_costs(CostLine("公务接待", "", None, None, D("18.81"))), ORIGINS)
    assert [(c.sheet, c.cell, c.message) for c in found] == [(
        *cell("cost.三公经费.final"),
        "基础数据表“三公经费”本年决算数31.02万元，其下各项（公务用车购置和维护经费12.84＋出国经费0＋公务接待18.81）"
        "合计31.65万元，二者不符")]


def test_vehicle_parts_and_project_rows():
    found = messages(_with_costs(CostLine("公车购置", "", None, None, D("2")),
                                 CostLine("业务工作经费", "", None, D(300), None),
                                 CostLine("专项资金", "食品抽检专项", None, D(20), None)))
    assert any(t.startswith("基础数据表“1、公务用车购置和维护经费”本年决算数12.84万元，其下各项（公车购置2＋公车运行维护12.84）")
               for t in found)
    assert any(t.startswith("基础数据表“项目支出”本年预算数329.34万元，其下各项（业务工作经费300＋食品抽检专项20）合计320万元")
               for t in found)


def test_a_current_figure_typed_twice_must_agree():
    found = check_department_wide(_with_costs(CostLine("三公经费", "", None, D(54), D(30))), ORIGINS)
    assert any(c.message == "基础数据表“三公经费”本年决算数30万元，与“三公经费”表的决算数合计31.02万元不一致"
                            "（留空即取“三公经费”表的数）" and (c.sheet, c.cell) == cell("cost.三公经费.final") for c in found)


def test_control_rates_over_100_percent_need_a_reason():
    department = guantang.department()
    found = [c for c in check_department_wide(department, ORIGINS) if "控制率" in c.message]
    assert [c.message for c in found] == [
        "财政供养人员控制率50÷46=108.70%，超过100%，请在“控制率超过100%的原因”中说明",
        "公用经费控制率193.42÷85.76=225.54%，超过100%，请在“控制率超过100%的原因”中说明"]
    assert {(c.sheet, c.cell) for c in found} == {cell("conduct.control_reason")}
    explained = replace(department, base_data=replace(department.base_data, conduct=Conduct(
        control_reason="年中新招录人员4名；乡镇公用经费按实际运行追加")))
    assert not any("控制率" in text for text in messages(explained))


@pytest.mark.parametrize("budget, flagged", [("2705.664", False), ("2705.6641", True)])
def test_an_adjustment_beyond_30_percent_needs_a_reason(budget, flagged):
    """30% of 2081.28 is exactly 624.384: 2705.664 is at the limit, a ten-thousandth more is over."""
    demo = load_demo()
    whole = replace(demo.whole, funds=replace(demo.whole.funds, total=replace(
        demo.whole.funds.total, budget=D(budget), executed=D(budget))))
    department = replace(demo, whole=replace(whole, funds=replace(whole.funds, by_expenditure=())))
    found = [t for t in messages(department) if t.startswith("预算调整率")]
    assert bool(found) == flagged
    if flagged:
        assert found == ["预算调整率（2705.66−2081.28）÷2081.28=30.00%，超过30%的上限，请在“预算调整率超过上限的原因”中说明"]


def test_department_indicators_get_the_checks_of_a_project_table():
    demo = load_demo()
    rows = list(demo.whole.indicators)
    rows[4] = replace(rows[4], deviation_reason="", origin=f"{L.WHOLE.name}!C23")
    found = check_department_wide(replace(demo, whole=replace(demo.whole, indicators=tuple(rows))), ORIGINS)
    reason = L.table_of(L.WHOLE.place("whole_indicators").block).letter("reason")
    assert [(c.severity, c.sheet, c.cell) for c in found] == [("error", L.WHOLE.name, f"{reason}23")]
    assert found[0].message.startswith("三级指标「综合执法制服配发及资金支付」：扣分（得分5.99，分值10）但未填写偏差原因")


def test_under_a_rubric_each_indicator_it_cannot_score_says_what_to_fill_in():
    found = check_department_wide(replace(load_demo(), profile=YUEYANG_PROFILE), ORIGINS)
    assert all(c.severity == "warning" for c in found) and len(found) == 6
    late = next(c for c in found if "支付进度" in c.message)
    assert (late.sheet, late.cell) == (L.BASE_DATA.name, L.BASE_DATA.field_cell("conduct", "late_special_funds"))
    assert late.message == "共性指标「支付进度」无法按评分规则“湖南·岳阳”评分：缺少未按进度下达的专项个数"


def test_the_example_workbook_gets_no_department_findings(tmp_path):
    path = tmp_path / "衡山县.xlsm"
    path.write_bytes(build_template(load_demo()))
    evaluation = evaluate_file(path)
    assert not any(c.sheet in (L.BASE_DATA.name, L.WHOLE.name) for c in evaluation.checks)
    book = openpyxl.load_workbook(io.BytesIO(build_template(load_demo())))
    book[L.WHOLE.name][L.WHOLE.field_cell("whole", "expenditure_basic")] = 1700
    changed = tmp_path / "改.xlsx"
    book.save(changed)
    found = [c for c in evaluate_file(changed).checks if "按支出性质分" in c.message]
    assert found and found[0].message.startswith("年度预算申请按支出性质分：1931.13万元（基本支出1700.00万元＋项目支出231.13万元）")
