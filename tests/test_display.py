"""What a cell shows is what every output prints: udfs.display against LibreOffice.

The table cases read like the cells accountants fill; the property test feeds the renderer
arbitrary codes and values; the oracle tests render a generated grid of (value, format)
pairs in a real zh-CN LibreOffice (one launch) and demand the very same text.
"""

from __future__ import annotations

import random
import zipfile
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lo import displayed_cells, render_in_libreoffice, requires_libreoffice
from udfs.display import builtin_number_format, is_date_format, is_percent_format, shown_text

SHOWN = [
    # amounts (万元) as typed into 项目资金 and 预算执行
    (912.5, "0.00", "912.50"),
    (Decimal("912.5"), "#,##0.00", "912.50"),
    (1234567.891, "#,##0.00", "1,234,567.89"),
    (-1234.5, "#,##0.00;-#,##0.00", "-1,234.50"),
    (-1234.5, "#,##0.00;[Red](#,##0.00)", "(1,234.50)"),
    (0, '#,##0.00;-#,##0.00;"-"', "-"),
    (1234.5, '#,##0.00"万元"', "1,234.50万元"),
    (1234.5, "0.00\\万\\元", "1234.50万元"),
    (35, '0"人"', "35人"),
    (12345678, '#,##0.0,"千元"', "12,345.7千元"),
    (12345678, "#,##0,,", "12"),
    (2007.45, "[$¥-804]#,##0.00", "¥2,007.45"),
    (2007.45, "[$-804]0.00", "2007.45"),
    (98, "[Red]0.00", "98.00"),
    # rounding: half away from zero on the decimal value, never a binary artefact
    (1.005, "0.00", "1.01"),
    (2.675, "0.00", "2.68"),
    (2.5, "0", "3"),
    (-2.5, "0", "-3"),
    (-0.001, "0.00", "0.00"),
    (99.995, "0.00", "100.00"),
    (0.285, "0%", "28%"),  # LibreOffice scales the double: 28.499999999999996% (Excel: 29%)
    (0.2855, "0.0%", "28.5%"),
    (12345678901234567, "0.00", "12345678901234600.00"),  # 15 significant digits at most
    # rates
    (0.973, "0.00%", "97.30%"),
    (0.973, "0%", "97%"),
    (0.9744, "0.0%", "97.4%"),
    (-0.05, "0.00%", "-5.00%"),
    (1.2, "0%", "120%"),
    # General: up to 15 significant digits, scientific for the very large and small
    (0.1 + 0.2, "General", "0.3"),
    (1 / 3, "General", "0.333333333333333"),
    (2007.45, "General", "2007.45"),
    (1234567890123.0, "General", "1234567890123"),
    (1e16, "General", "1E+016"),
    (123456789012345678, "General", "1.23456789012346E+017"),
    (0.00001, "General", "0.00001"),
    (5e-10, "General", "5E-10"),
    (-0.0, "General", "0"),
    (98, None, "98"),
    (98, "", "98"),
    (45, "G/通用格式", "45"),
    (3.5, 'General"分"', "3.5分"),
    # scientific
    (123456, "0.00E+00", "1.23E+05"),
    (0.000123, "0.00E+00", "1.23E-04"),
    (45066.5625, "##0.0E+0", "45.1E+3"),
    # conditions, text sections, literals, padding
    (150, '[>=100]"达标";"未达标"', "达标"),
    (99.5, '[>=100]"达标";"未达标"', "未达标"),
    (1, '"TRUE";"TRUE";"FALSE"', "TRUE"),
    (0, '"TRUE";"TRUE";"FALSE"', "FALSE"),
    (45067, "_ * #,##0_ ;_ * -#,##0_ ;_ * \"-\"_ ;_ @_ ", " 45,067 "),
    (-100, "_(* #,##0_)", "- 100 "),
    (100, "#.##", "100"),
    (0.5, "#.00", ".50"),
    (0, "#,###", ""),
    (123, "000000", "000123"),
    ("专项资金", "@", "专项资金"),
    ("专项资金", '@"项目"', "专项资金项目"),
    ("≥95%", "0.00", "≥95%"),
    ("说明", '0.00;-0.00;0;"注："@', "注：说明"),
    ("", '@"元"', ""),
    (None, "0.00", ""),
    (True, "0", "TRUE"),
    (False, "General", "FALSE"),
    # dates, as LibreOffice writes Chinese formats
    (date(2023, 5, 20), "yyyy\\-mm\\-dd", "2023-05-20"),
    (date(2023, 5, 20), "yy\\年m\\月d\\日", "23年5月20日"),
    (date(2023, 5, 20), 'yyyy"年"m"月"d"日"', "2023年5月20日"),
    (date(2023, 5, 20), "yyyy年m月d日", "2023年5月20日"),
    (date(2023, 12, 31), 'yyyy"年"m"月"', "2023年12月"),
    (date(2023, 12, 31), 'm"月"d"日"', "12月31日"),
    (date(2023, 5, 20), "yyyy/m/d", "2023/5/20"),
    (date(2023, 5, 20), "mmmm dddd", "五月 星期六"),
    (date(2023, 5, 20), "mmm ddd aaaa", "5月 六 星期六"),
    (date(2023, 5, 20), 'e"年"', "23年"),  # LibreOffice: E is the short year (Excel: 2023)
    (date(2023, 5, 20), "ee", "2023"),
    (45066, "yyyy\\-mm\\-dd", "2023-05-20"),  # a serial number under a date format
    (45066.75, "yyyy/m/d h:mm", "2023/5/20 18:00"),
    (60, "yyyy\\-mm\\-dd", "1900-02-29"),  # Excel's fictitious leap day
    (45066, "yyyy\\-mm\\-dd", "2023-05-20"),
    (1462, "yyyy\\-mm\\-dd", "1904-01-01"),
    (datetime(2023, 5, 20, 13, 30), "yyyy\\-mm\\-dd hh:mm:ss", "2023-05-20 13:30:00"),
    (datetime(2023, 12, 31, 23, 59, 59, 600000), "yyyy/m/d h:mm:ss", "2024/1/1 0:00:00"),
    (datetime(2023, 5, 20, 13, 30), "General", "2023-05-20 13:30:00"),
    (date(2023, 5, 20), "General", "2023-05-20"),
    (date(2023, 5, 20), "0.00", "45066.00"),
    # times
    (time(13, 30), "h:mm", "13:30"),
    (time(13, 30), "h:mm AM/PM", "1:30 下午"),
    (time(9, 5), "上午/下午h\"时\"mm\"分\"", "上午9时05分"),
    (time(23, 59, 59, 900000), "hh:mm:ss", "23:59:59"),  # a clock is truncated, not rounded
    (timedelta(hours=30, minutes=15), "[h]:mm", "30:15"),
    (1.5, "[h]:mm:ss", "36:00:00"),
    (-0.25, "[h]:mm", "-6:00"),
    # what the renderer does not render falls back to General, never raises
    (12, "[DBNum1]0", "12"),
    (0.75, "# ?/?", "0.75"),
    (float("nan"), "0.00", "#NUM!"),
]


