"""Reading a workbook: the demo round-trips; every bad cell is named in Chinese; files stay untouched."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from decimal import Decimal

import openpyxl
import pytest

from addin import layout as L
from addin.demo import load_demo
from addin.errors import UserError
from addin.checks import ERROR
from addin.reading.workbook import parse_workbook, read_workbook, workbook_grids
from addin.vba.cfb import write_compound_file
from addin.template import build_template
from udfs.model import Entry
from udfs.scoring import score_project


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("book") / "衡山县.xlsm"
    path.write_bytes(build_template(load_demo()))
    return path


def _as_typed_in_toml(value):
    """A target/actual read from a cell compares with the demo data by what it shows."""
    if isinstance(value, Entry):
        return value.value if isinstance(value.value, str) else Decimal(value.text)
    return value


def _funds_without_origins(funds):
    return replace(funds, total=replace(funds.total, origin=""),
                   parts=tuple(replace(part, origin="") for part in funds.parts))


def _indicators_without_origins(indicators):
    return tuple(replace(i, origin="", target=_as_typed_in_toml(i.target), actual=_as_typed_in_toml(i.actual))
                 for i in indicators)


def _whole_without_origins(whole):
    if whole is None:
        return None
    funds = whole.funds
    funds = replace(funds, total=replace(funds.total, origin=""),
                    by_revenue=tuple(replace(s, origin="") for s in funds.by_revenue),
                    by_expenditure=tuple(replace(s, origin="") for s in funds.by_expenditure))
    return replace(whole, funds=funds, indicators=_indicators_without_origins(whole.indicators))


def _without_origins(department):
    base = department.base_data
    return replace(department, projects=tuple(
        replace(p, funds=_funds_without_origins(p.funds), indicators=_indicators_without_origins(p.indicators))
        for p in department.projects),
        base_data=replace(base, costs=tuple(replace(line, origin="") for line in base.costs)),
        whole=_whole_without_origins(department.whole))


def test_demo_workbook_reads_back_as_the_demo_and_scores_98(demo_file):
    department, problems = read_workbook(demo_file)
    assert problems == []
    assert _without_origins(department) == load_demo()
    assert score_project(department.projects[0]).total == 98
    assert department.projects[0].indicators[0].origin == "绩效指标!D2"
    assert department.projects[0].funds.total.origin == "项目资金!D2"


def test_reading_leaves_the_file_untouched(demo_file):
    before, stat = demo_file.read_bytes(), demo_file.stat()
    read_workbook(demo_file)
    assert demo_file.read_bytes() == before and demo_file.stat().st_mtime_ns == stat.st_mtime_ns


def test_values_then_parse_is_the_same_as_reading(demo_file):
    """The two steps a live-book adapter will reuse: plain 2-D values, then the parser."""
    values = workbook_grids(demo_file)
    assert parse_workbook(values) == read_workbook(demo_file)


def _edited(demo_file: Path, tmp_path: Path, edit) -> Path:
    book = openpyxl.load_workbook(demo_file)
    edit(book)
    path = tmp_path / "edited.xlsx"
    book.save(path)
    return path


def _cell(sheet: L.SheetLayout, key: str, index: int = 0) -> str:
    placed = sheet.placed()[-1]
    return f"{L.table_of(placed.block).letter(key)}{placed.first_data_row + index}"


def test_text_in_a_number_cell_names_sheet_and_cell(demo_file, tmp_path):
    address = _cell(L.INDICATORS, "weight", 1)
    path = _edited(demo_file, tmp_path, lambda b: b[L.INDICATORS.name].__setitem__(address, "五"))
    department, problems = read_workbook(path)
    assert [(p.severity, p.sheet, p.cell, p.message) for p in problems] == \
        [(ERROR, "绩效指标", address, "分值「五」不是数字")]
    assert str(problems[0]) == f"[错误] 工作表「绩效指标」单元格{address}：分值「五」不是数字"
    kept = department.projects[0].indicators
    assert len(kept) == 18, "a row with a bad value is kept (printed as typed and flagged), never dropped"
    assert (kept[1].weight, kept[1].weight_text) == (None, "五")


def test_text_in_an_amount_field(demo_file, tmp_path):
    address = L.BUDGET.field_cell("budget", "final_basic")
    path = _edited(demo_file, tmp_path, lambda b: b[L.BUDGET.name].__setitem__(address, "一千七百"))
    department, problems = read_workbook(path)
    assert [(p.sheet, p.cell, p.message) for p in problems] == [("预算执行", address, "其中：基本支出（决算）「一千七百」不是数字")]
    assert department.budget.final_basic is None


def test_blank_required_cells_and_unknown_projects(demo_file, tmp_path):
    name_cell = L.INFO.field_cell("info", "name")
    project_cell = _cell(L.INDICATORS, "project", 3)

    def edit(book):
        book[L.INFO.name][name_cell] = None
        book[L.INDICATORS.name][project_cell] = "不存在的项目"
    _, problems = read_workbook(_edited(demo_file, tmp_path, edit))
    assert [(p.sheet, p.cell) for p in problems] == [("部门信息", name_cell), ("绩效指标", project_cell)]
    assert "部门名称不能为空" in problems[0].message and "不在“项目”表中" in problems[1].message


def test_missing_sheet_is_a_user_error_naming_it(demo_file, tmp_path):
    path = _edited(demo_file, tmp_path, lambda b: b.remove(b[L.FUNDS.name]))
    with pytest.raises(UserError, match="缺少工作表「项目资金」"):
        read_workbook(path)


def test_empty_template_reads_with_only_blank_required_problems(tmp_path):
    path = tmp_path / "template.xlsm"
    path.write_bytes(build_template(None))
    department, problems = read_workbook(path)
    assert department.projects == () and department.duties == ()
    assert all(any(words in p.message for words in ("不能为空", "未填写，自评报告将省略", "尚未填写任何项目"))
               for p in problems)
    assert {p.sheet for p in problems if not p.is_error} >= {"预算执行", "三公经费", "政府采购", "资产"}


def legacy_xls() -> bytes:
    from tests.official_tables import xls_bytes

    return xls_bytes({"自评表": {(0, 0): "2022年度预算支出绩效自评表"}})


@pytest.mark.parametrize("content, message", [
    (lambda: b"this is not a workbook", "文件已损坏，不是有效的 Excel 文件"),
    (lambda: write_compound_file({"EncryptionInfo": b"\x04\x00\x04\x00" + b"\0" * 60,
                                  "EncryptedPackage": b"\0" * 1008}), "文件已加密"),
    (legacy_xls, "旧版 .xls 格式.*ziping import"),
    (lambda: b"PK\x05\x06" + b"\0" * 18, "已损坏"),
], ids=["junk", "encrypted", "xls", "empty-zip"])
def test_unreadable_files_are_user_errors_and_stay_unchanged(tmp_path, content, message):
    path = tmp_path / "bad.xlsm"
    data = content()
    path.write_bytes(data)
    with pytest.raises(UserError, match=message):
        read_workbook(path)
    assert path.read_bytes() == data


def test_missing_file(tmp_path):
    with pytest.raises(UserError, match="找不到文件"):
        read_workbook(tmp_path / "none.xlsm")


def test_the_workbook_profile_reaches_the_model_and_bad_values_name_their_cell(tmp_path):
    import openpyxl
    from addin import layout as L
    from addin.reading.workbook import read_workbook
    from addin.template import build_template
    from addin.demo import load_demo

    path = tmp_path / "book.xlsm"
    path.write_bytes(build_template(load_demo()))
    wb = openpyxl.load_workbook(path, keep_vba=True)
    ws = wb[L.PROFILE.name]
    rows = {ws.cell(row, 1).value: row for row in range(1, ws.max_row + 1)}
    ws.cell(rows["反向指标算法"], 2).value = "比值"
    ws.cell(rows["超额完成阈值"], 2).value = "很高"
    wb.save(path)
    department, problems = read_workbook(path)
    assert department.profile.reverse_variant == "ratio"
    assert department.profile.over_achievement_threshold == Decimal("1.2")
    assert any(p.sheet == "评分规则" and p.cell == f"B{rows['超额完成阈值']}" and "应为数字" in p.message for p in problems)


@pytest.mark.parametrize("key, attr", [("actual", "actual"), ("target", "target")])
def test_a_date_in_a_target_or_actual_cell_reaches_the_model_unchanged(demo_file, tmp_path, key, attr):
    """A date typed as 实际完成值 (a deadline met) is handed to the rules, not read as blank."""
    from datetime import datetime

    address = _cell(L.INDICATORS, key, 8)
    typed = datetime(2022, 12, 20)
    path = _edited(demo_file, tmp_path, lambda b: b[L.INDICATORS.name].__setitem__(address, typed))
    department, problems = read_workbook(path)
    assert problems == []
    read = getattr(department.projects[0].indicators[8], attr)
    assert isinstance(read, Entry)
    assert read.value in (typed, typed.date())  # calamine hands a midnight date cell over as a date
    assert read.text == "2022-12-20 0:00:00"  # openpyxl's default date format, as a spreadsheet shows it


@pytest.mark.parametrize("key, value", [("actual", 1e16), ("target", -1e15), ("weight", 1e15),
                                                ("weight", "2e15"), ("weight", "1e1000000")])
def test_a_number_beyond_10_to_the_15_is_a_cell_error_not_a_crash(demo_file, tmp_path, key, value):
    address = _cell(L.INDICATORS, key, 1)
    path = _edited(demo_file, tmp_path, lambda b: b[L.INDICATORS.name].__setitem__(address, value))
    _, problems = read_workbook(path)
    assert [(p.severity, p.sheet, p.cell) for p in problems] == [(ERROR, "绩效指标", address)]
    assert "数值超出范围" in problems[0].message
