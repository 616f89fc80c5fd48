"""Typed, immutable model of a department's self-evaluation (GLOSSARY.md names).

Input records (what a user or an imported table states) are separate from result records
(what the rules compute), so a result always shows both the rule score and the final one.
Amounts are Decimal 万元; ``None`` means the cell was blank.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum

from .numbers import amount_text
from .profile import DEFAULT_PROFILE, RuleProfile

Amount = Decimal | None


CellValue = str | Decimal | bool | date | datetime | time | timedelta


@dataclass(frozen=True)
class Entry:
    """A 年度指标值 or 实际完成值 cell as the user sees it.

    ``value`` is what the cell stores (text, a number, a date), ``number_format`` the Excel
    format code it is shown with, and ``text`` what the spreadsheet displays ("97.30%" for
    0.973 under "0.00%", "23年5月20日" for a date). Rules read the value with the format as
    evidence (a number shown with "%" is a percentage); every output prints ``text``.
    Values from a UDF call arrive bare (Excel hands no format), so the rules accept both.
    """

    value: CellValue
    text: str
    number_format: str = "General"

    def __str__(self) -> str:
        return self.text


def shown(value: object) -> str:
    """What a target/actual prints as: an Entry's text; a bare value as str ("" when blank)."""
    if value is None:
        return ""
    if isinstance(value, Entry):
        return value.text
    return amount_text(value) if isinstance(value, Decimal) else str(value)


class Rule(str, Enum):
    """How a row was scored. The value is the stable English code used in JSON."""

    POSITIVE = "positive"
    REVERSE = "reverse"
    EQUAL = "equal"
    DEADLINE = "deadline"
    QUALITATIVE = "qualitative"
    UNPARSED = "unparsed"
    MANUAL = "manual"

    @property
    def label(self) -> str:
        return RULE_LABELS[self]


RULE_LABELS = {
    Rule.POSITIVE: "正向指标",
    Rule.REVERSE: "反向指标",
    Rule.EQUAL: "等于型指标",
    Rule.DEADLINE: "时效指标",
    Rule.QUALITATIVE: "定性指标",
    Rule.UNPARSED: "无法解析",
    Rule.MANUAL: "人工评分",
}


class Flag(str, Enum):
    """Review flags a row can carry; the value is what the user reads."""

    OVER_ACHIEVED = "超额完成"
    NEEDS_REASON = "需填写偏差原因"
    NOT_EQUAL = "与目标值不等需复核"
    OVERRIDDEN = "人工调整得分"
    CANNOT_SCORE = "无法评分"
    UNIT_MISMATCH = "单位不一致"
    BAD_OVERRIDE = "人工得分无效"
    NEEDS_REVIEW = "需复核"  # scored, but something had to be assumed (SCORING.md §5b.5)
    OVER_DEDUCTED = "超额扣分"  # the profile deducts points for a 完成值 far above the target


@dataclass(frozen=True)
class Indicator:
    """One 三级指标 row as entered."""

    level1: str
    level2: str
    level3: str
    target: object  # 年度指标值: an Entry (read from a workbook) or a bare cell value (UDF)
    actual: object  # 实际完成值: the same
    weight: Decimal | None  # 分值; None when the cell holds no usable number (then weight_text says what)
    manual_score: Decimal | None = None  # 人工得分 (override)
    deviation_reason: str = ""  # 偏差原因分析及改进措施
    published_score: Decimal | None = None  # 得分 printed in an imported table
    origin: str = ""  # where it came from, e.g. "绩效指标!D12", for messages
    weight_text: str = ""  # what the 分值 cell shows when it is not a number ("五"): printed, never dropped

    @property
    def points(self) -> Decimal:
        """The weight as it counts in sums: an unusable 分值 counts 0 (and is reported)."""
        return self.weight if self.weight is not None else Decimal(0)


@dataclass(frozen=True)
class IndicatorResult:
    indicator: Indicator
    rule: Rule  # the rule that produced rule_score (never MANUAL)
    rule_score: Decimal | None  # None: cannot score
    score: Decimal | None  # final: override if valid, else rule score
    flags: tuple[Flag, ...]
    explanation: str  # one Chinese sentence
    completion: Decimal | None = None  # actual / target where meaningful

    @property
    def final_rule(self) -> Rule:
        return Rule.MANUAL if Flag.OVERRIDDEN in self.flags else self.rule


@dataclass(frozen=True)
class FundsLine:
    """A 项目资金 row: 年初预算数 / 全年预算数 / 全年执行数."""

    label: str
    initial: Amount = None
    budget: Amount = None
    executed: Amount = None
    origin: str = ""  # the row's cell, e.g. "项目资金!D2", so a finding names where to fix it


