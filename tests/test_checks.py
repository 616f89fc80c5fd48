"""Consistency checks: the seed's known findings, and each rule on a small mutation of it."""

import io
from dataclasses import replace
from decimal import Decimal

import openpyxl
import pytest

from addin.checks import (
    ERROR, WARNING, Check, Origins, check_department, check_narrative, check_project, write_check_sheet,
)
from addin.demo import load_demo
from addin.importer import import_table
from tests.official_tables import OVER_ACHIEVED, build_seed_table
from udfs.model import Funds, FundsLine
from udfs.scoring import score_project


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    return import_table(build_seed_table(tmp_path_factory.mktemp("seed") / "自评表.xlsx")).tables[0]


def project_checks(table, project=None):
    return check_project(score_project(project or table.project), origins=table.origins)


def test_seed_yields_exactly_the_three_over_achieved_rows(seed):
    checks = project_checks(seed)
    assert [(c.severity, c.cell) for c in checks] == [(WARNING, "I14"), (WARNING, "I15"), (WARNING, "I28")]
    for check, name in zip(checks, OVER_ACHIEVED):
        assert f"「{name}」" in check.message and "超额完成" in check.message and "偏差原因" in check.message
    assert "目标200例，实际360例" in checks[0].message
    assert "目标110批次，实际252批次" in checks[1].message
    assert "目标≥303.9万，实际399.32万" in checks[2].message


def test_seed_narrative_393_2_against_table_399_32():
    demo = load_demo()
    checks = check_narrative(demo, [score_project(p) for p in demo.projects])
    assert len(checks) == 1, [str(c) for c in checks]
    assert checks[0].severity == WARNING
    assert "393.2万余元" in checks[0].message and "399.32万" in checks[0].message
    assert "执法办案罚没收入" in checks[0].message


@pytest.mark.parametrize("text, flagged", [
    ("罚没款达到399.3万余元", False),  # 399.3 ≤ 399.32 < 399.4
    ("罚没款达到399.32万元", False),
    ("罚没款约400万元", False),  # 约: within 5%
    ("罚没款达到303.9万元", False),  # the target
    ("罚没款达到380万元", True),
    ("罚没款达到3万元", False),  # a factor of 100 off: about something else
    ("共查处案件65起，罚没款达到393.2万余元", True),
    ("全年收入393.2万元", False),  # 收入 alone is too generic to tie to the indicator
])
def test_narrative_matching_is_conservative(text, flagged):
    demo = load_demo()
    department = replace(demo, performance=(), project_summary=(), key_work=(text,))
    checks = check_narrative(department, [score_project(p) for p in demo.projects])
    assert bool(checks) is flagged


def test_demo_department_figures_add_up():
    assert check_department(load_demo()) == []


@pytest.mark.parametrize("record, changes, words", [
    ("budget", {"final_basic": Decimal("1771.60")}, "决算总支出"),
    ("budget", {"initial_project": Decimal("329")}, "年初预算支出"),
    ("three_public", {"final_reception": Decimal("18.20")}, "“三公”经费决算数"),
    ("procurement", {"services": Decimal("21")}, "政府采购"),
    ("assets", {"net_assets": Decimal("897")}, "净资产"),
])
def test_budget_arithmetic(record, changes, words):
    demo = load_demo()
    broken = replace(demo, **{record: replace(getattr(demo, record), **changes)})
    origins = Origins(cells={f"{record}.{key}": "预算执行!B9" for key in
                             ("final_expenditure", "initial_expenditure", "final_total", "total", "net_assets")})
    checks = check_department(broken, origins)
    assert len(checks) == 1 and checks[0].severity == ERROR and words in checks[0].message
    assert (checks[0].sheet, checks[0].cell) == ("预算执行", "B9")


def test_within_tolerance_is_fine():
    demo = load_demo()
    close = replace(demo, assets=replace(demo.assets, net_assets=Decimal("897.045")))
    assert check_department(close) == []


def _with_row(table, index, **changes):
    rows = list(table.project.indicators)
    rows[index] = replace(rows[index], **changes)
    return replace(table.project, indicators=tuple(rows))


def test_lost_points_without_reason_is_an_error(seed):
    project = _with_row(seed, 0, actual="80批次")
    errors = [c for c in project_checks(seed, project) if c.severity == ERROR]
    assert any(c.cell == "I12" and "扣分" in c.message for c in errors)


def test_weights_per_level1_and_total(seed):
    project = _with_row(seed, 0, weight=Decimal(6), published_score=Decimal(6))
    messages = [c.message for c in project_checks(seed, project)]
    assert any("产出指标" in m and "51" in m and "50" in m for m in messages)
    assert any("分值合计101" in m for m in messages)


def test_published_score_above_weight(seed):
    project = _with_row(seed, 1, published_score=Decimal(6))
    assert any(c.cell == "H13" and "超过分值" in c.message for c in project_checks(seed, project))


