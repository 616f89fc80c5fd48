"""The seed's 2022年度预算支出绩效自评表 as an official-layout workbook, built in the test.

Figures are the seed's (shared/seeds/000_…txt), row by row; the layout follows the printed
table: merged title, 项目资金 block with a merged label, 年度总体目标, the 绩 效 指 标 block with
merged 一级/二级 cells, empty 二级 rows, and 总分. ``variant`` knobs produce the messy forms
seen in real exports (元 amounts, full-width characters, a comparator column, 指标1 numbering,
"…" placeholder rows).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

# level1, level2, level3, target, actual, weight, published, reason
SEED_ROWS = (
    ("产出指标（50 分）", "数量指标", "产商品检验", "100批次", "100批次", 5, 5, ""),
    (None, None, "食品安全检验", "1124批次", "1124批次", 5, 5, ""),
    (None, None, "药械化监管", "200例", "360例", 5, 5, ""),
    (None, None, "特种设备监管", "110批次", "252批次", 5, 5, ""),
    (None, "质量指标", "产商品检验", "≥95%", "97%", 5, 4, "100批次中有3个批次不合格"),
    (None, None, "食品安全检验", "≥98%", "100%", 5, 5, ""),
    (None, None, "药械化监管", "≥98%", "100%", 5, 5, ""),
    (None, None, "特种设备监管", "≥98%", "100%", 5, 5, ""),
    (None, "时效指标", "产商品检验", "2022年底", "100%", 1, 1, ""),
    (None, None, "食品安全检验", "2022年底", "100%", 1, 1, ""),
    (None, None, "药械化监管", "2022年底", "100%", 1, 1, ""),
    (None, None, "特种设备监管", "2022年底", "100%", 1, 1, ""),
    (None, "成本指标", "产商品检验", 10, 5, 1, 1, ""),
    (None, None, "食品安全检验", 50, 49, 2, 2, ""),
    (None, None, "药械化监管", 8, 4.8, 2, 1, "开源节流"),
    (None, None, "特种设备监管", 2, 2, 1, 1, ""),
    ("效益指标（30 分）", "经济效益指标", "执法办案罚没收入", "≥303.9万", "399.32万", 30, 30, ""),
    (None, None, None, None, None, None, None, None),
    (None, "社会效益指标", None, None, None, None, None, None),
    (None, None, None, None, None, None, None, None),
    (None, "生态效益指标", None, None, None, None, None, None),
    (None, None, None, None, None, None, None, None),
    (None, "可持续影响指标", None, None, None, None, None, None),
    (None, None, None, None, None, None, None, None),
    ("满意度指标（10 分）", "服务对象满意度指标", "群众满意度", "≥95%", "95%", 10, 10, ""),
    (None, None, None, None, None, None, None, None),
)
FUNDS_ROWS = (
    ("年度资金总额", 329.34, 231.13, 231.13, 10, 1.0, 10),
    ("其中：当年财政拨款", 329.34, 189.34, 189.34, None, None, None),
    ("上年结转资金", None, None, None, None, None, None),
    ("其他资金", 0, 41.79, 41.79, None, None, None),
)
OVER_ACHIEVED = ("药械化监管", "特种设备监管", "执法办案罚没收入")
SHEET = "自评表"


@dataclass(frozen=True)
class Variant:
    yuan: bool = False  # amounts in 元, block label "项目资金（元）"
    full_width: bool = False  # full-width digits/symbols and spaced labels
    comparator_column: bool = False  # "比较符" column between 三级指标 and 年度指标值
    numbering: bool = False  # "指标1：" before each 三级 name
    placeholder: bool = False  # a "……" row after the last quantity row
    merge: bool = True  # False: 一级/二级 left blank below their first row, no merges


_FULL = str.maketrans("0123456789%.≥", "０１２３４５６７８９％．≧")


def _wide(text, variant: Variant):
    return text.translate(_FULL) if variant.full_width and isinstance(text, str) else text


def _split_comparator(target):
    if isinstance(target, str) and target[:1] in "≥≤":
        return target[0], target[1:]
    return "", target


def build_seed_table(path: Path, variant: Variant = Variant(), rows=SEED_ROWS, published_total=98) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    write_seed_table(ws, variant=variant, rows=rows, published_total=published_total)
    path = Path(path)
    wb.save(path)
    return path


def build_tables(path: Path, sheets: dict[str, list[dict]]) -> Path:
    """A workbook of official tables: {sheet: [keyword arguments of write_seed_table, …]}, the
    tables of a sheet stacked top to bottom with two blank rows between them. An empty list
    makes a sheet without a table (a 说明 sheet with one line of text)."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, tables in sheets.items():
        ws = wb.create_sheet(name)
        if not tables:
            ws.cell(1, 1, "填报说明：本文件各工作表为各项目的自评表")
        top = 1
        for table in tables:
            top = write_seed_table(ws, top=top, **table) + 3
    path = Path(path)
    wb.save(path)
    return path


