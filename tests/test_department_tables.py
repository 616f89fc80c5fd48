"""The generated department-wide tables read like the published Hunan annexes, row by row.

附件一 基础数据表 and 附件二 部门整体支出绩效自评表 as 衡山县贯塘乡人民政府 published them for
2023, filled with the seed department's figures; the 共性指标评分表 in the columns of 岳阳's
评分表; the 评分规则对比 explaining in each cell why a profile differs from the national one.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from addin.demo import load_demo
from addin.report.pdf import to_pdf
from addin.report import department_path, department_wide, render_outputs
from addin.report.department_spec import (
    build_base_table, build_common_table, build_comparison, build_whole_table, common_results,
)
from addin.report.narrative import build_narrative
from addin.report.table_spec import build_table
from tests import guantang_2023 as guantang
from udfs.department_scoring import score_common, score_whole
from udfs.profile import PLATFORM_PROFILE, YUEYANG_PROFILE
from udfs.scoring import score_project


def row_texts(spec, label: str, column: int = 1) -> list[str]:
    """What each column shows on the first row whose ``column`` reads ``label``."""
    row = next(c.row for c in spec.cells if c.column == column and c.text == label)
    return [spec.text(row, c) for c in range(1, len(spec.column_widths) + 1)]


@pytest.fixture(scope="module")
def seed():
    return load_demo()


# --- 附件一 --------------------------------------------------------------------------------

def test_base_table_of_the_seed(seed):
    spec = build_base_table(seed)
    assert spec.text(1, 1) == "2022年度部门整体支出绩效评价基础数据表"
    assert spec.text(2, 1) == "填报单位：衡山县市场监督管理局" and spec.text(2, 6) == "单位：万元"
    assert [spec.text(3, c) for c in (1, 2, 4, 6)] == ["财政供养人员情况（人）", "编制数", "2022年实际在职人数", "控制率"]
    assert [spec.text(4, c) for c in (2, 4, 6)] == ["184", "147", "79.89%"]
    assert [spec.text(5, c) for c in (1, 2, 4, 6)] == ["经费控制情况（万元）", "2021年决算数", "2022年预算数", "2022年决算数"]
    # blank on 基础数据, taken from the 三公经费 / 预算执行 / 政府采购 sheets
    assert row_texts(spec, "三公经费")[1:6:2] == ["", "54", "31.02"]
    assert row_texts(spec, "1、公务用车购置和维护经费")[1:6:2] == ["", "22", "12.84"]
    assert row_texts(spec, "公车运行维护")[1:6:2] == ["", "", "12.84"]
    assert row_texts(spec, "2、出国经费")[1:6:2] == ["", "0", "0"]
    assert row_texts(spec, "3、公务接待")[1:6:2] == ["", "32", "18.18"]
    assert row_texts(spec, "项目支出")[1:6:2] == ["", "329.34", "231.13"]
    assert row_texts(spec, "政府采购金额")[1:6:2] == ["", "", "29"]
    assert row_texts(spec, "厉行节约保障措施")[1] == "坚持厉行节约常态化管理，大力压缩一般性支出，从严控制“三公”经费。"
    assert spec.text(spec.last_row, 1).startswith("说明：项目支出需要填报基本支出以外的所有项目支出情况")


def test_each_special_fund_is_a_row_of_its_own(seed):
    from udfs.model import CostLine

    funds = (CostLine("专项资金", "食品安全抽检专项", None, Decimal(40), Decimal(38)),
             CostLine("专项资金", "知识产权专项", None, Decimal(10), Decimal(10)))
    spec = build_base_table(replace(seed, base_data=replace(seed.base_data, costs=seed.base_data.costs + funds)))
    assert row_texts(spec, "3、食品安全抽检专项")[1:6:2] == ["", "40", "38"]
    assert row_texts(spec, "知识产权专项")[1:6:2] == ["", "10", "10"]


def test_guantang_base_table_prints_its_published_figures():
    spec = build_base_table(guantang.department())
    assert [spec.text(4, c) for c in (2, 4, 6)] == ["46", "50", "108.70%"]
    assert row_texts(spec, "公用经费")[1:6:2] == ["118.31", "85.76", "193.42"]
    assert row_texts(spec, "会议费、培训费")[1:6:2] == ["4.92", "3", "5.42"]


# --- 附件二 --------------------------------------------------------------------------------

def test_whole_table_of_the_seed(seed):
    spec = build_whole_table(seed, score_whole(seed))
    assert spec.text(1, 1) == "2022年度部门整体支出绩效自评表"
    assert (spec.text(2, 1), spec.text(2, 3)) == ("预算部门、单位名称", "衡山县市场监督管理局")
    assert [spec.text(3, c) for c in range(4, 10)] == ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "自评得分"]
    assert row_texts(spec, "年度资金总额", 2)[3:] == ["2081.28", "2007.45", "2002.81", "10", "99.77%", "9.98"]
    assert row_texts(spec, "按收入性质分：", 2)[4] == ""  # the seed does not split its funds by source
    assert row_texts(spec, "按支出性质分：", 6)[8] == "2002.81"
    assert row_texts(spec, "其中：基本支出：", 6)[8] == "1771.68"
    assert row_texts(spec, "项目支出：", 6)[8] == "231.13"
    assert row_texts(spec, "新增企业（含农专）", 4)[4:8] == ["≥921户", "1118户", "10", "10"]
    assert row_texts(spec, "综合执法制服配发及资金支付", 4)[7:] == ["5.99", "资金暂未支付；加快预算执行进度"]
    assert row_texts(spec, "总分")[6:8] == ["100", "95.97"]


def test_guantang_whole_table_prints_the_totals_it_states():
    """附件二 of 贯塘乡: 按收入性质分：2030.12 and 按支出性质分：1925.67 as printed (the checks,
    not the table, say that 1925.67 is not the 全年执行数 2030.12)."""
    department = guantang.department()
    spec = build_whole_table(department, score_whole(department))
    assert row_texts(spec, "年度资金总额", 2)[3:] == ["861.1", "2030.12", "2030.12", "10", "100.00%", "10"]
    assert row_texts(spec, "按收入性质分：", 2)[4] == "2030.12"
    assert row_texts(spec, "其中：一般公共预算：", 2)[4] == "1325.68"
    assert row_texts(spec, "其他资金：", 2)[4] == "585.62"
    assert row_texts(spec, "按支出性质分：", 6)[8] == "1925.67"


def test_a_cap_by_the_execution_rate_is_stated_beside_the_total(seed):
    low = replace(seed.whole, funds=replace(seed.whole.funds, total=replace(seed.whole.funds.total, executed=Decimal(1300))))
    department = replace(seed, whole=low, profile=PLATFORM_PROFILE)
    spec = build_whole_table(department, score_whole(department))
    total = row_texts(spec, "总分")
    assert total[7] == "79"  # 1300/2007.45 = 64.76%: 6.48 + 83.99 (罚没收入 −2) would be 90.47
    assert total[8] == "执行率64.76%，低于70%，按评分规则“一体化平台”总分不超过79分（各项合计90.47分）"
    project = replace(seed.projects[0], funds=replace(seed.projects[0].funds, total=replace(
        seed.projects[0].funds.total, executed=Decimal(150))))
    table = build_table(score_project(project, PLATFORM_PROFILE), 2022, PLATFORM_PROFILE)
    assert row_texts(table, "总分")[8].startswith("执行率64.90%，低于70%，按评分规则“一体化平台”总分不超过79分")


# --- 共性指标评分表 ----------------------------------------------------------------------------

def test_the_common_table_follows_the_chosen_rubric(seed):
    yueyang = replace(seed, profile=YUEYANG_PROFILE)
    (common,) = common_results(yueyang)
    spec = build_common_table(yueyang, common)
    assert spec.project_name == "共性指标评分表"
    assert [spec.text(3, c) for c in range(1, 9)] == [
        "一级指标", "二级指标", "三级指标", "评分标准", "分值", "指标数值", "自评得分", "扣分原因和其他说明"]
    assert spec.text(4, 1) == "投入\n（15分）" and spec.text(4, 2) == "预算配置\n（15分）"
    assert row_texts(spec, "财政供养人员控制率", 3)[3:] == [
        "≤100%满分，每超1个百分点扣0.5分，扣完为止", "5", "79.89%", "5", "147÷184=79.89%，未超过100%，得满分5分"]
    assert row_texts(spec, "预算调整率", 3)[4:7] == ["3", "-3.55%", "2"]
    assert row_texts(spec, "支付进度", 3)[6:] == ["无法评分", "无法评分：缺少未按进度下达的专项个数，未计分"]
    assert row_texts(spec, "固定资产利用率", 3)[3:7] == ["不计分（在用资产÷固定资产账面原值×100%）", "—", "47.78%", "—"]
    assert row_texts(spec, "合计")[4:] == ["36", "", "13", "6项因缺少数据未计分"]
    assert spec.text(spec.last_row, 1).startswith("评分规则来源：岳阳市财政局《部门整体支出绩效评价评分表（参考样表）》")


def test_under_the_national_default_the_yueyang_table_is_a_named_reference(seed):
    (common,) = common_results(seed)
    spec = build_common_table(seed, common)
    assert common.profile == YUEYANG_PROFILE and spec.project_name == "共性指标评分表（湖南·岳阳）"
    assert spec.text(2, 5) == "评分规则：湖南·岳阳（参考：所选评分规则“全国默认”不对共性指标计分）"


# --- 评分规则对比 ----------------------------------------------------------------------------

def test_the_comparison_explains_each_difference_in_its_cell(seed):
    spec = build_comparison(seed)
    assert [spec.text(2, c) for c in range(1, 6)] == ["项目", "全国默认", "一体化平台", "湖南·岳阳", "定性分档80/50"]
    totals = row_texts(spec, "部门整体支出绩效自评表总分")
    assert totals[1] == totals[3] == "95.97分（优）"
    assert totals[2] == "93.97分（优）\n较全国默认-2分：执法办案罚没收入28分（全国默认30分）"
    assert totals[4] == "94.97分（优）\n较全国默认-1分：综合执法制服配发及资金支付4.99分（全国默认5.99分）"
    fine = row_texts(spec, "执法办案罚没收入（经济效益指标）")
    assert fine[1] == "30分" and fine[2].startswith("28分\n正向指标：") and "扣2分，得28分" in fine[2]
    assert row_texts(spec, "共性指标得分")[1:] == ["不计分", "不计分", "13分（分值36分）", "不计分"]
    assert row_texts(spec, "财政供养人员控制率")[3] == "5分\n147÷184=79.89%，未超过100%，得满分5分"
    assert row_texts(spec, "规则来源")[2].startswith("预算管理一体化系统操作手册（2022年）")


# --- 自评报告 --------------------------------------------------------------------------------

def _section(paragraphs, heading: str) -> list[str]:
    start = next(i for i, p in enumerate(paragraphs) if p.text == heading)
    body = []
    for p in paragraphs[start + 1:]:
        if p.style.value != "body":
            break
        body.append(p.text)
    return body


def test_the_report_gains_the_department_wide_results_every_figure_computed(seed):
    paragraphs = build_narrative(seed, [score_project(p) for p in seed.projects], True, *department_wide(seed))
    body = _section(paragraphs, "3.绩效自评结果")
    assert body[0] == ("部门整体支出绩效自评表总分95.97分，评价等级为“优”。其中：预算执行率99.77%，得9.98分（分值10分）；"
                       "产出指标得45.99分（分值50分）；效益指标得30分（分值30分）；满意度指标得10分（分值10分）。")
    assert body[1] == ("部门整体共性指标：财政供养人员控制率79.89%，预算完成率99.77%，预算调整率-3.55%，结转结余率0.23%，"
                       "“三公经费”控制率57.44%，固定资产利用率47.78%。")
    assert body[2].startswith("“市场监督管理”自评得分98分")
    yueyang = replace(seed, profile=YUEYANG_PROFILE)
    body = _section(build_narrative(yueyang, [], True, *department_wide(yueyang)), "3.绩效自评结果")
    assert body[1].endswith("按评分规则“湖南·岳阳”，共性指标得13分（分值36分），其中6项因缺少数据未计分。")


def test_department_figures_draft_problems():
    """贯塘乡: 50 在职 of 46 编制, and 全年预算数 2030.12 against 年初 861.10 (+135.76%)."""
    department = guantang.department()
    drafted = [p.text for p in build_narrative(department, [], True, *department_wide(department)) if p.drafted]
    assert drafted == [
        "财政供养人员超编。编制数46人，实际在职人数50人，财政供养人员控制率108.70%，超过100%。",
        "预算调整幅度较大。年初预算数861.1万元，全年预算数2030.12万元，较年初预算增加135.76%，超过30%的预算调整率上限，"
        "应说明调整原因。",
    ]


# --- files -----------------------------------------------------------------------------------

def test_the_department_workbook_is_written_beside_the_others(seed, tmp_path):
    written = render_outputs(seed, tmp_path, pdf=False)
    path = department_path(seed, tmp_path)
    assert path in written and path.name == "衡山县市场监督管理局_2022_部门整体自评表.xlsx"
    book = load_workbook(path)
    assert book.sheetnames == ["基础数据表", "部门整体支出绩效自评表", "共性指标评分表（湖南·岳阳）", "评分规则对比"]
    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert department_path(replace(seed, whole=None, base_data=type(seed.base_data)()), tmp_path) is None


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_the_department_workbook_prints_every_table(seed, tmp_path):
    render_outputs(seed, tmp_path, pdf=False)
    pdf = to_pdf(department_path(seed, tmp_path), tmp_path)
    text = "".join(subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout.split())
    for expected in ("2022年度部门整体支出绩效评价基础数据表", "2022年度部门整体支出绩效自评表", "共性指标评分表",
                     "评分规则对比", "79.89%", "2002.81", "95.97", "93.97"):
        assert expected in text
