"""The department-wide tables as data, in the published Hunan layout (no openpyxl).

Two annexes a Hunan county attaches to its 部门决算 (衡山县贯塘乡人民政府 2023, hengshan.gov.cn):
附件一 **部门整体支出绩效评价基础数据表** (:func:`build_base_table`) and 附件二 **部门整体支出绩效
自评表** (:func:`build_whole_table`, its 绩效指标 block the very one of the project 自评表); then
the **共性指标评分表** in the columns of 岳阳's 评分表 (:func:`build_common_table`) and the
**评分规则对比** (:func:`build_comparison`): the same inputs under every shipped profile, each
cell saying why it differs from the national default. :mod:`addin.report.table_sheet` paints
them like the 自评表 (A4 landscape, one page wide, 宋体/仿宋, borders).
"""

from __future__ import annotations

from decimal import Decimal

from udfs.common_indicators import cost_lines
from udfs.department_scoring import CommonResult, score_common, score_whole
from udfs.model import Department, IndicatorResult, ProjectResult, Share
from udfs.numbers import ZERO, percent_text, score_text
from udfs.profile import SHIPPED_PROFILES, RuleProfile

from ..layout import COST_CATEGORIES, SPECIAL_FUNDS
from .sheetkit import DEPARTMENT_SHEET_NAMES
from .table_spec import COLUMN_WIDTHS, Style, TableSpec, _Grid, _write_indicators

DEPARTMENT_SHEETS = DEPARTMENT_SHEET_NAMES
BASE_SHEET, WHOLE_SHEET, COMMON_SHEET, COMPARISON_SHEET = DEPARTMENT_SHEETS
BASE_NOTE = "说明：项目支出需要填报基本支出以外的所有项目支出情况，公用经费填报基本支出中的一般商品和服务支出。"
UNSCORED = "—"


def has_department_data(department: Department) -> bool:
    """Whether the department filled anything of the 部门整体 sheets (else no tables are made)."""
    base = department.base_data
    return department.whole is not None or bool(base.costs) or base.staffing.authorized is not None


# --- 附件一 基础数据表 -------------------------------------------------------------------------

BASE_WIDTHS = (30.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0)


def _rate(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    if numerator is None or denominator in (None, ZERO):
        return None
    return numerator / denominator


def build_base_table(department: Department) -> TableSpec:
    """附件一: 财政供养人员情况, 经费控制情况 (上年决算数/本年预算数/本年决算数), 楼堂馆所, 厉行节约."""
    year, base = department.year, department.base_data
    grid = _Grid()
    grid.put(1, 1, f"{year}年度部门整体支出绩效评价基础数据表", Style.TITLE, right=7)
    grid.put(2, 1, f"填报单位：{department.name}", Style.PARAGRAPH, right=5)
    grid.put(2, 6, "单位：万元", Style.TEXT, right=7)
    staffing = base.staffing
    grid.put(3, 1, "财政供养人员情况（人）", Style.HEADER, bottom=4)
    for column, heading, value in ((2, "编制数", staffing.authorized), (4, f"{year}年实际在职人数", staffing.in_post)):
        grid.put(3, column, heading, Style.HEADER, right=column + 1)
        grid.put(4, column, value, Style.NUMBER, right=column + 1)
    grid.put(3, 6, "控制率", Style.HEADER, right=7)
    grid.put(4, 6, _rate(staffing.in_post, staffing.authorized), Style.PERCENT, right=7)
    grid.put(5, 1, "经费控制情况（万元）", Style.HEADER)
    for column, heading in ((2, f"{year - 1}年决算数"), (4, f"{year}年预算数"), (6, f"{year}年决算数")):
        grid.put(5, column, heading, Style.HEADER, right=column + 1)
    row = 6
    for item, label in COST_CATEGORIES:
        lines = cost_lines(department, item)
        for index, line in enumerate(lines):
            shown = label if item != SPECIAL_FUNDS or not line.name else \
                ("3、" if index == 0 else "") + line.name
            grid.put(row, 1, shown, Style.PARAGRAPH)
            for column, amount in ((2, line.last_final), (4, line.budget), (6, line.final)):
                grid.put(row, column, amount, Style.NUMBER, right=column + 1)
            row += 1
    building = base.building
    project = f"：{building.project}" if building.project else ""
    grid.put(row, 1, f"楼堂馆所控制情况\n（{year}年完工项目{project}）", Style.HEADER, bottom=row + 1)
    headings = ("批复规模（㎡）", "实际规模（㎡）", "规模控制率", "预算投资（万元）", "实际投资（万元）", "投资概算控制率")
    values = (building.approved_area, building.actual_area, _rate(building.actual_area, building.approved_area),
              building.budget_investment, building.actual_investment,
              _rate(building.actual_investment, building.budget_investment))
    for column, (heading, value) in enumerate(zip(headings, values), start=2):
        grid.put(row, column, heading, Style.HEADER)
        grid.put(row + 1, column, value, Style.PERCENT if heading.endswith("控制率") else Style.NUMBER)
    row += 2
    grid.put(row, 1, "厉行节约保障措施", Style.HEADER)
    grid.put(row, 2, base.frugality, Style.PARAGRAPH, right=7)
    grid.put(row + 1, 1, BASE_NOTE, Style.PARAGRAPH, right=7)
    return TableSpec(BASE_SHEET, tuple(grid.cells), tuple(grid.merges), BASE_WIDTHS, grid_top=3,
                     last_row=row + 1, repeat_rows=(5, 5))


# --- 附件二 部门整体支出绩效自评表 ----------------------------------------------------------------

WHOLE_FUNDS_HEADER = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "自评得分")


