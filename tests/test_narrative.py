"""The 自评报告: outline, computed sentences, drafted problems, sheet and .docx renderings."""

from __future__ import annotations

import dataclasses
from dataclasses import replace
import shutil
import subprocess
from decimal import Decimal

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import Workbook

from addin.demo import load_demo
from addin.report import render_outputs
from addin.report.docx import write_docx
from addin.report.narrative import Para, Paragraph, build_narrative
from addin.report.narrative_sheet import DRAFT_HINT, render_narrative_sheet
from udfs.model import Budget, Department
from udfs.scoring import score_project

SEED_FIGURES = ["2007.45", "73.83", "88.26%", "11.51%", "4.64", "54", "31.02", "29", "898.04", "47.78%"]
OUTLINE = [
    "一、部门基本情况", "（一）主要职责", "（二）基本情况", "二、预算支出及绩效情况", "（一）部门预决算情况",
    "1.部门预算情况", "2.部门决算情况", "3.“三公”经费执行情况", "4.政府采购执行情况", "5.资产管理情况",
    "（二）资金使用及绩效情况", "1.整体绩效目标完成情况", "2.项目整体目标完成情况", "3.绩效自评结果",
    "（三）重点工作开展情况", "三、存在的问题及改进措施",
]
EVIL = '=HYPERLINK("http://evil.example","点我")'


def narrative(department: Department, **options) -> list[Paragraph]:
    return build_narrative(department, [score_project(p) for p in department.projects], **options)


def section(paragraphs: list[Paragraph], heading: str) -> list[str]:
    """Body texts under ``heading`` up to the next heading."""
    start = next(i for i, p in enumerate(paragraphs) if p.text == heading)
    body = []
    for p in paragraphs[start + 1:]:
        if p.style not in (Para.BODY,):
            break
        body.append(p.text)
    return body


@pytest.fixture(scope="module")
def seed() -> list[Paragraph]:
    return narrative(load_demo())


def test_title_outline_and_date(seed):
    assert seed[0] == Paragraph(Para.TITLE, "衡山县市场监督管理局\n2022年度部门整体支出绩效自评报告")
    assert [p.text for p in seed if p.style in (Para.HEADING1, Para.HEADING2, Para.HEADING3)] == OUTLINE
    assert seed[-2:] == [Paragraph(Para.DATE, "衡山县市场监督管理局"), Paragraph(Para.DATE, "2023年8月5日")]


def test_the_department_execution_rate_is_stated_when_the_adjusted_budget_is_known():
    """SCORING.md §6: 预算执行率 = 决算支出 / 调整后预算."""
    demo = load_demo()
    adjusted = replace(demo, budget=replace(demo.budget, adjusted_expenditure=Decimal("2100")))
    assert section(narrative(adjusted), "2.部门决算情况")[-1] == \
        "调整后预算支出2100万元，决算支出2007.45万元，预算执行率为95.59%。"
    assert not any("预算执行率为" in text for text in section(narrative(demo), "2.部门决算情况"))


@pytest.mark.parametrize("figure", SEED_FIGURES)
def test_seed_figures_appear(seed, figure):
    assert figure in "\n".join(p.text for p in seed)


def test_computed_sentences_read_like_the_seed(seed):
    assert section(seed, "2.部门决算情况") == [
        "2022年决算总收入2007.45万元，较预算减少73.83万元，总支出2007.45万元，其中：基本支出1771.68万元，"
        "占总支出的88.26%；项目支出231.13万元，占总支出的11.51%，年末结转和结余4.64万元。"]
    three = "".join(section(seed, "3.“三公”经费执行情况"))
    assert "2022年“三公”经费预算数54万元" in three and "“三公”经费决算数31.02万元，为预算的57.44%" in three
    assert section(seed, "4.政府采购执行情况") == ["2022年度政府采购支出29万元，其中：货物9万元，工程0万元，服务20万元。"]
    assets = "".join(section(seed, "5.资产管理情况"))
    assert "年末资产总额898.04万元" in assets and "在用资产646.48万元，资产使用率47.78%" in assets


def test_score_summary_has_total_and_grade(seed):
    (summary,) = section(seed, "3.绩效自评结果")
    assert summary.startswith("“市场监督管理”自评得分98分，评价等级为“优”。")
    assert "预算执行率100.00%，得10分（分值10分）" in summary and "产出指标得48分（分值50分）" in summary


def test_user_paragraphs_are_verbatim(seed):
    department = load_demo()
    texts = [p.text for p in seed if not p.drafted]
    for field in ("duties", "overview", "performance", "key_work", "problems", "measures"):
        for text in getattr(department, field):
            assert text in texts


def test_drafted_problems_follow_the_lead_in_and_precede_the_users(seed):
    body = section(seed, "三、存在的问题及改进措施")
    drafted = [p for p in seed if p.drafted]
    assert body[0].endswith("还存在以下方面的问题和不足：")
    assert body[1:1 + len(drafted)] == [p.text for p in drafted]
    assert body[1 + len(drafted)].startswith("（一）预算执行不到位")
    joined = "".join(p.text for p in drafted)
    assert "产商品检验（质量指标）得4分（分值5分）" in joined  # points lost
    assert "药械化监管（数量指标）年度指标值200例，实际完成360例" in joined  # over-achieved, no reason
    assert "资产使用率47.78%，低于60%" in joined
    # The seed gives no 调整后预算, so no 预算调整率 and nothing drafted about it; 决算 2007.45
    # against 年初 2081.28 is not the 调整率 and is not drafted either.
    assert "预算调整" not in joined and "偏差较大" not in joined
    assert len(drafted) == 3  # points lost, over-achieved without a reason, low asset utilisation


