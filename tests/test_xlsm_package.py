"""Packaging .xlsm files: ribbon and VBA survive openpyxl, builds are reproducible."""

from __future__ import annotations

import errno
import io
import os
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
import xlwings
from defusedxml.ElementTree import fromstring
from hypothesis import given, settings
from hypothesis import strategies as st

from addin.ribbon import custom_ui_xml
from addin.template.xlsm import (
    CT_XLSM_MAIN,
    REL_CUSTOM_UI14,
    REL_VBA_PROJECT,
    XlsmError,
    package_xlsm,
    read_custom_ui,
    read_vba_project,
    restore_custom_ui,
    save_xlsm_atomically,
)

NS_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
NS_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
QUICKSTART = Path(xlwings.__file__).with_name("quickstart_standalone.xlsm")


@pytest.fixture(scope="module")
def vba_project() -> bytes:
    """A real vbaProject.bin (xlwings' quickstart); its content is opaque here."""
    with zipfile.ZipFile(QUICKSTART) as archive:
        return archive.read("xl/vbaProject.bin")


def make_xlsx(created: datetime = datetime(2024, 5, 6, 7, 8, 9)) -> bytes:
    wb = openpyxl.Workbook()
    wb.code_name = "ThisWorkbook"
    ws = wb.active
    ws.title = "自评表"
    ws.sheet_properties.codeName = "Sheet1"
    ws["A1"] = "=1+1"
    ws["B1"] = "部门整体支出"
    wb.properties.created = created
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rel_types(rels_xml: bytes) -> dict[str, str]:
    return {r.get("Type"): r.get("Target") for r in fromstring(rels_xml).iter(f"{NS_RELS}Relationship")}


def openpyxl_resave(data: bytes, edit: str = "已编辑") -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data), keep_vba=True)
    wb.active["C3"] = edit
    buffer = io.BytesIO()
    wb.save(buffer)
    wb.vba_archive.close()  # openpyxl leaves it open; closing it in GC warns
    return buffer.getvalue()


@pytest.fixture(scope="module")
def xlsm(vba_project) -> bytes:
    return package_xlsm(make_xlsx(), vba_project, custom_ui_xml())


def test_package_adds_vba_ribbon_and_macro_content_types(xlsm, vba_project):
    p = parts(xlsm)
    assert read_vba_project(xlsm) == vba_project
    assert read_custom_ui(xlsm) == custom_ui_xml()
    assert rel_types(p["_rels/.rels"])[REL_CUSTOM_UI14] == "customUI/customUI14.xml"
    assert rel_types(p["xl/_rels/workbook.xml.rels"])[REL_VBA_PROJECT] == "vbaProject.bin"
    types = fromstring(p["[Content_Types].xml"])
    overrides = {o.get("PartName"): o.get("ContentType") for o in types.iter(f"{NS_CT}Override")}
    defaults = {d.get("Extension"): d.get("ContentType") for d in types.iter(f"{NS_CT}Default")}
    assert overrides["/xl/workbook.xml"] == CT_XLSM_MAIN
    assert defaults["bin"] == "application/vnd.ms-office.vbaProject"
    assert defaults["xml"] == "application/xml"  # serves customUI14.xml
    assert b'codeName="ThisWorkbook"' in p["xl/workbook.xml"]


def test_package_is_reproducible(vba_project):
    first = package_xlsm(make_xlsx(datetime(2020, 1, 1)), vba_project, custom_ui_xml())
    second = package_xlsm(make_xlsx(datetime(2024, 12, 31)), vba_project, custom_ui_xml())
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos[:2]] == ["[Content_Types].xml", "_rels/.rels"]
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert b"1980-01-01T00:00:00Z" in parts(first)["docProps/core.xml"]


def test_package_takes_document_time(vba_project):
    data = package_xlsm(make_xlsx(), vba_project, custom_ui_xml(), doc_time=datetime(2025, 3, 1))
    core = parts(data)["docProps/core.xml"]
    assert core.count(b"2025-03-01T00:00:00Z") == 2
    assert b'xsi:type="dcterms:W3CDTF"' in core


def test_openpyxl_keep_vba_drops_only_the_ribbon_relationship(xlsm, vba_project):
    """Why restore_custom_ui exists: pin down exactly what openpyxl loses."""
    resaved = openpyxl_resave(xlsm)
    p = parts(resaved)
    assert read_custom_ui(resaved) is None  # Excel would show no ribbon tab
    assert REL_CUSTOM_UI14 not in rel_types(p["_rels/.rels"])
    # ...while the part itself, the VBA project and the content types survive.
    assert p["customUI/customUI14.xml"] == custom_ui_xml().encode("utf-8")
    assert read_vba_project(resaved) == vba_project
    assert CT_XLSM_MAIN.encode() in p["[Content_Types].xml"]


