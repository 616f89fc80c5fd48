"""The generated 自评表 against the seed's printed table (shared/seeds/000_…), cell by cell."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from addin.demo import load_demo
from addin.report import generate_sheets_into, render_outputs
from addin.report.sheetkit import table_sheet_names
from addin.report.table_spec import TableSpec, build_table
from udfs.scoring import score_project

# 二级, 三级, 年度指标值, 实际完成值, 分值, 得分, 偏差原因 — as printed in the seed.
SEED_ROWS = [
    ("数量指标", "产商品检验", "100批次", "100批次", 5, 5, None),
    ("数量指标", "食品安全检验", "1124批次", "1124批次", 5, 5, None),
    ("数量指标", "药械化监管", "200例", "360例", 5, 5, None),
    ("数量指标", "特种设备监管", "110批次", "252批次", 5, 5, None),
    ("质量指标", "产商品检验", "≥95%", "97%", 5, 4, "100批次中有3个批次不合格"),
    ("质量指标", "食品安全检验", "≥98%", "100%", 5, 5, None),
    ("质量指标", "药械化监管", "≥98%", "100%", 5, 5, None),
    ("质量指标", "特种设备监管", "≥98%", "100%", 5, 5, None),
    ("时效指标", "产商品检验", "2022年底", "100%", 1, 1, None),
    ("时效指标", "食品安全检验", "2022年底", "100%", 1, 1, None),
    ("时效指标", "药械化监管", "2022年底", "100%", 1, 1, None),
    ("时效指标", "特种设备监管", "2022年底", "100%", 1, 1, None),
    ("成本指标", "产商品检验", Decimal(10), Decimal(5), 1, 1, None),
    ("成本指标", "食品安全检验", Decimal(50), Decimal(49), 2, 2, None),
    ("成本指标", "药械化监管", Decimal(8), Decimal("4.8"), 2, 1, "开源节流"),
    ("成本指标", "特种设备监管", Decimal(2), Decimal(2), 1, 1, None),
    ("经济效益指标", "执法办案罚没收入", "≥303.9万", "399.32万", 30, 30, None),
    ("服务对象满意度指标", "群众满意度", "≥95%", "95%", 10, 10, None),
]
ALL_LEVEL2 = ("数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标", "生态效益指标",
              "可持续影响指标", "服务对象满意度指标")
T, A, W, S, R = 5, 6, 7, 8, 9  # columns E..I: 年度指标值 实际完成值 分值 得分 偏差原因


def seed_result():
    department = load_demo()
    return department, score_project(department.projects[0])


@pytest.fixture(scope="module")
def spec() -> TableSpec:
    department, result = seed_result()
    return build_table(result, department.year)


def level2_rows(spec: TableSpec, level2: str) -> range:
    """Rows covered by the merged 二级 cell (column C) named ``level2``."""
    top = spec.row_of(3, level2)
    merge = next((m for m in spec.merges if (m.top, m.left) == (top, 3)), None)
    return range(top, (merge.bottom if merge else top) + 1)


def seed_row(spec: TableSpec, level2: str, level3: str) -> int:
    return next(row for row in level2_rows(spec, level2) if spec.value(row, 4) == level3)


@pytest.mark.parametrize("row", SEED_ROWS, ids=lambda r: f"{r[0]}-{r[1]}")
def test_each_seed_row_is_in_its_cells(spec, row):
    level2, level3, target, actual, weight, score, reason = row
    at = seed_row(spec, level2, level3)
    assert [spec.value(at, c) for c in (T, A, W, S, R)] == [target, actual, weight, score, reason]


def test_title_and_header_rows(spec):
    assert spec.value(1, 1) == "2022年度预算支出绩效自评表"
    assert [spec.value(2, c) for c in (1, 2)] == ["项目名称", "市场监督管理"]
    assert [spec.value(3, c) for c in (1, 2, 6, 7)] == ["主管部门", "衡山县市场监督管理局", "实施单位", "衡山县市场监督管理局"]


def test_funds_block_execution_100_percent_scores_10(spec):
    assert [spec.value(4, c) for c in range(4, 10)] == ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    total = spec.row_of(2, "年度资金总额")
    assert [spec.value(total, c) for c in range(4, 10)] == [
        Decimal("329.34"), Decimal("231.13"), Decimal("231.13"), 10, 1, 10]
    fiscal, carried, other = (spec.row_of(2, label) for label in ("其中：当年财政拨款", "上年结转资金", "其他资金"))
    assert [spec.value(fiscal, c) for c in (4, 5, 6)] == [Decimal("329.34"), Decimal("189.34"), Decimal("189.34")]
    assert [spec.value(carried, c) for c in (4, 5, 6)] == [None, None, None]
    assert [spec.value(other, c) for c in (4, 5, 6)] == [0, Decimal("41.79"), Decimal("41.79")]


def test_annual_goal(spec):
    row = spec.row_of(1, "年度总体目标")
    assert [spec.value(row, 2), spec.value(row, 6)] == ["预期目标", "实际完成情况"]
    assert [spec.value(row + 1, 2), spec.value(row + 1, 6)] == ["强化市场监管体系、维护市场秩序", "持续推进市场稳固发展"]


def test_level1_cells_are_merged_and_show_their_points(spec):
    for label, level2s in (("产出指标\n（50分）", ALL_LEVEL2[:4]), ("效益指标\n（30分）", ALL_LEVEL2[4:8]),
                           ("满意度指标\n（10分）", ALL_LEVEL2[8:])):
        top = spec.row_of(2, label)
        merge = next((m for m in spec.merges if (m.top, m.left) == (top, 2)), None)
        bottom = merge.bottom if merge else top  # a one-row 一级 needs no merge
        assert top == level2_rows(spec, level2s[0])[0]
        assert bottom == level2_rows(spec, level2s[-1])[-1]


def test_all_nine_level2_rows_present_and_empty_ones_blank(spec):
    tops = [spec.row_of(3, name) for name in ALL_LEVEL2]
    assert tops == sorted(tops)
    for name in ("社会效益指标", "生态效益指标", "可持续影响指标"):
        (row,) = level2_rows(spec, name)
        assert all(spec.value(row, c) is None for c in range(4, 10))


def test_total_row_100_and_98(spec):
    row = spec.row_of(1, "总分")
    assert row == spec.last_row
    assert (spec.value(row, W), spec.value(row, S)) == (100, 98)


def test_flagged_row_without_reason_keeps_reason_cell_empty(spec):
    # 药械化监管 数量指标 is over-achieved (360 vs 200) and has no reason: the table shows
    # no invented text; the checks report the missing reason.
    assert spec.value(seed_row(spec, "数量指标", "药械化监管"), R) is None


def test_rendered_sheet_has_the_numbers_styles_and_print_setup(tmp_path):
    department = load_demo()
    xlsx = render_outputs(department, tmp_path, pdf=False)[0]
    ws = load_workbook(xlsx)["自评表"]
    spec = build_table(score_project(department.projects[0]), department.year)
    for cell in spec.cells:
        expected = float(cell.value) if isinstance(cell.value, Decimal) else cell.value
        assert ws.cell(cell.row, cell.column).value == expected, (cell.row, cell.column)
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:I1", "B2:I2", "B3:E3", "G3:I3"} <= merged
    assert ws["A1"].font.name == "宋体" and ws["A1"].font.sz == 16 and ws["A1"].font.b
    assert ws["D20"].font.name == "仿宋" and ws["D20"].font.sz == 11
    assert ws["D20"].border.left.style == "thin" and ws["D20"].alignment.wrap_text
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 1  # the seed's 35 rows fit one page
    heading = spec.repeat_rows[0]
    assert ws.print_title_rows == f"${heading}:${heading}" and ws.cell(heading, 9).value == "偏差原因分析及改进措施"
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"


def test_formula_like_reason_stays_text_in_xlsx(tmp_path):
    department = load_demo()
    project = department.projects[0]
    evil = '=HYPERLINK("http://evil.example","点我")'
    rows = list(project.indicators)
    rows[0] = dataclasses.replace(rows[0], deviation_reason=evil)
    project = dataclasses.replace(project, indicators=tuple(rows), goal_expected="=1+1")
    department = dataclasses.replace(department, projects=(project,))
    xlsx = render_outputs(department, tmp_path, pdf=False)[0]
    ws = load_workbook(xlsx)["自评表"]
    reasons = [c for c in ws["I"] if c.value == evil]
    assert reasons and all(c.data_type == "s" for c in reasons)
    with zipfile.ZipFile(xlsx) as package:
        sheet_xml = package.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "HYPERLINK" in sheet_xml


def test_sheet_names_for_several_projects():
    assert table_sheet_names(["市场监督管理"]) == ["自评表"]
    names = table_sheet_names(["a/b:c*d?[e]", "很长的项目名称" * 6, "很长的项目名称" * 6])
    assert names[0] == "自评表-abcde"
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    assert len(set(names)) == 3


def test_generate_sheets_into_replaces_only_generated_sheets():
    workbook = Workbook()
    workbook.active.title = "部门信息"
    workbook["部门信息"]["A1"] = "用户数据"
    for title in ("自评表", "自评表-旧项目", "自评报告", "自评表说明"):
        workbook.create_sheet(title)["A1"] = "旧"
    workbook.create_sheet("绩效指标")
    titles = generate_sheets_into(workbook, load_demo())
    assert titles == ["自评表", "自评报告"]
    assert workbook.sheetnames == ["部门信息", "自评表", "自评报告", "自评表说明", "绩效指标"]
    assert workbook["部门信息"]["A1"].value == "用户数据" and workbook["自评表说明"]["A1"].value == "旧"
    assert workbook["自评表"]["A1"].value == "2022年度预算支出绩效自评表"


needs_lo = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdffonts")),
                              reason="LibreOffice/poppler not installed")


def _run(*cmd: str) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


@needs_lo
def test_table_pdf_is_landscape_one_page_wide_with_embedded_cjk_font(tmp_path):
    paths = render_outputs(load_demo(), tmp_path)
    pdf = next(p for p in paths if p.name.endswith("自评表.pdf"))
    fonts = [line for line in _run("pdffonts", str(pdf)).splitlines()[2:]]
    cjk = [line for line in fonts if any(k in line for k in ("CJK", "Song", "Fang", "Sim"))]
    assert cjk and all(line.split()[-5] == "yes" for line in cjk)  # emb column
    assert any("SerifCJK" in line for line in cjk)  # 宋体/仿宋 stand-in, not a sans face
    info = _run("pdfinfo", str(pdf))
    width, height = (float(v) for v in info.split("Page size:")[1].split("pts")[0].split(" x "))
    assert width > height  # landscape
    pages = int(info.split("Pages:")[1].split()[0])
    assert pages == 1  # the seed's table, like the printed one, is a single page
    for page in range(1, pages + 1):
        text = _run("pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-")
        assert "偏差原因分析及改进措施" in text  # rightmost column on every page, header repeated
        assert f"第{page}页共{pages}页" in text.replace(" ", "")  # footer; pdftotext drops spaces
    first = _run("pdftotext", "-layout", "-f", "1", "-l", "1", str(pdf), "-")
    assert "2022年度预算支出绩效自评表" in first and "100.00%" in first


def test_several_projects_get_one_sheet_each_and_one_summary_each(tmp_path):
    department = load_demo()
    second = dataclasses.replace(department.projects[0], name="综合执法/制服")
    department = dataclasses.replace(department, projects=(department.projects[0], second))
    xlsx = render_outputs(department, tmp_path, pdf=False)[0]
    book = load_workbook(xlsx)
    assert book.sheetnames == ["自评表-市场监督管理", "自评表-综合执法制服", "自评报告"]
    assert book["自评表-综合执法制服"]["B2"].value == "综合执法/制服"
    summaries = [c.value for c in book["自评报告"]["A"] if c.value and "自评得分" in c.value]
    assert len(summaries) == 2


def test_a_long_table_flows_over_pages_instead_of_shrinking(tmp_path):
    department = load_demo()
    project = department.projects[0]
    many = dataclasses.replace(project, indicators=project.indicators * 12)
    xlsx = render_outputs(dataclasses.replace(department, projects=(many,)), tmp_path, pdf=False)[0]
    setup = load_workbook(xlsx)["自评表"].page_setup
    assert setup.fitToWidth == 1 and setup.fitToHeight == 0


def test_a_long_table_never_leaves_the_total_alone_on_its_last_page():
    """If the last page at 100% would hold 总分 and one row, a manual break moves rows down to it."""
    from addin.report.table_sheet import MIN_LAST_PAGE_ROWS, natural_breaks, tail_break

    printable, heading = 500.0, 20.0
    heights = [20.0] * 26  # 25 rows fill the first page, the 26th (总分) would be alone
    assert natural_breaks(heights, heading, printable) == [25]
    row = tail_break(heights, heading, printable)
    assert len(heights) - row == MIN_LAST_PAGE_ROWS
    assert tail_break([20.0] * 40, heading, printable) is None  # 15 rows on the last page: left alone
    assert tail_break([20.0] * 10, heading, printable) is None  # one page
