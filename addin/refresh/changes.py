"""What a refresh changed: formula cells that showed something else before (``#NAME?`` in
LibreOffice, a stale number), and each project's 总分 and 等级 before and after.

Both sides are compared as shown text: before, what the file's cached value looked like
under its cell's format; after, the fresh cached value under the template's format.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import layout as L
from ..reading.typed import shown
from ..template.contents import Contents, plain
from .migrate import RENAMES, Renames, renamed
from .rebuild import Cached
from .source import CellKey, SourceWorkbook

# How a row is named in a change line: the 三级指标, the project, the project's fund line.
ROW_NAMES = {"indicators": ("level3",), "projects": ("name",), "funds": ("project", "category")}


@dataclass(frozen=True)
class Change:
    sheet: str
    cell: str
    what: str  # "规则得分（产商品检验批次）"
    before: str
    after: str

    def __str__(self) -> str:
        return f"「{self.sheet}」{self.cell} {self.what}：{self.before or '（空）'} → {self.after or '（空）'}"


@dataclass(frozen=True)
class ProjectTotal:
    name: str
    total: str
    grade: str
    before_total: str
    before_grade: str

    @property
    def changed(self) -> bool:
        return (self.total, self.grade) != (self.before_total, self.before_grade)


def _before(source: SourceWorkbook, renames: Renames) -> dict[CellKey, str]:
    """The source's formula results under today's keys."""
    found = {}
    for (block, index, key), text in source.results.items():
        block, key = renamed(source.version, L.LAYOUT_VERSION, block, key, renames)
        found[(block, index, key)] = text
    return found


def _row_name(contents: Contents, block: str, index: int) -> str:
    rows = contents.get(block, [])
    row = rows[index] if index < len(rows) else {}
    return "".join(str(plain(row.get(key)) or "") for key in ROW_NAMES.get(block, ()))


def score_changes(source: SourceWorkbook, contents: Contents, cached: Cached,
                  renames: Renames = RENAMES) -> list[Change]:
    """Every formula cell (long 评分说明 texts aside) whose shown text the refresh changed."""
    before = _before(source, renames)
    changes = []
    for sheet in L.SHEETS:
        values = cached.get(sheet.name, {})
        for placed in sheet.placed():
            block = placed.block
            if isinstance(block, L.FieldBlock):
                cells = [(0, field, sheet.field_cell(block.key, field.key)) for field in block.fields if field.formula]
            else:
                table = L.table_of(block)
                count = max([len(contents.get(block.key, []))]
                            + [index + 1 for (key, index, _), text in before.items() if key == block.key and text])
                cells = [(index, field, f"{table.letter(field.key)}{placed.first_data_row + index}")
                         for index in range(count) for field in table.columns if field.formula and not field.wrap]
            for index, field, address in cells:
                after = shown(values.get(address), field.number_format)
                old = before.get((block.key, index, field.key), "")
                if old != after:
                    name = _row_name(contents, block.key, index)
                    what = f"{field.label}（{name}）" if name else field.label
                    changes.append(Change(sheet.name, address, what, old, after))
    return changes


def project_totals(source: SourceWorkbook, contents: Contents, cached: Cached,
                   renames: Renames = RENAMES) -> list[ProjectTotal]:
    """总分 and 等级 of every project row, before and after."""
    before = _before(source, renames)
    table = L.table_of(L.PROJECTS.place("projects").block)
    first = L.PROJECTS.place("projects").first_data_row
    values = cached.get(L.PROJECTS.name, {})
    totals = []
    for index, row in enumerate(contents.get("projects", [])):
        name = plain(row.get("name"))
        if not name:
            continue
        cell = lambda key: f"{table.letter(key)}{first + index}"  # noqa: E731
        totals.append(ProjectTotal(str(name), shown(values.get(cell("total")), table.column("total").number_format),
                                   shown(values.get(cell("grade"))), before.get(("projects", index, "total"), ""),
                                   before.get(("projects", index, "grade"), "")))
    return totals
