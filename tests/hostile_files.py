"""Hostile and broken workbooks, built here byte by byte: nothing is downloaded.

Each builder returns the bytes of one file that once broke a promise of the README (issue 11:
a traceback, a hang, a limit bypassed, a silent wrong answer). :data:`CORPUS` names them with
the file name they are saved under, the exit code ``ziping score`` must give and the words
its one line must contain.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Callable

import openpyxl

from addin.demo import load_demo
from addin.template import build_template
from tests.official_tables import SEED_ROWS, build_seed_table

DAMAGED = "文件已损坏，不是有效的 Excel 文件"
SHEET = "xl/worksheets/sheet1.xml"


# --- zip surgery --------------------------------------------------------------------------

def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def zipped(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def raw_zip(members: list[tuple[str, bytes, bytes, int, int]]) -> bytes:
    """A zip written field by field: (name, raw deflate data, the content to take the CRC of,
    the claimed size, method) per member, so a header may claim what the data is not."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, raw, crc_of, claimed, method in members:
        encoded, offset, crc = name.encode(), out.tell(), zlib.crc32(crc_of)
        out.write(struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, len(raw), claimed,
                              len(encoded), 0) + encoded + raw)
        central.write(struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, method, 0, 0x21, crc, len(raw), claimed,
                                  len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
    start, directory = out.tell(), central.getvalue()
    count = len(members)
    out.write(directory + struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, count, count, len(directory), start, 0))
    return out.getvalue()


def deflated(content: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(content) + packer.flush()


def seed(tmp: Path, **kwargs) -> bytes:
    return build_seed_table(tmp / "_seed.xlsx", **kwargs).read_bytes()


def seed_with(tmp: Path, row: int, column: int, value: object) -> bytes:
    rows = [list(r) for r in SEED_ROWS]
    rows[row][column] = value
    return seed(tmp, rows=[tuple(r) for r in rows])


def moved_sheet(data: bytes, to: str) -> bytes:
    """The package with its first sheet part stored at ``to`` (relationships and content
    types rewritten to match): a legitimate package, only unusually laid out."""
    parts = parts_of(data)
    parts[to] = parts.pop(SHEET)
    old, new = SHEET.removeprefix("xl/").encode(), to.removeprefix("xl/").encode()
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(old, new)
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"/" + SHEET.encode(), b"/" + to.encode())
    rels = SHEET.replace("sheet1.xml", "_rels/sheet1.xml.rels")
    if rels in parts:
        folder, name = to.rsplit("/", 1)
        parts[f"{folder}/_rels/{name}.rels"] = parts.pop(rels)
    return zipped(parts)


def lone_cells(*cells: tuple[str, object], title: str = "自评表") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    sheet["A1"] = "2022年度预算支出绩效自评表"
    for address, value in cells:
        sheet[address] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_with(department_change: Callable) -> bytes:
    return build_template(department_change(load_demo()))


# --- the corpus ---------------------------------------------------------------------------

def garbage_in_the_middle(tmp: Path) -> bytes:
    """2 KB of noise over the middle of the file (a bad download, a bad USB stick)."""
    data = bytearray(seed(tmp))
    middle = len(data) // 2
    data[middle:middle + 2048] = random.Random(11).randbytes(2048)
    return bytes(data)


def flipped_deflate_byte(tmp: Path) -> bytes:
    """One bit pattern inverted inside the sheet's compressed data."""
    data = bytearray(seed(tmp))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(SHEET)
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26:info.header_offset + 30])
    start = info.header_offset + 30 + name_length + extra_length
    data[start + info.compress_size // 2] ^= 0xFF
    return bytes(data)


def exponent_in_target(tmp: Path) -> bytes:
    return seed_with(tmp, 0, 3, "1e1000000")


def exponent_in_actual(tmp: Path) -> bytes:
    return seed_with(tmp, 0, 4, "≥1e1000000%")


def exponent_in_amount(tmp: Path) -> bytes:
    """The 年度资金总额 全年执行数 cell typed as text "1e1000000"."""
    book = openpyxl.load_workbook(io.BytesIO(seed(tmp)))
    sheet = book.active
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == 231.13 and c.column == 6)
    cell.value = "1e1000000"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def far_cell_outside_worksheets(tmp: Path) -> bytes:
    """One cell at XFD1048576 in a sheet part stored at xl/ws/ind.xml: python-calamine would
    size a 549 GB grid (and abort) from this 5 KB file."""
    return moved_sheet(lone_cells(("XFD1048576", 1)), "xl/ws/ind.xml")


def tall_sheet_outside_worksheets(tmp: Path) -> bytes:
    return moved_sheet(lone_cells(("A1048576", 1)), "xl/ws/ind.xml")


