"""Checks of the department-wide tables: what a reviewer circles on the two Hunan annexes.

* 年度预算申请: the 按收入性质 and 按支出性质 parts add up to what the table prints for them and
  to the 全年执行数 (贯塘乡 2023 prints 按支出性质分：1925.67 against 2030.12 spent — an error);
* 经费控制情况: "三公经费" = 公务用车 + 出国 + 公务接待, 公务用车 = 公车购置 + 公车运行维护,
  项目支出 = its 经费 and 专项 rows, column by column; a 本年 figure typed on 基础数据 agrees
  with the sheet that already holds it;
* a 控制率 over 100% and a 预算调整率 over the profile's limit need a reason;
* the 部门整体 indicators get every check a project's 自评表 gets (:func:`addin.checks.check_project`);
* under a profile that scores 共性指标, each one that cannot be scored says what to fill in.

Every finding is an :class:`addin.checks.Check` naming the cell to fix: :class:`DepartmentOrigins`
knows where the figures are (the template's cells, or those an imported table had).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Mapping, Sequence

from udfs.common_indicators import common_value, cost_line, cost_lines, find_indicator
from udfs.department_scoring import score_common, score_whole
from udfs.model import Department, Share
from udfs.numbers import CENT, ZERO, amount_text, percent_text

from .. import layout as L
from . import ERROR, WARNING, Check, Origins, check_project

COST_SUMS = (  # total item, its parts (published form: 1、2、3 under the total)
    ("三公经费", ("公务用车购置和维护经费", "出国经费", "公务接待")),
    ("公务用车购置和维护经费", ("公车购置", "公车运行维护")),
    ("项目支出", ("业务工作经费", "运行维护经费", L.SPECIAL_FUNDS)),
)
COST_COLUMNS = (("last_final", "上年决算数"), ("budget", "本年预算数"), ("final", "本年决算数"))
CONTROL_RATES = ("财政供养人员控制率", "“三公经费”控制率", "公用经费控制率", "规模控制率", "投资概算控制率")
# Where to fill in what a 共性指标 lacks (keys of DepartmentOrigins.cells).
INPUT_OF = {
    "财政供养人员控制率": "staffing.authorized", "“三公经费”变动率": "cost.三公经费.last_final",
    "重点支出安排率": "conduct.key_spending", "预算完成率": "whole.budget", "预算调整率": "whole.budget",
    "支付进度": "conduct.late_special_funds", "结转结余率": "budget.carryover", "资金结余": "conduct.last_carryover",
    "公用经费控制率": "cost.公用经费.final", "“三公经费”控制率": "cost.三公经费.final",
    "政府采购执行率": "cost.政府采购金额.budget", "管理制度健全性": "conduct.rules_exist",
    "资金使用合规性": "conduct.violations", "固定资产利用率": "assets.fixed_assets_cost",
    "规模控制率": "building.actual_area", "投资概算控制率": "building.actual_investment",
}

REASON_FIGURE = {"财政供养人员控制率": "staffing.in_post"}  # a 控制率 over 100%: the figure that made it


@dataclass(frozen=True)
class DepartmentOrigins:
    """Where the department-wide figures are: ``cells`` ("whole.executed" -> "部门整体!B4",
    "cost.三公经费.final" -> "基础数据!E26", "whole.expenditure" -> the 按支出性质 cell …) and
    ``indicators`` for the 部门整体 indicator rows."""

    cells: Mapping[str, str] = field(default_factory=dict)
    indicators: Origins = field(default_factory=Origins)

    def of(self, key: str) -> tuple[str, str]:
        sheet, _, cell = self.cells.get(key, "!").rpartition("!")
        return sheet.strip("'"), cell

    def reason(self, key: str, figure: str) -> tuple[str, str]:
        """Where a missing reason goes: its cell in our workbook; in an imported table, which has
        no such cell, the figure that needs it."""
        return self.of(key if key in self.cells else figure)


def template_department_origins(cost_rows: Mapping[str, int] | None = None) -> DepartmentOrigins:
    """Origins in our workbook; ``cost_rows`` gives the row of each 经费控制情况 item as found in
    the file (rows may have been inserted), else the row the template writes it on."""
    cells: dict[str, str] = {}
    for sheet, blocks in ((L.BASE_DATA, ("staffing", "building", "conduct")), (L.WHOLE, ("whole",))):
        for block in blocks:
            for f in L.block_fields(sheet.place(block).block):
                prefix = "whole" if sheet is L.WHOLE else block
                cells[f"{prefix}.{f.key}"] = f"{sheet.name}!{sheet.field_cell(block, f.key)}"
    cells["whole.revenue"] = cells["whole.revenue_total"]
    cells["whole.expenditure"] = cells["whole.expenditure_total"]
    for sheet in (L.BUDGET, L.ASSETS):
        for f in L.block_fields(sheet.blocks[0]):
            cells[f"{sheet.key}.{f.key}"] = f"{sheet.name}!{sheet.field_cell(sheet.key, f.key)}"
    placed = L.BASE_DATA.place("costs")
    table = L.table_of(placed.block)
    default_rows = {item: placed.first_data_row + index for index, (item, _) in enumerate(L.COST_CATEGORIES)}
    for item, row in {**default_rows, **(cost_rows or {})}.items():
        for key, _ in COST_COLUMNS:
            cells[f"cost.{item}.{key}"] = f"{L.BASE_DATA.name}!{table.letter(key)}{row}"
    whole = L.table_of(L.WHOLE.place("whole_indicators").block)
    columns = {"target": "target", "actual": "actual", "weight": "weight", "score": "manual", "reason": "reason",
               "level3": "level3"}
    indicators = Origins({key: whole.letter(name) for key, name in columns.items()},
                         {"total.weight": cells["whole.weight"], "total": cells["whole.executed"]})
    return DepartmentOrigins(cells, indicators)


def cost_rows_in(rows: Sequence[Sequence[object]]) -> dict[str, int]:
    """{item: 1-based row} of the first row of each 经费控制情况 item on a 基础数据 grid."""
    placed = L.BASE_DATA.place("costs")
    found: dict[str, int] = {}
    items = {item for item, _ in L.COST_CATEGORIES}
    for row in range(placed.first_data_row, len(rows) + 1):
        value = rows[row - 1][0] if rows[row - 1] else None
        if isinstance(value, str) and value.strip() in items:
            found.setdefault(value.strip(), row)
    return found


def check_department_wide(department: Department, origins: DepartmentOrigins = DepartmentOrigins()) -> list[Check]:
    """Every check of the 基础数据表, the 部门整体 table and the 共性指标 of ``department``."""
    return [*_share_checks(department, origins), *_cost_checks(department, origins),
            *_reason_checks(department, origins), *_whole_checks(department, origins),
            *_rubric_checks(department, origins)]


def _parts_text(shares: Sequence[Share]) -> str:
    return "＋".join(f"{share.label}{amount_text(share.amount)}万元" for share in shares if share.amount is not None)


def _share_checks(department: Department, origins: DepartmentOrigins) -> Iterator[Check]:
    whole = department.whole
    if whole is None:
        return
    executed = whole.funds.total.executed
    for key, heading, stated, shares in (
            ("whole.revenue", "按收入性质分", whole.funds.revenue_total, whole.funds.by_revenue),
            ("whole.expenditure", "按支出性质分", whole.funds.expenditure_total, whole.funds.by_expenditure)):
        given = [share for share in shares if share.amount is not None]
        if not given and stated is None:
            continue
        parts = sum((share.amount for share in given), ZERO)
        where = origins.of(key)
        if given and stated is not None and abs(parts - stated) > CENT:
            yield Check(ERROR, *where, f"年度预算申请{heading}：{amount_text(stated)}万元，其中各项"
                                       f"（{_parts_text(given)}）合计{amount_text(parts)}万元，二者不符")
        total = stated if stated is not None else parts
        if executed is not None and abs(total - executed) > CENT:
            detail = f"（{_parts_text(given)}）" if given else ""
            yield Check(ERROR, *where, f"年度预算申请{heading}：{amount_text(total)}万元{detail}，与全年执行数"
                                       f"{amount_text(executed)}万元不符，相差{amount_text(abs(total - executed))}万元")


def _cost_checks(department: Department, origins: DepartmentOrigins) -> Iterator[Check]:
    labels = dict(L.COST_CATEGORIES)
    for total_item, part_items in COST_SUMS:
        total_line = cost_line(department, total_item)
        for column, column_label in COST_COLUMNS:
            total = getattr(total_line, column)
            parts = [(line.label, getattr(line, column)) for item in part_items for line in cost_lines(department, item)
                     if getattr(line, column) is not None]
            if total is None or not parts:
                continue
            found = sum((value for _, value in parts), ZERO)
            if abs(found - total) > CENT:
                names = "＋".join(f"{label}{amount_text(value)}" for label, value in parts)
                yield Check(ERROR, *origins.of(f"cost.{total_item}.{column}"),
                            f"基础数据表“{labels[total_item]}”{column_label}{amount_text(total)}万元，"
                            f"其下各项（{names}）合计{amount_text(found)}万元，二者不符")
    three, budget, procurement = department.three_public, department.budget, department.procurement
    sheets = {  # item: ((column, other sheet's value, sheet name, label))
        "三公经费": (("budget", three.budget_total, L.THREE_PUBLIC.name, "预算数合计"),
                 ("final", three.final_total, L.THREE_PUBLIC.name, "决算数合计")),
        "项目支出": (("budget", budget.initial_project, L.BUDGET.name, "项目支出（年初）"),
                 ("final", budget.final_project, L.BUDGET.name, "项目支出（决算）")),
        "政府采购金额": (("final", procurement.total, L.PROCUREMENT.name, "政府采购支出合计"),),
    }
    for item, pairs in sheets.items():
        typed = department.base_data.cost(item)
        for column, other, sheet, label in pairs:
            value = getattr(typed, column) if typed is not None else None
            if value is not None and other is not None and abs(value - other) > CENT:
                yield Check(ERROR, *origins.of(f"cost.{item}.{column}"),
                            f"基础数据表“{labels[item]}”{dict(COST_COLUMNS)[column]}{amount_text(value)}万元，"
                            f"与“{sheet}”表的{label}{amount_text(other)}万元不一致（留空即取“{sheet}”表的数）")


def _reason_checks(department: Department, origins: DepartmentOrigins) -> Iterator[Check]:
    conduct = department.base_data.conduct
    if not conduct.control_reason.strip():
        for key in CONTROL_RATES:
            value = common_value(department, find_indicator(key))
            if value.value is not None and value.value > 1:
                yield Check(ERROR, *origins.reason("conduct.control_reason", REASON_FIGURE.get(key, INPUT_OF[key])),
                            f"{key}{value.working}，超过100%，请在“控制率超过100%的原因”中说明")
    limit = department.profile.budget_adjustment_limit
    value = common_value(department, find_indicator("预算调整率"))
    if value.value is not None and abs(value.value) > limit and not conduct.adjustment_reason.strip():
        yield Check(ERROR, *origins.reason("conduct.adjustment_reason", "whole.budget"),
                    f"预算调整率{value.working}，超过{percent_text(limit, 0)}的上限，请在“预算调整率超过上限的原因”中说明")


def _whole_checks(department: Department, origins: DepartmentOrigins) -> Iterator[Check]:
    result = score_whole(department)
    if result is None:
        return
    yield from check_project(result, department.profile, origins.indicators)


def _rubric_checks(department: Department, origins: DepartmentOrigins) -> Iterator[Check]:
    """Under a profile that scores 共性指标, what stops one from being scored, at its input cell."""
    common = score_common(department)
    for row in common.rows:
        if row.cannot_score:
            key = row.value.indicator.key
            yield Check(WARNING, *origins.of(INPUT_OF.get(key, "")),
                        f"共性指标「{key}」无法按评分规则“{common.profile.name}”评分：{row.value.missing}")


__all__ = ["DepartmentOrigins", "check_department_wide", "cost_rows_in", "template_department_origins"]
