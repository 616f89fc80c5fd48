"""``ziping doctor [工作簿.xlsm] [--python 路径]``: the checks of 环境自检, from a terminal.

For the person who installs: it answers "will the buttons and functions work?" without
opening Excel, and names what is missing with the command that fixes it. It checks the
Python Excel will start — the workbook's Interpreter_Win when a workbook is given, else the
one ``ziping new`` would write (this Python, as pythonw.exe on Windows) — by running the
same probe statements as the VBA pre-flight in that interpreter (:mod:`addin.envcheck`).
Exit code 0 when every check passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import re
import zipfile
from pathlib import Path

from ..errors import UserError


def add_parser(subparsers) -> None:
    summary = "检查 Excel 使用的 Python 环境（与功能区“环境自检”相同的检查）"
    parser = subparsers.add_parser("doctor", help=summary, description=summary + "；全部通过时退出码为 0，否则为 1。")
    parser.add_argument("workbook", nargs="?", metavar="工作簿.xlsm",
                        help="检查该工作簿设置的 Python；省略时检查 ziping new 会写入的 Python")
    parser.add_argument("--python", metavar="路径", help="检查指定的 Python（填写其完整路径）")
    parser.set_defaults(func=run)


def workbook_settings(path: Path) -> tuple[str, str]:
    """(Interpreter_Win, xlwings version the workbook's VBA loads) of one of our workbooks;
    "" for what it does not say."""
    from .. import layout as L
    from ..vba import read_module_code

    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            vba = archive.read("xl/vbaProject.bin") if "xl/vbaProject.bin" in names else b""
    except (OSError, zipfile.BadZipFile) as error:
        raise UserError(f"无法打开“{path}”：{error}") from None
    version = ""
    if vba:
        try:
            ribbon = read_module_code(vba).get("ZipingRibbon", "")
        except (KeyError, ValueError, IndexError):
            ribbon = ""
        found = re.search(r'XLWINGS_DLL_VERSION As String = "([^"]+)"', ribbon)
        version = found.group(1) if found else ""
    return _interpreter_cell(path, L.XLWINGS_CONF.name, L.interpreter_cell()), version


def _interpreter_cell(path: Path, sheet: str, cell: str) -> str:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - any unreadable file is the user's to fix
        raise UserError(f"无法读取“{path}”：{type(error).__name__}") from None
    try:
        if sheet not in book.sheetnames:
            return ""
        value = book[sheet][cell].value
    finally:
        book.close()
    return "" if value is None else str(value).strip()


def run(args: argparse.Namespace) -> int:
    from .. import __version__
    from .. import layout as L
    from ..envcheck import (DEFAULT_INTERPRETER, excel_interpreter, first_failure, pinned_xlwings_version,
                            report_lines, run_checks)

    required = pinned_xlwings_version()
    if args.python:
        interpreter, source = args.python, "--python"
    elif args.workbook:
        path = Path(args.workbook)
        if not path.is_file():
            raise UserError(f"找不到工作簿“{path}”")
        configured, workbook_version = workbook_settings(path)
        required = workbook_version or required
        interpreter = configured or DEFAULT_INTERPRETER
        source = (f"{path.name} 的「xlwings.conf」工作表 {L.interpreter_cell()}" if configured
                  else f"{path.name} 的 Interpreter_Win 为空，使用 PATH 中的 pythonw")
    else:
        interpreter, source = excel_interpreter(), "ziping new 写入的 Python"
    if not required:
        raise UserError("本机的 xlwings 安装不完整（找不到 xlwings.bas），请重新安装绩效自评助手")
    results = run_checks(interpreter, required)
    print(f"绩效自评助手 {__version__} 环境检查（工作簿需要 xlwings {required}）")
    print("\n".join(report_lines(results, interpreter, required, L.interpreter_cell(), source)))
    return 1 if first_failure(results) else 0
