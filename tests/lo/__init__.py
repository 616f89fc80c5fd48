"""pytest-side wrapper around ``uno_probe.py`` (which needs Debian's Python).

Python-UNO is only importable by the system interpreter that LibreOffice was
built against, not by the project's Python, so tests run the probe as a
subprocess and read its JSON.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest

PROBE = Path(__file__).with_name("uno_probe.py")
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
        def fail(*_args, **_kwargs):
            pytest.fail(f"LibreOffice is required on CI: {reason}")
        fail.__name__, fail.__doc__ = func.__name__, func.__doc__
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
                       delete_rows: Sequence[str] = ()) -> dict[str, dict]:
    """Like :func:`run_uno_probe` for several documents in ONE soffice launch.

    Returns ``{str(path): report}``; PDFs go to ``pdf_dir/<stem>.pdf``.
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
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout + 30)
    if done.returncode != 0:
        raise RuntimeError(f"uno_probe failed ({done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout)