def write_seed_table(ws, top: int = 1, variant: Variant = Variant(), rows=SEED_ROWS, published_total=98,
                     name: str = "市场监督管理", title: str = "2022年度预算支出绩效自评表",
                     funds_scale: float = 1.0) -> int:
    """The seed's table on ``ws`` with its title at row ``top``; returns its 总分 row.
    ``funds_scale`` multiplies every amount (a second project with other figures)."""
    o = top - 1
    shift = 1 if variant.comparator_column else 0
    last = 9 + shift  # column I (or J)

    def merge(r0, c0, r1, c1):
        ws.merge_cells(start_row=r0 + o, start_column=c0, end_row=r1 + o, end_column=c1)

    def put(r, c, value):
        ws.cell(r + o, c, value)

    put(1, 1, title)
    merge(1, 1, 1, last)
    put(2, 1, "项目支出\n名称")
    put(2, 2, name)
    merge(2, 2, 2, last)
    put(3, 1, "主 管 部 门" if variant.full_width else "主管部门")
    put(3, 2, "衡山县市场监督管理局")
    merge(3, 2, 3, 4)
    put(3, 5, "实施单位")
    put(3, 6, "衡山县市场监督管理局")
    merge(3, 6, 3, last)

    put(4, 1, "项目资金 （元）" if variant.yuan else "项目资金 （万元）")
    merge(4, 1, 8, 1)
    for column, head in enumerate(("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"), start=4):
        put(4, column, head)
    merge(4, 2, 4, 3)
    scale = (10_000 if variant.yuan else 1) * funds_scale
    for r, (label, initial, budget, executed, weight, rate, score) in enumerate(FUNDS_ROWS, start=5):
        put(r, 2, label)
        merge(r, 2, r, 3)
        for column, value in enumerate((initial, budget, executed), start=4):
            put(r, column, None if value is None else round(value * scale, 2))
        for column, value in enumerate((weight, rate, score), start=7):
            put(r, column, value)

    put(9, 1, "年度总体目标")
    merge(9, 1, 10, 1)
    put(9, 2, "预期目标")
    merge(9, 2, 9, 5)
    put(9, 6, "实际完成情况")
    merge(9, 6, 9, last)
    put(10, 2, "强化市场监管体系、维护市场秩序")
    merge(10, 2, 10, 5)
    put(10, 6, "持续推进市场稳固发展")
    merge(10, 6, 10, last)

    header = ["一级指标", "二级指标", "三级指标"] + (["比较符"] if shift else []) + [
        "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
    put(11, 1, "绩 效 指 标")
    for column, head in enumerate(header, start=2):
        put(11, column, head)

    table_rows = list(rows)
    if variant.placeholder:
        table_rows.insert(4, (None, None, "……", "……", None, None, None, None))
    first = r = 12
    level_starts: dict[int, list[int]] = {2: [], 3: []}
    numbering = 0
    for r, (level1, level2, level3, target, actual, weight, published, reason) in enumerate(table_rows, start=first):
        for column, value in ((2, level1), (3, level2)):
            if value is not None:
                level_starts[column].append(r)
                put(r, column, _wide(value.replace("（", " （") if variant.full_width else value, variant))
        if level3 and variant.numbering and level3 != "……":
            numbering += 1
            level3 = f"指标{numbering}：{level3}"
        put(r, 4, level3)
        comparator, target = _split_comparator(target) if shift else ("", target)
        if shift:
            put(r, 5, comparator or None)
        values = (_wide(target, variant), _wide(actual, variant), weight, published, reason or None)
        for column, value in enumerate(values, start=5 + shift):
            put(r, column, value)
    end = r
    merge(11, 1, end, 1)
    if variant.merge:
        for column, starts in level_starts.items():
            for start, stop in zip(starts, starts[1:] + [end + 1]):
                if stop - 1 > start:
                    merge(start, column, stop - 1, column)
    total = end + 1
    put(total, 1, "总分")
    merge(total, 1, total, 6 + shift)
    put(total, 7 + shift, 100)
    put(total, 8 + shift, published_total)
    return total + o


# --- legacy .xls -------------------------------------------------------------------------------
# No xls writer is installed (xlwt is unmaintained); a BIFF8 workbook needs only a handful of
# records, wrapped in an OLE compound file by the project's own MS-CFB writer.

def _record(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _text16(text: str) -> bytes:
    return struct.pack("<HB", len(text), 1) + text.encode("utf-16-le")


def _text8(text: str) -> bytes:
    return struct.pack("<BB", len(text), 1) + text.encode("utf-16-le")


def xls_bytes(sheets: dict[str, dict[tuple[int, int], object]], merged: dict[str, list] | None = None) -> bytes:
    """A BIFF8 .xls: ``sheets`` {name: {(row, col): str | number}} (0-based), ``merged``
    {name: [(row0, row1, col0, col1)]}. Strings are LABEL records, numbers NUMBER records."""
    from addin.vba.cfb import write_compound_file

    merged = merged or {}
    bof = lambda kind: _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x06))  # noqa: E731
    font = _record(0x0031, struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0) + _text8("Arial"))
    style_xf = _record(0x00E0, struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0))
    cell_xf = _record(0x00E0, struct.pack("<HHHBBBBIIH", 0, 0, 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0))
    globals_ = [bof(0x0005), _record(0x0042, struct.pack("<H", 1200))] + [font] * 5 + [style_xf] * 15 + [cell_xf]
    streams = []
    for name, cells in sheets.items():
        rows = max((r for r, _ in cells), default=-1) + 1
        cols = max((c for _, c in cells), default=-1) + 1
        body = [bof(0x0010), _record(0x0200, struct.pack("<IIHHH", 0, rows, 0, cols, 0))]
        for (r, c), value in sorted(cells.items()):
            if isinstance(value, str):
                body.append(_record(0x0204, struct.pack("<HHH", r, c, 15) + _text16(value)))
            elif value is not None:
                body.append(_record(0x0203, struct.pack("<HHHd", r, c, 15, float(value))))
        ranges = merged.get(name, [])
        if ranges:
            body.append(_record(0x00E5, struct.pack("<H", len(ranges)) + b"".join(struct.pack("<HHHH", *m) for m in ranges)))
        body.append(_record(0x000A))
        streams.append(b"".join(body))
    sheet_records = [len(_record(0x0085, struct.pack("<IBB", 0, 0, 0) + _text8(n))) for n in sheets]
    offset = sum(map(len, globals_)) + sum(sheet_records) + len(_record(0x000A))
    boundsheets = []
    for name, stream in zip(sheets, streams):
        boundsheets.append(_record(0x0085, struct.pack("<IBB", offset, 0, 0) + _text8(name)))
        offset += len(stream)
    data = b"".join(globals_ + boundsheets + [_record(0x000A)] + streams)
    return write_compound_file({"Workbook": data.ljust(4096, b"\0")})  # ≥4096: a regular stream


def xlsx_to_xls(source: Path, target: Path) -> Path:
    """The same sheets, values and merged ranges as a legacy .xls."""
    from openpyxl import load_workbook

    book = load_workbook(source)
    sheets, merged = {}, {}
    for ws in book.worksheets:
        sheets[ws.title] = {(cell.row - 1, cell.column - 1): cell.value for row in ws.iter_rows() for cell in row
                            if cell.value is not None}
        merged[ws.title] = [(m.min_row - 1, m.max_row - 1, m.min_col - 1, m.max_col - 1) for m in ws.merged_cells.ranges]
    target = Path(target)
    target.write_bytes(xls_bytes(sheets, merged))
    return target
