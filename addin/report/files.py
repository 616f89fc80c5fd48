"""Atomic file writes: a crash or a full disk never leaves half a report behind.

The user may have yesterday's 自评报告.docx open in Word or pinned in an e-mail draft; we
write next to it under a temporary name and swap it in with ``os.replace`` only when the
new file is complete.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..errors import UserError


def write_atomically(path: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(temp_path)`` then move the result onto ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=path.parent)
    os.close(handle)
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(temp, 0o666 & ~umask)  # mkstemp makes owner-only files; a report is an ordinary file
        write(Path(temp))
        os.replace(temp, path)
    except PermissionError:
        raise UserError(f"无法写入文件“{path}”，请先关闭已打开的该文件后重试") from None
    finally:
        if os.path.exists(temp):
            os.remove(temp)
    return path


def safe_file_stem(text: str) -> str:
    """A department name usable in a Windows file name (no \\ / : * ? " < > |)."""
    stem = "".join("_" if ch in '\\/:*?"<>|' or ord(ch) < 32 else ch for ch in text).strip(" .")
    return stem or "部门"
