"""Where the command line puts what a user must not see: tracebacks.

An unexpected exception is a bug; the user gets one Chinese line naming a log file and the
log holds the traceback, the arguments and the versions, for the developer the user sends it
to. Exceptions Python can only report as "unraisable" (a half-written ZipFile's ``__del__``
after a write already failed on a full disk) go to the same log instead of stderr.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

LOG_DIR_VARIABLE = "ZIPING_LOG_DIR"  # tests and administrators may choose the folder


def log_folder() -> Path:
    """``$ZIPING_LOG_DIR``, else the user's cache folder (``%LOCALAPPDATA%`` on Windows)."""
    chosen = os.environ.get(LOG_DIR_VARIABLE)
    if chosen:
        return Path(chosen)
    base = os.environ.get("LOCALAPPDATA") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "jixiao-ziping" / "logs"


def _write(text: str) -> Path | None:
    """Append ``text`` to today's log in the first folder that accepts it; None when none does."""
    name = f"ziping-{time.strftime('%Y%m%d')}.log"
    for folder in (log_folder(), Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(text)
            return path
        except OSError:
            continue
    return None


def _header(what: str, argv: list[str] | None = None) -> str:
    from . import __version__

    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    args = "" if argv is None else f" 参数：{argv!r}"
    return f"\n=== {stamp} 进程 {os.getpid()} 绩效自评助手 {__version__} Python {sys.version.split()[0]} {what}{args}\n"


def write_crash_log(error: BaseException, argv: list[str]) -> Path | None:
    """Append the traceback of ``error`` to the log; the log's path, or None."""
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return _write(_header("未处理的异常", argv) + text)


def _log_unraisable(unraisable) -> None:
    lines = traceback.format_exception(unraisable.exc_type, unraisable.exc_value, unraisable.exc_traceback)
    _write(_header(f"可忽略的异常（{unraisable.err_msg or 'Exception ignored'}: {unraisable.object!r}）")
           + "".join(lines))


def quiet_unraisable() -> None:
    """Send unraisable exceptions to the log, not to the user's terminal."""
    sys.unraisablehook = _log_unraisable
