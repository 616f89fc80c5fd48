"""``ziping demo`` and ``ziping report``: write the 自评表 workbook, 自评报告 .docx and PDFs.

``demo`` renders the embedded 衡山县市场监督管理局 2022 example, so a user (or a reviewer
without Excel) sees what the add-in produces before filling anything in. ``report`` reads a
filled workbook. Reading problems are printed with sheet and cell; outputs are still
written when the table can be built (a draft with known gaps is more useful than nothing),
and the exit code is 1 when any problem is an error. ``report`` runs the checks of ``score``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import UserError

KINDS = (("部门整体自评表.xlsx", "部门整体自评表工作簿"), ("部门整体自评表.pdf", "部门整体自评表 PDF"),
         (".xlsx", "自评表工作簿"), (".docx", "自评报告（Word）"), ("自评表.pdf", "自评表 PDF"),
         ("自评报告.pdf", "自评报告 PDF"))


def add_parser(subparsers) -> None:
    demo = subparsers.add_parser("demo", help="生成示例（衡山县市场监督管理局2022年）的自评表和自评报告")
    demo.add_argument("-o", "--output", default="out", metavar="文件夹", help="输出文件夹（默认：out）")
    _common(demo)
    demo.set_defaults(func=run_demo)
    report = subparsers.add_parser("report", help="读取填好的工作簿，生成自评表和自评报告")
    report.add_argument("workbook", metavar="工作簿", help="填好的工作簿（.xlsx / .xlsm）")
    report.add_argument("-o", "--output", required=True, metavar="文件夹", help="输出文件夹")
    _common(report)
    report.set_defaults(func=run_report)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-pdf", action="store_true", help="不生成 PDF（不调用 LibreOffice）")
    parser.add_argument("--no-drafts", action="store_true", help="不根据数据自动拟写“存在的问题”")


def describe(path: Path) -> str:
    """The Chinese name of an output file, for the list printed at the end."""
    return next((label for ending, label in KINDS if path.name.endswith(ending)), "文件")


def _write(department, args: argparse.Namespace, source: Path | None = None, checks=None) -> list[Path]:
    from ..report import render_outputs

    def warn(message: str) -> None:
        print(f"提示：{message}", file=sys.stderr)

    paths = render_outputs(department, Path(args.output).resolve(), pdf=not args.no_pdf,
                           draft_problems=not args.no_drafts, warn=warn, source=source, checks=checks)
    print("已生成：")
    for path in paths:
        print(f"  {describe(path)}：{path}")
    return paths


def run_demo(args: argparse.Namespace) -> int:
    from ..demo import load_demo

    _write(load_demo(), args)
    return 0


def run_report(args: argparse.Namespace) -> int:
    """The same reading and checks as ``ziping score`` (and the ribbon): every finding is
    printed with its sheet and cell and listed on the output's 校验结果 sheet; errors exit 1."""
    from ..importer.evaluate import evaluate_file

    path = Path(args.workbook)
    if not path.exists() and not path.is_symlink():  # anything else (a FIFO, a link) is judged by the gate
        raise UserError(f"找不到工作簿“{path}”")
    evaluation = evaluate_file(path)
    for check in evaluation.checks:
        print(check, file=sys.stderr)
    _write(evaluation.department, args, source=path, checks=evaluation.checks)
    errors = sum(1 for check in evaluation.checks if check.is_error)
    if errors:
        print(f"工作簿中有{errors}处错误（见上，输出文件的“校验结果”工作表也列出了它们），"
              "生成的文件可能不完整，请修改后重新生成。", file=sys.stderr)
        return 1
    return 0
