"""Template upgrades: every released layout is frozen with a workbook made by it, and each such
workbook is refreshed into today's layout with every input cell where today's layout keeps it.

Only layout 1 is released so far, so the upgrade machinery itself is also exercised with a
made-up older layout ("layout 0": one row fewer on 部门信息, 年度指标值/实际完成值 in each
other's columns, 偏差原因 under another key) written cell by cell as that template would have.
"""

from __future__ import annotations

import dataclasses
import shutil
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

from addin import layout as L
from addin.errors import UserError
from addin.reading.workbook import read_workbook
from addin.refresh import refresh_workbook
from addin.refresh.migrate import CONF_BLOCK, renamed
from addin.refresh.snapshot import (
    FIELDS, LayoutSnapshot, SnapField, current_snapshot, released_snapshots, snapshot_file_name, to_json,
)
from addin.refresh.source import read_source
from refresh_checks import assert_fresh_machinery
from udfs.display import shown_text
from udfs.model import shown

ROOT = Path(__file__).resolve().parents[1]
LAYOUTS = ROOT / "tests" / "layouts"


def test_the_current_layout_is_the_released_snapshot_of_its_version():
    released = released_snapshots()
    assert L.LAYOUT_VERSION in released, "run: python scripts/release_layout.py"
    assert to_json(current_snapshot()) == to_json(released[L.LAYOUT_VERSION]), (
        "addin/layout.py changed where cells sit: if layout "
        f"{L.LAYOUT_VERSION} was released, bump LAYOUT_VERSION and run scripts/release_layout.py "
        "(declare renamed keys in addin/refresh/migrate.py RENAMES); if not, run it with --replace")


def test_every_released_layout_has_its_test_workbook():
    workbooks = {int(path.stem.removeprefix("layout_")) for path in LAYOUTS.glob("layout_*.xlsm")}
    assert workbooks == set(released_snapshots())
    for version in released_snapshots():
        assert (ROOT / "addin" / "refresh" / "layouts" / snapshot_file_name(version)).is_file()


def _cell(book, sheet: str, address: str) -> tuple:
    cell = book[sheet][address]
    return cell.value, cell.number_format, None if cell.value is None else shown_text(cell.value, cell.number_format)


@pytest.mark.parametrize("version", sorted(released_snapshots()))
def test_a_released_layouts_workbook_refreshes_into_todays_layout(version, tmp_path):
    path = tmp_path / f"layout_{version}.xlsm"
    shutil.copyfile(LAYOUTS / f"layout_{version}.xlsm", path)
    source = read_source(path)
    assert source.version == version and source.marked
    old_values, old_formulas = openpyxl.load_workbook(path, data_only=True), openpyxl.load_workbook(path)
    outcome = refresh_workbook(path)
    assert outcome.source.version == version
    new_values, new_formulas = openpyxl.load_workbook(path, data_only=True), openpyxl.load_workbook(path)
    today = current_snapshot()
    carried = 0
    for (block_key, index, key), _ in source.inputs.items():
        if block_key == CONF_BLOCK:
            continue
        old_sheet, old_block = source.snapshot.block(block_key)
        new_block_key, new_key = renamed(version, L.LAYOUT_VERSION, block_key, key)
        new_sheet, new_block = today.block(new_block_key)
        old_address = old_block.address(index, old_block.field(key))
        new_address = new_block.address(index, new_block.field(new_key))
        assert _cell(new_values, new_sheet.name, new_address) == _cell(old_values, old_sheet.name, old_address)
        assert new_formulas[new_sheet.name][new_address].value == old_formulas[old_sheet.name][old_address].value
        carried += 1
    assert carried > 250  # the 衡山 example: figures, projects, 4 fund rows, 18 indicators, paragraphs
    profile = new_values[L.PROFILE.name]
    new_rules = {row[0].value: row[1] for row in profile.iter_rows(min_row=2) if row[0].value}
    old_profile = old_values[source.snapshot.sheet("profile").name]
    for key, cells in source.keyed["profile"].items():
        old_row = next(row for row in old_profile.iter_rows(min_row=2) if row[0].value == key)
        assert (new_rules[key].value, new_rules[key].number_format) == (old_row[1].value, old_row[1].number_format)
    assert_fresh_machinery(path)
    department, _ = read_workbook(path)
    assert len(department.projects[0].indicators) == 18
    assert shown(department.projects[0].indicators[4].actual) == "97.30%"


def test_a_workbook_without_the_version_name_is_recognised_by_its_labels(tmp_path):
    path = tmp_path / "无版本.xlsm"
    book = openpyxl.load_workbook(LAYOUTS / "layout_1.xlsm", keep_vba=True)
    del book.defined_names[L.LAYOUT_VERSION_NAME]
    book.save(path)
    source = read_source(path)
    assert (source.version, source.marked) == (1, False)
    refresh_workbook(path)
    assert read_source(path).marked


# --- a made-up older layout ------------------------------------------------------------------

