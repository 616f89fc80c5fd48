"""``ziping refresh``: read a workbook whole, rebuild it from the current template, replace it
safely.

The order is what makes it safe: everything is read, carried and rebuilt in memory first;
a file that cannot be read whole is refused before anything is written. Then, when the
bytes differ from what the output holds, the old file is kept as a dated backup and the new
one written atomically (temp file, fsync, rename). Refreshing a refreshed workbook gives the
same bytes, so a second run writes nothing and leaves no backup.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from os import PathLike
from pathlib import Path
from typing import Mapping

from ..errors import UserError
from ..reading.safe_open import write_atomically
from .backup import backup_path, lock_file
from .changes import Change, ProjectTotal, project_totals, score_changes
from .migrate import RENAMES, Carried, Renames, carry
from .rebuild import Rebuilt, rebuild
from .snapshot import LayoutSnapshot
from .source import Leftover, SourceWorkbook, read_source

MACRO_SUFFIX = ".xlsm"
LISTED = 3  # cells quoted in a refusal


@dataclass(frozen=True)
class RefreshOutcome:
    source: SourceWorkbook
    output: Path
    backup: Path | None  # the replaced file's copy; None when nothing was replaced
    unchanged: bool  # the output already held exactly these bytes: nothing written
    carried: Carried
    rebuilt: Rebuilt
    changes: tuple[Change, ...]
    totals: tuple[ProjectTotal, ...]


def output_path(path: Path, output: str | PathLike[str] | None) -> Path:
    """In place by default; a workbook LibreOffice saved as .xlsx becomes the .xlsm beside it
    (a macro workbook under an .xlsx name is a file Excel refuses to open)."""
    if output is None:
        return path if path.suffix.lower() == MACRO_SUFFIX else path.with_suffix(MACRO_SUFFIX)
    output = Path(output)
    if output.suffix.lower() != MACRO_SUFFIX:
        raise UserError(f"输出文件“{output.name}”应以 .xlsm 结尾：刷新后的工作簿含有宏（功能区按钮和自定义函数）")
    return output


def refuse_incomplete(source: SourceWorkbook, carried: Carried) -> None:
    """Refuse (nothing written) a workbook holding content the refreshed one would lose."""
    reasons = [f"工作表「{name}」不是模板的工作表，刷新后会丢失" for name in source.extra_sheets]
    for cells, why in ((source.leftovers, "在模板的填写区域之外"), (carried.uncarried, "在当前模板中没有对应的位置")):
        if cells:
            listed = "、".join(str(cell) for cell in cells[:LISTED])
            more = f"等{len(cells)}个单元格" if len(cells) > LISTED else ""
            reasons.append(f"{listed}{more}{why}，刷新后会丢失")
    if reasons:
        raise UserError(f"“{source.path.name}”不能完整读取，未作任何修改：{'；'.join(reasons)}。"
                        "请先把这些内容移到模板的填写区域或另一个工作簿，再运行 ziping refresh")


def refresh_workbook(path: str | PathLike[str], output: str | PathLike[str] | None = None,
                     now: datetime | None = None, snapshots: Mapping[int, LayoutSnapshot] | None = None,
                     renames: Renames = RENAMES) -> RefreshOutcome:
    """Refresh ``path`` into ``output`` (default: in place). ``now`` dates the backup;
    ``snapshots`` and ``renames`` (default: the released ones) exist for tests of upgrades."""
    path = Path(path)
    target = output_path(path, output)
    source = read_source(path, snapshots)
    carried = carry(source, renames=renames)
    refuse_incomplete(source, carried)
    rebuilt = rebuild(carried.contents, target)
    backup, unchanged = _replace(source, target, rebuilt.data, now or datetime.now())
    return RefreshOutcome(source, target, backup, unchanged, carried, rebuilt,
                          tuple(score_changes(source, carried.contents, rebuilt.cached, renames)),
                          tuple(project_totals(source, carried.contents, rebuilt.cached, renames)))


def _replace(source: SourceWorkbook, target: Path, data: bytes, now: datetime) -> tuple[Path | None, bool]:
    """Write ``data`` to ``target`` keeping what it replaces; (backup, unchanged)."""
    if target.is_dir():
        raise UserError(f"“{target}”是文件夹，请指定工作簿的文件名")
    lock = lock_file(target)
    if lock is not None:
        raise UserError(f"“{target.name}”正在被 LibreOffice、WPS 或 Excel 打开（找到锁文件“{lock.name}”），"
                        "请先关闭它再刷新，否则该程序保存时会覆盖刷新的结果；如果程序已经关闭，请删除这个锁文件")
    existing = target.read_bytes() if target.exists() else None
    if existing == data:
        return None, True
    same = existing is not None and os.path.samefile(source.path, target)
    if same and existing != source.data:
        raise UserError(f"“{target.name}”在刷新期间被修改过，未作任何修改；请保存并关闭它后重新运行 ziping refresh")
    backup = None
    if existing is not None:
        backup = write_atomically(backup_path(target, now), existing, mode=target.stat().st_mode & 0o7777)
    write_atomically(target, data)
    return backup, False


__all__ = ["Leftover", "RefreshOutcome", "output_path", "refresh_workbook", "refuse_incomplete"]
