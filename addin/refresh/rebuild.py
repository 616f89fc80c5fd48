"""Build the refreshed workbook: a fresh template around the carried cells, sheets regenerated.

The input sheets, formulas, cached values, validations, print areas, VBA project, ribbon
and codeNames are exactly a fresh build's (:func:`addin.template.build.build_contents`).
Before the workbook is saved, the department is read back from those very sheets — as
``ziping score`` would read the saved file — and the generated sheets are added: 自评表 (one
per project), 自评报告 and 校验结果, the same sheets the ribbon's buttons write.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from .. import layout as L
from ..checks import CHECK_SHEET, write_check_sheet
from ..importer.evaluate import Evaluation, evaluate_template
from ..reading.grid import GENERAL, SheetGrid
from ..report import generate_sheets_into
from ..template.build import build_contents, workbook_title
from ..template.contents import Contents, plain
from ..template.evaluate import CachedValue

Cached = Mapping[str, Mapping[str, CachedValue]]


@dataclass(frozen=True)
class Rebuilt:
    data: bytes
    evaluation: Evaluation
    cached: Cached  # {sheet: {address: value}} of every formula cell
    generated: tuple[str, ...]  # titles of the generated sheets, in order


def title_of(contents: Contents) -> str:
    info = (contents.get("info") or [{}])[0]
    return workbook_title(plain(info.get("name")), plain(info.get("year")))


def rebuild(contents: Contents, path: Path, generate: bool = True) -> Rebuilt:
    """The .xlsm bytes of ``contents``; ``path`` names the workbook in the checks' messages.

    ``generate=False`` (a new year's workbook, nothing to score yet) adds no sheets; the
    checks are still run and returned.
    """
    found: dict[str, object] = {}

    def finish(workbook: Workbook, cached: Cached) -> None:
        evaluation = evaluate_template(path, workbook_grids(workbook, cached))
        titles: list[str] = []
        if generate:
            if evaluation.department.projects:
                titles = generate_sheets_into(workbook, evaluation.department)
            sheet = write_check_sheet(workbook, evaluation.checks)
            workbook.move_sheet(sheet, len(workbook.sheetnames) - 1 - workbook.sheetnames.index(CHECK_SHEET))
            titles.append(CHECK_SHEET)
            workbook.active = workbook.sheetnames.index(titles[0])
        found.update(evaluation=evaluation, cached=cached, generated=tuple(titles))

    data = build_contents(contents, title_of(contents), finish)
    return Rebuilt(data, found["evaluation"], found["cached"], found["generated"])  # type: ignore[arg-type]


def workbook_grids(workbook: Workbook, cached: Cached) -> list[SheetGrid]:
    """The input sheets as a reader of the saved file sees them: formula cells hold their
    cached values, every cell its number format."""
    grids = []
    for sheet in L.SHEETS:
        ws = workbook[sheet.name]
        values = cached.get(sheet.name, {})
        found, formats = {}, {}
        # the cells written, not ws.iter_rows(): that would create (and save) every blank cell
        for (row, column), cell in ws._cells.items():
            value = values.get(cell.coordinate) if cell.data_type == "f" else cell.value
            if value is None or value == "":
                continue
            found[(row - 1, column - 1)] = value
            if cell.number_format != GENERAL:
                formats[(row - 1, column - 1)] = cell.number_format
        height = max((row for row, _ in found), default=-1) + 1
        width = max((column for _, column in found), default=-1) + 1
        rows = tuple(tuple(found.get((r, c)) for c in range(width)) for r in range(height))
        grids.append(SheetGrid(sheet.name, rows, (), formats))
    return grids
