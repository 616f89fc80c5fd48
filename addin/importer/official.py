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

A file holds one table per project: one sheet each (the 自评表-项目 sheets ``ziping report``
writes), or several tables stacked on a sheet. Every sheet is scanned; each 绩效指标 header
row starts a table, whose 项目名称/资金/目标 blocks are searched only between the previous
table's end (its 总分 row) and its own header, so no figure is taken from a neighbour.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from openpyxl.utils import get_column_letter

from udfs.cells import EXCEL_ERRORS, is_blank
from udfs.model import Entry
from udfs.model import Funds, FundsLine, Indicator, Project
from udfs.numbers import D
from udfs.targets import normalize_text

from ..checks import ERROR, WARNING, Check, Origins
from ..errors import UserError
from ..layout import FUNDS_CATEGORIES, FUNDS_TOTAL
from ..reading.grid import SheetGrid
from ..reading.typed import NotANumber, entry, figure, shown

if TYPE_CHECKING:
    from .department import ImportedBase, ImportedWhole

YUAN_PER_WAN = Decimal(10_000)
PLACEHOLDER = re.compile(r"^[.…。·\-—_~～/\\]*$")
NUMBERING = re.compile(r"^(?:指标\s*\d+\s*[:：.、]?|\d+\s*[.、:：]|[(（]\d+[)）]\s*)\s*")
LEVEL1_WEIGHT = re.compile(r"[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]\s*$")
YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
YEAR_OF_TABLE = re.compile(r"((?:19|20)\d{2})\s*年度")  # "（2023年度）" on its own names the table's year
TOTAL_LABELS = ("总分", "合计", "总计")

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


@dataclass(frozen=True)
class ImportedTables:
    """Every table of a file, in sheet order and top to bottom: one project each.

    ``year`` is the first year a title states; ``notes`` are what the user is told about the
    file as a whole (which sheets were read, which skipped) followed by each table's notes.
    A table's own problems name its sheet and cell; :attr:`problems` lists them all.
    """

    tables: tuple[ImportedTable, ...]
    year: int | None
    notes: tuple[str, ...] = ()
    # The department-wide annexes when the file has them (addin.importer.department): the
    # 部门整体 table is then not among ``tables``.
    whole: "ImportedWhole | None" = None
    base: "ImportedBase | None" = None

    @property
    def projects(self) -> tuple[Project, ...]:
        return tuple(table.project for table in self.tables)

    @property
    def problems(self) -> tuple[Check, ...]:
        return tuple(problem for table in self.tables for problem in table.problems)


class _Table:
    """One sheet's expanded grid with label search and Chinese problem reporting."""

    def __init__(self, grid: SheetGrid) -> None:
        self.name = grid.name
        self.grid = grid.expanded()
        self.rows = self.grid.rows
        self.keys = [[label_key(v) for v in row] for row in self.rows]
        self.merged = grid.merged
        self.start = 0  # first row of the table being read (blocks are searched from here)
        self.problems: list[Check] = []

    def region(self, start: int) -> "_Table":
        """The same sheet, for the table whose blocks begin at row ``start``, with its own problems."""
        table = copy.copy(self)
        table.start, table.problems = start, []
        return table

    def anchor(self, r: int, c: int) -> tuple[int, int]:
        """The cell a user edits for (r, c): the top-left cell of its merged range."""
        for r0, c0, r1, c1 in self.merged:
            if r0 <= r <= r1 and c0 <= c <= c1:
                return r0, c0
        return r, c

    def cell(self, r: int, c: int) -> object:
        return self.rows[r][c] if r < len(self.rows) and c < len(self.rows[r]) else None

    def text(self, r: int, c: int) -> str:
        """What the cell shows (a date as its date text, 0.95 under a percent format as 95.00%)."""
        return shown(self.cell(r, c), self.grid.number_format(r, c))

    def entry(self, r: int, c: int) -> Entry | None:
        """A target/actual cell with its format; None when blank. A number no table holds
        (1e20) is kept as the text it shows, so the scoring names it at its cell."""
        try:
            return entry(self.cell(r, c), self.grid.number_format(r, c))
        except ValueError:
            text = self.text(r, c)
            return Entry(text, text, self.grid.number_format(r, c))

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
        """A number cell as a Figure (prints as shown); "5分" is 5. Bad cells are reported."""
        if c is None or is_blank(self.cell(r, c)) or self.error_value(r, c, what):
            return None
        value = self.cell(r, c)
        if isinstance(value, str):
            value = value.strip().removesuffix("分").strip()
        try:
            return figure(value, self.grid.number_format(r, c))
        except NotANumber:
            self.report(severity, r, c, f"{what}「{self.text(r, c)}」不是数字")
        except ValueError as error:  # a number out of range (udfs.numbers.D)
            self.report(severity, r, c, f"{what}：{error}")
        return None


