"""The rows of the very-hidden 提示文字 sheet: every text the workbook's VBA shows or registers.

VBA source is compiled in code page 1252 and stays ASCII, so Chinese cannot be a string
literal there; earlier builds hex-encoded it and decoded it at open with ChrW — the pattern
obfuscated malware uses, and wrong above U+FFFF. Cells hold Unicode natively: VBA looks a
text up by its key (``ZipingSupport.UiText``). Keys:

* ``title``, ``problem.<check>``, ``label.<check>``, ``status.*``, ``report.*``, ``run.failed``,
  ``server.failed`` — the ribbon's messages (:mod:`addin.envcheck`);
* ``help.<FUNCTION>``, ``category.<FUNCTION>``, ``arg.<FUNCTION>.<argument>`` — the function
  wizard texts Application.MacroOptions registers, each at most 255 characters (Excel's limit).
"""

from __future__ import annotations

from udfs import excel  # noqa: F401  - importing registers the UDFs
from udfs.registry import REGISTRY

from .. import envcheck
from .. import layout as L

MACRO_OPTIONS_LIMIT = 255


def help_texts() -> dict[str, str]:
    """Function-wizard texts of every registered UDF."""
    texts = {}
    for spec in REGISTRY.values():
        texts[f"help.{spec.name}"] = spec.help[:MACRO_OPTIONS_LIMIT]
        texts[f"category.{spec.name}"] = spec.category[:MACRO_OPTIONS_LIMIT]
        for arg in spec.args:
            texts[f"arg.{spec.name}.{arg.name}"] = arg.help[:MACRO_OPTIONS_LIMIT]
    return texts


def ui_texts(xlwings_version: str) -> dict[str, str]:
    return {**envcheck.message_texts(xlwings_version, L.interpreter_cell()), **help_texts()}


def ui_text_rows(xlwings_version: str) -> list[dict[str, object]]:
    """The sheet's table rows, in a stable order (builds stay byte-identical)."""
    return [{"key": key, "text": text} for key, text in ui_texts(xlwings_version).items()]
