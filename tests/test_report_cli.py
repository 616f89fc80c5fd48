"""Front ends: ``ziping demo`` / ``ziping report`` and the ribbon buttons (with a fake book)."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from openpyxl import load_workbook

from addin import layout as L
import addin.reading.workbook
import addin.ribbon_actions as ribbon
from addin.cli import main
from addin.demo import load_demo
from addin.errors import UserError
from addin.checks import ERROR, WARNING, Check
from addin.template.build import build_template


def table_total(xlsx: Path) -> object:
    ws = load_workbook(xlsx)["自评表"]
    row = next(c.row for c in ws["A"] if c.value == "总分")
    return ws.cell(row, 8).value


def test_demo_writes_files_and_lists_them_in_chinese(tmp_path, capsys):
    assert main(["demo", "-o", str(tmp_path), "--no-pdf"]) == 0
    out = capsys.readouterr().out
    xlsx = tmp_path / "衡山县市场监督管理局_2022_自评表.xlsx"
    docx = tmp_path / "衡山县市场监督管理局_2022_自评报告.docx"
    whole = tmp_path / "衡山县市场监督管理局_2022_部门整体自评表.xlsx"  # the seed fills the 部门整体 sheets
    assert xlsx.is_file() and docx.is_file() and whole.is_file()
    assert out.splitlines() == ["已生成：", f"  自评表工作簿：{xlsx}", f"  自评报告（Word）：{docx}",
                                f"  部门整体自评表工作簿：{whole}"]
    assert load_workbook(xlsx).sheetnames == ["自评表", "自评报告"]
    assert table_total(xlsx) == 98


def test_report_reads_a_filled_workbook(tmp_path, capsys):
    workbook = tmp_path / "填报.xlsm"
    workbook.write_bytes(build_template(load_demo()))
    assert main(["report", str(workbook), "-o", str(tmp_path / "out"), "--no-pdf"]) == 0
    assert table_total(tmp_path / "out" / "衡山县市场监督管理局_2022_自评表.xlsx") == 98
    assert "已生成" in capsys.readouterr().out


def test_report_with_errors_still_writes_and_exits_1(tmp_path, capsys):
    """``report`` runs the checks of ``score``: a weight typed as "五" is named at its cell,
    the row is printed as typed and flagged, the output lists the findings, exit code 1."""
    workbook = tmp_path / "x.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(build_template(load_demo())))
    weight = f"{L.table_of(L.INDICATORS.placed()[-1].block).letter('weight')}3"
    book[L.INDICATORS.name][weight] = "五"
    book.save(workbook)
    assert main(["report", str(workbook), "-o", str(tmp_path / "out"), "--no-pdf"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert f"[错误] 工作表「绩效指标」单元格{weight}：分值「五」不是数字" in err
    assert "处错误" in err[-1]
    table = openpyxl.load_workbook(tmp_path / "out" / "衡山县市场监督管理局_2022_自评表.xlsx")
    assert table.sheetnames[-1] == "校验结果" and table.sheetnames[0] == "自评表"
    printed = [[cell.value for cell in row] for row in table["自评表"].iter_rows()]
    row = next(r for r in printed if r[3] == "食品安全检验" and r[4] == "1124批次")
    assert (row[6], row[7]) == ("五", "无法评分")
    listed = [[cell.value for cell in r] for r in table["校验结果"].iter_rows(min_row=2)]
    assert ["错误", "绩效指标", weight, "分值「五」不是数字"] in listed


def test_report_missing_workbook_is_one_chinese_line(tmp_path, capsys):
    assert main(["report", str(tmp_path / "无.xlsm"), "-o", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == f"错误：找不到工作簿“{tmp_path / '无.xlsm'}”"


# --- ribbon buttons -------------------------------------------------------------------

class FakeApp:
    def __init__(self) -> None:
        self.screen_updating = True
        self.alerts: list[tuple[str, str, str]] = []

    def alert(self, prompt, title=None, buttons="ok", mode=None, callback=None):
        assert self.screen_updating is True  # restored before the user reads the message
        self.alerts.append((prompt, title, mode))
        return "ok"


def fake_book(fullname: str = "C:/财政/填报.xlsm") -> SimpleNamespace:
    return SimpleNamespace(app=FakeApp(), name=Path(fullname).name, fullname=fullname, api=SimpleNamespace())


@pytest.fixture
def seed_book(monkeypatch):
    """A book whose reading gives the seed and whose sheet installing is recorded."""
    installed: list[list[str]] = []
    monkeypatch.setattr(ribbon, "_evaluate_book", lambda book: seed_evaluation())

    def install(book, rendered, replaced):
        installed.append(rendered.sheetnames)
        book.rendered = rendered
        return rendered.sheetnames

    monkeypatch.setattr(ribbon, "_install_sheets", install)
    book = fake_book()
    book.installed = installed
    book.fitted = []  # print areas re-fitted (the COM side is tested in test_template_guidance)
    monkeypatch.setattr(ribbon, "_fit_print_areas", lambda b: b.fitted.append(b.installed[-1]) or "")
    book.sheets = [SimpleNamespace(name=name) for name in ("项目", "绩效指标", "工作成效")]
    return book


def seed_evaluation(problems: tuple = ()):
    from addin.checks import template_origins
    from addin.importer.evaluate import TEMPLATE, evaluate_department

    return evaluate_department(Path("填报.xlsm"), TEMPLATE, load_demo(), problems, template_origins())


def test_generate_table_replaces_sheets_and_reports_the_score(seed_book):
    message = ribbon.on_action("btnGenerateTable", book=seed_book)
    assert message == ("已生成工作表：自评表\n“市场监督管理”总分98分，等级“优”\n\n"
                       "注意：数据中有4个问题（其中错误0个），请点击“数据校验”查看。")
    assert seed_book.app.alerts == [(message, "绩效自评助手", "info")]
    assert seed_book.installed == [["自评表"]] and seed_book.fitted == [["自评表"]]


def test_generate_report_writes_docx_next_to_the_workbook(seed_book, tmp_path):
    seed_book.fullname = str(tmp_path / "填报.xlsm")
    message = ribbon.on_action("btnGenerateReport", book=seed_book)
    docx = tmp_path / "衡山县市场监督管理局_2022_自评报告.docx"
    assert docx.is_file() and str(docx) in message and "自评表、自评报告" in message
    assert seed_book.installed == [["自评表", "自评报告"]] and seed_book.fitted == [["自评表", "自评报告"]]


def test_generate_report_of_an_unsaved_book_asks_to_save(seed_book):
    seed_book.fullname = "工作簿1"
    message = ribbon.on_action("btnGenerateReport", book=seed_book)
    assert message == "请先保存工作簿：自评报告将保存在工作簿所在的文件夹"
    assert seed_book.app.alerts[-1][2] == "critical"


def test_validate_lists_every_check_and_links_them_on_the_check_sheet(seed_book, monkeypatch):
    problems = (Check(ERROR, "绩效指标", "F9", "实际完成值为空"),)
    monkeypatch.setattr(ribbon, "_evaluate_book", lambda book: seed_evaluation(problems))
    message = ribbon.on_action("btnValidate", book=seed_book)
    lines = message.splitlines()
    assert lines[0].startswith("发现") and "校验结果" in lines[0]
    assert lines[1] == "[错误] 工作表「绩效指标」单元格F9：实际完成值为空"
    assert any("393.2" in line for line in lines)  # the narrative disagrees with the table
    sheet = seed_book.rendered["校验结果"]
    assert seed_book.installed == [["校验结果"]]
    assert sheet["C2"].value == "F9" and sheet["C2"].hyperlink.location == "'绩效指标'!F9"


def test_validation_message_is_short_enough_for_a_message_box():
    assert ribbon.validation_message(()) == "数据校验通过：未发现问题。"
    message = ribbon.validation_message(tuple(Check(WARNING, "", "", f"问题{i}") for i in range(40)))
    assert len(message.splitlines()) == ribbon.MAX_LINES + 2 and message.endswith("……另有25个问题")


def test_unknown_button_and_user_errors_become_critical_messages(seed_book, monkeypatch):
    assert "未知的按钮“btnNope”" in ribbon.on_action("btnNope", book=seed_book)

    def refuse(book):
        raise UserError("应为数字", sheet="绩效指标", cell="G5")

    monkeypatch.setattr(ribbon, "_evaluate_book", refuse)
    assert ribbon.on_action("btnGenerateTable", book=seed_book) == "工作表「绩效指标」单元格G5：应为数字"
    assert [mode for _, _, mode in seed_book.app.alerts] == ["critical", "critical"]


def test_internal_error_is_a_message_with_a_log_not_a_traceback(seed_book, monkeypatch, tmp_path):
    monkeypatch.setattr(ribbon, "LOG_FILE", tmp_path / "ziping-error.log")
    monkeypatch.setattr(ribbon, "_evaluate_book", lambda book: 1 / 0)
    message = ribbon.on_action("btnValidate", book=seed_book)
    assert message.startswith("发生内部错误（ZeroDivisionError：division by zero）")
    assert str(tmp_path / "ziping-error.log") in message
    assert "Traceback" in (tmp_path / "ziping-error.log").read_text(encoding="utf-8")
    assert seed_book.app.screen_updating is True


def test_self_check_reports_python_pywin32_xlwings_and_our_package_last():
    import xlwings

    message = ribbon.on_action("btnSelfCheck", xlwings.__version__, book=fake_book())
    lines = message.splitlines()
    assert f"Excel 使用的 Python：{sys.executable}（本次运行的 Python）" in lines
    labels = [line.split("] ", 1)[1].split("：")[0] for line in lines if line.startswith("[")]
    assert labels == ["Python 路径（Interpreter_Win）", "Python", "pywin32", "xlwings", "xlwings DLL", "绩效自评助手"]
    assert f"[通过] xlwings：{xlwings.__version__}" in lines and "[跳过] pywin32：仅 Windows 需要" in lines
    assert message.endswith("结论：环境正常，Excel 中的按钮和函数可以使用。")


def test_self_check_names_a_vba_version_mismatch_and_its_fix():
    import xlwings

    message = ribbon.on_action("btnSelfCheck", "0.30.0", book=fake_book())
    assert f"[未通过] xlwings：{xlwings.__version__}" in message
    assert f'"{sys.executable}" -m pip install xlwings==0.30.0' in message
    assert message.endswith("结论：环境有问题，Excel 中的按钮和函数不能使用。")
    unknown = ribbon.on_action("btnSelfCheck", "", book=fake_book())
    assert "xlwings（VBA）：未知" in unknown


def test_the_ribbon_module_passes_the_embedded_xlwings_version_to_python():
    from addin.template.vba import vba_modules, xlwings_vba_version

    code = next(module.code for module in vba_modules() if module.name == "ZipingRibbon")
    assert f'XLWINGS_DLL_VERSION As String = "{xlwings_vba_version()}"' in code
    assert "r.on_action('\" & controlId & \"', '\" _\n        & XLWINGS_DLL_VERSION & \"')\")" in code


def test_report_never_overwrites_its_input_named_like_an_output(tmp_path, capsys):
    """A filled workbook saved as our output name, in the output folder, stays as it was."""
    workbook = tmp_path / "衡山县市场监督管理局_2022_自评表.xlsx"
    workbook.write_bytes(build_template(load_demo()))
    before = workbook.read_bytes()
    assert main(["report", str(workbook), "-o", str(tmp_path), "--no-pdf"]) == 2
    assert "不能与输入文件相同" in capsys.readouterr().err
    assert workbook.read_bytes() == before
    assert not (tmp_path / "衡山县市场监督管理局_2022_自评报告.docx").exists()  # nothing half-done


@pytest.mark.parametrize("output", ["file", "file/sub"])
def test_output_folder_that_is_a_file_is_one_chinese_line(tmp_path, capsys, output):
    """mkdir and the temp file fail with FileExistsError/NotADirectoryError: no traceback."""
    (tmp_path / "file").write_text("不是文件夹")
    target = tmp_path / output
    assert main(["demo", "-o", str(target), "--no-pdf"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("错误：无法写入“") and f"“{tmp_path / 'file'}”是文件而不是文件夹" in err
    assert len(err.splitlines()) == 1


def test_dates_times_booleans_and_error_values_in_any_input_cell_never_crash_an_output(tmp_path):
    """Every output path (report: 自评表, 自评报告, 校验结果; score --json) takes odd cells in its stride:
    each is named at its cell, printed as the cell shows it, and the JSON stays JSON (ISO dates)."""
    import json
    import subprocess
    from datetime import datetime, time

    book = openpyxl.load_workbook(io.BytesIO(build_template(load_demo())))
    table = L.table_of(L.INDICATORS.placed()[-1].block)
    ws = book[L.INDICATORS.name]
    odd = {"target": True, "actual": time(9, 30), "weight": datetime(2023, 5, 20), "reason": datetime(2023, 6, 1)}
    for offset, (key, value) in enumerate(odd.items()):
        ws[f"{table.letter(key)}{3 + offset}"] = value
    ws[f"{table.letter('actual')}8"] = "#N/A"
    book[L.FUNDS.name]["E2"] = datetime(2023, 12, 31)
    book[L.INFO.name][L.INFO.field_cell("info", "report_date")] = datetime(2023, 8, 5)
    path = tmp_path / "怪.xlsx"
    book.save(path)
    for args in (["report", str(path), "-o", str(tmp_path / "out"), "--no-pdf"], ["score", str(path), "--json"]):
        done = subprocess.run([sys.executable, "-m", "addin", *args], capture_output=True, text=True, timeout=120)
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr + done.stdout
    data = json.loads(done.stdout)
    rows = data["indicators"]
    assert any(row["weight_text"] == "2023-05-20 0:00:00" and row["score"] is None for row in rows)
    assert any(row["actual_value"] == "09:30:00" and row["actual"] == "9:30:00" for row in rows)
    cells = {(c["sheet"], c["cell"]) for c in data["checks"]}
    assert ("绩效指标", f"{table.letter('weight')}5") in cells and ("项目资金", "E2") in cells
    assert (tmp_path / "out" / "衡山县市场监督管理局_2022_自评报告.docx").exists()
