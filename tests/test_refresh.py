"""``ziping refresh``: a workbook saved by another program comes back as a fresh build with
the user's cells untouched; a file it cannot read whole is refused before anything is written.

The workbooks here are filled the way a script would fill them, with openpyxl (which drops the
ribbon and saves no formula results); LibreOffice-saved workbooks are in
test_refresh_libreoffice.py.
"""

from __future__ import annotations

import shutil
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from addin import layout as L
from addin.cli import main
from addin.reading.workbook import read_workbook
from addin.refresh import refresh_workbook
from addin.refresh.backup import is_refresh_backup
from addin.template.xlsm import read_custom_ui
from refresh_checks import assert_fresh_machinery, input_cells
from udfs.model import shown

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "workbook_template.xlsm"
EXAMPLE = ROOT / "examples" / "衡山县市场监督管理局_2022.xlsm"
NOW = datetime(2024, 1, 15, 10, 30, 0)


def fill_with_openpyxl(path: Path, keep_vba: bool = True) -> Path:
    """A small department typed into the template by a script: numbers with formats of their
    own (97.3% as 0.973 in 0.00%, a date, 912.5 in 0.00), text, a manual score with a reason."""
    book = openpyxl.load_workbook(TEMPLATE, keep_vba=keep_vba)

    def put(sheet: str, address: str, value, number_format: str | None = None) -> None:
        cell = book[sheet][address]
        cell.value = value
        if number_format:
            cell.number_format = number_format

    put("部门信息", "B2", "测试县财政局")
    put("部门信息", "B3", 2023)
    put("部门信息", "B6", datetime(2024, 3, 1), 'yyyy"年"m"月"d"日"')
    put("部门信息", "A9", "主要职责")
    put("部门信息", "B9", "负责全县财政工作。")
    put("预算执行", "B2", 1200.5)
    put("项目", "A2", "财政专项")
    put("项目", "B2", "测试县财政局")
    for row, category in enumerate(L.FUNDS_CATEGORIES, start=2):
        put("项目资金", f"A{row}", "财政专项")
    put("项目资金", "C2", 912.5)
    put("项目资金", "D2", 1000)
    put("项目资金", "E2", 973.456, "#,##0.000")
    put("项目资金", "F2", 10)
    rows = [("产出指标", "数量指标", "检查次数", "100次", "100次", 20, None, None),
            ("产出指标", "质量指标", "合格率", "≥95%", (0.973, "0.00%"), 20, None, None),
            ("产出指标", "时效指标", "完成时间", "2023年6月30日前", (datetime(2023, 5, 20), "yyyy\\-mm\\-dd"), 10, None, None),
            ("效益指标", "社会效益指标", "覆盖率", "≥90%", "85%", 30, 28, "部分乡镇未覆盖，明年补齐"),
            ("满意度指标", "服务对象满意度指标", "满意度", "≥95%", 0.96, 10, None, None)]
    for row, (level1, level2, level3, target, actual, weight, manual, reason) in enumerate(rows, start=2):
        for letter, value in zip("ABCDEGIK", ("财政专项", level1, level2, level3, target, weight, manual, reason)):
            if value is not None:
                put("绩效指标", f"{letter}{row}", value)
        value, number_format = actual if isinstance(actual, tuple) else (actual, None)
        put("绩效指标", f"F{row}", value, number_format)
    put("工作成效", "A2", "整体绩效目标完成情况")
    put("工作成效", "B2", "全年完成检查100次。")
    book.save(path)
    return path


@pytest.fixture()
def filled(tmp_path) -> Path:
    return fill_with_openpyxl(tmp_path / "填报.xlsm")


def test_a_script_saved_workbook_keeps_every_input_cell_and_regains_the_ribbon(filled, tmp_path):
    before = input_cells(filled)
    assert read_custom_ui(filled.read_bytes()) is None  # openpyxl dropped it
    outcome = refresh_workbook(filled, now=NOW)
    assert not outcome.unchanged and outcome.output == filled
    assert input_cells(filled) == before
    assert before["绩效指标!F3"][1:3] == ("0.00%", "97.30%")
    assert before["绩效指标!F4"][2] == "2023-05-20"
    assert before["项目资金!E2"][2] == "973.456"
    assert_fresh_machinery(filled)


