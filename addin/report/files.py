"""Output files of a report: atomic writes (through :mod:`addin.safe_open`) and safe names.

The user may have yesterday's 自评报告.docx open in Word or pinned in an e-mail draft; every
file is written next to it under a temporary name and swapped in only when complete.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import UserError
from ..safe_open import write_atomically_with


def write_atomically(path: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(temp_path)`` then move the result onto ``path``.

    A report is the file most often still open in Word or Excel (Windows then refuses the
    rename); that case is a UserError here because the ribbon buttons show UserErrors as
    messages, while other OSErrors reach :func:`addin.cli.main` or the ribbon's error log.
    """
    try:
        return write_atomically_with(path, write)
    except PermissionError:
        raise UserError(f"无法写入文件“{path}”，请先关闭已打开的该文件后重试") from None


def safe_file_stem(text: str) -> str:
    """A department name usable in a Windows file name (no \\ / : * ? " < > |)."""
    stem = "".join("_" if ch in '\\/:*?"<>|' or ord(ch) < 32 else ch for ch in text).strip(" .")
    return stem or "部门"
