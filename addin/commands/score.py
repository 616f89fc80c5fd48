"""``ziping score TABLE_OR_WORKBOOK [--json]``: recompute a 自评表 and check it.

Reads either our workbook or an official-layout table (:mod:`addin.importer.evaluate`).
For official tables a printed 得分 that differs from the rule score counts only when it
comes with a 偏差原因 (it is then the department's manual override); otherwise the rule
score is used and an error check says so (:mod:`addin.importer.published`).

``--json`` prints the stable contract (one object per project; a workbook with several
projects prints a list of them)::

    {"department", "year", "project",
     "total", "grade", "funds": {"initial", "budget", "executed", "rate", "weight", "score"},
     "indicators": [{"level1", "level2", "level3", "target", "actual", "target_value", "actual_value",
                     "weight", "weight_text", "rule_score", "score", "published_score", "rule", "flags",
                     "explanation"}],
     "published_total", "checks": [{"severity", "sheet", "cell", "message"}]}

``target``/``actual`` are what the cells show ("97.30%", "23年5月20日"), ``*_value`` what they
store (a number, an ISO date "2023-05-20", text); ``weight_text`` and the funds' ``*_text`` are
the shown text of typed numbers ("912.50"). ``department`` is the department's name (for an official table: its 主管部门), ``year`` an
integer or null when no title states it, ``project`` the 项目名称 (made unique within a
file). ``rule`` is the final rule code (``manual`` when an override was used); ``flags`` are the
English codes of :class:`udfs.model.Flag` (``over_achieved``, ``needs_reason`` …). Checks
about the department as a whole (budget arithmetic, narrative) are listed with every
project. Exit code 1 when any check is an error, 2/3 when the file cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from udfs.model import Entry, IndicatorResult, ProjectResult, shown
from udfs.numbers import amount_text, percent_text, score_text, to_float

from ..errors import UserError
from ..reading.safe_open import FileKind, open_spreadsheet, refuse_overwrite, refuse_special_output, write_atomically

if TYPE_CHECKING:  # both load openpyxl; imported where a command runs, not for every ``--help``
    from ..checks import Check
    from ..importer.evaluate import Evaluation


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("score", help="重新计算自评表（官方格式或本工具工作簿）的得分并校验")
    parser.add_argument("file", metavar="自评表", help="自评表或工作簿（.xlsx / .xlsm / .xls）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出（供其他程序读取）")
    parser.add_argument("--checks-out", metavar="副本.xlsx",
                        help="另存一份带“校验结果”工作表的副本（原文件不变），校验结果可点击跳转到对应单元格")
    parser.set_defaults(func=run)


def _number(value: Decimal | None) -> float | None:
    return to_float(value)


def json_value(value: object) -> object:
    """A cell value for JSON: numbers as numbers, dates as ISO text ("2023-05-20"), times as
    "12:30:00", text as text; an Entry gives its stored value."""
    if isinstance(value, Entry):
        value = value.value
    if value is None or isinstance(value, (bool, str, float)):
        return value
    if isinstance(value, (Decimal, int)):
        return float(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)  # a duration: "1 day, 2:00:00"


def _shown_number(value: Decimal | None, fallback: str = "") -> str:
    """What the cell showed: a Figure's text, a computed number as published."""
    return fallback if value is None else amount_text(value)


def indicator_json(row: IndicatorResult) -> dict:
    ind = row.indicator
    return {
        "level1": ind.level1, "level2": ind.level2, "level3": ind.level3,
        "target": shown(ind.target), "actual": shown(ind.actual),
        "target_value": json_value(ind.target), "actual_value": json_value(ind.actual),
        "weight": _number(ind.weight), "weight_text": _shown_number(ind.weight, ind.weight_text),
        "rule_score": _number(row.rule_score), "score": _number(row.score),
        "published_score": _number(ind.published_score), "rule": row.final_rule.value,
        "flags": [flag.name.lower() for flag in row.flags], "explanation": row.explanation,
    }


def check_json(check: Check) -> dict:
    return {"severity": check.severity, "sheet": check.sheet, "cell": check.cell, "message": check.message}


def project_json(result: ProjectResult, checks: list[Check], department: str = "", year: int | None = None) -> dict:
    funds, line = result.funds, result.funds.funds.total
    return {
        "department": department, "year": year, "project": result.project.name,
        "total": _number(result.total), "grade": result.grade,
        "funds": {"initial": _number(line.initial), "budget": _number(line.budget), "executed": _number(line.executed),
                  "initial_text": _shown_number(line.initial), "budget_text": _shown_number(line.budget),
                  "executed_text": _shown_number(line.executed),
                  "rate": _number(funds.rate), "weight": _number(funds.weight), "score": _number(funds.score)},
        "indicators": [indicator_json(row) for row in result.indicators],
        "published_total": _number(result.project.published_total),
        "checks": [check_json(check) for check in checks],
    }


