"""The package scan reads cell positions the way openpyxl places cells, whatever the markup.

Each row of the table is a way of writing a far cell that some parser honours; the scan must
see it. A property test checks that the bulk path (plain addresses) and the tag-by-tag path
agree on any mix of rows and cells, with or without addresses.
"""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addin.reading.package_scan import CHUNK, PackageProblem, _CellScanner, inflate, scan_member
from tests.hostile_files import raw_zip


def member(content: bytes, name: str = "xl/ws/part.xml", method: int = zipfile.ZIP_DEFLATED):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        archive.writestr(name, content)
    data = out.getvalue()
    return data, zipfile.ZipFile(io.BytesIO(data)).infolist()[0]


def extent(xml: bytes) -> tuple[int, int]:
    found = scan_member(*member(b"<worksheet><sheetData>" + xml + b"</sheetData></worksheet>"))
    return found.rows, found.columns


@pytest.mark.parametrize("xml, rows, columns", [
    (b'<row r="3"><c r="B3"><v>1</v></c></row>', 3, 2),
    (b'<row r="1"><c r="$XFD$1048576"/></row>', 1048576, 16384),  # openpyxl accepts "$"
    (b'<row r="1"><c r="&#88;FD1"/></row>', 1, 16384),  # a character reference in the address
    (b'<row r="1"><c r="&#x58;FD1"/></row>', 1, 16384),
    (b'<row r="1"><c s=">" r="XFD1"/></row>', 1, 16384),  # ">" is allowed in an attribute value
    (b"<row r='1'><c s='1' r='XFD1'/></row>", 1, 16384),
    (b'<row r="1"><c t="s" r = "XFD1"/></row>', 1, 16384),  # spaces around "="
    (b'<x:row r="1"><x:c r="XFD1"/></x:row>', 1, 16384),  # a namespace prefix
    (b'<row r="1"><c r="xfd1"/></row>', 1, 16384),  # lower case
    (b'<row r="1e6"/>', 1_000_000, 0),  # openpyxl reads the row number as a float
    (b"<row/><row/><row/><row><c/><c/></row>", 4, 2),  # no addresses: counted on
    (b'<row r="5"><c r="C5"/><c/></row>', 5, 4),
    (b'<row r="2"><c r="B2"/></row><row><c/></row>', 3, 2),
    (b'</sheetData><mergeCells><mergeCell ref="A1:XFD1048576"/></mergeCells><sheetData>', 1048576, 16384),
    (b'</sheetData><hyperlinks><hyperlink ref="A1:B200000"/></hyperlinks><sheetData>', 200000, 2),
    (b'</sheetData><mergeCells><mergeCell ref="A:XFD"/></mergeCells><sheetData>', 1048576, 16384),
    (b'<row r="1"><c r="ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ1"/></row>', 1, 10**12),
    (b'<row r="99999999999999999999999999"/>', 10**12, 0),
    (b'<comment ref="XFD1048576"/>', 1048576, 16384),
])
def test_far_cells_are_seen_however_they_are_written(xml, rows, columns):
    assert extent(xml) == (rows, columns)


def test_a_far_cell_after_a_chunk_boundary_and_in_utf16(tmp_path):
    filler = b'<row r="1"><c r="A1"><v>1</v></c></row>' * (2 * CHUNK // 38)
    assert extent(filler + b'<row r="70000"><c r="AD70000"/></row>') == (70000, 30)
    utf16 = '<?xml version="1.0" encoding="UTF-16"?><worksheet><sheetData><row r="9"><c r="XFD9"/></row>'
    found = scan_member(*member(utf16.encode("utf-16") + "</sheetData></worksheet>".encode("utf-16-le")))
    assert (found.rows, found.columns) == (9, 16384)


def test_a_dtd_is_found_anywhere_in_an_xml_part_and_ignored_in_media():
    late = b"<worksheet>" + b" " * (CHUNK - 3) + b'<!DOCTYPE x [<!ENTITY a "b">]>'  # split across two chunks
    with pytest.raises(PackageProblem) as caught:
        scan_member(*member(late, "xl/worksheets/sheet1.XML"))
    assert caught.value.kind == "dtd"
    with pytest.raises(PackageProblem):  # no telling name: the content says XML
        scan_member(*member(b'<?xml version="1.0"?><!DOCTYPE x><worksheet/>', "xl/ws/ind.bin"))
    logo = b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x"><svg/>'
    scan_member(*member(logo, "xl/media/image1.svg"))  # media no parser reads may keep their DTD


def test_inflating_trusts_no_header():
    content = b"<worksheet>" + b" " * 100_000 + b"</worksheet>"
    bomb = raw_zip([("xl/worksheets/sheet1.xml", zlib.compress(content)[2:-4], content[:4096], 4096, 8)])
    info = zipfile.ZipFile(io.BytesIO(bomb)).infolist()[0]
    assert zipfile.ZipFile(io.BytesIO(bomb)).read(info) == content[:4096]  # zipfile believes the header
    with pytest.raises(PackageProblem) as caught:
        list(inflate(bomb, info))
    assert caught.value.kind == "bomb"
    wrong_crc = raw_zip([("a.xml", zlib.compress(content)[2:-4], b"other", len(content), 8)])
    with pytest.raises(PackageProblem, match="damaged"):
        list(inflate(wrong_crc, zipfile.ZipFile(io.BytesIO(wrong_crc)).infolist()[0]))
    truncated = raw_zip([("a.xml", zlib.compress(content)[2:-40], content, len(content), 8)])
    with pytest.raises(PackageProblem, match="damaged"):
        list(inflate(truncated, zipfile.ZipFile(io.BytesIO(truncated)).infolist()[0]))
    data, stored = member(content, method=zipfile.ZIP_STORED)
    assert b"".join(inflate(data, stored)) == content


# --- the bulk path and the tag-by-tag path agree ------------------------------------------------

def _cell(column: int | None) -> str:
    if column is None:
        return "<c/>"
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f'<c r="{letters}{{row}}"><v>1</v></c>'


rows_strategy = st.lists(st.tuples(st.one_of(st.none(), st.integers(1, 2_000_000)),
                                   st.lists(st.one_of(st.none(), st.integers(1, 20_000)), max_size=5)), max_size=12)


@given(rows_strategy, st.integers(1, 40))
@settings(max_examples=150, deadline=None)
def test_bulk_and_tag_by_tag_paths_agree(rows, cut):
    parts = []
    for number, cells in rows:
        opening = "<row>" if number is None else f'<row r="{number}">'
        parts.append(opening + "".join(_cell(c).replace("{row}", str(number or 1)) for c in cells) + "</row>")
    text = "".join(parts).encode()
    fast, slow = _CellScanner("x"), _CellScanner("x")
    step = max(1, len(text) // cut)
    for at in range(0, len(text), step):  # fed in pieces: the counters must survive every cut
        fast.feed(text[at:at + step])
    fast.close()
    slow._each_tag(text)
    assert (fast.extent.rows, fast.extent.columns) == (slow.extent.rows, slow.extent.columns)
