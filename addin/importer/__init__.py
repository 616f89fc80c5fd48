"""Import an official-layout 自评表 (.xlsx/.xlsm/.xls) into the model, and write it into a
workbook built from our template.

``import_table(path)`` is the whole pipeline for one file: safe opening
(:mod:`addin.safe_open`), values (:mod:`.grid`), label-driven parsing (:mod:`.official`)
and adopting explained printed scores as overrides (:mod:`.published`).
"""

from __future__ import annotations

from dataclasses import replace
from os import PathLike

from udfs.model import Department

from ..safe_open import open_spreadsheet
from ..reading.grid import SheetGrid, load_grids
from .official import ImportedTable, find_table_sheet, label_key, parse_official
from .published import adopt_published_scores


def import_table(path: str | PathLike[str]) -> ImportedTable:
    """The official table in ``path`` as a project, with its problems; never writes ``path``."""
    return import_grids(load_grids(open_spreadsheet(path)))


def import_grids(grids: list[SheetGrid]) -> ImportedTable:
    table = parse_official(grids)
    return replace(table, project=adopt_published_scores(table.project))


def department_of(table: ImportedTable) -> Department:
    """A department holding just the imported project: what the template builder takes."""
    project = table.project
    return Department(name=project.department or project.implementer or project.name,
                      year=table.year or 0, projects=(project,))


__all__ = ["ImportedTable", "SheetGrid", "adopt_published_scores", "department_of", "find_table_sheet",
           "import_grids", "import_table", "label_key", "load_grids", "parse_official"]
