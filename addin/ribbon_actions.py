"""What the ribbon buttons do. VBA's OnZipingAction calls :func:`on_action` via RunPython.

Everything a user reads is decided here in plain Python (messages are built by pure
functions and unit-tested with a fake book); the xlwings/COM calls are the few lines of
:func:`_evaluate_book`, :func:`_install_sheets`, :func:`_fit_print_areas` and the alert.
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
    from udfs.model import Department, ProjectResult

    from .checks import Check
    from .envcheck import CheckResult
    from .importer.evaluate import Evaluation

TITLE = "绩效自评助手"
MAX_LINES = 15  # a message box taller than the screen hides its OK button
LOG_FILE = Path(tempfile.gettempdir()) / "ziping-error.log"


# --- the xlwings edge ----------------------------------------------------------------

def _evaluate_book(book) -> Evaluation:
    """Read and check the caller's workbook as saved on disk, including unsaved edits
    (SaveCopyAs), exactly as ``ziping score`` would."""
    from .importer.evaluate import evaluate_file

    with tempfile.TemporaryDirectory(prefix="ziping-") as temp:
        copy = Path(temp) / f"副本{Path(book.name).suffix or '.xlsm'}"
        book.api.SaveCopyAs(str(copy))
        return evaluate_file(copy)


def _install_sheets(book, rendered, replaced: Callable[[str], bool]) -> list[str]:
    """Copy every sheet of the openpyxl workbook ``rendered`` into ``book``, after deleting
    the sheets of ``book`` that ``replaced`` selects (only ones this add-in generated).

    Worksheet.Copy carries values, merges, styles, links, print setup and print titles.
    """
    titles = rendered.sheetnames
    with tempfile.TemporaryDirectory(prefix="ziping-") as temp:
        path = Path(temp) / "生成.xlsx"
        rendered.save(path)
        source = book.app.books.open(str(path))
        try:
            for sheet in list(book.sheets):
                if replaced(sheet.name):
                    sheet.delete()
            for title in titles:
                source.sheets[title].copy(after=book.sheets[-1], name=title)
        finally:
            source.close()
    book.sheets[titles[0]].activate()
    return titles


def _fit_print_areas(book) -> str:
    """Re-fit the input tables' print areas to the filled rows (the xlwings side of
    :func:`addin.template.print_areas.fit_print_areas`); returns a note when it could not.

    Printing is secondary to the generated sheets, so a refusal by Excel is reported in the
    message rather than undoing the generation.
    """
    from .template.print_areas import fitted_sheets, print_area_ref

    layouts = {layout.name: layout for layout in fitted_sheets()}
    try:
        for sheet in book.sheets:
            layout = layouts.get(sheet.name)
            if layout is None:
                continue
            last = sheet.used_range.last_cell.row
            values = sheet.range((1, 1), (last, len(layout.widths()))).options(ndim=2).value
            sheet.page_setup.print_area = print_area_ref(layout, values) or ""  # "" clears it
    except Exception as error:  # noqa: BLE001 - reported in the message, generation stands
        return f"\n\n未能更新输入表的打印区域（{type(error).__name__}：{error}），打印前请在“页面布局→打印区域”中设置。"
    return ""


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

def _problem_summary(checks: tuple[Check, ...]) -> str:
    if not checks:
        return ""
    errors = sum(1 for check in checks if check.is_error)
    return f"\n\n注意：数据中有{len(checks)}个问题（其中错误{errors}个），请点击“数据校验”查看。"


def _install_generated(book, department: Department, narrative: bool) -> list[str]:
    """Render the 自评表 (and 自评报告) sheets and put them into ``book``."""
    from openpyxl import Workbook

    from .report import generate_sheets_into
    from .report.sheetkit import NARRATIVE_SHEET, is_generated_sheet

    rendered = Workbook()
    rendered.remove(rendered.active)
    generate_sheets_into(rendered, department, narrative=narrative)
    return _install_sheets(book, rendered,
                           lambda name: is_generated_sheet(name) and (narrative or name != NARRATIVE_SHEET))


def generate_table(book) -> str:
    evaluation = _evaluate_book(book)
    titles = _install_generated(book, evaluation.department, narrative=False)
    return table_message(evaluation.results, titles) + _problem_summary(evaluation.checks) + _fit_print_areas(book)


def generate_report(book) -> str:
    from .report import output_paths
    from .report.docx import write_docx
    from .report.narrative import build_narrative

    folder = Path(book.fullname).parent
    if not folder.is_dir() or folder == Path("."):
        raise UserError("请先保存工作簿：自评报告将保存在工作簿所在的文件夹")
    evaluation = _evaluate_book(book)
    titles = _install_generated(book, evaluation.department, narrative=True)
    narrative = build_narrative(evaluation.department, evaluation.results)
    docx_path = write_docx(narrative, output_paths(evaluation.department, folder)[1])
    return (f"已生成自评报告：\n{docx_path}\n\n已更新工作表：{'、'.join(titles)}"
            + _problem_summary(evaluation.checks) + _fit_print_areas(book))


def validate(book) -> str:
    """Run every check and list them on the 校验结果 sheet, each linked to its cell."""
    from openpyxl import Workbook

    from .checks import CHECK_SHEET, write_check_sheet

    evaluation = _evaluate_book(book)
    rendered = Workbook()
    rendered.remove(rendered.active)
    write_check_sheet(rendered, evaluation.checks, link_sheets=[sheet.name for sheet in book.sheets])
    _install_sheets(book, rendered, lambda name: name == CHECK_SHEET)
    return validation_message(evaluation.checks)


def self_check(vba_xlwings_version: str) -> str:
    """The Python half of 环境自检, run inside the Python Excel started.

    The VBA half has already run each check as a separate process (and stopped there if one
    failed); here the same checks run in this interpreter and print versions and paths.
    """
    from .envcheck import in_process_runner, pinned_xlwings_version, run_checks

    required = vba_xlwings_version or pinned_xlwings_version()
    results = run_checks(sys.executable, required, runner=in_process_runner())
    return self_check_message(results, sys.executable, vba_xlwings_version, required)


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


def table_message(results: tuple[ProjectResult, ...], titles: list[str]) -> str:
    from udfs.numbers import score_text

    lines = [f"已生成工作表：{'、'.join(titles)}"]
    lines += [f"“{result.project.name}”总分{score_text(result.total)}分，等级“{result.grade}”" for result in results]
    return "\n".join(lines)


def validation_message(checks: tuple[Check, ...]) -> str:
    if not checks:
        return "数据校验通过：未发现问题。"
    shown = "\n".join(str(check) for check in checks[:MAX_LINES])
    more = f"\n……另有{len(checks) - MAX_LINES}个问题" if len(checks) > MAX_LINES else ""
    return f"发现{len(checks)}个问题（详见“校验结果”工作表）：\n{shown}{more}"


def self_check_message(results: tuple[CheckResult, ...], interpreter: str, vba_version: str,
                       required: str) -> str:
    from .envcheck import report_lines
    from .layout import interpreter_cell

    lines = [f"绩效自评助手版本：{__version__}"]
    if not vba_version:
        lines.append("xlwings（VBA）：未知（工作簿不是由本版本的绩效自评助手生成，请用 ziping new 新建工作簿）")
    lines += report_lines(results, interpreter, required, interpreter_cell(), "本次运行的 Python")
    return "\n".join(lines)
