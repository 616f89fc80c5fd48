"""The add-in's ribbon: customUI14.xml, its VBA callback module, and a checker.

A ribbon whose onAction names a missing or mis-declared VBA Sub fails
silently in Excel (the button just does nothing, or Excel shows a vague
"cannot run the macro" message), so :func:`check_ribbon` catches that at
build and test time instead.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from importlib.resources import files

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from .. import envcheck
from .. import layout as L

NS_CUSTOM_UI14 = "http://schemas.microsoft.com/office/2009/07/customui"
REQUIRED_LABEL = "生成自评表"
VERSION_PLACEHOLDER = "{version}"

# "Public Sub Name(control As IRibbonControl)": the signature Office calls an
# onAction button callback with. Private Subs and other parameter lists fail.
_SUB = re.compile(r"^[ \t]*(?:(Public|Private|Friend)[ \t]+)?Sub[ \t]+(\w+)[ \t]*\(([^)]*)\)",
                  re.IGNORECASE | re.MULTILINE)
_RIBBON_PARAM = re.compile(r"^(?:ByRef\s+|ByVal\s+)?\w+\s+As\s+(?:Office\.)?IRibbonControl$",
                           re.IGNORECASE)
_SAFE_VERSION = re.compile(r"^[0-9A-Za-z.+\-]+$")


def custom_ui_xml() -> str:
    """The ribbon definition shipped with the package (UTF-8 text)."""
    return files(__package__).joinpath("customUI14.xml").read_text(encoding="utf-8")


def _check_versions(*values: str) -> None:
    for value in values:
        if not _SAFE_VERSION.match(value):
            raise ValueError(f"version {value!r} is not a plain ASCII version string")


def _crlf(source: str) -> str:
    return "\r\n".join(source.splitlines()) + "\r\n"


def ribbon_module_source(version: str, xlwings_version: str) -> str:
    """Source of the ZipingRibbon VBA module with its placeholders filled in.

    ``version`` is ``addin.__version__`` and ``xlwings_version`` the XLWINGS_VERSION of the
    xlwings VBA module built into the same workbook, so each number exists in one place.
    Lines end in CRLF, as VBA source does.
    """
    _check_versions(version, xlwings_version)
    template = files(__package__).joinpath("ZipingRibbon.bas").read_text(encoding="ascii")
    return _crlf(template.replace(VERSION_PLACEHOLDER, version).replace("{xlwings_version}", xlwings_version))


def support_module_source(xlwings_version: str, help_lines: list[str] | None = None) -> str:
    """Source of the ZipingSupport VBA module: texts, environment checks, function help.

    The checks come from :func:`addin.envcheck.probes` (the same list ``ziping doctor``
    runs) and the help registration from the UDF registry (``help_lines``, by default
    :func:`addin.template.udf_vba.help_registration_lines`; importing it loads xlwings).
    """
    _check_versions(xlwings_version)
    if help_lines is None:
        from ..template.udf_vba import help_registration_lines

        help_lines = help_registration_lines()
    checks = envcheck.probes(xlwings_version)
    cases = [f'        Case "{probe.key}": ProbeStatement = "{probe.statement}"'
             for probe in checks if probe.statement is not None]
    statements = [probe.statement for probe in checks if probe.statement] + [envcheck.preflight_statement(xlwings_version)]
    if any('"' in statement for statement in statements):
        raise ValueError("a probe statement must not contain a double quote (it sits in a -c \"...\" argument)")
    filled = {
        "{text_sheet}": L.UI_TEXTS.code_name,
        "{not_started}": str(envcheck.NOT_STARTED),
        "{check_keys}": ",".join(probe.key for probe in checks),
        "{preflight_statement}": envcheck.preflight_statement(xlwings_version),
        "{dll_names}": ",".join(envcheck.dll_names(xlwings_version)),
        "{probe_cases}": "\n".join(cases),
        "{udf_help}": "\n".join(help_lines),
    }
    source = files(__package__).joinpath("ZipingSupport.bas").read_text(encoding="ascii")
    for placeholder, value in filled.items():
        source = source.replace(placeholder, value)
    return _crlf(source)


def check_ribbon(custom_ui: str, vba_sources: Mapping[str, str]) -> list[str]:
    """Problems that would break the ribbon in Excel; empty when all is well.

    ``vba_sources`` maps VBA module names to their source text.
    """
    try:
        root = fromstring(custom_ui.encode("utf-8"))
    except (ParseError, DefusedXmlException) as exc:
        return [f"customUI is not well-formed XML: {exc}"]
    problems = []
    if root.tag != f"{{{NS_CUSTOM_UI14}}}customUI":
        problems.append(f"root element is {root.tag}, expected customUI in {NS_CUSTOM_UI14}")
    ids = Counter(el.get("id") for el in root.iter() if el.get("id") is not None)
    problems += [f"duplicate control id {id_!r}" for id_, n in sorted(ids.items()) if n > 1]
    callbacks = _ribbon_callbacks(vba_sources)
    for element in root.iter():
        action = element.get("onAction")
        if action is not None:
            problem = _callback_problem(action, callbacks)
            if problem:
                problems.append(f"{element.get('id')}: onAction {action!r} {problem}")
    if not any(el.get("label") == REQUIRED_LABEL for el in root.iter()):
        problems.append(f"no control is labelled {REQUIRED_LABEL!r}")
    return problems


def _ribbon_callbacks(vba_sources: Mapping[str, str]) -> dict[tuple[str, str], bool]:
    """(module, sub name) lowercased -> whether it is a valid onAction callback."""
    found = {}
    for module, source in vba_sources.items():
        for scope, name, params in _SUB.findall(source):
            valid = scope.lower() != "private" and bool(_RIBBON_PARAM.match(params.strip()))
            key = (module.lower(), name.lower())
            found[key] = found.get(key, False) or valid
    return found


def _callback_problem(action: str, callbacks: dict[tuple[str, str], bool]) -> str | None:
    module, _, name = action.rpartition(".")
    matches = [valid for (mod, sub), valid in callbacks.items()
               if sub == name.lower() and (not module or mod == module.lower())]
    if not matches:
        return "names no Sub in the VBA modules"
    if not any(matches):
        return "is not declared as Public Sub X(control As IRibbonControl)"
    return None
