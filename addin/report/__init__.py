"""Report building: scored model → descriptions (table_spec, narrative) → renderers.

:func:`render_outputs` writes the files a department hands in; :func:`generate_sheets_into`
puts the same sheets into a workbook the user already has (their .xlsm), replacing only the
sheets this add-in generated before (自评表, 自评表-<项目>, 自评报告).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from openpyxl import Workbook

from udfs.department_scoring import CommonResult, score_common, score_whole
from udfs.model import Department, ProjectResult
from udfs.scoring import score_project

from ..checks import Check, write_check_sheet
from ..errors import UserError
from .pdf import RenderError, to_pdf
from ..reading.safe_open import refuse_overwrite
from .docx import write_docx
from .files import safe_file_stem, write_atomically
from .narrative import Paragraph, build_narrative
from .narrative_sheet import render_narrative_sheet
from .sheetkit import NARRATIVE_SHEET, is_generated_sheet, table_sheet_names
from .department_spec import build_department_tables, has_department_data
from .table_sheet import render_table
from .table_spec import build_table

__all__ = ["department_path", "generate_department_sheets_into", "generate_sheets_into", "output_paths",
           "planned_paths", "render_outputs", "score_department"]


def score_department(department: Department) -> list[ProjectResult]:
    """Score every project with the department's 评分规则; no projects, no 自评表."""
    if not department.projects:
        raise UserError("没有找到项目数据（项目名称、项目资金和绩效指标），无法生成自评表")
    return [score_project(project, department.profile, department.year or None) for project in department.projects]


def department_wide(department: Department) -> tuple[ProjectResult | None, CommonResult | None]:
    """The scored 部门整体 table and 共性指标 for the 自评报告; (None, None) without such data."""
    if not has_department_data(department):
        return None, None
    return score_whole(department), score_common(department)


def _add_table_sheets(workbook: Workbook, department: Department, results: list[ProjectResult],
                      index: int) -> list[str]:
    names = table_sheet_names([r.project.name for r in results])
    for offset, (name, result) in enumerate(zip(names, results)):
        spec = build_table(result, department.year, department.profile)
        render_table(workbook.create_sheet(name, index + offset), spec)
    return names


def generate_sheets_into(workbook: Workbook, department: Department, draft_problems: bool = True,
                         narrative: bool = True) -> list[str]:
    """Replace the generated sheets of ``workbook``; other sheets are never touched.

    New sheets take the place of the first old generated sheet (or go last). Returns the
    titles written. ``narrative=False`` writes the 自评表 sheets only.
    """
    results = score_department(department)
    paragraphs = _narrative(department, results, draft_problems) if narrative else None
    return _install_sheets(workbook, department, results, paragraphs)


def _narrative(department: Department, results: list[ProjectResult], draft_problems: bool) -> list[Paragraph]:
    return build_narrative(department, results, draft_problems, *department_wide(department))


def _install_sheets(workbook: Workbook, department: Department, results: list[ProjectResult],
                    paragraphs: list[Paragraph] | None) -> list[str]:
    """The 自评表 sheets of ``results`` and, given its ``paragraphs``, the 自评报告 sheet."""
    old = [ws for ws in workbook.worksheets if is_generated_sheet(ws.title)]
    index = workbook.worksheets.index(old[0]) if old else len(workbook.worksheets)
    for ws in old:
        workbook.remove(ws)
    titles = _add_table_sheets(workbook, department, results, index)
    if paragraphs is not None:
        render_narrative_sheet(workbook.create_sheet(NARRATIVE_SHEET, index + len(titles)), paragraphs)
        titles.append(NARRATIVE_SHEET)
    workbook.active = index
    return titles


def generate_department_sheets_into(workbook: Workbook, department: Department, index: int | None = None) -> list[str]:
    """Add the 基础数据表, 部门整体支出绩效自评表, 共性指标评分表 and 评分规则对比 sheets (those the
    department's data allows) at ``index`` (default: last); returns their titles."""
    index = len(workbook.worksheets) if index is None else index
    titles = []
    for offset, spec in enumerate(build_department_tables(department)):
        render_table(workbook.create_sheet(spec.project_name, index + offset), spec)
        titles.append(spec.project_name)
    return titles


