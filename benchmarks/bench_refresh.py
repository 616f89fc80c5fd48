"""``ziping refresh`` time: run by hand (``python benchmarks/bench_refresh.py``).

Goal: < 2 s each for the 衡山 example and for a workbook with 200 indicators (no PDF is
involved). A refresh reads the file, carries every input cell, rebuilds the workbook with
fresh cached values and VBA, writes 自评表/自评报告/校验结果 and replaces the file. The third
case has error cells in its scores, as LibreOffice saves them (``#NAME?``), which makes the
reader take openpyxl instead of python-calamine.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_report import synthetic  # noqa: E402

from addin import layout as L  # noqa: E402
from addin.demo import load_demo  # noqa: E402
from addin.refresh import refresh_workbook  # noqa: E402
from addin.template import build_template  # noqa: E402

REPEATS = 3
INDICATOR_PART = f"xl/worksheets/sheet{L.SHEETS.index(L.INDICATORS) + 1}.xml"  # the 绩效指标 sheet's part
_CACHED_SCORE = re.compile(rb'(<c r="H2"[^>]*?)(><f>[^<]*</f>)<v>[^<]*</v>')


def with_error_cells(data: bytes) -> bytes:
    """The same workbook with its first 规则得分 cached as #NAME? (what LibreOffice leaves)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == INDICATOR_PART:
                part, count = _CACHED_SCORE.subn(rb'\1 t="e"\2<v>#NAME?</v>', part)
                assert count == 1, "no cached score to replace"
            target.writestr(info, part)
    return buffer.getvalue()


def _best_of(data: bytes, refresh) -> float:
    """The fastest of REPEATS runs of ``refresh(path)`` on a fresh copy of ``data``."""
    times = []
    for _ in range(REPEATS):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "填报.xlsm"
            path.write_bytes(data)
            start = time.perf_counter()
            refresh(path)
            times.append(time.perf_counter() - start)
    return min(times)


def _in_process(path: Path) -> None:
    assert not refresh_workbook(path).unchanged


def _as_command(path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "addin", "refresh", str(path)], capture_output=True)
    assert done.returncode in (0, 1), done.stderr.decode()  # 1: refreshed, the data has errors


def best_seconds(data: bytes) -> float:
    return _best_of(data, _in_process)


def command_seconds(data: bytes) -> float:
    """The whole ``ziping refresh`` command in a new process: interpreter start and imports
    (openpyxl, and xlwings, which imports pandas, for the UDF registry the VBA is built from)."""
    return _best_of(data, _as_command)


def main() -> None:
    example, large = build_template(load_demo()), build_template(synthetic())
    print(f"衡山 example (18 indicators)          {best_seconds(example):.2f} s")
    print(f"synthetic (200 indicators)            {best_seconds(large):.2f} s")
    print(f"synthetic, error cells (openpyxl)     {best_seconds(with_error_cells(large)):.2f} s")
    print(f"ziping refresh command, 衡山 example   {command_seconds(example):.2f} s")
    print(f"ziping refresh command, 200 indicators {command_seconds(large):.2f} s")


if __name__ == "__main__":
    main()
