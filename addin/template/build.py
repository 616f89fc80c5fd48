"""Assemble the workbook: openpyxl sheets, cached values, VBA project, ribbon, atomic write."""

from __future__ import annotations

from pathlib import Path

from udfs.model import Department

from ..demo import load_demo
from ..ribbon import custom_ui_xml
from ..safe_open import write_atomically
from ..xlsm import package_xlsm
from .cached import add_cached_values
from .contents import department_contents, empty_contents
from .evaluate import cached_values
from .vba import vba_project
from .workbook import table_row_counts, write_workbook

TEMPLATE_FILE = Path("workbook_template.xlsm")
EXAMPLE_FILE = Path("examples") / "衡山县市场监督管理局_2022.xlsm"
COMMITTED_MODE = 0o644  # the workbooks are ordinary repository files, whatever the umask
TEMPLATE_TITLE = "部门整体支出绩效自评填报模板"


def build_template(department: Department | None = None, interpreter: str | None = None) -> bytes:
    """The .xlsm bytes for ``department``, or the empty template when None; ``interpreter``
    goes into xlwings.conf's Interpreter_Win (``ziping new``; blank in the committed files)."""
    contents = empty_contents(interpreter) if department is None else department_contents(department, interpreter)
    title = TEMPLATE_TITLE if department is None else f"{department.name}{department.year}年度绩效自评"
    cached = cached_values(contents, table_row_counts(contents))
    xlsx = add_cached_values(write_workbook(contents, title, cached), cached)
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
