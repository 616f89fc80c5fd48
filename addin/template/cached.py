"""Put cached values beside formulas in the saved .xlsx (openpyxl writes ``<v></v>``).

A formula cell is ``<c r="L2"><f>…</f><v>4</v></c>`` for a number and carries
``t="str"`` for text, ``t="b"`` for a boolean, ``t="e"`` for an error (ECMA-376 §18.3.1.4). Readers that do not
recalculate — Excel without Python, WPS, LibreOffice, openpyxl ``data_only`` — show these.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from typing import Mapping

from lxml import etree

from .evaluate import CachedValue, ErrorValue

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = {"r": "http://schemas.openxmlformats.org/package/2006/relationships"}


def _number_text(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def _set_cached(cell: etree._Element, value: CachedValue) -> None:
    v = cell.find("m:v", NS)
    if v is None:
        v = etree.SubElement(cell, f"{{{NS['m']}}}v")
    cell.attrib.pop("t", None)
    if isinstance(value, ErrorValue):
        cell.set("t", "e")
        v.text = str(value)
    elif isinstance(value, bool):
        cell.set("t", "b")
        v.text = "1" if value else "0"
    elif isinstance(value, (int, float)):
        v.text = _number_text(float(value))
    else:
        cell.set("t", "str")
        v.text = "" if value is None else str(value)


def sheet_parts(parts: Mapping[str, bytes]) -> dict[str, str]:
    """{sheet name: zip path of its worksheet XML}, following the workbook relationships."""
    workbook = etree.fromstring(parts["xl/workbook.xml"])
    rels = etree.fromstring(parts["xl/_rels/workbook.xml.rels"])
    targets = {rel.get("Id"): rel.get("Target") for rel in rels.findall("r:Relationship", PKG_REL_NS)}
    result = {}
    for sheet in workbook.find("m:sheets", NS):
        target = targets[sheet.get(f"{{{REL_NS}}}id")]
        result[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    return result


def add_cached_values(xlsx: bytes, values: Mapping[str, Mapping[str, CachedValue]]) -> bytes:
    """The same package with ``values`` ({sheet: {address: value}}) stored in formula cells."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    paths = sheet_parts(parts)
    for sheet_name, cells in values.items():
        root = etree.fromstring(parts[paths[sheet_name]])
        found = set()
        for cell in root.iterfind(".//m:sheetData/m:row/m:c", NS):
            address = cell.get("r")
            if address in cells and cell.find("m:f", NS) is not None:
                _set_cached(cell, cells[address])
                found.add(address)
        missing = set(cells) - found
        if missing:
            raise ValueError(f"{sheet_name}: no formula cell at {sorted(missing)[:5]}")
        parts[paths[sheet_name]] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return buffer.getvalue()
