"""The input workbook guides and prints: help where the user types, a guide to writing
targets whose examples score as it says, nothing to overwrite, rows that can be inserted,
and print areas that cover what is filled (checked in LibreOffice's PDF too)."""

from __future__ import annotations

import io
import subprocess
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from addin import layout as L
from addin import ribbon_actions as ribbon
from addin.demo import load_demo
from addin.template import build_template
from addin.template.print_areas import fit_print_areas, fitted_sheets, print_area_ref
from tests.lo import requires_libreoffice, run_uno_probe
from udfs import cells

INPUT_TABLES = (L.PROJECTS, L.FUNDS, L.INDICATORS)


@pytest.fixture(scope="module")
def empty_book():
    return openpyxl.load_workbook(io.BytesIO(build_template(None)))


@pytest.fixture(scope="module")
def demo_book():
    return openpyxl.load_workbook(io.BytesIO(build_template(load_demo())))


def table_sheets():
    return [(sheet, L.table_of(sheet.placed()[-1].block), sheet.placed()[-1]) for sheet in fitted_sheets()]


def validations_at(ws, address: str) -> list:
    return [dv for dv in ws.data_validations.dataValidation if address in dv.sqref]


# --- help where the user types ---------------------------------------------------------

@pytest.mark.parametrize("book", ["empty_book", "demo_book"])
def test_every_input_column_with_help_shows_it_as_the_input_message(book, request):
    workbook = request.getfixturevalue(book)
    checked = 0
    for sheet, table, placed in table_sheets():
        ws = workbook[sheet.name]
        capacity = table.capacity
        for field in table.columns:
            if not (field.is_input and field.help):
                continue
            for row in (placed.first_data_row, placed.first_data_row + capacity - 1):
                (validation,) = validations_at(ws, f"{table.letter(field.key)}{row}")
                if sheet is L.PROFILE:  # the dropdown rows carry the setting's name as title
                    assert validation.prompt == field.help and validation.showInputMessage
                    assert len(validation.promptTitle) <= L.PROMPT_TITLE_MAX
                    continue
                assert (validation.promptTitle, validation.prompt, validation.showInputMessage) == \
                    (field.label, field.help, True), (sheet.name, field.key, row)
                checked += 1
    assert checked >= 2 * 20  # 项目, 项目资金, 绩效指标 and the paragraph tables


def test_help_only_columns_accept_anything_and_checks_keep_their_errors(empty_book):
    ws = empty_book[L.INDICATORS.name]
    table = L.table_of(L.INDICATORS.blocks[0])
    row = L.INDICATORS.placed()[0].first_data_row
    (target,) = validations_at(ws, f"{table.letter('target')}{row}")
    assert target.type is None and target.showErrorMessage is not True  # Excel's "any value"
    (weight,) = validations_at(ws, f"{table.letter('weight')}{row}")
    assert weight.type == "decimal" and weight.error == "分值应为数字（不要带单位）" and weight.prompt
    (level1,) = validations_at(ws, f"{table.letter('level1')}{row}")
    assert level1.type == "list" and level1.formula1 == '"产出指标,效益指标,满意度指标"' and level1.prompt


def test_no_cell_has_two_validations(demo_book):
    """Overlapping validations make Excel "repair" the file and drop them."""
    for ws in demo_book.worksheets:
        seen: set[str] = set()
        for validation in ws.data_validations.dataValidation:
            for cell_range in validation.sqref.ranges:
                cells_ = {f"{get_column_letter(c)}{r}" for r in range(cell_range.min_row, cell_range.max_row + 1)
                          for c in range(cell_range.min_col, cell_range.max_col + 1)}
                assert not cells_ & seen, ws.title
                seen |= cells_


def test_every_input_column_of_a_table_has_help_within_excels_limits():
    for sheet, table, _ in table_sheets():
        for field in table.columns:
            if field.is_input:
                assert field.help, (sheet.name, field.key)
                assert len(field.label) <= L.PROMPT_TITLE_MAX and len(field.help) <= L.PROMPT_MAX, field.key


# --- the guide to writing targets -------------------------------------------------------

def guide_text(workbook) -> str:
    return "\n".join(str(cell.value) for (cell,) in workbook[L.GUIDE.name].iter_rows(max_col=1) if cell.value)