@dataclass(frozen=True)
class Funds:
    """The 项目资金 block: the total row (年度资金总额) and its 其中 sub-rows."""

    total: FundsLine
    parts: tuple[FundsLine, ...] = ()
    weight: Decimal | None = None  # None: the profile's execution weight


@dataclass(frozen=True)
class FundsResult:
    funds: Funds
    rate: Decimal | None
    score: Decimal | None
    weight: Decimal
    message: str  # Chinese; explains a missing rate


@dataclass(frozen=True)
class Project:
    """One 自评表: a project (or the department as a whole) with its funds and indicators."""

    name: str
    department: str  # 主管部门
    implementer: str  # 实施单位
    funds: Funds
    goal_expected: str = ""  # 年度总体目标 预期目标
    goal_achieved: str = ""  # 实际完成情况
    indicators: tuple[Indicator, ...] = ()
    published_total: Decimal | None = None


@dataclass(frozen=True)
class GroupScore:
    """A 一级 or 二级 node: its name, the weights below it and the points earned."""

    level1: str
    level2: str  # "" for a 一级 node
    weight: Decimal
    score: Decimal
    unscored: int = 0  # rows below it that could not be scored


@dataclass(frozen=True)
class ProjectResult:
    project: Project
    funds: FundsResult
    indicators: tuple[IndicatorResult, ...]
    level2: tuple[GroupScore, ...]
    level1: tuple[GroupScore, ...]
    total: Decimal
    grade: str
    notes: tuple[str, ...] = ()  # what the profile did to the total (a cap by 执行率), in Chinese


@dataclass(frozen=True)
class Budget:
    """部门预决算 (万元)."""

    initial_revenue: Amount = None  # 年初预算收入
    initial_fiscal: Amount = None  # 其中一般公共预算财政拨款
    initial_expenditure: Amount = None  # 年初预算支出
    initial_basic: Amount = None
    initial_project: Amount = None
    adjusted_expenditure: Amount = None  # 调整后预算 (全年预算数), when known
    final_revenue: Amount = None  # 决算总收入
    final_expenditure: Amount = None  # 决算总支出
    final_basic: Amount = None
    final_project: Amount = None
    carryover: Amount = None  # 年末结转和结余


@dataclass(frozen=True)
class ThreePublicCosts:
    """"三公"经费 (万元): budget and final amounts of the three parts."""

    budget_total: Amount = None
    budget_overseas: Amount = None
    budget_vehicles: Amount = None
    budget_reception: Amount = None
    final_total: Amount = None
    final_overseas: Amount = None
    final_vehicles: Amount = None
    final_reception: Amount = None


@dataclass(frozen=True)
class Procurement:
    """政府采购 (万元)."""

    total: Amount = None
    goods: Amount = None
    works: Amount = None
    services: Amount = None
    budget: Amount = None  # 采购预算, when known


@dataclass(frozen=True)
class Assets:
    """资产 (万元)."""

    total_assets: Amount = None
    liabilities: Amount = None
    net_assets: Amount = None
    fixed_assets_cost: Amount = None  # 固定资产账面原值
    assets_in_use: Amount = None  # 在用资产


# --- 部门整体: the 基础数据表 and the 部门整体支出绩效自评表 (Hunan layout) ----------------

@dataclass(frozen=True)
class Staffing:
    """财政供养人员情况 (人): 编制数 and 实际在职人数."""

    authorized: Amount = None  # 编制数 (all 编制 of the department: 行政 + 事业)
    in_post: Amount = None  # 实际在职人数


@dataclass(frozen=True)
class CostLine:
    """One row of 经费控制情况 (万元): 上年决算数, 本年预算数, 本年决算数.

    ``item`` is the row of the published form (三公经费, 公车购置, 公用经费, 专项资金 …); a
    专项资金 row also has a ``name``. ``origin`` is the row's cell, for messages.
    """

    item: str
    name: str = ""
    last_final: Amount = None
    budget: Amount = None
    final: Amount = None
    origin: str = ""

    @property
    def label(self) -> str:
        return self.name or self.item


@dataclass(frozen=True)
class Building:
    """楼堂馆所控制情况: the year's completed project, its size (㎡) and investment (万元)."""

    project: str = ""  # 完工项目
    approved_area: Amount = None  # 批复规模
    actual_area: Amount = None  # 实际规模
    budget_investment: Amount = None  # 预算投资
    actual_investment: Amount = None  # 实际投资


