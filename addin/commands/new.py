"""``ziping new 填报.xlsm [--demo | --from 上年.xlsm [--year 2024]]``: a fresh workbook, built here.

pip installs code, not the committed ``workbook_template.xlsm``. The template is built
from the same sources (layout, UDF registry, VBA modules, ribbon) and the pinned xlwings'
VBA module, so the result equals the committed file except for one cell: xlwings.conf's
Interpreter_Win holds the Python running this command (pythonw.exe on Windows). That is
the Python pip installed us into, so Excel starts the one that has our package — not
whichever ``pythonw`` comes first on PATH.

``--from`` starts next year's workbook from last year's (any application's .xlsm/.xlsx):
department, projects, indicators, targets and weights carried, the year's figures cleared
(:mod:`addin.refresh.next_year`); it prints what was carried and what was cleared.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UserError

LISTED = 10  # stale targets printed


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("new", help="新建填报工作簿（空白模板、--demo 示例，或 --from 由上一年度结转）")
    parser.add_argument("path", metavar="工作簿.xlsm", help="新工作簿的路径，以 .xlsm 结尾")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--demo", action="store_true", help="填入衡山县市场监督管理局2022年的示例数据")
    source.add_argument("--from", dest="previous", metavar="上年.xlsm",
                        help="由上一年度的工作簿结转：保留部门、项目、指标、年度指标值和分值，清空实际完成值、金额和文字段落")
    parser.add_argument("--year", type=int, metavar="年度", help="与 --from 同用：新工作簿的年度（默认：原年度加1）")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = Path(args.path)
    if path.suffix.lower() != ".xlsm":
        raise UserError(f"“{path.name}”应以 .xlsm 结尾：工作簿中含有宏（功能区按钮和自定义函数）")
    if path.exists():
        raise UserError(f"“{path}”已存在，不会覆盖；请换一个文件名")
    if args.year is not None and not args.previous:
        raise UserError("--year 只能与 --from 一起使用")
    if args.previous:
        return _from_previous(path, Path(args.previous), args.year)
    from ..demo import load_demo
    from ..envcheck import excel_interpreter
    from ..reading.safe_open import write_atomically
    from ..template import build_template

    interpreter = excel_interpreter()
    write_atomically(path, build_template(load_demo() if args.demo else None, interpreter))
    print(f"已新建：{path.resolve()}")
    print(f"Excel 将使用的 Python：{interpreter}（「xlwings.conf」工作表 Interpreter_Win）")
    return 0


def _from_previous(path: Path, previous: Path, year: int | None) -> int:
    from ..refresh.migrate import carry
    from ..refresh.next_year import next_year
    from ..refresh.rebuild import title_of
    from ..refresh.source import read_source
    from ..reading.safe_open import write_atomically
    from ..template.build import build_contents

    if path.resolve() == previous.resolve():
        raise UserError("新工作簿不能与原工作簿是同一个文件")
    source = read_source(previous)
    carried = carry(source)
    result = next_year(carried.contents, year)
    write_atomically(path, build_contents(result.contents, title_of(result.contents)))
    print(f"已新建：{path.resolve()}（{result.year}年度，由“{previous.name}”结转）")
    print("结转：")
    print("\n".join(f"  {line}" for line in result.carried))
    print("清空：")
    print("\n".join(f"  {line}" for line in result.cleared) or "  （无）")
    left = [f"工作表「{name}」（不是模板的工作表）" for name in source.extra_sheets]
    left += [f"{cell}（在模板的填写区域之外）" for cell in (*source.leftovers, *carried.uncarried)]
    if left:
        print("未结转：")
        print("\n".join(f"  {line}" for line in left))
    if result.stale:
        print(f"请修改：{len(result.stale)}处仍写着{result.old_year}年，请按{result.year}年的绩效目标改写：")
        print("\n".join(f"  {cell}" for cell in result.stale[:LISTED]))
        if len(result.stale) > LISTED:
            print(f"  ……另有{len(result.stale) - LISTED}处")
    return 0