def evaluation_json(evaluation: Evaluation) -> dict | list[dict]:
    department = evaluation.department
    objects = [project_json(result, [*evaluation.shared_checks, *own], department.name, department.year or None)
               for result, own in zip(evaluation.results, evaluation.project_checks)]
    return objects[0] if len(objects) == 1 else objects


def _shown(value: object) -> str:
    """A target/actual for the text table: as the cell shows it; a blank cell is （空）."""
    return shown(value) or "（空）"


def print_table(evaluation: Evaluation) -> None:
    for note in evaluation.notes:
        print(f"说明：{note}")
    for result in evaluation.results:
        project, funds = result.project, result.funds
        print(f"项目：{project.name}（主管部门：{project.department or '—'}）")
        print(f"  预算执行率：{percent_text(funds.rate)}  得分 {score_text(funds.score)} / {score_text(funds.weight)}")
        for row in result.indicators:
            ind = row.indicator
            published = "" if ind.published_score is None else f"（表中 {score_text(ind.published_score)}）"
            score = "无法评分" if row.score is None else score_text(row.score)
            flags = f"  [{'、'.join(f.value for f in row.flags)}]" if row.flags else ""
            print(f"  {ind.level1}/{ind.level2}/{ind.level3}：目标 {_shown(ind.target)}，实际 {_shown(ind.actual)}，"
                  f"分值 {_shown_number(ind.weight, ind.weight_text or '（空）')}，得分 {score}{published}{flags}")
        published_total = "" if project.published_total is None else f"（表中总分 {score_text(project.published_total)}）"
        print(f"  总分：{score_text(result.total)}  等级：{result.grade}{published_total}")
    whole = _print_department_wide(evaluation)
    if not evaluation.results and not whole:
        print("没有可计分的项目。")


def _print_department_wide(evaluation: Evaluation) -> bool:
    """The 部门整体 table's total and the 共性指标 points, when the file has them."""
    from udfs.department_scoring import score_common, score_whole

    department = evaluation.department
    result = score_whole(department)
    if result is None:
        return False
    print(f"部门整体支出绩效自评表（{department.name}）：预算执行率{percent_text(result.funds.rate)}，"
          f"总分 {score_text(result.total)}  等级：{result.grade}")
    for note in result.notes:
        print(f"  {note}")
    common = score_common(department)
    if common.profile.scores_common:
        print(f"  共性指标（{common.profile.name}）：{score_text(common.score)} / {score_text(common.weight)}")
    return True


def print_checks(checks) -> None:
    errors = sum(1 for c in checks if c.severity == "error")
    print(f"校验：{errors}个错误，{len(checks) - errors}个警告")
    for check in checks:
        print(f"  {check}")


def save_checks_copy(evaluation: Evaluation, output: Path) -> Path:
    """A copy of the input (values, not formulas) with the 校验结果 sheet in front."""
    import io

    import openpyxl

    from ..checks import write_check_sheet
    from ..reading.grid import load_checked

    refuse_special_output(output)
    refuse_overwrite(evaluation.path, output)
    source = open_spreadsheet(evaluation.path)
    book = load_checked(source, lambda: openpyxl.Workbook() if source.kind is FileKind.XLS
                        else openpyxl.load_workbook(source.stream(), data_only=True))
    if source.kind is FileKind.XLS:
        book.remove(book.active)
    write_check_sheet(book, evaluation.checks)
    buffer = io.BytesIO()
    book.save(buffer)
    return write_atomically(output, buffer.getvalue())


def run(args: argparse.Namespace) -> int:
    if args.checks_out and Path(args.checks_out).suffix.lower() != ".xlsx":
        # the copy holds values without macros: under .xlsm Excel would refuse to open it
        raise UserError(f"带校验结果的副本“{Path(args.checks_out).name}”应以 .xlsx 结尾（副本不含宏）")
    from ..importer.evaluate import evaluate_file

    evaluation = evaluate_file(args.file)
    if args.json:
        print(json.dumps(evaluation_json(evaluation), ensure_ascii=False, indent=2))
    else:
        print_table(evaluation)
        print_checks(evaluation.checks)
    if args.checks_out:
        path = save_checks_copy(evaluation, Path(args.checks_out))
        print(f"已另存带校验结果的副本：{path}", file=sys.stderr)
    return 1 if evaluation.has_errors else 0
