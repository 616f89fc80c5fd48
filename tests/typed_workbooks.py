"""Workbooks filled the way accountants fill them, as data: what is typed into which cell.

A 2023 county education bureau with two projects and 27 indicators, typed as people type:
percentages with "%" (LibreOffice stores 0.973 under 0.00%), amounts with two decimals
("912.50"), dates in every notation (some become date cells, some stay text), bare numbers,
"≥98" against 97.3%, "≤5" against 8%, "0人", "无", "2023.12". Every row states the score
SCORING.md gives it, worked out by hand (see the comments), so a test can check the engine
against the specification rather than against itself.

Addresses come from :mod:`addin.layout` (no cell literals): :func:`typed_cells` turns the
description into (sheet, cell, text) for :func:`tests.lo.type_into_workbook`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from addin import layout as L


@dataclass(frozen=True)
class Row:
    level1: str
    level2: str
    level3: str
    target: str  # as typed
    actual: str  # as typed
    weight: str
    score: Decimal  # what SCORING.md gives
    reason: str = ""


@dataclass(frozen=True)
class TypedProject:
    name: str
    goal_expected: str
    goal_achieved: str
    funds: tuple[tuple[str, str, str, str], ...]  # (资金类别, 年初预算数, 全年预算数, 全年执行数) as typed
    rows: tuple[Row, ...]
    total: Decimal  # 执行率得分 + the rows


OUT, BEN, SAT = "产出指标", "效益指标", "满意度指标"

AID = TypedProject(
    "义务教育学生资助", "按政策资助全部家庭经济困难学生", "资助学生3315人，资金全部发放到位",
    (("年度资金总额", "912.50", "1020.00", "998.36"), ("当年财政拨款", "912.50", "980.00", "958.36"),
     ("上年结转资金", "", "40.00", "40.00"), ("其他资金", "0.00", "0.00", "0.00")),
    (
        Row(OUT, "数量指标", "资助学生人数", "≥3200人", "3315人", "5", Decimal(5)),
        Row(OUT, "数量指标", "营养餐覆盖学校", "46所", "46", "5", Decimal(5)),  # bare actual takes 所
        Row(OUT, "数量指标", "因贫辍学学生数", "0人", "0人", "5", Decimal(5)),  # §5b.3 zero bound
        # "≥98" takes the actual's % (§5b.2): 5 × 97.3 / 98 = 4.964 → 4.96
        Row(OUT, "质量指标", "资助对象识别准确率", "≥98", "97.3%", "5", Decimal("4.96"), "2名学生信息核对滞后，已补录"),
        Row(OUT, "质量指标", "资金发放合规率", "100%", "100%", "5", Decimal(5)),
        # "≤5" against 8%: ≤5%, reverse: 5 × (1 − 3/5) = 2
        Row(OUT, "质量指标", "资助政策投诉率", "≤5", "8%", "5", Decimal(2), "新政策宣传不到位，已加强解读"),
        Row(OUT, "时效指标", "资金发放时间", "2023/9/30前", "2023-09-20", "5", Decimal(5)),  # a date cell
        Row(OUT, "时效指标", "春季学期资金到位时间", "2023.3.31前", "2023年4月10日", "5", Decimal(0), "上级资金下达滞后"),
        Row(OUT, "时效指标", "全年资金拨付完成时间", "12月31日前", "2023.12", "5", Decimal(5)),  # 2023.12 is a number cell
        Row(OUT, "成本指标", "生均资助标准", "≤1250元", "1250元", "5", Decimal(5)),
        Row(BEN, "社会效益指标", "家庭经济困难学生资助覆盖率", "100%", "100%", "10", Decimal(10)),
        Row(BEN, "社会效益指标", "因贫失学辍学情况", "无", "未发生", "10", Decimal(10)),  # 无: nothing may happen
        Row(BEN, "可持续影响指标", "资助政策知晓率", "≥95%", "96.5%", "10", Decimal(10)),
        Row(SAT, "服务对象满意度指标", "受助学生家长满意度", "≥90%", "92.3%", "10", Decimal(10)),
    ),
    # 执行率 998.36 / 1020.00 = 97.88% → 9.79; rows 5+5+5+4.96+5+2+5+0+5+5 = 41.96, + 30 + 10
    Decimal("91.75"),
)

REPAIR = TypedProject(
    "校舍维修改造", "完成15所学校校舍维修改造", "完成15所学校改造，消除全部D级危房",
    (("年度资金总额", "500.00", "486.20", "486.20"), ("当年财政拨款", "500.00", "486.20", "486.20")),
    (
        Row(OUT, "数量指标", "校舍维修改造面积", "≥12000㎡", "12350平方米", "5", Decimal(5)),  # one unit, two spellings
        Row(OUT, "数量指标", "改造学校数量", "≥15所", "15所", "5", Decimal(5)),
        Row(OUT, "数量指标", "施工安全事故", "0起", "0起", "5", Decimal(5)),
        Row(OUT, "质量指标", "工程验收合格率", "100%", "100%", "5", Decimal(5)),
        Row(OUT, "质量指标", "质量问题整改率", "≥95%", "0.97", "5", Decimal(5)),  # read as 97%, flagged 需复核
        # ≤10% against 12%: 5 × (1 − 2/10) = 4
        Row(OUT, "质量指标", "设计变更率", "≤10%", "12%", "5", Decimal(4), "部分校舍隐蔽工程超出预期"),
        Row(OUT, "时效指标", "开工时间", "2023年5月31日前", "2023/5/20", "5", Decimal(5)),  # a date cell (zh-CN)
        Row(OUT, "时效指标", "竣工时间", "2023-08-31前", "2023年8月25日", "5", Decimal(5)),
        Row(OUT, "时效指标", "结算审计完成时间", "2023年底", "100%", "5", Decimal(5)),
        Row(OUT, "成本指标", "单位面积改造成本", "≤400元/平方米", "386.5元/平方米", "5", Decimal(5)),
        Row(BEN, "社会效益指标", "消除D级危房", "危房全部消除", "已全部消除", "15", Decimal(15)),
        Row(BEN, "可持续影响指标", "校舍安全使用年限", "≥20年", "20年", "15", Decimal(15)),
        Row(SAT, "服务对象满意度指标", "师生满意度", "≥90%", "95%", "10", Decimal(10)),
    ),
    Decimal(99),  # 执行率 100% → 10; rows 49 + 30 + 10
)

PROJECTS = (AID, REPAIR)
DEPARTMENT = "示范县教育局"

# key/value sheets: (sheet layout, field key, typed text)
FIGURES = (
    (L.INFO, "name", DEPARTMENT), (L.INFO, "year", "2023"), (L.INFO, "report_date", "2024-03-15"),
    (L.BUDGET, "initial_revenue", "5230.50"), (L.BUDGET, "initial_fiscal", "5230.50"),
    (L.BUDGET, "initial_expenditure", "5230.50"), (L.BUDGET, "initial_basic", "3818.00"),
    (L.BUDGET, "initial_project", "1412.50"), (L.BUDGET, "adjusted_expenditure", "5506.20"),
    (L.BUDGET, "final_revenue", "5498.36"), (L.BUDGET, "final_expenditure", "5484.56"),
    (L.BUDGET, "final_basic", "4000.00"), (L.BUDGET, "final_project", "1484.56"), (L.BUDGET, "carryover", "0.00"),
    (L.THREE_PUBLIC, "budget_total", "18.00"), (L.THREE_PUBLIC, "budget_overseas", "0.00"),
    (L.THREE_PUBLIC, "budget_vehicles", "10.00"), (L.THREE_PUBLIC, "budget_reception", "8.00"),
    (L.THREE_PUBLIC, "final_total", "15.26"), (L.THREE_PUBLIC, "final_overseas", "0.00"),
    (L.THREE_PUBLIC, "final_vehicles", "9.10"), (L.THREE_PUBLIC, "final_reception", "6.16"),
    (L.PROCUREMENT, "total", "420.80"), (L.PROCUREMENT, "goods", "120.30"), (L.PROCUREMENT, "works", "280.50"),
    (L.PROCUREMENT, "services", "20.00"),
    (L.ASSETS, "total_assets", "12650.40"), (L.ASSETS, "liabilities", "35.20"), (L.ASSETS, "net_assets", "12615.20"),
    (L.ASSETS, "fixed_assets_cost", "10980.00"), (L.ASSETS, "assets_in_use", "9850.30"),
)
KEY_WORK = "全年资助学生3315人，营养餐覆盖46所学校；完成15所学校校舍维修改造，改造面积12350平方米。"


def _table(sheet: L.SheetLayout) -> tuple[L.TableBlock, int]:
    placed = sheet.placed()[-1]
    return L.table_of(placed.block), placed.first_data_row


def typed_cells() -> list[tuple[str, str, str]]:
    """Every (sheet name, cell, typed text) of the department, in typing order."""
    cells = [(sheet.name, sheet.field_cell(sheet.key, key), text) for sheet, key, text in FIGURES]
    projects, first = _table(L.PROJECTS)
    for index, project in enumerate(PROJECTS):
        row = first + index
        for key, text in (("name", project.name), ("department", DEPARTMENT), ("implementer", DEPARTMENT),
                          ("goal_expected", project.goal_expected), ("goal_achieved", project.goal_achieved)):
            cells.append((L.PROJECTS.name, f"{projects.letter(key)}{row}", text))
    funds, row = _table(L.FUNDS)
    for project in PROJECTS:
        for category, initial, budget, executed in project.funds:
            for key, text in (("project", project.name), ("category", category), ("initial", initial),
                              ("budget", budget), ("executed", executed)):
                if text:
                    cells.append((L.FUNDS.name, f"{funds.letter(key)}{row}", text))
            row += 1
    indicators, row = _table(L.INDICATORS)
    for project in PROJECTS:
        for item in project.rows:
            for key, text in (("project", project.name), ("level1", item.level1), ("level2", item.level2),
                              ("level3", item.level3), ("target", item.target), ("actual", item.actual),
                              ("weight", item.weight), ("reason", item.reason)):
                if text:
                    cells.append((L.INDICATORS.name, f"{indicators.letter(key)}{row}", text))
            row += 1
    results, first = _table(L.RESULTS)
    cells += [(L.RESULTS.name, f"{results.letter('section')}{first}", "重点工作开展情况"),
              (L.RESULTS.name, f"{results.letter('text')}{first}", KEY_WORK)]
    return cells


def indicator_cells() -> dict[str, tuple[str, str, str]]:
    """三级指标 name -> the (target, actual, weight) cells it was typed into on 绩效指标."""
    indicators, row = _table(L.INDICATORS)
    found = {}
    for project in PROJECTS:
        for item in project.rows:
            found[item.level3] = tuple(f"{L.INDICATORS.name}!{indicators.letter(key)}{row}"
                                       for key in ("target", "actual", "weight"))
            row += 1
    return found


def funds_cells() -> dict[tuple[str, str], tuple[str, str, str]]:
    """(项目, 资金类别) -> the (年初, 全年预算, 全年执行) cells on 项目资金."""
    funds, row = _table(L.FUNDS)
    found = {}
    for project in PROJECTS:
        for category, *_ in project.funds:
            found[(project.name, category)] = tuple(f"{L.FUNDS.name}!{funds.letter(key)}{row}"
                                                   for key in ("initial", "budget", "executed"))
            row += 1
    return found
