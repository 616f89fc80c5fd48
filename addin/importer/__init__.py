"""Import official-layout 自评表 (.xlsx/.xlsm/.xls) into the model, and write them into a
workbook built from our template.

``import_table(path)`` is the whole pipeline for one file: safe opening
(:mod:`addin.safe_open`), values (:mod:`.grid`), label-driven parsing of every table on
every sheet (:mod:`.official`) and adopting explained printed scores as overrides
(:mod:`.published`).
"""

from __future__ import annotations

from dataclasses import replace
from os import PathLike

from udfs.model import Department

from ..safe_open import open_spreadsheet
from ..reading.grid import SheetGrid, load_grids
from .official import ImportedTable, ImportedTables, is_indicator_header, label_key, parse_official
from .published import adopt_published_scores


def import_table(path: str | PathLike[str]) -> ImportedTables:
    """Every official table in ``path`` (one project each), with their problems; never writes ``path``."""
    return import_grids(load_grids(open_spreadsheet(path)))


def import_grids(grids: list[SheetGrid]) -> ImportedTables:
    imported = parse_official(grids)
    tables = tuple(replace(table, project=adopt_published_scores(table.project)) for table in imported.tables)
    return replace(imported, tables=tables)


def department_of(imported: ImportedTables) -> Department:
    """A department holding every imported project: what the template builder takes.

    An official table names no department of its own; the first table's 主管部门 (or 实施单位,
    or project name) stands for it, as every table of one file belongs to one department.
    """
    first = imported.tables[0].project
    return Department(name=first.department or first.implementer or first.name,
                      year=imported.year or 0, projects=imported.projects)


__all__ = ["ImportedTable", "ImportedTables", "SheetGrid", "adopt_published_scores", "department_of",
           "import_grids", "import_table", "is_indicator_header", "label_key", "load_grids", "parse_official"]
