"""The 基础数据 and 部门整体 input sheets: the seed department fills them, the reader gets them back.

The seed's text gives 编制 23 + 39 + 9 + 113 = 184 and 147 在职, 年初预算支出 2081.28, 决算总收入
2007.45, 基本支出 1771.68 + 项目支出 231.13 = 2002.81 spent; the sheets compute 控制率 and 执行率
with native formulas whose cached values must be those hand calculations.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from addin import layout as L
from addin.demo import load_demo
from addin.reading.workbook import read_workbook
from addin.template import build_template
from udfs.model import CostLine


@pytest.fixture(scope="module")
def demo_bytes() -> bytes:
    return build_template(load_demo())


@pytest.fixture(scope="module")
def demo_read(tmp_path_factory, demo_bytes):
    path = tmp_path_factory.mktemp("dept") / "衡山县.xlsm"
    path.write_bytes(demo_bytes)
    return read_workbook(path)


def cached(data: bytes, sheet: L.SheetLayout, block: str, key: str) -> object:
    return openpyxl.load_workbook(io.BytesIO(data), data_only=True)[sheet.name][sheet.field_cell(block, key)].value


@pytest.mark.parametrize("sheet, block, key, expected", [
    (L.BASE_DATA, "staffing", "control_rate", Decimal(147) / Decimal(184)),  # 79.89%
    (L.WHOLE, "whole", "rate", Decimal("2002.81") / Decimal("2007.45")),  # 99.77%
    (L.WHOLE, "whole", "expenditure_total", Decimal("2002.81")),  # 1771.68 + 231.13
    (L.WHOLE, "whole", "revenue_total", Decimal(0)),  # the seed does not split its funds by source
])
def test_the_sheets_compute_the_seed_figures(demo_bytes, sheet, block, key, expected):
    assert cached(demo_bytes, sheet, block, key) == pytest.approx(float(expected), abs=1e-9)


def test_staffing_and_the_department_table_read_back(demo_read):
    department, problems = demo_read
    assert problems == []
    staffing = department.base_data.staffing
    assert (staffing.authorized, staffing.in_post) == (184, 147)
    funds = department.whole.funds
    assert (funds.total.initial, funds.total.budget, funds.total.executed, funds.weight) == (
        Decimal("2081.28"), Decimal("2007.45"), Decimal("2002.81"), 10)
    assert [(s.label, s.amount) for s in funds.by_expenditure] == [
        ("基本支出", Decimal("1771.68")), ("项目支出", Decimal("231.13"))]
    assert [s.label for s in funds.by_revenue] == ["一般公共预算", "政府性基金拨款", "纳入专户管理的非税收入拨款", "其他资金"]
    assert all(s.amount is None for s in funds.by_revenue)
    assert [i.level3 for i in department.whole.indicators][:2] == ["新增各类市场主体", "新增企业（含农专）"]
    assert sum(i.weight for i in department.whole.indicators) + funds.weight == 100
    assert department.whole.indicators[0].origin == f"{L.WHOLE.name}!C{L.WHOLE.place('whole_indicators').first_data_row}"


def test_cost_rows_keep_the_published_order_and_only_filled_rows_are_read(demo_bytes, demo_read):
    department, _ = demo_read
    assert department.base_data.costs == (
        CostLine("公车运行维护", "", None, None, Decimal("12.84"), origin=department.base_data.costs[0].origin),)
    ws = openpyxl.load_workbook(io.BytesIO(demo_bytes))[L.BASE_DATA.name]
    first = L.BASE_DATA.place("costs").first_data_row
    items = [ws.cell(first + i, 1).value for i in range(len(L.COST_CATEGORIES))]
    assert items == [item for item, _ in L.COST_CATEGORIES]


def test_a_workbook_built_before_the_department_sheets_still_reads(tmp_path, demo_bytes):
    book = openpyxl.load_workbook(io.BytesIO(demo_bytes))
    del book[L.BASE_DATA.name], book[L.WHOLE.name]
    path = tmp_path / "旧版.xlsx"
    book.save(path)
    department, problems = read_workbook(path)
    assert problems == []
    assert department.whole is None and department.base_data.costs == ()
    assert department.projects[0].name == "市场监督管理"


def test_bad_department_cells_are_named_in_chinese(tmp_path, demo_bytes):
    book = openpyxl.load_workbook(io.BytesIO(demo_bytes))
    base = book[L.BASE_DATA.name]
    base[L.BASE_DATA.field_cell("conduct", "rules_exist")] = "有"
    base[L.BASE_DATA.field_cell("staffing", "in_post")] = "一百四十七"
    first = L.BASE_DATA.place("costs").first_data_row
    base.cell(first + len(L.COST_CATEGORIES), 1, "差旅费")
    base.cell(first + len(L.COST_CATEGORIES), 4, 3)
    path = tmp_path / "填错.xlsx"
    book.save(path)
    department, problems = read_workbook(path)
    messages = {(p.sheet, p.cell): p.message for p in problems}
    assert messages[(L.BASE_DATA.name, L.BASE_DATA.field_cell("conduct", "rules_exist"))] == \
        "已制定预算资金管理、财务管理、会计核算等制度应填“是”或“否”，实际为「有」"
    assert messages[(L.BASE_DATA.name, L.BASE_DATA.field_cell("staffing", "in_post"))].startswith("实际在职人数")
    assert messages[(L.BASE_DATA.name, f"A{first + len(L.COST_CATEGORIES)}")] == "项目「差旅费」不是基础数据表的行，请从下拉列表选择"
    assert department.base_data.staffing.in_post is None
