"""Importing the seed's 自评表 in the official layout (built in tests/official_tables.py).

The import must reproduce the printed table: 18 scored 三级 rows plus the three empty 二级
rows (社会/生态/可持续, 21 rows in the 三级 column), the funds block, the goal, the printed
得分 per row and 总分 98 — with the two explained deductions adopted as manual overrides.
A file's every table is imported: one sheet per project, tables stacked on a sheet, and the
tool's own generated 自评表 workbook, which must come back as the department it was made from.
"""

import json
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from addin.cli import main
from addin.demo import load_demo
from addin.importer import department_of, import_table
from addin.importer.evaluate import evaluate_file
from addin.reading.workbook import read_workbook
from addin.report import generate_sheets_into
from addin.report.table_spec import build_table
from tests.official_tables import SEED_ROWS, Variant, build_seed_table, build_tables, xlsx_to_xls
from udfs.model import shown, Funds, FundsLine, Indicator, Project
from udfs.numbers import D
from udfs.scoring import score_project

ROOT = Path(__file__).resolve().parents[1]
SCORED = [row for row in SEED_ROWS if row[2]]
VARIANTS = {
    "plain": Variant(),
    "元+全角+比较符列+编号+占位行+无合并": Variant(yuan=True, full_width=True, comparator_column=True, numbering=True,
                                            placeholder=True, merge=False),
    "比较符列": Variant(comparator_column=True),
}


@pytest.fixture(params=list(VARIANTS), ids=list(VARIANTS))
def imported(request, tmp_path):
    return import_table(build_seed_table(tmp_path / "自评表.xlsx", VARIANTS[request.param])).tables[0]


def test_header_funds_and_goal(imported):
    project = imported.project
    assert (project.name, project.department, project.implementer) == ("市场监督管理", "衡山县市场监督管理局", "衡山县市场监督管理局")
    assert imported.year == 2022
    total = project.funds.total
    assert (total.initial, total.budget, total.executed) == (Decimal("329.34"), Decimal("231.13"), Decimal("231.13"))
    assert project.funds.weight == 10
    assert [p.label for p in project.funds.parts] == ["当年财政拨款", "上年结转资金", "其他资金"]
    assert project.funds.parts[2].budget == Decimal("41.79")
    assert (project.goal_expected, project.goal_achieved) == ("强化市场监管体系、维护市场秩序", "持续推进市场稳固发展")
    assert project.published_total == 98


def test_rows_levels_and_published_scores(imported):
    rows = imported.project.indicators
    assert len(rows) == 18
    assert len(rows) + len(imported.empty_level2) == 21
    assert imported.empty_level2 == ("社会效益指标", "生态效益指标", "可持续影响指标")
    level1 = [r[0] for r in SEED_ROWS]
    expected_level1 = []
    current = ""
    for value, row in zip(level1, SEED_ROWS):
        current = value.split("（")[0] if value else current
        if row[2]:
            expected_level1.append(current)
    assert [r.level1 for r in rows] == expected_level1
    assert [r.level3 for r in rows] == [row[2] for row in SCORED]
    assert [r.published_score for r in rows] == [row[6] for row in SCORED]
    assert [r.level2 for r in rows][:5] == ["数量指标"] * 4 + ["质量指标"]
    assert rows[4].deviation_reason == "100批次中有3个批次不合格"
    assert rows[0].origin.startswith("自评表!D")


def test_scores_reproduce_the_published_98(imported):
    result = score_project(imported.project)
    assert result.total == 98
    assert result.grade == "优"
    manual = {r.indicator.level3 + r.indicator.level2: r.indicator.manual_score for r in result.indicators
              if r.indicator.manual_score is not None}
    assert manual == {"产商品检验质量指标": 4, "药械化监管成本指标": 1}
    assert [r.score for r in result.indicators] == [row[6] for row in SCORED]


