"""The 共性指标 of a department's 整体支出 evaluation: each one's formula, source and figure.

财预〔2013〕53号 附件2 (部门整体支出绩效评价共性指标体系框架) defines the indicators and how
to compute them but leaves their points to each region ("赋予各类评价指标科学合理的权重分值");
the points are rubric data (:mod:`udfs.rubric`, the 评分规则 sheet). Here is only what a ratio
*is*: :data:`COMMON_INDICATORS` lists every indicator once with its 一级/二级 group, its formula
in words and where it comes from, and :func:`common_values` computes them all from a
department, each with the working a reviewer checks ("147÷184=79.89%") or the reason it
cannot be computed. :func:`quotient` and :func:`change` are the two shapes every ratio has;
the DEPT_RATIO cell function uses them too.

Figures the 基础数据表 leaves blank are taken from the sheet that already holds them
(:func:`cost_line`): 本年 "三公经费" from 三公经费, 项目支出 from 预算执行, 政府采购 from 政府采购,
so one figure is typed once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from .common_catalogue import (
    CHANGE_RATIOS, COMMON_INDICATORS, SOURCE_53, SOURCE_HUNAN, TABLE_RATIOS, CommonIndicator, Measure, find_indicator,
)
from .model import CostLine, Department
from .numbers import ZERO, amount_text, percent_text

INFINITE = Decimal("Infinity")  # a positive figure over a zero base: beyond every bound
__all__ = ["CHANGE_RATIOS", "COMMON_INDICATORS", "INFINITE", "SOURCE_53", "SOURCE_HUNAN", "TABLE_RATIOS",
           "CommonIndicator", "CommonValue", "Measure", "change", "common_value", "common_values", "cost_line",
           "cost_lines", "cost_source", "find_indicator", "quotient", "ratio_of"]

@dataclass(frozen=True)
class CommonValue:
    """A computed 共性指标: ``value`` (a rate as a fraction, or a count), the working with the
    figures as the cells show them, or ``missing`` saying which input is blank."""

    indicator: CommonIndicator
    value: Decimal | None
    working: str = ""
    missing: str = ""

    @property
    def shown(self) -> str:
        """The figure as the 评分表 prints it: "79.89%", "2个", "3项", or "—"."""
        if self.value is None:
            return "—"
        if self.indicator.measure is Measure.COUNT:
            return f"{amount_text(self.value)}个"
        if self.indicator.measure is Measure.CHECKLIST:
            return f"{amount_text(self.value)}项"
        return "—" if self.value == INFINITE else percent_text(self.value)


def quotient(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """numerator ÷ denominator. Both zero is 0 (nothing budgeted, nothing spent: within
    bounds); a positive figure over zero is :data:`INFINITE`; a missing figure is None."""
    if numerator is None or denominator is None:
        return None
    if denominator == ZERO:
        return ZERO if numerator == ZERO else INFINITE
    return numerator / denominator


def change(current: Decimal | None, base: Decimal | None) -> Decimal | None:
    """(current − base) ÷ base: 变动率 and 调整率; from zero to zero is no change (0)."""
    if current is None or base is None:
        return None
    return quotient(current - base, base)


def _rate(indicator: CommonIndicator, a: Decimal | None, b: Decimal | None, names: tuple[str, str]) -> CommonValue:
    """A rate with its working; ``names`` say which input is missing (a, b)."""
    missing = [name for name, value in zip(names, (a, b)) if value is None]
    if missing:
        return CommonValue(indicator, None, missing="缺少" + "、".join(missing))
    value = change(a, b) if indicator.key in CHANGE_RATIOS else quotient(a, b)
    if indicator.key in CHANGE_RATIOS:
        working = f"（{amount_text(a)}−{amount_text(b)}）÷{amount_text(b)}"
    else:
        working = f"{amount_text(a)}÷{amount_text(b)}"
    if value == INFINITE:
        working += f"，{names[1]}为0"
    elif b == ZERO:
        working += "，均为0，视为0%"
    else:
        working += f"={percent_text(value)}"
    return CommonValue(indicator, value, working)


# --- the 经费控制情况 rows, completed from the other sheets ------------------------------------

def _fallbacks(department: Department) -> dict[str, tuple[Decimal | None, Decimal | None, str]]:
    """item -> (本年预算数, 本年决算数, sheet) for rows another sheet already holds."""
    public, budget, procurement = department.three_public, department.budget, department.procurement
    return {
        "三公经费": (public.budget_total, public.final_total, "三公经费"),
        "公务用车购置和维护经费": (public.budget_vehicles, public.final_vehicles, "三公经费"),
        "出国经费": (public.budget_overseas, public.final_overseas, "三公经费"),
        "公务接待": (public.budget_reception, public.final_reception, "三公经费"),
        "项目支出": (budget.initial_project, budget.final_project, "预算执行"),
        "政府采购金额": (procurement.budget, procurement.total, "政府采购"),
    }


def cost_line(department: Department, item: str) -> CostLine:
    """The 经费控制情况 row of ``item`` as the 基础数据表 prints it: what the 基础数据 sheet says,
    its blank 本年 cells taken from the sheet that holds the figure. A 专项资金 has many rows:
    use :func:`cost_lines`."""
    line = department.base_data.cost(item) or CostLine(item)
    fallback = _fallbacks(department).get(item)
    if fallback is None:
        return line
    budget, final, _ = fallback
    return replace(line, budget=line.budget if line.budget is not None else budget,
                   final=line.final if line.final is not None else final)


def cost_lines(department: Department, item: str) -> tuple[CostLine, ...]:
    """Every row of ``item`` (专项资金: one per 专项), completed like :func:`cost_line`."""
    lines = [line for line in department.base_data.costs if line.item == item]
    if len(lines) <= 1:
        return (cost_line(department, item),)
    return tuple(lines)


def cost_source(department: Department, item: str, column: str) -> str:
    """Which sheet a completed 本年 figure came from ("三公经费"), "" when typed on 基础数据."""
    line = department.base_data.cost(item)
    typed = getattr(line, column) if line is not None else None
    fallback = _fallbacks(department).get(item)
    if typed is not None or fallback is None:
        return ""
    value = fallback[0] if column == "budget" else fallback[1]
    return fallback[2] if value is not None else ""


# --- the 共性指标 -------------------------------------------------------------------------------

def _whole_funds(department: Department) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """(年初预算数, 全年预算数, 全年执行数) of the 部门整体 table, else of 预算执行."""
    whole = department.whole
    if whole is not None and whole.funds.total.budget is not None:
        line = whole.funds.total
        return line.initial, line.budget, line.executed
    budget = department.budget
    return budget.initial_expenditure, budget.adjusted_expenditure, budget.final_expenditure


def _count(indicator: CommonIndicator, value: Decimal | None, what: str) -> CommonValue:
    if value is None:
        return CommonValue(indicator, None, missing=f"缺少{what}个数")
    return CommonValue(indicator, value, f"{what}{amount_text(value)}个")


def _checklist(indicator: CommonIndicator, department: Department) -> CommonValue:
    conduct = department.base_data.conduct
    items = (("已制定", conduct.rules_exist), ("合法合规完整", conduct.rules_sound), ("有效执行", conduct.rules_enforced))
    blank = [name for name, value in items if value is None]
    if blank:
        return CommonValue(indicator, None, missing="缺少管理制度健全性“" + "”“".join(blank) + "”项（是/否）")
    done = [name for name, value in items if value]
    working = f"做到{len(done)}项" + (f"（{'、'.join(done)}）" if done else "")
    return CommonValue(indicator, Decimal(len(done)), working)


def _carryover(indicator: CommonIndicator, department: Department) -> CommonValue:
    current, last = department.budget.carryover, department.base_data.conduct.last_carryover
    if current is not None and current == ZERO:
        return CommonValue(indicator, ZERO, "年末无结转结余")
    value = _rate(indicator, current, last, ("年末结转结余", "上年结转结余"))
    if value.value is None:
        return value
    working = f"年末结转结余{amount_text(current)}万元，上年结转结余{amount_text(last)}万元"
    return CommonValue(indicator, value.value, working + (f"，为上年的{percent_text(value.value)}"
                                                         if value.value != INFINITE else ""))


def common_value(department: Department, indicator: CommonIndicator) -> CommonValue:
    """One 共性指标 of ``department``: its figure and working, or what is missing."""
    key = indicator.key
    base = department.base_data
    initial, budget, executed = _whole_funds(department)
    if key == "财政供养人员控制率":
        return _rate(indicator, base.staffing.in_post, base.staffing.authorized, ("实际在职人数", "编制数"))
    if key == "“三公经费”变动率":
        line = cost_line(department, "三公经费")
        return _rate(indicator, line.final, line.last_final, ("本年“三公经费”决算数", "上年“三公经费”决算数"))
    if key == "重点支出安排率":
        line = cost_line(department, "项目支出")
        return _rate(indicator, base.conduct.key_spending, line.budget, ("重点项目支出", "项目支出本年预算数"))
    if key == "预算完成率":
        return _rate(indicator, executed, budget, ("全年执行数", "全年预算数"))
    if key == "预算调整率":
        return _rate(indicator, budget, initial, ("全年预算数", "年初预算数"))
    if key == "支付进度":
        return _count(indicator, base.conduct.late_special_funds, "未按进度下达的专项")
    if key == "结转结余率":
        return _rate(indicator, department.budget.carryover, budget, ("年末结转结余", "全年预算数"))
    if key == "资金结余":
        return _carryover(indicator, department)
    if key in ("公用经费控制率", "“三公经费”控制率", "政府采购执行率"):
        item = {"公用经费控制率": "公用经费", "“三公经费”控制率": "三公经费", "政府采购执行率": "政府采购金额"}[key]
        line = cost_line(department, item)
        return _rate(indicator, line.final, line.budget, (f"{item}本年决算数", f"{item}本年预算数"))
    if key == "管理制度健全性":
        return _checklist(indicator, department)
    if key == "资金使用合规性":
        return _count(indicator, base.conduct.violations, "资金使用违规事项")
    if key == "固定资产利用率":
        assets = department.assets
        return _rate(indicator, assets.assets_in_use, assets.fixed_assets_cost, ("在用资产", "固定资产账面原值"))
    building = base.building
    if key == "规模控制率":
        return _rate(indicator, building.actual_area, building.approved_area, ("实际规模", "批复规模"))
    if key == "投资概算控制率":
        return _rate(indicator, building.actual_investment, building.budget_investment, ("实际投资", "预算投资"))
    raise KeyError(key)


def common_values(department: Department) -> tuple[CommonValue, ...]:
    """Every 共性指标 of :data:`COMMON_INDICATORS`, in the framework's order."""
    return tuple(common_value(department, indicator) for indicator in COMMON_INDICATORS)


def ratio_of(name: str, first: Decimal | None, second: Decimal | None) -> Decimal | None:
    """The rate ``name`` of two figures, as DEPT_RATIO computes it: (first − second) ÷ second
    for 变动率/调整率, first ÷ second otherwise. Raises KeyError for an unknown name and
    ValueError for a count or checklist (not a ratio)."""
    indicator = find_indicator(name)
    if indicator is None:
        raise KeyError(name)
    if indicator.measure is not Measure.RATE or indicator.key == "资金结余":
        raise ValueError(indicator.key)
    return change(first, second) if indicator.key in CHANGE_RATIOS else quotient(first, second)
