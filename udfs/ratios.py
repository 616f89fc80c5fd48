"""Department-wide ratios of the 部门整体 report (财预〔2013〕53号 framework, SCORING.md §6).

Each ratio is None when an input is blank or a denominator is zero; the narrative and the
checks decide what to say about a missing figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .model import Department
from .numbers import ratio


@dataclass(frozen=True)
class DepartmentRatios:
    execution_rate: Decimal | None  # 决算支出 / 调整后预算
    adjustment_rate: Decimal | None  # (调整后预算 − 年初预算) / 年初预算
    revenue_change: Decimal | None  # 决算收入 − 年初预算收入 (万元; negative: 减少)
    carryover_rate: Decimal | None  # 年末结转结余 / 支出预算
    basic_share: Decimal | None  # 基本支出 / 总支出
    project_share: Decimal | None  # 项目支出 / 总支出
    three_public_rate: Decimal | None  # "三公"决算 / "三公"预算
    procurement_rate: Decimal | None  # 实际采购 / 采购预算
    asset_utilisation: Decimal | None  # 在用资产 / 固定资产原值


def department_ratios(department: Department) -> DepartmentRatios:
    budget, public, assets = department.budget, department.three_public, department.assets
    adjusted = budget.adjusted_expenditure
    revenue_change = (
        None if budget.final_revenue is None or budget.initial_revenue is None
        else budget.final_revenue - budget.initial_revenue
    )
    adjustment = (
        None if adjusted is None or budget.initial_expenditure is None
        else ratio(adjusted - budget.initial_expenditure, budget.initial_expenditure)
    )
    return DepartmentRatios(
        execution_rate=ratio(budget.final_expenditure, adjusted),
        adjustment_rate=adjustment,
        revenue_change=revenue_change,
        carryover_rate=ratio(budget.carryover, adjusted if adjusted is not None else budget.initial_expenditure),
        basic_share=ratio(budget.final_basic, budget.final_expenditure),
        project_share=ratio(budget.final_project, budget.final_expenditure),
        three_public_rate=ratio(public.final_total, public.budget_total),
        procurement_rate=ratio(department.procurement.total, department.procurement.budget),
        asset_utilisation=ratio(assets.assets_in_use, assets.fixed_assets_cost),
    )
