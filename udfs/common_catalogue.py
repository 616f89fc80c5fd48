"""The 共性指标 by name: group, formula in words, source. No figures, no imports of the model.

:mod:`udfs.profile` lists one 评分规则 row per indicator and :mod:`udfs.common_indicators`
computes them; both read this one list (财预〔2013〕53号 附件2 order).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Measure(str, Enum):
    """What a 共性指标's figure is: a rate, a count of events, or items of a checklist."""

    RATE = "rate"
    COUNT = "count"
    CHECKLIST = "checklist"


SOURCE_53 = "财预〔2013〕53号附件2"
SOURCE_HUNAN = "湖南部门整体支出绩效评价基础数据表"


@dataclass(frozen=True)
class CommonIndicator:
    key: str  # the name a rubric and DEPT_RATIO use, e.g. 财政供养人员控制率
    level1: str  # 一级 of the 53号 framework: 投入 / 过程
    level2: str  # 二级: 预算配置 / 预算执行 / 预算管理 / 资产管理
    formula: str  # in words, as the 评分表 prints it
    source: str
    measure: Measure = Measure.RATE
    aliases: tuple[str, ...] = ()


COMMON_INDICATORS: tuple[CommonIndicator, ...] = (
    CommonIndicator("财政供养人员控制率", "投入", "预算配置", "实际在职人数÷编制数×100%", SOURCE_53,
                    aliases=("在职人员控制率", "人员控制率")),
    CommonIndicator("“三公经费”变动率", "投入", "预算配置",
                    "（本年“三公经费”决算数−上年“三公经费”决算数）÷上年“三公经费”决算数×100%", SOURCE_53,
                    aliases=("三公经费变动率", '"三公经费"变动率')),
    CommonIndicator("重点支出安排率", "投入", "预算配置", "重点项目支出÷项目支出（本年预算数）×100%", SOURCE_53),
    CommonIndicator("预算完成率", "过程", "预算执行", "全年执行数÷全年预算数×100%", SOURCE_53,
                    aliases=("预算执行率", "执行率")),
    CommonIndicator("预算调整率", "过程", "预算执行", "（全年预算数−年初预算数）÷年初预算数×100%", SOURCE_53),
    CommonIndicator("支付进度", "过程", "预算执行", "未按进度下达（支付）的专项个数", "岳阳市部门整体支出绩效评价评分表",
                    Measure.COUNT),
    CommonIndicator("结转结余率", "过程", "预算执行", "年末结转结余÷全年预算数×100%", SOURCE_53),
    CommonIndicator("资金结余", "过程", "预算执行", "年末结转结余÷上年结转结余×100%", "岳阳市部门整体支出绩效评价评分表"),
    CommonIndicator("公用经费控制率", "过程", "预算执行", "公用经费本年决算数÷本年预算数×100%", SOURCE_53),
    CommonIndicator("“三公经费”控制率", "过程", "预算执行", "“三公经费”本年决算数÷本年预算数×100%", SOURCE_53,
                    aliases=("三公经费控制率", '"三公经费"控制率')),
    CommonIndicator("政府采购执行率", "过程", "预算执行", "政府采购本年决算数÷本年预算数×100%", SOURCE_53),
    CommonIndicator("管理制度健全性", "过程", "预算管理", "已制定、合法合规完整、有效执行三项中做到的项数", SOURCE_53,
                    Measure.CHECKLIST),
    CommonIndicator("资金使用合规性", "过程", "预算管理", "资金使用违规事项数", SOURCE_53, Measure.COUNT),
    CommonIndicator("固定资产利用率", "过程", "资产管理", "在用资产÷固定资产账面原值×100%", SOURCE_53,
                    aliases=("资产使用率",)),
)
# Ratios of the 基础数据表 itself (楼堂馆所), for DEPT_RATIO; no 共性指标 rubric scores them.
TABLE_RATIOS: tuple[CommonIndicator, ...] = (
    CommonIndicator("规模控制率", "", "楼堂馆所", "实际规模÷批复规模×100%", SOURCE_HUNAN),
    CommonIndicator("投资概算控制率", "", "楼堂馆所", "实际投资÷预算投资×100%", SOURCE_HUNAN),
)
CHANGE_RATIOS = frozenset({"“三公经费”变动率", "预算调整率"})  # (a − b) ÷ b; every other rate is a ÷ b


def find_indicator(name: str) -> CommonIndicator | None:
    """The indicator called ``name`` (or one of its aliases), spaces and quotes as typed."""
    text = "".join(str(name).split())
    for indicator in (*COMMON_INDICATORS, *TABLE_RATIOS):
        if text == indicator.key or text in indicator.aliases:
            return indicator
    return None