def share_total(stated: Decimal | None, shares: tuple[Share, ...]) -> Decimal | None:
    """What "按收入性质分：…" prints: the stated total, else the sum of the parts given."""
    if stated is not None:
        return stated
    given = [share.amount for share in shares if share.amount is not None]
    return sum(given, ZERO) if given else None


def _write_whole_funds(grid: _Grid, top: int, department: Department, result: ProjectResult) -> int:
    whole = department.whole
    assert whole is not None
    funds, line = whole.funds, whole.funds.total
    revenue, expenditure = funds.by_revenue, funds.by_expenditure
    rows = 2 + max(len(revenue), len(expenditure)) + 1
    grid.put(top, 1, "年度预算申请\n（万元）", Style.HEADER, bottom=top + rows - 1)
    grid.put(top, 2, None, Style.HEADER, right=3)
    for offset, heading in enumerate(WHOLE_FUNDS_HEADER):
        grid.put(top, 4 + offset, heading, Style.HEADER)
    grid.put(top + 1, 2, "年度资金总额", Style.HEADER, right=3)
    for column, amount in ((4, line.initial), (5, line.budget), (6, line.executed)):
        grid.put(top + 1, column, amount, Style.NUMBER)
    grid.put(top + 1, 7, result.funds.weight, Style.NUMBER)
    grid.put(top + 1, 8, result.funds.rate, Style.PERCENT)
    grid.put(top + 1, 9, result.funds.score, Style.NUMBER)
    halves = ((2, "按收入性质分", funds.revenue_total, revenue), (6, "按支出性质分", funds.expenditure_total, expenditure))
    for left, heading, stated, shares in halves:
        grid.put(top + 2, left, f"{heading}：", Style.PARAGRAPH, right=left + 2)
        grid.put(top + 2, left + 3, share_total(stated, shares), Style.NUMBER)
        for offset, share in enumerate(shares):
            label = ("其中：" if offset == 0 else "") + share.label + "："
            grid.put(top + 3 + offset, left, label, Style.PARAGRAPH, right=left + 2)
            grid.put(top + 3 + offset, left + 3, share.amount, Style.NUMBER)
    return top + rows


def build_whole_table(department: Department, result: ProjectResult) -> TableSpec:
    """附件二 of the department, scored (``result`` from :func:`udfs.department_scoring.score_whole`)."""
    whole = department.whole
    assert whole is not None
    grid = _Grid()
    grid.put(1, 1, f"{department.year}年度部门整体支出绩效自评表", Style.TITLE, right=9)
    grid.put(2, 1, "预算部门、单位名称", Style.HEADER, right=2)
    grid.put(2, 3, department.name, Style.TEXT, right=9)
    goal = _write_whole_funds(grid, 3, department, result)
    grid.put(goal, 1, "年度总体目标", Style.HEADER, bottom=goal + 1)
    grid.put(goal, 2, "预期目标", Style.HEADER, right=5)
    grid.put(goal, 6, "实际完成情况", Style.HEADER, right=9)
    grid.put(goal + 1, 2, whole.goal_expected, Style.PARAGRAPH, right=5)
    grid.put(goal + 1, 6, whole.goal_achieved, Style.PARAGRAPH, right=9)
    heading = goal + 2
    total_row = _write_indicators(grid, heading, result, department.profile)
    total_weight = result.funds.weight + sum((r.indicator.points for r in result.indicators), ZERO)
    grid.put(total_row, 1, "总分", Style.HEADER, right=6)
    grid.put(total_row, 7, total_weight, Style.NUMBER)
    grid.put(total_row, 8, result.total, Style.NUMBER)
    grid.put(total_row, 9, "；".join(result.notes), Style.PARAGRAPH)
    return TableSpec(WHOLE_SHEET, tuple(grid.cells), tuple(grid.merges), COLUMN_WIDTHS, grid_top=2,
                     last_row=total_row, repeat_rows=(heading, heading))