def is_indicator_header(keys: list[str]) -> bool:
    """A 绩效指标 header row: 三级指标 and 年度指标值 side by side. Each one starts a table."""
    return "三级指标" in keys and any(k.startswith("年度指标值") or k == "指标值" for k in keys)


def _is_name_label(key: str) -> bool:
    return key.startswith("项目") and key.endswith("名称") and len(key) <= 8


def _opens_table(key: str) -> bool:
    """Labels that begin a table's upper part: met below a table without 总分, they end it."""
    return _is_name_label(key) or key.startswith(("项目资金", "年度总体目标")) or "自评表" in key


def parse_official(grids: list[SheetGrid]) -> ImportedTables:
    """Every table of every sheet; sheets without one are skipped (and named in a note).

    No table anywhere is a Chinese UserError naming the sheets looked at.
    """
    tables: list[ImportedTable] = []
    skipped: list[str] = []
    for grid in grids:
        sheet = _Table(grid)
        headers = [r for r, keys in enumerate(sheet.keys) if is_indicator_header(keys)]
        if not headers:
            skipped.append(grid.name)
            continue
        start = 0
        for index, header in enumerate(headers):
            stop = headers[index + 1] if index + 1 < len(headers) else len(sheet.rows)
            table, end = _parse_table(sheet.region(start), header, stop)
            tables.append(table)
            start = end + 1
    if not tables:
        names = "、".join(f"「{g.name}」" for g in grids) or "（无）"
        raise UserError(f"没有找到自评表：工作表{names}中都没有“三级指标/年度指标值”表头，请确认这是预算支出绩效自评表",
                        sheet=grids[0].name if grids else "")
    tables = _unique_names(tables)
    year = next((t.year for t in tables if t.year is not None), None)
    tables = [_check_year(t, year) for t in tables]
    return ImportedTables(tuple(tables), year, _file_notes(tables, skipped, len(grids)))


def _parse_table(table: _Table, indicator_row: int, stop: int) -> tuple[ImportedTable, int]:
    """The table whose 绩效指标 header is ``indicator_row``; its upper blocks lie between
    ``table.start`` and that row, its indicators below it and before ``stop`` (the next
    header). Returns the table and its last row (总分, or the last indicator row)."""
    year, year_cell = _year(table, indicator_row)
    (name, name_cell), (department, _), (implementer, _) = (_labelled(table, match, indicator_row) for match in (
        _is_name_label, lambda k: k == "主管部门", lambda k: k == "实施单位"))
    if not name:
        table.report(WARNING, table.start, 0, "没有找到“项目名称”，已用工作表名称代替")
    funds, unit_note, funds_cells, funds_letters = _funds(table, indicator_row)
    expected, achieved = _goal(table, indicator_row)
    columns = table.header_columns(indicator_row, INDICATOR_HEADERS)
    missing = [label[0] for key, label in INDICATOR_HEADERS.items() if key not in columns and key not in ("comparator", "unit", "reason", "score")]
    if missing:
        raise UserError(f"绩效指标表头缺少{'、'.join(missing)}列", sheet=table.name, cell=table.address(indicator_row, 0))
    indicators, empty, total_row, last_row = _indicators(table, indicator_row, columns, stop)
    published_total, total_cells = _published_total(table, total_row, columns)
    project = Project(name=name or table.name, department=department, implementer=implementer,
                      funds=funds, goal_expected=expected, goal_achieved=achieved, indicators=tuple(indicators),
                      published_total=published_total)
    letters = {**{key: get_column_letter(c + 1) for key, c in columns.items()}, **funds_letters}
    located = {"name": name_cell, "year": year_cell, **total_cells}
    cells = {**funds_cells, **{key: f"{table.name}!{cell}" for key, cell in located.items() if cell}}
    imported = ImportedTable(project, year, table.name, Origins(letters, cells), tuple(table.problems),
                             (unit_note,) if unit_note else (), tuple(empty))
    return imported, last_row


