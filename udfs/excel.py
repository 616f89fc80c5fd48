"""The xlwings UDFs: each a few lines that hand cell values to :mod:`udfs.cells`.

This is the only module of ``udfs`` that imports xlwings. The docstring of each function is
its function-wizard text; :func:`excel_function` puts it, with the argument help, into the
project registry that generates the VBA wrappers.
"""

from __future__ import annotations

from typing import Callable

import xlwings as xw

from . import cells
from .registry import CATEGORY, register


def excel_function(arg_help: dict[str, str], spills: bool = False) -> Callable:
    """Register the function and apply xlwings' func/arg decorators with the same help."""

    def decorate(func: Callable) -> Callable:
        register(func, (func.__doc__ or "").strip(), arg_help, spills)
        for name, text in arg_help.items():
            func = xw.arg(name, doc=text, err_to_str=True, ndim=2 if name in ("rows", "profile", "indicator_scores") else None)(func)
        return xw.func(category=CATEGORY)(func)

    return decorate


PROFILE_HELP = "可选：评分规则区域（项目/取值两列），省略时用全国默认规则"
SCORE_ARGS = {
    "target": "年度指标值，如“≥95%”“100批次”“2022年底”",
    "actual": "实际完成值，如“97%”或0.97",
    "weight": "分值",
    "level2": "可选：二级指标名称，如“成本指标”（决定无比较符号时的方向）",
    "level3": "可选：三级指标名称（名称含“投诉率”等按反向计分）",
    "manual": "可选：人工得分，须在0到分值之间并填写偏差原因",
    "reason": "可选：偏差原因分析及改进措施",
    "profile": PROFILE_HELP,
}


@excel_function({"executed": "全年执行数", "budget": "全年预算数（调整后预算，含结转）"})
def EXEC_RATE(executed, budget):
    """执行率=全年执行数/全年预算数。"""
    return cells.exec_rate(executed, budget)


@excel_function({"executed": "全年执行数", "budget": "全年预算数", "weight": "可选：分值，默认取评分规则", "profile": PROFILE_HELP})
def EXEC_SCORE(executed, budget, weight=None, profile=None):
    """预算执行率得分=min(执行率,100%)×分值。"""
    return cells.exec_score(executed, budget, weight, profile)


@excel_function({"target": "预算成本或目标值", "actual": "实际成本"})
def COST_VARIANCE(target, actual):
    """成本偏差率=(实际−目标)/目标，正数为超支。"""
    return cells.relative_difference(target, actual, "成本")


@excel_function({"target": "年度指标值", "actual": "实际完成值", "level2": "可选：二级指标名称", "level3": "可选：三级指标名称"})
def DEVIATION(target, actual, level2="", level3=""):
    """偏离度=实际完成值/年度指标值−1，正数为超额。"""
    return cells.deviation(target, actual, level2, level3)


@excel_function(SCORE_ARGS)
def PERF_SCORE(target, actual, weight, level2="", level3="", manual=None, reason="", profile=None):
    """按评分规则计算三级指标得分（有有效人工得分时取人工得分）。"""
    return cells.perf_score(target, actual, weight, level2, level3, manual, reason, profile)


@excel_function(SCORE_ARGS)
def PERF_EXPLAIN(target, actual, weight, level2="", level3="", manual=None, reason="", profile=None):
    """用一句话说明得分依据：适用规则、数值和得分。"""
    return cells.perf_explain(target, actual, weight, level2, level3, manual, reason, profile)


@excel_function({"total": "总分", "profile": PROFILE_HELP})
def GRADE(total, profile=None):
    """评价等级：优(≥90)、良(≥80)、中(≥60)、差。"""
    return cells.grade(total, profile)


@excel_function({"execution_score": "预算执行率得分", "indicator_scores": "各三级指标得分区域"})
def TOTAL_SCORE(execution_score, indicator_scores):
    """总分=执行率得分+各三级指标得分之和（无法评分的行计0分）。"""
    return cells.total_score(execution_score, indicator_scores)


@excel_function(
    {"rows": "指标区域：一级、二级、三级、年度指标值、实际完成值、分值、人工得分、偏差原因八列", "profile": PROFILE_HELP},
    spills=True,
)
def PERF_TABLE(rows, profile=None):
    """一次计算整张指标表：每行返回规则得分、最终得分、提示、评分说明四列。"""
    return cells.perf_table(rows, profile)


@excel_function({
    "indicator": "比率名称，如“财政供养人员控制率”“三公经费变动率”“预算调整率”“固定资产利用率”",
    "first": "分子；变动率填本年数，调整率填全年预算数",
    "second": "分母；变动率填上年数，调整率填年初预算数",
})
def DEPT_RATIO(indicator, first, second):
    """部门整体共性指标比率：数1÷数2；变动率、调整率为(数1−数2)÷数2。"""
    return cells.dept_ratio(indicator, first, second)
