"""The 2022 自评表 of 衡山县市场监督管理局 (shared/seeds/000_…txt), row by row.

Each row is (二级, 三级, 年度指标值, 实际完成值, 分值, published 得分, 偏差原因) exactly as
printed. The rule score must be what the official rules give; the two rows where the
department deducted points by hand are entered as overrides and reproduce the published 98.
"""

from decimal import Decimal

import pytest

from udfs.model import Flag, Funds, FundsLine, Indicator, Project, Rule
from udfs.scoring import score_indicator, score_project

SEED_ROWS = [
    # level1, level2, level3, target, actual, weight, published, reason, rule, rule_score
    ("产出指标", "数量指标", "产商品检验", "100批次", "100批次", 5, 5, "", "positive", 5),
    ("产出指标", "数量指标", "食品安全检验", "1124批次", "1124批次", 5, 5, "", "positive", 5),
    ("产出指标", "数量指标", "药械化监管", "200例", "360例", 5, 5, "", "positive", 5),
    ("产出指标", "数量指标", "特种设备监管", "110批次", "252批次", 5, 5, "", "positive", 5),
    ("产出指标", "质量指标", "产商品检验", "≥95%", "97%", 5, 4, "100批次中有3个批次不合格", "positive", 5),
    ("产出指标", "质量指标", "食品安全检验", "≥98%", "100%", 5, 5, "", "positive", 5),
    ("产出指标", "质量指标", "药械化监管", "≥98%", "100%", 5, 5, "", "positive", 5),
    ("产出指标", "质量指标", "特种设备监管", "≥98%", "100%", 5, 5, "", "positive", 5),
    ("产出指标", "时效指标", "产商品检验", "2022年底", "100%", 1, 1, "", "deadline", 1),
    ("产出指标", "时效指标", "食品安全检验", "2022年底", "100%", 1, 1, "", "deadline", 1),
    ("产出指标", "时效指标", "药械化监管", "2022年底", "100%", 1, 1, "", "deadline", 1),
    ("产出指标", "时效指标", "特种设备监管", "2022年底", "100%", 1, 1, "", "deadline", 1),
    ("产出指标", "成本指标", "产商品检验", "10", "5", 1, 1, "", "reverse", 1),
    ("产出指标", "成本指标", "食品安全检验", "50", "49", 2, 2, "", "reverse", 2),
    ("产出指标", "成本指标", "药械化监管", "8", "4.8", 2, 1, "开源节流", "reverse", 2),
    ("产出指标", "成本指标", "特种设备监管", "2", "2", 1, 1, "", "reverse", 1),
    ("效益指标", "经济效益指标", "执法办案罚没收入", "≥303.9万", "399.32万", 30, 30, "", "positive", 30),
    ("满意度指标", "服务对象满意度指标", "群众满意度", "≥95%", "95%", 10, 10, "", "positive", 10),
]
OVER_ACHIEVED = {"药械化监管数量指标", "特种设备监管数量指标", "执法办案罚没收入经济效益指标"}


def seed_indicator(row, with_overrides: bool) -> Indicator:
    level1, level2, level3, target, actual, weight, published, reason, _, rule_score = row
    manual = Decimal(published) if with_overrides and published != rule_score else None
    return Indicator(level1, level2, level3, target, actual, Decimal(weight), manual, reason)


def seed_project(with_overrides: bool) -> Project:
    funds = Funds(FundsLine("年度资金总额", Decimal("329.34"), Decimal("231.13"), Decimal("231.13")))
    return Project("市场监督管理", "衡山县市场监督管理局", "衡山县市场监督管理局", funds,
                   indicators=tuple(seed_indicator(row, with_overrides) for row in SEED_ROWS))


@pytest.mark.parametrize("row", SEED_ROWS, ids=lambda row: f"{row[1]}-{row[2]}")
def test_rule_score_of_each_seed_row(row):
    result = score_indicator(seed_indicator(row, with_overrides=False))
    assert result.rule.value == row[8]
    assert result.rule_score == row[9]


@pytest.mark.parametrize("row", SEED_ROWS, ids=lambda row: f"{row[1]}-{row[2]}")
def test_published_score_of_each_seed_row_with_overrides(row):
    result = score_indicator(seed_indicator(row, with_overrides=True))
    assert result.score == row[6]
    assert (Flag.OVERRIDDEN in result.flags) == (row[6] != row[9])


@pytest.mark.parametrize("row", SEED_ROWS, ids=lambda row: f"{row[1]}-{row[2]}")
def test_over_achieved_seed_rows_are_flagged_and_need_a_reason(row):
    result = score_indicator(seed_indicator(row, with_overrides=True))
    expected = row[2] + row[1] in OVER_ACHIEVED
    assert (Flag.OVER_ACHIEVED in result.flags) is expected
    assert (Flag.NEEDS_REASON in result.flags) is expected


def test_execution_231_13_of_231_13_scores_10():
    result = score_project(seed_project(with_overrides=True))
    assert result.funds.rate == 1
    assert result.funds.score == 10


def test_seed_total_is_98_with_the_two_overrides():
    result = score_project(seed_project(with_overrides=True))
    assert result.total == 98
    assert result.grade == "优"


def test_seed_total_is_100_by_the_rules_alone():
    assert score_project(seed_project(with_overrides=False)).total == 100


def test_seed_roll_up_by_level():
    result = score_project(seed_project(with_overrides=True))
    level1 = {node.level1: (node.weight, node.score) for node in result.level1}
    assert level1 == {"产出指标": (50, 48), "效益指标": (30, 30), "满意度指标": (10, 10)}
    level2 = {node.level2: node.score for node in result.level2}
    assert level2["质量指标"] == 19 and level2["成本指标"] == 5 and level2["数量指标"] == 20


def test_override_explanation_keeps_the_rule_score_visible():
    result = score_indicator(seed_indicator(SEED_ROWS[4], with_overrides=True))
    assert result.final_rule is Rule.MANUAL
    assert "人工评分4分" in result.explanation and "规则得分5分" in result.explanation
    assert "100批次中有3个批次不合格" in result.explanation
