"""Open a spreadsheet in headless LibreOffice and report what it sees, as JSON.

Runs ONLY under Debian's ``/usr/bin/python3`` (the one Python that can import
``uno``); tests call it as a subprocess through ``tests/lo/__init__.py``.

Why a real office suite: openpyxl can write formulas and keep a vbaProject.bin,
but only an application that imports the VBA project and evaluates the cells
proves the workbook works. LibreOffice imports VBA modules of .xlsm files into
the ``VBAProject`` Basic library (with ``Option VBASupport 1``) and can call
VBA functions from cells, so it is the closest thing to Excel that CI can run.

Output (stdout, one JSON object, keyed by the input paths as given)::

    {"/path/book.xlsm": {
        "cells": {"Sheet!A1": {"type": "FORMULA", "value": 2.0, "string": "2",
                               "formula": "=1+1", "error": 0, "locked": true,
                               "validation": {"type": "LIST", "show_input": true,
                                              "input_title": "…", "input_message": "…"}}, ...},
        "basic": {"VBAProject": {"ZipingRibbon": "<module source>", ...}, ...},
        "rows": [{"op": "insert", "ref": "Sheet!3", "ok": true, "error": ""}, ...],
        "calls": [{"result": "…", "error": ""}, ...],
        "modified_on_load": false, "modified_after_calls": false,
        "pdf": "/abs/book.pdf" | null}, ...}

``--calls`` (a JSON list of ``["Module.Function", [string arguments]]``) invokes VBA
procedures of the document's ``VBAProject`` library through the script provider, the way a
macro button would, and reports each return value (or the error) under ``"calls"``.

Row edits (``--insert-row`` / ``--delete-row``) run after the cells are read and the PDF is
written, through the sheet's XTableRows, which honours sheet protection as the menus do.

Every soffice started here is killed before exit, also on timeout.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from uno_office import load_copy, office, props  # sibling module (same folder)


def _cell_report(doc, ref: str) -> dict:
    sheet_name, _, address = ref.rpartition("!")
    sheets = doc.Sheets
    sheet = sheets.getByName(sheet_name) if sheet_name else sheets.getByIndex(0)
    cell = sheet.getCellRangeByName(address)
    validation = cell.Validation
    return {
        "type": cell.Type.value,  # EMPTY / VALUE / TEXT / FORMULA
        "value": cell.getValue(),
        "string": cell.getString(),
        "formula": cell.getFormula(),
        "error": cell.getError(),
        "locked": cell.CellProtection.IsLocked,
        "validation": {"type": validation.Type.value, "show_input": validation.ShowInputMessage,
                       "input_title": validation.InputTitle, "input_message": validation.InputMessage},
    }


def _row_edit(doc, op: str, ref: str) -> dict:
    """Insert a row before, or delete, the 1-based row ``Sheet!N``; protection may refuse."""
    sheet_name, _, row = ref.rpartition("!")
    rows = doc.Sheets.getByName(sheet_name).Rows
    try:
        (rows.insertByIndex if op == "insert" else rows.removeByIndex)(int(row) - 1, 1)
    except Exception as error:  # a protected sheet raises RuntimeException
        return {"op": op, "ref": ref, "ok": False, "error": f"{type(error).__name__}: {error}"}
    return {"op": op, "ref": ref, "ok": True, "error": ""}


def _basic_report(doc) -> dict:
    """Library name -> {module name -> source} for the document's Basic libraries."""
    report = {}
    libraries = doc.BasicLibraries
    for lib_name in libraries.getElementNames():
        libraries.loadLibrary(lib_name)
        library = libraries.getByName(lib_name)
        report[lib_name] = {name: library.getByName(name) for name in library.getElementNames()}
    return report


def _call(doc, name: str, args: list) -> dict:
    """Invoke VBAProject.<name> of the document with ``args``; its result or the error."""
    url = f"vnd.sun.star.script:VBAProject.{name}?language=Basic&location=document"
    try:
        result, _out_index, _out = doc.getScriptProvider().getScript(url).invoke(tuple(args), (), ())
    except Exception as error:  # a missing procedure or a Basic runtime error
        return {"result": None, "error": f"{type(error).__name__}: {error}"}
    return {"result": result, "error": ""}


def _document_report(desktop, path: Path, work: Path, index: int, cells: list[str],
                     recalc: bool, pdf_dir: Path | None, row_edits: list[tuple[str, str]] = (),
                     calls: list = ()) -> dict:
    doc = load_copy(desktop, path, work, index)
    try:
        modified_on_load = doc.isModified()  # after any Workbook_Open has run
        if recalc:
            doc.calculateAll()
        report = {
            "cells": {ref: _cell_report(doc, ref) for ref in cells},
            "basic": _basic_report(doc),
            "calls": [_call(doc, name, args) for name, args in calls],
            "modified_on_load": modified_on_load,
            "modified_after_calls": doc.isModified(),
            "pdf": None,
        }
        if pdf_dir is not None:
            pdf = (pdf_dir / f"{path.stem}.pdf").resolve()
            doc.storeToURL(pdf.as_uri(), props(FilterName="calc_pdf_Export"))
            report["pdf"] = str(pdf)
        report["rows"] = [_row_edit(doc, op, ref) for op, ref in row_edits]
        return report
    finally:
        doc.close(True)


def probe(paths: list[Path], cells: list[str], recalc: bool, pdf_dir: Path | None,
          timeout: float, row_edits: list[tuple[str, str]] = (), calls: list = ()) -> dict:
    """Report on each document, all in one soffice (starting one costs seconds)."""
    with office(timeout) as (_ctx, desktop, work):
        return {str(path): _document_report(desktop, path, work, index, cells, recalc, pdf_dir, row_edits, calls)
                for index, path in enumerate(paths)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", type=Path, nargs="+")
    parser.add_argument("--cell", action="append", default=[], dest="cells",
                        help="Sheet!A1 (repeatable; no sheet name = first sheet)")
    parser.add_argument("--no-recalc", action="store_false", dest="recalc")
    parser.add_argument("--pdf-dir", type=Path, help="export <stem>.pdf of each document here")
    parser.add_argument("--insert-row", action="append", default=[], metavar="Sheet!N",
                        help="insert a row before row N (repeatable, after the cells are read)")
    parser.add_argument("--delete-row", action="append", default=[], metavar="Sheet!N",
                        help="delete row N (repeatable, after the inserts)")
    parser.add_argument("--calls", type=json.loads, default=[],
                        help='JSON list of ["Module.Function", [arguments]] to invoke in each document')
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args(argv)
    edits = [("insert", ref) for ref in args.insert_row] + [("delete", ref) for ref in args.delete_row]
    reports = probe(args.paths, args.cells, args.recalc, args.pdf_dir, args.timeout, edits, args.calls)
    json.dump(reports, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
