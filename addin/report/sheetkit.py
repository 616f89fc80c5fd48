"""openpyxl helpers shared by the 自评表 and 自评报告 sheets.

Two things every generated sheet needs: user text must stay text (a reason typed as
"=HYPERLINK(...)" must not become a live formula in a finance bureau's Excel), and rows
need explicit heights because Excel never auto-fits rows whose text sits in merged cells.
"""

from __future__ import annotations

import math
import unicodedata
from datetime import date, time
from decimal import Decimal

from openpyxl.cell.cell import Cell as XlCell

from udfs.numbers import to_float

GENERATED_TABLE_PREFIX = "自评表"
NARRATIVE_SHEET = "自评报告"
_FORBIDDEN_IN_SHEET_NAMES = "[]:*?/\\"
MAX_SHEET_NAME = 31
_PX_PER_WIDTH_UNIT = 7.0  # Excel column width unit: one '0' of the default 11pt font
_LINE_SPACING = 1.35  # line height / font size for CJK fonts


def set_value(cell: XlCell, value: object) -> None:
    """Write a value; text is always a string cell, never a formula.

    The one way user or imported values reach a generated cell (template builder, 自评表,
    自评报告, batch summary, 校验结果). Booleans, floats and dates are kept as they are;
    Decimals and ints become floats (what Excel stores); anything else is left blank.
    """
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
        cell.quotePrefix = value.startswith(("=", "+", "-", "@"))
    elif isinstance(value, bool):
        cell.value = value
    elif isinstance(value, (Decimal, int)):
        cell.value = to_float(Decimal(value))
    elif isinstance(value, (float, date, time)):
        cell.value = value
    else:
        cell.value = None


# The department-wide tables (addin.report.department_spec); 共性指标评分表 may carry a
# profile's name in brackets.
DEPARTMENT_SHEET_NAMES = ("基础数据表", "部门整体支出绩效自评表", "共性指标评分表", "评分规则对比")


def is_generated_sheet(title: str) -> bool:
    """Sheets this add-in owns and may replace: 自评表, 自评表-<项目>, 自评报告, and the
    department-wide tables."""
    return (title in (GENERATED_TABLE_PREFIX, NARRATIVE_SHEET, *DEPARTMENT_SHEET_NAMES)
            or title.startswith((GENERATED_TABLE_PREFIX + "-", "共性指标评分表（")))


def table_sheet_names(project_names: list[str]) -> list[str]:
    """"自评表" for one project; "自评表-<项目>" (≤31 chars, legal, unique) for several."""
    if len(project_names) == 1:
        return [GENERATED_TABLE_PREFIX]
    names: list[str] = []
    for index, project in enumerate(project_names, start=1):
        clean = "".join(ch for ch in project if ch not in _FORBIDDEN_IN_SHEET_NAMES).strip("' ")
        name = f"{GENERATED_TABLE_PREFIX}-{clean or index}"[:MAX_SHEET_NAME]
        if name in names:
            suffix = f"-{index}"
            name = name[:MAX_SHEET_NAME - len(suffix)] + suffix
        names.append(name)
    return names


def display_width(text: str) -> int:
    """Width in half-width units: a Chinese character counts 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def text_height(text: str, width_units: float, font_pt: float) -> float:
    """Points needed to show ``text`` wrapped in a column span ``width_units`` wide."""
    half_char_px = font_pt * 96 / 72 / 2
    per_line = max(1, int(width_units * _PX_PER_WIDTH_UNIT / half_char_px) - 1)
    lines = sum(max(1, math.ceil(display_width(part) / per_line)) for part in text.split("\n"))
    return lines * font_pt * _LINE_SPACING + 4