# (年度指标值, 实际完成值 as stored, as the guide writes it, 二级, 三级, expected score of 5)
GUIDE_EXAMPLES = [
    ("≥95%", "97%", "97%", "质量指标", "检验合格率", 5),
    ("≥95%", 0.97, "97%", "质量指标", "检验合格率", 5),  # a percent cell
    ("100批次", "100批次", "100批次", "数量指标", "产商品检验", 5),
    ("100批次", 100.0, "100", "数量指标", "产商品检验", 5),
    ("≥303.9万", "399.32万", "399.32万", "经济效益指标", "执法办案罚没收入", 5),
    ("≤5%", "3%", "3%", "质量指标", "有效投诉率", 5),
    ("≤5%", "8%", "8%", "质量指标", "有效投诉率", 2),
    ("0起", "0起", "0起", "社会效益指标", "安全事故", 5),
    ("0起", "无", "无", "社会效益指标", "安全事故", 5),
    ("无", "无", "无", "社会效益指标", "安全事故", 5),
    ("0起", "1起", "1起", "社会效益指标", "安全事故", 0),
    ("无", "发生1起", "1起", "社会效益指标", "安全事故", 0),
    ("2023年12月31日前", "2023年11月30日", "2023年11月30日", "时效指标", "完成时间", 5),
    ("2023年12月31日前", datetime(2023, 11, 30), "2023-11-30", "时效指标", "完成时间", 5),  # a date cell
    ("2023年底", "2023年11月30日", "2023年11月30日", "时效指标", "完成时间", 5),
    ("12月底前", "2023年11月30日", "2023年11月30日", "时效指标", "完成时间", 5),
    ("2023年12月31日前", "2024年1月5日", "晚于期限得0分", "时效指标", "完成时间", 0),
    ("2023年12月31日前", "80%", "80%", "时效指标", "完成时间", 4),
    ("效果明显", "效果明显", "效果明显", "社会效益指标", "监管效果", 5),
    ("效果明显", "达成预期", "达成预期", "社会效益指标", "监管效果", 5),
]


@pytest.mark.parametrize("target, actual, shown, level2, level3, expected", GUIDE_EXAMPLES)
def test_each_guide_example_scores_as_the_guide_says(empty_book, target, actual, shown, level2, level3, expected):
    guide = guide_text(empty_book)
    assert f"“{target}”" in guide and shown in guide
    assert cells.perf_score(target, actual, 5, level2, level3) == expected


def test_the_guide_covers_every_form_and_the_cells_beside_them(empty_book):
    guide = guide_text(empty_book)
    assert L.TARGET_GUIDE_TITLE in guide
    for words in ("反向", "不应发生", "时效", "定性", "百分比", "万元", "两位小数", "人工得分", "偏差原因", "不少于", "不超过"):
        assert words in guide, words
    heading = next(cell for (cell,) in empty_book[L.GUIDE.name].iter_rows(max_col=1) if cell.value == L.TARGET_GUIDE_TITLE)
    assert heading.font.b


def test_a_manual_score_needs_its_reason_as_the_guide_says():
    assert cells.perf_score("≥95%", "97%", 5, "质量指标", "检验合格率", 4, "100批次中有3个批次不合格") == 4
    assert cells.perf_score("≥95%", "97%", 5, "质量指标", "检验合格率", 4, "") == 5


# --- nothing to overwrite, typed numbers as typed ----------------------------------------

def input_rows(ws, sheet: L.SheetLayout) -> list[dict[str, object]]:
    placed = sheet.placed()[-1]
    table = L.table_of(placed.block)
    rows = []
    for values in ws.iter_rows(min_row=placed.first_data_row, max_col=len(table.columns), values_only=True):
        record = {f.key: v for f, v in zip(table.columns, values) if f.is_input and v is not None}
        if record:
            rows.append(record)
    return rows


def test_the_blank_template_has_no_indicator_rows_to_overwrite(empty_book):
    assert input_rows(empty_book[L.INDICATORS.name], L.INDICATORS) == []
    assert input_rows(empty_book[L.PROJECTS.name], L.PROJECTS) == []
    # the four 资金类别 rows stay: completed with the project's figures, never overwritten
    assert input_rows(empty_book[L.FUNDS.name], L.FUNDS) == [{"category": c} for c in L.FUNDS_CATEGORIES]


