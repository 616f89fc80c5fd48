"""The 部门整体支出绩效自评报告 as data: a list of (style, text) paragraphs.

The outline is the one of the 衡山县市场监督管理局 2022 report (shared/seeds/000_…):
一、部门基本情况 → 二、预算支出及绩效情况 → 三、存在的问题及改进措施. The user's own
paragraphs are kept verbatim; the figures of 二(一) are sentences computed from the model
with :mod:`udfs.ratios` and :mod:`udfs.numbers`, and a clause whose figure is blank is left
out rather than written with a wrong or empty number. Problems the data shows (large budget
adjustment, points lost, unexplained over-achievement, idle assets) are drafted and put before
the user's own list; they carry ``drafted=True`` so the sheet can mark them for review.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from udfs.common_indicators import Measure
from udfs.department_scoring import CommonResult
from udfs.model import Department, Flag, IndicatorResult, ProjectResult, shown
from udfs.numbers import ZERO, amount_text, percent_text, score_text
from udfs.ratios import DepartmentRatios, department_ratios


class Para(str, Enum):
    TITLE = "title"
    BODY = "body"
    HEADING1 = "heading1"  # 一、
    HEADING2 = "heading2"  # （一）
    HEADING3 = "heading3"  # 1.
    DATE = "date"


@dataclass(frozen=True)
class Paragraph:
    style: Para
    text: str
    drafted: bool = False  # written by the add-in from the data, not by the user


def _amount(label: str, value: Decimal | None) -> str | None:
    return None if value is None else f"{label}{amount_text(value)}万元"


def _sentence(*clauses: str | None, prefix: str = "", sep: str = "，") -> str | None:
    """Join the clauses that exist; None when none does (no sentence without a figure)."""
    present = [c for c in clauses if c]
    return prefix + sep.join(present) + "。" if present else None


def _breakdown(head: str | None, parts: list[str | None], context: str) -> str | None:
    """"head，其中：a，b" — or "context a，b" when the total itself is blank."""
    present = [p for p in parts if p]
    if head is None:
        return context + "，".join(present) if present else None
    return head + ("，其中：" + "，".join(present) if present else "")


def budget_sentences(department: Department) -> list[str]:
    """1.部门预算情况."""
    b, year = department.budget, department.year
    revenue = _breakdown(_amount(f"{year}年年初预算安排收入", b.initial_revenue),
                         [_amount("一般公共预算财政拨款", b.initial_fiscal)], f"{year}年年初预算安排")
    spending = _breakdown(_amount(f"{year}年年初预算安排支出", b.initial_expenditure),
                          [_amount("基本支出", b.initial_basic), _amount("项目支出", b.initial_project)],
                          f"{year}年年初预算安排")
    text = _sentence(revenue, spending, sep="；")
    return [text] if text else []


def _change(value: Decimal | None) -> str | None:
    if value is None:
        return None
    if value == ZERO:
        return "与预算持平"
    return f"较预算{'增加' if value > ZERO else '减少'}{amount_text(abs(value))}万元"


def _share(label: str, value: Decimal | None, share: Decimal | None) -> str | None:
    clause = _amount(label, value)
    return clause + f"，占总支出的{percent_text(share)}" if clause and share is not None else clause


def final_sentences(department: Department, ratios: DepartmentRatios) -> list[str]:
    """2.部门决算情况: 决算收入 and its change, 总支出 split into 基本/项目, 结转结余."""
    b, year = department.budget, department.year
    parts = [_share("基本支出", b.final_basic, ratios.basic_share),
             _share("项目支出", b.final_project, ratios.project_share)]
    spending_parts = "；".join(p for p in parts if p)
    total = _amount("总支出", b.final_expenditure)
    spending = (total + ("，其中：" + spending_parts if spending_parts else "")) if total else spending_parts
    revenue = _amount("决算总收入", b.final_revenue)
    text = _sentence(revenue, _change(ratios.revenue_change) if revenue else None, spending or None,
                     _amount("年末结转和结余", b.carryover), prefix=f"{year}年")
    execution = None
    if ratios.execution_rate is not None:  # SCORING.md §6: 决算支出 / 调整后预算
        execution = (f"调整后预算支出{amount_text(b.adjusted_expenditure)}万元，决算支出{amount_text(b.final_expenditure)}万元，"
                     f"预算执行率为{percent_text(ratios.execution_rate)}。")
    return [t for t in (text, execution) if t]


def three_public_sentences(department: Department, ratios: DepartmentRatios) -> list[str]:
    """3.“三公”经费执行情况: budget and final, each with its three parts."""
    p, year = department.three_public, department.year

    def parts(overseas, vehicles, reception) -> list[str | None]:
        return [_amount("因公出国（境）费", overseas), _amount("公务用车购置及运行维护费", vehicles),
                _amount("公务接待费", reception)]

    budget = _breakdown(_amount(f"{year}年“三公”经费预算数", p.budget_total),
                        parts(p.budget_overseas, p.budget_vehicles, p.budget_reception), f"{year}年“三公”经费预算中")
    head = _amount("“三公”经费决算数", p.final_total)
    if head and ratios.three_public_rate is not None:
        head += f"，为预算的{percent_text(ratios.three_public_rate)}"
    final = _breakdown(head, parts(p.final_overseas, p.final_vehicles, p.final_reception), "“三公”经费决算中")
    return [s for s in (_sentence(budget), _sentence(final)) if s]


def procurement_sentences(department: Department, ratios: DepartmentRatios) -> list[str]:
    """4.政府采购执行情况."""
    p, year = department.procurement, department.year
    head = _amount(f"{year}年度政府采购支出", p.total)
    if head and ratios.procurement_rate is not None:
        head += f"，为政府采购预算的{percent_text(ratios.procurement_rate)}"
    text = _sentence(_breakdown(head, [_amount("货物", p.goods), _amount("工程", p.works), _amount("服务", p.services)],
                                f"{year}年度政府采购支出中"))
    return [text] if text else []


def asset_sentences(department: Department, ratios: DepartmentRatios) -> list[str]:
    """5.资产管理情况: balance sheet, then fixed assets and the utilisation rate."""
    a, year = department.assets, department.year
    utilisation = None if ratios.asset_utilisation is None else f"资产使用率{percent_text(ratios.asset_utilisation)}"
    texts = [
        _sentence(_amount("资产总额", a.total_assets), _amount("负债总额", a.liabilities),
                  _amount("净资产", a.net_assets), prefix=f"{year}年年末"),
        _sentence(_amount("固定资产账面原值", a.fixed_assets_cost), _amount("在用资产", a.assets_in_use),
                  utilisation, prefix=f"截至{year}年12月31日，"),
    ]
    return [t for t in texts if t]


def score_summary(result: ProjectResult) -> str:
    """The 自评表 result in one sentence: 总分, 等级, then execution and each 一级."""
    funds = result.funds
    if funds.rate is None:
        execution = f"预算执行率无法计算（{funds.message}）"
    else:
        execution = (f"预算执行率{percent_text(funds.rate)}，得{score_text(funds.score)}分"
                     f"（分值{score_text(funds.weight)}分）")
    levels = [f"{node.level1}得{score_text(node.score)}分（分值{score_text(node.weight)}分）" for node in result.level1]
    text = (f"“{result.project.name}”自评得分{score_text(result.total)}分，评价等级为“{result.grade}”。"
            f"其中：{'；'.join([execution, *levels])}。")
    unscored = sum(1 for r in result.indicators if r.score is None)
    return text + (f"另有{unscored}项指标无法评分，未计入得分。" if unscored else "")


def whole_summary(result: ProjectResult) -> str:
    """The 部门整体支出绩效自评表 in one sentence, like a project's :func:`score_summary`."""
    text = score_summary(result)
    project = f"“{result.project.name}”自评得分"
    return "部门整体支出绩效自评表总分" + text.removeprefix(project) + "".join(f"{note}。" for note in result.notes)


