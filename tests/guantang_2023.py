"""衡山县贯塘乡人民政府 2023: the two annexes of its 部门决算 as published (hengshan.gov.cn,
"2023年贯塘乡人民政府决算编制说明", 附件一 基础数据表 and 附件二 部门整体支出绩效自评表).

Only the figures the public page shows are transcribed: staffing, 经费控制情况, 年度预算申请 and
its splits. Its 按支出性质分 prints 1925.67 (基本 900.47 + 项目 1025.20) against 全年执行数
2030.12 — the mismatch the checks must find. The page's indicator rows are not transcribed;
``ILLUSTRATIVE_INDICATORS`` are two rows in its layout that stand in for them in import tests.
"""

from __future__ import annotations

from decimal import Decimal

from udfs.model import (
    BaseData, CostLine, Department, FundsLine, Indicator, Share, Staffing, WholeFunds, WholeTable,
)

NAME = "衡山县贯塘乡人民政府"
YEAR = 2023


def D(text: str) -> Decimal:
    return Decimal(text)


COSTS = (  # item, 2022年决算数, 2023年预算数, 2023年决算数
    ("三公经费", "0", "0", "0"),
    ("公务用车购置和维护经费", "0", "0", "0"),
    ("公车购置", "0", "0", "0"),
    ("公车运行维护", "0", "0", "0"),
    ("出国经费", "0", "0", "0"),
    ("公务接待", "0", "0", "0"),
    ("项目支出", "874.20", "308.17", "1025.20"),
    ("公用经费", "118.31", "85.76", "193.42"),
    ("办公经费", "29.35", "27.00", "49.09"),
    ("水费、电费、差旅费", "8.80", "13.00", "12.64"),
    ("会议费、培训费", "4.92", "3.00", "5.42"),
)
REVENUE = (("一般公共预算", "1325.68"), ("政府性基金拨款", "118.82"), ("纳入专户管理的非税收入拨款", None),
           ("其他资金", "585.62"))
EXPENDITURE = (("基本支出", "900.47"), ("项目支出", "1025.20"))
GOAL = "搞好政府各职能部门完成的工作任务监督，服务市场主体和营造发展环境"
ILLUSTRATIVE_INDICATORS = (
    Indicator("产出指标", "数量指标", "完成县下达的重点工作任务", "≥95%", "100%", D("45")),
    Indicator("效益指标", "社会效益指标", "营商环境", "持续优化", "持续优化", D("35")),
    Indicator("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "95%", D("10")),
)


def base_data() -> BaseData:
    return BaseData(
        staffing=Staffing(D("46"), D("50")),
        costs=tuple(CostLine(item, "", D(last), D(budget), D(final)) for item, last, budget, final in COSTS),
    )


def whole(indicators: tuple[Indicator, ...] = ILLUSTRATIVE_INDICATORS) -> WholeTable:
    funds = WholeFunds(
        FundsLine("年度资金总额", D("861.10"), D("2030.12"), D("2030.12")), D("10"),
        by_revenue=tuple(Share(label, None if amount is None else D(amount)) for label, amount in REVENUE),
        by_expenditure=tuple(Share(label, D(amount)) for label, amount in EXPENDITURE),
        revenue_total=D("2030.12"), expenditure_total=D("1925.67"),
    )
    return WholeTable(funds, GOAL, "", indicators)


def department() -> Department:
    return Department(name=NAME, year=YEAR, base_data=base_data(), whole=whole())