@pytest.mark.parametrize(("value", "number_format", "expected"), SHOWN,
                         ids=[f"{v!r} under {f!r} shows {e!r}" for v, f, e in SHOWN])
def test_a_cell_shows(value, number_format, expected):
    assert shown_text(value, number_format) == expected


def test_the_1904_date_system_counts_from_1904():
    assert shown_text(0, "yyyy\\-mm\\-dd", date1904=True) == "1904-01-01"
    assert shown_text(date(2023, 5, 20), "0", date1904=True) == "43604"


@pytest.mark.parametrize(("num_fmt_id", "code"), [
    (0, "General"), (2, "0.00"), (4, "#,##0.00"), (10, "0.00%"),
    (14, "yyyy\\-m\\-d"),  # LibreOffice zh-CN; Excel zh-CN shows yyyy/m/d
    (22, "yyyy\\-m\\-d h:mm"),
    (31, 'yyyy"年"m"月"d"日"'), (57, 'yyyy"年"m"月"'), (58, 'm"月"d"日"'), (49, "@"),
])
def test_builtin_number_formats_have_their_zh_cn_codes(num_fmt_id, code):
    assert builtin_number_format(num_fmt_id) == code


def test_an_unknown_builtin_id_has_no_code():
    assert builtin_number_format(163) is None


@pytest.mark.parametrize(("code", "percent", "dated"), [
    ("0.00%", True, False), ("0%", True, False), ('0.0"%"', False, False),
    ("0.00", False, False), ("General", False, False), (None, False, False),
    ("yyyy\\-mm\\-dd", False, True), ('yy"年"m"月"d"日"', False, True), ("h:mm", False, True),
    ("[h]:mm:ss", False, True), ('"yyyy"0', False, False), ("0.00E+00", False, False),
    ("[Red]0.00", False, False), ("\\d0", False, False), ('"TRUE";"TRUE";"FALSE"', False, False),
])
def test_percent_and_date_formats_are_recognised(code, percent, dated):
    assert is_percent_format(code) is percent
    assert is_date_format(code) is dated


