"""An official-layout 预算支出绩效自评表 (财预〔2020〕10号 附件) -> :class:`Project`.

Tables exported from the 预算管理一体化系统 or typed by hand differ in where things sit, so
blocks are found by their labels, never by coordinates: the 项目资金 header row (年初预算数
全年预算数 全年执行数 …), the 年度总体目标 row, the 绩效指标 header (一级 二级 三级 年度指标值 实际完成值
分值 得分 偏差原因…) and 总分. Labels are compared after :func:`label_key` (full-width to
half-width, all spaces removed), so "绩 效 指 标" and "项目资金 （万元）" match.

Merged cells arrive expanded (every cell holds its anchor's value, :mod:`.grid`); 一级/二级
cells left blank without a merge inherit the row above. Amounts in 元 are converted to 万元
and the conversion is noted. The printed 得分 goes to ``Indicator.published_score`` and 总分
to ``Project.published_total``; ``origin`` is "sheet!cell" of the 三级指标 cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from openpyxl.utils import get_column_letter

from udfs.cells import EXCEL_ERRORS, cell_text, is_blank
from udfs.model import Funds, FundsLine, Indicator, Project
from udfs.numbers import D
from udfs.targets import normalize_text

from ..checks import ERROR, WARNING, Check, Origins
from ..errors import UserError
from ..layout import FUNDS_CATEGORIES, FUNDS_TOTAL
from ..reading.grid import SheetGrid

YUAN_PER_WAN = Decimal(10_000)
PLACEHOLDER = re.compile(r"^[.…。·\-—_~～/\\]*$")
NUMBERING = re.compile(r"^(?:指标\s*\d+\s*[:：.、]?|\d+\s*[.、:：]|[(（]\d+[)）]\s*)\s*")
LEVEL1_WEIGHT = re.compile(r"[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]\s*$")
YEAR = re.compile(r"((?:19|20)\d{2})\s*年")

# Comparator columns hold a symbol or a word; words are turned into the symbol the parser reads.
COMPARATOR_WORDS = {"正向": "≥", "反向": "≤", "等于": "=", "大于等于": "≥", "小于等于": "≤", "大于": ">", "小于": "<"}
INDICATOR_HEADERS = {
    "level1": ("一级指标",), "level2": ("二级指标",), "level3": ("三级指标",), "target": ("年度指标值", "指标值"),
    "actual": ("实际完成值", "实际值", "完成值"), "weight": ("分值",), "score": ("得分",),
    "reason": ("偏差原因", "偏差原因分析及改进措施"), "comparator": ("比较符", "符号", "指标方向", "比较方式", "运算符"),
    "unit": ("计量单位", "单位", "度量单位"),
}
FUNDS_HEADERS = {"initial": ("年初预算数",), "budget": ("全年预算数",), "executed": ("全年执行数",), "weight": ("分值",)}


def label_key(value: object) -> str:
    """What a label means, independent of full-width characters and spacing."""
    return re.sub(r"\s+", "", normalize_text(value)) if isinstance(value, str) else ""


@dataclass(frozen=True)
class ImportedTable:
    """A parsed table: the project, where its figures were, and what was odd about it."""

    project: Project
    year: int | None
    sheet: str
    origins: Origins
    problems: tuple[Check, ...] = ()
    notes: tuple[str, ...] = ()  # e.g. the 元 -> 万元 conversion
    empty_level2: tuple[str, ...] = ()  # 二级 rows without any 三级 (allowed, no weight)


class _Table:
    """One sheet's expanded grid with label search and Chinese problem reporting."""

    def __init__(self, grid: SheetGrid) -> None:
        self.name = grid.name
        self.rows = grid.expanded().rows
        self.keys = [[label_key(v) for v in row] for row in self.rows]
        self.problems: list[Check] = []

    def cell(self, r: int, c: int) -> object:
        return self.rows[r][c] if r < len(self.rows) and c < len(self.rows[r]) else None

    def address(self, r: int, c: int) -> str:
        return f"{get_column_letter(c + 1)}{r + 1}"

    def report(self, severity: str, r: int, c: int, message: str) -> None:
        self.problems.append(Check(severity, self.name, self.address(r, c), message))

    def find(self, predicate, start: int = 0, stop: int | None = None) -> tuple[int, int] | None:
        for r in range(start, len(self.rows) if stop is None else min(stop, len(self.rows))):
            for c, key in enumerate(self.keys[r]):
                if key and predicate(key):
                    return r, c
        return None

    def header_columns(self, r: int, wanted: dict[str, tuple[str, ...]]) -> dict[str, int]:
        """{field: first column} of the labels in row ``r`` (a label may start a longer text)."""
        found: dict[str, int] = {}
        for c, key in enumerate(self.keys[r]):
            for name, labels in wanted.items():
                if name not in found and any(key == label or (len(label) > 3 and key.startswith(label)) for label in labels):
                    found[name] = c
        return found

    def right_of(self, r: int, c: int) -> tuple[object, int] | None:
        """The first non-blank value right of a label (skipping the label's own merge)."""
        label = self.keys[r][c]
        for col in range(c + 1, len(self.rows[r])):
            value = self.rows[r][col]
            if not is_blank(value) and label_key(value) != label:
                return value, col
        return None

    def error_value(self, r: int, c: int, what: str) -> bool:
        value = self.cell(r, c)
        if isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS:
            self.report(ERROR, r, c, f"{what}单元格是错误值{value.strip()}，请在原表中修正公式或填写数值")
            return True
        return False

    def number(self, r: int, c: int | None, what: str, severity: str = ERROR) -> Decimal | None:
        if c is None or is_blank(self.cell(r, c)) or self.error_value(r, c, what):
            return None
        value = self.cell(r, c)
        try:
            if isinstance(value, bool):
                raise ValueError
            return D(value if not isinstance(value, str) else normalize_text(value).replace(" ", "").rstrip("分"))
        except (ValueError, TypeError):
            self.report(severity, r, c, f"{what}「{value}」不是数字")
            return None