def test_yuan_amounts_are_converted_and_noted(tmp_path):
    table = import_table(build_seed_table(tmp_path / "元.xlsx", Variant(yuan=True))).tables[0]
    assert table.project.funds.total.budget == Decimal("231.13")
    assert table.notes == ("项目资金金额单位为元，已换算为万元",)


def test_comparator_column_is_folded_into_the_target(tmp_path):
    table = import_table(build_seed_table(tmp_path / "c.xlsx", Variant(comparator_column=True))).tables[0]
    quality = table.project.indicators[4]
    assert shown(quality.target) == "≥95%"
    assert table.origins.columns["score"] == "I"


def test_legacy_xls_gives_the_same_project(tmp_path):
    source = build_seed_table(tmp_path / "seed.xlsx")
    assert import_table(xlsx_to_xls(source, tmp_path / "seed.xls")).projects == import_table(source).projects


def test_unexplained_published_score_keeps_the_rule_score(tmp_path):
    rows = list(SEED_ROWS)
    rows[0] = rows[0][:6] + (3, "")  # 产商品检验 数量 printed 3 of 5, no reason
    evaluation = evaluate_file(build_seed_table(tmp_path / "t.xlsx", rows=rows, published_total=96))
    first = evaluation.results[0].indicators[0]
    assert first.score == 5 and first.indicator.manual_score is None
    assert any(c.severity == "error" and c.cell == "H12" and "未填写偏差原因" in c.message for c in evaluation.checks)


def test_import_command_writes_a_template_workbook(tmp_path, capsys):
    source = build_seed_table(tmp_path / "自评表.xlsx")
    before = source.read_bytes()
    output = tmp_path / "导入.xlsm"
    assert main(["import", str(source), "-o", str(output)]) == 0
    out = capsys.readouterr().out
    assert "18个三级指标" in out and "总分98（优）" in out
    assert source.read_bytes() == before
    department, _ = read_workbook(output)
    project = department.projects[0]
    assert department.year == 2022 and department.name == "衡山县市场监督管理局"
    assert score_project(project).total == 98
    assert len(project.indicators) == 18


def test_import_refuses_to_overwrite_its_input(tmp_path, capsys):
    source = build_seed_table(tmp_path / "same.xlsm")
    assert main(["import", str(source), "-o", str(source)]) == 2
    assert "不能与输入文件相同" in capsys.readouterr().err


def test_an_imported_workbook_scores_without_errors(tmp_path, capsys):
    """An official table has no department-wide figures: their blanks are warnings only."""
    table = build_seed_table(tmp_path / "官方自评表.xlsx")
    workbook = tmp_path / "导入.xlsm"
    assert main(["import", str(table), "-o", str(workbook)]) == 0
    assert main(["score", str(workbook)]) == 0
    out = capsys.readouterr().out
    assert "总分：98" in out and "0个错误" in out
    assert "[警告] 工作表「预算执行」单元格B2：年初预算收入未填写，自评报告将省略相应内容" in out


# --- every table of a file -------------------------------------------------------------------

def test_one_project_per_sheet_all_imported_and_a_sheet_without_table_skipped(tmp_path):
    path = build_tables(tmp_path / "两个项目.xlsx", {
        "说明": [], "项目甲": [dict(name="食品安全监管")],
        "项目乙": [dict(name="特种设备安全监察", funds_scale=2, published_total=97)]})
    imported = import_table(path)
    assert [(t.sheet, t.project.name) for t in imported.tables] == [("项目甲", "食品安全监管"), ("项目乙", "特种设备安全监察")]
    assert imported.year == 2022
    assert [len(t.project.indicators) for t in imported.tables] == [18, 18]
    assert imported.tables[1].project.funds.total.budget == Decimal("462.26")
    assert imported.tables[1].project.published_total == 97
    assert imported.tables[1].project.indicators[0].origin == "项目乙!D12"
    assert imported.notes == ("已读取2张自评表，来自工作表「项目甲」、「项目乙」；工作表「说明」中没有自评表，已跳过",)
    assert department_of(imported).projects == imported.projects