def far_cell_by_character_reference(tmp: Path) -> bytes:
    """r="&#88;FD1048576" is XFD1048576 to openpyxl; a t="e" cell sends the file to openpyxl."""
    parts = parts_of(lone_cells(("B2", "#N/A"), ("C3", 1)))
    parts[SHEET] = parts[SHEET].replace(b'r="C3"', b'r="&#88;FD1048576"')
    return zipped(parts)


def dtd_after_a_long_comment(tmp: Path) -> bytes:
    parts = parts_of(seed(tmp))
    parts[SHEET] = (b'<?xml version="1.0" encoding="UTF-8"?><!--' + b"x" * 70_000
                    + b'--><!DOCTYPE worksheet [<!ENTITY e "bomb">]>' + parts[SHEET].split(b"?>", 1)[-1])
    return zipped(parts)


def dtd_in_an_upper_case_part(tmp: Path) -> bytes:
    parts = parts_of(seed(tmp))
    parts["xl/worksheets/sheet9.XML"] = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>'
                                         b"<worksheet><sheetData/></worksheet>")
    return zipped(parts)


INFLATED = 200 * 1024 * 1024


def member_larger_than_claimed(tmp: Path) -> bytes:
    """The sheet part's header claims 4 KiB (with the CRC of those 4 KiB); its deflate data
    inflates to 200 MB. Python's zipfile stops at 4 KiB; python-calamine does not."""
    parts = parts_of(seed(tmp))
    sheet = parts.pop(SHEET)
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    chunks = [packer.compress(sheet)]
    padding = b" " * (1024 * 1024)
    for _ in range(INFLATED // len(padding)):
        chunks.append(packer.compress(padding))
    chunks.append(packer.flush())
    claimed = 4096
    content = (sheet + padding)[:claimed]
    members = [(name, deflated(body), body, len(body), 8) for name, body in parts.items()]
    members.append((SHEET, b"".join(chunks), content, claimed, 8))
    return raw_zip(members)


def negative_weight(tmp: Path) -> bytes:
    """分值 −5 at 绩效指标!G2 of our template."""
    def change(department):
        project = department.projects[0]
        first = replace(project.indicators[0], weight=Decimal(-5))
        return replace(department, projects=(replace(project, indicators=(first, *project.indicators[1:])),))
    return template_with(change)


def missing_info_sheet(tmp: Path) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(template_with(lambda d: d)))
    del book["部门信息"]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def long_indicator_name(tmp: Path) -> bytes:
    """A 2 000-character 三级指标 name: the narrative check was quadratic in it (issue 11 item
    3, fixed separately); a batch must finish within its per-file limit either way."""
    name = ("食品安全抽检合格率" * 223)[:2000]

    def change(department):
        project = department.projects[0]
        first = replace(project.indicators[0], level3=name)
        return replace(department, projects=(replace(project, indicators=(first, *project.indicators[1:])),))
    return template_with(change)


@dataclass(frozen=True)
class Case:
    build: Callable[[Path], bytes]
    name: str
    code: int  # of ``ziping score``
    words: str  # in its output: the refusal, or the finding at its cell


CORPUS = (
    Case(garbage_in_the_middle, "中间有乱码.xlsx", 3, DAMAGED),
    Case(flipped_deflate_byte, "压缩数据错一字节.xlsx", 3, DAMAGED),
    Case(exponent_in_target, "目标1e1000000.xlsx", 1, "单元格E12：三级指标「产商品检验」：无法评分：年度指标值数值超出范围"),
    Case(exponent_in_actual, "实际1e1000000.xlsx", 1, "单元格F12：三级指标「产商品检验」：无法评分：实际完成值数值超出范围"),
    Case(exponent_in_amount, "金额1e1000000.xlsx", 1, "单元格F5：年度资金总额全年执行数：数值超出范围：「1e1000000」"),
    Case(far_cell_outside_worksheets, "远处单元格在别处.xlsx", 3, "工作表「自评表」的数据区域过大（1048576 行 × 16384 列"),
    Case(tall_sheet_outside_worksheets, "百万行在别处.xlsx", 3, "工作表「自评表」的数据区域过大（1048576 行 × 1 列"),
    Case(far_cell_by_character_reference, "字符引用地址.xlsx", 3, "的数据区域过大（1048576 行 × 16384 列"),
    Case(dtd_after_a_long_comment, "注释后的DTD.xlsx", 3, "含有 XML 实体/DTD 声明"),
    Case(dtd_in_an_upper_case_part, "大写XML中的DTD.xlsx", 3, "“xl/worksheets/sheet9.XML”含有 XML 实体/DTD 声明"),
    Case(member_larger_than_claimed, "声称4KiB.xlsx", 3, "“xl/worksheets/sheet1.xml”解压后超过其声明的大小"),
    Case(negative_weight, "负分值.xlsm", 1, "工作表「绩效指标」单元格G2：三级指标「产商品检验」：无法评分：分值不能为负数：-5"),
    Case(missing_info_sheet, "缺部门信息.xlsm", 2, "工作簿缺少工作表「部门信息」"),
)
