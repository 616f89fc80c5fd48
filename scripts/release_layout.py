"""Freeze the current layout as a released one: its snapshot and its test workbook.

Run after changing sheets, blocks, labels or positions in ``addin/layout.py`` (a test says
when): bump ``LAYOUT_VERSION`` there, then ``.venv/bin/python scripts/release_layout.py``.
It writes

* ``addin/refresh/layouts/layout_<version>.json``: what ``ziping refresh`` reads workbooks of
  this version with, for as long as the tool exists;
* ``tests/layouts/layout_<version>.xlsm``: a workbook made by this version's template (the
  衡山 example, with cells typed as users type them: a percentage, a date, a formula, a
  setting), which the tests refresh into every later layout.

Released versions are frozen: the script refuses to change an existing snapshot and keeps
an existing test workbook (it stands for the files users made with that template, whatever
the scoring computes today) unless ``--replace`` is given, which is only right while the
version has not been released. If keys were renamed, declare them in
``addin/refresh/migrate.py`` ``RENAMES``.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from addin import layout as L  # noqa: E402
from addin.demo import load_demo  # noqa: E402
from addin.refresh.rebuild import title_of  # noqa: E402
from addin.refresh.snapshot import SNAPSHOT_FOLDER, current_snapshot, snapshot_file_name, to_json  # noqa: E402
from addin.template.build import build_contents  # noqa: E402
from addin.template.contents import Contents, Typed, department_contents  # noqa: E402

TEST_FOLDER = ROOT / "tests" / "layouts"


def test_workbook_name(version: int) -> str:
    return f"layout_{version}.xlsm"


def typed_contents() -> Contents:
    """The 衡山 example with cells as a user's own typing leaves them (cell formats of their own)."""
    contents = department_contents(load_demo())
    indicators, funds = contents["indicators"], contents["funds"]
    indicators[4]["actual"] = Typed(0.973, "0.00%")  # typed 97.3% against ≥95%: shows 97.30%
    indicators[8]["actual"] = Typed(datetime(2022, 11, 30), "yyyy\\-mm\\-dd")  # a date against 2022年底
    indicators[17]["weight"] = Typed(10.0, "0")  # a weight formatted by hand
    parts = [row["executed"] for row in funds[1:] if row["executed"] is not None]
    first = L.FUNDS.place("funds").first_data_row
    letter = L.table_of(L.FUNDS.place("funds").block).letter("executed")
    funds[0]["executed"] = Typed(sum(parts), "0.00", f"=SUM({letter}{first + 1}:{letter}{first + 3})")
    contents["xlwings_conf"][0]["Interpreter_Win"] = Typed(r"C:\Python311\pythonw.exe", "General")
    return contents


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    print(f"wrote {path.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replace", action="store_true", help="overwrite an unreleased version's files")
    args = parser.parse_args()
    version = L.LAYOUT_VERSION
    snapshot = ROOT / "addin" / "refresh" / SNAPSHOT_FOLDER / snapshot_file_name(version)
    frozen = to_json(current_snapshot()).encode("utf-8")
    if snapshot.exists() and snapshot.read_bytes() != frozen and not args.replace:
        sys.exit(f"{snapshot.relative_to(ROOT)} differs from addin/layout.py, and layout {version} is released "
                 "and frozen: bump LAYOUT_VERSION in addin/layout.py (or pass --replace if it was never released).")
    write(snapshot, frozen)
    workbook = TEST_FOLDER / test_workbook_name(version)
    if workbook.exists() and not args.replace:
        print(f"kept {workbook.relative_to(ROOT)} (the workbook of a released layout)")
    else:
        contents = typed_contents()
        write(workbook, build_contents(contents, title_of(contents)))


if __name__ == "__main__":
    main()
