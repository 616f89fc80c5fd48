"""Any input file -> department, scored projects and checks: what ``score`` and ``batch`` share.

Two kinds of workbook arrive at a finance bureau: our own template (read with colleague A's
:func:`addin.reading.workbook.parse_workbook` from the same value grids) and official-layout tables
(read by :mod:`.official`). Which one a file is follows from its sheet names: our template
always has 部门信息 and 绩效指标.
"""

from __future__ import annotations

from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Sequence

from udfs.model import Department, ProjectResult
from udfs.scoring import score_project

from .. import layout as L
from ..checks import (
    Check, Origins, check_department, check_narrative, check_project, has_errors, template_origins,
)
from ..checks.department import DepartmentOrigins, check_department_wide, cost_rows_in, template_department_origins
from ..reading.safe_open import open_spreadsheet
from . import department_of, import_grids
from ..reading.grid import SheetGrid, load_grids
from .official import ImportedTables

TEMPLATE, OFFICIAL = "template", "official"


@dataclass(frozen=True)
class Evaluation:
    path: Path
    kind: str  # TEMPLATE | OFFICIAL
    department: Department
    results: tuple[ProjectResult, ...]
    project_checks: tuple[tuple[Check, ...], ...]  # parallel to results
    shared_checks: tuple[Check, ...]  # reading problems, budget arithmetic, narrative
    notes: tuple[str, ...] = ()

    @property
    def checks(self) -> tuple[Check, ...]:
        return (*self.shared_checks, *(check for checks in self.project_checks for check in checks))

    @property
    def has_errors(self) -> bool:
        return has_errors(self.checks)


# A workbook with this many of our template's sheet names is our template, even when one of
# them was deleted or renamed: it then gets the template reader's "工作簿缺少工作表「部门信息」"
# from every command, instead of its 绩效指标 sheet being scored as an official table.
TEMPLATE_SHEETS_ENOUGH = 3


def is_template(grids: list[SheetGrid]) -> bool:
    names = {grid.name for grid in grids}
    if L.INFO.name in names and L.INDICATORS.name in names:
        return True
    return len(names & {sheet.name for sheet in L.SHEETS if sheet.required}) >= TEMPLATE_SHEETS_ENOUGH


def evaluate_file(path: str | PathLike[str], engine: str = "auto") -> Evaluation:
    """Open safely, read, score every project and run every check; raises UserError only
    when the file cannot be read at all."""
    path = Path(path)
    grids = load_grids(open_spreadsheet(path), engine)
    if is_template(grids):
        return _evaluate_template(path, grids)
    return evaluate_imported(path, import_grids(grids))


def evaluate_imported(path: Path, imported: ImportedTables) -> Evaluation:
    """Score the imported projects; each one's reading problems and checks name its own
    sheet and cells (tables of one file may sit on different sheets, in different columns)."""
    problems: tuple[Check, ...] = ()
    cells: dict[str, str] = {}
    indicators = Origins()
    if imported.base is not None:
        problems += imported.base.problems
        cells.update(imported.base.cells)
    if imported.whole is not None:
        problems += imported.whole.table.problems
        cells.update(imported.whole.cells)
        indicators = imported.whole.table.origins
    return evaluate_department(path, OFFICIAL, department_of(imported), problems, Origins(), imported.notes,
                               project_origins=tuple(table.origins for table in imported.tables),
                               project_problems=tuple(table.problems for table in imported.tables),
                               department_origins=DepartmentOrigins(cells, indicators))


def evaluate_department(path: Path, kind: str, department: Department, problems: tuple[Check, ...],
                        origins: Origins, notes: tuple[str, ...] = (), *,
                        project_origins: Sequence[Origins] = (),
                        project_problems: Sequence[tuple[Check, ...]] = (),
                        department_origins: DepartmentOrigins | None = None) -> Evaluation:
    """Score every project of an already-read department and run all checks on it.

    ``origins`` locate department figures (and every project's, unless ``project_origins``
    gives one per project); ``problems`` are about the department as a whole,
    ``project_problems`` (one tuple per project) are listed with their project;
    ``department_origins`` locate the 基础数据表 and 部门整体 figures (their checks are shared).
    """
    count = len(department.projects)
    if len(project_origins) not in (0, count) or len(project_problems) not in (0, count):
        raise ValueError("project_origins and project_problems need one entry per project")
    results = tuple(score_project(p, department.profile, department.year or None) for p in department.projects)
    own_origins = tuple(project_origins) or (origins,) * count
    own_problems = tuple(project_problems) or ((),) * count
    per_project = tuple((*read, *check_project(result, department.profile, where))
                        for result, where, read in zip(results, own_origins, own_problems))
    shared = (*problems, *check_department(department, origins), *check_narrative(department, results, origins),
              *check_department_wide(department, department_origins or DepartmentOrigins()))
    return Evaluation(path, kind, department, results, per_project, shared, notes)


def evaluate_template(path: Path, grids: list[SheetGrid]) -> Evaluation:
    """Score and check grids of our template (``ziping refresh`` reads its rebuilt sheets so)."""
    return _evaluate_template(path, grids)


def _evaluate_template(path: Path, grids: list[SheetGrid]) -> Evaluation:
    from ..reading.workbook import parse_workbook

    department, problems = parse_workbook({grid.name: grid for grid in grids})
    origins = _with_paragraph_cells(template_origins(), department, grids)
    base = next((grid for grid in grids if grid.name == L.BASE_DATA.name), None)
    department_origins = template_department_origins(cost_rows_in(base.rows) if base else None)
    return evaluate_department(path, TEMPLATE, department, tuple(problems), origins,
                               department_origins=department_origins)


def _with_paragraph_cells(origins: Origins, department: Department, grids: list[SheetGrid]) -> Origins:
    """Add "narrative.key_work[3]" -> the 工作成效 cell holding that paragraph, so a narrative
    finding links to its paragraph rather than to the sheet."""
    from openpyxl.utils import get_column_letter

    sheet = next((grid for grid in grids if grid.name == L.RESULTS.name), None)
    if sheet is None:
        return origins
    where = {}
    for r, row in enumerate(sheet.rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                where.setdefault(value.strip(), f"{sheet.name}!{get_column_letter(c + 1)}{r + 1}")
    cells = dict(origins.cells)
    for block in L.RESULTS.placed():
        for section in block.block.sections:
            for index, text in enumerate(getattr(department, section.attr)):
                if text.strip() in where:
                    cells[f"narrative.{section.attr}[{index}]"] = where[text.strip()]
    return Origins(origins.columns, cells)
