"""A 预算支出绩效自评表 as data: cells, merges and style names, no openpyxl.

The layout is the one of 财预〔2020〕10号 Annex 1 as printed in the 衡山县市场监督管理局
2022 report (shared/seeds/000_…): title, 项目名称, 主管部门/实施单位, the 项目资金 block,
年度总体目标, the 绩效指标 block with merged 一级/二级 cells, and 总分. Every standard 二级
row is present even when the department has no indicator under it, as the official form
(and the seed) shows empty 社会效益/生态效益/可持续影响 rows. Tests read this description;
:mod:`addin.report.table_sheet` only paints it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from enum import Enum

from udfs.display import shown_text
from udfs.model import Entry, FundsLine, IndicatorResult, ProjectResult
from udfs.numbers import ZERO, D, Figure, score_text
from udfs.profile import DEFAULT_PROFILE, RuleProfile

from ..layout import STANDARD_LEVEL2

FUNDS_HEADER = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
FUNDS_PARTS = ("当年财政拨款", "上年结转资金", "其他资金")  # the 其中 rows of the official form
INDICATOR_HEADER = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                    "偏差原因分析及改进措施")
COLUMN_COUNT = 9
CANNOT_SCORE = "无法评分"
# Widths in Excel character units, A..I; the reason column is the widest, as in the seed.
COLUMN_WIDTHS = (12.0, 12.0, 16.0, 20.0, 14.0, 14.0, 8.0, 9.0, 30.0)


class Style(str, Enum):
    """Named cell styles; the renderer maps each to font, alignment and number format."""

    TITLE = "title"  # the table title above the grid
    HEADER = "header"  # column headings and row labels (centred)
    TEXT = "text"  # centred short text (names, targets)
    PARAGRAPH = "paragraph"  # left-aligned long text (goals, reasons)
    NUMBER = "number"  # amounts and scores, shown as entered
    PERCENT = "percent"  # 执行率


CellValue = str | Decimal | bool | date | time | timedelta
STYLE_FORMATS = {Style.PERCENT: "0.00%"}  # a style's number format where the value brings none


@dataclass(frozen=True)
class Cell:
    """One written cell. A value the user typed keeps the number format it was shown with,
    so the table shows it as the input cell did (97.30%, 912.50, 23年5月20日)."""

    row: int  # 1-based
    column: int  # 1-based
    value: CellValue | None
    style: Style
    number_format: str | None = None  # None: the style's format

    @property
    def text(self) -> str:
        """What a spreadsheet shows in this cell (for tests and the PDF check)."""
        if isinstance(self.value, str) or self.value is None:
            return self.value or ""
        return shown_text(self.value, self.number_format or STYLE_FORMATS.get(self.style, "General"))


@dataclass(frozen=True)
class Merge:
    top: int
    left: int
    bottom: int
    right: int


@dataclass(frozen=True)
class TableSpec:
    """One 自评表. Rows ``grid_top``..``last_row`` form the bordered grid."""

    project_name: str
    cells: tuple[Cell, ...]
    merges: tuple[Merge, ...]
    column_widths: tuple[float, ...]
    grid_top: int
    last_row: int
    repeat_rows: tuple[int, int]  # printed on every page (the 绩效指标 heading row)

    def value(self, row: int, column: int) -> CellValue | None:
        """The value written at (row, column); None for a blank or a covered cell."""
        return next((c.value for c in self.cells if (c.row, c.column) == (row, column)), None)

    def text(self, row: int, column: int) -> str:
        """What the table shows at (row, column); "" for a blank or a covered cell."""
        return next((c.text for c in self.cells if (c.row, c.column) == (row, column)), "")

    def row_of(self, column: int, value: str) -> int:
        """First row whose cell in ``column`` holds ``value`` (for tests and checks)."""
        return next(c.row for c in self.cells if c.column == column and c.value == value)


class _Grid:
    """Collects cells and merges while the builder walks down the table."""

    def __init__(self) -> None:
        self.cells: list[Cell] = []
        self.merges: list[Merge] = []

    def put(self, row: int, column: int, value, style: Style, bottom: int | None = None,
            right: int | None = None) -> None:
        bottom, right = bottom or row, right or column
        value, number_format = _as_typed(value)
        if value is not None and value != "":
            self.cells.append(Cell(row, column, value, style, number_format))
        if (bottom, right) != (row, column):
            self.merges.append(Merge(row, column, bottom, right))


def _as_typed(value: object) -> tuple[CellValue | None, str | None]:
    """(value, number format) as the input cell had them: an Entry's value and format, a
    Figure's number and format; text verbatim; other numbers as Decimal in the style's format."""
    if isinstance(value, Entry):
        if isinstance(value.value, str):
            return value.text, None
        return value.value, value.number_format
    if isinstance(value, Figure):
        return value, value.number_format
    if value is None or isinstance(value, (str, bool, date, time, timedelta)):
        return value, None
    return D(value), None


def _level1_order(result: ProjectResult, profile: RuleProfile) -> list[str]:
    names = [name for name, _ in profile.level1_weights]
    names += [r.indicator.level1 for r in result.indicators if r.indicator.level1 not in names]
    return list(dict.fromkeys(names))


def _level2_order(level1: str, rows: list[IndicatorResult]) -> list[str]:
    names = list(STANDARD_LEVEL2.get(level1, ()))
    names += [r.indicator.level2 for r in rows if r.indicator.level1 == level1]
    return list(dict.fromkeys(names))


def _funds_rows(result: ProjectResult) -> list[tuple[str, FundsLine | None]]:
    """年度资金总额 then the three 其中 rows of the form, then any other part the data has."""
    parts = list(result.funds.funds.parts)

    def take(key: str) -> FundsLine | None:
        found = next((p for p in parts if key in p.label), None)
        if found is not None:
            parts.remove(found)
        return found

    rows: list[tuple[str, FundsLine | None]] = [("年度资金总额", result.funds.funds.total)]
    rows += [(("其中：" if i == 0 else "") + key, take(key)) for i, key in enumerate(FUNDS_PARTS)]
    return rows + [(p.label, p) for p in parts]


def _write_funds(grid: _Grid, top: int, result: ProjectResult) -> int:
    rows = _funds_rows(result)
    bottom = top + len(rows)
    grid.put(top, 1, "项目资金\n（万元）", Style.HEADER, bottom=bottom)
    grid.put(top, 2, None, Style.HEADER, right=3)
    for offset, heading in enumerate(FUNDS_HEADER):
        grid.put(top, 4 + offset, heading, Style.HEADER)
    for row, (label, line) in enumerate(rows, start=top + 1):
        grid.put(row, 2, label, Style.HEADER, right=3)
        if line is not None:
            for column, amount in ((4, line.initial), (5, line.budget), (6, line.executed)):
                grid.put(row, column, amount, Style.NUMBER)
    funds = result.funds
    grid.put(top + 1, 7, funds.weight, Style.NUMBER)
    grid.put(top + 1, 8, funds.rate, Style.PERCENT)
    grid.put(top + 1, 9, funds.score, Style.NUMBER)
    return bottom + 1


def _write_indicators(grid: _Grid, top: int, result: ProjectResult, profile: RuleProfile) -> int:
    """The 绩效指标 block; returns the first row after it."""
    for offset, heading in enumerate(INDICATOR_HEADER):
        grid.put(top, 2 + offset, heading, Style.HEADER)
    weights = {node.level1: node.weight for node in result.level1}
    rows = list(result.indicators)
    row = top + 1
    for level1 in _level1_order(result, profile):
        level1_top = row
        for level2 in _level2_order(level1, rows):
            members = [r for r in rows if (r.indicator.level1, r.indicator.level2) == (level1, level2)]
            level2_top = row
            for member in members or [None]:
                if member is not None:
                    _write_indicator(grid, row, member)
                row += 1
            grid.put(level2_top, 3, level2, Style.HEADER, bottom=row - 1)
        label = f"{level1}\n（{score_text(weights.get(level1, ZERO))}分）"
        grid.put(level1_top, 2, label, Style.HEADER, bottom=row - 1)
    grid.put(top, 1, "绩效指标", Style.HEADER, bottom=row - 1)
    return row


def _write_indicator(grid: _Grid, row: int, result: IndicatorResult) -> None:
    indicator = result.indicator
    grid.put(row, 4, indicator.level3, Style.TEXT)
    grid.put(row, 5, indicator.target, Style.TEXT)
    grid.put(row, 6, indicator.actual, Style.TEXT)
    # A bad 分值 ("五") is printed as typed and the row says it cannot be scored: never dropped.
    grid.put(row, 7, indicator.weight if indicator.weight is not None else indicator.weight_text, Style.NUMBER)
    grid.put(row, 8, result.score if result.score is not None else CANNOT_SCORE, Style.NUMBER)
    grid.put(row, 9, indicator.deviation_reason, Style.PARAGRAPH)


def build_table(result: ProjectResult, year: int, profile: RuleProfile = DEFAULT_PROFILE) -> TableSpec:
    """Describe the 自评表 of one scored project."""
    project = result.project
    grid = _Grid()
    grid.put(1, 1, f"{year}年度预算支出绩效自评表", Style.TITLE, right=COLUMN_COUNT)
    grid.put(2, 1, "项目名称", Style.HEADER)
    grid.put(2, 2, project.name, Style.TEXT, right=COLUMN_COUNT)
    grid.put(3, 1, "主管部门", Style.HEADER)
    grid.put(3, 2, project.department, Style.TEXT, right=5)
    grid.put(3, 6, "实施单位", Style.HEADER)
    grid.put(3, 7, project.implementer, Style.TEXT, right=COLUMN_COUNT)
    goal = _write_funds(grid, 4, result)
    grid.put(goal, 1, "年度总体目标", Style.HEADER, bottom=goal + 1)
    grid.put(goal, 2, "预期目标", Style.HEADER, right=5)
    grid.put(goal, 6, "实际完成情况", Style.HEADER, right=COLUMN_COUNT)
    grid.put(goal + 1, 2, project.goal_expected, Style.PARAGRAPH, right=5)
    grid.put(goal + 1, 6, project.goal_achieved, Style.PARAGRAPH, right=COLUMN_COUNT)
    heading = goal + 2
    total_row = _write_indicators(grid, heading, result, profile)
    total_weight = result.funds.weight + sum((r.indicator.points for r in result.indicators), ZERO)
    grid.put(total_row, 1, "总分", Style.HEADER, right=6)
    grid.put(total_row, 7, total_weight, Style.NUMBER)
    grid.put(total_row, 8, result.total, Style.NUMBER)
    grid.put(total_row, 9, "；".join(result.notes), Style.PARAGRAPH)  # a cap by 执行率 says so here
    return TableSpec(project.name, tuple(grid.cells), tuple(grid.merges), COLUMN_WIDTHS,
                     grid_top=2, last_row=total_row, repeat_rows=(heading, heading))
