"""``ziping new 2023.xlsm --from 2022.xlsm``: next year starts from this year's workbook, with
the department, its projects, indicators, targets and weights, and none of this year's figures."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from addin import layout as L
from addin.cli import main
from addin.demo import load_demo
from addin.reading.workbook import read_workbook
from refresh_checks import assert_fresh_machinery
from udfs.model import shown

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "衡山县市场监督管理局_2022.xlsm"


@pytest.fixture(scope="module")
def next_year(tmp_path_factory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("next") / "2023.xlsm"
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["new", str(path), "--from", str(EXAMPLE)]) == 0
    return path, out.getvalue()


def test_the_seeds_18_indicators_come_over_with_targets_and_weights_and_no_actuals(next_year):
    path, _ = next_year
    department, _ = read_workbook(path)
    seed = load_demo()
    assert (department.name, department.year) == (seed.name, 2023)
    (project,) = department.projects
    (seed_project,) = seed.projects
    assert len(project.indicators) == 18
    for carried, original in zip(project.indicators, seed_project.indicators):
        assert (carried.level1, carried.level2, carried.level3) == (original.level1, original.level2, original.level3)
        assert shown(carried.target) == shown(original.target) and carried.weight == original.weight
        assert (carried.actual, carried.manual_score, carried.deviation_reason) == (None, None, "")
    assert (project.name, project.department, project.implementer, project.goal_expected) == (
        seed_project.name, seed_project.department, seed_project.implementer, seed_project.goal_expected)
    assert (project.goal_achieved, project.published_total) == ("", None)
    assert project.funds.weight == seed_project.funds.weight
    assert [line.label for line in (project.funds.total, *project.funds.parts)] == \
        [line.label for line in (seed_project.funds.total, *seed_project.funds.parts)]
    assert all((line.initial, line.budget, line.executed) == (None, None, None)
               for line in (project.funds.total, *project.funds.parts))


def test_the_years_figures_and_narrative_are_cleared_but_the_duties_kept(next_year):
    path, _ = next_year
    department, _ = read_workbook(path)
    seed = load_demo()
    assert department.duties == seed.duties and department.overview == ()
    assert (department.report_title, department.notice, department.report_date) == ("", "", "")
    assert department.budget.final_expenditure is None and department.assets.total_assets is None
    assert department.key_work == () and department.problems == () and department.measures == ()
    assert department.profile == seed.profile


def test_the_new_workbook_is_a_fresh_build_without_generated_sheets(next_year):
    path, _ = next_year
    assert_fresh_machinery(path)
    assert openpyxl.load_workbook(path).sheetnames == [sheet.name for sheet in L.SHEETS]


def test_it_says_what_was_carried_cleared_and_what_still_names_last_year(next_year):
    path, out = next_year
    assert f"已新建：{path.resolve()}（2023年度，由“{EXAMPLE.name}”结转）" in out
    assert "「部门信息」年度：2022 → 2023" in out
    assert "「绩效指标」18行：项目名称、一级指标、二级指标、三级指标、年度指标值、分值" in out
    assert "「绩效指标」实际完成值（18个）、人工得分（2个）、偏差原因分析及改进措施（2个）" in out
    assert "「项目资金」4行：项目名称、资金类别、分值" in out
    assert "请修改：4处仍写着2022年" in out and "「绩效指标」E10「2022年底」" in out


def test_the_year_can_be_given_and_must_be_known(tmp_path, capsys):
    path = tmp_path / "2025.xlsm"
    assert main(["new", str(path), "--from", str(EXAMPLE), "--year", "2025"]) == 0
    assert read_workbook(path)[0].year == 2025
    blank = tmp_path / "无年度.xlsm"
    book = openpyxl.load_workbook(EXAMPLE, keep_vba=True)
    book["部门信息"]["B3"] = None
    book.save(blank)
    assert main(["new", str(tmp_path / "x.xlsm"), "--from", str(blank)]) == 2
    assert "请用 --year 指定新年度" in capsys.readouterr().err


def test_content_outside_the_template_is_listed_not_carried(tmp_path, capsys):
    source = tmp_path / "2022.xlsm"
    book = openpyxl.load_workbook(EXAMPLE, keep_vba=True)
    book.create_sheet("草稿")["A1"] = "备忘"
    book["绩效指标"]["N2"] = "待核实"
    book.save(source)
    assert main(["new", str(tmp_path / "2023.xlsm"), "--from", str(source)]) == 0
    out = capsys.readouterr().out
    assert "未结转：" in out and "工作表「草稿」（不是模板的工作表）" in out and "「绩效指标」N2「待核实」" in out


def test_from_and_demo_do_not_mix_and_nothing_is_overwritten(tmp_path, capsys):
    with pytest.raises(SystemExit) as usage:
        main(["new", str(tmp_path / "a.xlsm"), "--demo", "--from", str(EXAMPLE)])
    assert usage.value.code == 2 and "不能与参数 --demo 同时使用" in capsys.readouterr().err
    existing = tmp_path / "b.xlsm"
    existing.write_bytes(b"mine")
    assert main(["new", str(existing), "--from", str(EXAMPLE)]) == 2
    assert existing.read_bytes() == b"mine"
    assert main(["new", str(tmp_path / "c.xlsm"), "--year", "2024"]) == 2
    assert "--year 只能与 --from 一起使用" in capsys.readouterr().err


def test_paragraphs_of_a_cleared_section_go_with_their_continuation_rows():
    from addin.refresh.next_year import next_year as advance
    from addin.template.contents import Typed

    rows = [{"section": "基本情况", "text": "本局内设8个股室。"}, {"text": "在职人员120人。"},
            {"section": "主要职责", "text": "负责市场监管。"}, {"text": "负责质量安全。"}]
    contents = {"info": [{"name": "某局", "year": Typed(2022.0)}], "info_texts": rows}
    result = advance(contents)
    assert result.contents["info_texts"] == rows[2:]
    assert result.year == 2023 and result.contents["info"][0]["year"].value == 2023.0
    assert "「部门信息」主要职责：2段" in result.carried and "「部门信息」基本情况2段" in result.cleared
