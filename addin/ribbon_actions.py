"""What the ribbon buttons do. VBA's OnZipingAction calls :func:`on_action` via RunPython.

Everything a user reads is decided here in plain Python (messages are built by pure
functions and unit-tested with a fake book); the xlwings/COM calls are the few lines of
:func:`_read_book`, :func:`_replace_sheets` and the alert.
Every failure ends as a Chinese message box, never a Python traceback window, and screen
updating is restored in ``finally`` (STYLE.md §7). ``udfs`` is imported lazily so that
环境自检 still runs (and says so) when the core cannot be imported.
"""

from __future__ import annotations

import sys
import tempfile
import traceback
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .errors import UserError

if TYPE_CHECKING:
    from udfs.model import Department

TITLE = "绩效自评助手"
MAX_LINES = 15  # a message box taller than the screen hides its OK button
LOG_FILE = Path(tempfile.gettempdir()) / "ziping-error.log"
# Row flags worth a line in 数据校验 (OVER_ACHIEVED alone is fine once a reason is given).
REVIEW_FLAGS = ("无法评分", "人工得分无效", "需填写偏差原因", "单位不一致", "与目标值不等需复核")
UDF_MODULE = "udfs.excel"  # what Excel imports for the 自定义函数


# --- the xlwings edge ----------------------------------------------------------------

def _read_book(book) -> tuple[Department, list]:
    """Read the caller's workbook as saved on disk, including unsaved edits (SaveCopyAs)."""
    from .reader import read_workbook

    with tempfile.TemporaryDirectory(prefix="ziping-") as temp:
        copy = Path(temp) / f"副本{Path(book.name).suffix or '.xlsm'}"
        book.api.SaveCopyAs(str(copy))
        return read_workbook(copy)


def _replace_sheets(book, department: Department, narrative: bool) -> list[str]:
    """Render with openpyxl into a temporary book, then copy those sheets into ``book``.

    Worksheet.Copy carries values, merges, styles, print setup and print titles exactly;
    only sheets this add-in generated are deleted.
    """
    from openpyxl import Workbook

    from .report import generate_sheets_into
    from .report.sheetkit import NARRATIVE_SHEET, is_generated_sheet

    rendered = Workbook()
    rendered.remove(rendered.active)
    titles = generate_sheets_into(rendered, department, narrative=narrative)
    with tempfile.TemporaryDirectory(prefix="ziping-") as temp:
        path = Path(temp) / "生成.xlsx"
        rendered.save(path)
        source = book.app.books.open(str(path))
        try:
            for sheet in list(book.sheets):
                if is_generated_sheet(sheet.name) and (narrative or sheet.name != NARRATIVE_SHEET):
                    sheet.delete()
            for title in titles:
                source.sheets[title].copy(after=book.sheets[-1], name=title)
        finally:
            source.close()
    book.sheets[titles[0]].activate()
    return titles


@contextmanager
def _quiet(app):
    """Screen updating off while sheets are rebuilt, always restored."""
    before = app.screen_updating
    app.screen_updating = False
    try:
        yield
    finally:
        app.screen_updating = before


# --- the buttons ---------------------------------------------------------------------

def _problem_summary(problems: list) -> str:
    errors = sum(1 for p in problems if p.is_error)
    if not problems:
        return ""
    return f"\n\n注意：数据中有{len(problems)}个问题（其中错误{errors}个），请点击“数据校验”查看。"


def generate_table(book) -> str:
    department, problems = _read_book(book)
    titles = _replace_sheets(book, department, narrative=False)
    return table_message(department, titles) + _problem_summary(problems)


def generate_report(book) -> str:
    from .report import output_paths, score_department
    from .report.docx import write_docx
    from .report.narrative import build_narrative

    folder = Path(book.fullname).parent
    if not folder.is_dir() or folder == Path("."):
        raise UserError("请先保存工作簿：自评报告将保存在工作簿所在的文件夹")
    department, problems = _read_book(book)
    titles = _replace_sheets(book, department, narrative=True)
    narrative = build_narrative(department, score_department(department))
    docx_path = write_docx(narrative, output_paths(department, folder)[1])
    return (f"已生成自评报告：\n{docx_path}\n\n已更新工作表：{'、'.join(titles)}"
            + _problem_summary(problems))


def validate(book) -> str:
    department, problems = _read_book(book)
    return validation_message(validation_lines(department, problems))