def _unique_names(tables: list[ImportedTable]) -> list[ImportedTable]:
    """Two tables of one project name stay two projects: the later ones get "（2）"… and a warning
    (the template keys indicators and funds by project name)."""
    taken = {t.project.name for t in tables}
    first: dict[str, str] = {}  # name -> where the first table of that name gives it
    unique = []
    for table in tables:
        name = table.project.name
        sheet, cell = table.origins.of("name", table.sheet)
        if name not in first:
            first[name] = f"工作表「{sheet}」" + (f"单元格{cell}" if cell else "")
            unique.append(table)
            continue
        number = 2
        while f"{name}（{number}）" in taken:
            number += 1
        new = f"{name}（{number}）"
        taken.add(new)
        warning = Check(WARNING, sheet, cell, f"项目名称「{name}」与{first[name]}的项目重名，"
                                              f"两个项目都已导入，此项目改名为「{new}」以便区分，请核实")
        unique.append(replace(table, project=replace(table.project, name=new), problems=(*table.problems, warning)))
    return unique


def _check_year(table: ImportedTable, year: int | None) -> ImportedTable:
    """A table whose title names another year than the file's first is imported, with a warning."""
    if table.year is None or year is None or table.year == year:
        return table
    sheet, cell = table.origins.of("year", table.sheet)
    warning = Check(WARNING, sheet, cell, f"项目「{table.project.name}」的自评表标题年度为{table.year}年，"
                                          f"与文件中第一张自评表的{year}年不一致，已按{year}年导入，请核实")
    return replace(table, problems=(*table.problems, warning))


def _file_notes(tables: list[ImportedTable], skipped: list[str], sheet_count: int) -> tuple[str, ...]:
    """Which sheets were read (and skipped) when there was a choice, then each table's notes."""
    notes = []
    if sheet_count > 1 or len(tables) > 1:
        counts = Counter(t.sheet for t in tables)
        read = "、".join(f"「{sheet}」" + (f"（{count}张）" if count > 1 else "") for sheet, count in counts.items())
        note = f"已读取{len(tables)}张自评表，来自工作表{read}"
        if skipped:
            note += f"；工作表{'、'.join(f'「{name}」' for name in skipped)}中没有自评表，已跳过"
        notes.append(note)
    for table in tables:
        where = f"工作表「{table.sheet}」项目「{table.project.name}」：" if len(tables) > 1 else ""
        notes += [where + note for note in table.notes]
    return tuple(notes)


def _year(table: _Table, stop: int) -> tuple[int | None, str]:
    """The year in the title or subtitle above the table's first block: "2022年度…自评表",
    "（2023年度）" on its own line, or "2023年" in a cell that says 自评/绩效."""
    for r in range(table.start, _preamble_end(table, stop)):
        for c, value in enumerate(table.rows[r]):
            if not isinstance(value, str):
                continue
            text = normalize_text(value)
            match = YEAR_OF_TABLE.search(text) or (YEAR.search(text) if "自评" in text or "绩效" in text else None)
            if match:
                return int(match.group(1)), table.address(*table.anchor(r, c))
    return None, ""


