"""SCORING.md §5b: targets and actuals as accountants type them, row by row and as properties.

Each row is what a user typed into 年度指标值 / 实际完成值 (text, or a cell value read with its
number format as :class:`Entry`), and the score the specification gives.
"""

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from udfs.model import Entry, Flag, Indicator, Rule
from udfs.scoring import score_indicator

W = Decimal(5)


def score(target, actual, level2="数量指标", level3="", year=2023, weight=W):
    return score_indicator(Indicator("产出指标", level2, level3, target, actual, weight), year=year)


def percent_cell(value: float, text: str) -> Entry:
    """A number LibreOffice/WPS/Excel stored with a percent format, as the reader hands it."""
    return Entry(value, text, "0.00%")


# --- §5b.1 dates ---------------------------------------------------------------------------

@pytest.mark.parametrize("target, actual, expected", [
    ("2023.12.31前", "2024年3月10日", 0), ("2023/12/31前", "2024年3月10日", 0), ("2023-12-31前", "2024年3月10日", 0),
    ("2023.12.31前", "2023年12月20日", W), ("2023/9/30前", "2023/9/30", W), ("2023/9/30前", "2023/10/1", 0),
    ("2023年12月31日前", "2023.11.30", W), ("2023年12月", "2023-12-20", W), ("2023.12", "2024.01", 0),
    ("23年12月", "2023年12月", W), ("12月31日前", "2023年11月", W), ("12.31前", "2024年1月5日", 0),
    ("2023年底", "2023年12月", W), ("2023年底前完成", "2024年1月", 0), ("上半年完成", "2023年6月30日", W),
    ("2023年三季度末", "2023年10月8日", 0), ("12月底之前完成", "12月", W),
    # date cells, as the reader hands them (and as xlwings hands them to a UDF)
    ("2023年12月31日前", Entry(datetime(2023, 5, 20), "2023-05-20", "yyyy\\-mm\\-dd"), W),
    ("2023年6月30日前", Entry(datetime(2023, 7, 1), "23年7月1日", "yy\\年m\\月d\\日"), 0),
    (Entry(datetime(2023, 9, 30), "2023-09-30", "yyyy\\-mm\\-dd"), "2023年9月", W),
    ("2023年12月31日前", date(2024, 1, 2), 0),
])
def test_dates_in_every_notation(target, actual, expected):
    result = score(target, actual, level2="时效指标")
    assert result.rule is Rule.DEADLINE, result.explanation
    assert result.score == expected, result.explanation


@pytest.mark.parametrize("target, actual, expected", [
    ("12月31日前", "12月20日", W), ("12月31日前", "次年1月", 0), ("10月底前", "11月", 0),
    ("12月31日前", "2024年1月5日", 0), ("12月31日前", "2023年12月5日", W),
])
def test_a_year_missing_on_both_sides_is_the_evaluation_year(target, actual, expected):
    assert score(target, actual, level2="时效指标").score == expected


def test_a_date_typed_in_a_quantity_row_is_still_a_date():
    assert score("2023年12月31日前", "2024年1月10日", level2="数量指标").rule is Rule.DEADLINE


@pytest.mark.parametrize("shown, month, review", [("2023.12", 12, False), ("2023.6", 6, False), ("2023.1", 1, True)])
def test_a_month_typed_as_a_number_cell_is_a_month(shown, month, review):
    """LibreOffice and WPS store a typed "2023.12" as the number 2023.12; "2023.10" becomes 2023.1."""
    actual = Entry(float(shown), shown)
    result = score("2023年12月31日前", actual, level2="时效指标")
    assert result.rule is Rule.DEADLINE and result.score == W
    assert (Flag.NEEDS_REVIEW in result.flags) is review


def test_an_impossible_date_cannot_be_scored_and_says_so():
    result = score("2023年2月30日前", "2023年2月1日", level2="时效指标")
    assert result.score is None and "2023年2月30日" in result.explanation


