"""Spreadsheet file -> plain grids of cell values and formats, whatever the file and engine.

Everything downstream (the official-table importer, the template reader, batch) works on
values and the number format each cell is shown with, so the engine is chosen here once, by
speed where it is correct:

* .xlsx/.xlsm: python-calamine for values (about 9× faster than openpyxl on our workbooks)
  and :mod:`.cell_formats` for the formats — except that calamine silently turns error cells
  (#N/A, #DIV/0!) into empty strings, so a package whose sheet XML holds an error cell
  (``t="e"``) is read with openpyxl, which keeps "#N/A" as text and lets the checks name it
  (openpyxl also serves packages whose cell positions the format scan cannot read);
* .xls: xlrd (error cells come back as their Excel text, merged ranges and formats with
  ``formatting_info``).

Files reach this module only through :func:`addin.reading.safe_open.open_spreadsheet`, which has
already refused sheets whose area would make an engine allocate an absurd grid (calamine's
``skip_empty_area=False`` fills the rectangle from A1 to the farthest cell).

Blank cells are None in every engine; merged ranges are 0-based inclusive
(row0, col0, row1, col1) and :meth:`SheetGrid.expanded` copies each anchor over its range.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from typing import Callable, Mapping, TypeVar

from ..errors import UserError
from .safe_open import DAMAGED, ENCRYPTED, FileKind, SpreadsheetFile, UnsafeFile
from .cell_formats import FormatsUnknown, package_formats, sheet_parts

Merged = tuple[int, int, int, int]
_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")
_ERROR_CELL = b't="e"'
GENERAL = "General"


@dataclass(frozen=True)
class SheetGrid:
    """One sheet: values row by row (blank = None), merged ranges, and the number format of
    every cell that is not General (0-based (row, column) keys)."""

    name: str
    rows: tuple[tuple[object, ...], ...]
    merged: tuple[Merged, ...] = ()
    formats: Mapping[tuple[int, int], str] = field(default_factory=dict)

    def number_format(self, row: int, column: int) -> str:
        return self.formats.get((row, column), GENERAL)

    def expanded(self) -> "SheetGrid":
        """Every cell of a merged range holds the anchor's value and format (what a reader sees)."""
        if not self.merged:
            return self
        width = max((len(row) for row in self.rows), default=0)
        rows = [list(row) + [None] * (width - len(row)) for row in self.rows]
        formats = dict(self.formats)
        for r0, c0, r1, c1 in self.merged:
            if r0 >= len(rows) or c0 >= width:
                continue
            anchor, code = rows[r0][c0], self.formats.get((r0, c0))
            for r in range(r0, min(r1, len(rows) - 1) + 1):
                for c in range(c0, min(c1, width - 1) + 1):
                    rows[r][c] = anchor
                    if code is not None:
                        formats[(r, c)] = code
        return SheetGrid(self.name, tuple(tuple(row) for row in rows), self.merged, formats)


def _blank_to_none(value: object) -> object:
    return None if value == "" else value


def _rows(rows) -> tuple[tuple[object, ...], ...]:
    """Blank cells as None, without the trailing blank rows openpyxl reports for styled cells."""
    cleaned = [tuple(_blank_to_none(v) for v in row) for row in rows]
    while cleaned and all(v is None for v in cleaned[-1]):
        cleaned.pop()
    return tuple(cleaned)


ENGINES = ("auto", "calamine", "openpyxl")


def _of_values(rows: tuple[tuple[object, ...], ...], formats: Mapping[tuple[int, int], str]) -> dict[tuple[int, int], str]:
    """Formats of the cells that hold something (a formula showing "" shows nothing)."""
    return {(r, c): code for (r, c), code in formats.items()
            if r < len(rows) and c < len(rows[r]) and rows[r][c] is not None}


def load_grids(file: SpreadsheetFile, engine: str = "auto") -> list[SheetGrid]:
    """All sheets of a checked file, in workbook order; a parse failure is a UserError.

    ``engine`` forces calamine or openpyxl for .xlsx/.xlsm (benchmarks/bench_batch.py
    compares them); "auto" is the rule in the module docstring.
    """
    return load_checked(file, lambda: _grids(file, engine))


def _grids(file: SpreadsheetFile, engine: str) -> list[SheetGrid]:
    if file.kind is FileKind.XLS:
        return _xlrd_grids(file)
    if engine == "openpyxl" or (engine == "auto" and _has_error_cells(file)):
        return _openpyxl_grids(file)
    try:
        return _calamine_grids(file)
    except FormatsUnknown:
        return _openpyxl_grids(file)


