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


# --- the published layout, as a workbook ---------------------------------------------------

def write_published(path) -> None:
    """Both annexes as the county's page lays them out: labels with the form's numbering and
    colons, "(每个专项一行" left unclosed as printed, "……" placeholder rows, the splits of
    年度预算申请 as "label：amount" text in one merged cell each, 2022年决算数 before the
    2023 columns. The indicator rows are ``ILLUSTRATIVE_INDICATORS``."""
    from openpyxl import Workbook

    book = Workbook()
    base = book.active
    base.title = "附件一"
    rows = [
        ["2023年度部门整体支出绩效评价基础数据表"],
        ["财政供养人员情况（人）", "编制数", None, "2023 年实际在职人数", None, "控制率"],
        [None, 46, None, 50, None, "108.70%"],
        ["经费控制情况（万元）", "2022 年决算数", None, "2023 年预算数", None, "2023 年决算数"],
        ["三公经费：", 0, None, 0, None, 0],
        ["1、公务用车购置和维护经费", 0, None, 0, None, 0],
        ["其中：公车购置", 0, None, 0, None, 0],
        ["公车运行维护", 0, None, 0, None, 0],
        ["2、出国经费", 0, None, 0, None, 0],
        ["3、公务接待", 0, None, 0, None, 0],
        ["项目支出：", 874.20, None, 308.17, None, 1025.20],
        ["1、业务工作经费"], ["2、运行维护经费"], ["……"], ["3、省级专项资金（每个专项一行"], ["……"],
        ["公用经费", 118.31, None, 85.76, None, 193.42],
        ["其中：办公经费", 29.35, None, 27.00, None, 49.09],
        ["水费、电费、差旅费", 8.80, None, 13.00, None, 12.64],
        ["会议费、培训费", 4.92, None, 3.00, None, 5.42],
        ["政府采购金额"], ["部门基本支出预算调整"],
        ["楼堂馆所控制情况（2023年完工项目）", "批复规模（㎡）", "实际规（㎡）", "规模控制率", "预算投资（万元）", "实际投资（万元）", "投资概算控制率"],
        [None],
        ["厉行节约保障措施"],
        ["说明：项目支出需要填报基本支出以外的所有项目支出情况，公用经费填报基本支出中的一般商品和服务支出。"],
    ]
    for row in rows:
        base.append(row)
    for r in (2, 3, 4, *range(5, 21)):
        for c in (2, 4, 6):
            base.merge_cells(start_row=r, start_column=c, end_row=r, end_column=c + 1)
    base.merge_cells("A2:A3")

    table = book.create_sheet("附件二")
    table.append(["2023年度部门整体支出绩效自评表"])
    table.append(["预算部门、单位名称", None, NAME])
    table.append(["年度预算申请（万元）", None, None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "自评得分"])
    table.append([None, "年度资金总额", None, 861.10, 2030.12, 2030.12, 10, "100%", 10])
    splits = [("按收入性质分：2030.12", "按支出性质分：1925.67"), ("其中：一般公共预算：1325.68", "其中：基本支出：900.47"),
              ("政府性基金拨款：118.82", "项目支出：1025.20"), ("纳入专户管理的非税收入拨款：", None), ("其他资金：585.62", None)]
    for left, right in splits:
        table.append([None, left, None, None, None, right])
        r = table.max_row
        table.merge_cells(start_row=r, start_column=2, end_row=r, end_column=5)
        table.merge_cells(start_row=r, start_column=6, end_row=r, end_column=9)
    table.merge_cells(start_row=3, start_column=1, end_row=table.max_row, end_column=1)
    table.append(["年度总体目标", "预期目标", None, None, None, "实际完成情况"])
    table.append([None, GOAL])
    table.append(["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"])
    for indicator in ILLUSTRATIVE_INDICATORS:
        table.append([None, indicator.level1, indicator.level2, indicator.level3, indicator.target, indicator.actual,
                      float(indicator.weight), float(indicator.weight), ""])
    table.append(["总分", None, None, None, None, None, 100, 100])
    book.save(path)
