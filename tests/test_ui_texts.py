"""The very-hidden 提示文字 sheet holds every text the VBA asks for; the VBA source holds none."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from addin import envcheck
from addin import layout as L
from addin.template.vba import vba_modules, xlwings_vba_version
from addin.template.ui_texts import ui_texts
from udfs.registry import REGISTRY

REPO = Path(__file__).resolve().parents[1]
VERSION = xlwings_vba_version()


@pytest.fixture(scope="module")
def sheet_texts() -> dict[str, str]:
    """{key: text} as the committed template stores them."""
    book = openpyxl.load_workbook(REPO / "workbook_template.xlsm")
    sheet = book[L.UI_TEXTS.name]
    assert sheet.sheet_state == "veryHidden"  # Format → Unhide does not list it
    assert sheet.sheet_properties.codeName == L.UI_TEXTS.code_name  # how the VBA names it
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == L.table_of(L.UI_TEXTS.blocks[0]).headers
    return {key: text for key, text in rows[1:]}


def keys_the_vba_asks_for() -> set[str]:
    code = "\n".join(module.code for module in vba_modules() if module.name.startswith("Ziping"))
    literal = set(re.findall(r'UiText\("([^"]+)"\)', code))
    checks = [probe.key for probe in envcheck.probes(VERSION)]
    dynamic = {f"problem.{key}" for key in [*checks, "imports_together"]} | {f"label.{key}" for key in checks}
    for spec in REGISTRY.values():
        dynamic |= {f"help.{spec.name}", f"category.{spec.name}"} | {f"arg.{spec.name}.{a.name}" for a in spec.args}
    return literal | dynamic


def test_every_key_the_vba_reads_is_in_the_sheet(sheet_texts):
    missing = keys_the_vba_asks_for() - set(sheet_texts)
    assert not missing
    assert sheet_texts == ui_texts(VERSION)  # written exactly, in Unicode


def test_the_vba_source_carries_no_user_text():
    for module in vba_modules():
        if module.name.startswith("Ziping") or module.name == "ThisWorkbook":
            assert module.code.isascii(), module.name
            strings = re.findall(r'"((?:[^"]|"")*)"', module.code)
            assert not [s for s in strings if re.search(r"[\u3000-\u9fff\uff00-\uffef]", s)], module.name


def test_the_texts_name_the_cell_and_the_pinned_version(sheet_texts):
    assert f"「xlwings.conf」工作表 {L.interpreter_cell()} 单元格" in sheet_texts["problem.interpreter"]
    assert f'"{{python}}" -m pip install xlwings=={VERSION}' in sheet_texts["problem.xlwings"]
    assert sheet_texts["title"] == "绩效自评助手"


def test_the_guide_does_not_list_the_hidden_sheet():
    book = openpyxl.load_workbook(REPO / "workbook_template.xlsm")
    guide = " ".join(str(cell) for row in book[L.GUIDE.name].iter_rows(values_only=True) for cell in row if cell)
    assert f"「{L.XLWINGS_CONF.name}」" in guide and f"「{L.UI_TEXTS.name}」" not in guide
