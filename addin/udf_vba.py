"""VBA source generated from the UDF registry: the wrappers Excel calls, and their help.

On Windows, xlwings would write these wrappers by importing the UDF module through COM;
here there is no Excel, so we write the same shape ourselves (``XLPy.CallUDF`` with the
module and function name, ``Err.Description`` on failure — compare xlwings'
``udfs.generate_vba_wrapper``). The Chinese function-wizard texts go through
:mod:`addin.vba_text` and are registered with ``Application.MacroOptions`` when the
workbook opens.
"""

from __future__ import annotations

from udfs import excel  # noqa: F401  - importing registers the UDFs
from udfs.registry import REGISTRY, UdfSpec

from .vba_text import decoder_lines, vba_text

UDF_MODULE_NAME = "ZipingUdfs"
PYTHON_UDF_MODULE = "udfs.excel"
# Excel's limit for a MacroOptions description and each argument description.
MACRO_OPTIONS_LIMIT = 255
# VBA refuses a physical source line longer than this. Hex-encoded, a 255-character Chinese
# help is ~1300 characters, so texts are assembled into variables a piece per line.
VBA_LINE_LIMIT = 1023
# Code points per line: at most 6 characters each ("2000B ") keeps a line near 750.
_CHARS_PER_LINE = 120


def _assign(variable: str, text: str) -> list[str]:
    """``variable = ZipingText(…)`` lines for the (truncated) text, one piece per line."""
    text = text[:MACRO_OPTIONS_LIMIT]
    pieces = [text[i:i + _CHARS_PER_LINE] for i in range(0, len(text), _CHARS_PER_LINE)] or [""]
    lines = [f"    {variable} = {vba_text(pieces[0])}"]
    lines += [f"    {variable} = {variable} & {vba_text(piece)}" for piece in pieces[1:]]
    return lines


def _wrapper(spec: UdfSpec) -> list[str]:
    params = ", ".join(("Optional " if arg.optional else "") + arg.name for arg in spec.args)
    array = "Array(" + ", ".join(arg.name for arg in spec.args) + ")"
    return [
        f"Function {spec.name}({params})",
        "    If TypeOf Application.Caller Is Range Then On Error GoTo failed",
        f'    {spec.name} = XLPy.CallUDF("{PYTHON_UDF_MODULE}", "{spec.name}", {array}, ThisWorkbook, Application.Caller)',
        "    Exit Function",
        "failed:",
        f"    {spec.name} = Err.Description",
        "End Function",
        "",
    ]


def _help_registration(specs: list[UdfSpec]) -> list[str]:
    last_arg = max([len(spec.args) for spec in specs] + [1]) - 1
    lines = [
        "Public Sub ZipingRegisterHelp()",
        "    ' Function-wizard texts; MacroOptions fails harmlessly on a protected workbook.",
        "    On Error Resume Next",
        f"    Dim helpText As String, categoryText As String, argHelp(0 To {last_arg}) As String",
    ]
    for spec in specs:
        lines += _assign("helpText", spec.help) + _assign("categoryText", spec.category)
        for index, arg in enumerate(spec.args):
            lines += _assign(f"argHelp({index})", arg.help)
        args = ", ".join(f"argHelp({index})" for index in range(len(spec.args)))
        lines += [
            f'    Application.MacroOptions Macro:="{spec.name}", Description:=helpText, Category:=categoryText, _',
            f"        ArgumentDescriptions:=Array({args})",
        ]
    lines += ["End Sub", ""]
    return lines


def udf_module_code() -> str:
    """The body of the ZipingUdfs standard module (no Attribute header)."""
    specs = list(REGISTRY.values())
    lines = ["Option Explicit", ""]
    for spec in specs:
        lines += _wrapper(spec)
    lines += _help_registration(specs) + decoder_lines()
    return "\r\n".join(lines)


def this_workbook_code() -> str:
    """ThisWorkbook document module: register the function help when the book opens."""
    return "\r\n".join([
        "Option Explicit",
        "",
        "Private Sub Workbook_Open()",
        f"    {UDF_MODULE_NAME}.ZipingRegisterHelp",
        "End Sub",
        "",
    ])