def _preamble_end(table: _Table, stop: int) -> int:
    """The first row of the table's labelled blocks (项目名称, 主管部门, 项目资金 …)."""
    found = table.find(lambda k: _is_name_label(k) or k in ("主管部门", "实施单位") or k.startswith(("项目资金", "年初预算数", "年度总体目标")),
                       table.start, stop)
    return found[0] if found else stop


def _labelled(table: _Table, match, stop: int) -> tuple[str, str]:
    """What the cell right of the first label ``match`` accepts shows, and that cell ("" when absent)."""
    found = table.find(match, table.start, stop)
    value = table.right_of(*found) if found else None
    return (table.text(found[0], value[1]), table.address(*table.anchor(found[0], value[1]))) if value else ("", "")


def _funds(table: _Table, stop: int) -> tuple[Funds, str, dict[str, str], dict[str, str]]:
    """The 项目资金 block: header row, then 年度资金总额 and its 其中 rows until the next block.
    Returns the funds, a note on units, named cells and the column letters ("funds.budget": "E")."""
    found = table.find(lambda k: k.startswith("年初预算数"), table.start, stop)
    if found is None:
        table.report(ERROR, table.start, 0, "没有找到“项目资金”表头（年初预算数/全年预算数/全年执行数），无法计算执行率")
        return Funds(FundsLine(FUNDS_TOTAL)), "", {}, {}
    header = found[0]
    columns = table.header_columns(header, FUNDS_HEADERS)
    letters = {f"funds.{key}": get_column_letter(c + 1) for key, c in columns.items()}
    in_yuan = _amounts_in_yuan(table, header, stop)
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
        lines[label] = FundsLine(label, *amounts, origin=f"{table.name}!{table.address(r, columns.get('initial', 0))}")
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
    return Funds(total, parts, weight), note, cells, letters


