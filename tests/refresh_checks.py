"""What a refreshed workbook must satisfy, read back by independent readers (openpyxl, the
zip itself, olevba): its input cells as the user left them, and a fresh build's machinery."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
from lxml import etree

from addin import layout as L
from addin.refresh.migrate import CONF_BLOCK, USER_SETTINGS
from addin.ribbon import check_ribbon, custom_ui_xml
from addin.template.vba import vba_modules
from addin.template.xlsm import read_custom_ui
from test_template_checks import code_lines, olevba_modules
from udfs.display import shown_text


def input_refs(book) -> list[str]:
    """"Sheet!B5" of every input cell the layout declares, tables down to the sheet's last row.

    Not the xlwings.conf settings the template owns (UDF Modules, the FALSE switches): a
    refresh puts the template's back by design (LibreOffice even saves FALSE as ``=FALSE()``).
    """
    refs = []
    for sheet in L.SHEETS:
        if sheet.name not in book.sheetnames:
            continue
        last = book[sheet.name].max_row
        for placed in sheet.placed():
            block = placed.block
            if isinstance(block, L.FieldBlock):
                refs += [f"{sheet.name}!{sheet.field_cell(block.key, f.key)}" for f in block.fields
                         if f.is_input and (block.key != CONF_BLOCK or f.key in USER_SETTINGS)]
                continue
            table = L.table_of(block)
            refs += [f"{sheet.name}!{table.letter(f.key)}{row}" for row in range(placed.first_data_row, last + 1)
                     for f in table.columns if f.is_input]
    return refs


def input_cells(path: Path) -> dict[str, tuple]:
    """{"Sheet!B5": (value, number format, shown text, formula or None)} of every filled input cell."""
    values = openpyxl.load_workbook(path, data_only=True)
    formulas = openpyxl.load_workbook(path)
    found = {}
    for ref in input_refs(formulas):
        sheet, address = ref.split("!")
        cell, formula = values[sheet][address], formulas[sheet][address]
        text = formula.value if formula.data_type == "f" else None
        if cell.value is None and text is None:
            continue
        shown = "" if cell.value is None else shown_text(cell.value, cell.number_format)
        found[ref] = (cell.value, cell.number_format, shown, text)
    return found


def formula_cells_without_cached_value(data: bytes) -> list[str]:
    """Cells of any sheet with an <f> but no <v>: what Excel without Python would show blank."""
    missing = []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                root = etree.fromstring(package.read(name))
                missing += [f"{name}!{c.get('r')}" for c in root.iter("{*}c")
                            if c.find("{*}f") is not None and c.find("{*}v") is None]
    return missing


def assert_fresh_machinery(path: Path) -> None:
    """The checks test_template_checks runs on a fresh build: every VBA module with our source
    (olevba), the ribbon and its callbacks, codeNames, and a cached value in every formula cell."""
    found = olevba_modules(path)
    expected = {module.name: module.code for module in vba_modules()}
    assert set(found) == set(expected)
    for name, code in expected.items():
        assert code_lines(found[name]) == code_lines(code), name
    data = path.read_bytes()
    assert read_custom_ui(data) == custom_ui_xml()
    assert check_ribbon(read_custom_ui(data), found) == []
    book = openpyxl.load_workbook(path, keep_vba=True)
    assert book.code_name == "ThisWorkbook"
    for sheet in L.SHEETS:
        assert book[sheet.name].sheet_properties.codeName == sheet.code_name, sheet.name
    assert formula_cells_without_cached_value(data) == []
    assert str(book.defined_names[L.LAYOUT_VERSION_NAME].attr_text) == str(L.LAYOUT_VERSION)