DATE_FORMS = (
    lambda d: f"{d.year}年{d.month}月{d.day}日", lambda d: f"{d.year}.{d.month}.{d.day}",
    lambda d: f"{d.year}/{d.month}/{d.day}", lambda d: f"{d.year}-{d.month:02d}-{d.day:02d}",
    lambda d: f"{d.year % 100:02d}年{d.month}月{d.day}日",
)


@given(deadline=st.dates(date(2001, 1, 1), date(2098, 12, 31)), done=st.dates(date(2001, 1, 1), date(2098, 12, 31)),
       target_form=st.sampled_from(DATE_FORMS), actual_form=st.sampled_from(DATE_FORMS),
       suffix=st.sampled_from(["", "前", "之前", "以前", "前完成"]), as_cell=st.booleans())
def test_any_notation_of_two_dates_compares_the_dates(deadline, done, target_form, actual_form, suffix, as_cell):
    actual = Entry(datetime(done.year, done.month, done.day), actual_form(done)) if as_cell else actual_form(done)
    result = score(target_form(deadline) + suffix, actual, level2="时效指标")
    assert result.rule is Rule.DEADLINE, result.explanation
    assert result.score == (W if done <= deadline else 0), result.explanation


# --- §5b.2 units -----------------------------------------------------------------------------

@pytest.mark.parametrize("target, actual, level3, expected", [
    ("≥98", "98%", "", W), ("≥98", percent_cell(0.98, "98.00%"), "", W), ("≥95", percent_cell(0.965, "96.50%"), "", W),
    ("≤5", "8%", "投诉率", 2), ("≤5", percent_cell(0.08, "8.00%"), "投诉率", 2),
    ("≥95%", percent_cell(0.973, "97.30%"), "", W), ("≥98%", percent_cell(0.973, "97.30%"), "", Decimal("4.96")),
    ("100%", percent_cell(1.0, "100.00%"), "", W), (percent_cell(0.95, "95.00%"), "97%", "", W),
    ("≤202.6万元", "132.9", "", W), ("≥303.9万", "3993200元", "", W),
    ("100㎡", "100平方米", "", W), ("≥100m²", "100㎡", "", W), ("1000立方米", "1000m³", "", W),
    ("≥1000米", "1.2公里", "", W), ("≥10公里", "5000米", "", Decimal("2.5")), ("≥500人次", "500人·次", "", W),
    ("≥2万元", "20000元", "", W),
])
def test_one_unit_on_both_sides(target, actual, level3, expected):
    result = score(target, actual, level2="质量指标", level3=level3)
    assert result.score == expected, result.explanation
    assert Flag.UNIT_MISMATCH not in result.flags


@pytest.mark.parametrize("target, actual, named", [
    ("≥95%", "28.8万元", ("万元", "%")), ("≥90分", "95%", ("%", "分")), ("100人", "50元", ("元", "人")),
    ("100批次", "100%", ("%", "批次")),
])
def test_units_that_truly_differ_cannot_be_scored_and_name_both(target, actual, named):
    result = score(target, actual)
    assert result.score is None and Flag.CANNOT_SCORE in result.flags
    for unit in named:
        assert unit in result.explanation


def test_two_counting_words_are_compared_and_flagged_for_review():
    result = score("100批次", "100例")
    assert result.score == W
    assert Flag.UNIT_MISMATCH in result.flags and Flag.NEEDS_REVIEW in result.flags


SPELLINGS = (("平方米", "㎡", "m²", "m2", "平米"), ("立方米", "m³", "m3"), ("公里", "km", "千米"),
             ("人次", "人·次", "人*次"), ("千克", "kg", "公斤"))


@given(group=st.sampled_from(SPELLINGS), data=st.data(),
       target=st.decimals(1, 10_000, places=1), actual=st.decimals(0, 20_000, places=1))
def test_one_unit_spelled_two_ways_scores_as_one_unit(group, data, target, actual):
    a, b = data.draw(st.sampled_from(group)), data.draw(st.sampled_from(group))
    mixed = score(f"≥{target}{a}", f"{actual}{b}")
    same = score(f"≥{target}{a}", f"{actual}{a}")
    assert mixed.score == same.score is not None
    assert Flag.UNIT_MISMATCH not in mixed.flags


