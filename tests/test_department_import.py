"""Importing the department-wide annexes in the Hunan layout: the published page and our own.

衡山县贯塘乡人民政府 2023 (tests/guantang_2023.py writes its two annexes as the county printed
them); the seed department's tables as ``ziping demo`` writes them, whose figures the importer
must recover.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from addin.cli import main
from addin.demo import load_demo
from addin.importer import department_of, import_table
from addin.importer.evaluate import evaluate_file
from addin.reading.workbook import read_workbook
from addin.report import department_path, render_outputs
from tests import guantang_2023 as guantang
from udfs.common_indicators import cost_lines
from udfs.model import Department
from addin.layout import COST_CATEGORIES

D = Decimal


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("gt") / "贯塘乡_2023_决算附件.xlsx"
    guantang.write_published(path)
    return path


@pytest.fixture(scope="module")
def imported(published):
    return import_table(published)


def figures(line) -> tuple:
    return tuple(None if v is None else D(v) for v in (line.last_final, line.budget, line.final))


def test_the_published_annexes_become_the_department(imported):
    department = department_of(imported)
    assert (department.name, department.year, department.projects) == ("衡山县贯塘乡人民政府", 2023, ())
    staffing = department.base_data.staffing
    assert (staffing.authorized, staffing.in_post) == (46, 50)
    costs = {line.item: figures(line) for line in department.base_data.costs}
    assert costs["项目支出"] == (D("874.20"), D("308.17"), D("1025.20"))
    assert costs["公用经费"] == (D("118.31"), D("85.76"), D("193.42"))
    assert costs["会议费、培训费"] == (D("4.92"), D("3.00"), D("5.42"))
    assert costs["三公经费"] == costs["公车运行维护"] == (0, 0, 0)
    assert "专项资金" not in costs  # the form's "3、省级专项资金（每个专项一行" row is empty


def test_the_department_table_with_its_splits(imported):
    whole = department_of(imported).whole
    funds = whole.funds
    assert (funds.total.initial, funds.total.budget, funds.total.executed, funds.weight) == (
        D("861.10"), D("2030.12"), D("2030.12"), 10)
    assert [(s.label, s.amount) for s in funds.by_revenue] == [
        ("一般公共预算", D("1325.68")), ("政府性基金拨款", D("118.82")), ("纳入专户管理的非税收入拨款", None),
        ("其他资金", D("585.62"))]
    assert [(s.label, s.amount) for s in funds.by_expenditure] == [("基本支出", D("900.47")), ("项目支出", D("1025.20"))]
    assert (funds.revenue_total, funds.expenditure_total) == (D("2030.12"), D("1925.67"))
    assert str(funds.by_expenditure[1].amount.text) == "1025.20"  # printed as the page prints it
    assert whole.goal_expected == guantang.GOAL
    assert [i.level3 for i in whole.indicators] == [i.level3 for i in guantang.ILLUSTRATIVE_INDICATORS]
    assert whole.published_total == 100
    assert "工作表「附件二」中的表为部门整体支出绩效自评表（预算部门：衡山县贯塘乡人民政府）" in imported.notes
    assert not any("项目名称" in p.message for p in imported.whole.table.problems)


def test_the_1925_67_against_2030_12_mismatch_is_found_at_its_cell(published):
    evaluation = evaluate_file(published)
    found = [c for c in evaluation.checks if "按支出性质分" in c.message]
    assert [(c.severity, c.sheet, c.cell, c.message) for c in found] == [(
        "error", "附件二", "F5",
        "年度预算申请按支出性质分：1925.67万元（基本支出900.47万元＋项目支出1025.20万元），与全年执行数2030.12万元不符，"
        "相差104.45万元")]
    staffing = next(c for c in evaluation.checks if c.message.startswith("财政供养人员控制率"))
    assert (staffing.sheet, staffing.cell) == ("附件一", "D3")  # the 实际在职人数 the reason is about
    assert evaluation.has_errors


def test_ziping_import_writes_a_workbook_that_reads_back_the_same(published, tmp_path, capsys):
    output = tmp_path / "贯塘乡.xlsm"
    assert main(["import", str(published), "-o", str(output)]) == 1  # errors: the split does not add up
    out = capsys.readouterr().out
    assert "已导入“附件二”：部门整体支出绩效自评表（衡山县贯塘乡人民政府），3个三级指标" in out
    assert "已导入“附件一”：部门整体支出绩效评价基础数据表" in out
    department, problems = read_workbook(output)
    assert not any(p.is_error for p in problems)  # only the blank 预算执行 etc. the import has no figures for
    imported = department_of(import_table(published))
    assert department.base_data.staffing == imported.base_data.staffing
    assert [figures(line) for line in department.base_data.costs] == [figures(line) for line in imported.base_data.costs]
    assert [(s.label, s.amount) for s in department.whole.funds.by_expenditure] == [
        (s.label, s.amount) for s in imported.whole.funds.by_expenditure]
    assert department.whole.funds.total.executed == D("2030.12")


# --- our own Hunan-layout tables --------------------------------------------------------

def test_the_tables_ziping_writes_are_read_back_figure_for_figure(tmp_path):
    seed = load_demo()
    render_outputs(seed, tmp_path, pdf=False)
    imported = import_table(department_path(seed, tmp_path))
    back: Department = department_of(imported)
    assert (back.name, back.year, back.projects) == (seed.name, seed.year, ())
    assert back.base_data.staffing == seed.base_data.staffing
    # the 基础数据表 prints each row completed from the other sheets; that is what comes back
    printed = {item: figures(cost_lines(seed, item)[0]) for item, _ in COST_CATEGORIES}
    for line in back.base_data.costs:
        assert figures(line) == printed[line.item], line.item
    assert {line.item for line in back.base_data.costs} == {item for item, f in printed.items() if f != (None,) * 3}
    assert back.base_data.frugality == seed.base_data.frugality
    funds, original = back.whole.funds, seed.whole.funds
    assert (funds.total.initial, funds.total.budget, funds.total.executed, funds.weight) == (
        original.total.initial, original.total.budget, original.total.executed, original.weight)
    assert [(s.label, s.amount) for s in funds.by_expenditure] == [(s.label, s.amount) for s in original.by_expenditure]
    assert [(s.label, s.amount) for s in funds.by_revenue] == [(s.label, None) for s in original.by_revenue]
    assert funds.expenditure_total == D("2002.81")
    rows = [(i.level3, str(i.target), str(i.actual), i.weight, i.deviation_reason) for i in back.whole.indicators]
    assert rows == [(i.level3, i.target, i.actual, i.weight, i.deviation_reason) for i in seed.whole.indicators]
    assert (back.whole.goal_expected, back.whole.goal_achieved) == (seed.whole.goal_expected, seed.whole.goal_achieved)
    assert back.whole.published_total == D("95.97")
    assert not any(check.is_error for check in evaluate_file(department_path(seed, tmp_path)).checks)
