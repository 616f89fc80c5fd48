"""Write the input workbook with openpyxl, sheet by sheet, from the layout and contents.

Everything about a cell (where, what, format, locked or not, dropdown) comes from
:mod:`addin.layout`; this module only knows how openpyxl spells it. Formula cells get their
text here; their cached values are added to the saved XML afterwards (:mod:`.cached`),
because openpyxl cannot store a value beside a formula.
"""

from __future__ import annotations

import io
import math
from datetime import datetime
from typing import Mapping

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .. import layout as L
from ..report.sheetkit import set_value
from .contents import Contents, Row

FONT_NAME = "宋体"
BODY_FONT = Font(name=FONT_NAME, size=11)
HEADER_FONT = Font(name=FONT_NAME, size=11, bold=True)
TITLE_FONT = Font(name=FONT_NAME, size=14, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
FORMULA_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
UNLOCKED = Protection(locked=False)
LINE_HEIGHT = 16  # points per wrapped line at 11pt, with room for LibreOffice's CJK fallback font
CJK_WIDTH = 2  # a Chinese character takes about two width units
# A fixed stamp instead of "now" keeps builds byte-identical (package_xlsm also normalises it).
FIXED_TIME = datetime(2023, 1, 1)
# Excel 365's calculation engine id: an older id makes Excel recalculate every formula on open,
# which without Python would replace the cached values with errors.
CALC_ID = 191029


def _display_width(text: object) -> int:
    return sum(CJK_WIDTH if ord(char) > 0x2E80 else 1 for char in str(text))


def _lines(text: object, width: float) -> int:
    return max(1, math.ceil(_display_width(text) / max(width - 2, 1)))


def _style(cell, field: L.Field, formula: bool) -> None:
    cell.font = BODY_FONT
    cell.border = BORDER
    cell.number_format = field.number_format
    cell.alignment = Alignment(wrap_text=field.wrap, vertical="top")
    if formula or not field.editable:
        cell.fill = FORMULA_FILL
    else:
        cell.protection = UNLOCKED


def _header(ws: Worksheet, row: int, labels: tuple[str, ...]) -> None:
    for column, label in enumerate(labels, start=1):
        cell = ws.cell(row, column, label)
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _validate(ws: Worksheet, field: L.Field, ref: str) -> None:
    if field.choices:
        validation = DataValidation(type="list", formula1='"' + ",".join(field.choices) + '"', allow_blank=True,
                                    showErrorMessage=True, errorTitle="输入有误", error=f"请从下拉列表中选择{field.label}")
    elif field.type is L.CellType.NUMBER and field.is_input:
        validation = DataValidation(type="decimal", operator="between", formula1="-1E+15", formula2="1E+15",
                                    allow_blank=True, showErrorMessage=True, errorTitle="输入有误",
                                    error=f"{field.label}应为数字（不要带单位）")
    else:
        return
    validation.add(ref)
    ws.add_data_validation(validation)


def _write_fields(ws: Worksheet, sheet: L.SheetLayout, placed: L.Placed, row_values: Row) -> None:
    block = placed.block
    assert isinstance(block, L.FieldBlock)
    if block.show_header:
        _header(ws, placed.top, block.headers)
    value_width, help_width = block.widths[L.VALUE_COLUMN - 1], block.widths[L.HELP_COLUMN - 1]
    for field in block.fields:
        row = sheet.field_row(block.key, field.key)
        label = ws.cell(row, L.LABEL_COLUMN, field.label)
        note = ws.cell(row, L.HELP_COLUMN, field.help or None)
        for cell in (label, note):
            cell.font, cell.border = BODY_FONT, BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        value = ws.cell(row, L.VALUE_COLUMN)
        if field.formula:
            value.value = sheet.formula_text(block.key, field.key)
        else:
            set_value(value, row_values.get(field.key))  # text stays text: "=100%" is not a formula
        _style(value, field, field.formula is not None)
        _validate(ws, field, value.coordinate)
        lines = max(_lines(field.help, help_width), _lines(value.value, value_width) if field.wrap else 1)
        if lines > 1:
            ws.row_dimensions[row].height = lines * LINE_HEIGHT


def _write_table(ws: Worksheet, sheet: L.SheetLayout, placed: L.Placed, rows: list[Row], count: int,
                 cached: Mapping[str, object]) -> None:
    """Header, ``count`` data rows (spare rows styled for input) and dropdowns.

    Wrapped rows get an explicit height from their longest text (cached results included):
    Excel does not grow rows that openpyxl wrote, and a cut-off 评分说明 hides the reason.
    """
    table = L.table_of(placed.block)
    _header(ws, placed.top, table.headers)
    first = placed.first_data_row
    for index in range(count):
        values = rows[index] if index < len(rows) else {}
        row = first + index
        height = 1
        for column_index, field in enumerate(table.columns, start=1):
            cell = ws.cell(row, column_index)
            if field.formula:
                cell.value = sheet.formula_text(placed.block.key, field.key, row)
                shown = cached.get(cell.coordinate)
            else:
                shown = values.get(field.key)
                set_value(cell, shown)  # imported text stays text: "=HYPERLINK(…)" is not a live link
            if field.wrap and shown:
                height = max(height, _lines(shown, field.width))
            _style(cell, field, field.formula is not None)
        if height > 1:
            ws.row_dimensions[row].height = height * LINE_HEIGHT
    for column_index, field in enumerate(table.columns, start=1):
        letter = get_column_letter(column_index)
        _validate(ws, field, f"{letter}{first}:{letter}{first + count - 1}")
    last_used = first + max(len(rows), 1) - 1
    ws.print_area = f"A1:{get_column_letter(len(sheet.widths()))}{last_used}"


def _profile_choices(ws: Worksheet, sheet: L.SheetLayout, rows: list[Row]) -> None:
    """Dropdowns for the 评分规则 values that are a choice (是/否, 取整方式, 反向算法)."""
    from udfs.profile import REVERSE_VARIANTS, ROUNDING_CHOICES

    table = L.table_of(sheet.placed()[-1].block)
    first = sheet.placed()[-1].first_data_row
    for index, row in enumerate(rows):
        value = row["value"]
        choices = next((tuple(c) for c in (("是", "否"), ROUNDING_CHOICES, REVERSE_VARIANTS) if value in c), ())
        if choices:
            field = L.Field("value", row["key"], choices=choices)
            _validate(ws, field, f"{table.letter('value')}{first + index}")


def _write_notes(ws: Worksheet, sheet: L.SheetLayout) -> None:
    start = sheet.placed()[-1].last_row() + 2 if sheet.blocks else 1
    for offset, text in enumerate(sheet.notes):
        cell = ws.cell(start + offset, 1, text)
        cell.font = TITLE_FONT if not sheet.blocks and offset == 0 else BODY_FONT
    if sheet.kind is L.SheetKind.GUIDE:
        ws.column_dimensions["A"].width = 120
        for offset, other in enumerate(s for s in L.SHEETS if s is not sheet):
            row = start + len(sheet.notes) + 1 + offset
            ws.cell(row, 1, f"「{other.name}」：{other.description}").font = BODY_FONT


def _page_setup(ws: Worksheet, sheet: L.SheetLayout) -> None:
    """Print on A4 landscape, one page wide, the table header repeated on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if sheet.freeze_header:
        header = sheet.placed()[-1].top
        ws.print_title_rows = f"{header}:{header}"


def _protect(ws: Worksheet) -> None:
    """Lock formula cells, keep inputs editable; no password, column widths adjustable."""
    protection = ws.protection
    protection.sheet = True
    protection.formatColumns = False
    protection.formatRows = False
    protection.formatCells = False


def table_row_counts(contents: Contents) -> dict[str, int]:
    """Data rows each table gets: its capacity, or more when the department needs more."""
    counts = {}
    for sheet in L.SHEETS:
        for placed in sheet.placed():
            if not isinstance(placed.block, L.FieldBlock):
                counts[placed.block.key] = max(L.table_of(placed.block).capacity, len(contents.get(placed.block.key, [])))
    return counts


def write_workbook(contents: Contents, title: str, cached: Mapping[str, Mapping[str, object]]) -> bytes:
    """The .xlsx bytes (no VBA, no cached values yet) of the whole input workbook.

    ``cached`` ({sheet: {address: value}}) is only used to size wrapped rows here.
    """
    wb = Workbook()
    wb.remove(wb.active)
    wb.code_name = "ThisWorkbook"
    wb.calculation.fullCalcOnLoad = False
    wb.calculation.calcId = CALC_ID
    wb.properties.creator = "绩效自评助手"
    wb.properties.title = title
    wb.properties.created = wb.properties.modified = FIXED_TIME
    counts = table_row_counts(contents)
    for sheet in L.SHEETS:
        ws = wb.create_sheet(sheet.name)
        ws.sheet_properties.codeName = sheet.code_name
        for placed in sheet.placed():
            rows = contents.get(placed.block.key, [])
            if isinstance(placed.block, L.FieldBlock):
                _write_fields(ws, sheet, placed, rows[0] if rows else {})
            else:
                _write_table(ws, sheet, placed, rows, counts[placed.block.key], cached.get(sheet.name, {}))
        if sheet.key == "profile":
            _profile_choices(ws, sheet, contents.get("profile", []))
        _write_notes(ws, sheet)
        for index, width in enumerate(sheet.widths(), start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        _page_setup(ws, sheet)
        if sheet.freeze_cell():
            ws.freeze_panes = sheet.freeze_cell()
        if sheet.protected:
            _protect(ws)
    for name, ref in L.named_ranges(counts):
        wb.defined_names[name] = DefinedName(name, attr_text=ref)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