def test_restore_brings_the_ribbon_back_idempotently(xlsm, vba_project):
    resaved = openpyxl_resave(xlsm)
    restored = restore_custom_ui(resaved, custom_ui_xml())
    assert read_custom_ui(restored) == custom_ui_xml()
    assert read_vba_project(restored) == vba_project
    assert restore_custom_ui(restored, custom_ui_xml()) == restored
    ribbon_rels = [r for r in fromstring(parts(restored)["_rels/.rels"]).iter(f"{NS_RELS}Relationship")
                   if r.get("Type") == REL_CUSTOM_UI14]
    assert len(ribbon_rels) == 1
    assert openpyxl.load_workbook(io.BytesIO(restored))["自评表"]["C3"].value == "已编辑"
    # A second openpyxl round trip + restore ends where the first did.
    again = restore_custom_ui(openpyxl_resave(restored), custom_ui_xml())
    assert read_custom_ui(again) == custom_ui_xml()


def test_restore_updates_an_old_ribbon(xlsm):
    old = restore_custom_ui(xlsm, custom_ui_xml().replace("生成自评表", "旧按钮"))
    assert "旧按钮" in read_custom_ui(old)
    assert read_custom_ui(restore_custom_ui(old, custom_ui_xml())) == custom_ui_xml()


@settings(max_examples=25, deadline=None)
@given(ui=st.text(st.characters(blacklist_categories=("Cs",))))
def test_restore_round_trips_any_text(xlsm, ui):
    restored = restore_custom_ui(xlsm, ui)
    assert read_custom_ui(restored) == ui
    assert restore_custom_ui(restored, ui) == restored


def test_non_zip_input_gives_a_chinese_error():
    with pytest.raises(XlsmError, match="不是有效的 Excel 工作簿"):
        restore_custom_ui(b"not a zip", custom_ui_xml())


# --- save_xlsm_atomically --------------------------------------------------

@pytest.fixture
def load_keep_vba():
    """openpyxl.load_workbook(keep_vba=True), closing the VBA archive afterwards.

    openpyxl never closes ``wb.vba_archive``; when the garbage collector does,
    it raises into an unrelated test as PytestUnraisableExceptionWarning.
    """
    loaded = []

    def load(path):
        loaded.append(openpyxl.load_workbook(path, keep_vba=True))
        return loaded[-1]

    yield load
    for wb in loaded:
        wb.vba_archive.close()


@pytest.fixture
def workbook_file(tmp_path, xlsm) -> Path:
    path = tmp_path / "自评.xlsm"
    path.write_bytes(xlsm)
    return path


def test_atomic_save_writes_edit_and_ribbon(workbook_file, load_keep_vba, vba_project):
    wb = load_keep_vba(workbook_file)
    wb.active["D4"] = 42
    save_xlsm_atomically(wb, workbook_file, custom_ui_xml())
    data = workbook_file.read_bytes()
    assert read_custom_ui(data) == custom_ui_xml()
    assert read_vba_project(data) == vba_project
    assert openpyxl.load_workbook(workbook_file).active["D4"].value == 42
    assert os.listdir(workbook_file.parent) == [workbook_file.name]


def test_atomic_save_failing_rename_leaves_original(workbook_file, load_keep_vba):
    original = workbook_file.read_bytes()
    wb = load_keep_vba(workbook_file)
    wb.active["D4"] = 42

    def broken_replace(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(XlsmError, match="无法保存“.*”：磁盘已满。原文件未改动。"):
        save_xlsm_atomically(wb, workbook_file, custom_ui_xml(), _replace=broken_replace)
    assert workbook_file.read_bytes() == original
    assert os.listdir(workbook_file.parent) == [workbook_file.name]


def test_atomic_save_locked_file_explains_in_chinese(workbook_file, load_keep_vba):
    original = workbook_file.read_bytes()
    wb = load_keep_vba(workbook_file)

    def locked(src, dst):
        raise PermissionError(13, "Permission denied")

    with pytest.raises(XlsmError, match="正在被 Excel"):
        save_xlsm_atomically(wb, workbook_file, custom_ui_xml(), _replace=locked)
    assert workbook_file.read_bytes() == original
    assert os.listdir(workbook_file.parent) == [workbook_file.name]


def test_atomic_save_failing_serialisation_leaves_original(workbook_file, load_keep_vba, monkeypatch):
    original = workbook_file.read_bytes()
    wb = load_keep_vba(workbook_file)

    def half_written(target):
        target.write(b"PK\x03\x04 truncated")
        raise RuntimeError("crash while writing")

    monkeypatch.setattr(wb, "save", half_written)
    with pytest.raises(RuntimeError):
        save_xlsm_atomically(wb, workbook_file, custom_ui_xml())
    assert workbook_file.read_bytes() == original
    assert os.listdir(workbook_file.parent) == [workbook_file.name]


def test_atomic_save_refuses_workbook_without_vba(workbook_file):
    original = workbook_file.read_bytes()
    wb = openpyxl.load_workbook(workbook_file)  # keep_vba=False: macros would be lost
    with pytest.raises(XlsmError, match="keep_vba=True"):
        save_xlsm_atomically(wb, workbook_file, custom_ui_xml())
    assert workbook_file.read_bytes() == original
