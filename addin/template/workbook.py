"""Write the input workbook with openpyxl, sheet by sheet, from the layout and contents.

Everything about a cell (where, what, format, locked or not, dropdown) comes from
:mod:`addin.layout`; this module only knows how openpyxl spells it. Formula cells get their
text here; their cached values are added to the saved XML afterwards (:mod:`.cached`),
because openpyxl cannot store a value beside a formula.
"""

from __future__ import annotations

import io
import math
from copy import copy
from datetime import datetime, timedelta
from typing import Mapping

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .. import layout as L
from ..report.sheetkit import set_value
from .contents import Contents, Row, Typed, plain
from .print_areas import fit_print_areas

FONT_NAME = "宋体"
BODY_FONT = Font(name=FONT_NAME, size=11)
HEADER_FONT = Font(name=FONT_NAME, size=11, bold=True)
TITLE_FONT = Font(name=FONT_NAME, size=14, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
FORMULA_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
UNLOCKED = Protection(locked=False)
GUIDE_WIDTH = 120
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
    """The column's style. Computed once per workbook and column kind, then copied: openpyxl
    hashes every font, border and alignment assigned, which took most of a build's time."""
    styles = cell.parent.parent.__dict__.setdefault("_ziping_field_styles", {})
    known = styles.get((field, formula))
    if known is not None:
        cell._style = copy(known)
        return
    cell.font = BODY_FONT
    cell.border = BORDER
    cell.number_format = field.number_format
    cell.alignment = Alignment(wrap_text=field.wrap, vertical="top")
    if formula or not field.editable:
        cell.fill = FORMULA_FILL
    else:
        cell.protection = UNLOCKED
    styles[(field, formula)] = copy(cell._style)


def _write_input(cell, field: L.Field, value: object) -> None:
    """An input cell with its column's style. Text stays text ("=100%" or an imported
    "=HYPERLINK(…)" is no formula); a :class:`Typed` cell copied from a user's workbook keeps
    its own number format and, when the user typed one, its formula."""
    if isinstance(value, Typed) and value.formula:
        cell.value = value.formula
    elif isinstance(value, Typed) and isinstance(value.value, timedelta):
        cell.value = value.value  # a duration: set_value knows no durations
    else:
        set_value(cell, plain(value))
    _style(cell, field, False)
    if isinstance(value, Typed):
        cell.number_format = value.number_format


def _header(ws: Worksheet, row: int, labels: tuple[str, ...]) -> None:
    for column, label in enumerate(labels, start=1):
        cell = ws.cell(row, column, label)
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _validation(field: L.Field, prompt: bool = True) -> DataValidation | None:
    """The one validation of a field's cells: its dropdown or number check, and its help.

    Excel allows one validation per cell, so the help (``Field.help``) rides on it as the
    input message Excel, WPS and LibreOffice show when the cell is selected; a column with
    help and nothing to check gets a validation of type "any" carrying just the message.
    """
    prompt = prompt and bool(field.help) and field.is_input
    if field.choices:
        validation = DataValidation(type="list", formula1='"' + ",".join(field.choices) + '"', allow_blank=True,
                                    showErrorMessage=True, errorTitle="输入有误", error=f"请从下拉列表中选择{field.label}")
    elif field.type is L.CellType.NUMBER and field.is_input:
        validation = DataValidation(type="decimal", operator="between", formula1="-1E+15", formula2="1E+15",
                                    allow_blank=True, showErrorMessage=True, errorTitle="输入有误",
                                    error=f"{field.label}应为数字（不要带单位）")
    elif prompt:
        validation = DataValidation(allow_blank=True)  # no type: "any value"
    else:
        return None
    if prompt:
        validation.showInputMessage = True
        validation.promptTitle = field.label
        validation.prompt = field.help
    return validation


def _validate_field(ws: Worksheet, field: L.Field, ref: str) -> None:
    """A key/value cell's check; its help is already printed in the 说明 column beside it."""
    validation = _validation(field, prompt=False)
    if validation is not None:
        validation.add(ref)
        ws.add_data_validation(validation)


def _validate_column(ws: Worksheet, letter: str, first: int, fields: list[L.Field]) -> None:
    """Validations of one table column whose rows may differ (评分规则: a dropdown on some
    values), one per distinct field: Excel repairs a file where two validations overlap."""
    runs: list[tuple[L.Field, int, int]] = []
    for row, field in enumerate(fields, start=first):
        if runs and runs[-1][0] == field and runs[-1][2] == row - 1:
            runs[-1] = (field, runs[-1][1], row)
        else:
            runs.append((field, row, row))
    validations: dict[L.Field, DataValidation | None] = {}
    for field, start, end in runs:
        if field not in validations:
            validations[field] = _validation(field)
            if validations[field] is not None:
                ws.add_data_validation(validations[field])
        if validations[field] is not None:
            validations[field].add(f"{letter}{start}" if start == end else f"{letter}{start}:{letter}{end}")


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
            _style(value, field, True)
        else:
            _write_input(value, field, row_values.get(field.key))
        _validate_field(ws, field, value.coordinate)
        lines = max(_lines(field.help, help_width), _lines(value.value, value_width) if field.wrap else 1)
        if lines > 1:
            ws.row_dimensions[row].height = lines * LINE_HEIGHT


def _write_table(ws: Worksheet, sheet: L.SheetLayout, placed: L.Placed, rows: list[Row], count: int,
                 cached: Mapping[str, object]) -> None:
    """Header, ``count`` data rows (spare rows styled for input), dropdowns and input messages.

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
                _style(cell, field, True)
            elif isinstance(values.get(field.key), L.CellFormula):  # ours, chosen at build time
                cell.value = values[field.key].text
                shown = values[field.key].cached
                _style(cell, field, False)
            else:
                shown = plain(values.get(field.key))
                _write_input(cell, field, values.get(field.key))
            if field.wrap and shown:
                height = max(height, _lines(shown, field.width))
        if height > 1:
            ws.row_dimensions[row].height = height * LINE_HEIGHT
    for column_index, field in enumerate(table.columns, start=1):
        fields = [field] * count
        if sheet.key == "profile" and field.key == "value":
            fields = [_profile_field(field, rows[index] if index < len(rows) else {}) for index in range(count)]
        _validate_column(ws, get_column_letter(column_index), first, fields)


def _profile_field(field: L.Field, row: Row) -> L.Field:
    """A 评分规则 value that is a choice (是/否, 取整方式, 反向算法) gets its dropdown."""
    from dataclasses import replace

    from udfs.profile import REVERSE_VARIANTS, ROUNDING_CHOICES, SHIPPED_PROFILES

    value = plain(row.get("value"))
    if isinstance(value, L.CellFormula):
        value = value.cached
    options = (("是", "否"), ROUNDING_CHOICES, REVERSE_VARIANTS)
    if plain(row.get("key")) == "规则名称":
        options = (tuple(SHIPPED_PROFILES),)
    choices = next((tuple(c) for c in options if value in c), ())
    return replace(field, label=str(plain(row["key"])), choices=choices) if choices else field


def _write_notes(ws: Worksheet, sheet: L.SheetLayout) -> None:
    start = sheet.placed()[-1].last_row() + 2 if sheet.blocks else 1
    for offset, text in enumerate(sheet.notes):
        cell = ws.cell(start + offset, 1, str(text) or None)
        heading = isinstance(text, L.Heading)
        cell.font = TITLE_FONT if not sheet.blocks and offset == 0 else HEADER_FONT if heading else BODY_FONT
    if sheet.kind is L.SheetKind.GUIDE:
        ws.column_dimensions["A"].width = GUIDE_WIDTH
        for offset, other in enumerate(s for s in L.SHEETS if s is not sheet and not s.very_hidden):
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


def _protect(ws: Worksheet, sheet: L.SheetLayout) -> None:
    """Lock formula cells, keep inputs editable; no password, column widths adjustable.

    On sheets whose table is the user's (项目, 项目资金, 绩效指标, paragraphs) rows may be
    inserted and deleted, sorted and filtered: the reader reads whatever rows there are and
    the SUMIFS totals take whole columns. (openpyxl spells "allowed" as False.)
    """
    protection = ws.protection
    protection.sheet = True
    protection.formatColumns = False
    protection.formatRows = False
    protection.formatCells = False
    if sheet.growable:
        protection.insertRows = False
        protection.deleteRows = False
        protection.sort = False
        protection.autoFilter = False


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
    return workbook_bytes(build_workbook(contents, title, cached))


def workbook_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def build_workbook(contents: Contents, title: str, cached: Mapping[str, Mapping[str, object]]) -> Workbook:
    """The openpyxl workbook of :func:`write_workbook`, for callers that add sheets before saving."""
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
        _write_notes(ws, sheet)
        for index, width in enumerate(sheet.widths(), start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        _page_setup(ws, sheet)
        if sheet.freeze_cell():
            ws.freeze_panes = sheet.freeze_cell()
        if sheet.protected:
            _protect(ws, sheet)
        if sheet.very_hidden:
            ws.sheet_state = "veryHidden"
    for name, ref in L.named_ranges(counts):
        wb.defined_names[name] = DefinedName(name, attr_text=ref)
    wb.defined_names[L.LAYOUT_VERSION_NAME] = DefinedName(L.LAYOUT_VERSION_NAME, attr_text=str(L.LAYOUT_VERSION))
    fit_print_areas(wb)
    return wb