def common_summary(common: CommonResult) -> str | None:
    """The 共性指标 computed (each rate as the 评分表 prints it) and, when the profile scores
    them, their points; None when no figure could be computed."""
    rates = [f"{row.value.indicator.key}{row.value.shown}" for row in common.rows
             if row.value.value is not None and row.value.indicator.measure is Measure.RATE and row.value.shown != "—"]
    if not rates:
        return None
    text = f"部门整体共性指标：{'，'.join(rates)}。"
    if common.profile.scores_common:
        missing = sum(1 for row in common.rows if row.cannot_score)
        text += (f"按评分规则“{common.profile.name}”，共性指标得{score_text(common.score)}分"
                 f"（分值{score_text(common.weight)}分）" + (f"，其中{missing}项因缺少数据未计分" if missing else "") + "。")
    return text


def whole_problems(department: Department, whole: ProjectResult | None, common: CommonResult | None) -> list[str]:
    """Problems the department-wide figures show: 超编, and a 预算调整率 beyond the limit the
    部门整体 table reveals when 预算执行 gives no 调整后预算 (else it is drafted already)."""
    problems: list[str] = []
    values = {row.value.indicator.key: row.value for row in common.rows} if common else {}
    staffing = values.get("财政供养人员控制率")
    if staffing is not None and staffing.value is not None and staffing.value > 1:
        s = department.base_data.staffing
        problems.append(f"财政供养人员超编。编制数{amount_text(s.authorized)}人，实际在职人数{amount_text(s.in_post)}人，"
                        f"财政供养人员控制率{staffing.shown}，超过100%。")
    adjustment = values.get("预算调整率")
    limit = department.profile.budget_adjustment_limit
    if (whole is not None and department.budget.adjusted_expenditure is None and adjustment is not None
            and adjustment.value is not None and abs(adjustment.value) > limit):
        line = whole.funds.funds.total
        word = "增加" if adjustment.value > ZERO else "减少"
        problems.append(f"预算调整幅度较大。年初预算数{amount_text(line.initial)}万元，全年预算数{amount_text(line.budget)}万元，"
                        f"较年初预算{word}{percent_text(abs(adjustment.value))}，超过{percent_text(limit, 0)}的预算调整率上限，"
                        "应说明调整原因。")
    return problems