def test_scores_are_computed_and_the_generated_sheets_written(filled):
    outcome = refresh_workbook(filled, now=NOW)
    book = openpyxl.load_workbook(filled, data_only=True)
    assert book.sheetnames == [s.name for s in L.SHEETS] + ["自评表", "自评报告", "校验结果"]
    department, problems = read_workbook(filled)
    result = outcome.rebuilt.evaluation.results[0]
    assert book["项目"]["I2"].value == pytest.approx(float(result.total))
    assert book["绩效指标"]["J5"].value == 28  # the manual score, with its reason
    assert book["绩效指标"]["J3"].value == 20
    assert [shown(i.actual) for i in department.projects[0].indicators][:3] == ["100次", "97.30%", "2023-05-20"]
    assert outcome.totals[0].name == "财政专项" and outcome.totals[0].total == f"{result.total:.2f}"
    assert outcome.totals[0].before_total == ""  # openpyxl saved no results


def test_refresh_is_idempotent_and_a_second_run_writes_nothing(filled):
    refresh_workbook(filled, now=NOW)
    first = filled.read_bytes()
    again = refresh_workbook(filled, now=datetime(2024, 1, 16))
    assert again.unchanged and again.backup is None
    assert filled.read_bytes() == first
    other = filled.with_name("副本.xlsm")
    refresh_workbook(filled, other)
    assert other.read_bytes() == first
    assert sorted(p.name for p in filled.parent.iterdir()) == sorted(
        ["填报.xlsm", "填报_刷新前备份_20240115-103000.xlsm", "副本.xlsm"])


def test_the_replaced_file_is_kept_as_a_dated_backup(filled):
    original = filled.read_bytes()
    outcome = refresh_workbook(filled, now=NOW)
    assert outcome.backup == filled.with_name("填报_刷新前备份_20240115-103000.xlsm")
    assert outcome.backup.read_bytes() == original
    assert is_refresh_backup(outcome.backup.name) and not is_refresh_backup(filled.name)


def test_batch_does_not_count_backups(filled, tmp_path):
    from addin.batch import find_inputs

    refresh_workbook(filled, now=NOW)
    assert find_inputs(tmp_path) == [filled]


def test_output_elsewhere_leaves_the_source_untouched(filled, tmp_path):
    original = filled.read_bytes()
    target = tmp_path / "新" / "刷新.xlsm"
    outcome = refresh_workbook(filled, target)
    assert filled.read_bytes() == original and outcome.backup is None
    assert input_cells(target) == input_cells(filled)


def test_an_xlsx_without_macros_becomes_the_xlsm_beside_it(tmp_path):
    source = fill_with_openpyxl(tmp_path / "填报.xlsx", keep_vba=False)
    assert "xl/vbaProject.bin" not in zipfile.ZipFile(source).namelist()
    outcome = refresh_workbook(source)
    assert outcome.output == tmp_path / "填报.xlsm" and source.exists()
    assert input_cells(outcome.output) == input_cells(source)
    assert_fresh_machinery(outcome.output)


def test_refreshing_a_fresh_build_changes_none_of_its_input_sheets(tmp_path):
    copy = tmp_path / "示例.xlsm"
    shutil.copyfile(EXAMPLE, copy)
    outcome = refresh_workbook(copy, now=NOW)
    assert outcome.changes == ()
    with zipfile.ZipFile(EXAMPLE) as fresh, zipfile.ZipFile(copy) as refreshed:
        for index in range(1, len(L.SHEETS) + 1):
            part = f"xl/worksheets/sheet{index}.xml"
            assert refreshed.read(part) == fresh.read(part), part


def test_a_constant_typed_over_a_score_formula_is_reported_and_the_formula_restored(tmp_path):
    from addin.commands.refresh import summary_lines

    copy = tmp_path / "示例.xlsm"
    book = openpyxl.load_workbook(EXAMPLE, keep_vba=True)
    book["绩效指标"]["H2"] = 3  # a WPS user typed the score the cell could not compute
    book.save(copy)
    outcome = refresh_workbook(copy)
    assert "  注意：「绩效指标」H2「3.00」原是手工填写的值，已恢复为模板的公式" in summary_lines(outcome)
    assert "「绩效指标」H2 规则得分（产商品检验）：3.00 → 5.00" in [str(change) for change in outcome.changes]
    formulas = openpyxl.load_workbook(copy)
    assert formulas["绩效指标"]["H2"].value.startswith("=IF(")