FORMAT_ALPHABET = st.sampled_from(list('0#?.,%E+-;@"\\_*[]$<>=/:ymdhsaAPMeg年月日 General红'))
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False), st.text(max_size=8),
    st.datetimes(), st.dates(), st.times(), st.timedeltas(),
)


@settings(max_examples=400, deadline=None)
@given(VALUES, st.text(FORMAT_ALPHABET, max_size=24) | st.text(max_size=12))
def test_shown_text_never_raises(value, number_format):
    assert isinstance(shown_text(value, number_format), str)


# ---------------------------------------------------------------------------- oracle

NUMBER_FORMATS = [
    "General", "0", "0.0", "0.00", "0.000", "#,##0", "#,##0.00", "#,##0.000", "0%", "0.0%",
    "0.00%", '#,##0.00"万元"', '0"人"', "0.00\\万\\元", '0.0"%"', "#,##0.00 ", "000000",
    "0.00E+00", "0.0E+0", "##0.0E+0", "0E+00", "0.000E-00",
    "#,##0.00;-#,##0.00", "#,##0.00;[Red]-#,##0.00", "0.00;(0.00)", '0.00;[Red](0.00);"-"',
    '0;-0;"零"', '"TRUE";"TRUE";"FALSE"', "#,##0.00_);(#,##0.00)",
    '[>=100]"大";"小"', "[>=100]0.0;0.00", '[<0]"负";"非负"', '[>=1000]#,##0,"千";0',
    "[>100]0;[<0]0.0", "[>0]0.0",
    "#,##0,", '#,##0,,"百万"', "0.0,,", "_(* #,##0_)", "0.00_ ", "#.##", "0.0#", "#,##0.0#",
    "[$-804]0.00", "[$¥-804]#,##0.00", "[$￥-804]#,##0.00;[$￥-804]-#,##0.00", "[Red]0.00",
    "[Color10]0", "General;-General", '"合计"0.00', "???.??", "0.00;-0.00;0.00;@",
    '[Red]General', 'General"分"',
]
DATE_FORMATS = [
    "yyyy\\-mm\\-dd", "yyyy/m/d", 'yyyy"年"m"月"d"日"', "yy\\年m\\月d\\日", 'm"月"d"日"',
    'yyyy"年"m"月"', "mmm\\-yy", "d\\-mmm", "mmmm", "dddd", "ddd", "aaaa",
    "yyyy\\-mm\\-dd hh:mm:ss", "yyyy/m/d h:mm", "h:mm", "hh:mm:ss", "h:mm AM/PM",
    "h:mm:ss AM/PM", "[h]:mm:ss", "[mm]:ss", "mm:ss.0", "hh:mm:ss.00", 'e"年"m"月"', "ee",
    'h"时"mm"分"ss"秒"', 'AM/PMh"时"mm"分"', '[$-804]yyyy"年"m"月"d"日" dddd',
    "yyyy\\-m\\-d", "m\\-d\\-yy", "d/m/yyyy", "yyyymmdd", "yyyy.mm.dd",
]
TEXT_FORMATS = ["@", '@"元"', '"编号："@', '0.00;-0.00;0;"文字："@', "0.00", "General",
                '_ * #,##0_ ;_ * -#,##0_ ;_ * "-"_ ;_ @_ ']


def _numbers(rng: random.Random) -> list:
    """Values an accountant's cells hold, and the edges of rounding and magnitude."""
    out = [0, 0.0, -0.0, 912.5, 0.973, 1.005, 2.5, -2.5, 0.125, 0.1 + 0.2, 100, -100, 1000,
           99.995, 0.285, 0.2855, 158492.0005]
    for _ in range(4):
        places = rng.randint(0, 4)
        magnitude = rng.choice([1, 10, 1000, 10**6, 10**9])
        amount = Decimal(rng.randint(0, magnitude * 10**places)).scaleb(-places)
        out.append(float(amount) * rng.choice([1, -1]))
    half = Decimal(rng.randint(0, 10**6)) + Decimal("0.5").scaleb(-rng.randint(0, 3))
    out.append(float(half) * rng.choice([1, -1]))
    out.append(rng.choice([1e12, 1.23456789e13, 1e15, 4.5e15, 1e16, 1.5e20, 123456789012345678]))
    out.append(rng.choice([1e-6, 1.5e-5, 1.23e-9, 5e-10, 0.0001234, 1e-20]) * rng.choice([1, -1]))
    return out


