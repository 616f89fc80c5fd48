"""Independent readers check the committed workbooks themselves, not just our writer.

olevba reads the VBA project out of the .xlsm; the ribbon is checked against the VBA it
calls; openpyxl round-trips the template; LibreOffice imports the modules and recalculates
every native formula, which must agree with the values we cached at build time.
"""

import io
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from oletools.olevba import VBA_Parser

from addin.ribbon import check_ribbon
from addin.template.vba import vba_modules
from addin.template.xlsm import read_custom_ui, read_vba_project, save_xlsm_atomically
from tests.lo import requires_libreoffice, run_uno_probe
from udfs.registry import REGISTRY

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "workbook_template.xlsm"
EXAMPLE = ROOT / "examples" / "衡山县市场监督管理局_2022.xlsm"
UDF_CALL = re.compile(r"\b(" + "|".join(REGISTRY) + r")\(")


def code_lines(code: str) -> list[str]:
    """Source lines without the Attribute header and trailing blanks, line ends unified."""
    lines = [line for line in code.replace("\r\n", "\n").split("\n") if not line.startswith("Attribute VB_")]
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def olevba_modules(path: Path) -> dict[str, str]:
    parser = VBA_Parser(str(path), data=path.read_bytes())
    try:
        return {Path(vba_filename).stem: code for _, _, vba_filename, code in parser.extract_macros()}
    finally:
        parser.close()


@pytest.mark.parametrize("path", [TEMPLATE, EXAMPLE], ids=["template", "example"])
def test_olevba_lists_every_module_with_our_source(path):
    found = olevba_modules(path)
    expected = {module.name: module.code for module in vba_modules()}
    assert set(found) == set(expected)
    for name, code in expected.items():
        assert code_lines(found[name]) == code_lines(code), name


@pytest.mark.parametrize("path", [TEMPLATE, EXAMPLE], ids=["template", "example"])
def test_ribbon_calls_existing_callbacks_in_the_embedded_vba(path):
    data = path.read_bytes()
    custom_ui = read_custom_ui(data)
    assert custom_ui is not None and "生成自评表" in custom_ui
    assert check_ribbon(custom_ui, olevba_modules(path)) == []


def test_openpyxl_round_trip_of_the_template_keeps_ribbon_and_vba(tmp_path):
    original = TEMPLATE.read_bytes()
    plain = tmp_path / "plain.xlsm"
    openpyxl.load_workbook(io.BytesIO(original), keep_vba=True).save(plain)
    assert read_custom_ui(plain.read_bytes()) is None, "openpyxl no longer drops the ribbon: revisit restore"

    saved = tmp_path / "saved.xlsm"
    shutil.copy(TEMPLATE, saved)
    save_xlsm_atomically(openpyxl.load_workbook(saved, keep_vba=True), saved, read_custom_ui(original))
    data = saved.read_bytes()
    assert read_custom_ui(data) == read_custom_ui(original)
    assert read_vba_project(data) == read_vba_project(original)
    assert set(olevba_modules(saved)) == {module.name for module in vba_modules()}


def native_formula_cells(path: Path) -> dict[str, object]:
    """{"Sheet!A1": cached value} of every formula cell that calls no UDF of ours."""
    formulas = openpyxl.load_workbook(path, keep_vba=True)
    cached = openpyxl.load_workbook(path, keep_vba=True, data_only=True)
    cells = {}
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("=") and not UDF_CALL.search(cell.value):
                    cells[f"{ws.title}!{cell.coordinate}"] = cached[ws.title][cell.coordinate].value
    return cells


def freeze_udf_cells(path: Path, out: Path) -> Path:
    """A copy whose UDF cells hold their cached values as constants.

    LibreOffice cannot run the UDFs (its Basic cannot compile xlwings.bas, see
    test_libreoffice_vba.py), so it gets our Python results as given and recalculates
    every native formula on top of them: SUMIFS totals, IF guards, ratios.
    """
    formulas = openpyxl.load_workbook(path, keep_vba=True)
    cached = openpyxl.load_workbook(path, keep_vba=True, data_only=True)
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and UDF_CALL.search(cell.value):
                    cell.value = cached[ws.title][cell.coordinate].value
    formulas.save(out)
    return out


@pytest.fixture(scope="module")
def libreoffice_report(tmp_path_factory):
    cells = native_formula_cells(EXAMPLE)
    frozen = freeze_udf_cells(EXAMPLE, tmp_path_factory.mktemp("frozen") / "frozen.xlsm")
    return cells, run_uno_probe(EXAMPLE, recalc=False), run_uno_probe(frozen, cells=list(cells), recalc=True)


@requires_libreoffice
def test_libreoffice_imports_every_module_of_the_example(libreoffice_report):
    _, report, _ = libreoffice_report
    modules = report["basic"]["VBAProject"]
    for module in vba_modules():
        if module.code.strip() in ("", "Option Explicit"):
            continue
        assert module.name in modules
        assert code_lines(module.code)[-3:] == code_lines(modules[module.name])[-3:], module.name


@requires_libreoffice
def test_libreoffice_recalculation_agrees_with_cached_native_formulas(libreoffice_report):
    cached, _, report = libreoffice_report
    assert len(cached) >= 10
    for ref, value in cached.items():
        recalculated = report["cells"][ref]
        if isinstance(value, (int, float)):
            assert recalculated["value"] == pytest.approx(value, abs=1e-9), ref
        else:  # a text result, "" (cached as an empty value) included
            assert recalculated["string"] == (value or ""), ref


@requires_libreoffice
def test_the_converted_document_contains_every_module_source(tmp_path):
    """LibreOffice converts the template to .ods; our VBA must be inside the result."""
    import html
    import subprocess
    import zipfile

    source = tmp_path / "template.xlsm"
    shutil.copy(TEMPLATE, source)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "ods", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    with zipfile.ZipFile(tmp_path / "template.ods") as ods:
        for module in vba_modules():
            converted = html.unescape(ods.read(f"Basic/VBAProject/{module.name}.xml").decode("utf-8"))
            for line in code_lines(module.code):
                if not line.lstrip().startswith("Attribute "):  # attributes are not code; LibreOffice drops them
                    assert line in converted, (module.name, line)
