"""Output files of a report: atomic writes (through :mod:`addin.reading.safe_open`) and safe names.

The user may have yesterday's 自评报告.docx open in Word or pinned in an e-mail draft; every
file is written next to it under a temporary name and swapped in only when complete.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable
from pathlib import Path

from ..reading.safe_open import write_atomically_with


def write_atomically(path: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(temp_path)`` then move the result onto ``path``.

    A report is the file most often still open in Word or Excel (Windows then refuses the
    rename); that and every other write failure is a UserError
    (:class:`addin.errors.OutputError`, naming ``path``) because the ribbon buttons show
    UserErrors as messages.
    """
    return write_atomically_with(path, write)


# A file name must fit the file system (255 bytes on ext4, 255 UTF-16 units on NTFS) with the
# "_2022_自评报告.docx" ending and the temp name's extra characters: a stem longer than this is
# cut and given a hash of the whole name, so two long names that share a beginning stay apart
# and the same department gets the same file name every year.
MAX_STEM_BYTES = 150
_KEPT_BYTES = MAX_STEM_BYTES - 9
_WINDOWS_FORBIDDEN = set('\\/:*?"<>|')
# Excel's lock files start "~$" (batch skips them); a leading "." hides a file; "-" reads as an option.
_LEADING = "~$.- "
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_file_stem(text: str) -> str:
    """A department name usable as the start of a file name on Windows and Linux.

    Path separators and Windows' forbidden characters become "_"; control, format (bidi
    overrides such as U+202E, zero-width characters), separator and unassigned characters are
    dropped, so a name cannot disguise the file's real extension; a leading "~$" (Excel's lock
    files, which ``ziping batch`` skips), dots, dashes and spaces are removed; Windows device
    names get a "_"; a name too long for the file system is shortened with a stable hash.
    """
    kept = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in _WINDOWS_FORBIDDEN:
            kept.append("_")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            continue
        else:
            kept.append(" " if ch.isspace() else ch)
    stem = "".join(kept).lstrip(_LEADING).rstrip(" .")
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    if len(stem.encode("utf-8")) > MAX_STEM_BYTES:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        cut = stem.encode("utf-8")[:_KEPT_BYTES].decode("utf-8", "ignore").rstrip(" .")
        stem = f"{cut}_{digest}"
    return stem or "部门"