def test_findings_name_the_sheet_and_cell_of_their_own_project(tmp_path):
    rows = list(SEED_ROWS)
    rows[0] = rows[0][:6] + (3, "")  # printed 3 of 5 without a reason: an error at 得分
    path = build_tables(tmp_path / "t.xlsx", {"甲": [dict(name="甲项目")],
                                              "乙": [dict(name="乙项目", rows=rows, published_total=96)]})
    evaluation = evaluate_file(path)
    first, second = evaluation.project_checks
    assert {c.sheet for c in first} == {"甲"} and {c.sheet for c in second} == {"乙"}
    assert not any(c.is_error for c in first)
    assert any(c.is_error and c.cell == "H12" and "未填写偏差原因" in c.message for c in second)
    assert any(c.cell == "H38" and "填报总分96" in c.message for c in second)  # the 总分 row's 得分 cell


def test_tables_stacked_on_one_sheet_do_not_borrow_each_others_blocks(tmp_path):
    second_rows = SEED_ROWS[:4] + SEED_ROWS[16:]  # 4 数量 rows, 罚没收入, 满意度: weights no longer 100
    path = build_tables(tmp_path / "一张表.xlsx", {"自评表": [
        dict(name="食品安全监管"), dict(name="特种设备安全监察", title="", funds_scale=0.5, rows=second_rows)]})
    imported = import_table(path)
    first, second = imported.tables
    assert (first.project.name, second.project.name) == ("食品安全监管", "特种设备安全监察")
    assert (len(first.project.indicators), len(second.project.indicators)) == (18, 6)
    assert second.project.funds.total.initial == Decimal("164.67")
    assert first.project.funds.total.initial == Decimal("329.34")
    assert second.year is None and imported.year == 2022  # an untitled table takes the file's year
    assert second.origins.cells["funds.total"] == "自评表!D45"
    assert second.project.indicators[0].origin == "自评表!D52"
    assert imported.notes == ("已读取2张自评表，来自工作表「自评表」（2张）",)
    checks = evaluate_file(path).project_checks[1]
    weights = [c for c in checks if c.is_error and "分值合计" in c.message]
    assert [(c.sheet, c.cell) for c in weights] == [("自评表", "G66")]  # the 总分 row's 分值 cell


def test_a_stacked_table_without_total_row_ends_where_the_next_begins(tmp_path):
    path = build_tables(tmp_path / "无总分.xlsx", {"自评表": [dict(name="甲"), dict(name="乙")]})
    book = openpyxl.load_workbook(path)
    sheet = book["自评表"]
    sheet.unmerge_cells("A38:F38")
    for column in "AGH":
        sheet[f"{column}38"] = None
    book.save(path)
    first, second = import_table(path).tables
    assert first.project.published_total is None and len(first.project.indicators) == 18
    assert second.project.name == "乙" and second.project.funds.total.initial == Decimal("329.34")
    assert second.project.published_total == 98


def test_two_projects_of_one_name_are_both_kept_and_renamed_with_a_warning(tmp_path):
    path = build_tables(tmp_path / "重名.xlsx", {"表一": [dict()], "表二": [dict()]})
    imported = import_table(path)
    assert [p.name for p in imported.projects] == ["市场监督管理", "市场监督管理（2）"]
    warnings = [c for c in imported.problems if "重名" in c.message]
    assert len(warnings) == 1
    assert (warnings[0].severity, warnings[0].sheet, warnings[0].cell) == ("warning", "表二", "B2")
    assert "工作表「表一」单元格B2" in warnings[0].message and "「市场监督管理（2）」" in warnings[0].message


def test_a_year_in_another_title_is_imported_with_a_warning(tmp_path):
    path = build_tables(tmp_path / "年度.xlsx", {"甲": [dict(name="甲")], "乙": [dict(name="乙", title="2023年度预算支出绩效自评表")]})
    imported = import_table(path)
    assert imported.year == 2022 and [t.year for t in imported.tables] == [2022, 2023]
    [warning] = [c for c in imported.problems if "年度" in c.message]
    assert (warning.sheet, warning.cell) == ("乙", "A1") and "2023年" in warning.message