def test_the_dropdowns_stay_on_every_prepared_indicator_row(empty_book):
    ws = empty_book[L.INDICATORS.name]
    table = L.table_of(L.INDICATORS.blocks[0])
    last = L.INDICATORS.placed()[0].first_data_row + table.capacity - 1
    for key in ("level1", "level2"):
        (validation,) = validations_at(ws, f"{table.letter(key)}{last}")
        assert validation.type == "list"


@pytest.mark.parametrize("sheet, key, number_format", [
    (L.INDICATORS, "weight", "General"), (L.INDICATORS, "manual", "General"), (L.FUNDS, "weight", "General"),
    (L.PROJECTS, "published_total", "General"),
    (L.INDICATORS, "rule_score", "0.00"), (L.INDICATORS, "final_score", "0.00"), (L.FUNDS, "score", "0.00"),
    (L.FUNDS, "budget", "0.00"), (L.FUNDS, "executed", "0.00"), (L.FUNDS, "initial", "0.00"),
])
def test_typed_weights_show_as_typed_and_amounts_keep_two_decimals(demo_book, sheet, key, number_format):
    placed = sheet.placed()[-1]
    table = L.table_of(placed.block)
    ws = demo_book[sheet.name]
    assert ws[f"{table.letter(key)}{placed.first_data_row}"].number_format == number_format


# --- protection ---------------------------------------------------------------------------

@pytest.mark.parametrize("sheet", INPUT_TABLES, ids=lambda s: s.key)
def test_input_tables_allow_inserting_deleting_sorting_and_filtering_rows(empty_book, sheet):
    protection = empty_book[sheet.name].protection
    assert protection.sheet and not protection.password
    # openpyxl reads the OOXML flags: False means the action is NOT locked
    assert not any((protection.insertRows, protection.deleteRows, protection.sort, protection.autoFilter))
    assert protection.insertColumns and protection.deleteColumns  # columns are the layout's


def test_the_rule_settings_keep_their_rows(empty_book):
    protection = empty_book[L.PROFILE.name].protection
    assert protection.sheet and protection.insertRows and protection.deleteRows


# --- print areas ----------------------------------------------------------------------------

def area(ws) -> str | None:
    return ws.print_area or None


def test_print_areas_cover_the_filled_rows_of_the_demo(demo_book):
    demo = load_demo()
    project = demo.projects[0]
    assert area(demo_book[L.INDICATORS.name]) == f"'绩效指标'!$A$1:$L${1 + len(project.indicators)}"
    assert area(demo_book[L.FUNDS.name]) == "'项目资金'!$A$1:$H$5"
    assert area(demo_book[L.PROJECTS.name]) == "'项目'!$A$1:$J$2"


def test_empty_tables_print_every_prepared_row_rather_than_a_cut(empty_book):
    for sheet in (*INPUT_TABLES, L.RESULTS, L.PROBLEMS, L.INFO):
        assert area(empty_book[sheet.name]) is None, sheet.name
    assert area(empty_book[L.PROFILE.name]) == f"'评分规则'!$A$1:$C${1 + L.PROFILE.blocks[0].capacity}"


def test_fit_print_areas_follows_rows_added_and_cleared():
    book = openpyxl.load_workbook(io.BytesIO(build_template(load_demo())))
    ws = book[L.INDICATORS.name]
    table = L.table_of(L.INDICATORS.blocks[0])
    ws[f"{table.letter('project')}45"] = "市场监督管理"
    ws[f"{table.letter('level1')}60"] = "产出指标"  # a dropdown alone is not a filled row
    fit_print_areas(book)
    assert area(ws) == "'绩效指标'!$A$1:$L$45"
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if table.columns[cell.column - 1].is_input:
                cell.value = None
    fit_print_areas(book)
    assert area(ws) is None


def test_a_date_or_a_number_fills_a_row_too():
    table = L.table_of(L.INDICATORS.blocks[0])
    values = [[None] * len(table.columns) for _ in range(9)]
    values[5][table.columns.index(table.column("weight"))] = 5.0
    values[7][table.columns.index(table.column("actual"))] = datetime(2023, 11, 30)
    assert print_area_ref(L.INDICATORS, values) == "$A$1:$L$8"


