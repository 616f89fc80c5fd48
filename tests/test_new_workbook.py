"""``ziping new``: pip users get the same workbook the repository commits."""

import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from addin import layout as L
from addin.cli import main
from addin.envcheck import excel_interpreter

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("args, committed", [
    ([], ROOT / "workbook_template.xlsm"),
    (["--demo"], ROOT / "examples" / "衡山县市场监督管理局_2022.xlsm"),
])
def test_new_builds_the_committed_workbook_naming_this_python(tmp_path, capsys, args, committed):
    """Only Interpreter_Win differs: Excel will start the Python pip installed us into."""
    path = tmp_path / "填报.xlsm"
    assert main(["new", str(path), *args]) == 0
    conf = openpyxl.load_workbook(path, read_only=True)["xlwings.conf"]
    assert (conf["A1"].value, conf["B1"].value) == ("Interpreter_Win", excel_interpreter())
    with zipfile.ZipFile(path) as new, zipfile.ZipFile(committed) as old:
        assert new.namelist() == old.namelist()
        changed = {name for name in new.namelist() if new.read(name) != old.read(name)}
    assert changed == {f"xl/worksheets/sheet{len(L.SHEETS)}.xml"}  # xlwings.conf, the last sheet
    out = capsys.readouterr().out
    assert "已新建" in out and f"Excel 将使用的 Python：{excel_interpreter()}" in out


def test_the_interpreter_written_on_windows_is_pythonw_beside_python(tmp_path):
    (tmp_path / "python.exe").write_bytes(b"")
    assert excel_interpreter(str(tmp_path / "python.exe"), windows=True) == str(tmp_path / "python.exe")
    (tmp_path / "pythonw.exe").write_bytes(b"")
    assert excel_interpreter(str(tmp_path / "python.exe"), windows=True) == str(tmp_path / "pythonw.exe")
    assert excel_interpreter("/usr/bin/python3", windows=False) == "/usr/bin/python3"
    assert excel_interpreter() == sys.executable  # this test runs on Linux


def test_new_never_overwrites(tmp_path, capsys):
    path = tmp_path / "填报.xlsm"
    path.write_bytes(b"user data")
    assert main(["new", str(path)]) == 2
    assert path.read_bytes() == b"user data"
    assert "已存在，不会覆盖" in capsys.readouterr().err


def test_new_wants_a_macro_workbook_name(tmp_path, capsys):
    assert main(["new", str(tmp_path / "填报.xlsx")]) == 2
    assert "应以 .xlsm 结尾" in capsys.readouterr().err


def test_an_imported_table_names_this_python_too(tmp_path, capsys):
    from official_tables import build_seed_table

    table = build_seed_table(tmp_path / "官方自评表.xlsx")
    out = tmp_path / "填报.xlsm"
    main(["import", str(table), "-o", str(out)])
    conf = openpyxl.load_workbook(out, read_only=True)["xlwings.conf"]
    assert conf["B1"].value == excel_interpreter()