def _row_name(result: IndicatorResult, project: str, several: bool) -> str:
    ind = result.indicator
    return (f"{project}：" if several else "") + f"{ind.level3}（{ind.level2}）"


def drafted_problems(department: Department, results: list[ProjectResult], ratios: DepartmentRatios) -> list[str]:
    """Problems the figures show, as sentences a reviewer would write."""
    problems: list[str] = []
    profile = department.profile
    b = department.budget
    # 预算调整率 = (调整后预算 − 年初预算) / 年初预算 (SCORING.md §6) against the profile's
    # 预算调整率上限. Without a 调整后预算 nothing is drafted: 决算 against 年初预算 is not the
    # 调整率 and no rule gives it a limit (a 决算 far from 年初 is what an adjustment explains).
    adjustment = ratios.adjustment_rate
    limit = profile.budget_adjustment_limit
    if adjustment is not None and abs(adjustment) > limit:
        word = "增加" if adjustment > ZERO else "减少"
        problems.append(
            f"预算调整幅度较大。年初预算支出{amount_text(b.initial_expenditure)}万元，"
            f"调整后预算支出{amount_text(b.adjusted_expenditure)}万元，较年初预算{word}{percent_text(abs(adjustment))}，"
            f"超过{percent_text(limit, 0)}的预算调整率上限，应说明调整原因。")
    several = len(results) > 1
    lost = [f"{_row_name(r, res.project.name, several)}得{score_text(r.score)}分（分值{score_text(r.indicator.weight)}分）"
            for res in results for r in res.indicators if r.score is not None and r.score < r.indicator.weight]
    if lost:
        problems.append(f"部分绩效指标未得满分：{'；'.join(lost)}。")
    over = [f"{_row_name(r, res.project.name, several)}年度指标值{shown(r.indicator.target)}，"
            f"实际完成{shown(r.indicator.actual)}"
            for res in results for r in res.indicators
            if Flag.OVER_ACHIEVED in r.flags and not r.indicator.deviation_reason.strip()]
    if over:
        problems.append(
            f"部分绩效指标超额完成（达到年度指标值的{percent_text(profile.over_achievement_threshold, 0)}及以上）"
            f"且未说明原因，年度指标值设定可能偏低：{'；'.join(over)}。")
    if ratios.asset_utilisation is not None and ratios.asset_utilisation < profile.low_asset_utilisation:
        problems.append(
            f"固定资产使用率偏低。固定资产账面原值{amount_text(department.assets.fixed_assets_cost)}万元，"
            f"在用资产{amount_text(department.assets.assets_in_use)}万元，"
            f"资产使用率{percent_text(ratios.asset_utilisation)}，低于{percent_text(profile.low_asset_utilisation, 0)}。")
    return problems