# --- 共性指标评分表 -------------------------------------------------------------------------------

# "指标数值", not "指标值": an importer takes 三级指标 + 指标值 for the header of a 自评表.
COMMON_HEADER = ("一级指标", "二级指标", "三级指标", "评分标准", "分值", "指标数值", "自评得分", "扣分原因和其他说明")
COMMON_WIDTHS = (10.0, 10.0, 16.0, 34.0, 7.0, 10.0, 8.0, 44.0)


def _standard(row) -> str:
    """The 评分标准 column: the rule after its 分值, or 不计分 with the formula."""
    if row.rule is None:
        return f"不计分（{row.value.indicator.formula}）"
    return row.rule.text.split("；", 1)[-1].split(";", 1)[-1]


def common_sheet_name(common: CommonResult, chosen: RuleProfile) -> str:
    """共性指标评分表, or 共性指标评分表（湖南·岳阳） for a profile other than the chosen one."""
    return COMMON_SHEET if common.profile == chosen else f"{COMMON_SHEET}（{common.profile.name}）"


def build_common_table(department: Department, common: CommonResult) -> TableSpec:
    grid = _Grid()
    chosen = department.profile
    grid.put(1, 1, f"{department.year}年度部门整体支出绩效评价共性指标评分表", Style.TITLE, right=8)
    grid.put(2, 1, f"部门（单位）名称：{department.name}", Style.PARAGRAPH, right=4)
    rule = f"评分规则：{common.profile.name}"
    if common.profile != chosen:
        rule += f"（参考：所选评分规则“{chosen.name}”不对共性指标计分）"
    grid.put(2, 5, rule, Style.PARAGRAPH, right=8)
    for column, heading in enumerate(COMMON_HEADER, start=1):
        grid.put(3, column, heading, Style.HEADER)
    row = 4
    groups: list[tuple[str, list]] = []
    for item in common.rows:
        level1 = item.value.indicator.level1
        if not groups or groups[-1][0] != level1:
            groups.append((level1, []))
        groups[-1][1].append(item)
    for level1, items in groups:
        top = row
        level2_top, level2 = row, None
        for item in items:
            if item.value.indicator.level2 != level2:
                if level2 is not None:
                    _put_level2(grid, level2_top, row, level2, common, level1)
                level2_top, level2 = row, item.value.indicator.level2
            grid.put(row, 3, item.value.indicator.key, Style.TEXT)
            grid.put(row, 4, _standard(item), Style.PARAGRAPH)
            grid.put(row, 5, item.weight if item.rule is not None else UNSCORED, Style.NUMBER)
            grid.put(row, 6, item.value.shown, Style.TEXT)
            points = UNSCORED if item.rule is None else ("无法评分" if item.points is None else item.points)
            grid.put(row, 7, points, Style.NUMBER)
            grid.put(row, 8, item.explanation, Style.PARAGRAPH)
            row += 1
        _put_level2(grid, level2_top, row, level2, common, level1)
        weight, _ = common.group(level1)
        label = f"{level1}\n（{score_text(weight)}分）" if weight else level1
        grid.put(top, 1, label, Style.HEADER, bottom=row - 1)
    grid.put(row, 1, "合计", Style.HEADER, right=4)
    grid.put(row, 5, common.weight, Style.NUMBER)
    grid.put(row, 7, common.score, Style.NUMBER)
    unscored = sum(1 for item in common.rows if item.cannot_score)
    grid.put(row, 8, f"{unscored}项因缺少数据未计分" if unscored else "", Style.PARAGRAPH)
    grid.put(row + 1, 1, f"评分规则来源：{common.profile.source}", Style.PARAGRAPH, right=8)
    return TableSpec(common_sheet_name(common, chosen), tuple(grid.cells), tuple(grid.merges), COMMON_WIDTHS,
                     grid_top=3, last_row=row + 1, repeat_rows=(3, 3))


def _put_level2(grid: _Grid, top: int, row: int, level2: str | None, common: CommonResult, level1: str) -> None:
    weight, _ = common.group(level1, level2 or "")
    label = f"{level2}\n（{score_text(weight)}分）" if weight else (level2 or "")
    grid.put(top, 2, label, Style.HEADER, bottom=row - 1)


# --- 评分规则对比 ---------------------------------------------------------------------------------

COMPARISON_WIDTHS = (26.0, 30.0, 30.0, 30.0, 30.0)


def _score(value: Decimal | None) -> str:
    return "无法评分" if value is None else f"{score_text(value)}分"


