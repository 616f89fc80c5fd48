"""Importing the seed's 自评表 in the official layout (built in tests/official_tables.py).

The import must reproduce the printed table: 18 scored 三级 rows plus the three empty 二级
rows (社会/生态/可持续, 21 rows in the 三级 column), the funds block, the goal, the printed
得分 per row and 总分 98 — with the two explained deductions adopted as manual overrides.
"""

from decimal import Decimal

import pytest

from addin.cli import main
from addin.importer import import_table
from addin.importer.evaluate import evaluate_file
from addin.reader import read_workbook
from tests.official_tables import SEED_ROWS, Variant, build_seed_table, xlsx_to_xls
from udfs.scoring import score_project

SCORED = [row for row in SEED_ROWS if row[2]]
VARIANTS = {
    "plain": Variant(),
    "元+全角+比较符列+编号+占位行+无合并": Variant(yuan=True, full_width=True, comparator_column=True, numbering=True,
                                            placeholder=True, merge=False),
    "比较符列": Variant(comparator_column=True),
}


@pytest.fixture(params=list(VARIANTS), ids=list(VARIANTS))
def imported(request, tmp_path):
    return import_table(build_seed_table(tmp_path / "自评表.xlsx", VARIANTS[request.param]))


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
    table = import_table(build_seed_table(tmp_path / "元.xlsx", Variant(yuan=True)))
    assert table.project.funds.total.budget == Decimal("231.13")
    assert table.notes == ("项目资金金额单位为元，已换算为万元",)


def test_comparator_column_is_folded_into_the_target(tmp_path):
    table = import_table(build_seed_table(tmp_path / "c.xlsx", Variant(comparator_column=True)))
    quality = table.project.indicators[4]
    assert quality.target == "≥95%"
    assert table.origins.columns["score"] == "I"


def test_legacy_xls_gives_the_same_project(tmp_path):
    source = build_seed_table(tmp_path / "seed.xlsx")
    assert import_table(xlsx_to_xls(source, tmp_path / "seed.xls")).project == import_table(source).project


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