def _amounts_in_yuan(table: _Table, header: int, stop: int) -> bool:
    """元 when the block label, a header or a "单位：元" line above says so; 万元 otherwise."""
    texts = [k for r in range(table.start, min(header + 6, stop, len(table.keys))) for k in table.keys[r]
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
    head = table.find(lambda k: k == "预期目标", table.start, stop)
    if head:
        r, c = head
        done = next((col for col, k in enumerate(table.keys[r]) if k.startswith("实际完成")), None)
        below = r + 1 if r + 1 < stop else r
        expected = table.text(below, c)
        achieved = table.text(below, done) if done is not None else ""
        return expected, achieved
    label = table.find(lambda k: k.startswith("年度总体目标"), table.start, stop)
    value = table.right_of(*label) if label else None
    return (table.text(label[0], value[1]) if value else ""), ""


def _strip_level1(text: str) -> str:
    return LEVEL1_WEIGHT.sub("", re.sub(r"\s+", "", normalize_text(text)))


def _target(table: _Table, r: int, columns: dict[str, int]) -> object:
    """年度指标值 with a separate comparator or unit column folded into its text."""
    target = table.entry(r, columns["target"])
    if target is None:
        return None
    text = target.text
    comparator = table.text(r, columns["comparator"]) if "comparator" in columns else ""
    unit = table.text(r, columns["unit"]) if "unit" in columns else ""
    if unit and re.fullmatch(r"-?\d+(?:\.\d+)?", normalize_text(text)):
        text += unit
    comparator = COMPARATOR_WORDS.get(comparator, comparator)
    if comparator and comparator not in ("定性", "—", "-") and not re.match(r"^[<>=≤≥＜＞≦≧]", normalize_text(text)):
        text = comparator + text
    return Entry(text, text) if (comparator or unit) else target


def _indicators(table: _Table, header: int, columns: dict[str, int],
                stop: int) -> tuple[list[Indicator], list[str], int | None, int]:
    """Rows below ``header`` up to 总分, the next table's upper part or ``stop``: the indicators,
    the empty 二级 names, the 总分 row (None without one) and the table's last row."""
    indicators: list[Indicator] = []
    empty: list[str] = []
    level1 = level2 = ""
    first_label_column = min(columns["level1"], columns["level2"])
    for r in range(header + 1, min(stop, len(table.rows))):
        labels = table.keys[r][:first_label_column + 1]
        if any(k in TOTAL_LABELS for k in labels):
            return indicators, empty, r, r
        if any(_opens_table(k) for k in labels):
            return indicators, empty, None, r - 1
        raw1 = _strip_level1(table.text(r, columns["level1"]))
        if raw1 and raw1 != level1:
            level1, level2 = raw1, ""
        raw2 = re.sub(r"\s+", "", normalize_text(table.text(r, columns["level2"])))
        if raw2:
            level2 = raw2
        level3 = NUMBERING.sub("", table.text(r, columns["level3"]))
        target_cell = table.text(r, columns["target"])
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
    return indicators, empty, None, min(stop, len(table.rows)) - 1


def _indicator(table: _Table, r: int, columns: dict[str, int], level1: str, level2: str, level3: str) -> Indicator | None:
    where = f"三级指标「{level3 or level2}」"
    weight = table.number(r, columns["weight"], f"{where}的分值")
    if weight is None and is_blank(table.cell(r, columns["weight"])):
        table.report(ERROR, r, columns["weight"], f"{where}的分值为空，此行不计分")
    published = table.number(r, columns.get("score"), f"{where}的得分")
    values = {}
    for key, label in (("target", "年度指标值"), ("actual", "实际完成值")):
        values[key] = None if table.error_value(r, columns[key], f"{where}的{label}") else (
            _target(table, r, columns) if key == "target" else table.entry(r, columns[key]))
    reason = table.text(r, columns["reason"]) if "reason" in columns else ""
    if not level3:
        table.report(WARNING, r, columns["level3"], f"{level2}下有一行三级指标名称为空")
    return Indicator(level1=level1, level2=level2, level3=level3, target=values["target"], actual=values["actual"],
                     weight=weight, deviation_reason="" if PLACEHOLDER.fullmatch(reason) else reason,
                     published_score=published, origin=f"{table.name}!{table.address(r, columns['level3'])}",
                     weight_text="" if weight is not None else table.text(r, columns["weight"]))


def _published_total(table: _Table, row: int | None, columns: dict[str, int]) -> tuple[Decimal | None, dict[str, str]]:
    """总分 row: the 得分 under the 得分 column (the 分值 100 under 分值), or else the numbers
    right of the label are (分值, 得分) or just 得分. Returns the total and the cells
    {"total": the 得分 cell, "total.weight": the 分值 cell}."""
    if row is None:
        return None, {}
    label = next(c for c, k in enumerate(table.keys[row]) if k in TOTAL_LABELS)
    score, weight = columns.get("score"), columns["weight"]
    if score is not None and score > label and not is_blank(table.cell(row, score)) \
            and table.anchor(row, score)[1] > label:
        cells = {"total": table.address(*table.anchor(row, score))}
        if weight > label and table.anchor(row, weight) != table.anchor(row, score) and not is_blank(table.cell(row, weight)):
            cells["total.weight"] = table.address(*table.anchor(row, weight))
        return table.number(row, score, "总分", WARNING), cells
    numbers = []
    for c in range(label + 1, len(table.rows[row])):
        value = table.cell(row, c)
        if is_blank(value) or table.anchor(row, c) != (row, c) or table.keys[row][c] == table.keys[row][label]:
            continue  # the merged label, or a merged value, repeats across its columns
        number = table.number(row, c, "总分", WARNING)
        if number is not None:
            numbers.append((number, c))
    if not numbers:
        return None, {}
    cells = {"total": table.address(row, numbers[-1][1])}
    if len(numbers) > 1:
        cells["total.weight"] = table.address(row, numbers[0][1])
    return numbers[-1][0], cells