def self_check(vba_xlwings_version: str) -> str:
    import importlib

    import xlwings

    try:
        importlib.import_module(UDF_MODULE)
        udfs_error = ""
    except Exception as error:  # noqa: BLE001 - reported to the user
        udfs_error = f"{type(error).__name__}: {error}"
    return self_check_message(sys.executable, sys.version.split()[0], xlwings.__version__,
                              vba_xlwings_version, udfs_error)


BOOK_HANDLERS: dict[str, Callable[[object], str]] = {
    "btnGenerateTable": generate_table,
    "btnGenerateReport": generate_report,
    "btnValidate": validate,
}
SELF_CHECK = "btnSelfCheck"


def on_action(control_id: str, vba_xlwings_version: str = "", book=None) -> str:
    """Run the button ``control_id`` and show its result; returns the message shown.

    ``vba_xlwings_version`` is the xlwings DLL version the workbook's VBA was built for,
    passed by the ribbon module (reading VBA code from Python would need a Trust Center
    setting locked-down PCs do not have).
    """
    if book is None:
        import xlwings as xw

        book = xw.Book.caller()
    mode = "info"
    try:
        if control_id == SELF_CHECK:
            message = self_check(vba_xlwings_version)
        elif control_id in BOOK_HANDLERS:
            with _quiet(book.app):
                message = BOOK_HANDLERS[control_id](book)
        else:
            raise UserError(f"未知的按钮“{control_id}”，请重新安装绩效自评助手")
    except UserError as error:
        message, mode = str(error), "critical"
    except Exception as error:  # noqa: BLE001 - the user must see a message, not a traceback
        message, mode = internal_error_message(error), "critical"
    book.app.alert(message, title=TITLE, mode=mode)
    return message


# --- messages (pure) -----------------------------------------------------------------

def internal_error_message(error: BaseException) -> str:
    """Log the traceback for support and tell the user where it is."""
    try:
        LOG_FILE.write_text("".join(traceback.format_exception(error)), encoding="utf-8")
        where = f"详细信息已保存到：{LOG_FILE}"
    except OSError:
        where = "无法保存详细信息"
    return f"发生内部错误（{type(error).__name__}：{error}）。\n{where}\n请将该文件发送给技术支持。"


def table_message(department: Department, titles: list[str]) -> str:
    from udfs.numbers import score_text

    from .report import score_department

    lines = [f"已生成工作表：{'、'.join(titles)}"]
    for result in score_department(department):
        lines.append(f"“{result.project.name}”总分{score_text(result.total)}分，等级“{result.grade}”")
    return "\n".join(lines)


def validation_lines(department: Department, problems: list) -> list[str]:
    """Reading problems, then every scored row that needs the user's attention."""
    from .report import score_department

    lines = [str(p) for p in problems]
    if not department.projects:
        return lines + ["[错误] 没有找到项目数据，无法生成自评表"]
    for result in score_department(department):
        for row in result.indicators:
            flags = [f.value for f in row.flags if f.value in REVIEW_FLAGS]
            if flags:
                where = row.indicator.origin or f"{row.indicator.level2}“{row.indicator.level3}”"
                lines.append(f"[提示] {where}：{'、'.join(flags)}")
        if result.funds.rate is None:
            lines.append(f"[错误] “{result.project.name}”项目资金：{result.funds.message}")
    return lines


def validation_message(lines: list[str]) -> str:
    if not lines:
        return "数据校验通过：未发现问题。"
    shown = lines[:MAX_LINES]
    more = f"\n……另有{len(lines) - MAX_LINES}个问题" if len(lines) > MAX_LINES else ""
    return f"发现{len(lines)}个问题：\n" + "\n".join(shown) + more


def self_check_message(python: str, python_version: str, xlwings_version: str, vba_version: str,
                       udfs_error: str) -> str:
    lines = [f"绩效自评助手版本：{__version__}", f"Python：{python}（{python_version}）",
             f"xlwings（Python）：{xlwings_version}"]
    if not vba_version:
        lines.append("xlwings（VBA）：未知（工作簿不是由本版本的绩效自评助手生成，请改用新的模板）")
    elif vba_version == xlwings_version:
        lines.append(f"xlwings（VBA）：{vba_version}，与 Python 一致")
    else:
        lines.append(f"xlwings（VBA）：{vba_version}，与 Python 的 {xlwings_version} 不一致！"
                     f"请执行 pip install xlwings=={vba_version} 或重新安装加载项")
    lines.append(f"{UDF_MODULE} 模块：导入失败（{udfs_error}）" if udfs_error else f"{UDF_MODULE} 模块：可以导入")
    ok = not udfs_error and vba_version == xlwings_version
    lines.append("结论：环境正常。" if ok else "结论：环境有问题，请按上面的提示处理。")
    return "\n".join(lines)
