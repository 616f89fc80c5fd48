"""``ziping refresh 填报.xlsm [-o 新文件.xlsm]``: a workbook edited in WPS or LibreOffice back to life.

Prints what happened in the order a user checks it: where the result went (and the backup),
what was read, which score cells now show something else, each project's total, the
regenerated sheets, and the problems the checks found. Exit code 1 when a check is an
error (the workbook is still refreshed), 2/3 when the file cannot be read whole.
"""

from __future__ import annotations

import argparse
import sys

SHOWN_CHANGES = 12  # change lines printed; the rest are counted


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "refresh", help="刷新工作簿：用当前模板重建在 WPS/LibreOffice 中编辑过的工作簿，重新计算全部得分")
    parser.add_argument("workbook", metavar="工作簿", help="填好的工作簿（.xlsm，或 LibreOffice 另存的 .xlsx）")
    parser.add_argument("-o", "--output", metavar="新文件.xlsm",
                        help="另存为新文件（默认：原地刷新，原文件备份在旁边）")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..checks import has_errors
    from ..refresh import refresh_workbook

    outcome = refresh_workbook(args.workbook, args.output)
    for line in summary_lines(outcome):
        print(line)
    checks = outcome.rebuilt.evaluation.checks
    errors = sum(1 for check in checks if check.is_error)
    print(f"校验：{errors}个错误，{len(checks) - errors}个警告" + ("（见“校验结果”工作表）" if checks else ""))
    for check in checks:
        print(f"  {check}", file=sys.stderr if check.is_error else sys.stdout)
    return 1 if has_errors(checks) else 0


def summary_lines(outcome) -> list[str]:
    """The report of one refresh, line by line (pure: tested without a terminal)."""
    source, lines = outcome.source, []
    if outcome.unchanged:
        lines.append(f"工作簿已是最新，未作修改：{outcome.output.resolve()}")
    else:
        lines.append(f"已刷新：{outcome.output.resolve()}")
    if outcome.backup is not None:
        lines.append(f"  原文件已备份为：{outcome.backup.name}")
    if source.path.resolve() != outcome.output.resolve():
        lines.append(f"  读取自：{source.path.resolve()}（未修改）")
    from .. import layout as L

    upgrade = f"，已升级到当前版本{L.LAYOUT_VERSION}" if source.version != L.LAYOUT_VERSION else ""
    lines.append(f"  模板布局版本{source.version}{upgrade}；保留输入单元格{source.input_count}个"
                 "（值、数字格式和显示的文字不变）")
    if source.generated_sheets:
        lines.append(f"  替换原有的生成工作表：{'、'.join(source.generated_sheets)}")
    for name in source.empty_sheets:
        lines.append(f"  删除了空白的工作表「{name}」")
    for cell in source.typed_over:
        lines.append(f"  注意：{cell}原是手工填写的值，已恢复为模板的公式")
    for cell in source.uncached:
        lines.append(f"  注意：{cell}是公式，但文件中没有它的计算结果（保存文件的程序不计算公式），"
                     "请在 Excel、WPS 或 LibreOffice 中打开并保存一次后再刷新")
    for key in outcome.carried.reset:
        lines.append(f"  注意：xlwings.conf 的「{key}」已恢复为模板的设置")
    for key in outcome.carried.dropped_settings:
        lines.append(f"  注意：评分规则「{key}」已不再使用，未保留")
    changes = outcome.changes
    if changes:
        lines.append(f"重新计算：{len(changes)}个公式单元格的显示有变化")
        lines += [f"  {change}" for change in changes[:SHOWN_CHANGES]]
        if len(changes) > SHOWN_CHANGES:
            lines.append(f"  ……另有{len(changes) - SHOWN_CHANGES}个")
    else:
        lines.append("重新计算：所有公式单元格的显示与刷新前相同")
    for total in outcome.totals:
        before = f"（刷新前显示 {total.before_total or '空'}、{total.before_grade or '空'}）" if total.changed else ""
        lines.append(f"项目「{total.name}」：总分 {total.total}，等级 {total.grade}{before}")
    if outcome.rebuilt.generated:
        lines.append(f"已生成工作表：{'、'.join(outcome.rebuilt.generated)}")
    return lines
