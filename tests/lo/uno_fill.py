"""Type into workbooks like a user, and read back what LibreOffice shows, as JSON.

Runs ONLY under Debian's ``/usr/bin/python3`` (the one Python that can import ``uno``);
tests call it through ``tests/lo/__init__.py``. One job per run, read as JSON from stdin,
all in ONE soffice with a zh-CN profile (so "2023/5/20" is a date and "97.3%" a percentage,
as for our users)::

    {"mode": "type", "source": "/in.xlsm", "target": "/out.xlsx",
     "cells": [["绩效指标", "E2", "97.3%"], ...], "timeout": 180}
    {"mode": "display", "path": "/book.xlsx", "refs": ["Sheet!A1"] | null,
     "sheets": ["Sheet"] | null, "timeout": 180}
    {"mode": "render", "pairs": [[0.973, "0.00%"], ["abc", "@"], ...], "timeout": 180}

"type" and "display" print ``{"Sheet!B5": {"string", "value", "format", "type", "formula"}}``;
"render" prints ``{"strings": [...], "formats": [...]}`` (null where LibreOffice rejected
the code).

Why typing is emulated: UNO dispatcher calls (.uno:EnterString) crash headless soffice 7.4,
so :func:`type_text` does what Calc's ScColumn::ParseString does with the document's number
formatter: detect the format of the text, store the number, and apply the detected format
only when the cell had a default (General/date/time/boolean) format or a boolean was typed.

Every soffice started here is killed before exit, also on timeout.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from uno_office import load_copy, office, props  # sibling module (same folder)

from com.sun.star.lang import Locale
from com.sun.star.util import NotNumericException

LOCALE = "zh-CN"
ZH_CN = Locale("zh", "CN", "")
EN_US = Locale("en", "US", "")  # .xlsx stores format codes in en-US syntax

FILTERS = {".xlsm": "Calc MS Excel 2007 VBA XML", ".xlsx": "Calc MS Excel 2007 XML",
           ".ods": "calc8"}

# com.sun.star.util.NumberFormat
NUMBER, DATE, TIME, LOGICAL, TEXT, DEFINED = 16, 2, 4, 1024, 256, 1
# com.sun.star.sheet.CellFlags: VALUE | DATETIME | STRING | FORMULA
CONTENT = 1 | 2 | 4 | 16


def _sheet_and_cell(doc, ref: str):
    sheet_name, _, address = ref.rpartition("!")
    sheets = doc.Sheets
    sheet = sheets.getByName(sheet_name) if sheet_name else sheets.getByIndex(0)
    return sheet, sheet.getCellRangeByName(address)


def _formatter(ctx, doc):
    formatter = ctx.ServiceManager.createInstanceWithContext("com.sun.star.util.NumberFormatter", ctx)
    formatter.attachNumberFormatsSupplier(doc)
    return formatter


def type_text(doc, formatter, cell, text: str) -> None:
    """Enter ``text`` into ``cell`` as Calc's input line would (see module docstring)."""
    if text == "":
        cell.clearContents(CONTENT)
        return
    if text.startswith("="):
        cell.setFormula(text)
        return
    if text.startswith("'"):  # a leading apostrophe forces text
        cell.setString(text[1:])
        return
    formats = doc.NumberFormats
    old_key = cell.NumberFormat
    old = formats.getByKey(old_key)
    old_type = old.Type & ~DEFINED
    if old_type & TEXT:  # a Text (@) cell takes everything as text
        cell.setString(text)
        return
    try:
        key = formatter.detectNumberFormat(old_key, text)
        value = formatter.convertStringToNumber(old_key, text)
    except NotNumericException:
        cell.setString(text)
        return
    cell.setValue(value)
    if key == old_key:
        return
    overwrite = False
    if old_type in (NUMBER, DATE, TIME, LOGICAL):
        overwrite = old_key == formats.getStandardFormat(old_type, old.Locale)
    if not overwrite and formats.getByKey(key).Type & LOGICAL:
        overwrite = True
    if overwrite:
        cell.NumberFormat = key