def department_path(department: Department, out_dir: Path) -> Path | None:
    """``{部门}_{year}_部门整体自评表.xlsx``, or None when the department filled no 部门整体 data."""
    if not has_department_data(department):
        return None
    return out_dir / f"{safe_file_stem(department.name)}_{department.year}_部门整体自评表.xlsx"


def output_paths(department: Department, out_dir: Path) -> tuple[Path, Path]:
    """``{部门}_{year}_自评表.xlsx`` and ``{部门}_{year}_自评报告.docx`` in ``out_dir``."""
    stem = f"{safe_file_stem(department.name)}_{department.year}"
    return out_dir / f"{stem}_自评表.xlsx", out_dir / f"{stem}_自评报告.docx"


def planned_paths(department: Department, out_dir: Path, pdf: bool = True) -> list[Path]:
    """Every file :func:`render_outputs` may write: the two of :func:`output_paths` and the
    PDFs LibreOffice names after them."""
    xlsx, docx_path = output_paths(department, out_dir)
    whole = department_path(department, out_dir)
    pdfs = [xlsx.with_suffix(".pdf"), docx_path.with_suffix(".pdf")] if pdf else []
    extra = [] if whole is None else [whole, *([whole.with_suffix(".pdf")] if pdf else [])]
    return [xlsx, docx_path, *pdfs, *extra]


def _table_pdf(department: Department, results: list[ProjectResult], xlsx: Path, out_dir: Path) -> Path | None:
    """PDF of the 自评表 sheets only (the 自评报告 sheet is printed from the .docx)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    _add_table_sheets(workbook, department, results, 0)
    with tempfile.TemporaryDirectory(prefix="ziping-table-") as temp:
        only_tables = Path(temp) / xlsx.name
        workbook.save(only_tables)
        return to_pdf(only_tables, out_dir, cleanup=(Path(temp),))


def render_outputs(department: Department, out_dir: str | Path, pdf: bool = True, draft_problems: bool = True,
                   warn: Callable[[str], None] | None = None, source: str | Path | None = None,
                   checks: Sequence[Check] | None = None) -> list[Path]:
    """Write the 自评表 workbook, the 自评报告 .docx and, with LibreOffice, their PDFs.

    ``checks`` (what ``ziping score`` finds) go on a 校验结果 sheet after the tables, so the
    file a department hands round says what is still wrong.

    A failed PDF conversion is passed to ``warn`` (the .xlsx/.docx are already written and
    still useful); without ``warn`` it raises UserError. ``source`` is the workbook the
    department was read from: a filled workbook may well be named like our output
    (衡山县市场监督管理局_2022_自评表.xlsx) and must not be replaced, so nothing is written
    when any output would land on it.
    """
    out_dir = Path(out_dir)
    if source is not None:
        for path in planned_paths(department, out_dir, pdf):
            refuse_overwrite(source, path)
    results = score_department(department)
    paragraphs = _narrative(department, results, draft_problems)  # one narrative for the sheet and the .docx
    xlsx, docx_path = output_paths(department, out_dir)
    workbook = Workbook()
    workbook.remove(workbook.active)
    _install_sheets(workbook, department, results, paragraphs)
    if checks is not None:
        sheet = write_check_sheet(workbook, checks, link_sheets=())
        workbook.move_sheet(sheet, len(workbook.sheetnames) - 1)
        workbook.active = 0
    written = [write_atomically(xlsx, lambda temp: workbook.save(temp))]
    written.append(write_docx(paragraphs, docx_path))
    whole = department_path(department, out_dir)
    if whole is not None:
        tables = Workbook()
        tables.remove(tables.active)
        generate_department_sheets_into(tables, department)
        written.append(write_atomically(whole, lambda temp: tables.save(temp)))
    if pdf:
        try:
            makers = [lambda: _table_pdf(department, results, xlsx, out_dir), lambda: to_pdf(docx_path, out_dir)]
            if whole is not None:
                makers.append(lambda: to_pdf(whole, out_dir))
            for make in makers:
                made = make()
                if made is not None:
                    written.append(made)
        except RenderError as error:
            if warn is None:
                raise UserError(f"{error}（自评表和自评报告文件已生成）") from None
            warn(str(error))
    return written
