"""VBA source generated from the UDF registry: the wrappers Excel calls, and their help.

On Windows, xlwings would write these wrappers by importing the UDF module through COM;
here there is no Excel, so we write the same shape ourselves (``XLPy.CallUDF`` with the
module and function name, ``Err.Description`` on failure — compare xlwings'
``udfs.generate_vba_wrapper``). The Chinese function-wizard texts are not in the source:
they are cells of the 提示文字 sheet (:mod:`addin.template.ui_texts`), which
``ZipingSupport.DescribeFunction`` reads by key when the workbook opens.
"""

from __future__ import annotations

from udfs import excel  # noqa: F401  - importing registers the UDFs
from udfs.registry import REGISTRY, UdfSpec

UDF_MODULE_NAME = "ZipingUdfs"
PYTHON_UDF_MODULE = "udfs.excel"
# VBA refuses a physical source line longer than this.
VBA_LINE_LIMIT = 1023


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


def udf_module_code() -> str:
    """The body of the ZipingUdfs standard module (no Attribute header): wrappers only."""
    lines = ["Option Explicit", ""]
    for spec in REGISTRY.values():
        lines += _wrapper(spec)
    return "\r\n".join(lines)


def help_registration_lines() -> list[str]:
    """``DescribeFunction "NAME", "arg1 arg2"`` per UDF, for ZipingSupport.RegisterFunctionHelp."""
    return [f'    DescribeFunction "{spec.name}", "{" ".join(arg.name for arg in spec.args)}"'
            for spec in REGISTRY.values()]


def this_workbook_code() -> str:
    """ThisWorkbook document module: register the function help when the book opens.

    Excel does not keep MacroOptions argument descriptions in the file, so this is the one
    thing done at open; it reads cells and calls MacroOptions, nothing else.
    """
    return "\r\n".join([
        "Option Explicit",
        "",
        "Private Sub Workbook_Open()",
        "    ZipingSupport.RegisterFunctionHelp",
        "End Sub",
        "",
    ])
