"""A department typed into the template in LibreOffice (zh-CN, as a user types), saved there as
.xlsm and as .xlsx, then ``ziping refresh``ed: the result passes the checks a fresh build
passes and every input cell reads and shows as the user left it.

LibreOffice is the reference for "shows": the refreshed file is reopened in it and each typed
cell must show the very text LibreOffice showed while the user typed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from addin import layout as L
from addin.refresh import refresh_workbook
from lo import displayed_cells, requires_libreoffice, run_uno_probe, type_into_workbook
from refresh_checks import assert_fresh_machinery, input_cells
from test_template_checks import freeze_udf_cells, native_formula_cells, olevba_modules
from udfs.cells import EXCEL_ERRORS

TEMPLATE = Path(__file__).resolve().parents[1] / "workbook_template.xlsm"
PROJECT = "市场监管专项"
DEPARTMENT = "测试县市场监督管理局"
TYPED = [
    ("部门信息", "B2", DEPARTMENT), ("部门信息", "B3", "2023"), ("部门信息", "B6", "2024年3月1日"),
    ("部门信息", "A9", "主要职责"), ("部门信息", "B9", "负责全县市场监管。"),
    ("预算执行", "B2", "1200.5"), ("预算执行", "B4", "1100"), ("预算执行", "B8", "1180.2"),
    ("预算执行", "B9", "1090.7"), ("预算执行", "B10", "950"), ("预算执行", "B11", "140.7"),
    ("三公经费", "B2", "12"), ("三公经费", "B6", "8.5"), ("政府采购", "B2", "300"), ("资产", "B2", "2500"),
    ("项目", "A2", PROJECT), ("项目", "B2", DEPARTMENT), ("项目", "C2", DEPARTMENT),
    *((("项目资金", f"A{row}", PROJECT)) for row in range(2, 6)),
    ("项目资金", "C2", "912.50"), ("项目资金", "D2", "1,000"), ("项目资金", "E2", "=D2*0.95"), ("项目资金", "F2", "10"),
    ("项目资金", "C3", "900"), ("项目资金", "D3", "980"), ("项目资金", "E3", "931"),
    *(("绩效指标", f"{letter}{row}", text) for row, values in enumerate([
        (PROJECT, "产出指标", "数量指标", "检验批次", "100批次", "100批次", "20"),
        (PROJECT, "产出指标", "质量指标", "合格率", "≥95%", "97.3%", "20"),
        (PROJECT, "产出指标", "时效指标", "完成时间", "2023年6月30日前", "2023-05-20", "10"),
        (PROJECT, "效益指标", "社会效益指标", "覆盖率", "≥90%", "85%", "30"),
        (PROJECT, "满意度指标", "服务对象满意度指标", "群众满意度", "≥95%", "96%", "10"),
    ], start=2) for letter, text in zip("ABCDEFG", values)),
    ("绩效指标", "I5", "28"), ("绩效指标", "K5", "部分乡镇未覆盖，明年补齐"),
    ("工作成效", "A2", "整体绩效目标完成情况"), ("工作成效", "B2", "全年完成检验100批次。"),
]
REFS = [f"{sheet}!{cell}" for sheet, cell, _ in TYPED]


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> dict:
    """The template typed into and saved by LibreOffice as .xlsm and .xlsx, each refreshed."""
    tmp = tmp_path_factory.mktemp("lo-refresh")
    source = tmp / "模板.xlsm"
    shutil.copyfile(TEMPLATE, source)
    found = {}
    for kind in ("xlsm", "xlsx"):
        folder = tmp / kind
        folder.mkdir()
        path = folder / f"填报.{kind}"
        found[f"shown_{kind}"] = type_into_workbook(source, path, TYPED)
        found[f"inputs_{kind}"] = input_cells(path)
        found[f"saved_{kind}"] = path.read_bytes()
        found[kind] = refresh_workbook(path)
    return found


@requires_libreoffice
def test_libreoffice_damaged_what_the_refresh_restores(saved):
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(saved["saved_xlsm"]), keep_vba=True)
    assert all(not book[sheet.name].sheet_properties.codeName for sheet in L.SHEETS)
    assert_fresh_machinery(saved["xlsm"].output)


@requires_libreoffice
def test_the_xlsx_saved_by_libreoffice_gets_macros_ribbon_and_code_names_back(saved):
    outcome = saved["xlsx"]
    assert outcome.output.suffix == ".xlsm" and outcome.source.path.suffix == ".xlsx"
    assert_fresh_machinery(outcome.output)


@requires_libreoffice
@pytest.mark.parametrize("kind", ["xlsm", "xlsx"])
def test_every_input_cell_keeps_value_format_and_text(saved, kind):
    inputs = saved[f"inputs_{kind}"]
    assert set(REFS) <= set(inputs)
    assert input_cells(saved[kind].output) == inputs
    assert inputs["绩效指标!F3"][1:3] == ("0.00%", "97.30%")
    assert inputs["绩效指标!F4"][2] == "2023-05-20"
    assert inputs["项目资金!E2"][3] == "=D2*0.95"


@requires_libreoffice
def test_libreoffice_shows_the_refreshed_inputs_as_it_showed_them_while_typing(saved):
    shown = displayed_cells(saved["xlsm"].output, refs=REFS)
    assert {ref: cell["string"] for ref, cell in shown.items()} == \
        {ref: cell["string"] for ref, cell in saved["shown_xlsm"].items()}


@requires_libreoffice
def test_libreoffice_recalculates_the_native_formulas_to_the_cached_values(saved, tmp_path):
    path = saved["xlsm"].output
    cached = native_formula_cells(path)
    assert "项目资金!E2" in cached and len(cached) >= 10
    report = run_uno_probe(freeze_udf_cells(path, tmp_path / "frozen.xlsm"), cells=list(cached), recalc=True)
    for ref, value in cached.items():
        recalculated = report["cells"][ref]
        if isinstance(value, (int, float)):
            assert recalculated["value"] == pytest.approx(value, abs=1e-9), ref
        else:
            assert recalculated["string"] == (value or ""), ref


@requires_libreoffice
def test_the_scores_libreoffice_could_not_compute_are_computed(saved):
    """Headless LibreOffice leaves our functions' cells blank (a desktop shows #VALUE!/#NAME?);
    the 总分 it computes from them is a stale 0.00."""
    outcome = saved["xlsm"]
    total = outcome.totals[0]
    result = outcome.rebuilt.evaluation.results[0]
    assert total.name == PROJECT and (total.total, total.grade) == (f"{result.total:.2f}", result.grade)
    assert total.before_total != total.total
    assert result.indicators[3].score == 28  # the manual score with its reason
    scores = {change.cell: change for change in outcome.changes if change.sheet == "绩效指标"}
    assert {cell for cell in scores if cell[0] in "HJ"} == {f"{c}{r}" for c in "HJ" for r in range(2, 7)}
    assert all(change.before in ("", *EXCEL_ERRORS) for change in scores.values())
    assert scores["J3"].after == "20.00" and scores["J5"].after == "28.00"
    assert outcome.rebuilt.generated == ("自评表", "自评报告", "校验结果")


@requires_libreoffice
@pytest.mark.parametrize("kind", ["xlsm", "xlsx"])
def test_refreshing_again_gives_the_same_bytes(saved, kind, tmp_path):
    path = saved[kind].output
    first = path.read_bytes()
    again = refresh_workbook(path)
    assert again.unchanged and path.read_bytes() == first
    copy = tmp_path / "再次.xlsm"
    refresh_workbook(path, copy)
    assert copy.read_bytes() == first


@requires_libreoffice
def test_the_dictionary_class_has_its_attributes_again(saved):
    modules = olevba_modules(saved["xlsm"].output)
    assert 'Attribute VB_Exposed = True' in modules["Dictionary"]


@requires_libreoffice
def test_next_year_starts_from_the_libreoffice_saved_workbook(saved, tmp_path):
    from addin.cli import main
    from addin.reading.workbook import read_workbook
    from udfs.model import shown

    source = tmp_path / "2023.xlsm"
    source.write_bytes(saved["saved_xlsm"])  # as LibreOffice saved it, before the refresh
    path = tmp_path / "2024.xlsm"
    assert main(["new", str(path), "--from", str(source)]) == 0
    department, _ = read_workbook(path)
    assert (department.name, department.year) == (DEPARTMENT, 2024)
    indicators = department.projects[0].indicators
    assert [shown(i.target) for i in indicators] == ["100批次", "≥95%", "2023年6月30日前", "≥90%", "≥95%"]
    assert all(i.actual is None for i in indicators) and department.duties == ("负责全县市场监管。",)