def test_execution_rate_over_100_percent_and_funds_parts(seed):
    funds = Funds(FundsLine("年度资金总额", Decimal(100), Decimal(100), Decimal(120)),
                  (FundsLine("当年财政拨款", Decimal(90), Decimal(90), Decimal(120)),), Decimal(10))
    checks = project_checks(seed, replace(seed.project, funds=funds))
    assert any(c.severity == WARNING and "120.00%" in c.message for c in checks)
    assert any(c.severity == ERROR and "年初预算数" in c.message for c in checks)
    assert all(c.cell == "D5" for c in checks if "项目资金" in c.message)


def test_unparseable_target_and_unit_mismatch(seed):
    partly = replace(seed, project=_with_row(seed, 0, target="≥"))
    checks = project_checks(seed, _with_row(partly, 1, actual="1124人"))
    assert any(c.severity == ERROR and c.cell == "E12" and "无法评分" in c.message for c in checks)
    assert any(c.cell == "F13" and "单位" in c.message for c in checks)


def test_check_sheet_links_to_each_cell():
    book = openpyxl.Workbook()
    book.active.title = "自评表"
    checks = [Check(WARNING, "自评表", "I14", "超额完成"), Check(ERROR, "自评表", "H12", "扣分"),
              Check(WARNING, "工作成效", "", "叙述不一致")]
    write_check_sheet(book, checks)
    buffer = io.BytesIO()
    book.save(buffer)
    sheet = openpyxl.load_workbook(buffer)["校验结果"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert rows[0][:3] == ["错误", "自评表", "H12"]  # errors first
    assert sheet["C2"].hyperlink.location == "'自评表'!H12"
    assert sheet["C3"].hyperlink.location == "'自评表'!I14"
    assert sheet["B4"].hyperlink is None  # 工作成效 is not in this workbook


def test_equals_target_not_met_exactly_is_a_warning_at_the_actual(seed):
    """Flag.NOT_EQUAL ("与目标值不等需复核") reaches the reviewer, at the row's 实际完成值 cell."""
    project = _with_row(seed, 4, target="＝95%", actual="97%")
    found = [c for c in project_checks(seed, project) if "等于型" in c.message]
    assert [(c.severity, c.cell) for c in found] == [(WARNING, "F16")]
    assert "「97%」" in found[0].message and "「＝95%」" in found[0].message and "复核" in found[0].message
    assert not any("等于型" in c.message for c in project_checks(seed, _with_row(seed, 4, target="＝97%", actual="97%")))


def test_unit_mismatch_is_a_warning_at_the_actual(seed):
    found = [c for c in project_checks(seed, _with_row(seed, 0, actual="100例")) if "单位" in c.message]
    assert [(c.severity, c.cell) for c in found] == [(WARNING, "F12")]
    assert "「100例」" in found[0].message and "「100批次」" in found[0].message


def test_invalid_manual_score_is_an_error_at_the_score(seed):
    project = _with_row(seed, 0, actual="80批次", manual_score=Decimal(9), deviation_reason="抽检计划调整")
    found = [c for c in project_checks(seed, project) if "人工得分" in c.message]
    assert [(c.severity, c.cell) for c in found] == [(ERROR, "H12")]
    assert "人工得分9超出[0, 5]" in found[0].message


def test_check_sheet_keeps_formula_like_text_as_text():
    book = openpyxl.Workbook()
    book.active.title = "自评表"
    evil = '=HYPERLINK("http://evil.example","点我")'
    write_check_sheet(book, [Check(WARNING, evil, "A1", evil), Check(ERROR, "自评表", "H12", "+1")])
    buffer = io.BytesIO()
    book.save(buffer)
    sheet = openpyxl.load_workbook(buffer)["校验结果"]
    values = [c.value for row in sheet.iter_rows(min_row=2) for c in row]
    assert evil in values and "+1" in values
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert sheet["C2"].hyperlink.location == "'自评表'!H12"  # errors first, links kept


def _template_checks(edit):
    """Checks of the demo workbook after ``edit`` (openpyxl book), as ``ziping score`` runs them."""
    from addin import layout as L
    from addin.importer.evaluate import evaluate_file
    from addin.template.build import build_template
    import tempfile
    from pathlib import Path

    book = openpyxl.load_workbook(io.BytesIO(build_template(load_demo())))
    edit(book[L.FUNDS.name])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "填报.xlsx"
        book.save(path)
        return evaluate_file(path).checks


def test_funds_findings_name_the_funds_cell_the_user_fixes():
    """A blank 全年执行数 is reported at 项目资金!E2 (the 年度资金总额 row), not on 绩效指标."""
    checks = [c for c in _template_checks(lambda ws: ws.__setitem__("E2", None)) if "执行率" in c.message]
    assert [(c.severity, c.sheet, c.cell) for c in checks] == [(ERROR, "项目资金", "E2")]


def test_funds_parts_that_do_not_add_up_are_reported_at_the_total_cell():
    checks = [c for c in _template_checks(lambda ws: ws.__setitem__("D3", 100)) if "不符" in c.message]
    assert [(c.sheet, c.cell) for c in checks] == [("项目资金", "D2")]


def test_a_funds_weight_that_overrides_the_rule_profile_is_a_warning():
    checks = [c for c in _template_checks(lambda ws: ws.__setitem__("F2", 20)) if "评分规则的预算执行率分值" in c.message]
    assert [(c.severity, c.sheet, c.cell) for c in checks] == [(WARNING, "项目资金", "F2")]
