"""Properties that hold for any input: the parser never raises, scores stay in [0, w]."""

from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from udfs import cells
from udfs.model import Indicator
from udfs.scoring import score_indicator
from udfs.targets import parse_target

LEVEL2 = st.sampled_from(["数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标", ""])
COMPARATORS = st.sampled_from(["", "≥", "≤", ">", "<", "=", "＞", "≧", "﹦", "不少于", "不超过", "‹="])
UNITS = st.sampled_from(["", "%", "百分比", "万元", "元", "批次", "个", "人次", "亿元", "万", " %", "年", "天"])
NUMBERS = st.decimals(min_value=-1000, max_value=100000, places=2, allow_nan=False, allow_infinity=False)
TARGET_TEXT = st.builds(lambda c, n, u: f"{c}{n}{u}", COMPARATORS, NUMBERS, UNITS)
ANY_CELL = st.one_of(st.none(), st.text(max_size=30), TARGET_TEXT, st.floats(allow_nan=True), st.integers(),
                    st.booleans(), st.datetimes(), st.dates())
WEIGHTS = st.decimals(min_value=0, max_value=100, places=2)


@given(text=st.one_of(st.text(max_size=60), TARGET_TEXT), level2=LEVEL2, level3=st.text(max_size=10))
def test_parser_never_raises_and_unparsed_names_the_problem(text, level2, level3):
    parsed = parse_target(text, level2, level3)
    if parsed.kind.value == "unparsed":
        assert parsed.problem


@settings(max_examples=300)
@given(target=ANY_CELL, actual=ANY_CELL, weight=WEIGHTS, level2=LEVEL2,
       manual=st.one_of(st.none(), st.decimals(min_value=-10, max_value=200, places=1)),
       reason=st.sampled_from(["", "原因"]))
def test_score_is_none_or_within_zero_and_weight(target, actual, weight, level2, manual, reason):
    result = score_indicator(Indicator("产出指标", level2, "", target, actual, weight, manual, reason))
    for value in (result.score, result.rule_score):
        assert value is None or Decimal(0) <= value <= weight
    assert result.explanation


@given(target=TARGET_TEXT.filter(lambda t: not t.startswith(("≤", "<", "不超过", "‹=", "="))),
       low=NUMBERS, high=NUMBERS, weight=WEIGHTS)
def test_positive_score_never_falls_when_actual_rises(target, low, high, weight):
    """B is written in the target's unit: a bare number against a percent target is read by
    magnitude (see test_bare_numbers_against_percent_targets), which no order can survive."""
    low, high = sorted((low, high))
    parsed = parse_target(target, "数量指标")
    if parsed.kind.value != "positive":
        return
    unit = parsed.quantity.scale + parsed.quantity.unit
    scores = [score_indicator(Indicator("产出指标", "数量指标", "", target, f"{value}{unit}", weight)).score
              for value in (low, high)]
    if None not in scores:
        assert scores[0] <= scores[1]


@pytest.mark.parametrize("target, actual, percent", [
    ("≥95%", 0.97, "97%"), ("≥95%", "0.97", "97%"), ("≥95%", 97, "97%"), ("≥95%", "97", "97%"),
    ("≥95%", 1.2, "120%"), ("≥95%", 2, "200%"), ("≥95%", 2.5, "250%"), ("≥95%", 9.5, "950%"),
    ("≥95%", 10, "10%"), ("≤1%", 0.8, "0.8%"), ("≤1%", "0.8", "0.8%"), ("≤1%", 0.008, "0.8%"),
    ("≤1%", 5, "5%"), ("≤5%", 0.6, "0.6%"), ("≤5%", 0.5, "50%"), ("≤5%", 0.04, "4%"), ("≥0%", 1.5, "150%"), ("≥0%", 3, "3%"),
    ("≥95%", 0, "0%"), ("≥95%", -5, "-5%"),
])
def test_bare_numbers_against_percent_targets(target, actual, percent):
    """Of the two readings of a bare number, fraction (0.97 = 97%) and percentage points
    (97 = 97%), the one closer in magnitude to the target wins: 2.5 against ≥95% is 250%,
    0.8 against ≤1% is 0.8%; a tie (9.5 against 95%, 0.5 against 5%) stays a fraction. Target 0 or a
    number ≤ 0 keeps the old rule: up to 2 a fraction, above it percentage points. Text typed as a
    fraction ("0.97") is an assumption and flagged 需复核; an Excel value is not (a percent cell
    reaches a UDF as 0.97)."""
    as_bare = score_indicator(Indicator("产出指标", "质量指标", "投诉率", target, actual, Decimal(10)))
    as_text = score_indicator(Indicator("产出指标", "质量指标", "投诉率", target, percent, Decimal(10)))
    assert as_bare.score == as_text.score and as_bare.completion == as_text.completion
    if isinstance(actual, str):  # typed without unit: the sentence shows the reading
        assert f"实际{actual}（即{percent}）" in as_bare.explanation or f"实际{actual}" in as_bare.explanation
    else:  # an Excel cell value (a percent cell arrives as 0.97): said in the target's unit
        assert as_bare.explanation == as_text.explanation


def test_a_small_percent_limit_reads_a_bare_number_as_points():
    result = score_indicator(Indicator("产出指标", "质量指标", "投诉率", "≤1%", 0.8, Decimal(10)))
    assert result.score == 10 and "实际0.8%" in result.explanation


EXPONENT_TEXT = st.builds(lambda c, m, e, u: f"{c}{m}e{e}{u}", COMPARATORS, st.integers(-99, 99),
                          st.integers(-40, 40), UNITS)


@settings(max_examples=300)
@given(target=st.one_of(ANY_CELL, EXPONENT_TEXT), actual=st.one_of(ANY_CELL, EXPONENT_TEXT),
       weight=st.one_of(ANY_CELL, WEIGHTS.map(float)), level2=LEVEL2)
def test_cell_functions_always_return_a_cell_value(target, actual, weight, level2):
    """An internal error is also a cell value, so it must be ruled out explicitly."""
    for value in (cells.perf_score(target, actual, weight, level2), cells.perf_explain(target, actual, weight, level2),
                  cells.exec_score(actual, target, weight), cells.exec_rate(actual, target),
                  cells.deviation(target, actual, level2)):
        assert value is None or isinstance(value, (float, str))
        assert "内部错误" not in str(value)