UNIT_WORDS = st.sampled_from(["%", "万元", "元", "批次", "人", "个", "平方米", "公里", "天"])


@given(unit=UNIT_WORDS, target=st.integers(1, 500), actual=st.integers(0, 1000),
       comparator=st.sampled_from(["≥", "≤", ""]), bare_side=st.sampled_from(["target", "actual"]))
def test_a_number_without_unit_takes_the_other_sides_unit(unit, target, actual, comparator, bare_side):
    """§5b.2 in both directions: the bare side reads in the other side's unit — or, where a bare
    number could be a fraction of a percentage (1 against 10%), the row says what it assumed (§5b.5)."""
    full = score(f"{comparator}{target}{unit}", f"{actual}{unit}", level2="质量指标")
    if bare_side == "target":
        half = score(f"{comparator}{target}", f"{actual}{unit}", level2="质量指标")
    else:
        half = score(f"{comparator}{target}{unit}", f"{actual}", level2="质量指标")
    assert half.score == full.score or Flag.NEEDS_REVIEW in half.flags, (half.explanation, full.explanation)


# --- §5b.3 zero targets ----------------------------------------------------------------------

@pytest.mark.parametrize("target, actual, expected", [
    ("0人", "2人", 0), ("0人", "0人", W), ("0", "0", W), ("0", "1", 0), ("0起", "无", W), ("0起", "1起", 0),
    ("0%", "0.5%", 0), ("0%", percent_cell(0.0, "0.00%"), W), ("无", "0起", W), ("无", "未发生", W), ("无", "2起", 0),
    ("零", "0", W), ("零", "3次", 0),
])
def test_a_bare_zero_target_is_an_upper_bound(target, actual, expected):
    result = score(target, actual, level3="因贫辍学学生数")
    assert result.score == expected, result.explanation


def test_an_explicit_at_least_zero_stays_positive():
    assert score("≥0", "3").rule is Rule.POSITIVE and score("≥0", "3").score == W


# --- §5b.5 nothing half-understood is scored silently -------------------------------------------

@pytest.mark.parametrize("target, actual", [
    ("≥95%", "0.97"), ("≥95", "0.97"), ("≥95%", Entry(0.97, "0.97")), ("100批次", "完成100批次，其中3批次不合格"),
])
def test_assumptions_are_flagged_for_review_and_said(target, actual):
    result = score(target, actual, level2="质量指标")
    assert result.score is not None and Flag.NEEDS_REVIEW in result.flags
    assert "需复核：" in result.explanation


@pytest.mark.parametrize("target, actual", [("≥95%", percent_cell(0.97, "97.00%")), ("≥95%", 0.97), ("≥95%", "97%")])
def test_what_is_certain_is_not_flagged(target, actual):
    """A percent cell is a percentage; an Excel value (0.97 from a percent cell) reaches a UDF bare."""
    result = score(target, actual, level2="质量指标")
    assert result.score == W and Flag.NEEDS_REVIEW not in result.flags


@pytest.mark.parametrize("value", [True, datetime(2023, 5, 20).time()])
def test_booleans_and_times_are_named_never_scored(value):
    result = score("≥95%", value)
    assert result.score is None and Flag.CANNOT_SCORE in result.flags


def test_the_explanation_quotes_what_the_user_sees():
    result = score("≥98%", percent_cell(0.973, "97.30%"), level2="质量指标")
    assert "实际97.30%" in result.explanation and "目标≥98%" in result.explanation


def test_a_date_in_an_actual_sentence_is_not_its_count():
    """"截至2023年底完成120人": 120人 is the actual; the year is when, not how many."""
    assert score("≥100人", "截至2023年底完成120人").score == W
    assert score("≥100人", "2023年12月").score is None


def test_a_number_format_with_a_unit_is_read_with_that_unit():
    assert score("≥5人", Entry(Decimal(6), "6人", '0"人"')).score == W
    assert Flag.UNIT_MISMATCH not in score("≥5人", Entry(Decimal(6), "6人", '0"人"')).flags