def _problem_paragraphs(user: tuple[str, ...], drafted: list[str]) -> list[Paragraph]:
    """Drafted problems go first, after the user's lead-in sentence when it ends with a colon."""
    lead = 1 if user and user[0].rstrip().endswith(("：", ":")) else 0
    body = [Paragraph(Para.BODY, text) for text in user]
    return body[:lead] + [Paragraph(Para.BODY, text, drafted=True) for text in drafted] + body[lead:]


def build_narrative(department: Department, results: list[ProjectResult],
                    draft_problems: bool = True, whole: ProjectResult | None = None,
                    common: CommonResult | None = None) -> list[Paragraph]:
    """Describe the whole 自评报告; ``results`` are the scored projects of the department,
    ``whole`` its scored 部门整体支出绩效自评表 and ``common`` its 共性指标, when it has them."""
    ratios = department_ratios(department)
    title = department.report_title or f"{department.year}年度部门整体支出绩效自评报告"
    out: list[Paragraph] = [Paragraph(Para.TITLE, f"{department.name}\n{title}")]

    def heading(style: Para, text: str, body: list[str] | tuple[str, ...] = ()) -> None:
        out.append(Paragraph(style, text))
        out.extend(Paragraph(Para.BODY, item) for item in body)

    if department.notice:
        out.append(Paragraph(Para.BODY, department.notice))
    heading(Para.HEADING1, "一、部门基本情况")
    heading(Para.HEADING2, "（一）主要职责", department.duties)
    heading(Para.HEADING2, "（二）基本情况", department.overview)
    heading(Para.HEADING1, "二、预算支出及绩效情况")
    heading(Para.HEADING2, "（一）部门预决算情况")
    heading(Para.HEADING3, "1.部门预算情况", budget_sentences(department))
    heading(Para.HEADING3, "2.部门决算情况", final_sentences(department, ratios))
    heading(Para.HEADING3, "3.“三公”经费执行情况", three_public_sentences(department, ratios))
    heading(Para.HEADING3, "4.政府采购执行情况", procurement_sentences(department, ratios))
    heading(Para.HEADING3, "5.资产管理情况", asset_sentences(department, ratios))
    heading(Para.HEADING2, "（二）资金使用及绩效情况")
    heading(Para.HEADING3, "1.整体绩效目标完成情况", department.performance)
    heading(Para.HEADING3, "2.项目整体目标完成情况", department.project_summary)
    department_wide = [whole_summary(whole)] if whole is not None else []
    department_wide += [text for text in [common_summary(common) if common else None] if text]
    heading(Para.HEADING3, "3.绩效自评结果", department_wide + [score_summary(result) for result in results])
    heading(Para.HEADING2, "（三）重点工作开展情况", department.key_work)
    heading(Para.HEADING1, "三、存在的问题及改进措施")
    drafted = drafted_problems(department, results, ratios) + whole_problems(department, whole, common) \
        if draft_problems else []
    out.extend(_problem_paragraphs(department.problems, drafted))
    out.extend(Paragraph(Para.BODY, text) for text in department.measures)
    if department.report_date:  # 落款: the unit above the date, as an official report signs off
        out.append(Paragraph(Para.DATE, department.name))
        out.append(Paragraph(Para.DATE, department.report_date))
    return out
