"""The number-format scan beside calamine: every way a sheet part may spell its cells."""

import pytest

from addin.reading.cell_formats import FormatsUnknown, sheet_formats

STYLES = ["General", "0.00%", "yyyy\\-mm\\-dd", "0.00"]


@pytest.mark.parametrize("xml", [
    b'<row r="2"><c r="B2" s="1"><v>0.973</v></c><c r="C2" s="2"><v>45066</v></c><c r="D2" s="0"><v>5</v></c></row>',
    b'<row r="2"><c s="1" r="B2"><v>0.973</v></c><c t="n" s="2" r="C2"><v>45066</v></c><c r="D2"><v>5</v></c></row>',
    b'<x:row r="2"><x:c r="B2" s="1"><x:v>0.973</x:v></x:c><x:c r="C2" s="2"><x:v>45066</x:v></x:c></x:row>',
    b'<row r="2"><c r="B2" t="n" s="1"><v>0.973</v></c><c r="C2" s="2"><v>45066</v></c></row>',
], ids=["excel-order", "other-order", "namespace-prefix", "style-after-type"])
def test_formats_of_filled_cells_in_any_spelling(xml):
    assert sheet_formats(xml, STYLES) == {(1, 1): "0.00%", (1, 2): "yyyy\\-mm\\-dd"}


def test_an_empty_styled_cell_has_no_format_to_show():
    assert sheet_formats(b'<c r="A1" s="3"/><c r="A2" s="3"><v>1</v></c>', STYLES) == {(1, 0): "0.00"}


def test_a_cell_without_address_sends_the_file_to_openpyxl():
    with pytest.raises(FormatsUnknown):
        sheet_formats(b'<row r="1"><c s="1"><v>1</v></c></row>', STYLES)


def test_columns_beyond_z_are_counted_right():
    assert sheet_formats(b'<c r="AA10" s="3"><v>1</v></c><c r="XFD1" s="1"><v>1</v></c>', STYLES) == {
        (9, 26): "0.00", (0, 16383): "0.00%"}
