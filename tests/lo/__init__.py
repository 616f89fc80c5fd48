"""pytest-side wrappers around ``uno_probe.py`` and ``uno_fill.py`` (which need Debian's Python).

Python-UNO is only importable by the system interpreter that LibreOffice was
built against, not by the project's Python, so tests run the scripts as a
subprocess and read their JSON. Each call is ONE soffice launch (it costs
seconds): batch what you need into one call.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

PROBE = Path(__file__).with_name("uno_probe.py")
FILL = Path(__file__).with_name("uno_fill.py")
UNO_PYTHON = os.environ.get("ZIPING_UNO_PYTHON", "/usr/bin/python3")


def libreoffice_missing() -> str | None:
    """Why the LibreOffice tests cannot run here, or None when they can."""
    if shutil.which("soffice") is None:
        return "soffice not found"
    try:
        subprocess.run([UNO_PYTHON, "-c", "import uno"], check=True, timeout=60,
                       capture_output=True)
    except (OSError, subprocess.SubprocessError):
        return f"{UNO_PYTHON} cannot import uno (install python3-uno)"
    return None


def requires_libreoffice(func):
    """Skip locally without LibreOffice; on CI (CI=true) a missing one is a failure.

    CI installs LibreOffice, so a skip there would hide a broken install step.
    """
    reason = libreoffice_missing()
    if reason is None:
        return func
    if os.environ.get("CI", "").lower() == "true":
        @functools.wraps(func)  # keeps the signature, so parametrized tests still collect
        def fail(*_args, **_kwargs):
            pytest.fail(f"LibreOffice is required on CI: {reason}")
        return fail
    return pytest.mark.skip(reason=f"LibreOffice unavailable: {reason}")(func)


def run_uno_probe(path: Path | str, cells: Sequence[str] = (), recalc: bool = True,
                  pdf: Path | str | None = None, timeout: float = 120,
                  insert_rows: Sequence[str] = (), delete_rows: Sequence[str] = ()) -> dict:
    """Open ``path`` in a fresh headless LibreOffice; return its report.

    ``cells`` are ``"Sheet!A1"`` references (no sheet name = first sheet);
    ``pdf`` is where to export the document as PDF; ``insert_rows``/``delete_rows``
    (``"Sheet!N"``) are tried afterwards and reported under ``"rows"``.
    """
    with tempfile.TemporaryDirectory(prefix="ziping-probe-pdf-") as pdf_dir:
        report = run_uno_probe_many([path], cells, recalc,
                                    pdf_dir if pdf is not None else None, timeout,
                                    insert_rows, delete_rows)[str(path)]
        if pdf is not None:
            shutil.move(report["pdf"], pdf)
            report["pdf"] = str(pdf)
    return report


def run_uno_probe_many(paths: Sequence[Path | str], cells: Sequence[str] = (),
                       recalc: bool = True, pdf_dir: Path | str | None = None,
                       timeout: float = 120, insert_rows: Sequence[str] = (),
                       delete_rows: Sequence[str] = (),
                       calls: Sequence[tuple[str, Sequence[str]]] = ()) -> dict[str, dict]:
    """Like :func:`run_uno_probe` for several documents in ONE soffice launch.

    Returns ``{str(path): report}``; PDFs go to ``pdf_dir/<stem>.pdf``. ``calls`` are
    ``("Module.Function", [arguments])`` run in each document's VBA project; their
    results are ``report["calls"]`` in the same order.
    """
    cmd = [UNO_PYTHON, str(PROBE), *map(str, paths), "--timeout", str(timeout)]
    for ref in cells:
        cmd += ["--cell", ref]
    if not recalc:
        cmd.append("--no-recalc")
    if pdf_dir is not None:
        cmd += ["--pdf-dir", str(pdf_dir)]
    for ref in insert_rows:
        cmd += ["--insert-row", ref]
    for ref in delete_rows:
        cmd += ["--delete-row", ref]
    if calls:
        cmd += ["--calls", json.dumps([[name, list(args)] for name, args in calls], ensure_ascii=False)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout + 30)
    if done.returncode != 0:
        raise RuntimeError(f"uno_probe failed ({done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout)


def type_into_workbook(source: Path, target: Path, cells: Sequence[tuple[str, str, str]],
                       timeout: float = 180) -> dict[str, dict]:
    """Open ``source`` in a zh-CN LibreOffice, type each (sheet, "B5", text) like a user, save as ``target``.

    A text starting with "=" is a formula; other texts go through the document's number
    formatter as Calc's input line would ("97.3%" becomes 0.973 shown 97.30%). ``target``
    ending in .xlsm keeps the VBA project. Returns, for every typed cell, what LibreOffice
    shows after typing: ``{"Sheet!B5": {"string", "value", "format", "type", "formula"}}``
    (``format`` is LibreOffice's own code, e.g. ``YY"年"M"月"D"日"``).
    """
    job = {"mode": "type", "source": str(source), "target": str(Path(target).resolve()),
           "cells": [list(cell) for cell in cells]}
    return _run_fill(job, timeout)


def displayed_cells(path: Path, refs: Sequence[str] | None = None,
                    sheets: Sequence[str] | None = None, timeout: float = 180) -> dict[str, dict]:
    """What a zh-CN LibreOffice shows for cells of a file, without recalculating.

    ``refs`` ("Sheet!A1"; no sheet name = first sheet) or else every non-empty cell of
    ``sheets`` (all sheets when both are None), keyed "Sheet!A1".
    """
    job = {"mode": "display", "path": str(path), "refs": list(refs) if refs else None,
           "sheets": list(sheets) if sheets else None}
    return _run_fill(job, timeout)


def render_in_libreoffice(pairs: Sequence[tuple[object, str]], timeout: float = 180) -> list[str | None]:
    """LibreOffice's getString() for each (value, Excel format code), in one soffice launch.

    Numbers and strings go in as they are; dates, times and durations as serials counted
    from 1899-12-30 (LibreOffice's count, so a Python date shows as that date). The code is
    added as the .xlsx import adds it (en-US syntax converted to zh-CN); None marks a code
    LibreOffice rejects.
    """
    encoded = [[_serial(value), code] for value, code in pairs]
    return _run_fill({"mode": "render", "pairs": encoded}, timeout)["strings"]


def _serial(value: object) -> object:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, timedelta):
        return value.total_seconds() / 86400
    if isinstance(value, time):
        value = datetime.combine(date(1899, 12, 30), value)
    if isinstance(value, datetime):
        delta = value - datetime(1899, 12, 30)
        return delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
    if isinstance(value, date):
        return float((value - date(1899, 12, 30)).days)
    if isinstance(value, Decimal):
        return float(value)
    return value


def _run_fill(job: dict, timeout: float) -> dict:
    job["timeout"] = timeout
    done = subprocess.run([UNO_PYTHON, str(FILL)], input=json.dumps(job, ensure_ascii=False),
                          capture_output=True, text=True, timeout=timeout + 30)
    if done.returncode != 0:
        raise RuntimeError(f"uno_fill failed ({done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout)