def _cell_value(value: object) -> object:
    """A target/actual as the scoring core takes it: text stays text, numbers are Decimal."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return D(value)
    return cell_text(value) or None


def find_table_sheet(grids: list[SheetGrid]) -> SheetGrid:
    """The sheet holding the 绩效指标 header; a Chinese error naming the sheets otherwise."""
    for grid in grids:
        for row in grid.expanded().rows:
            keys = {label_key(v) for v in row}
            if "三级指标" in keys and any(k.startswith("年度指标值") or k == "指标值" for k in keys):
                return grid
    names = "、".join(f"「{g.name}」" for g in grids) or "（无）"
    raise UserError(f"没有找到自评表：工作表{names}中都没有“三级指标/年度指标值”表头，请确认这是预算支出绩效自评表", sheet=grids[0].name if grids else "")


def parse_official(grids: list[SheetGrid]) -> ImportedTable:
    table = _Table(find_table_sheet(grids))
    header = table.find(lambda k: k == "三级指标")
    assert header is not None
    indicator_row = header[0]
    year = _year(table, indicator_row)
    name, department, implementer = (_labelled(table, match, indicator_row) for match in (
        lambda k: k.startswith("项目") and k.endswith("名称") and len(k) <= 8, lambda k: k == "主管部门", lambda k: k == "实施单位"))
    if not name:
        table.report(WARNING, 0, 0, "没有找到“项目名称”，已用工作表名称代替")
    funds, unit_note, funds_cells = _funds(table, indicator_row)
    expected, achieved = _goal(table, indicator_row)
    columns = table.header_columns(indicator_row, INDICATOR_HEADERS)
    missing = [label[0] for key, label in INDICATOR_HEADERS.items() if key not in columns and key not in ("comparator", "unit", "reason", "score")]
    if missing:
        raise UserError(f"绩效指标表头缺少{'、'.join(missing)}列", sheet=table.name, cell=table.address(indicator_row, 0))
    indicators, empty, total_row = _indicators(table, indicator_row, columns)
    published_total, total_cell = _published_total(table, total_row)
    project = Project(name=cell_text(name) or table.name, department=cell_text(department), implementer=cell_text(implementer),
                      funds=funds, goal_expected=expected, goal_achieved=achieved, indicators=tuple(indicators),
                      published_total=published_total)
    letters = {key: get_column_letter(c + 1) for key, c in columns.items()}
    cells = {**funds_cells, **({"total": f"{table.name}!{total_cell}"} if total_cell else {})}
    return ImportedTable(project, year, table.name, Origins(letters, cells), tuple(table.problems),
                         (unit_note,) if unit_note else (), tuple(empty))


def _year(table: _Table, stop: int) -> int | None:
    for r in range(min(stop, 6)):
        for value in table.rows[r]:
            match = YEAR.search(normalize_text(value)) if isinstance(value, str) else None
            if match and ("自评" in value or "绩效" in value):
                return int(match.group(1))
    return None


def _labelled(table: _Table, match, stop: int) -> object:
    found = table.find(match, 0, stop)
    value = table.right_of(*found) if found else None
    return value[0] if value else None


def _funds(table: _Table, stop: int) -> tuple[Funds, str, dict[str, str]]:
    """The 项目资金 block: header row, then 年度资金总额 and its 其中 rows until the next block."""
    found = table.find(lambda k: k.startswith("年初预算数"), 0, stop)
    if found is None:
        table.report(ERROR, 0, 0, "没有找到“项目资金”表头（年初预算数/全年预算数/全年执行数），无法计算执行率")
        return Funds(FundsLine(FUNDS_TOTAL)), "", {}
    header = found[0]
    columns = table.header_columns(header, FUNDS_HEADERS)
    in_yuan = _amounts_in_yuan(table, header, columns)
    lines: dict[str, FundsLine] = {}
    cells: dict[str, str] = {}
    weight = None
    for r in range(header + 1, stop):
        label = _funds_label(table, r, columns["initial"] if "initial" in columns else 1)
        if label is None:
            if any(k.startswith(("年度总体目标", "预期目标")) for k in table.keys[r]):
                break
            continue
        amounts = [_amount(table, r, columns.get(key), f"{label}{head[0]}", in_yuan)
                   for key, head in FUNDS_HEADERS.items() if key != "weight"]
        lines[label] = FundsLine(label, *amounts)
        key = "funds.total" if label == FUNDS_TOTAL else f"funds.{label}"
        cells[key] = f"{table.name}!{table.address(r, columns.get('initial', 0))}"
        if label == FUNDS_TOTAL:
            weight = table.number(r, columns.get("weight"), "项目资金分值")
    total = lines.pop(FUNDS_TOTAL, None)
    if total is None:
        table.report(ERROR, header, 0, "项目资金中没有“年度资金总额”行，无法计算执行率")
        total = FundsLine(FUNDS_TOTAL)
    parts = tuple(lines[label] for label in FUNDS_CATEGORIES[1:] if label in lines)
    note = "项目资金金额单位为元，已换算为万元" if in_yuan else ""
    return Funds(total, parts, weight), note, cells


def _amounts_in_yuan(table: _Table, header: int, columns: dict[str, int]) -> bool:
    """元 when the block label, a header or a "单位：元" line above says so; 万元 otherwise."""
    texts = [k for r in range(0, min(header + 6, len(table.keys))) for k in table.keys[r]
             if k and (k.startswith("项目资金") or k.startswith("单位") or r == header)]
    for key in texts:
        if "万元" in key:
            return False
        if "(元)" in key or "单位:元" in key or key.endswith("(元)"):
            return True
    return False


def _funds_label(table: _Table, r: int, first_amount: int) -> str | None:
    for c in range(first_amount - 1, -1, -1):
        key = table.keys[r][c] if c < len(table.keys[r]) else ""
        key = key.removeprefix("其中:").removeprefix("其中")
        for category in FUNDS_CATEGORIES:
            if key == category or (category == FUNDS_TOTAL and key in ("资金总额", "年度资金合计", "合计")):
                return category
    return None


def _amount(table: _Table, r: int, c: int | None, what: str, in_yuan: bool) -> Decimal | None:
    value = table.number(r, c, what)
    return value / YUAN_PER_WAN if value is not None and in_yuan else value


def _goal(table: _Table, stop: int) -> tuple[str, str]:
    """年度总体目标: the cells under 预期目标 / 实际完成情况, or the text right of the label."""
    head = table.find(lambda k: k == "预期目标", 0, stop)
    if head:
        r, c = head
        done = next((col for col, k in enumerate(table.keys[r]) if k.startswith("实际完成")), None)
        below = r + 1 if r + 1 < stop else r
        expected = cell_text(table.cell(below, c))
        achieved = cell_text(table.cell(below, done)) if done is not None else ""
        return expected, achieved
    label = table.find(lambda k: k.startswith("年度总体目标"), 0, stop)
    value = table.right_of(*label) if label else None
    return (cell_text(value[0]) if value else ""), ""


def _strip_level1(text: str) -> str:
    return LEVEL1_WEIGHT.sub("", re.sub(r"\s+", "", normalize_text(text)))


def _target(table: _Table, r: int, columns: dict[str, int]) -> object:
    """年度指标值 with a separate comparator or unit column folded into its text."""
    target = _cell_value(table.cell(r, columns["target"]))
    if target is None:
        return None
    text = cell_text(table.cell(r, columns["target"]))
    comparator = cell_text(table.cell(r, columns["comparator"])) if "comparator" in columns else ""
    unit = cell_text(table.cell(r, columns["unit"])) if "unit" in columns else ""
    if unit and re.fullmatch(r"-?\d+(?:\.\d+)?", normalize_text(text)):
        text += unit
    comparator = COMPARATOR_WORDS.get(comparator, comparator)
    if comparator and comparator not in ("定性", "—", "-") and not re.match(r"^[<>=≤≥＜＞≦≧]", normalize_text(text)):
        text = comparator + text
    return text if (comparator or unit) else target


def _indicators(table: _Table, header: int, columns: dict[str, int]) -> tuple[list[Indicator], list[str], int | None]:
    indicators: list[Indicator] = []
    empty: list[str] = []
    level1 = level2 = ""
    first_label_column = min(columns["level1"], columns["level2"])
    for r in range(header + 1, len(table.rows)):
        if any(k in ("总分", "合计", "总计") for k in table.keys[r][:first_label_column + 1]):
            return indicators, empty, r
        raw1 = _strip_level1(cell_text(table.cell(r, columns["level1"])))
        if raw1 and raw1 != level1:
            level1, level2 = raw1, ""
        raw2 = re.sub(r"\s+", "", normalize_text(cell_text(table.cell(r, columns["level2"]))))
        if raw2:
            level2 = raw2
        level3 = NUMBERING.sub("", cell_text(table.cell(r, columns["level3"])))
        target_cell = cell_text(table.cell(r, columns["target"]))
        if PLACEHOLDER.fullmatch(level3) and PLACEHOLDER.fullmatch(target_cell) and (level3 or target_cell):
            continue  # "…" rows stand for "more rows could go here"
        weight_cell = table.cell(r, columns["weight"])
        if not level3 and not target_cell and is_blank(weight_cell):
            if level2 and level2 not in empty and all(i.level2 != level2 or i.level1 != level1 for i in indicators):
                empty.append(level2)
            continue
        indicator = _indicator(table, r, columns, level1, level2, level3)
        if indicator is not None:
            indicators.append(indicator)
    return indicators, empty, None


def _indicator(table: _Table, r: int, columns: dict[str, int], level1: str, level2: str, level3: str) -> Indicator | None:
    where = f"三级指标「{level3 or level2}」"
    weight = table.number(r, columns["weight"], f"{where}的分值")
    if weight is None:
        if is_blank(table.cell(r, columns["weight"])):
            table.report(ERROR, r, columns["weight"], f"{where}的分值为空，此行不计分")
        return None
    published = table.number(r, columns.get("score"), f"{where}的得分")
    values = {}
    for key, label in (("target", "年度指标值"), ("actual", "实际完成值")):
        values[key] = None if table.error_value(r, columns[key], f"{where}的{label}") else (
            _target(table, r, columns) if key == "target" else _cell_value(table.cell(r, columns[key])))
    reason = cell_text(table.cell(r, columns["reason"])) if "reason" in columns else ""
    if not level3:
        table.report(WARNING, r, columns["level3"], f"{level2}下有一行三级指标名称为空")
    return Indicator(level1=level1, level2=level2, level3=level3, target=values["target"], actual=values["actual"],
                     weight=weight, deviation_reason="" if PLACEHOLDER.fullmatch(reason) else reason,
                     published_score=published, origin=f"{table.name}!{table.address(r, columns['level3'])}")


def _published_total(table: _Table, row: int | None) -> tuple[Decimal | None, str]:
    """总分 row: the numbers right of the label are (分值 100, 得分) or just 得分."""
    if row is None:
        return None, ""
    label = next(c for c, k in enumerate(table.keys[row]) if k in ("总分", "合计", "总计"))
    numbers = []
    for c in range(label + 1, len(table.rows[row])):
        value = table.cell(row, c)
        if is_blank(value) or table.keys[row][c] == table.keys[row][label] or (numbers and value == table.cell(row, numbers[-1][1])):
            continue  # the merged label, or a merged value, repeats across its columns
        number = table.number(row, c, "总分", WARNING)
        if number is not None:
            numbers.append((number, c))
    if not numbers:
        return None, ""
    number, column = numbers[-1]
    return number, table.address(row, column)