def _with_budget(department: Department, **changes) -> Department:
    return dataclasses.replace(department, budget=dataclasses.replace(department.budget, **changes))


def test_large_budget_adjustment_is_drafted_and_drafts_can_be_switched_off():
    """预算调整率 = (调整后预算 − 年初预算) / 年初预算 (SCORING.md §6) against 预算调整率上限."""
    department = _with_budget(load_demo(), adjusted_expenditure=Decimal("3000"))
    drafted = [p.text for p in narrative(department) if p.drafted]
    assert any(t.startswith("预算调整幅度较大。年初预算支出2081.28万元，调整后预算支出3000万元，"
                            "较年初预算增加44.14%，超过30%的预算调整率上限") for t in drafted)
    assert not any(p.drafted for p in narrative(department, draft_problems=False))


def test_final_spending_far_from_the_initial_budget_is_not_an_adjustment():
    """决算 3000 against 年初 2081.28 (+44%) without a 调整后预算: no 调整率, nothing drafted;
    with a 调整后预算 inside the limit, the 决算 does not matter either."""
    far = _with_budget(load_demo(), final_expenditure=Decimal("3000"))
    assert not any("预算" in p.text for p in narrative(far) if p.drafted)
    within = _with_budget(far, adjusted_expenditure=Decimal("2600"))  # +24.92%
    assert not any("预算" in p.text for p in narrative(within) if p.drafted)


def test_missing_figures_give_no_false_sentence():
    department = dataclasses.replace(load_demo(), budget=Budget(final_expenditure=Decimal("100")),
                                     three_public=type(load_demo().three_public)(),
                                     procurement=type(load_demo().procurement)(), assets=type(load_demo().assets)())
    paragraphs = narrative(department)
    assert section(paragraphs, "1.部门预算情况") == []
    assert section(paragraphs, "2.部门决算情况") == ["2022年总支出100万元。"]
    for heading in ("3.“三公”经费执行情况", "4.政府采购执行情况", "5.资产管理情况"):
        assert section(paragraphs, heading) == []
    text = "".join(p.text for p in paragraphs)
    assert "None" not in text and "—" not in text and "资产使用率" not in text


def formula_department() -> Department:
    return dataclasses.replace(load_demo(), problems=(EVIL,), notice="+1")


def test_formula_like_paragraph_stays_text_in_sheet():
    workbook = Workbook()
    paragraphs = narrative(formula_department())
    render_narrative_sheet(workbook.active, paragraphs)
    cells = [c for c in workbook.active["A"] if c.value == EVIL]
    assert cells and cells[0].data_type == "s"
    drafted_rows = [i for i, p in enumerate(paragraphs, start=1) if p.drafted]
    assert drafted_rows and all(workbook.active.cell(r, 2).value == DRAFT_HINT for r in drafted_rows)
    assert workbook.active.print_area == f"'Sheet'!$A$1:$A${len(paragraphs)}"  # hints are not printed


def test_docx_text_fonts_and_page(tmp_path):
    paragraphs = narrative(formula_department())
    path = write_docx(paragraphs, tmp_path / "报告.docx")
    document = Document(str(path))
    texts = [p.text for p in document.paragraphs]
    assert texts == [p.text for p in paragraphs]  # "\n" in the title is a line break
    assert EVIL in texts and "+1" in texts
    section_ = document.sections[0]
    assert [round(x.mm) for x in (section_.page_width, section_.page_height, section_.top_margin,
                                  section_.bottom_margin, section_.left_margin, section_.right_margin)] == [
        210, 297, 37, 35, 28, 26]
    title, body = document.paragraphs[0], document.paragraphs[len(texts) - 3]  # before the unit and the date
    assert title.runs[0].font.size.pt == 22 and title.runs[0].font.bold
    assert title.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    assert body.runs[0].font.size.pt == 16 and body.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    assert body._p.pPr.ind.get(qn("w:firstLineChars")) == "200"
    heading = next(p for p in document.paragraphs if p.text == "5.资产管理情况")
    assert heading.paragraph_format.keep_with_next and heading.runs[0].font.bold


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_docx_converts_with_libreoffice(tmp_path):
    paths = render_outputs(load_demo(), tmp_path)
    pdf = next(p for p in paths if p.name.endswith("自评报告.pdf"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    text = "".join(text.split())  # Writer's CJK/Latin autospacing shows up as spaces
    assert "2022年度部门整体支出绩效自评报告" in text and "47.78%" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "CJK" in fonts


def test_the_departments_rule_profile_sets_the_adjustment_limit():
    department = _with_budget(load_demo(), adjusted_expenditure=Decimal("2007.45"))
    assert not any("预算调整" in p.text for p in narrative(department) if p.drafted)  # −3.55% is within 30%
    strict = dataclasses.replace(department.profile, budget_adjustment_limit=Decimal("0.01"))
    drafted = [p.text for p in narrative(dataclasses.replace(department, profile=strict)) if p.drafted]
    assert any("较年初预算减少3.55%，超过1%的预算调整率上限" in t for t in drafted)
