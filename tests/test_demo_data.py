"""The embedded example is the seed, figure for figure and word for word."""

from dataclasses import replace
from decimal import Decimal
from pathlib import Path
import re

import pytest

from addin.demo import load_demo
from udfs.scoring import score_project

SEED = Path("/work/shared/seeds/000_b4377497660d97d6.txt")


@pytest.fixture(scope="module")
def demo():
    return load_demo()


def test_department_figures(demo):
    assert (demo.name, demo.year, demo.report_date) == ("衡山县市场监督管理局", 2022, "2023年8月5日")
    b = demo.budget
    assert (b.initial_revenue, b.initial_fiscal, b.initial_expenditure, b.initial_basic, b.initial_project) == \
        tuple(map(Decimal, ("2081.28", "2081.28", "2081.28", "1751.94", "329.34")))
    assert (b.final_revenue, b.final_expenditure, b.final_basic, b.final_project, b.carryover) == \
        tuple(map(Decimal, ("2007.45", "2007.45", "1771.68", "231.13", "4.64")))
    t = demo.three_public
    assert (t.budget_total, t.budget_overseas, t.budget_vehicles, t.budget_reception) == (54, 0, 22, 32)
    assert (t.final_total, t.final_overseas, t.final_vehicles, t.final_reception) == \
        tuple(map(Decimal, ("31.02", "0", "12.84", "18.18")))
    p = demo.procurement
    assert (p.total, p.goods, p.works, p.services) == (29, 9, 0, 20)
    a = demo.assets
    assert (a.total_assets, a.liabilities, a.net_assets, a.fixed_assets_cost, a.assets_in_use) == \
        tuple(map(Decimal, ("898.04", "1", "897.04", "1353.07", "646.48")))


def test_all_25_duties_and_their_sub_paragraphs(demo):
    numbered = [p for p in demo.duties if re.match(r"\d+\.", p)]
    assert [int(p.split(".")[0]) for p in numbered] == list(range(1, 26))
    assert len(demo.duties) == 25 + 5 + 5  # items 24 and 25 have (1)…(5) each


def test_every_text_is_verbatim_from_the_seed(demo):
    seed = SEED.read_text(encoding="utf-8")
    texts = (demo.notice, *demo.duties, *demo.overview, *demo.performance, *demo.project_summary,
             *demo.key_work, *demo.problems, *demo.measures)
    assert all(text and text in seed for text in texts)
    assert (len(demo.performance), len(demo.key_work), len(demo.problems), len(demo.measures)) == (4, 4, 4, 4)


def test_the_project_table(demo):
    (project,) = demo.projects
    assert (project.name, project.department, project.implementer) == ("市场监督管理", "衡山县市场监督管理局", "衡山县市场监督管理局")
    funds = project.funds
    assert (funds.total.initial, funds.total.budget, funds.total.executed, funds.weight) == \
        (Decimal("329.34"), Decimal("231.13"), Decimal("231.13"), 10)
    assert [(p.label, p.initial, p.budget, p.executed) for p in funds.parts] == [
        ("当年财政拨款", Decimal("329.34"), Decimal("189.34"), Decimal("189.34")),
        ("上年结转资金", None, None, None),
        ("其他资金", 0, Decimal("41.79"), Decimal("41.79")),
    ]
    assert (project.goal_expected, project.goal_achieved) == ("强化市场监管体系、维护市场秩序", "持续推进市场稳固发展")
    assert len(project.indicators) == 18
    assert sum(ind.weight for ind in project.indicators) == 90
    manual = [(i.level2, i.level3, i.manual_score, i.deviation_reason) for i in project.indicators if i.manual_score is not None]
    assert manual == [("质量指标", "产商品检验", 4, "100批次中有3个批次不合格"), ("成本指标", "药械化监管", 1, "开源节流")]


def test_scores_98_as_published_and_100_without_the_manual_deductions(demo):
    (project,) = demo.projects
    assert score_project(project).total == project.published_total == 98
    plain = replace(project, indicators=tuple(replace(i, manual_score=None) for i in project.indicators))
    assert score_project(plain).total == 100
