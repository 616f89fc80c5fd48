"""``ziping new 填报.xlsm [--demo]``: a fresh workbook, built on the user's machine.

pip installs code, not the committed ``workbook_template.xlsm``. The template is built
from the same sources (layout, UDF registry, VBA modules, ribbon) and the pinned xlwings'
VBA module, so the result equals the committed file except for one cell: xlwings.conf's
Interpreter_Win holds the Python running this command (pythonw.exe on Windows). That is
the Python pip installed us into, so Excel starts the one that has our package — not
whichever ``pythonw`` comes first on PATH.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UserError


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("new", help="新建填报工作簿（空白模板，或 --demo 示例）")
    parser.add_argument("path", metavar="工作簿.xlsm", help="新工作簿的路径，以 .xlsm 结尾")
    parser.add_argument("--demo", action="store_true", help="填入衡山县市场监督管理局2022年的示例数据")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..demo import load_demo
    from ..envcheck import excel_interpreter
    from ..safe_open import write_atomically
    from ..template import build_template

    path = Path(args.path)
    if path.suffix.lower() != ".xlsm":
        raise UserError(f"“{path.name}”应以 .xlsm 结尾：工作簿中含有宏（功能区按钮和自定义函数）")
    if path.exists():
        raise UserError(f"“{path}”已存在，不会覆盖；请换一个文件名")
    interpreter = excel_interpreter()
    write_atomically(path, build_template(load_demo() if args.demo else None, interpreter))
    print(f"已新建：{path.resolve()}")
    print(f"Excel 将使用的 Python：{interpreter}（「xlwings.conf」工作表 Interpreter_Win）")
    return 0
