"""The 自评报告 as a Word document laid out like a 公文 (GB/T 9704-2012).

A4 portrait, margins 37/35/28/26 mm (top/bottom/left/right), title 二号宋体加粗, body 三号
仿宋 with a two-character first-line indent, headings 黑体 / 楷体 / 仿宋加粗 by level, page
number "— N —" at the foot. Chinese font names must be set as w:eastAsia: python-docx's
``font.name`` only sets the Latin slots, and Word would fall back to 等线 for Chinese text.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.run import Run

from .files import write_atomically
from .narrative import Para, Paragraph

BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
LINE_PITCH_PT = 28  # fixed line spacing: 22 lines on the 225 mm type area
FONTS = {
    Para.TITLE: ("宋体", TITLE_PT, True),
    Para.HEADING1: ("黑体", BODY_PT, False),
    Para.HEADING2: ("楷体", BODY_PT, False),
    Para.HEADING3: ("仿宋", BODY_PT, True),
    Para.BODY: ("仿宋", BODY_PT, False),
    Para.DATE: ("仿宋", BODY_PT, False),
}
HEADINGS = {Para.HEADING1, Para.HEADING2, Para.HEADING3}
INDENTED = HEADINGS | {Para.BODY}


def _set_fonts(element, name: str) -> None:
    """Set all four rFonts slots of a run or style element so Chinese text uses ``name`` too."""
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)


def _first_line_indent_two_chars(paragraph) -> None:
    """firstLineChars="200": two characters whatever the font size (Word's own setting)."""
    paragraph.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), "200")


def _add_page_number(section) -> None:
    """"— N —" centred in the footer, 四号宋体, N a PAGE field."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    number = Run(OxmlElement("w:r"), paragraph)
    number.text = "1"
    field.append(number._r)
    paragraph._p.append(field)
    paragraph.add_run(" —")
    for element in paragraph._p.iter(qn("w:r")):
        Run(element, paragraph).font.size = Pt(14)
        _set_fonts(element, "宋体")


def build_document(paragraphs: list[Paragraph]) -> Document:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    _set_fonts(normal.element, "仿宋")
    _add_page_number(section)
    for item in paragraphs:
        name, size, bold = FONTS[item.style]
        paragraph = document.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(LINE_PITCH_PT)
        fmt.space_before = fmt.space_after = Pt(0)
        if item.style is Para.TITLE:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.line_spacing = Pt(TITLE_PT * 1.5)
            fmt.space_after = Pt(LINE_PITCH_PT)
        elif item.style is Para.DATE:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            fmt.right_indent = Pt(BODY_PT * 4)
            fmt.space_before = Pt(LINE_PITCH_PT)
        else:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if item.style in INDENTED:
            _first_line_indent_two_chars(paragraph)
        fmt.keep_with_next = item.style in HEADINGS  # no heading alone at the foot of a page
        for index, line in enumerate(item.text.split("\n")):
            if index:
                paragraph.add_run().add_break()
            run = paragraph.add_run(line)
            run.font.size, run.font.bold = Pt(size), bold
            _set_fonts(run._r, name)
    return document


def write_docx(paragraphs: list[Paragraph], path: Path) -> Path:
    """Write the report atomically (a half-written .docx would not open)."""
    document = build_document(paragraphs)
    return write_atomically(path, lambda temp: document.save(str(temp)))
