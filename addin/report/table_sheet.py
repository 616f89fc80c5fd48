"""Paint a :class:`~addin.report.table_spec.TableSpec` onto an openpyxl worksheet.

Print setup follows what finance bureaus bind: A4 landscape, one page wide, the 绩效指标
heading repeated on every page, "第 N 页 共 M 页" in the footer. Fonts are the 公文 pair:
宋体 for the title, 仿宋 for the body.
"""

from __future__ import annotations

from collections import defaultdict

from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from .sheetkit import set_value, text_height
from .table_spec import Style, TableSpec

TITLE_FONT = Font(name="宋体", size=16, bold=True)
BODY_FONT = Font(name="仿宋", size=11)
BODY_PT = 11
MIN_ROW_HEIGHT = 18.0
TITLE_ROW_HEIGHT = 36.0
_THIN = Side(style="thin", color="000000")
GRID_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
NUMBER_FORMATS = {Style.NUMBER: "General", Style.PERCENT: "0.00%"}
FOOTER = "第 &P 页 共 &N 页"


def render_table(ws: Worksheet, spec: TableSpec) -> None:
    """Fill an empty worksheet with the table and its print setup."""
    for index, width in enumerate(spec.column_widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    for row in range(spec.grid_top, spec.last_row + 1):
        for column in range(1, len(spec.column_widths) + 1):
            cell = ws.cell(row, column)
            cell.border, cell.font, cell.alignment = GRID_BORDER, BODY_FONT, _CENTRE
    for item in spec.cells:
        cell = ws.cell(item.row, item.column)
        set_value(cell, item.value)
        if item.style is Style.TITLE:
            cell.font, cell.alignment = TITLE_FONT, _CENTRE
        elif item.style is Style.PARAGRAPH:
            cell.alignment = _LEFT
        cell.number_format = item.number_format or NUMBER_FORMATS.get(item.style, "@" if isinstance(item.value, str) else "General")
    for merge in spec.merges:
        ws.merge_cells(start_row=merge.top, start_column=merge.left,
                       end_row=merge.bottom, end_column=merge.right)
    _set_row_heights(ws, spec)
    _set_print_setup(ws, spec)


A4_SHORT_SIDE_PT = 595.3
ONE_PAGE_MIN_SCALE = 0.75


def _set_row_heights(ws: Worksheet, spec: TableSpec) -> None:
    """Explicit heights: merged cells never auto-fit in Excel."""
    spans = {(m.top, m.left): m for m in spec.merges}
    needed: dict[int, float] = defaultdict(lambda: MIN_ROW_HEIGHT)
    for item in spec.cells:
        if item.style is Style.TITLE or not isinstance(item.value, str):
            continue
        merge = spans.get((item.row, item.column))
        left, right = (merge.left, merge.right) if merge else (item.column, item.column)
        rows = range(item.row, (merge.bottom if merge else item.row) + 1)
        width = sum(spec.column_widths[left - 1:right])
        share = text_height(item.value, width, BODY_PT) / len(rows)
        for row in rows:
            needed[row] = max(needed[row], share)
    ws.row_dimensions[1].height = TITLE_ROW_HEIGHT
    for row in range(spec.grid_top, spec.last_row + 1):
        ws.row_dimensions[row].height = round(needed[row], 1)


def _fits_one_page(ws: Worksheet, margins: PageMargins) -> bool:
    """Whether the table fits one A4 landscape page at ONE_PAGE_MIN_SCALE or larger.

    A short table (the seed's has 35 rows) should not leave its last row and 总分 alone on
    a second page; a long one flows over pages with repeated headers instead of shrinking
    the 11pt body below legibility.
    """
    printable = A4_SHORT_SIDE_PT - (margins.top + margins.bottom) * 72
    content = sum(dimension.height or MIN_ROW_HEIGHT for dimension in ws.row_dimensions.values())
    return content * ONE_PAGE_MIN_SCALE <= printable


# A table longer than a page flows over pages where the application breaks it; only its end is
# ours to guard: the last page must not hold 总分 (almost) alone.
MIN_LAST_PAGE_ROWS = 5


def natural_breaks(heights: list[float], repeated: float, printable: float) -> list[int]:
    """Rows (1-based) after which an application at 100% would end a page, for rows 1.. of the
    given heights in points; pages after the first repeat the heading (``repeated`` points)."""
    breaks, used = [], 0.0
    for row, height in enumerate(heights, start=1):
        if used + height > printable and used > 0:
            breaks.append(row - 1)
            used = repeated
        used += height
    return breaks


def tail_break(heights: list[float], repeated: float, printable: float) -> int | None:
    """A manual break that gives the last page MIN_LAST_PAGE_ROWS rows, or None when the
    natural last page already has them.

    Estimated at 100% (Excel and WPS with their usual fonts); an application that shrinks the
    table more (LibreOffice without Calibri) fits more rows per page, so the forced break can
    only make its second-to-last page shorter, never strand the 总分 row.
    """
    breaks = natural_breaks(heights, repeated, printable)
    last = len(heights)
    if not breaks or last - breaks[-1] >= MIN_LAST_PAGE_ROWS:
        return None
    return last - MIN_LAST_PAGE_ROWS


def _set_page_breaks(ws: Worksheet, spec: TableSpec, margins: PageMargins) -> None:
    printable = A4_SHORT_SIDE_PT - (margins.top + margins.bottom) * 72
    heights = [ws.row_dimensions[row].height or MIN_ROW_HEIGHT for row in range(1, spec.last_row + 1)]
    heading = ws.row_dimensions[spec.repeat_rows[0]].height or MIN_ROW_HEIGHT
    row = tail_break(heights, heading, printable)
    if row is not None:
        ws.row_breaks.append(Break(id=row))


def _set_print_setup(ws: Worksheet, spec: TableSpec) -> None:
    margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.7, header=0.3, footer=0.3)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    one_page = _fits_one_page(ws, margins)
    ws.page_setup.fitToHeight = 1 if one_page else 0
    if not one_page:
        _set_page_breaks(ws, spec, margins)
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins = margins
    first, last = spec.repeat_rows
    ws.print_title_rows = f"{first}:{last}"
    ws.print_area = f"A1:{get_column_letter(len(spec.column_widths))}{spec.last_row}"
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.center.font = "仿宋"
    ws.oddFooter.center.size = 10