def test_no_table_on_any_sheet_is_a_chinese_error(tmp_path, capsys):
    path = build_tables(tmp_path / "空.xlsx", {"说明": [], "封面": []})
    assert main(["score", str(path)]) == 2
    assert "没有找到自评表：工作表「说明」、「封面」中都没有“三级指标/年度指标值”表头" in capsys.readouterr().err


@pytest.mark.parametrize("title, year", [
    ("（2023年度）", 2023),  # a subtitle line of its own
    ("2023年度", 2023),
    ("项目支出绩效自评表（2021年）", 2021),
    ("2022年度预算支出绩效自评表", 2022),
    ("预算支出绩效自评表", None),
])
def test_year_in_title_or_subtitle(tmp_path, title, year):
    path = build_tables(tmp_path / "t.xlsx", {"自评表": [dict(title=title)]})
    assert import_table(path).year == year


def test_total_finding_points_at_the_total_score_not_at_the_weight(tmp_path):
    """总分 printed as 100 next to 分值 100: the finding is at the printed 得分 (H38)."""
    evaluation = evaluate_file(build_seed_table(tmp_path / "t.xlsx", published_total=100))
    [total] = [c for c in evaluation.checks if "填报总分" in c.message]
    assert (total.sheet, total.cell) == ("自评表", "H38")


def test_score_json_lists_every_project_with_department_year_and_name(tmp_path):
    path = build_tables(tmp_path / "两个项目.xlsx", {"项目甲": [dict(name="食品安全监管")],
                                                   "项目乙": [dict(name="特种设备安全监察", published_total=97)]})
    done = subprocess.run([sys.executable, "-m", "addin", "score", str(path), "--json"], capture_output=True,
                          timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr.decode()
    data = json.loads(done.stdout.decode("utf-8"))
    assert [(d["department"], d["year"], d["project"]) for d in data] == [
        ("衡山县市场监督管理局", 2022, "食品安全监管"), ("衡山县市场监督管理局", 2022, "特种设备安全监察")]
    assert [d["published_total"] for d in data] == [98.0, 97.0]
    assert {c["sheet"] for c in data[1]["checks"]} == {"项目乙"}


def test_import_command_writes_every_project(tmp_path, capsys):
    path = build_tables(tmp_path / "两个项目.xlsx", {"项目甲": [dict(name="食品安全监管")],
                                                   "项目乙": [dict(name="特种设备安全监察")]})
    output = tmp_path / "导入.xlsm"
    assert main(["import", str(path), "-o", str(output)]) == 0
    out = capsys.readouterr().out
    assert "说明：已读取2张自评表，来自工作表「项目甲」、「项目乙」" in out
    assert "已导入“项目甲”：项目「食品安全监管」，18个三级指标，总分98（优）" in out
    assert "已导入“项目乙”：项目「特种设备安全监察」，18个三级指标，总分98（优）" in out
    department, problems = read_workbook(output)
    assert [p.name for p in department.projects] == ["食品安全监管", "特种设备安全监察"]
    assert [len(p.indicators) for p in department.projects] == [18, 18]
    assert [score_project(p).total for p in department.projects] == [98, 98]


# --- the tool's own 自评表 workbook comes back whole -----------------------------------------

def _second_project() -> Project:
    """A second project of the demo department: other funds, a social-benefit and a qualitative
    row, a deduction with its reason (a manual score) and an explained over-achievement."""
    rows = (
        ("产出指标", "数量指标", "食品抽检批次", "≥1200批次", "1260批次", 20, None, ""),
        ("产出指标", "质量指标", "抽检合格率", "≥98%", "96.5%", 10, 9, "部分批次复检不合格，已督促整改"),
        ("产出指标", "时效指标", "检验报告出具", "2022年12月底", "2022年11月", 10, None, ""),
        ("产出指标", "成本指标", "单批次检验成本", D(900), D(850), 10, None, ""),
        ("效益指标", "社会效益指标", "食品安全事故", "无重大食品安全事故", "无", 15, None, ""),
        ("效益指标", "社会效益指标", "群众食品安全知晓率", "≥80%", "120%", 15, None, "宣传进社区，超额完成"),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "效果明显", "达成预期", 10, None, ""),
    )
    indicators = tuple(Indicator(level1=l1, level2=l2, level3=l3, target=target, actual=actual, weight=D(weight),
                                 manual_score=None if manual is None else D(manual), deviation_reason=reason)
                       for l1, l2, l3, target, actual, weight, manual, reason in rows)
    funds = Funds(FundsLine("年度资金总额", D("120"), D("118.5"), D("110.25")),
                  (FundsLine("当年财政拨款", D("100"), D("98.5"), D("90.25")), FundsLine("上年结转资金", D("20"), D("20"), D("20")),
                   FundsLine("其他资金")), D(10))
    return Project(name="食品安全抽检专项", department="衡山县市场监督管理局", implementer="衡山县食品检验检测中心",
                   funds=funds, goal_expected="完成年度食品安全抽检任务", goal_achieved="抽检任务全部完成", indicators=indicators)


