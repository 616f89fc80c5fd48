"""The built workbooks: layout-true, cached values right, deterministic, committed copies fresh."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from udfs.model import shown

from addin import layout as L
from addin.commands.build_template import stale_files
from addin.demo import load_demo
from addin.ribbon import custom_ui_xml
from addin.template import build_template
from addin.template.contents import empty_contents
from addin.template.workbook import table_row_counts
from addin.vba import read_module_code
from addin.template.xlsm import read_custom_ui, read_vba_project
from udfs import cells

REPO = Path(__file__).resolve().parents[1]
UDF_CELLS = {"EXEC_RATE": cells.exec_rate, "EXEC_SCORE": cells.exec_score, "PERF_SCORE": cells.perf_score,
             "PERF_EXPLAIN": cells.perf_explain, "GRADE": cells.grade}
UDF_CALL = re.compile(r"\b(" + "|".join(UDF_CELLS) + r")\(([^()]*)\)")
GUARD = re.compile(r'([A-Z]+\d+)(=|<>)"([^"]*)"')


@pytest.fixture(scope="module")
def demo_bytes() -> bytes:
    return build_template(load_demo())


@pytest.fixture(scope="module")
def empty_bytes() -> bytes:
    return build_template(None)


def _open(data: bytes, data_only: bool):
    return openpyxl.load_workbook(io.BytesIO(data), data_only=data_only)


@pytest.fixture(scope="module", params=["demo", "empty"])
def books(request, demo_bytes, empty_bytes):
    data = demo_bytes if request.param == "demo" else empty_bytes
    return _open(data, False), _open(data, True)




def test_sheets_code_names_and_headers_follow_the_layout(books):
    formulas, _ = books
    assert formulas.sheetnames == [s.name for s in L.SHEETS]
    assert formulas.code_name == "ThisWorkbook"
    for sheet in L.SHEETS:
        ws = formulas[sheet.name]
        assert ws.sheet_properties.codeName == sheet.code_name
        for placed in sheet.placed():
            if isinstance(placed.block, L.FieldBlock):
                labels = [ws.cell(sheet.field_row(placed.block.key, f.key), L.LABEL_COLUMN).value for f in placed.block.fields]
                assert labels == [f.label for f in placed.block.fields]
            else:
                header = [c.value for c in ws[placed.top]][: len(L.table_of(placed.block).columns)]
                assert tuple(header) == L.table_of(placed.block).headers


def test_every_named_range_points_where_the_layout_says(books):
    """Tables keep their capacity (the demo fits); the 提示文字 table is as long as its texts."""
    formulas, _ = books
    counts = table_row_counts(empty_contents())
    defined = {name: dn.attr_text for name, dn in formulas.defined_names.items()}
    for name, ref in L.named_ranges(counts):
        assert defined[name] == ref


def _cell_value(ws, address: str):
    return ws[address].value


def _expected(formula: str, ws_values, profile) -> object:
    """Recompute a UDF formula cell from its row with udfs.cells, independently of the builder."""
    condition = formula[len('=IF('):formula.index(',"",')] if formula.startswith('=IF(') else ""
    for address, op, text in GUARD.findall(condition):
        value = ws_values[address].value
        shown = "" if value is None else value
        if (op == "=" and shown == text) or (op == "<>" and shown != text):
            return None  # the guard shows "" (openpyxl reads an empty cached string as None)
    name, args = UDF_CALL.search(formula).groups()
    values = []
    for arg in args.split(","):
        if arg == "ZP_PROFILE":
            values.append(profile)
        elif arg == '""':
            values.append("")
        else:
            values.append(ws_values[arg].value)
    return UDF_CELLS[name](*values)


def test_every_udf_formula_cell_has_the_cached_value_the_core_computes(books):
    formulas, values = books
    profile_sheet = values[L.PROFILE.name]
    first = L.PROFILE.place("profile").first_data_row
    last = first + L.PROFILE.blocks[0].capacity - 1
    profile = [list(row) for row in profile_sheet.iter_rows(min_row=first, max_row=last, max_col=2, values_only=True)]
    checked = 0
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and UDF_CALL.search(cell.value):
                    cached = values[ws.title][cell.coordinate].value
                    assert cached == _expected(cell.value, values[ws.title], profile), (ws.title, cell.coordinate)
                    checked += 1
    # 3 UDF columns × 200 indicator rows, 2 × 80 fund rows, GRADE × 20 project rows,
    # 3 UDF columns × 60 部门整体 indicator rows
    assert checked == 3 * 200 + 2 * 80 + 20 + 3 * 60


def test_the_demo_scores_98_in_the_cached_values(demo_bytes):
    values = _open(demo_bytes, True)
    sheet = L.PROJECTS
    table = L.table_of(sheet.blocks[0])
    row = sheet.placed()[0].first_data_row
    got = {key: values[sheet.name][f"{table.letter(key)}{row}"].value for key in ("exec_score", "indicator_score", "total", "grade")}
    assert got == {"exec_score": 10, "indicator_score": 88, "total": 98, "grade": "优"}


@pytest.mark.parametrize("sheet, block, key, expected", [
    (L.BUDGET, "budget", "basic_share", 0.8826),  # SCORING.md §6: 基本 1771.68 = 88.26%
    (L.BUDGET, "budget", "project_share", 0.1151),
    (L.BUDGET, "budget", "revenue_change", -73.83),  # 较预算减少73.83万元
    (L.THREE_PUBLIC, "three_public", "control_rate", 0.5744),
    (L.ASSETS, "assets", "utilisation", 0.4778),
])
def test_native_formulas_carry_the_seed_ratios(demo_bytes, sheet, block, key, expected):
    formulas, values = _open(demo_bytes, False), _open(demo_bytes, True)
    address = sheet.field_cell(block, key)
    assert formulas[sheet.name][address].value == sheet.formula_text(block, key)
    assert values[sheet.name][address].value == pytest.approx(expected, abs=5e-5)


def test_formula_cells_are_locked_and_inputs_unlocked_without_password(demo_bytes):
    ws = _open(demo_bytes, False)[L.INDICATORS.name]
    table = L.table_of(L.INDICATORS.blocks[0])
    assert ws.protection.sheet and not ws.protection.password
    row = L.INDICATORS.placed()[0].first_data_row
    for column in table.columns:
        assert ws[f"{table.letter(column.key)}{row + 150}"].protection.locked == (column.formula is not None)


def test_dropdowns_for_levels_and_fund_categories(demo_bytes):
    book = _open(demo_bytes, False)
    lists = {dv.formula1 for ws in book.worksheets for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert '"产出指标,效益指标,满意度指标"' in lists
    assert '"年度资金总额,当年财政拨款,上年结转资金,其他资金"' in lists
    assert any("服务对象满意度指标" in formula for formula in lists)


def test_vba_project_has_a_document_module_per_sheet_and_the_ribbon(demo_bytes):
    modules = read_module_code(read_vba_project(demo_bytes))
    assert {"ThisWorkbook", "xlwings", "Dictionary", "ZipingUdfs", "ZipingRibbon"} <= set(modules)
    assert {s.code_name for s in L.SHEETS} <= set(modules)
    assert read_custom_ui(demo_bytes) == custom_ui_xml()


def test_excel_keeps_the_cached_values_on_open(demo_bytes):
    """No fullCalcOnLoad: Excel without Python would otherwise replace every score with an error."""
    workbook_xml = zipfile.ZipFile(io.BytesIO(demo_bytes)).read("xl/workbook.xml").decode()
    assert "fullCalcOnLoad" not in workbook_xml or 'fullCalcOnLoad="0"' in workbook_xml


def test_two_builds_are_byte_identical(demo_bytes, empty_bytes):
    assert build_template(load_demo()) == demo_bytes
    assert build_template(None) == empty_bytes


def test_committed_templates_up_to_date():
    assert stale_files(REPO) == [], "run: ziping build-template"


EVIL_LINK = '=HYPERLINK("http://evil.example","点我")'


def _formula_department():
    """The demo with imported texts that look like formulas: 部门名称, two 年度指标值, a 偏差原因."""
    from dataclasses import replace

    demo = load_demo()
    project = demo.projects[0]
    rows = list(project.indicators)
    rows[0] = replace(rows[0], target="=100批次", deviation_reason=EVIL_LINK)
    rows[5] = replace(rows[5], target="=100%")
    return replace(demo, name=EVIL_LINK, projects=(replace(project, indicators=tuple(rows)),))


def _sheet_cells(data: bytes, sheet: str) -> dict[str, object]:
    """{address: <c> element} of one sheet's XML in the built package."""
    from lxml import etree

    from addin.template.cached import sheet_parts

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    root = etree.fromstring(parts[sheet_parts(parts)[sheet]])
    return {c.get("r"): c for c in root.iter("{*}c")}


def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path):
    """"=100%" must not become the number 1, "=100批次" no #NAME?, a reason no live link."""
    from addin.reading.workbook import read_workbook

    data = build_template(_formula_department())
    table = L.table_of(L.INDICATORS.place("indicators").block)
    first = L.INDICATORS.place("indicators").first_data_row
    indicator_cells = _sheet_cells(data, L.INDICATORS.name)
    info_cells = _sheet_cells(data, L.INFO.name)
    for cells_, address in ((indicator_cells, f"{table.letter('target')}{first}"),
                            (indicator_cells, f"{table.letter('target')}{first + 5}"),
                            (indicator_cells, f"{table.letter('reason')}{first}"),
                            (info_cells, L.INFO.field_cell("info", "name"))):
        cell = cells_[address]
        assert cell.find("{*}f") is None, address
        assert cell.get("t") in ("s", "inlineStr"), address
    path = tmp_path / "公式文本.xlsm"
    path.write_bytes(data)
    department, problems = read_workbook(path)
    assert problems == []
    indicators = department.projects[0].indicators
    assert department.name == EVIL_LINK
    assert (shown(indicators[0].target), indicators[0].deviation_reason, shown(indicators[5].target)) == ("=100批次", EVIL_LINK, "=100%")
