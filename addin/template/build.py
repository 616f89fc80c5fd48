"""Assemble the workbook: openpyxl sheets, cached values, VBA project, ribbon, atomic write."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from openpyxl import Workbook

from udfs.model import Department

from ..demo import load_demo
from ..ribbon import custom_ui_xml
from ..reading.safe_open import write_atomically
from .xlsm import package_xlsm
from .cached import add_cached_values
from .contents import Contents, department_contents, empty_contents
from .evaluate import CachedValue, cached_values
from .vba import vba_project
from .workbook import build_workbook, table_row_counts, workbook_bytes

TEMPLATE_FILE = Path("workbook_template.xlsm")
EXAMPLE_FILE = Path("examples") / "衡山县市场监督管理局_2022.xlsm"
COMMITTED_MODE = 0o644  # the workbooks are ordinary repository files, whatever the umask
TEMPLATE_TITLE = "部门整体支出绩效自评填报模板"


def workbook_title(name: object, year: object) -> str:
    """The document title: "衡山县市场监督管理局2022年度绩效自评", the template's without a name."""
    if not name:
        return TEMPLATE_TITLE
    if isinstance(year, float) and year.is_integer():
        year = int(year)
    return f"{name}{year if year not in (None, '') else ''}年度绩效自评"


def build_template(department: Department | None = None, interpreter: str | None = None) -> bytes:
    """The .xlsm bytes for ``department``, or the empty template when None; ``interpreter``
    goes into xlwings.conf's Interpreter_Win (``ziping new``; blank in the committed files)."""
    contents = empty_contents(interpreter) if department is None else department_contents(department, interpreter)
    title = TEMPLATE_TITLE if department is None else workbook_title(department.name, department.year)
    return build_contents(contents, title)


Finish = Callable[[Workbook, Mapping[str, Mapping[str, CachedValue]]], None]


def build_contents(contents: Contents, title: str, finish: Finish | None = None) -> bytes:
    """The .xlsm bytes of any contents (a department's, or cells copied by ``ziping refresh``).

    ``finish(workbook, cached)`` may add sheets (the generated 自评表) before it is saved; the
    input sheets, VBA project, ribbon and cached values are always those of a fresh build.
    """
    cached = cached_values(contents, table_row_counts(contents))
    workbook = build_workbook(contents, title, cached)
    if finish is not None:
        finish(workbook, cached)
    xlsx = add_cached_values(workbook_bytes(workbook), cached)
    return package_xlsm(xlsx, vba_project(), custom_ui_xml())


def built_files() -> dict[Path, bytes]:
    """{path relative to the repository: fresh bytes} of every committed workbook."""
    return {TEMPLATE_FILE: build_template(None), EXAMPLE_FILE: build_template(load_demo())}


def build_all(repo_root: Path) -> list[Path]:
    """Write the template and the example under ``repo_root``; returns the paths written."""
    written = []
    for relative, data in built_files().items():
        path = Path(repo_root) / relative
        write_atomically(path, data, COMMITTED_MODE)
        written.append(path)
    return written