@dataclass(frozen=True)
class Conduct:
    """What a 共性指标 rubric counts or checks and no budget table holds (评价事项)."""

    key_spending: Amount = None  # 重点项目支出 (万元), for 重点支出安排率
    last_carryover: Amount = None  # 上年结转结余 (万元), for 资金结余
    late_special_funds: Amount = None  # 未按进度下达（支付）的专项个数
    violations: Amount = None  # 资金使用违规事项数
    rules_exist: bool | None = None  # 已制定预算资金管理、内部财务管理、会计核算等制度
    rules_sound: bool | None = None  # 相关管理制度合法、合规、完整
    rules_enforced: bool | None = None  # 相关管理制度得到有效执行
    control_reason: str = ""  # why a 控制率 is over 100% (超编, 超预算), required then
    adjustment_reason: str = ""  # why the 预算调整率 is over the profile's limit, required then


@dataclass(frozen=True)
class BaseData:
    """附件一 部门整体支出绩效评价基础数据表, plus the 评价事项 the 共性指标 rubrics need."""

    staffing: Staffing = field(default_factory=Staffing)
    costs: tuple[CostLine, ...] = ()
    building: Building = field(default_factory=Building)
    frugality: str = ""  # 厉行节约保障措施
    conduct: Conduct = field(default_factory=Conduct)

    def cost(self, item: str) -> CostLine | None:
        """The (first) row of ``item``; None when the department did not fill it."""
        return next((line for line in self.costs if line.item == item), None)


@dataclass(frozen=True)
class Share:
    """One 其中 line of 年度预算申请 split 按收入性质 or 按支出性质: a label and one amount."""

    label: str
    amount: Amount = None
    origin: str = ""


@dataclass(frozen=True)
class WholeFunds:
    """年度预算申请 of the 部门整体支出绩效自评表: 年度资金总额 (年初预算数, 全年预算数, 全年执行数),
    its 分值, and the 全年执行数 split 按收入性质 and 按支出性质. ``*_total`` are the totals the
    table prints ("按收入性质分：2030.12"); None when the table gives none (then the parts count)."""

    total: FundsLine
    weight: Decimal | None = None
    by_revenue: tuple[Share, ...] = ()
    by_expenditure: tuple[Share, ...] = ()
    revenue_total: Amount = None
    expenditure_total: Amount = None


@dataclass(frozen=True)
class WholeTable:
    """附件二 部门整体支出绩效自评表: the department's own funds, goal and 三级 indicators,
    scored by the same rules as a project's 自评表."""

    funds: WholeFunds
    goal_expected: str = ""
    goal_achieved: str = ""
    indicators: tuple[Indicator, ...] = ()
    published_total: Decimal | None = None

    def as_project(self, name: str) -> Project:
        """The table as a project, so :func:`udfs.scoring.score_project` scores it."""
        funds = Funds(self.funds.total, (), self.funds.weight)
        return Project(name=name, department=name, implementer=name, funds=funds, goal_expected=self.goal_expected,
                       goal_achieved=self.goal_achieved, indicators=self.indicators,
                       published_total=self.published_total)


@dataclass(frozen=True)
class Department:
    """Everything the 自评报告 needs. Free-text fields are kept verbatim."""

    name: str
    year: int
    report_title: str = ""  # defaults to "{year}年度部门整体支出绩效自评报告"
    notice: str = ""  # the opening paragraph citing the notice
    duties: tuple[str, ...] = ()  # (一)主要职责 paragraphs
    overview: tuple[str, ...] = ()  # (二)基本情况 paragraphs (机构, 编制, 人员)
    budget: Budget = field(default_factory=Budget)
    three_public: ThreePublicCosts = field(default_factory=ThreePublicCosts)
    procurement: Procurement = field(default_factory=Procurement)
    assets: Assets = field(default_factory=Assets)
    performance: tuple[str, ...] = ()  # 1.整体绩效目标完成情况 paragraphs
    project_summary: tuple[str, ...] = ()  # 2.项目整体目标完成情况
    key_work: tuple[str, ...] = ()  # (三)重点工作开展情况
    problems: tuple[str, ...] = ()  # 存在的问题
    measures: tuple[str, ...] = ()  # 改进措施
    report_date: str = ""
    projects: tuple[Project, ...] = ()
    profile: RuleProfile = DEFAULT_PROFILE  # the workbook's 评分规则
    base_data: BaseData = field(default_factory=BaseData)  # 基础数据表 and 评价事项
    whole: WholeTable | None = None  # 部门整体支出绩效自评表; None when the department has none