def cell_report(doc, cell, cache: dict[int, str]) -> dict:
    key = cell.NumberFormat
    if key not in cache:
        cache[key] = doc.NumberFormats.getByKey(key).FormatString
    return {
        "type": cell.Type.value,  # EMPTY / VALUE / TEXT / FORMULA
        "string": cell.getString(),
        "value": cell.getValue(),
        "format": cache[key],
        "formula": cell.getFormula(),
    }


def _column_name(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _address(sheet_name: str, cell) -> str:
    address = cell.getCellAddress()
    return f"{sheet_name}!{_column_name(address.Column)}{address.Row + 1}"


def do_type(ctx, desktop, work: Path, job: dict) -> dict:
    source, target = Path(job["source"]), Path(job["target"]).resolve()
    doc = load_copy(desktop, source, work, 0)
    try:
        formatter = _formatter(ctx, doc)
        typed = []
        for sheet_name, address, text in job["cells"]:
            _sheet, cell = _sheet_and_cell(doc, f"{sheet_name}!{address}")
            type_text(doc, formatter, cell, text)
            typed.append((f"{sheet_name}!{address}", cell))
        if any(text.startswith("=") for _s, _a, text in job["cells"]):
            doc.calculateAll()
        cache: dict[int, str] = {}
        report = {ref: cell_report(doc, cell, cache) for ref, cell in typed}
        filter_name = FILTERS.get(target.suffix.lower(), FILTERS[".xlsx"])
        doc.storeToURL(target.as_uri(), props(FilterName=filter_name))
        return report
    finally:
        doc.close(True)


def do_display(ctx, desktop, work: Path, job: dict) -> dict:
    doc = load_copy(desktop, Path(job["path"]), work, 0)
    try:
        cache: dict[int, str] = {}
        refs = job.get("refs")
        if refs:
            return {ref: cell_report(doc, _sheet_and_cell(doc, ref)[1], cache) for ref in refs}
        names = job.get("sheets") or list(doc.Sheets.getElementNames())
        report = {}
        for name in names:
            sheet = doc.Sheets.getByName(name)
            cells = sheet.queryContentCells(CONTENT).getCells().createEnumeration()
            while cells.hasMoreElements():
                cell = cells.nextElement()
                report[_address(name, cell)] = cell_report(doc, cell, cache)
        return report
    finally:
        doc.close(True)


def do_render(ctx, desktop, work: Path, job: dict) -> dict:
    """Each (value, code) in its own cell of a fresh document; the code added as a file would."""
    doc = desktop.loadComponentFromURL("private:factory/scalc", "_blank", 0, props(Hidden=True))
    try:
        formats = doc.NumberFormats
        sheet = doc.Sheets.getByIndex(0)
        keys: dict[str, int | None] = {}
        strings, codes = [], []
        for row, (value, code) in enumerate(job["pairs"]):
            if code not in keys:
                try:  # what the .xlsx import does: en-US code converted to the zh-CN locale
                    keys[code] = formats.addNewConverted(code, EN_US, ZH_CN)
                except Exception:  # noqa: BLE001 - LibreOffice rejects the code
                    keys[code] = None
            key = keys[code]
            if key is None:
                strings.append(None)
                codes.append(None)
                continue
            cell = sheet.getCellByPosition(row // 50000, row % 50000)
            if isinstance(value, str):
                cell.setString(value)  # (a numeric-looking string sets Text format: reset below)
            else:
                cell.setValue(float(value))
            cell.NumberFormat = key
            strings.append(cell.getString())
            codes.append(formats.getByKey(key).FormatString)
        return {"strings": strings, "formats": codes}
    finally:
        doc.close(True)


MODES = {"type": do_type, "display": do_display, "render": do_render}


def main() -> int:
    job = json.load(sys.stdin)
    with office(float(job.get("timeout", 180)), LOCALE) as (ctx, desktop, work):
        result = MODES[job["mode"]](ctx, desktop, work, job)
    json.dump(result, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
