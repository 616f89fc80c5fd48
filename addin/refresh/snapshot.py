"""A released layout, frozen: where every input, formula and label of a workbook sits.

``ziping refresh`` must read workbooks made by older templates, whose sheets may have had
other rows, columns or labels than :mod:`addin.layout` has today. So each released layout
is kept as data (``layouts/layout_<version>.json``, written by ``scripts/release_layout.py``
from the layout of its day) and a workbook is read with the snapshot of its own version:
cells are found by (block, row index, key), never by today's addresses. A test fails when
:mod:`addin.layout` no longer matches the snapshot of :data:`addin.layout.LAYOUT_VERSION`,
so a layout change cannot ship without a new version.

A snapshot holds only what reading needs: sheet names, block positions, each field's key,
label, position and role (input, dropdown, formula), and the regions the template fills
(anything a user typed outside them would be lost by a refresh, so it is refused).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from openpyxl.utils import get_column_letter

from .. import layout as L

FIELDS, TABLE = "fields", "table"
UNBOUNDED = 0  # a region's last row: the table goes on as far as the user's rows do
Region = tuple[int, int, int, int]  # first row, first column, last row (or UNBOUNDED), last column; 1-based


@dataclass(frozen=True)
class SnapField:
    """A key/value row (``position`` is its row) or a table column (``position`` is its column)."""

    key: str
    label: str
    position: int
    input: bool  # the user fills it
    choices: bool = False  # a dropdown column: a table row with only these filled is unused
    formula: bool = False


@dataclass(frozen=True)
class SnapBlock:
    """A block of a sheet. Tables are ``keyed`` when their first column is a fixed key the
    template writes (评分规则): their rows are matched by that key, not by position."""

    key: str
    kind: str  # FIELDS | TABLE
    top: int  # the header row (tables, field blocks with a header) or the first field's row
    first_data_row: int
    width: int  # columns the block spans
    fields: tuple[SnapField, ...]
    label_column: int = L.LABEL_COLUMN  # field blocks only
    value_column: int = L.VALUE_COLUMN  # field blocks only
    keyed: bool = False

    def field(self, key: str) -> SnapField | None:
        return next((field for field in self.fields if field.key == key), None)

    def cell(self, index: int, field: SnapField) -> tuple[int, int]:
        """(row, column), 1-based, of ``field`` in data row ``index`` (field blocks: 0)."""
        if self.kind == FIELDS:
            return field.position, self.value_column
        return self.first_data_row + index, field.position

    def address(self, index: int, field: SnapField) -> str:
        row, column = self.cell(index, field)
        return f"{get_column_letter(column)}{row}"

    def region(self) -> Region:
        if self.kind == FIELDS:
            return self.top, 1, max(field.position for field in self.fields), self.width
        return self.top, 1, UNBOUNDED, self.width


@dataclass(frozen=True)
class SnapSheet:
    key: str
    name: str
    required: bool
    blocks: tuple[SnapBlock, ...]
    regions: tuple[Region, ...]  # where the template writes: blocks, then notes
    template_only: bool = False  # 使用说明: every cell is the template's
    notes: tuple[str, ...] = ()  # the lines the template writes below the last table (where it ends)

    def block(self, key: str) -> SnapBlock | None:
        return next((block for block in self.blocks if block.key == key), None)

    def covers(self, row: int, column: int) -> bool:
        return any(top <= row and (last == UNBOUNDED or row <= last) and left <= column <= right
                   for top, left, last, right in self.regions)


@dataclass(frozen=True)
class LayoutSnapshot:
    version: int
    sheets: tuple[SnapSheet, ...]

    def sheet(self, key: str) -> SnapSheet | None:
        return next((sheet for sheet in self.sheets if sheet.key == key), None)

    def blocks(self):
        """(sheet, block) pairs in workbook order."""
        return ((sheet, block) for sheet in self.sheets for block in sheet.blocks)

    def block(self, key: str) -> tuple[SnapSheet, SnapBlock] | None:
        return next(((sheet, block) for sheet, block in self.blocks() if block.key == key), None)


# --- the current layout ----------------------------------------------------------------------

def _snap_block(sheet: L.SheetLayout, placed: L.Placed) -> SnapBlock:
    block = placed.block
    if isinstance(block, L.FieldBlock):
        fields = tuple(SnapField(f.key, f.label, sheet.field_row(block.key, f.key), f.is_input,
                                 bool(f.choices), f.formula is not None) for f in block.fields)
        return SnapBlock(block.key, FIELDS, placed.top, placed.first_data_row, len(block.widths), fields)
    table = L.table_of(block)
    fields = tuple(SnapField(f.key, f.label, index, f.is_input, bool(f.choices), f.formula is not None)
                   for index, f in enumerate(table.columns, start=1))
    keyed = not table.columns[0].editable and table.columns[0].formula is None
    return SnapBlock(block.key, TABLE, placed.top, placed.first_data_row, len(table.columns), fields, keyed=keyed)


def _snap_sheet(sheet: L.SheetLayout) -> SnapSheet:
    blocks = tuple(_snap_block(sheet, placed) for placed in sheet.placed())
    regions = [block.region() for block in blocks]
    if sheet.notes and sheet.blocks:  # notes start one blank row below the blocks (template.workbook)
        regions.append((sheet.placed()[-1].last_row() + 2, 1, UNBOUNDED, len(sheet.widths())))
    return SnapSheet(sheet.key, sheet.name, sheet.required, blocks, tuple(regions),
                     template_only=sheet.kind is L.SheetKind.GUIDE,
                     notes=tuple(str(note) for note in sheet.notes) if sheet.blocks else ())


def current_snapshot() -> LayoutSnapshot:
    """The snapshot of :mod:`addin.layout` as it is now (version :data:`LAYOUT_VERSION`)."""
    return LayoutSnapshot(L.LAYOUT_VERSION, tuple(_snap_sheet(sheet) for sheet in L.SHEETS))


# --- JSON ------------------------------------------------------------------------------------

def to_json(snapshot: LayoutSnapshot) -> str:
    def field(f: SnapField) -> dict:
        return {"key": f.key, "label": f.label, "position": f.position, "input": f.input,
                "choices": f.choices, "formula": f.formula}

    def block(b: SnapBlock) -> dict:
        return {"key": b.key, "kind": b.kind, "top": b.top, "first_data_row": b.first_data_row, "width": b.width,
                "label_column": b.label_column, "value_column": b.value_column, "keyed": b.keyed,
                "fields": [field(f) for f in b.fields]}

    data = {"version": snapshot.version, "sheets": [
        {"key": s.key, "name": s.name, "required": s.required, "template_only": s.template_only,
         "regions": [list(r) for r in s.regions], "notes": list(s.notes), "blocks": [block(b) for b in s.blocks]}
        for s in snapshot.sheets]}
    text = json.dumps(data, ensure_ascii=False, indent=1)
    # one field or region per line: a reviewer reads a layout change in the diff
    return re.sub(r"\{\n\s+\"key\"[^{}\[\]]*\}|\[\n[\s\d,]+\]",
                  lambda m: " ".join(m.group(0).split()).replace("[ ", "[").replace(" ]", "]")
                  .replace("{ ", "{").replace(" }", "}"), text) + "\n"


def from_json(text: str) -> LayoutSnapshot:
    data = json.loads(text)
    sheets = []
    for s in data["sheets"]:
        blocks = tuple(SnapBlock(b["key"], b["kind"], b["top"], b["first_data_row"], b["width"],
                                 tuple(SnapField(**f) for f in b["fields"]), b["label_column"], b["value_column"],
                                 b["keyed"]) for b in s["blocks"])
        sheets.append(SnapSheet(s["key"], s["name"], s["required"], blocks,
                                tuple(tuple(r) for r in s["regions"]), s["template_only"], tuple(s.get("notes", ()))))
    return LayoutSnapshot(data["version"], tuple(sheets))


SNAPSHOT_FOLDER = "layouts"


def snapshot_file_name(version: int) -> str:
    return f"layout_{version}.json"


@cache
def released_snapshots() -> dict[int, LayoutSnapshot]:
    """{version: snapshot} of every released layout shipped with the package."""
    folder = files(__package__) / SNAPSHOT_FOLDER
    found = {}
    for entry in folder.iterdir():
        if entry.name.startswith("layout_") and entry.name.endswith(".json"):
            snapshot = from_json(entry.read_text(encoding="utf-8"))
            found[snapshot.version] = snapshot
    return dict(sorted(found.items()))
