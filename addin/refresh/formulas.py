"""Which cells of a package hold formulas, and their text: what the value grids cannot say.

python-calamine and openpyxl's ``data_only`` give a formula cell's cached result only. A
refresh must know more: a formula the user typed into an input cell (``=C2*0.5`` in 全年执行数)
is kept as a formula, and a constant typed over one of the template's formulas is reported
before the formula is put back. One streaming pass over each sheet part finds the ``<f>``
elements; shared formulas (Excel writes one master per filled-down range) are translated
to each cell as openpyxl would.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from lxml import etree
from openpyxl.formula.translate import Translator
from openpyxl.utils.cell import coordinate_from_string, column_index_from_string

from ..reading.cell_formats import read_package

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
Position = tuple[int, int]  # (row, column), 1-based


@dataclass(frozen=True)
class Formulas:
    """The formula cells of one sheet: their text ("=C2*0.5") and which have no cached result
    (a file saved by a program that does not calculate, such as openpyxl)."""

    texts: dict[Position, str] = field(default_factory=dict)
    uncached: frozenset[Position] = frozenset()

    def get(self, position: Position) -> str | None:
        return self.texts.get(position)


def _position(address: str) -> Position:
    letters, row = coordinate_from_string(address)
    return row, column_index_from_string(letters)


def _uncached(cell) -> bool:
    """No result stored: no <v>, or an empty one on a cell not typed as text (openpyxl writes
    ``<f>…</f><v></v>``; an empty text result is ``t="str"`` with ``<v></v>``)."""
    value = cell.find(f"{_MAIN}v")
    return value is None or (not value.text and cell.get("t") not in ("str", "s", "inlineStr"))


def part_formulas(xml: bytes) -> Formulas:
    """The formulas of one worksheet part."""
    found: dict[Position, str] = {}
    uncached: set[Position] = set()
    masters: dict[str, tuple[str, str]] = {}  # shared index -> (master address, text)
    parser = etree.iterparse(io.BytesIO(xml), events=("end",), tag=f"{_MAIN}c",
                             resolve_entities=False, no_network=True)
    for _, cell in parser:
        formula = cell.find(f"{_MAIN}f")
        address = cell.get("r")
        if formula is not None and address:
            text = formula.text or ""
            shared = formula.get("t") == "shared"
            if shared and text:
                masters[formula.get("si", "")] = (address, text)
            elif shared:
                master = masters.get(formula.get("si", ""))
                if master is not None:
                    text = Translator("=" + master[1], origin=master[0]).translate_formula(address)[1:]
            if text:
                found[_position(address)] = "=" + text
                if _uncached(cell):
                    uncached.add(_position(address))
        cell.clear(keep_tail=True)
    return Formulas(found, frozenset(uncached))


def package_formulas(data: bytes, sheet_names: Iterable[str]) -> dict[str, Formulas]:
    """{sheet name: formulas} of the named sheets of an .xlsx/.xlsm package."""
    wanted = set(sheet_names)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        package = read_package(archive)
        return {sheet.name: part_formulas(archive.read(sheet.path)) for sheet in package.sheets if sheet.name in wanted}
