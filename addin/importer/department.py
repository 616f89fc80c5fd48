"""Published department-wide tables in the Hunan layout -> :class:`BaseData` and :class:`WholeTable`.

A county publishes them as two annexes to its 部门决算 (衡山县贯塘乡人民政府 2023): 附件一
部门整体支出绩效评价基础数据表 and 附件二 部门整体支出绩效自评表. Like the project importer
(:mod:`.official`), everything is found by its labels, never by coordinates:

* the 基础数据表 by "财政供养人员情况"; its 经费控制情况 columns by the "…决算数"/"…预算数"
  headings (上年决算数 is the first 决算数 column), its rows by their labels with the form's
  numbering, colons and "(每个专项一行)" notes ignored; a row the form does not have, under
  项目支出, is one 专项;
* the 部门整体 table is a 自评表 whose upper part says "预算部门、单位名称" or whose title says
  部门整体支出绩效自评表: the project importer reads its funds, goal and indicators, and here
  its 按收入性质/按支出性质 lines are read — "一般公共预算：1325.68" in one cell, or the label and
  the amount side by side.

``cells`` name where each figure was ("whole.expenditure" -> "附件二!F7") so a check points at
the cell a reviewer circles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from udfs.model import BaseData, Building, CostLine, Share, Staffing, WholeFunds, WholeTable
from udfs.numbers import Figure

from ..checks import WARNING, Check
from ..layout import COST_CATEGORIES, EXPENDITURE_SHARES, REVENUE_SHARES, SPECIAL_FUNDS
from ..reading.grid import SheetGrid
from .official import PLACEHOLDER, ImportedTable, _Table, label_key

ITEM_ALIASES = {
    **{item: item for item, _ in COST_CATEGORIES},
    "公务用车购置及运行维护费": "公务用车购置和维护经费", "公务用车购置及运行维护经费": "公务用车购置和维护经费",
    "因公出国(境)费": "出国经费", "因公出国(境)经费": "出国经费", "公务接待费": "公务接待",
    "业务工作专项": "业务工作经费", "运行维护专项": "运行维护经费", "部门整体支出预算调整": "部门基本支出预算调整",
}
_NUMBERED = re.compile(r"^(?:其中[:：]?)?(?:\d+[、.．]|[(（]\d+[)）])?")
_NOTE = re.compile(r"[(（]每个专项一行[)）]?$")
SHARE_LABELS = {**{label_key(label): ("revenue", label) for _, label in REVENUE_SHARES},
                **{label_key(label): ("expenditure", label) for _, label in EXPENDITURE_SHARES},
                "按收入性质分": ("revenue", ""), "按支出性质分": ("expenditure", "")}


@dataclass(frozen=True)
class ImportedBase:
    base_data: BaseData
    sheet: str
    cells: dict[str, str] = field(default_factory=dict)
    problems: tuple[Check, ...] = ()


@dataclass(frozen=True)
class ImportedWhole:
    whole: WholeTable
    department: str  # 预算部门、单位名称
    table: ImportedTable  # as the project importer read it (origins of its indicators)
    cells: dict[str, str] = field(default_factory=dict)


# --- 附件一 ------------------------------------------------------------------------------------

def _item(key: str) -> tuple[str | None, str]:
    """(item, 专项 name) of a row label key; (None, "") for a label the form does not have."""
    bare = _NOTE.sub("", _NUMBERED.sub("", key)).rstrip(":：")
    if bare in ITEM_ALIASES:
        return ITEM_ALIASES[bare], ""
    if bare.endswith("专项资金") or bare.endswith("专项"):
        return SPECIAL_FUNDS, "" if bare in ("专项资金", "省级专项资金", "市级专项资金", "县级专项资金") else bare
    return None, bare


def _columns(table: _Table, r: int, predicate) -> list[int]:
    """First column of each merged range in row ``r`` whose label the predicate accepts."""
    found, anchors = [], set()
    for c, key in enumerate(table.keys[r]):
        anchor = table.anchor(r, c)
        if key and predicate(key) and anchor not in anchors:
            anchors.add(anchor)
            found.append(c)
    return found


def _number_below(table: _Table, r: int, c: int, what: str, cells: dict[str, str], key: str) -> Decimal | None:
    """The figure under a heading (the row right below it; blank is None)."""
    if r + 1 >= len(table.rows):
        return None
    cells[key] = f"{table.name}!{table.address(*table.anchor(r + 1, c))}"
    return table.number(r + 1, c, what)


def parse_base(grid: SheetGrid) -> ImportedBase | None:
    """The 基础数据表 on ``grid``, or None when the sheet has none."""
    table = _Table(grid)
    start = table.find(lambda k: k.startswith("财政供养人员情况"))
    if start is None:
        return None
    cells: dict[str, str] = {}
    header = table.find(lambda k: k == "编制数", start[0], start[0] + 3)
    staffing = Staffing()
    if header is not None:
        r = header[0]
        in_post = next(iter(_columns(table, r, lambda k: "实际在职" in k)), None)
        staffing = Staffing(_number_below(table, r, header[1], "编制数", cells, "staffing.authorized"),
                            None if in_post is None else _number_below(table, r, in_post, "实际在职人数", cells,
                                                                       "staffing.in_post"))
    costs = _costs(table, start[0], cells)
    building = _building(table)
    frugality = table.find(lambda k: k.startswith("厉行节约"))
    text = table.right_of(*frugality) if frugality else None
    base = BaseData(staffing, tuple(costs), building, "" if text is None else str(text[0]).strip())
    return ImportedBase(base, grid.name, cells, tuple(table.problems))


def _costs(table: _Table, start: int, cells: dict[str, str]) -> list[CostLine]:
    header = table.find(lambda k: k.endswith("决算数"), start)
    if header is None:
        table.report(WARNING, start, 0, "基础数据表中没有找到“决算数/预算数”表头，经费控制情况未读取")
        return []
    r = header[0]
    finals = _columns(table, r, lambda k: k.endswith("决算数"))
    budgets = _columns(table, r, lambda k: k.endswith("预算数") and not k.endswith("决算数"))
    columns = {"last_final": finals[0] if len(finals) > 1 else None, "budget": next(iter(budgets), None),
               "final": finals[-1]}
    label = 0
    lines: list[CostLine] = []
    in_projects = False
    for row in range(r + 1, len(table.rows)):
        key = table.keys[row][label] if table.keys[row] else ""
        if key.startswith(("楼堂馆所", "厉行节约", "说明")):
            break
        if not key or PLACEHOLDER.fullmatch(key):
            continue
        item, name = _item(key)
        if item == "项目支出":
            in_projects = True
        elif item in ("公用经费", "政府采购金额", "部门基本支出预算调整", "三公经费"):
            in_projects = False
        if item is None and in_projects:
            item = SPECIAL_FUNDS
        if item is None:
            table.report(WARNING, row, label, f"基础数据表中「{table.text(row, label)}」不是该表的行，未读取")
            continue
        amounts = {column: None if c is None else table.number(row, c, f"{table.text(row, label)}的金额")
                   for column, c in columns.items()}
        if all(value is None for value in amounts.values()):
            continue
        origin = f"{table.name}!{table.address(row, columns['final'])}"
        lines.append(CostLine(item, name, amounts["last_final"], amounts["budget"], amounts["final"], origin=origin))
        if item != SPECIAL_FUNDS or not any(line.item == item for line in lines[:-1]):
            for column, c in columns.items():
                if c is not None:
                    cells.setdefault(f"cost.{item}.{column}", f"{table.name}!{table.address(row, c)}")
    return lines


def _building(table: _Table) -> Building:
    header = table.find(lambda k: k.startswith("批复规模"))
    if header is None:
        return Building()
    r = header[0]
    heads = (("approved_area", "批复规模"), ("actual_area", "实际规"), ("budget_investment", "预算投资"),
             ("actual_investment", "实际投资"))
    values: dict[str, Decimal | None] = {}
    for key, start in heads:
        column = next(iter(_columns(table, r, lambda k, s=start: k.startswith(s))), None)
        values[key] = None if column is None else _number_below(table, r, column, start, {}, key)
    return Building("", **values)


# --- 附件二 ------------------------------------------------------------------------------------

def is_whole_table(grid: SheetGrid, imported: ImportedTable) -> bool:
    """Whether a table the project importer read is the 部门整体支出绩效自评表: its upper part
    (above 年度资金总额, below the previous table) names a 预算部门 or its title says so."""
    table = _Table(grid)
    funds = imported.origins.cells.get("funds.total", "")
    top = _row_of(funds) if funds else len(table.rows)
    for r in range(min(top, len(table.rows)) - 1, -1, -1):
        keys = table.keys[r]
        if any(k in ("总分", "合计", "总计") for k in keys[:2]):
            return False
        if any(k.startswith("预算部门") or "部门整体支出绩效自评表" in k for k in keys):
            return True
    return False


def _row_of(address: str) -> int:
    """0-based row of "sheet!D5"."""
    return int(re.sub(r"\D", "", address.rpartition("!")[2])) - 1


def parse_whole(grid: SheetGrid, imported: ImportedTable) -> ImportedWhole:
    """The 部门整体 table: the project importer's reading plus the 预算部门 and the splits."""
    table = _Table(grid)
    project = imported.project
    funds_row = _row_of(imported.origins.cells.get("funds.total", f"{grid.name}!A1"))
    start = funds_row
    while start > 0 and not any(k in ("总分", "合计", "总计") for k in table.keys[start - 1][:2]):
        start -= 1
    name_at = table.find(lambda k: k.startswith("预算部门") or k in ("部门名称", "单位名称", "部门(单位)名称"),
                         start, funds_row + 1)
    named = table.right_of(*name_at) if name_at else None
    department = "" if named is None else str(named[0]).strip()
    goal = table.find(lambda k: k.startswith("年度总体目标"), funds_row)
    stop = goal[0] if goal else min(funds_row + 10, len(table.rows))
    cells: dict[str, str] = {"whole.executed": imported.origins.cells.get("funds.total", "")}
    shares: dict[str, dict[str, Decimal | None]] = {"revenue": {}, "expenditure": {}}
    totals: dict[str, Decimal | None] = {"revenue": None, "expenditure": None}
    for r in range(funds_row + 1, stop):
        seen: set[tuple[int, int]] = set()
        columns = list(range(len(table.rows[r])))
        for c in columns:
            anchor = table.anchor(r, c)
            if anchor in seen or not table.keys[r][c]:
                continue
            seen.add(anchor)
            key = re.sub(r"^其中[:：]?", "", table.keys[r][c])
            label, _, rest = key.partition(":")
            found = SHARE_LABELS.get(label)
            if found is None:
                continue
            side, share = found
            amount_at = (r, c) if rest else _next_value(table, r, c)
            amount = None
            if rest:
                amount = _amount(rest)
            elif amount_at is not None:
                amount = table.number(*amount_at, f"{label}的金额")
                seen.add(table.anchor(*amount_at))
            where = f"{table.name}!{table.address(*table.anchor(*(amount_at or (r, c))))}"
            if share:
                shares[side][share] = amount
            else:
                totals[side] = amount
                cells[f"whole.{side}"] = where
    whole = WholeTable(
        WholeFunds(project.funds.total, project.funds.weight,
                   tuple(Share(label, shares["revenue"].get(label)) for _, label in REVENUE_SHARES),
                   tuple(Share(label, shares["expenditure"].get(label)) for _, label in EXPENDITURE_SHARES),
                   totals["revenue"], totals["expenditure"]),
        project.goal_expected, project.goal_achieved, project.indicators, project.published_total)
    # A 部门整体 table names a 预算部门, not a 项目名称: that warning of the project importer is moot.
    problems = tuple(p for p in imported.problems if not p.message.startswith("没有找到“项目名称”"))
    return ImportedWhole(whole, department, replace(imported, problems=problems), cells)


def _next_value(table: _Table, r: int, c: int) -> tuple[int, int] | None:
    """The first non-blank cell right of (r, c) outside its merged range."""
    anchor = table.anchor(r, c)
    for col in range(c + 1, len(table.rows[r])):
        if table.anchor(r, col) != anchor:
            return (r, col) if table.keys[r][col] or table.cell(r, col) not in (None, "") else None
    return None


def _amount(text: str) -> Decimal | None:
    """The amount of "一般公共预算：1325.68" as printed (a Figure keeps "1325.68")."""
    match = re.match(r"^-?\d+(?:\.\d+)?", text.replace(",", ""))
    return Figure(Decimal(match.group(0)), match.group(0)) if match else None