class FakeSheet:
    """What _fit_print_areas uses of an xlwings sheet: used range, a 2-D read, page setup."""

    def __init__(self, name: str, rows: list[list[object]]) -> None:
        self.name, self.rows = name, rows
        self.used_range = SimpleNamespace(last_cell=SimpleNamespace(row=len(rows)))
        self.page_setup = SimpleNamespace(print_area="$A$1:$L$10")

    def range(self, first, last):
        (r0, c0), (r1, c1) = first, last
        block = [list(row[c0 - 1:c1]) + [None] * max(0, c1 - len(row)) for row in self.rows[r0 - 1:r1]]
        return SimpleNamespace(options=lambda ndim: SimpleNamespace(value=block))


def test_the_ribbon_refits_the_print_areas_of_the_live_book():
    header = list(L.table_of(L.INDICATORS.blocks[0]).headers)
    indicators = FakeSheet(L.INDICATORS.name, [header] + [["项目", "产出指标"] + [None] * 10] * 30
                           + [["", "产出指标", None, None, None, "", ""] + [None] * 5] * 170)
    projects = FakeSheet(L.PROJECTS.name, [list(L.table_of(L.PROJECTS.blocks[0]).headers)] + [[None] * 10] * 20)
    other = SimpleNamespace(name="自评表")
    assert ribbon._fit_print_areas(SimpleNamespace(sheets=[indicators, projects, other])) == ""
    assert indicators.page_setup.print_area == "$A$1:$L$31"
    assert projects.page_setup.print_area == ""  # nothing filled: Excel prints the whole sheet


def test_a_refused_print_area_is_said_not_fatal():
    """Excel refusing the page setup must not undo the generated sheets: the message says so."""
    broken = SimpleNamespace(name=L.PROJECTS.name)  # no used range: any COM failure alike
    note = ribbon._fit_print_areas(SimpleNamespace(sheets=[broken]))
    assert note.startswith("\n\n未能更新输入表的打印区域") and "页面布局" in note


# --- LibreOffice: what a user sees and prints ---------------------------------------------

def filled_department():
    """Two projects, 30 indicators with distinct names: the newcomer's workbook."""
    demo = load_demo()
    first = demo.projects[0]
    named = tuple(replace(ind, level3=f"检验指标{n:02d}") for n, ind in enumerate(first.indicators, start=1))
    second = replace(first, name="农贸市场提质改造",
                     indicators=tuple(replace(ind, level3=f"检验指标{n:02d}")
                                      for n, ind in enumerate(first.indicators[:12], start=len(named) + 1)))
    return replace(demo, projects=(replace(first, indicators=named), second))


@requires_libreoffice
def test_libreoffice_prints_every_filled_row_and_shows_the_help(tmp_path):
    department = filled_department()
    assert sum(len(p.indicators) for p in department.projects) == 30
    path = tmp_path / "填报.xlsm"
    path.write_bytes(build_template(department))
    table = L.table_of(L.INDICATORS.blocks[0])
    target, weight = (f"{L.INDICATORS.name}!{table.letter(key)}2" for key in ("target", "weight"))
    report = run_uno_probe(path, cells=[target, weight], recalc=False, pdf=tmp_path / "填报.pdf",
                           insert_rows=[f"{L.INDICATORS.name}!3"], delete_rows=[f"{L.INDICATORS.name}!3"])
    text = subprocess.run(["pdftotext", "-layout", report["pdf"], "-"], capture_output=True, text=True,
                          check=True).stdout
    for n in range(1, 31):
        assert f"检验指标{n:02d}" in text, n
    funds_lines = [line for line in text.splitlines() if "年度资金总额" in line or "其他资金" in line]
    assert sum("农贸市场提质改造" in line for line in funds_lines) == 2  # the second project's funds rows
    shown = report["cells"]
    assert shown[target]["validation"] == {"type": "ANY", "show_input": True, "input_title": "年度指标值",
                                           "input_message": table.column("target").help}
    assert shown[weight]["string"] == "5" and not shown[weight]["locked"]
    inserted, deleted = report["rows"]
    assert inserted["ok"], inserted["error"]
    # Every table row holds locked formula cells; LibreOffice (like Excel) will not delete such
    # a row under protection even with deleteRows allowed, which is why the guide says "clear it".
    assert not deleted["ok"]


def test_guide_lines_fit_the_guide_column_unwrapped():
    """LibreOffice clips wrapped CJK text at the page edge, so every line is short instead."""
    from addin.template.workbook import GUIDE_WIDTH, _display_width

    assert all(_display_width(line) <= GUIDE_WIDTH for line in L.GUIDE.notes)