def _moments(rng: random.Random) -> list:
    """Dates and times from 1900-03-01 to 2100 (Excel's and LibreOffice's serials agree there).

    Sub-second parts avoid exact halves: the oracle passes a datetime as a float serial,
    which cannot hold 12:00:00.5 exactly, so a half could round either way.
    """
    start, end = datetime(1900, 3, 1), datetime(2100, 12, 31)
    out = []
    for _ in range(5):
        moment = start + timedelta(seconds=rng.randint(0, int((end - start).total_seconds())))
        if rng.random() < 0.3:
            moment = moment.replace(microsecond=rng.choice([0, 123456, 499000, 730000, 999000]))
        out.append(moment)
    out.append(date(2023, 5, 20))
    out.append(rng.choice([time(0, 0), time(12, 0), time(23, 59, 59), time(13, 30, 15)]))
    out.append(rng.choice([45066.5625, 45291.999999, 61.25, 44926.0]))
    return out


def oracle_pairs(seed: int = 20230520) -> list[tuple[object, str]]:
    """A deterministic grid over the format families, six random values per format."""
    rng = random.Random(seed)
    pairs: list[tuple[object, str]] = []
    for code in NUMBER_FORMATS:
        pairs += [(value, code) for value in rng.sample(_numbers(rng), 6)]
    for code in DATE_FORMATS:
        pairs += [(value, code) for value in rng.sample(_moments(rng), 6)]
    for code in TEXT_FORMATS:
        pairs += [("专项资金", code), ("97.3%", code), ("", code)]
    return pairs


def _disagreements(pairs, shown_by_libreoffice) -> list[str]:
    return [f"{value!r} under {code!r}: LibreOffice {lo!r}, shown_text {shown_text(value, code)!r}"
            for (value, code), lo in zip(pairs, shown_by_libreoffice)
            if lo != shown_text(value, code)]


@requires_libreoffice
def test_libreoffice_shows_what_shown_text_says():
    pairs = oracle_pairs()
    assert len(pairs) > 500
    shown_by_libreoffice = render_in_libreoffice(pairs)
    assert None not in shown_by_libreoffice, "LibreOffice rejected a format code of the grid"
    assert _disagreements(pairs, shown_by_libreoffice) == []


def _workbook_with_builtin_ids(path: Path, cells: list[tuple[int, float]]) -> None:
    """A minimal .xlsx whose cells use built-in numFmtIds with no <numFmt> code written,
    as Excel and WPS save them (openpyxl cannot write ids it does not know)."""
    xfs = "".join(f'<xf numFmtId="{i}" fontId="0" fillId="0" borderId="0" xfId="0" '
                  'applyNumberFormat="1"/>' for i, _value in cells)
    rows = "".join(f'<row r="{n + 1}"><c r="A{n + 1}" s="{n}"><v>{value!r}</v></c></row>'
                   for n, (_i, value) in enumerate(cells))
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml":
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
        "_rels/.rels":
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml":
            f'<workbook {ns} xmlns:r="{rel}"><sheets><sheet name="内置格式" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels":
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml":
            f'<styleSheet {ns}><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border/></borders><cellStyleXfs count="1">'
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(cells)}">{xfs}</cellXfs></styleSheet>',
        "xl/worksheets/sheet1.xml": f"<worksheet {ns}><sheetData>{rows}</sheetData></worksheet>",
    }
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + text)


@requires_libreoffice
def test_a_file_using_builtin_ids_shows_what_their_codes_say(tmp_path):
    # Fractions (12, 13) are left out: the renderer shows them as General on purpose.
    ids = [i for i in range(59) if i not in (12, 13)]
    cells = [(i, value) for i in ids for value in (45066.5625, -1234.5)]
    path = tmp_path / "builtin_ids.xlsx"
    _workbook_with_builtin_ids(path, cells)
    shown = displayed_cells(path, sheets=["内置格式"])
    wrong = [f"id {i} {value!r}: LibreOffice {shown[f'内置格式!A{n + 1}']['string']!r}, "
             f"shown_text {shown_text(value, builtin_number_format(i))!r}"
             for n, (i, value) in enumerate(cells)
             if shown[f"内置格式!A{n + 1}"]["string"] != shown_text(value, builtin_number_format(i))]
    assert wrong == []
