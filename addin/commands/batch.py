"""``ziping batch FOLDER -o 汇总.xlsx``: score every workbook in a folder into one summary.

Our workbooks and official-layout tables may be mixed; files that cannot be read are
listed on the 失败 sheet with the reason. Exit code 0 when every file was read, 1 when
some failed (the summary is written either way).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..batch import TextProgress, find_inputs, run_batch, write_summary
from ..errors import UserError
from ..importer.grid import ENGINES


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("batch", help="批量评分文件夹中的所有自评表，生成汇总表")
    parser.add_argument("folder", help="存放各部门自评表的文件夹")
    parser.add_argument("-o", "--output", required=True, help="汇总表（.xlsx）")
    parser.add_argument("-j", "--jobs", type=int, default=None, help="并行进程数（默认：CPU 核数）")
    parser.add_argument("--engine", choices=ENGINES, default="auto", help=argparse.SUPPRESS)
    parser.add_argument("--quiet", action="store_true", help="不显示进度条")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    folder, output = Path(args.folder), Path(args.output)
    if not folder.is_dir():
        raise UserError(f"找不到文件夹“{folder}”")
    if output.suffix.lower() != ".xlsx":
        raise UserError(f"汇总表“{output.name}”应以 .xlsx 结尾")
    paths = find_inputs(folder, exclude=[output])
    if not paths:
        raise UserError(f"文件夹“{folder}”中没有 .xlsx / .xlsm / .xls 文件")
    outcomes = run_batch(paths, args.jobs, args.engine, (lambda done, total: None) if args.quiet else TextProgress())
    write_summary(outcomes, output)
    failed = [o for o in outcomes if o.failure]
    projects = sum(len(o.rows) for o in outcomes)
    print(f"已处理{len(paths)}个文件：{projects}个项目，{len(failed)}个文件无法读取。")
    for outcome in failed:
        print(f"  失败：{outcome.file}：{outcome.failure}")
    print(f"已生成：{output}")
    return 1 if failed else 0