def _as_entered(indicator: Indicator) -> tuple:
    """What a row says, compared by what its cells show (a generated table keeps the shown text)."""
    return (indicator.level1, indicator.level2, indicator.level3, shown(indicator.target), shown(indicator.actual),
            indicator.weight, indicator.deviation_reason, indicator.manual_score)


def test_generated_workbook_round_trips_every_project(tmp_path):
    demo = load_demo()
    original = replace(demo, projects=(*demo.projects, _second_project()))
    book = openpyxl.Workbook()
    book.remove(book.active)
    assert generate_sheets_into(book, original) == ["自评表-市场监督管理", "自评表-食品安全抽检专项", "自评报告"]
    path = tmp_path / "衡山县市场监督管理局_2022_自评表.xlsx"
    book.save(path)

    imported = import_table(path)
    department = department_of(imported)
    assert (department.name, department.year) == (original.name, original.year)
    assert imported.notes == ("已读取2张自评表，来自工作表「自评表-市场监督管理」、「自评表-食品安全抽检专项」；"
                              "工作表「自评报告」中没有自评表，已跳过",)
    assert imported.problems == ()
    for before, after in zip(original.projects, department.projects, strict=True):
        assert (after.name, after.department, after.implementer) == (before.name, before.department, before.implementer)
        assert (after.goal_expected, after.goal_achieved) == (before.goal_expected, before.goal_achieved)
        no_origin = lambda funds: (replace(funds.total, origin=""), tuple(replace(p, origin="") for p in funds.parts))  # noqa: E731
        assert no_origin(after.funds) == no_origin(before.funds) and after.funds.weight == before.funds.weight
        assert [_as_entered(i) for i in after.indicators] == [_as_entered(i) for i in before.indicators]
        assert after.published_total == score_project(before).total  # the printed 总分 comes back as printed

    # the overridden row returns as a manual score with its reason; the explained over-achievement does not
    second = department.projects[1].indicators
    assert (second[1].manual_score, second[1].deviation_reason) == (9, "部分批次复检不合格，已督促整改")
    assert second[5].manual_score is None and second[5].deviation_reason == "宣传进社区，超额完成"

    for before, after in zip(original.projects, department.projects):
        old, new = build_table(score_project(before), original.year), build_table(score_project(after), department.year)
        shown_cells = lambda spec: [(c.row, c.column, c.text) for c in spec.cells]  # noqa: E731
        assert (shown_cells(new), new.merges, new.last_row) == (shown_cells(old), old.merges, old.last_row)
