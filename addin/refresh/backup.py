"""The dated backup a refresh leaves beside the file it replaces, and open-file detection.

The backup keeps the workbook's own extension so that it opens with a double click
(``填报_刷新前备份_20240115-103000.xlsm``); ``ziping batch`` skips such names
(:func:`is_refresh_backup`), so a folder of refreshed workbooks is not counted twice.

A workbook open in LibreOffice, WPS or Excel must not be refreshed in place: the
application would later save its stale copy over the refreshed file. They announce an open
file with a lock file beside it (LibreOffice ``.~lock.<name>#``; Excel and WPS ``~$<name>``,
Excel dropping the first two characters of long names).
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

BACKUP_MARK = "_刷新前备份_"
_BACKUP_NAME = re.compile(re.escape(BACKUP_MARK) + r"\d{8}-\d{6}(-\d+)?\.[^.]+$")


def backup_path(path: Path, now: datetime) -> Path:
    """A name beside ``path`` that is not taken: the stem, the mark, the time, the extension."""
    stamp = now.strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}{BACKUP_MARK}{stamp}{path.suffix}")
    number = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}{BACKUP_MARK}{stamp}-{number}{path.suffix}")
        number += 1
    return candidate


def is_refresh_backup(name: str) -> bool:
    return _BACKUP_NAME.search(name) is not None


def lock_file(path: Path) -> Path | None:
    """The lock file saying ``path`` is open in an application, or None."""
    names = (f".~lock.{path.name}#", f"~${path.name}", f"~${path.name[2:]}")
    return next((path.with_name(name) for name in names if path.with_name(name).exists()), None)
