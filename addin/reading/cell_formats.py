"""The number format of every cell of an .xlsx/.xlsm package, read beside python-calamine.

calamine reads values fast and right (dates included) but says nothing about formats, and a
percent cell (0.973 shown as "97.30%") or an amount cell (912.5 shown as "912.50") must print
as the user saw it (SCORING.md §5b.4). openpyxl knows formats but reads a workbook ten times
slower. So the formats are read here on their own: the styles part gives each style index its
format code, and one pass of a byte pattern over each sheet part gives each cell its style
index. Only cells whose format is not General are kept.

Parts are found through the package relationships, wherever they are stored (a sheet part need
not live under ``xl/worksheets/``). A cell tag without an ``r`` address (allowed, rarely
written) makes the positions unknowable here: :class:`FormatsUnknown` tells the caller to read
the file with openpyxl instead.
"""

from __future__ import annotations

import functools
import posixpath
import re
import zipfile
from dataclasses import dataclass, field

from defusedxml import ElementTree

from udfs.display import builtin_number_format

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFFICE_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_STYLES_TYPE = "/styles"
_WORKSHEET_TYPE = "/worksheet"
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?c(\s[^>]*)?/?>")
# A cell whose style comes later than right after its address: not the common spelling.
_LATE_STYLE = re.compile(rb'<c r="[A-Z]{1,3}[0-9]+" (?!s=")[^>]*\ss="')
_ADDRESS = re.compile(rb"\sr=\"([A-Z]{1,3})([0-9]+)\"")
_STYLE = re.compile(rb"\ss=\"([0-9]+)\"")

Formats = dict[tuple[int, int], str]  # (row0, col0) -> format code


class FormatsUnknown(Exception):
    """The package's cell positions or styles cannot be read here (use openpyxl)."""


@dataclass(frozen=True)
class SheetPart:
    name: str
    path: str


@dataclass
class Package:
    """What the formats need from a package: its sheets in workbook order, the style table."""

    sheets: list[SheetPart] = field(default_factory=list)
    style_formats: list[str] = field(default_factory=list)  # cellXfs index -> format code
    date1904: bool = False


def _rels(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """{relationship id: (type, target part)} of ``part``."""
    folder, name = posixpath.split(part)
    rels_path = posixpath.join(folder, "_rels", name + ".rels")
    if rels_path not in archive.namelist():
        return {}
    root = ElementTree.fromstring(archive.read(rels_path))
    found = {}
    for rel in root.iter(f"{_PACKAGE_RELS}Relationship"):
        target = rel.get("Target", "")
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found[rel.get("Id", "")] = (rel.get("Type", ""), resolved)
    return found


def _workbook_part(archive: zipfile.ZipFile) -> str:
    for _, (kind, target) in _rels(archive, "").items():
        if kind.endswith("/officeDocument"):
            return target
    return "xl/workbook.xml"


def _sheets(archive: zipfile.ZipFile, root, rels: dict[str, tuple[str, str]]) -> list[SheetPart]:
    found = []
    for sheet in root.iter(f"{_MAIN}sheet"):
        kind, target = rels.get(sheet.get(_OFFICE_REL, ""), ("", ""))
        if kind.endswith(_WORKSHEET_TYPE) and target in archive.namelist():
            found.append(SheetPart(sheet.get("name", ""), target))
    return found


def sheet_parts(archive: zipfile.ZipFile) -> list[SheetPart]:
    """The worksheets in workbook order with the part each is stored in, wherever that is."""
    workbook = _workbook_part(archive)
    return _sheets(archive, ElementTree.fromstring(archive.read(workbook)), _rels(archive, workbook))


def read_package(archive: zipfile.ZipFile) -> Package:
    workbook = _workbook_part(archive)
    rels = _rels(archive, workbook)
    root = ElementTree.fromstring(archive.read(workbook))
    package = Package()
    properties = root.find(f"{_MAIN}workbookPr")
    package.date1904 = properties is not None and properties.get("date1904", "").lower() in ("1", "true")
    package.sheets = _sheets(archive, root, rels)
    styles = next((target for kind, target in rels.values() if kind.endswith(_STYLES_TYPE)), None)
    if styles and styles in archive.namelist():
        package.style_formats = _style_formats(archive.read(styles))
    return package


def _style_formats(xml: bytes) -> list[str]:
    root = ElementTree.fromstring(xml)
    custom = {int(fmt.get("numFmtId", "-1")): fmt.get("formatCode", "General")
              for fmt in root.iter(f"{_MAIN}numFmt")}
    cell_xfs = root.find(f"{_MAIN}cellXfs")
    codes = []
    for xf in (cell_xfs if cell_xfs is not None else ()):
        number = int(xf.get("numFmtId", "0") or 0)
        codes.append(custom.get(number) or builtin_number_format(number) or "General")
    return codes


def _column(letters: bytes) -> int:
    index = 0
    for char in letters:
        index = index * 26 + char - 64
    return index - 1


def sheet_formats(xml: bytes, style_formats: list[str]) -> Formats:
    """{(row0, col0): code} of the non-empty cells of one sheet part whose format is not General.

    An empty cell (``<c … s="3"/>``) shows nothing whatever its format, so it is left out.
    Where every cell is spelled the common way (``<c r="B2" s="3" …>``: Excel, LibreOffice and
    openpyxl write r first, then s) one pattern that matches only the styles with a format finds
    them; anything else goes through :func:`_any_formats`."""
    wanted = {str(index).encode(): code for index, code in enumerate(style_formats) if code != "General"}
    if not wanted:
        return {}
    common = (xml.count(b'<c r="') == xml.count(b"<c ") and b":c " not in xml and b"<c>" not in xml
              and not _LATE_STYLE.search(xml))
    if not common:
        return _any_formats(xml, style_formats)
    return {(int(digits) - 1, _column(letters)): wanted[style]
            for letters, digits, style in _formatted_cells(tuple(sorted(wanted))).findall(xml)}


@functools.lru_cache(maxsize=64)
def _formatted_cells(styles: tuple[bytes, ...]) -> re.Pattern[bytes]:
    """Non-empty cells (not ``/>``) whose style is one of ``styles``."""
    return re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)" s="(' + b"|".join(styles) + rb')"[^>]*?(?<!/)>')


def _any_formats(xml: bytes, style_formats: list[str]) -> Formats:
    """Attributes in any order or with a namespace prefix (rare writers)."""
    formats: Formats = {}
    for tag in _CELL_TAG.finditer(xml):
        if tag.group(0).endswith(b"/>"):
            continue
        attributes = tag.group(1) or b""
        style = _STYLE.search(attributes)
        address = _ADDRESS.search(attributes)
        if address is None:
            raise FormatsUnknown("a cell without address")
        if style is None:
            continue
        index = int(style.group(1))
        code = style_formats[index] if index < len(style_formats) else "General"
        if code != "General":
            formats[(int(address.group(2)) - 1, _column(address.group(1)))] = code
    return formats


def package_formats(archive: zipfile.ZipFile) -> tuple[dict[str, Formats], bool]:
    """({sheet name: formats}, date1904) of a whole package."""
    try:
        package = read_package(archive)
        return {sheet.name: sheet_formats(archive.read(sheet.path), package.style_formats)
                for sheet in package.sheets}, package.date1904
    except FormatsUnknown:
        raise
    except (KeyError, ValueError, ElementTree.ParseError) as error:
        raise FormatsUnknown(str(error)) from None