def layout_zero() -> LayoutSnapshot:
    """Today's layout as it might have been: no 报告标题 row, target/actual swapped, 偏差原因
    keyed "cause" and labelled 偏差原因."""
    today = current_snapshot()
    sheets = []
    for sheet in today.sheets:
        if sheet.key == "info":
            info, texts = sheet.blocks
            fields = tuple(dataclasses.replace(f, position=f.position - (f.position > 4))
                           for f in info.fields if f.key != "report_title")
            info = dataclasses.replace(info, fields=fields)
            texts = dataclasses.replace(texts, top=texts.top - 1, first_data_row=texts.first_data_row - 1)
            sheet = dataclasses.replace(sheet, blocks=(info, texts), regions=(info.region(), texts.region()))
        elif sheet.key == "indicators":
            (table,) = sheet.blocks
            swap = {"target": table.field("actual").position, "actual": table.field("target").position}

            def old(f: SnapField) -> SnapField:
                if f.key == "reason":
                    return dataclasses.replace(f, key="cause", label="偏差原因")
                return dataclasses.replace(f, position=swap.get(f.key, f.position))
            sheet = dataclasses.replace(sheet, blocks=(dataclasses.replace(table, fields=tuple(map(old, table.fields))),))
        sheets.append(sheet)
    return LayoutSnapshot(0, tuple(sheets))


def write_layout_zero_workbook(path: Path, snapshot: LayoutSnapshot, values: dict, marked: bool = True) -> Path:
    """A workbook as the layout-0 template made it: every label, then the user's ``values``
    ({(block, index, key): value or (value, number format)})."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet in snapshot.sheets:
        ws = book.create_sheet(sheet.name)
        for block in sheet.blocks:
            for field in block.fields:
                if block.kind == FIELDS:
                    ws.cell(field.position, block.label_column, field.label)
                else:
                    ws.cell(block.top, field.position, field.label)
    for (block_key, index, key), value in values.items():
        sheet, block = snapshot.block(block_key)
        cell = book[sheet.name][block.address(index, block.field(key))]
        cell.value, number_format = value if isinstance(value, tuple) else (value, None)
        if number_format:
            cell.number_format = number_format
    if marked:
        book.defined_names[L.LAYOUT_VERSION_NAME] = DefinedName(L.LAYOUT_VERSION_NAME, attr_text="0")
    book.save(path)
    return path


OLD_VALUES = {
    ("info", 0, "name"): "旧模板县", ("info", 0, "year"): 2021, ("info", 0, "notice"): "根据通知要求，现报告如下：",
    ("info", 0, "report_date"): (datetime(2022, 3, 1), 'yyyy"年"m"月"d"日"'),
    ("info_texts", 0, "section"): "主要职责", ("info_texts", 0, "text"): "负责本县工作。",
    ("projects", 0, "name"): "旧项目",
    ("funds", 0, "project"): "旧项目", ("funds", 0, "category"): L.FUNDS_TOTAL,
    ("funds", 0, "budget"): 100, ("funds", 0, "executed"): 90, ("funds", 0, "weight"): 10,
    ("indicators", 0, "project"): "旧项目", ("indicators", 0, "level1"): "产出指标",
    ("indicators", 0, "level2"): "质量指标", ("indicators", 0, "level3"): "合格率",
    ("indicators", 0, "target"): "≥95%", ("indicators", 0, "actual"): (0.973, "0.00%"),
    ("indicators", 0, "weight"): 50, ("indicators", 0, "manual"): 45, ("indicators", 0, "cause"): "抽检发现问题",
}
RENAMES = {0: {("indicators", "cause"): ("indicators", "reason")}}


@pytest.mark.parametrize("marked", [True, False], ids=["marked", "recognised"])
def test_an_older_layouts_workbook_is_upgraded_cell_by_cell(tmp_path, marked):
    old = layout_zero()
    path = write_layout_zero_workbook(tmp_path / "2021.xlsm", old, OLD_VALUES, marked)
    outcome = refresh_workbook(path, snapshots={0: old, 1: current_snapshot()}, renames=RENAMES)
    assert outcome.source.version == 0 and outcome.output == path
    book = openpyxl.load_workbook(path, data_only=True)
    info, indicators = book["部门信息"], book["绩效指标"]
    assert [info[f"B{row}"].value for row in range(2, 7)] == [
        "旧模板县", 2021, None, "根据通知要求，现报告如下：", datetime(2022, 3, 1)]
    assert shown_text(info["B6"].value, info["B6"].number_format) == "2022年3月1日"
    assert (info["A9"].value, info["B9"].value) == ("主要职责", "负责本县工作。")
    assert (indicators["E2"].value, indicators["F2"].value, indicators["F2"].number_format) == ("≥95%", 0.973, "0.00%")
    assert (indicators["I2"].value, indicators["K2"].value) == (45, "抽检发现问题")
    assert indicators["J2"].value == 45  # the manual score counts: its reason was carried
    assert outcome.totals[0].total == "54.00"  # 执行率 90% of 10, plus 45
    assert_fresh_machinery(path)


def test_an_input_with_no_place_today_is_refused(tmp_path, capsys):
    from addin.cli import main

    old = layout_zero()
    path = write_layout_zero_workbook(tmp_path / "2021.xlsm", old, OLD_VALUES)
    with pytest.raises(UserError) as raised:
        refresh_workbook(path, snapshots={0: old, 1: current_snapshot()}, renames={})  # "cause" unknown today
    assert "「绩效指标」K2「抽检发现问题」在当前模板中没有对应的位置" in str(raised.value)
    assert main(["refresh", str(path)]) == 2  # the released snapshots do not know layout 0 either
    assert "模板布局版本0不是已发布的版本" in capsys.readouterr().err