def test_a_formula_without_a_result_is_pointed_out(tmp_path, capsys):
    path = fill_with_openpyxl(tmp_path / "填报.xlsm")
    book = openpyxl.load_workbook(path, keep_vba=True)
    book["项目资金"]["E2"] = "=D2*0.95"
    book.save(path)
    main(["refresh", str(path)])
    assert "「项目资金」E2「=D2*0.95」是公式，但文件中没有它的计算结果" in capsys.readouterr().out
    assert openpyxl.load_workbook(path)["项目资金"]["E2"].value == "=D2*0.95"


def test_the_command_prints_what_changed_and_the_checks(filled, capsys):
    book = openpyxl.load_workbook(filled, keep_vba=True)
    book["绩效指标"]["G6"] = "十"  # a weight a reader cannot use
    book.save(filled)
    assert main(["refresh", str(filled)]) == 1  # refreshed, but the data has an error
    captured = capsys.readouterr()
    assert f"已刷新：{filled.resolve()}" in captured.out
    assert "原文件已备份为：填报_刷新前备份_" in captured.out
    assert "模板布局版本1；保留输入单元格" in captured.out
    assert "项目「财政专项」：总分" in captured.out
    assert "已生成工作表：自评表、自评报告、校验结果" in captured.out
    assert "分值" in captured.err and "G6" in captured.err
    assert "Traceback" not in captured.err


# --- refusals: nothing written ---------------------------------------------------------------

def _refused(path: Path, capsys, *args: str) -> str:
    before = {p.name: p.read_bytes() for p in path.parent.iterdir()}
    code = main(["refresh", str(path), *args])
    err = capsys.readouterr().err
    assert code in (2, 3), err
    assert {p.name: p.read_bytes() for p in path.parent.iterdir()} == before, "refused, yet something was written"
    assert err.startswith("错误：") and "Traceback" not in err
    return err


def test_a_sheet_of_the_users_own_is_refused(filled, capsys):
    book = openpyxl.load_workbook(filled, keep_vba=True)
    book.create_sheet("我的笔记")["A1"] = "备忘"
    book.save(filled)
    assert "工作表「我的笔记」不是模板的工作表，刷新后会丢失" in _refused(filled, capsys)


def test_cells_outside_the_template_are_refused(filled, capsys):
    book = openpyxl.load_workbook(filled, keep_vba=True)
    book["绩效指标"]["N3"] = "待核实"
    book["预算执行"]["B20"] = 5
    book.save(filled)
    err = _refused(filled, capsys)
    assert "「预算执行」B20「5」" in err and "「绩效指标」N3「待核实」" in err and "在模板的填写区域之外" in err


def test_a_moved_label_is_refused_naming_the_cell(filled, capsys):
    book = openpyxl.load_workbook(filled, keep_vba=True)
    book["预算执行"]["A4"] = "年初支出"
    book.save(filled)
    assert "工作表「预算执行」单元格A4：此处应为「年初预算支出」，实际为「年初支出」" in _refused(filled, capsys)


def test_a_missing_sheet_is_refused(filled, capsys):
    book = openpyxl.load_workbook(filled, keep_vba=True)
    del book["项目资金"]
    book.save(filled)
    assert "工作簿缺少工作表「项目资金」" in _refused(filled, capsys)


def test_a_workbook_of_a_newer_template_is_refused(filled, capsys):
    from openpyxl.workbook.defined_name import DefinedName

    book = openpyxl.load_workbook(filled, keep_vba=True)
    book.defined_names[L.LAYOUT_VERSION_NAME] = DefinedName(L.LAYOUT_VERSION_NAME, attr_text="99")
    book.save(filled)
    err = _refused(filled, capsys)
    assert "模板布局版本99" in err and "请先升级绩效自评助手" in err


def test_an_official_table_and_a_damaged_file_are_refused(tmp_path, capsys):
    official = tmp_path / "官方.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "项目支出绩效自评表"
    book.save(official)
    err = _refused(official, capsys)
    assert "不是绩效自评助手的填报工作簿" in err and "ziping import" in err
    damaged = tmp_path / "坏.xlsm"
    damaged.write_bytes(b"PK\x03\x04 not really a zip")
    assert "文件已损坏" in _refused(damaged, capsys)


