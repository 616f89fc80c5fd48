"""Carry the cells of a workbook into the current layout: the template upgrade.

A cell moves by its key, not its address: (block, row index, field key) in the workbook's
layout version becomes the same (block, row index, field key) today, wherever today's
layout puts that block and column. Keys renamed between two released layouts are declared
in :data:`RENAMES` (version v's key -> version v+1's), applied step by step from the
workbook's version up to the current one. An input that has no place in today's layout is
reported (:attr:`Carried.uncarried`), never silently dropped.

Two blocks are matched differently, because their rows are the template's, not the user's:

* 评分规则 rows are matched by their key text (项目), so a setting keeps its value when a
  later template adds, removes or reorders settings; new settings get the national default;
* xlwings.conf: the user's own settings (the interpreter path and the like, which the
  template leaves blank) are carried; the settings the template fills in (UDF Modules and
  the switches it says to leave alone) are the current template's, so an upgrade reaches them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .. import layout as L
from ..reading.typed import shown
from ..template.contents import Contents, Row, Typed, plain, profile_contents, ui_text_contents
from .snapshot import FIELDS, LayoutSnapshot, current_snapshot
from .source import CellKey, Leftover, SourceWorkbook

Renames = Mapping[int, Mapping[tuple[str, str], tuple[str, str]]]
# version -> {(block key, field key) in that version: (block key, field key) in the next}
RENAMES: Renames = {}
PROFILE_BLOCK, CONF_BLOCK, UI_TEXTS_BLOCK = "profile", "xlwings_conf", "ui_texts"
USER_SETTINGS = frozenset(key for key, value in L.XLWINGS_CONF_VALUES.items() if value is None)


@dataclass(frozen=True)
class Carried:
    """The current layout's contents, and what could not or would not be carried."""

    contents: Contents
    uncarried: tuple[Leftover, ...] = ()  # inputs with no place in the current layout
    reset: tuple[str, ...] = ()  # template-owned xlwings.conf settings put back ("Debug UDFs")
    dropped_settings: tuple[str, ...] = ()  # 评分规则 keys today's template no longer has


def renamed(version: int, target: int, block: str, key: str, renames: Renames = RENAMES) -> tuple[str, str]:
    """Where (block, key) of layout ``version`` lives in layout ``target``."""
    for step in range(version, target):
        block, key = renames.get(step, {}).get((block, key), (block, key))
    return block, key


def carry(source: SourceWorkbook, current: LayoutSnapshot | None = None, renames: Renames = RENAMES) -> Carried:
    current = current or current_snapshot()
    contents: Contents = {}
    uncarried = []
    for (block_key, index, key), cell in source.inputs.items():
        if block_key in (CONF_BLOCK, UI_TEXTS_BLOCK):
            continue
        target_block, target_key = renamed(source.version, current.version, block_key, key, renames)
        found = current.block(target_block)
        field = found[1].field(target_key) if found else None
        if found is None or field is None or not field.input or (found[1].kind == FIELDS and index):
            uncarried.append(_leftover(source, (block_key, index, key), cell))
            continue
        rows = contents.setdefault(target_block, [])
        rows.extend({} for _ in range(index + 1 - len(rows)))
        rows[index][target_key] = cell
    profile, dropped = _profile(source)
    conf, reset = _conf(source)
    contents[PROFILE_BLOCK], contents[CONF_BLOCK] = profile, [conf]
    contents[UI_TEXTS_BLOCK] = ui_text_contents()  # the template's own texts, whatever the file held
    return Carried(contents, tuple(uncarried), reset, dropped)


def _leftover(source: SourceWorkbook, key: CellKey, cell: Typed) -> Leftover:
    block_key, index, field_key = key
    sheet, block = source.snapshot.block(block_key)
    return Leftover(sheet.name, block.address(index, block.field(field_key)), shown(cell.value, cell.number_format))


def _profile(source: SourceWorkbook) -> tuple[list[Row], tuple[str, ...]]:
    """Today's 评分规则 rows, each with the workbook's value for its key when it had one."""
    found = source.keyed.get(PROFILE_BLOCK, {})
    rows = []
    for row in profile_contents():
        cells = found.get(row["key"])
        if cells is not None:
            row = {**row, "value": cells.get("value")}
        rows.append(row)
    known = {row["key"] for row in rows}
    return rows, tuple(key for key in found if key not in known)


def _conf(source: SourceWorkbook) -> tuple[Row, tuple[str, ...]]:
    row: Row = dict(L.XLWINGS_CONF_VALUES)
    reset = []
    for key, template_value in L.XLWINGS_CONF_VALUES.items():
        cell = source.inputs.get((CONF_BLOCK, 0, key))
        if key in USER_SETTINGS:
            row[key] = cell
        elif cell is not None and not _same_setting(plain(cell), template_value):
            reset.append(key)
    return row, tuple(reset)


def _same_setting(found: object, template: object) -> bool:
    """xlwings reads its settings as text, case-insensitively ("false" is FALSE)."""
    return str(found).strip().upper() == str(template).strip().upper()
