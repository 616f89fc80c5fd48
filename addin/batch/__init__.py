"""Score every workbook in a folder: what a finance bureau does with hundreds of 自评表.

Files are evaluated in worker processes (:func:`addin.batch.workers.run_each`), each returning a
small picklable :class:`FileOutcome` (summary rows and checks, not the model). One bad
file never stops the batch: a file that cannot be read becomes a row of the 失败 sheet
with its Chinese reason; a file that takes longer than the per-file time limit (default
:data:`DEFAULT_TIMEOUT` seconds, ``ziping batch --timeout``) has its worker stopped and is
listed there too, as is a file whose worker dies (a crash in a parser's C code). Entries of
the folder that are not regular files (a FIFO, a device, a symbolic-link loop, a dangling
link) are listed with their reason, never skipped silently and never opened in a way that
could block. The summary workbook is written atomically.
"""

from __future__ import annotations

import functools
import io
import os
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterable

from udfs.numbers import to_float

from ..checks import ERROR, Check
from ..commands.batch import DEFAULT_TIMEOUT  # seconds per file; a real 自评表 takes well under one
from ..errors import UserError
from ..importer.evaluate import evaluate_file
from ..refresh.backup import is_refresh_backup
from ..reading.safe_open import write_atomically
from .workers import Crashed, Done, Raised, TimedOut, run_each

EXTENSIONS = (".xlsx", ".xlsm", ".xls")
SUMMARY_HEADERS = ("部门", "项目", "年度", "总分", "等级", "执行率", "错误数", "警告数", "文件")
GRADES = ("优", "良", "中", "差")
CRASHED = "读取此文件时处理进程异常退出，文件可能已损坏"
OUT_OF_MEMORY = "处理此文件时内存不足，文件可能过大或内容异常"


@dataclass(frozen=True)
class SummaryRow:
    department: str
    project: str
    year: int | None
    total: Decimal
    grade: str
    rate: Decimal | None
    errors: int
    warnings: int
    file: str


@dataclass(frozen=True)
class FileOutcome:
    file: str
    rows: tuple[SummaryRow, ...] = ()
    checks: tuple[Check, ...] = ()
    failure: str = ""  # Chinese reason when the file could not be read


def find_inputs(folder: Path, exclude: Iterable[Path] = ()) -> list[Path]:
    """Every entry of ``folder`` named like a workbook, sorted, whatever kind of file it is
    (what is not a regular file fails with its reason when evaluated); Excel's "~$" lock
    files and the backups ``ziping refresh`` leaves are not workbooks to count. Only names
    and links are looked at here, nothing is opened."""
    excluded = {_identity(path) for path in exclude} - {None}
    return sorted(path for path in folder.iterdir()
                  if path.suffix.lower() in EXTENSIONS and not path.name.startswith("~$")
                  and not is_refresh_backup(path.name)
                  and (_identity(path) is None or _identity(path) not in excluded))


def _identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of what ``path`` leads to; None for a link that leads nowhere."""
    try:
        info = path.stat()
    except (OSError, RuntimeError):
        return None
    return info.st_dev, info.st_ino


def evaluate_one(path: Path, engine: str = "auto") -> FileOutcome:
    """Never raises: the worker's whole job, with every failure turned into a reason."""
    try:
        evaluation = evaluate_file(path, engine)
    except UserError as error:
        return FileOutcome(path.name, failure=str(error).removeprefix(f"“{path.name}”："))
    except MemoryError:  # the worker's address space is capped (addin.batch.workers)
        return FileOutcome(path.name, failure=OUT_OF_MEMORY)
    except Exception as error:  # noqa: BLE001 - one bad file must not stop the batch
        return FileOutcome(path.name, failure=f"内部错误（{type(error).__name__}），请将此文件发给技术支持")
    if not evaluation.results:
        return FileOutcome(path.name, checks=evaluation.checks, failure="工作簿中没有可计分的项目")
    department = evaluation.department
    rows = []
    for result, own in zip(evaluation.results, evaluation.project_checks):
        checks = (*evaluation.shared_checks, *own)
        errors = sum(1 for check in checks if check.severity == ERROR)
        rows.append(SummaryRow(department.name, result.project.name, department.year or None, result.total,
                               result.grade, result.funds.rate, errors, len(checks) - errors, path.name))
    return FileOutcome(path.name, tuple(rows), evaluation.checks)


def run_batch(paths: list[Path], workers: int | None = None, engine: str = "auto",
              progress: Callable[[int, int], None] = lambda done, total: None,
              timeout: float = DEFAULT_TIMEOUT) -> list[FileOutcome]:
    """Evaluate ``paths`` in parallel, each within ``timeout`` seconds; outcomes in input order."""
    if not paths:
        return []
    work = functools.partial(evaluate_one, engine=engine)
    outcomes = run_each(paths, work, workers or os.cpu_count() or 2, timeout, progress)
    return [_outcome(path, outcome) for path, outcome in zip(paths, outcomes)]


