"""A tiny workbook whose cells reach XFD1048576 is refused before any parser sizes a grid.

python-calamine would allocate the whole A1:XFD1048576 rectangle (about 550 GB: the process
aborts with a Rust backtrace) and openpyxl would iterate 17 billion cells; the area check in
:mod:`addin.reading.safe_open` reads the sheet XML first.
"""

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from addin.reading.safe_open import Limits, UnsafeFile, open_spreadsheet

ROOT = Path(__file__).resolve().parents[1]


def far_corner_workbook(path: Path, dimension: str | None = None) -> Path:
    """Two cells, A1 and XFD1048576, on a sheet named 自评表; ``dimension`` rewrites the
    sheet's <dimension ref> (a lie the scan must not believe)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "自评表"
    sheet["A1"], sheet["XFD1048576"] = "2022年度预算支出绩效自评表", 1
    book.save(path)
    if dimension is not None:
        with zipfile.ZipFile(path) as source:
            parts = {info.filename: source.read(info) for info in source.infolist()}
        name = "xl/worksheets/sheet1.xml"
        parts[name] = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), parts[name])
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
            for part, data in parts.items():
                target.writestr(part, data)
    return path


@pytest.mark.parametrize("dimension", [None, "A1:B2"])
@pytest.mark.parametrize("command", ["score", "report"])
def test_far_cell_is_refused_by_the_command_line(tmp_path, command, dimension):
    workbook = far_corner_workbook(tmp_path / "远处单元格.xlsx", dimension)
    assert workbook.stat().st_size < 10_000
    args = [workbook, "-o", tmp_path / "out", "--no-pdf"] if command == "report" else [workbook]
    done = subprocess.run([sys.executable, "-m", "addin", command, *map(str, args)], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 3, done.stderr[-2000:]
    assert "工作表「自评表」的数据区域过大（1048576 行 × 16384 列" in done.stderr
    assert "Traceback" not in done.stderr and "panicked" not in done.stderr


def test_a_lying_dimension_alone_is_harmless(tmp_path):
    """Parsers size grids from the cells, so only the cells count."""
    path = tmp_path / "声称很大.xlsx"
    book = openpyxl.Workbook()
    book.active["B2"] = 1
    book.save(path)
    far = far_corner_workbook(tmp_path / "far.xlsx")
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b'<dimension ref="B2"', b'<dimension ref="A1:XFD1048576"')
    with zipfile.ZipFile(path, "w") as target:
        for part, data in parts.items():
            target.writestr(part, data)
    assert open_spreadsheet(path).data
    with pytest.raises(UnsafeFile):
        open_spreadsheet(far)


def test_the_area_limit_is_data(tmp_path):
    path = tmp_path / "宽表.xlsx"
    book = openpyxl.Workbook()
    book.active["AD300"] = 1  # 300 rows × 30 columns
    book.save(path)
    open_spreadsheet(path)
    with pytest.raises(UnsafeFile, match="数据区域过大（300 行 × 30 列"):
        open_spreadsheet(path, Limits(max_sheet_cells=8999))
    with pytest.raises(UnsafeFile, match="数据区域过大"):
        open_spreadsheet(path, Limits(max_sheet_rows=299))