def _indicator_cell(row: IndicatorResult, national: IndicatorResult) -> str:
    if row.score == national.score:
        return _score(row.score)
    return f"{_score(row.score)}\n{row.explanation}"


def _total_cell(result: ProjectResult, national: ProjectResult, profile: RuleProfile) -> str:
    if result.total == national.total:
        return _score(result.total) + f"（{result.grade}）"
    reasons = [f"{row.indicator.level3}{_score(row.score)}（全国默认{_score(base.score)}）"
               for row, base in zip(result.indicators, national.indicators) if row.score != base.score]
    reasons += list(result.notes)
    return f"{_score(result.total)}（{result.grade}）\n较全国默认{score_text(result.total - national.total)}分：" + "；".join(reasons)


def build_comparison(department: Department) -> TableSpec:
    """The same department under every shipped profile: 部门整体 total, rows that differ, 共性指标."""
    profiles = list(SHIPPED_PROFILES.values())
    grid = _Grid()
    grid.put(1, 1, f"{department.year}年度部门整体支出绩效评价：评分规则对比", Style.TITLE, right=1 + len(profiles))
    grid.put(2, 1, "项目", Style.HEADER)
    for column, profile in enumerate(profiles, start=2):
        grid.put(2, column, profile.name, Style.HEADER)
    row = 3
    wholes = [score_whole(department, profile) for profile in profiles]
    if wholes[0] is not None:
        national = wholes[0]
        grid.put(row, 1, f"{WHOLE_SHEET}总分", Style.HEADER)
        for column, (profile, result) in enumerate(zip(profiles, wholes), start=2):
            grid.put(row, column, _total_cell(result, national, profile), Style.PARAGRAPH)
        row += 1
        grid.put(row, 1, "预算执行率得分", Style.HEADER)
        for column, result in enumerate(wholes, start=2):
            grid.put(row, column, _score(result.funds.score), Style.TEXT)
        row += 1
        for index, base in enumerate(national.indicators):
            rows = [result.indicators[index] for result in wholes]
            if all(r.score == base.score for r in rows):
                continue
            grid.put(row, 1, f"{base.indicator.level3}（{base.indicator.level2}）", Style.HEADER)
            for column, item in enumerate(rows, start=2):
                grid.put(row, column, _indicator_cell(item, base), Style.PARAGRAPH)
            row += 1
    commons = [score_common(department, profile) for profile in profiles]
    grid.put(row, 1, "共性指标得分", Style.HEADER)
    for column, common in enumerate(commons, start=2):
        text = "不计分" if not common.profile.scores_common else f"{score_text(common.score)}分（分值{score_text(common.weight)}分）"
        grid.put(row, column, text, Style.TEXT)
    row += 1
    for index, value in enumerate(commons[0].rows):
        items = [common.rows[index] for common in commons]
        if all(item.rule is None for item in items):
            continue
        grid.put(row, 1, value.value.indicator.key, Style.HEADER)
        for column, item in enumerate(items, start=2):
            text = "不计分" if item.rule is None else (
                item.explanation if item.points is None else f"{_score(item.points)}\n{item.explanation}")
            grid.put(row, column, text, Style.PARAGRAPH)
        row += 1
    grid.put(row, 1, "规则来源", Style.HEADER)
    for column, profile in enumerate(profiles, start=2):
        grid.put(row, column, profile.source, Style.PARAGRAPH)
    return TableSpec(COMPARISON_SHEET, tuple(grid.cells), tuple(grid.merges), COMPARISON_WIDTHS, grid_top=2,
                     last_row=row, repeat_rows=(2, 2))


def build_department_tables(department: Department) -> list[TableSpec]:
    """Every department-wide table the department's data allows, in the order they are bound."""
    tables = [build_base_table(department)]
    whole = score_whole(department)
    if whole is not None:
        tables.append(build_whole_table(department, whole))
    tables += [build_common_table(department, common) for common in common_results(department)]
    tables.append(build_comparison(department))
    return tables


def common_results(department: Department) -> list[CommonResult]:
    """The 共性指标 under the department's profile; when it scores none of them, under each
    shipped profile that does (a reference the sheet names), so the 评分表 is never empty."""
    own = score_common(department)
    if own.profile.scores_common:
        return [own]
    return [score_common(department, profile) for profile in SHIPPED_PROFILES.values() if profile.scores_common] or [own]


__all__ = ["BASE_SHEET", "COMMON_SHEET", "COMPARISON_SHEET", "DEPARTMENT_SHEETS", "WHOLE_SHEET", "build_base_table",
           "build_common_table", "build_comparison", "build_department_tables", "build_whole_table",
           "common_results", "common_sheet_name", "has_department_data", "share_total"]
