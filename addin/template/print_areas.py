"""Print areas of the input sheets: exactly the rows that are filled, re-fitted on regeneration.

Why not leave table sheets without a print area: every prepared row carries formulas (a
``=IF(D5="","",…)`` shows "" but is still a cell), so Excel, WPS and LibreOffice print all
200 bordered 绩效指标 rows as pages of empty boxes. Why not a fixed area: the template's
size is not the department's, and printing cut off after the 9th indicator. So the area is
computed from what is filled — at build time and whenever a front end regenerates (the
ribbon's 生成 buttons, ``ziping refresh``) — by one pure function,
:func:`print_area_refs`, over plain cell values.

"Filled" is what the reader reads (:func:`addin.reading.workbook._records`): a row with any input
outside the dropdown columns. A table with nothing filled gets no print area at all, so
the application prints every prepared row: extra blank pages lose nothing, a short area
would silently drop rows typed later.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from openpyxl.utils import get_column_letter

from udfs.cells import is_blank

from .. import layout as L

SheetValues = Sequence[Sequence[object]]


def fitted_sheets() -> tuple[L.SheetLayout, ...]:
    """The visible sheets whose last block is a table (their length is the user's)."""
    return tuple(sheet for sheet in L.SHEETS if sheet.blocks and not sheet.very_hidden
                 and not isinstance(sheet.placed()[-1].block, L.FieldBlock))


def last_filled_row(sheet: L.SheetLayout, values: SheetValues) -> int | None:
    """1-based row of the last filled record of the sheet's table, or None when none is."""
    placed = sheet.placed()[-1]
    table = L.table_of(placed.block)
    columns = [index for index, field in enumerate(table.columns) if field.is_input and not field.choices]
    if not columns:  # a fixed table (评分规则 keys): every prepared row is content
        columns = list(range(len(table.columns)))
    for row in range(len(values), placed.first_data_row - 1, -1):
        cells = values[row - 1]
        if any(index < len(cells) and not is_blank(cells[index]) for index in columns):
            return row
    return None


def print_area_ref(sheet: L.SheetLayout, values: SheetValues) -> str | None:
    """"$A$1:$L$31" for the sheet's filled rows (every block above included), or None."""
    last = last_filled_row(sheet, values)
    if last is None:
        return None
    return f"$A$1:${get_column_letter(len(sheet.widths()))}${last}"


def print_area_refs(values: Mapping[str, SheetValues]) -> dict[str, str | None]:
    """{sheet name: print area or None} for every table sheet present in ``values``."""
    return {sheet.name: print_area_ref(sheet, values[sheet.name]) for sheet in fitted_sheets() if sheet.name in values}


def fit_print_areas(workbook) -> None:
    """Set (or clear) the print area of every input table sheet of an openpyxl workbook.

    Reads the cells' current values (a workbook loaded with ``data_only=False`` still has
    its input cells; formula columns are never consulted), so it works on the template
    while it is built and on a user's workbook loaded for regeneration.
    """
    for sheet in fitted_sheets():
        if sheet.name not in workbook.sheetnames:
            continue
        ws = workbook[sheet.name]
        values = [row for row in ws.iter_rows(values_only=True)]
        ws.print_area = print_area_ref(sheet, values)
