"""``ziping import TABLE.xlsx -o WORKBOOK.xlsm``: official 自评表 into our workbook.

Every table of the file is read by its labels (:mod:`addin.importer.official`: one sheet
per project, or several tables on a sheet), printed scores with a reason become manual
overrides (:mod:`addin.importer.published`), and all projects are written into one fresh
workbook from colleague A's template builder, so the department can go on editing it with
the add-in. The source file is never written. Problems found while
reading and the consistency checks are printed; exit code 1 when any is an error (the
workbook is still written: a draft with known gaps is more useful than nothing).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from udfs.numbers import score_text

from ..errors import UserError


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("import", help="导入官方格式的预算支出绩效自评表，生成本工具的工作簿（.xlsm）")
    parser.add_argument("table", metavar="自评表", help="官方格式的自评表（.xlsx / .xlsm / .xls）")
    parser.add_argument("-o", "--output", required=True, metavar="工作簿.xlsm", help="生成的工作簿（.xlsm）")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..importer import department_of, import_table
    from ..importer.evaluate import evaluate_imported
    from ..reading.safe_open import refuse_overwrite, refuse_special_output, write_atomically
    from .score import print_checks

    output = Path(args.output)
    if output.suffix.lower() != ".xlsm":
        raise UserError(f"输出文件“{output.name}”应以 .xlsm 结尾（含宏的工作簿）")
    refuse_special_output(output)
    refuse_overwrite(args.table, output)
    imported = import_table(args.table)
    department = department_of(imported)
    evaluation = evaluate_imported(Path(args.table), imported)
    from ..envcheck import excel_interpreter
    from ..template import build_template

    write_atomically(output, build_template(department, excel_interpreter()))  # as ziping new does
    for note in evaluation.notes:
        print(f"说明：{note}")
    for table, result in zip(imported.tables, evaluation.results):
        print(f"已导入“{table.sheet}”：项目「{result.project.name}」，{len(result.project.indicators)}个三级指标，"
              f"总分{score_text(result.total)}（{result.grade}）")
        if table.empty_level2:
            print(f"  空白的二级指标（无三级指标，不计分）：{'、'.join(table.empty_level2)}")
    if imported.whole is not None:
        print(f"已导入“{imported.whole.table.sheet}”：部门整体支出绩效自评表（{imported.whole.department}），"
              f"{len(imported.whole.whole.indicators)}个三级指标")
    if imported.base is not None:
        print(f"已导入“{imported.base.sheet}”：部门整体支出绩效评价基础数据表")
    if imported.year is None:
        print("提示：标题中没有找到年度，请在生成的工作簿“部门信息”表填写年度。", file=sys.stderr)
    print_checks(evaluation.checks)
    print(f"已生成：{output}")
    return 1 if evaluation.has_errors else 0
