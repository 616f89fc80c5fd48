"""An accountant types into our template in LibreOffice (zh-CN); what does every reader see?

The cells are typed once into .xlsm and once into .xlsx (one soffice launch each) and the
saved .xlsx is reopened once more. LibreOffice's shown text is the reference: openpyxl must
read back the value and number format that make :func:`udfs.display.shown_text` print
exactly that text.
"""

from __future__ import annotations

import shutil
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from lo import displayed_cells, requires_libreoffice, type_into_workbook
from udfs.display import shown_text

TEMPLATE = Path(__file__).resolve().parents[1] / "workbook_template.xlsm"

# (sheet, cell, what the accountant types, what LibreOffice then shows, the value it keeps)
TYPED = [
    ("绩效指标", "D2", "群众满意度", "群众满意度", "群众满意度"),
    ("绩效指标", "E2", "≥95%", "≥95%", "≥95%"),  # a comparator makes it text
    ("绩效指标", "F2", "97.3%", "97.30%", 0.973),  # a percentage is a number shown as 0.00%
    ("绩效指标", "G2", "10", "10", 10),  # 分值 is General: a typed 10 shows 10
    ("绩效指标", "D4", "完成时限", "完成时限", "完成时限"),
    ("绩效指标", "E4", "2023年6月30日前", "2023年6月30日前", "2023年6月30日前"),
    ("绩效指标", "F4", "2023-05-20", "2023-05-20", datetime(2023, 5, 20)),
    ("绩效指标", "F5", "2023/5/20", "23年5月20日", datetime(2023, 5, 20)),
    ("绩效指标", "F6", "2023年5月20日", "23年5月20日", datetime(2023, 5, 20)),
    ("绩效指标", "F7", "2023.12", "2023.12", 2023.12),  # not a date: a number
    ("项目资金", "A2", "市场监管专项", "市场监管专项", "市场监管专项"),
    ("项目资金", "C2", "912.50", "912.50", 912.5),  # amounts keep the template's 0.00
    ("项目资金", "D2", "1,000", "1000.00", 1000),
    ("项目资金", "E2", "=C2*0.5", "456.25", 456.25),
]
FORMATS = {  # LibreOffice's codes after typing (its own syntax), and what .xlsx stores
    "绩效指标!F2": ("0.00%", "0.00%"),
    "绩效指标!F4": ("YYYY-MM-DD", "yyyy\\-mm\\-dd"),
    "绩效指标!F5": ('YY"年"M"月"D"日"', "yy\\年m\\月d\\日"),
    "项目资金!C2": ("0.00", "0.00"),
    "绩效指标!D2": ("常规", "General"),
}
REFS = [f"{sheet}!{cell}" for sheet, cell, *_ in TYPED]


@pytest.fixture(scope="module")
def typed(tmp_path_factory) -> dict:
    """Type TYPED into fresh copies of the template, saved as .xlsm and as .xlsx."""
    tmp = tmp_path_factory.mktemp("typed")
    source = tmp / "绩效自评.xlsm"
    shutil.copyfile(TEMPLATE, source)
    cells = [(sheet, cell, text) for sheet, cell, text, *_ in TYPED]
    xlsm, xlsx = tmp / "typed.xlsm", tmp / "typed.xlsx"
    return {
        "xlsm": xlsm, "xlsx": xlsx,
        "shown_xlsm": type_into_workbook(source, xlsm, cells),
        "shown_xlsx": type_into_workbook(source, xlsx, cells),
        "reopened_xlsx": displayed_cells(xlsx, refs=REFS),
    }


@requires_libreoffice
@pytest.mark.parametrize(("ref", "shown"), [(f"{s}!{c}", shown) for s, c, _t, shown, _v in TYPED])
def test_libreoffice_shows_what_the_accountant_typed_as_expected(typed, ref, shown):
    assert typed["shown_xlsm"][ref]["string"] == shown
    assert typed["shown_xlsx"][ref]["string"] == shown


@requires_libreoffice
def test_typing_sets_the_detected_format_only_on_general_cells(typed):
    for ref, (lo_code, _xlsx_code) in FORMATS.items():
        assert typed["shown_xlsm"][ref]["format"] == lo_code, ref
    assert typed["shown_xlsm"]["绩效指标!F2"]["value"] == pytest.approx(0.973)
    assert typed["shown_xlsm"]["绩效指标!E2"]["type"] == "TEXT"
    assert typed["shown_xlsm"]["项目资金!E2"]["type"] == "FORMULA"


@requires_libreoffice
def test_the_saved_xlsm_keeps_its_vba_project(typed):
    with zipfile.ZipFile(typed["xlsm"]) as archive:
        assert "xl/vbaProject.bin" in archive.namelist()
    with zipfile.ZipFile(typed["xlsx"]) as archive:
        assert "xl/vbaProject.bin" not in archive.namelist()


@requires_libreoffice
@pytest.mark.parametrize("kind", ["xlsm", "xlsx"])
def test_openpyxl_reads_back_the_values_and_formats(typed, kind):
    book = openpyxl.load_workbook(typed[kind], data_only=True, keep_vba=kind == "xlsm")
    for sheet, cell, _text, _shown, value in TYPED:
        read = book[sheet][cell].value
        assert read == (pytest.approx(value) if isinstance(value, float) else value), f"{sheet}!{cell}"
    for ref, (_lo_code, xlsx_code) in FORMATS.items():
        sheet, cell = ref.split("!")
        assert book[sheet][cell].number_format == xlsx_code, ref


@requires_libreoffice
@pytest.mark.parametrize("kind", ["xlsm", "xlsx"])
def test_shown_text_of_the_saved_file_is_what_libreoffice_showed(typed, kind):
    book = openpyxl.load_workbook(typed[kind], data_only=True, keep_vba=kind == "xlsm")
    for ref in REFS:
        sheet, cell = ref.split("!")
        read = book[sheet][cell]
        assert shown_text(read.value, read.number_format) == typed[f"shown_{kind}"][ref]["string"], ref


@requires_libreoffice
def test_the_saved_file_reopens_showing_the_same(typed):
    assert {ref: cell["string"] for ref, cell in typed["reopened_xlsx"].items()} == \
        {ref: cell["string"] for ref, cell in typed["shown_xlsx"].items()}
