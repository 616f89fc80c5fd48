"""Consistency checks over the model: what a finance bureau reviewer would circle in red.

Every check is a pure function of the model (and of where its figures came from) returning
:class:`Check` records; nothing here opens a file. Where a figure came from is
:class:`Origins`: an indicator carries its own ``origin`` ("sheet!D12", the row), and
``Origins.columns`` moves that to the column a message is about (得分, 偏差原因…), because
the official layout and our template put those columns in different places.

Severity: *error* where the table is wrong or cannot be scored (a department must fix it:
points lost without a reason, a published score that disagrees with the rules without a
reason, weights not adding up to 100, arithmetic that does not add up); *warning* where a
reviewer should look (超额完成 without a reason — the score stays full, SCORING.md §3.6 —,
执行率 over 100%, a narrative figure that disagrees with the table, unit mismatches, an
＝ target not met exactly).

:func:`write_check_sheet` lists the checks in a 校验结果 sheet with a link to each cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, Iterator, Mapping

from udfs.model import Department, Flag, IndicatorResult, ProjectResult, shown
from udfs.numbers import CENT, ZERO, amount_text, percent_text, score_text
from udfs.profile import DEFAULT_PROFILE, RuleProfile
from udfs.targets import ActualError, Quantity, TargetKind, parse_target, read_actual_quantity

from .. import layout as L
from .narrative_figures import Subject, SubjectIndex

ERROR, WARNING = "error", "warning"
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告"}
CHECK_SHEET = "校验结果"


@dataclass(frozen=True)
class Check:
    severity: str  # "error" | "warning" (the JSON codes)
    sheet: str
    cell: str  # "" when the finding is about a sheet or a paragraph, not one cell
    message: str  # Chinese

    @property
    def label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def __str__(self) -> str:
        where = f"工作表「{self.sheet}」" + (f"单元格{self.cell}" if self.cell else "") if self.sheet else ""
        return f"[{self.label}] {where}{'：' if where else ''}{self.message}"


@dataclass(frozen=True)
class Origins:
    """Where figures live. ``columns``: indicator field -> column letter (target, actual,
    weight, score, reason); ``cells``: a named figure -> "sheet!A1" (funds.total,
    funds.parts[0], total (the 总分 row's 得分), total.weight (its 分值), budget.final_basic,
    narrative.key_work …)."""

    columns: Mapping[str, str] = field(default_factory=dict)
    cells: Mapping[str, str] = field(default_factory=dict)

    def at(self, origin: str, column: str = "") -> tuple[str, str]:
        """(sheet, cell) of an indicator ``origin`` moved to ``column``'s letter when known."""
        sheet, _, cell = origin.rpartition("!")
        letter = self.columns.get(column)
        if letter and cell:
            cell = letter + cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return sheet.strip("'"), cell

    def of(self, key: str, default_sheet: str = "") -> tuple[str, str]:
        sheet, _, cell = self.cells.get(key, f"{default_sheet}!").rpartition("!")
        return sheet.strip("'"), cell


def template_origins() -> Origins:
    """Origins in our own workbook (colleague A's layout): columns of 绩效指标, cells of the
    department figures."""
    table = L.table_of(L.INDICATORS.place("indicators").block)
    columns = {"target": "target", "actual": "actual", "weight": "weight", "score": "manual", "reason": "reason",
               "level3": "level3"}
    funds = L.table_of(L.FUNDS.place("funds").block)
    funds_columns = {f"funds.{key}": funds.letter(key) for key in ("initial", "budget", "executed", "weight")}
    cells = {f"{sheet.key}.{f.key}": f"{sheet.name}!{sheet.field_cell(sheet.key, f.key)}"
             for sheet in (L.BUDGET, L.THREE_PUBLIC, L.PROCUREMENT, L.ASSETS)
             for f in L.block_fields(sheet.place(sheet.key).block) if f.is_input}
    cells.update({f"narrative.{s.attr}": f"{L.RESULTS.name}!A1" for s in L.RESULTS.placed()[0].block.sections})
    return Origins({**{key: table.letter(name) for key, name in columns.items()}, **funds_columns}, cells)


# --- one project ---------------------------------------------------------------------------

def check_project(result: ProjectResult, profile: RuleProfile = DEFAULT_PROFILE,
                  origins: Origins = Origins()) -> list[Check]:
    """Row checks, weights, execution and funds arithmetic of one scored 自评表."""
    return [*_indicator_checks(result, origins), *_weight_checks(result, profile, origins),
            *_funds_checks(result, profile, origins), *_total_checks(result, origins)]


def _indicator_checks(result: ProjectResult, origins: Origins) -> Iterator[Check]:
    for row in result.indicators:
        ind = row.indicator
        name = f"三级指标「{ind.level3 or ind.level2}」"
        reason = ind.deviation_reason.strip()

        def at(column: str, severity: str, message: str) -> Check:
            return Check(severity, *origins.at(ind.origin, column), f"{name}：{message}")

        if Flag.CANNOT_SCORE in row.flags:
            yield at(_unscored_column(row.explanation, ind.weight), ERROR, row.explanation.rstrip("。"))
        if Flag.BAD_OVERRIDE in row.flags:
            yield at("score", ERROR, row.explanation.split("；")[-1].rstrip("。"))
        if Flag.NOT_EQUAL in row.flags:
            yield at("actual", WARNING, f"等于型指标的实际完成值「{ind.actual}」与年度指标值「{ind.target}」不等，请复核")
        if Flag.UNIT_MISMATCH in row.flags and Flag.NEEDS_REVIEW not in row.flags:
            yield at("actual", WARNING, f"实际完成值「{ind.actual}」的单位与年度指标值「{ind.target}」不一致，请核实")
        if Flag.NEEDS_REVIEW in row.flags:
            assumed = row.explanation.split("需复核：", 1)[-1].rstrip("。")
            yield at("actual", WARNING, f"年度指标值「{ind.target}」、实际完成值「{ind.actual}」已计分，但{assumed}，请复核")
        published = ind.published_score
        if published is not None and ind.weight is not None and ZERO <= ind.weight < published:
            yield at("score", ERROR, f"得分{score_text(published)}超过分值{score_text(ind.weight)}")
        elif published is not None and row.rule_score is not None and published != row.rule_score and not reason:
            yield at("score", ERROR, f"填报得分{score_text(published)}与按评分规则计算的{score_text(row.rule_score)}分不一致，"
                                     f"且未填写偏差原因，按规则得分计")
        if Flag.NEEDS_REASON in row.flags:
            if row.score is not None and row.score < ind.points:
                yield at("reason", ERROR, f"扣分（得分{score_text(row.score)}，分值{score_text(ind.weight)}）但未填写偏差原因分析及改进措施")
            else:
                done = percent_text(row.completion) if row.completion is not None else "—"
                yield at("reason", WARNING, f"超额完成（目标{ind.target}，实际{ind.actual}，完成率{done}）但未填写偏差原因分析及改进措施")


def _unscored_column(explanation: str, weight: Decimal | None) -> str:
    """The cell to fix when a row cannot be scored: a missing or negative 分值, an actual the
    rules cannot read ("无法评分：实际完成值…"), else the 年度指标值."""
    if weight is None or weight < ZERO:
        return "weight"
    return "actual" if explanation.startswith("无法评分：实际完成值") else "target"


def _weight_checks(result: ProjectResult, profile: RuleProfile, origins: Origins) -> Iterator[Check]:
    first_origin = {}
    for row in result.indicators:
        first_origin.setdefault(row.indicator.level1, row.indicator.origin)
    for node in result.level1:
        expected = profile.level1_weight(node.level1)
        where = origins.at(first_origin.get(node.level1, ""), "weight")
        if expected is None:
            yield Check(WARNING, *where, f"一级指标「{node.level1}」不是评分规则中的一级指标（{'、'.join(n for n, _ in profile.level1_weights)}）")
        elif node.weight != expected:
            yield Check(WARNING, *where, f"一级指标「{node.level1}」下三级指标分值合计{score_text(node.weight)}分，"
                                         f"评分规则为{score_text(expected)}分")
    total = result.funds.weight + sum((row.indicator.points for row in result.indicators), ZERO)
    if total != profile.total_weight:
        key = "total.weight" if "total.weight" in origins.cells else "total"  # the 总分 row's 分值 cell when known
        yield Check(ERROR, *origins.of(key, _project_sheet(result)),
                    f"项目「{result.project.name}」分值合计{score_text(total)}分（执行率{score_text(result.funds.weight)}分"
                    f"＋指标{score_text(total - result.funds.weight)}分），应为{score_text(profile.total_weight)}分")


def _project_sheet(result: ProjectResult) -> str:
    origin = next((row.indicator.origin for row in result.indicators if row.indicator.origin), "")
    return origin.rpartition("!")[0].strip("'")


def _funds_checks(result: ProjectResult, profile: RuleProfile, origins: Origins) -> Iterator[Check]:
    funds = result.funds
    line = funds.funds.total

    def where(attr: str) -> tuple[str, str]:
        """The 年度资金总额 cell of ``attr`` (budget, executed, weight …) where the user fixes it."""
        if line.origin:
            return origins.at(line.origin, f"funds.{attr}")
        return origins.of("funds.total", _project_sheet(result))

    if funds.rate is None:
        budget_bad = line.budget is None or line.budget <= ZERO
        attr = "weight" if funds.weight < ZERO else ("budget" if budget_bad else "executed")
        yield Check(ERROR, *where(attr), f"项目资金：{funds.message}")
    elif funds.rate > 1:
        yield Check(WARNING, *where("executed"), f"项目资金执行率{percent_text(funds.rate)}超过100%（全年执行数大于全年预算数），请核实")
    if funds.funds.weight is not None and funds.funds.weight != profile.execution_weight:
        yield Check(WARNING, *where("weight"), f"项目资金的分值{score_text(funds.funds.weight)}分与评分规则的预算执行率分值"
                                               f"{score_text(profile.execution_weight)}分不同，按项目资金的分值计")
    parts = funds.funds.parts
    for attr, label in (("initial", "年初预算数"), ("budget", "全年预算数"), ("executed", "全年执行数")):
        values = [getattr(part, attr) for part in parts]
        total = getattr(line, attr)
        if total is None or all(value is None for value in values):
            continue
        parts_sum = sum((value or ZERO for value in values), ZERO)
        if abs(parts_sum - total) > CENT:
            names = "＋".join(part.label for part in parts)
            yield Check(ERROR, *where(attr), f"项目资金{label}：{names}＝{amount_text(parts_sum)}万元，"
                                             f"与年度资金总额{amount_text(total)}万元不符")


def _total_checks(result: ProjectResult, origins: Origins) -> Iterator[Check]:
    published = result.project.published_total
    if published is not None and published != result.total:
        yield Check(WARNING, *origins.of("total", _project_sheet(result)),
                    f"填报总分{score_text(published)}与重新计算的总分{score_text(result.total)}不一致")


# --- department figures ------------------------------------------------------------------

_SUMS = (
    # (record, total field, part fields, message label)
    ("budget", "initial_expenditure", ("initial_basic", "initial_project"), "年初预算支出＝基本支出＋项目支出"),
    ("budget", "final_expenditure", ("final_basic", "final_project", "carryover"), "决算总支出＝基本支出＋项目支出＋年末结转和结余"),
    ("three_public", "budget_total", ("budget_overseas", "budget_vehicles", "budget_reception"), "“三公”经费预算数＝三项之和"),
    ("three_public", "final_total", ("final_overseas", "final_vehicles", "final_reception"), "“三公”经费决算数＝三项之和"),
    ("procurement", "total", ("goods", "works", "services"), "政府采购支出＝货物＋工程＋服务"),
)


def check_department(department: Department, origins: Origins = Origins()) -> list[Check]:
    """Budget arithmetic (0.01 万元 tolerance); a blank part counts as 0 when others are given."""
    checks = []
    for record, total_key, part_keys, label in _SUMS:
        figures = getattr(department, record)
        total = getattr(figures, total_key)
        parts = [getattr(figures, key) for key in part_keys]
        if total is None or all(part is None for part in parts):
            continue
        parts_sum = sum((part or ZERO for part in parts), ZERO)
        if abs(parts_sum - total) > CENT:
            checks.append(Check(ERROR, *origins.of(f"{record}.{total_key}"),
                                f"{label}不成立：各项合计{amount_text(parts_sum)}万元，填报{amount_text(total)}万元"))
    assets = department.assets
    if None not in (assets.total_assets, assets.liabilities, assets.net_assets):
        if abs(assets.total_assets - assets.liabilities - assets.net_assets) > CENT:
            checks.append(Check(ERROR, *origins.of("assets.net_assets"),
                                f"资产总额−负债总额＝{amount_text(assets.total_assets - assets.liabilities)}万元，"
                                f"与净资产{amount_text(assets.net_assets)}万元不符"))
    return checks


# --- narrative vs table ----------------------------------------------------------------------

NARRATIVE_ATTRS = (("performance", "整体绩效目标完成情况"), ("project_summary", "项目整体目标完成情况"),
                   ("key_work", "重点工作开展情况"))
# Department figures a sentence may state: (record, field, label, anchors, excluded words).
# An anchor is a set of words that must all be in the clause; an excluded word means the
# clause states another figure (the 预算 beside a 决算, a part beside its total).
_DEPARTMENT_FIGURES = (
    ("budget", "final_expenditure", "决算总支出", (("决算总支出",), ("决算", "总支出"), ("支出决算",), ("决算支出",)),
     ("年初", "基本支出", "项目支出", "三公", "采购")),
    ("budget", "initial_expenditure", "年初预算支出", (("年初预算支出",), ("年初", "预算", "支出")),
     ("决算", "基本支出", "项目支出", "三公", "采购")),
    ("three_public", "budget_total", "“三公”经费预算数", (("三公", "预算"),),
     ("决算", "实际", "支出", "接待", "用车", "车辆", "出国")),
    ("three_public", "final_total", "“三公”经费决算数", (("三公", "决算"), ("三公", "支出"), ("三公", "实际")),
     ("预算", "接待", "用车", "车辆", "出国")),
    ("procurement", "total", "政府采购支出", (("政府采购",),), ("预算", "计划", "货物", "工程", "服务")),
    ("assets", "total_assets", "资产总额", (("资产总额",), ("总资产",)), ("净资产", "固定资产", "负债")),
)
_FUNDS_ANCHORS = tuple((word, verb) for word in ("资金", "经费") for verb in ("执行", "支出", "支付", "拨付", "使用")) + (
    ("执行数",),)
_FUNDS_EXCLUDED = ("年初", "预算数", "全年预算", "调整后预算", "预算资金", "安排", "下达", "争取", "结转", "结余", "剩余",
                   "未", "三公", "采购", "基本支出", "部门", "整体", "执行率")
_RATE_ANCHORS = (("执行率",), ("支出进度",))
_TOTAL_ANCHORS = (("自评得分",), ("自评总分",), ("总分",), ("自评分",), ("得分",))


def check_narrative(department: Department, results: Iterable[ProjectResult],
                    origins: Origins = Origins()) -> list[Check]:
    """Figures in the 工作成效 text that contradict the table figure they are about.

    Right when it speaks rather than complete (a false alarm on every report would teach
    users to ignore the sheet): a figure is compared only with the one indicator, project
    total or department figure its clause names, in the same unit, and only when no other
    figure is named as well (see :mod:`addin.narrative_figures`). "393.2万余元" must then
    cover the table value (393.2 ≤ x < 393.3), "约" allows 5%, and a plain figure must round
    to the table value. A figure equal to the target is fine (the text may quote the goal).
    """
    results = list(results)
    index = SubjectIndex(_narrative_subjects(department, results), [r.project.name for r in results])
    checks = []
    for attr, section in NARRATIVE_ATTRS:
        for number, paragraph in enumerate(getattr(department, attr)):
            key = f"narrative.{attr}[{number}]"
            where = origins.of(key if key in origins.cells else f"narrative.{attr}", L.RESULTS.name)
            for found in index.disagreements(paragraph):
                checks.append(Check(WARNING, *where, f"{section}中“{found.clause}”的{found.stated}与"
                                                     f"{found.subject.description}不一致，请核对"))
    return checks


def _narrative_subjects(department: Department, results: list[ProjectResult]) -> list[Subject]:
    """Every table figure the text may state: indicators' 实际完成值, each project's 全年执行数,
    执行率 and 总分, and the department's budget, 三公, 政府采购 and asset totals."""
    named = len(results) > 1
    subjects = []
    for result in results:
        project = result.project.name
        label = f"项目「{project}」" if named else ""
        subjects.extend(s for row in result.indicators if (s := _indicator_subject(row, project, label)))
        executed = result.project.funds.total.executed
        if executed is not None:
            subjects.append(Subject(f"{label or '项目资金'}全年执行数{amount_text(executed)}万元", _money(executed),
                                    anchors=_FUNDS_ANCHORS, excluded=_FUNDS_EXCLUDED, project=project))
        if result.funds.rate is not None:
            subjects.append(Subject(f"{label or '项目资金'}执行率{percent_text(result.funds.rate)}",
                                    Quantity(result.funds.rate, "%"), anchors=_RATE_ANCHORS,
                                    excluded=("部门", "整体"), project=project))
        published = result.project.published_total
        subjects.append(Subject(f"{label}自评总分{score_text(result.total)}分", Quantity(result.total, "分"),
                                accepted=() if published is None else (Quantity(published, "分"),),
                                anchors=_TOTAL_ANCHORS, excluded=("满分", "扣", "分值"), project=project))
    sheets = {"budget": L.BUDGET.name, "three_public": L.THREE_PUBLIC.name, "procurement": L.PROCUREMENT.name,
              "assets": L.ASSETS.name}
    for record, attr, label, anchors, excluded in _DEPARTMENT_FIGURES:
        value = getattr(getattr(department, record), attr)
        if value is not None:
            subjects.append(Subject(f"{sheets[record]}表中{label}{amount_text(value)}万元", _money(value),
                                    anchors=anchors, excluded=excluded))
    return subjects


def _money(amount: Decimal) -> Quantity:
    """An amount in 万元 as the matcher compares it (base units, yuan)."""
    return Quantity(amount * 10_000, "元", "万")


def _indicator_subject(row: IndicatorResult, project: str, label: str) -> Subject | None:
    """An indicator with a quantitative target and an actual read in the target's unit."""
    ind = row.indicator
    parsed = parse_target(ind.target, ind.level2, ind.level3)
    if parsed.quantity is None or parsed.kind is TargetKind.UNPARSED:
        return None
    try:
        actual = read_actual_quantity(ind.actual, parsed.quantity)
    except (ActualError, ValueError, TypeError):
        return None
    return Subject(f"{label}绩效指标「{ind.level3}」实际完成值{shown(ind.actual)}", actual, (parsed.quantity,),
                   name=ind.level3, project=project)


def has_errors(checks: Iterable[Check]) -> bool:
    return any(check.is_error for check in checks)


# --- the 校验结果 sheet ------------------------------------------------------------------------

CHECK_HEADERS = ("级别", "工作表", "单元格", "说明")


def write_check_sheet(workbook, checks: Iterable[Check], title: str = CHECK_SHEET,
                      link_sheets: Iterable[str] | None = None):
    """Add (or replace) the 校验结果 sheet: one row per check, errors first, each sheet/cell a
    link (``#'sheet'!A1``) when that sheet is in ``link_sheets`` (default: the sheets of
    ``workbook``; the ribbon renders into a scratch workbook and links to the user's).
    Returns the sheet."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    from ..report.sheetkit import set_value

    if title in workbook.sheetnames:
        del workbook[title]
    ws = workbook.create_sheet(title, 0)
    ws.append(CHECK_HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    linkable = set(workbook.sheetnames if link_sheets is None else link_sheets)
    ordered = sorted(checks, key=lambda c: c.severity != ERROR)
    for row, check in enumerate(ordered, start=2):
        for column, value in enumerate((check.label, check.sheet, check.cell, check.message), start=1):
            set_value(ws.cell(row, column), value)  # a sheet name or message may start with "="
        if check.severity == ERROR:
            ws.cell(row, 1).font = Font(color="C00000", bold=True)
        if check.sheet in linkable:
            link = ws.cell(row, 3 if check.cell else 2)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{check.sheet}'!{check.cell or 'A1'}")
            link.font = Font(color="0563C1", underline="single")
    if not ordered:
        ws.append(("—", "", "", "未发现问题"))
    for letter, width in zip("ABCD", (8, 16, 10, 100)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    return ws
