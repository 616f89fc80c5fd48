"""A corpus of bad files, generated here: each gives one clear Chinese line and an exit code
through the real CLI (a subprocess with a timeout: never a traceback, never a hang), and the
input file is left byte-for-byte and mtime-for-mtime unchanged."""

import io
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from addin.reading.safe_open import Limits, UnsafeFile, open_spreadsheet
from addin.vba.cfb import write_compound_file
from tests.official_tables import SEED_ROWS, build_seed_table

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "衡山县市场监督管理局_2022.xlsm"
DAMAGED = "文件已损坏，不是有效的 Excel 文件"
ENCRYPTED = "文件已加密，请先在 Excel 中取消密码后再导入"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "addin", *args], capture_output=True, timeout=90, cwd=ROOT)
    done.stdout, done.stderr = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    return done


def seed_bytes(tmp_path: Path, **kwargs) -> bytes:
    return build_seed_table(tmp_path / "_seed.xlsx", **kwargs).read_bytes()


def rezip(data: bytes, replace: dict[str, bytes] = {}, add: dict[str, bytes] = {}) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, replace.get(item.filename, source.read(item.filename)))
        for name, content in add.items():
            target.writestr(name, content)
    return out.getvalue()


# --- generators -----------------------------------------------------------------------------

def corrupt_zip(tmp_path):
    data = seed_bytes(tmp_path)
    return data[: len(data) // 2]


def junk(tmp_path):
    return b"\x00\x01 this is not a spreadsheet " * 50


def empty(tmp_path):
    return b""


def encrypted_with_msoffcrypto(tmp_path):
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(seed_bytes(tmp_path))).encrypt("密码123", out)
    return out.getvalue()


def encrypted_minimal_container(tmp_path):
    """What Excel writes for a password-protected .xlsx, reduced to the two stream names."""
    return write_compound_file({"EncryptionInfo": b"\x04\x00\x04\x00" + b"\0" * 60,
                                "EncryptedPackage": struct.pack("<Q", 1000) + b"\x5a" * 1000})


def word_in_ole(tmp_path):
    return write_compound_file({"WordDocument": b"\0" * 600})


def word_docx(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    return out.getvalue()


def zip_bomb(tmp_path):
    return rezip(seed_bytes(tmp_path), add={"xl/media/padding.bin": b"\0" * (40 * 1024 * 1024)})


def claims_one_gigabyte(tmp_path):
    """A normal package whose central directory says one member inflates to 1 GB."""
    data = bytearray(seed_bytes(tmp_path))
    at = data.index(b"PK\x01\x02")
    data[at + 24: at + 28] = struct.pack("<I", 1024 ** 3)
    return bytes(data)


ENTITY_BOMB = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
               + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                          for i in range(1, 10))
               + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')


def entity_bomb(tmp_path):
    return rezip(seed_bytes(tmp_path), replace={"xl/worksheets/sheet1.xml": ENTITY_BOMB})


def no_table(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active["A1"] = "这里没有自评表"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def missing_template_sheet(tmp_path):
    book = openpyxl.load_workbook(EXAMPLE)
    del book["项目"]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def text_in_number_cells(tmp_path):
    rows = list(SEED_ROWS)
    rows[1] = rows[1][:5] + ("五分",) + rows[1][6:]
    return seed_bytes(tmp_path, rows=rows)


def excel_error_values(tmp_path):
    book = openpyxl.load_workbook(io.BytesIO(seed_bytes(tmp_path)))
    sheet = book.active
    sheet["F12"] = "#N/A"  # openpyxl stores these as error cells (t="e"), as Excel caches them
    sheet["F5"] = "#DIV/0!"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# (generator, file name, exit code, words in stderr/stdout)
CASES = [
    (corrupt_zip, "损坏.xlsx", 3, DAMAGED),
    (junk, "乱码.xlsx", 3, DAMAGED),
    (empty, "空.xlsx", 3, "文件为空"),
    (encrypted_with_msoffcrypto, "加密.xlsx", 3, ENCRYPTED),
    (encrypted_minimal_container, "加密2.xlsx", 3, ENCRYPTED),
    (word_in_ole, "旧版Word.xls", 3, "不是 Excel 工作簿"),
    (word_docx, "Word.xlsx", 3, "是 Word 文档"),
    (zip_bomb, "炸弹.xlsx", 3, "压缩炸弹"),
    (claims_one_gigabyte, "1GB.xlsx", 3, "声称有 1024 MB"),
    (entity_bomb, "实体.xlsx", 3, "XML 实体/DTD"),
    (no_table, "无表.xlsx", 2, "没有找到自评表"),
    (missing_template_sheet, "缺表.xlsx", 2, "工作簿缺少工作表「项目」"),
    (text_in_number_cells, "文本分值.xlsx", 1, "单元格G13：三级指标「食品安全检验」的分值「五分」不是数字"),
    (excel_error_values, "错误值.xlsx", 1, "单元格F12：三级指标「产商品检验」的实际完成值单元格是错误值#N/A"),
]


@pytest.mark.parametrize("make, name, code, words", CASES, ids=[c[1] for c in CASES])
def test_bad_file_gives_a_clear_message(tmp_path, make, name, code, words):
    path = tmp_path / name
    path.write_bytes(make(tmp_path))
    os.utime(path, (1_600_000_000, 1_600_000_000))
    before = path.read_bytes()
    done = run_cli("score", str(path))
    output = done.stdout + done.stderr
    assert done.returncode == code, output
    assert words in output
    assert "Traceback" not in output
    assert path.read_bytes() == before
    assert path.stat().st_mtime == 1_600_000_000


def test_error_values_are_named_at_their_cells(tmp_path):
    path = tmp_path / "错误值.xlsx"
    path.write_bytes(excel_error_values(tmp_path))
    output = run_cli("score", str(path)).stdout
    assert "单元格F5：年度资金总额全年执行数单元格是错误值#DIV/0!" in output


def test_oversized_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "巨大.xlsx"
    with path.open("wb") as handle:  # sparse: 60 MB on paper, nothing on disk
        handle.truncate(60 * 1024 * 1024)
    done = run_cli("score", str(path))
    assert done.returncode == 3 and "文件过大" in done.stderr and "Traceback" not in done.stderr


def test_missing_file_and_folder(tmp_path):
    assert "找不到文件" in run_cli("score", str(tmp_path / "没有.xlsx")).stderr
    assert "是文件夹" in run_cli("score", str(tmp_path)).stderr


def test_limits_are_data(tmp_path):
    path = tmp_path / "seed.xlsx"
    path.write_bytes(seed_bytes(tmp_path))
    with pytest.raises(UnsafeFile, match="文件过大"):
        open_spreadsheet(path, Limits(max_file_bytes=1000))
    with pytest.raises(UnsafeFile, match="压缩包内文件过多"):
        open_spreadsheet(path, Limits(max_members=3))


def test_parsers_alone_refuse_the_entity_bomb_in_english(tmp_path):
    """Why our check exists anyway: openpyxl refuses it (defusedxml's EntitiesForbidden,
    wrapped in a ValueError) and python-calamine does not expand entities (XmlError), but
    both say so in English and neither is documented to keep doing it."""
    data = entity_bomb(tmp_path)
    with pytest.raises(ValueError) as caught:
        openpyxl.load_workbook(io.BytesIO(data))
    assert type(caught.value.__cause__).__name__ == "EntitiesForbidden"
    from python_calamine import CalamineWorkbook

    with pytest.raises(Exception, match="entity"):
        CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
