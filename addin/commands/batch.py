"""``ziping batch FOLDER -o 汇总.xlsx``: score every workbook in a folder into one summary.

Our workbooks and official-layout tables may be mixed; files that cannot be read, that take
longer than ``--timeout`` seconds, or that are not regular files are listed on the 失败 sheet
with the reason. Exit code 0 when every file was read, 1 when some failed (the summary is
written either way).

The output may replace only a summary this command wrote before (its sheets are exactly
:data:`addin.batch.SUMMARY_SHEETS`): ``-o 部门A.xlsx`` pointing at a department's workbook would
otherwise drop it from the scoring and overwrite it, so any other existing file is refused.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli import positive_int, positive_seconds
from ..errors import UserError
from ..reading.grid import ENGINES
from ..reading.safe_open import open_spreadsheet, refuse_special_output

DEFAULT_TIMEOUT = 60  # seconds per file (addin.batch uses it too); a real 自评表 takes well under one


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("batch", help="批量评分文件夹中的所有自评表，生成汇总表")
    parser.add_argument("folder", metavar="文件夹", help="存放各部门自评表的文件夹")
    parser.add_argument("-o", "--output", required=True, metavar="汇总表.xlsx", help="汇总表（.xlsx）")
    parser.add_argument("-j", "--jobs", type=positive_int, default=None, metavar="进程数", help="并行进程数（默认：CPU 核数）")
    parser.add_argument("--timeout", type=positive_seconds, default=DEFAULT_TIMEOUT, metavar="秒",
                        help=f"每个文件的处理时限，超时的文件列入“失败”（默认：{DEFAULT_TIMEOUT} 秒）")
    parser.add_argument("--engine", choices=ENGINES, default="auto", help=argparse.SUPPRESS)
    parser.add_argument("--quiet", action="store_true", help="不显示进度条")
    parser.set_defaults(func=run)


def is_previous_summary(path: Path) -> bool:
    """True when ``path`` is a workbook with exactly our summary's sheets, in order."""
    import openpyxl

    from ..batch import SUMMARY_SHEETS

    try:
        book = openpyxl.load_workbook(open_spreadsheet(path).stream(), read_only=True)
    except Exception:  # noqa: BLE001 - unreadable means "not ours", which is refused
        return False
    try:
        return tuple(book.sheetnames) == SUMMARY_SHEETS
    finally:
        book.close()


def refuse_foreign_output(output: Path) -> None:
    """Replace an earlier summary, never anything else (a department's 自评表 above all)."""
    if output.exists() and not is_previous_summary(output):
        raise UserError(f"“{output}”已存在且不是本工具生成的汇总表，为免覆盖他人的文件已停止；"
                        "请换一个汇总表文件名，或先删除该文件")


def run(args: argparse.Namespace) -> int:
    from ..batch import TextProgress, find_inputs, run_batch, write_summary

    folder, output = Path(args.folder), Path(args.output)
    if not folder.is_dir():
        raise UserError(f"找不到文件夹“{folder}”")
    if output.suffix.lower() != ".xlsx":
        raise UserError(f"汇总表“{output.name}”应以 .xlsx 结尾")
    refuse_special_output(output)
    refuse_foreign_output(output)
    paths = find_inputs(folder, exclude=[output])
    if not paths:
        raise UserError(f"文件夹“{folder}”中没有 .xlsx / .xlsm / .xls 文件")
    try:
        outcomes = run_batch(paths, args.jobs, args.engine, (lambda done, total: None) if args.quiet else TextProgress(),
                             timeout=args.timeout)
    except KeyboardInterrupt:
        if not args.quiet:  # end the progress bar's line before "已取消。"
            sys.stderr.write("\n")
        raise
    write_summary(outcomes, output)
    failed = [o for o in outcomes if o.failure]
    projects = sum(len(o.rows) for o in outcomes)
    print(f"已处理{len(paths)}个文件：{projects}个项目，{len(failed)}个文件无法读取。")
    for outcome in failed:
        print(f"  失败：{outcome.file}：{outcome.failure}")
    print(f"已生成：{output}")
    return 1 if failed else 0
