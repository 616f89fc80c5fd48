"""``ziping new 2024.xlsm --from 2023.xlsm``: next year's workbook from this year's.

What carries over is what a department keeps from one year to the next: who it is (名称,
主要职责), its projects, their indicators with targets and weights, the weight of the 预算执行率,
its 评分规则 and connection settings. What is cleared is what the new year must state anew:
every amount, every 实际完成值, 人工得分 and 偏差原因, the project's 实际完成情况 and the
narrative paragraphs (基本情况, 工作成效, 存在问题与改进措施), the report's title, opening and date.
Fields not named in :data:`KEPT` are cleared, so a column a later template adds starts empty.

Cells are carried as they are (a target keeps its format); the year advances by one. Targets
that name the old year ("2023年12月31日前") are listed: they are next year's to rewrite.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .. import layout as L
from ..errors import UserError
from ..reading.typed import shown
from ..template.contents import Contents, Row, Typed, plain
from .migrate import CONF_BLOCK, PROFILE_BLOCK, USER_SETTINGS
from .snapshot import FIELDS, LayoutSnapshot, current_snapshot
from .source import Leftover

KEPT: dict[str, frozenset[str]] = {
    "info": frozenset({"name"}),
    "projects": frozenset({"name", "department", "implementer", "goal_expected"}),
    "funds": frozenset({"project", "category", "weight"}),
    "indicators": frozenset({"project", "level1", "level2", "level3", "target", "weight"}),
}
KEPT_SECTIONS = frozenset({"duties"})  # 主要职责: the department's standing description
WHOLE_BLOCKS = frozenset({PROFILE_BLOCK, CONF_BLOCK})  # settings, not the year's data
YEAR_FIELD = ("info", "year")
STALE_FIELDS = (("indicators", "target"), ("projects", "goal_expected"))


@dataclass(frozen=True)
class NextYear:
    contents: Contents
    old_year: int
    year: int
    carried: tuple[str, ...]  # one line per block: what came over
    cleared: tuple[str, ...]  # one line per block: what was emptied
    stale: tuple[Leftover, ...]  # carried cells that still name the old year


def _year_of(contents: Contents) -> int | None:
    cell = (contents.get("info") or [{}])[0].get("year")
    value = plain(cell)
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and float(value).is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _filled(value: object) -> bool:
    return value is not None and not (isinstance(value, Typed) and value.value is None and not value.formula)


def next_year(contents: Contents, year: int | None = None, snapshot: LayoutSnapshot | None = None) -> NextYear:
    """Next year's contents from this year's (both in the current layout)."""
    snapshot = snapshot or current_snapshot()
    old_year = _year_of(contents)
    if old_year is None and year is None:
        where = f"{L.INFO.name}」单元格{L.INFO.field_cell('info', 'year')}"
        raise UserError(f"原工作簿的年度（「{where}）未填写或不是整数，无法推算下一年度；请用 --year 指定新年度")
    new_year = year if year is not None else old_year + 1
    result: Contents = {}
    carried, cleared = [], []
    for sheet, block in snapshot.blocks():
        rows = contents.get(block.key, [])
        if block.key in WHOLE_BLOCKS:
            result[block.key] = rows
            if block.key == PROFILE_BLOCK or any(_filled(rows[0].get(key)) for key in USER_SETTINGS if rows):
                carried.append(f"「{sheet.name}」全部设置")
            continue
        sections = _paragraph_sections(block.key)
        if sections is not None:
            kept_rows, line_kept, line_cleared = _paragraphs(sheet.name, block.key, rows, sections)
            result[block.key] = kept_rows
        else:
            result[block.key], line_kept, line_cleared = _fields(sheet.name, block, rows)
        carried += line_kept
        cleared += line_cleared
    info = result.setdefault("info", [{}])
    if not info:
        info.append({})
    old_cell = (contents.get("info") or [{}])[0].get("year")
    number_format = old_cell.number_format if isinstance(old_cell, Typed) else "General"
    info[0] = {**info[0], "year": Typed(float(new_year), number_format)}
    carried.insert(0, f"「{L.INFO.name}」年度：{old_year if old_year is not None else '（空）'} → {new_year}")
    stale = _stale(result, snapshot, old_year) if old_year is not None else ()
    return NextYear(result, old_year or 0, new_year, tuple(carried), tuple(cleared), stale)


def _paragraph_sections(block_key: str) -> tuple[L.Section, ...] | None:
    for sheet in L.SHEETS:
        for placed in sheet.placed():
            if placed.block.key == block_key and isinstance(placed.block, L.ParagraphBlock):
                return placed.block.sections
    return None


def _paragraphs(sheet: str, block_key: str, rows: list[Row], sections) -> tuple[list[Row], list[str], list[str]]:
    """Rows of the kept sections, in order (a blank 栏目 continues the section above)."""
    attrs = {section.label: section.attr for section in sections}
    labels = {section.attr: section.label for section in sections}
    kept: list[Row] = []
    counts: dict[str, list[int]] = {}  # section attr -> [kept, cleared]
    current = None
    for row in rows:
        label = plain(row.get("section"))
        if label:
            current = attrs.get(str(label))
        if not _filled(row.get("text")) and not label:
            continue
        keep = current in KEPT_SECTIONS
        counts.setdefault(current or "", [0, 0])[0 if keep else 1] += 1
        if keep:
            kept.append(row)
    line_kept = [f"「{sheet}」{labels[attr]}：{done}段" for attr, (done, _) in counts.items() if done and attr]
    gone = [f"{labels.get(attr, '未选栏目')}{count}段" for attr, (_, count) in counts.items() if count]
    return kept, line_kept, [f"「{sheet}」{'、'.join(gone)}"] if gone else []


def _fields(sheet: str, block, rows: list[Row]) -> tuple[list[Row], list[str], list[str]]:
    kept_keys = KEPT.get(block.key, frozenset())
    kept_rows, seen_kept, seen_cleared = [], {}, {}
    for row in rows:
        new_row = {}
        for key, value in row.items():
            if not _filled(value) or (block.key, key) == YEAR_FIELD:
                continue
            if key in kept_keys:
                new_row[key] = value
                seen_kept[key] = seen_kept.get(key, 0) + 1
            else:
                seen_cleared[key] = seen_cleared.get(key, 0) + 1
        kept_rows.append(new_row)
    while kept_rows and not kept_rows[-1]:
        kept_rows.pop()
    label = {field.key: field.label for field in block.fields}
    order = [field.key for field in block.fields]
    used = sum(1 for row in kept_rows if row)
    rows_text = f"{used}行：" if block.kind != FIELDS else ""
    kept = [f"「{sheet}」{rows_text}{'、'.join(label[k] for k in order if k in seen_kept)}"] if seen_kept else []
    if block.kind == FIELDS and not seen_kept:
        cleared_text = f"已填的{len(seen_cleared)}项"
    elif block.kind == FIELDS:
        cleared_text = "、".join(label[k] for k in order if k in seen_cleared)
    else:
        cleared_text = "、".join(f"{label[k]}（{seen_cleared[k]}个）" for k in order if k in seen_cleared)
    return kept_rows, kept, [f"「{sheet}」{cleared_text}"] if seen_cleared else []


def _stale(contents: Contents, snapshot: LayoutSnapshot, old_year: int) -> tuple[Leftover, ...]:
    found = []
    for block_key, key in STALE_FIELDS:
        sheet, block = snapshot.block(block_key)
        field = block.field(key)
        for index, row in enumerate(contents.get(block_key, [])):
            value = plain(row.get(key))
            if (isinstance(value, str) and str(old_year) in value) or (isinstance(value, date) and value.year == old_year):
                cell = row[key]
                text = shown(value, cell.number_format if isinstance(cell, Typed) else "General")
                found.append(Leftover(sheet.name, block.address(index, field), text))
    return tuple(found)