def _outcome(path: Path, outcome) -> FileOutcome:
    if isinstance(outcome, Done):
        return outcome.value
    if isinstance(outcome, TimedOut):
        return FileOutcome(path.name, failure=f"处理时间超过{outcome.seconds:g}秒，已停止处理此文件"
                                              "（文件可能过大或内容异常；时限可用 --timeout 调整）")
    if isinstance(outcome, Raised) and outcome.name == "MemoryError":
        return FileOutcome(path.name, failure=OUT_OF_MEMORY)
    if isinstance(outcome, (Crashed, Raised)):
        return FileOutcome(path.name, failure=CRASHED)
    raise TypeError(outcome)


class TextProgress:
    """"批量评分 [#####-----] 52/100" on stderr, redrawn in place; no dependency needed."""

    def __init__(self, width: int = 30) -> None:
        self.width = width

    def __call__(self, done: int, total: int) -> None:
        filled = self.width * done // max(total, 1)
        sys.stderr.write(f"\r批量评分 [{'#' * filled}{'-' * (self.width - filled)}] {done}/{total}")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()


# --- the summary workbook --------------------------------------------------------------------

SUMMARY_SHEETS = ("汇总", "等级分布", "问题清单", "失败")  # the summary workbook, in this order


def summary_workbook(outcomes: list[FileOutcome]) -> bytes:
    """汇总 (one row per project, score bar chart), 等级分布 (bar + pie), 问题清单, 失败."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    summary = book.active
    summary.title = SUMMARY_SHEETS[0]
    rows = [row for outcome in outcomes for row in outcome.rows]
    _table(summary, SUMMARY_HEADERS, ((r.department, r.project, r.year, to_float(r.total), r.grade, to_float(r.rate),
                                       r.errors, r.warnings, r.file) for r in rows), (24, 24, 8, 8, 6, 10, 8, 8, 36))
    for row in summary.iter_rows(min_row=2, min_col=6, max_col=6):
        row[0].number_format = "0.00%"
    for row in summary.iter_rows(min_row=2, min_col=7, max_col=7):
        if row[0].value:
            row[0].font = Font(color="C00000", bold=True)
    if rows:
        _score_chart(summary, len(rows))
    grades = book.create_sheet(SUMMARY_SHEETS[1])
    _table(grades, ("等级", "项目数"), ((g, sum(1 for r in rows if r.grade == g)) for g in GRADES), (8, 10))
    _grade_charts(grades)
    problems = book.create_sheet(SUMMARY_SHEETS[2])
    _table(problems, ("文件", "级别", "工作表", "单元格", "说明"),
           ((o.file, c.label, c.sheet, c.cell, c.message) for o in outcomes for c in o.checks), (36, 6, 14, 8, 100))
    failed = book.create_sheet(SUMMARY_SHEETS[3])
    _table(failed, ("文件", "原因"), ((o.file, o.failure) for o in outcomes if o.failure), (36, 100))
    for sheet in book.worksheets:
        for cell in sheet[1]:
            cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
        sheet.freeze_panes = "A2"
        _print_landscape_one_page_wide(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _table(sheet, headers, rows, widths) -> None:
    """Headers and rows; every value through :func:`set_value`, so a 部门名称 or file name
    typed as "=HYPERLINK(…)" stays text instead of becoming a live formula in 汇总."""
    from openpyxl.utils import get_column_letter

    from ..report.sheetkit import set_value

    for row_index, row in enumerate((headers, *rows), start=1):
        for column, value in enumerate(row, start=1):
            set_value(sheet.cell(row_index, column), value)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _print_landscape_one_page_wide(sheet) -> None:
    """Bureaus print the summary: A4 landscape, all columns on one page, header repeated."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def _score_chart(sheet, count: int) -> None:
    from openpyxl.chart import BarChart, Reference

    chart = BarChart()
    chart.type, chart.title, chart.y_axis.title = "col", "各项目总分", "总分"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
    chart.add_data(Reference(sheet, min_col=4, min_row=1, max_row=count + 1), titles_from_data=True)
    # 部门 and 项目 together: many departments have a project of the same name.
    chart.set_categories(Reference(sheet, min_col=1, max_col=2, min_row=2, max_row=count + 1))
    chart.legend = None
    chart.width, chart.height = max(16, min(count, 200) * 0.6), 9
    sheet.add_chart(chart, "K2")


def _grade_charts(sheet) -> None:
    from openpyxl.chart import BarChart, PieChart, Reference

    data = Reference(sheet, min_col=2, min_row=1, max_row=len(GRADES) + 1)
    labels = Reference(sheet, min_col=1, min_row=2, max_row=len(GRADES) + 1)
    bar = BarChart()
    bar.title, bar.y_axis.title, bar.legend = "等级分布", "项目数", None
    bar.y_axis.majorUnit = 1  # counts of projects
    bar.add_data(data, titles_from_data=True)
    bar.set_categories(labels)
    sheet.add_chart(bar, "D2")
    pie = PieChart()
    pie.title = "等级占比"
    pie.add_data(data, titles_from_data=True)
    pie.set_categories(labels)
    sheet.add_chart(pie, "D18")


def write_summary(outcomes: list[FileOutcome], output: Path) -> Path:
    return write_atomically(output, summary_workbook(outcomes))
