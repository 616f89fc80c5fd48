"""``ziping score-target "≥95%" "97%" 5``: score one indicator from the command line."""

from __future__ import annotations

import argparse

from udfs.model import Indicator
from udfs.numbers import D, score_text
from udfs.scoring import score_indicator

from ..errors import UserError


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("score-target", help="按评分规则计算一个三级指标的得分")
    parser.add_argument("target", help="年度指标值，如“≥95%%”")
    parser.add_argument("actual", help="实际完成值，如“97%%”")
    parser.add_argument("weight", help="分值")
    parser.add_argument("--level2", default="", help="二级指标名称，如“成本指标”")
    parser.add_argument("--level3", default="", help="三级指标名称")
    parser.add_argument("--manual", default=None, help="人工得分")
    parser.add_argument("--reason", default="", help="偏差原因")
    parser.set_defaults(func=run)


def _number(text: str | None, what: str):
    if text is None:
        return None
    try:
        return D(text)
    except (ValueError, TypeError):
        raise UserError(f"{what}应为数字，实际为「{text}」") from None


def run(args: argparse.Namespace) -> int:
    indicator = Indicator("", args.level2, args.level3, args.target, args.actual,
                          _number(args.weight, "分值"), _number(args.manual, "人工得分"), args.reason)
    result = score_indicator(indicator)
    print(f"得分：{score_text(result.score) if result.score is not None else '无法评分'}")
    print(f"规则：{result.rule.label}")
    if result.flags:
        print("提示：" + "、".join(flag.value for flag in result.flags))
    print(f"说明：{result.explanation}")
    return 0 if result.score is not None else 1
