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


def _help_text(text: str) -> str:
    return vba_text(text[:MACRO_OPTIONS_LIMIT])


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
    lines = [
        "Public Sub ZipingRegisterHelp()",
        "    ' Function-wizard texts; MacroOptions fails harmlessly on a protected workbook.",
        "    On Error Resume Next",
    ]
    for spec in specs:
        args = ", ".join(_help_text(arg.help) for arg in spec.args)
        lines += [
            f'    Application.MacroOptions Macro:="{spec.name}", Description:={_help_text(spec.help)}, _',
            f"        Category:={_help_text(spec.category)}, _",
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
