"""The 自评报告 sheet: the narrative one paragraph per row, drafted problems marked.

The sheet is where the user reviews the report before printing the .docx: paragraphs the
add-in drafted from the data are shaded and carry a 系统提示 in column B, which is outside
the print area so the hint never reaches paper.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from .narrative import Para, Paragraph
from .sheetkit import set_value, text_height

TEXT_WIDTH = 62.0  # fits A4 portrait at 100%: LibreOffice ignores fit-to-width with a print area
HINT_WIDTH = 30.0
DRAFT_HINT = "系统提示：此段根据填报数据自动拟写，请核对、修改后再提交"
FONTS = {
    Para.TITLE: Font(name="宋体", size=16, bold=True),
    Para.HEADING1: Font(name="黑体", size=12),
    Para.HEADING2: Font(name="楷体", size=12, bold=True),
    Para.HEADING3: Font(name="仿宋", size=12, bold=True),
    Para.BODY: Font(name="仿宋", size=12),
    Para.DATE: Font(name="仿宋", size=12),
}
HINT_FONT = Font(name="仿宋", size=10, color="C00000")
DRAFT_FILL = PatternFill("solid", fgColor="FFF2CC")
_ALIGN = {
    Para.TITLE: Alignment(horizontal="center", vertical="center", wrap_text=True),
    Para.DATE: Alignment(horizontal="right", vertical="center", wrap_text=True),
}
_BODY_ALIGN = Alignment(horizontal="left", vertical="top", wrap_text=True)


def render_narrative_sheet(ws: Worksheet, paragraphs: list[Paragraph]) -> None:
    ws.column_dimensions["A"].width = TEXT_WIDTH
    ws.column_dimensions["B"].width = HINT_WIDTH
    for row, paragraph in enumerate(paragraphs, start=1):
        cell = ws.cell(row, 1)
        set_value(cell, paragraph.text)
        font = FONTS[paragraph.style]
        cell.font, cell.alignment = font, _ALIGN.get(paragraph.style, _BODY_ALIGN)
        ws.row_dimensions[row].height = round(text_height(paragraph.text, TEXT_WIDTH, font.size) + 4, 1)
        if paragraph.drafted:
            cell.fill = DRAFT_FILL
            hint = ws.cell(row, 2)
            set_value(hint, DRAFT_HINT)
            hint.font, hint.alignment = HINT_FONT, _BODY_ALIGN
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.8, right=0.8, top=0.9, bottom=0.9, header=0.4, footer=0.4)
    ws.print_area = f"A1:A{max(len(paragraphs), 1)}"
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.font = "仿宋"
