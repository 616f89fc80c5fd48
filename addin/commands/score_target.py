"""``ziping score-target "≥95%" "97%" 5``: score one indicator from the command line."""

from __future__ import annotations

import argparse

from udfs.cells import CellError, make_indicator
from udfs.numbers import score_text
from udfs.scoring import score_indicator

from ..errors import UserError


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("score-target", help="按评分规则计算一个三级指标的得分")
    parser.add_argument("target", metavar="年度指标值", help="年度指标值，如“≥95%%”")
    parser.add_argument("actual", metavar="实际完成值", help="实际完成值，如“97%%”")
    parser.add_argument("weight", metavar="分值", help="分值")
    parser.add_argument("--level2", default="", metavar="二级指标", help="二级指标名称，如“成本指标”")
    parser.add_argument("--level3", default="", metavar="三级指标", help="三级指标名称")
    parser.add_argument("--manual", default=None, metavar="人工得分", help="人工得分")
    parser.add_argument("--reason", default="", metavar="偏差原因", help="偏差原因")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:  # the cell functions' own parsing, so the command line accepts what a cell accepts
        indicator = make_indicator(args.target, args.actual, args.weight, args.level2, args.level3,
                                   args.manual, args.reason)
    except CellError as error:
        raise UserError(str(error)) from None
    result = score_indicator(indicator)
    print(f"得分：{score_text(result.score) if result.score is not None else '无法评分'}")
    print(f"规则：{result.rule.label}")
    if result.flags:
        print("提示：" + "、".join(flag.value for flag in result.flags))
    print(f"说明：{result.explanation}")
    return 0 if result.score is not None else 1
