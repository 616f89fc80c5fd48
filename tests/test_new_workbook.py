"""``ziping new``: pip users get the same workbook the repository commits."""

from pathlib import Path

import pytest

from addin.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("args, committed", [
    ([], ROOT / "workbook_template.xlsm"),
    (["--demo"], ROOT / "examples" / "衡山县市场监督管理局_2022.xlsm"),
])
def test_new_builds_the_committed_workbook(tmp_path, capsys, args, committed):
    path = tmp_path / "填报.xlsm"
    assert main(["new", str(path), *args]) == 0
    assert path.read_bytes() == committed.read_bytes()
    assert "已新建" in capsys.readouterr().out


def test_new_never_overwrites(tmp_path, capsys):
    path = tmp_path / "填报.xlsm"
    path.write_bytes(b"user data")
    assert main(["new", str(path)]) == 2
    assert path.read_bytes() == b"user data"
    assert "已存在，不会覆盖" in capsys.readouterr().err


def test_new_wants_a_macro_workbook_name(tmp_path, capsys):
    assert main(["new", str(tmp_path / "填报.xlsx")]) == 2
    assert "应以 .xlsm 结尾" in capsys.readouterr().err