Loaded = TypeVar("Loaded")


def load_checked(file: SpreadsheetFile, load: Callable[[], Loaded]) -> Loaded:
    """``load()`` — any parser reading ``file`` — with every failure of zip, zlib, XML,
    calamine, openpyxl or xlrd turned into the damaged-file refusal (exit code 3): the one
    guarded path of every file read, after :func:`addin.reading.safe_open.open_spreadsheet`."""
    try:
        return load()
    except (UserError, KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # noqa: BLE001 - any engine failure is a damaged file to the user;
        # BaseException because a Rust panic inside python-calamine arrives as pyo3's
        # PanicException, which does not derive from Exception
        raise UnsafeFile(f"“{file.path.name}”：{DAMAGED}（{type(error).__name__}）") from None


def _has_error_cells(file: SpreadsheetFile) -> bool:
    """Whether any worksheet, wherever its part is stored, holds an error cell (``t="e"``)."""
    with zipfile.ZipFile(file.stream()) as archive:
        try:
            parts = [sheet.path for sheet in sheet_parts(archive)]
        except Exception:  # noqa: BLE001 - relationships unreadable here: look at the usual place
            parts = [name for name in archive.namelist() if _SHEET_PART.fullmatch(name)]
        return any(_ERROR_CELL in archive.read(name) for name in parts)


def _calamine_grids(file: SpreadsheetFile) -> list[SheetGrid]:
    from python_calamine import CalamineWorkbook

    with zipfile.ZipFile(file.stream()) as archive:
        formats, _ = package_formats(archive)
    book = CalamineWorkbook.from_filelike(file.stream())
    grids = []
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        rows = _rows(sheet.to_python(skip_empty_area=False))
        merged = tuple((r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or ()))
        grids.append(SheetGrid(name, rows, merged, _of_values(rows, formats.get(name, {}))))
    book.close()
    return grids


def _openpyxl_grids(file: SpreadsheetFile) -> list[SheetGrid]:
    import openpyxl

    book = openpyxl.load_workbook(file.stream(), data_only=True)
    try:
        grids = []
        for ws in book.worksheets:
            cells = [tuple(row) for row in ws.iter_rows()]
            formats = {(cell.row - 1, cell.column - 1): cell.number_format for row in cells for cell in row
                       if cell.number_format != GENERAL and cell.value is not None}
            merged = tuple((r.min_row - 1, r.min_col - 1, r.max_row - 1, r.max_col - 1) for r in ws.merged_cells.ranges)
            grids.append(SheetGrid(ws.title, _rows([[cell.value for cell in row] for row in cells]), merged, formats))
        return grids
    finally:
        book.close()


def _xlrd_grids(file: SpreadsheetFile) -> list[SheetGrid]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=file.data, formatting_info=True, on_demand=True)
    except xlrd.biffh.XLRDError as error:
        if "encrypt" in str(error).lower():
            raise UnsafeFile(f"“{file.path.name}”：{ENCRYPTED}") from None
        raise
    grids = []
    for index in range(book.nsheets):
        sheet = book.sheet_by_index(index)
        rows = _rows(tuple(_xlrd_value(sheet.cell(r, c), xlrd, book.datemode) for c in range(sheet.ncols))
                     for r in range(sheet.nrows))
        merged = tuple((r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in sheet.merged_cells)
        grids.append(SheetGrid(sheet.name, rows, merged, _xlrd_formats(book, sheet)))
        book.unload_sheet(index)
    book.release_resources()
    return grids


def _xlrd_value(cell, xlrd, datemode: int) -> object:
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#N/A")
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_DATE:  # a date cell is a date, as calamine and openpyxl read it
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    return _blank_to_none(cell.value)


def _xlrd_formats(book, sheet) -> dict[tuple[int, int], str]:
    """(row, col) -> format code of the non-General cells of an .xls sheet."""
    formats = {}
    for r in range(sheet.nrows):
        for c in range(sheet.ncols):
            xf_index = sheet.cell_xf_index(r, c)
            found = book.format_map.get(book.xf_list[xf_index].format_key) if xf_index < len(book.xf_list) else None
            code = found.format_str if found is not None else GENERAL
            if code and code != GENERAL and sheet.cell_type(r, c) not in (0, 6):
                formats[(r, c)] = code
    return formats