def test_a_workbook_open_in_libreoffice_is_not_refreshed_in_place(filled, capsys):
    (filled.parent / f".~lock.{filled.name}#").write_text("user,host", encoding="utf-8")
    assert "正在被 LibreOffice、WPS 或 Excel 打开" in _refused(filled, capsys)


def test_an_output_without_xlsm_is_refused(filled, capsys):
    assert "应以 .xlsm 结尾" in _refused(filled, capsys, "-o", str(filled.with_name("out.xlsx")))


def test_a_failed_write_leaves_the_workbook_as_it_was(filled, monkeypatch):
    import os

    original = filled.read_bytes()
    real_replace = os.replace

    def failing(source, target):
        if Path(target) == filled:
            raise OSError(28, "No space left on device", str(target))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing)
    from addin.errors import OutputError

    with pytest.raises(OutputError, match="磁盘已满"):
        refresh_workbook(filled, now=NOW)
    assert filled.read_bytes() == original
    assert not [p for p in filled.parent.iterdir() if p.name.endswith(".tmp")]


def test_the_xlwings_settings_of_the_user_are_kept_and_the_templates_restored(tmp_path, capsys):
    copy = tmp_path / "示例.xlsm"
    book = openpyxl.load_workbook(EXAMPLE, keep_vba=True)
    conf = book["xlwings.conf"]
    conf["B1"] = r"D:\Python\pythonw.exe"  # Interpreter_Win: the user's
    conf[L.XLWINGS_CONF.field_cell("xlwings_conf", "Debug UDFs")] = True  # the template says keep FALSE
    book.save(copy)
    main(["refresh", str(copy)])
    assert "xlwings.conf 的「Debug UDFs」已恢复为模板的设置" in capsys.readouterr().out
    conf = openpyxl.load_workbook(copy)["xlwings.conf"]
    assert (conf["B1"].value, conf[L.XLWINGS_CONF.field_cell("xlwings_conf", "Debug UDFs")].value) == (r"D:\Python\pythonw.exe", False)


def test_a_changed_rule_setting_is_kept_by_its_key(tmp_path):
    copy = tmp_path / "示例.xlsm"
    book = openpyxl.load_workbook(EXAMPLE, keep_vba=True)
    profile = book["评分规则"]
    row = next(r for r in range(2, 30) if profile[f"A{r}"].value == "优等级分数线")
    profile[f"B{row}"] = 99
    book.save(copy)
    outcome = refresh_workbook(copy)
    assert openpyxl.load_workbook(copy)["评分规则"][f"B{row}"].value == 99
    assert (outcome.totals[0].total, outcome.totals[0].grade) == ("98.00", "良")


def test_text_in_an_amount_cell_gives_an_error_cell_as_excel_would(tmp_path):
    """"五百" in 决算总收入: the difference is #VALUE! (cached as an error, not text), the
    reader names the cell, and nothing raises."""
    book = openpyxl.load_workbook(EXAMPLE, keep_vba=True)
    book["预算执行"]["B8"] = "五百"
    book["预算执行"]["B10"] = datetime(2022, 1, 1)  # a date is its serial number
    path = tmp_path / "示例.xlsm"
    book.save(path)
    outcome = refresh_workbook(path)
    with zipfile.ZipFile(path) as package:
        sheet = package.read("xl/worksheets/sheet3.xml").decode()
    assert '<c r="B13" s="' in sheet and 't="e"><f>' in sheet.split('<c r="B13"')[1][:200]
    assert openpyxl.load_workbook(path, data_only=True)["预算执行"]["B13"].value == "#VALUE!"
    assert any(c.cell == "B8" and c.sheet == "预算执行" for c in outcome.rebuilt.evaluation.checks)


def test_an_empty_sheet_of_the_users_is_dropped_and_said_so(filled):
    from addin.commands.refresh import summary_lines

    book = openpyxl.load_workbook(filled, keep_vba=True)
    book.create_sheet("Sheet1")
    book.save(filled)
    outcome = refresh_workbook(filled)
    assert "Sheet1" not in openpyxl.load_workbook(filled).sheetnames
    assert "  删除了空白的工作表「Sheet1」" in summary_lines(outcome)
    again = refresh_workbook(filled)
    assert "  替换原有的生成工作表：自评表、自评报告、校验结果" in summary_lines(again)
