"""Import official-layout 自评表 (.xlsx/.xlsm/.xls) into the model, and write them into a
workbook built from our template.

``import_table(path)`` is the whole pipeline for one file: safe opening
(:mod:`addin.reading.safe_open`), values (:mod:`.grid`), label-driven parsing of every table on
every sheet (:mod:`.official`) and adopting explained printed scores as overrides
(:mod:`.published`).
"""

from __future__ import annotations

from dataclasses import replace
from os import PathLike

from udfs.model import BaseData, Department

from ..reading.safe_open import open_spreadsheet
from ..reading.grid import SheetGrid, load_grids
from .department import ImportedBase, ImportedWhole, is_whole_table, parse_base, parse_whole
from .official import ImportedTable, ImportedTables, is_indicator_header, label_key, parse_official
from .published import adopt_published_scores


def import_table(path: str | PathLike[str]) -> ImportedTables:
    """Every official table in ``path`` (one project each), with their problems; never writes ``path``."""
    return import_grids(load_grids(open_spreadsheet(path)))


def import_grids(grids: list[SheetGrid]) -> ImportedTables:
    imported = parse_official(grids)
    tables = tuple(replace(table, project=adopt_published_scores(table.project)) for table in imported.tables)
    return _with_department_tables(replace(imported, tables=tables), grids)


def _with_department_tables(imported: ImportedTables, grids: list[SheetGrid]) -> ImportedTables:
    """Take the 部门整体支出绩效自评表 out of the projects and read the 基础数据表 (Hunan annexes)."""
    by_name = {grid.name: grid for grid in grids}
    wholes = [table for table in imported.tables if is_whole_table(by_name[table.sheet], table)]
    base = next((found for grid in grids if (found := parse_base(grid)) is not None), None)
    if not wholes and base is None:
        return imported
    notes = list(imported.notes)
    whole = None
    if wholes:
        whole = parse_whole(by_name[wholes[0].sheet], wholes[0])
        notes.append(f"工作表「{wholes[0].sheet}」中的表为部门整体支出绩效自评表（预算部门：{whole.department or '未填写'}）")
        for extra in wholes[1:]:
            notes.append(f"工作表「{extra.sheet}」中另有一张部门整体支出绩效自评表，未读取")
    if base is not None:
        notes.append(f"已读取工作表「{base.sheet}」中的部门整体支出绩效评价基础数据表")
    rest = tuple(table for table in imported.tables if table not in wholes)
    return replace(imported, tables=rest, whole=whole, base=base, notes=tuple(notes))


def department_of(imported: ImportedTables) -> Department:
    """A department holding every imported project: what the template builder takes.

    An official table names no department of its own; the 部门整体 table's 预算部门, else the
    first table's 主管部门 (or 实施单位, or project name) stands for it, as every table of one
    file belongs to one department.
    """
    named = imported.whole.department if imported.whole is not None else ""
    if not named and imported.tables:
        first = imported.tables[0].project
        named = first.department or first.implementer or first.name
    return Department(name=named, year=imported.year or 0, projects=imported.projects,
                      base_data=imported.base.base_data if imported.base is not None else BaseData(),
                      whole=imported.whole.whole if imported.whole is not None else None)


__all__ = ["ImportedBase", "ImportedTable", "ImportedTables", "ImportedWhole", "SheetGrid", "adopt_published_scores", "department_of",
           "import_grids", "import_table", "is_indicator_header", "label_key", "load_grids", "parse_official"]
