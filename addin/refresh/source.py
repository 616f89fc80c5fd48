"""Read a user's workbook cell by cell, by the snapshot of the layout it was made with.

What is read is not the scored model but the cells themselves: each input cell's stored
value, its number format and (when the user typed one) its formula, as :class:`Typed`
cells keyed by (block, row index, field key). Copied back that way a 97.30% stays 97.30%
and a date stays a date, whatever the model would have made of them.

A workbook is read whole or not at all (:class:`UserError`, nothing is written): every
label and header must be where its layout version puts it (a shifted row would put every
figure into the wrong field). What the template would not carry over — cells outside the
template's regions, sheets that are neither the template's nor generated — is collected in
:attr:`SourceWorkbook.leftovers` and :attr:`SourceWorkbook.extra_sheets`; ``ziping refresh``
refuses such a file, ``ziping new --from`` lists what it leaves behind.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Mapping

from defusedxml.ElementTree import fromstring as parse_xml
from openpyxl.utils import get_column_letter

from .. import layout as L
from ..checks import CHECK_SHEET
from ..errors import UserError
from ..reading.grid import SheetGrid, load_grids
from ..reading.typed import shown
from ..report.sheetkit import is_generated_sheet
from ..reading.safe_open import FileKind, open_spreadsheet
from ..template.contents import Typed
from .formulas import Formulas, package_formulas
from .snapshot import FIELDS, LayoutSnapshot, SnapBlock, SnapSheet, released_snapshots

CellKey = tuple[str, int, str]  # (block key, data row index (0 for field blocks), field key)
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
MAX_SHOWN = 20  # characters of a cell's text quoted in a message


@dataclass(frozen=True)
class Leftover:
    """A cell a refresh would not carry: where it is and what it shows."""

    sheet: str
    cell: str
    text: str

    def __str__(self) -> str:
        text = self.text if len(self.text) <= MAX_SHOWN else self.text[:MAX_SHOWN] + "…"
        return f"「{self.sheet}」{self.cell}「{text}」"


@dataclass(frozen=True)
class SourceWorkbook:
    """Everything of a workbook that a refresh carries, read by its layout version."""

    path: Path
    data: bytes
    snapshot: LayoutSnapshot
    marked: bool  # the version came from the workbook's own marker, not from its labels
    inputs: Mapping[CellKey, Typed]  # filled input cells
    keyed: Mapping[str, Mapping[str, Mapping[str, Typed]]]  # keyed block -> {key text: {field: cell}}
    results: Mapping[CellKey, str]  # formula cells as the file showed them ("#NAME?", "5.00")
    typed_over: tuple[Leftover, ...]  # constants where the template has a formula
    uncached: tuple[Leftover, ...]  # the user's formulas the file holds no result for
    leftovers: tuple[Leftover, ...]  # content outside the template's regions
    extra_sheets: tuple[str, ...]  # sheets with content that the template does not have
    generated_sheets: tuple[str, ...]  # 自评表, 自评报告, 校验结果: written again
    empty_sheets: tuple[str, ...]  # sheets of the user's without content: not kept

    @property
    def version(self) -> int:
        return self.snapshot.version

    @property
    def input_count(self) -> int:
        return len(self.inputs) + sum(len(row) for rows in self.keyed.values() for row in rows.values())


def read_source(path: str | PathLike[str], snapshots: Mapping[int, LayoutSnapshot] | None = None) -> SourceWorkbook:
    """Read ``path`` (any application's .xlsx/.xlsm) whole, or raise :class:`UserError`."""
    file = open_spreadsheet(path)
    name = file.path.name
    if file.kind is FileKind.XLS:
        raise UserError(f"“{name}”是旧版 .xls 文件，不是绩效自评助手的填报工作簿；官方格式的自评表请用“ziping import”导入")
    grids = {grid.name: grid for grid in load_grids(file)}
    if L.INFO.name not in grids or L.INDICATORS.name not in grids:
        raise UserError(f"“{name}”不是绩效自评助手的填报工作簿（没有「{L.INFO.name}」「{L.INDICATORS.name}」工作表），"
                        "无法刷新；官方格式的自评表请用“ziping import”导入")
    snapshots = released_snapshots() if snapshots is None else snapshots
    marker = layout_marker(file.data)
    snapshot = _choose_snapshot(name, marker, grids, snapshots)
    formulas = package_formulas(file.data, [sheet.name for sheet in snapshot.sheets])
    return _Extraction(snapshot, grids, formulas).result(file.path, file.data, marker is not None)


# --- which layout ----------------------------------------------------------------------------

def layout_marker(data: bytes) -> int | None:
    """The layout version the workbook states (the :data:`L.LAYOUT_VERSION_NAME` name), or None."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        workbook = "xl/workbook.xml"
        if "_rels/.rels" in names:
            for rel in parse_xml(archive.read("_rels/.rels")).iter(f"{_RELS}Relationship"):
                if rel.get("Type", "").endswith("/officeDocument"):
                    workbook = rel.get("Target", workbook).lstrip("/")
        if workbook not in names:
            return None
        root = parse_xml(archive.read(workbook))
    for defined in root.iter(f"{_MAIN}definedName"):
        if defined.get("name") == L.LAYOUT_VERSION_NAME and defined.get("localSheetId") is None:
            text = (defined.text or "").strip().lstrip("=").strip()
            return int(text) if text.isdigit() else None
    return None


def _choose_snapshot(name: str, marker: int | None, grids: Mapping[str, SheetGrid],
                     snapshots: Mapping[int, LayoutSnapshot]) -> LayoutSnapshot:
    """The marked version's snapshot; without a marker (a workbook made before versions were
    written, or an application that dropped the name) the newest whose labels all match."""
    newest = max(snapshots)
    if marker is not None:
        if marker not in snapshots:
            if marker > newest:
                raise UserError(f"“{name}”由更新版本的绩效自评助手生成（模板布局版本{marker}，本程序只能读取到版本{newest}），"
                                "请先升级绩效自评助手：pip install -U jixiao-ziping")
            raise UserError(f"“{name}”标明的模板布局版本{marker}不是已发布的版本，无法读取")
        _check_labels(snapshots[marker], grids)
        return snapshots[marker]
    for version in sorted(snapshots, reverse=True):
        if _label_mismatch(snapshots[version], grids) is None:
            return snapshots[version]
    _check_labels(snapshots[newest], grids)
    raise AssertionError("unreachable: the newest snapshot's labels matched")


def _label_mismatch(snapshot: LayoutSnapshot, grids: Mapping[str, SheetGrid]) -> UserError | None:
    """The first missing sheet or moved label, as the error to raise; None when all are in place."""
    for sheet in snapshot.sheets:
        grid = grids.get(sheet.name)
        if grid is None:
            if sheet.required:
                return UserError(f"工作簿缺少工作表「{sheet.name}」，无法完整读取，未作任何修改；"
                                 "请不要删除或重命名模板的工作表", sheet=sheet.name)
            continue
        for block in sheet.blocks:
            for row, column, label in _labels(block):
                found = shown(_value(grid, row, column))
                if found != label:
                    return UserError(f"此处应为「{label}」，实际为「{found}」：模板的行列被移动或改写，"
                                     "无法完整读取，未作任何修改", sheet=sheet.name,
                                     cell=f"{get_column_letter(column)}{row}")
    return None


def _check_labels(snapshot: LayoutSnapshot, grids: Mapping[str, SheetGrid]) -> None:
    mismatch = _label_mismatch(snapshot, grids)
    if mismatch is not None:
        raise mismatch


def _labels(block: SnapBlock):
    """(row, column, label) of every label the template writes for ``block``."""
    if block.kind == FIELDS:
        for field in block.fields:
            yield field.position, block.label_column, field.label
        return
    for field in block.fields:
        yield block.top, field.position, field.label


def _value(grid: SheetGrid, row: int, column: int) -> object:
    if row - 1 < len(grid.rows) and column - 1 < len(grid.rows[row - 1]):
        return grid.rows[row - 1][column - 1]
    return None


# --- the cells -------------------------------------------------------------------------------

class _Extraction:
    def __init__(self, snapshot: LayoutSnapshot, grids: Mapping[str, SheetGrid], formulas: Mapping[str, Formulas]):
        self.snapshot, self.grids, self.formulas = snapshot, grids, formulas
        self.inputs: dict[CellKey, Typed] = {}
        self.keyed: dict[str, dict[str, dict[str, Typed]]] = {}
        self.results: dict[CellKey, str] = {}
        self.typed_over: list[Leftover] = []
        self.uncached: list[Leftover] = []
        self.leftovers: list[Leftover] = []

    def result(self, path: Path, data: bytes, marked: bool) -> SourceWorkbook:
        for sheet in self.snapshot.sheets:
            grid = self.grids.get(sheet.name)
            if grid is None:
                continue
            for block in sheet.blocks:
                self._block(sheet, block, grid)
            if not sheet.template_only:
                self._outside(sheet, grid)
        known = {sheet.name for sheet in self.snapshot.sheets}
        others = [name for name in self.grids if name not in known]
        generated = tuple(name for name in others if _generated(name))
        extra = tuple(name for name in others if name not in generated and _has_content(self.grids[name]))
        empty = tuple(name for name in others if name not in generated and name not in extra)
        return SourceWorkbook(path, data, self.snapshot, marked, self.inputs, self.keyed, self.results,
                              tuple(self.typed_over), tuple(self.uncached), tuple(self.leftovers), extra,
                              generated, empty)

    def _cell(self, sheet: SnapSheet, grid: SheetGrid, row: int, column: int, input: bool = True) -> Typed | None:
        """The cell as found: None when it holds neither a value nor a formula. An input
        formula without a cached result is noted (its value is unknown here)."""
        value = _value(grid, row, column)
        formulas = self.formulas.get(sheet.name, Formulas())
        formula = formulas.get((row, column))
        if value is None and formula is None:
            return None
        if input and formula is not None and (row, column) in formulas.uncached:
            self.uncached.append(Leftover(sheet.name, f"{get_column_letter(column)}{row}", formula))
        return Typed(value, grid.number_format(row - 1, column - 1), formula)

    def _block(self, sheet: SnapSheet, block: SnapBlock, grid: SheetGrid) -> None:
        if block.kind == FIELDS:
            self._row(sheet, block, grid, 0)
            return
        for index in range(len(grid.rows) - block.first_data_row + 1):
            if self._is_note(sheet, grid, block, index):
                break  # the template's notes follow the last table: its rows end here
            if block.keyed:
                self._keyed_row(sheet, block, grid, index)
            else:
                self._row(sheet, block, grid, index)

    @staticmethod
    def _is_note(sheet: SnapSheet, grid: SheetGrid, block: SnapBlock, index: int) -> bool:
        row, column = block.cell(index, block.fields[0])
        return bool(sheet.notes) and shown(_value(grid, row, column)) == sheet.notes[0]

    def _row(self, sheet: SnapSheet, block: SnapBlock, grid: SheetGrid, index: int) -> None:
        for field in block.fields:
            row, column = block.cell(index, field)
            cell = self._cell(sheet, grid, row, column, field.input)
            if field.input and cell is not None:
                self.inputs[(block.key, index, field.key)] = cell
            elif field.formula:
                self.results[(block.key, index, field.key)] = "" if cell is None else shown(cell.value, cell.number_format)
                if cell is not None and cell.formula is None and cell.value is not None:
                    self.typed_over.append(Leftover(sheet.name, block.address(index, field), shown(cell.value, cell.number_format)))

    def _keyed_row(self, sheet: SnapSheet, block: SnapBlock, grid: SheetGrid, index: int) -> None:
        key_field = block.fields[0]
        key = shown(_value(grid, *block.cell(index, key_field)))
        cells = {}
        for field in block.fields:
            if field.input:
                cell = self._cell(sheet, grid, *block.cell(index, field))
                if cell is not None:
                    cells[field.key] = cell
        if key and key not in self.keyed.get(block.key, {}):
            self.keyed.setdefault(block.key, {})[key] = cells  # empty: the user cleared the value
        else:  # a value beside no key (or a repeated one) has nowhere to go
            for field_key, cell in cells.items():
                field = block.field(field_key)
                self.leftovers.append(Leftover(sheet.name, block.address(index, field), shown(cell.value, cell.number_format)))

    def _outside(self, sheet: SnapSheet, grid: SheetGrid) -> None:
        for r, values in enumerate(grid.rows, start=1):
            for c, value in enumerate(values, start=1):
                if value is not None and not sheet.covers(r, c):
                    text = shown(value, grid.number_format(r - 1, c - 1))
                    self.leftovers.append(Leftover(sheet.name, f"{get_column_letter(c)}{r}", text))


def _generated(name: str) -> bool:
    """Sheets the add-in writes and a refresh writes again: 自评表…, 自评报告, 校验结果."""
    return is_generated_sheet(name) or name == CHECK_SHEET


def _has_content(grid: SheetGrid) -> bool:
    return any(value is not None for row in grid.rows for value in row)
