"""The Excel-cell boundary of the core: cell values in, cell values out, never an exception.

Excel hands UDFs None for blanks, floats for numbers (0.97 for a cell formatted 97%), text,
and error values ("#N/A" with xlwings' err_to_str). Everything here turns those into core
inputs, and every failure into a readable Chinese string in the cell (STYLE.md §4) instead
of #VALUE!. The xlwings wrappers in :mod:`udfs.excel` only call these functions.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Callable, TypeVar

from .model import Flag, Funds, FundsLine, Indicator
from .numbers import D, to_float
from .profile import DEFAULT_PROFILE, ProfileError, RuleProfile, profile_from_rows
from . import scoring
from . import targets
from .common_indicators import COMMON_INDICATORS, INFINITE, Measure, TABLE_RATIOS, ratio_of
from .targets import normalize_text, parse_quantity

CellValue = float | str | None
EXCEL_ERRORS = ("#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA")
# COM error codes xlwings passes when err_to_str is not in effect.
_COM_ERRORS = {-2146826281: "#DIV/0!", -2146826246: "#N/A", -2146826259: "#NAME?", -2146826288: "#NULL!",
               -2146826252: "#NUM!", -2146826265: "#REF!", -2146826273: "#VALUE!"}
TABLE_COLUMNS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "人工得分", "偏差原因")
TABLE_RESULT_COLUMNS = ("规则得分", "最终得分", "提示", "评分说明")


class CellError(ValueError):
    """A cell input the function cannot use; the message is what the cell shows."""


F = TypeVar("F", bound=Callable[..., CellValue])


def cell_function(func: F) -> F:
    """Turn any exception into the cell text "错误：…" — the one place errors become values."""

    @functools.wraps(func)
    def safe(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (CellError, ProfileError) as error:
            return f"错误：{error}"
        except Exception as error:  # noqa: BLE001 - a cell must never show a traceback
            return f"错误：内部错误（{type(error).__name__}: {error}），请联系技术支持"

    return safe  # type: ignore[return-value]


def _error_name(value: object) -> str | None:
    if isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS:
        return value.strip().upper()
    if isinstance(value, int) and not isinstance(value, bool) and value in _COM_ERRORS:
        return _COM_ERRORS[value]
    return None


def check_not_error(value: object, what: str) -> object:
    name = _error_name(value)
    if name:
        raise CellError(f"{what}单元格是错误值{name}")
    return value


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_number(value: object, what: str, percent_text: bool = True) -> Decimal | None:
    """A number cell: None when blank; "97%" text is 0.97; "12.5万元" is not a number here."""
    check_not_error(value, what)
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(f"{what}应为数字，实际为逻辑值")
    if isinstance(value, (int, float, Decimal)):
        try:
            return D(value)
        except ValueError as error:
            raise CellError(f"{what}应为数字：{error}") from None
    text = normalize_text(value)
    try:
        return D(text)
    except ValueError:
        pass
    try:
        quantity = parse_quantity(text)
    except ValueError as error:  # "1e20%": a number, but out of range
        raise CellError(f"{what}应为数字：{error}") from None
    if percent_text and quantity is not None and quantity.unit == "%" and text.endswith(("%", "百分比")):
        return quantity.value
    raise CellError(f"{what}应为数字，实际为「{value}」")


def cell_text(value: object) -> str:
    """The text of a cell: "" when blank, 5.0 -> "5" (Excel hands whole numbers as floats)."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_text(value: object, what: str) -> str:
    check_not_error(value, what)
    return cell_text(value)


def _cell_input(value: object, what: str) -> object:
    """A target/actual cell: text stays text, numbers stay numbers, errors raise."""
    check_not_error(value, what)
    return None if is_blank(value) else value


def typed_key(values: tuple[object, ...]) -> tuple[tuple[type, object], ...]:
    """A cache key that tells cell values apart by type as well as value: False == 0 == 0.0
    and True == 1 as Python values (and as dict keys), but a logical cell is not a number
    cell, and a memoised answer must not depend on which of them was computed first."""
    return tuple((type(value), typed_key(value) if isinstance(value, tuple) else value) for value in values)


def _untyped(key: tuple[tuple[type, object], ...]) -> tuple[object, ...]:
    return tuple(_untyped(value) if kind is tuple else value for kind, value in key)


@functools.lru_cache(maxsize=64)
def _profile_by_key(key: tuple) -> RuleProfile:
    return profile_from_rows(_untyped(key))


def _profile_cached(rows: tuple[tuple[object, object], ...]) -> RuleProfile:
    return _profile_by_key(typed_key(rows))


def read_profile(value: object) -> RuleProfile:
    """The 评分规则 range (key, value[, help]) rows, or the national default when omitted."""
    if is_blank(value):
        return DEFAULT_PROFILE
    if not isinstance(value, (list, tuple)) or not all(isinstance(row, (list, tuple)) and len(row) >= 2 for row in value):
        raise CellError("评分规则参数应为“项目/取值”两列的区域")
    return _profile_cached(tuple((row[0], row[1]) for row in value))


def make_indicator(target, actual, weight, level2="", level3="", manual=None, reason="", level1="") -> Indicator:
    weight_value = read_number(weight, "分值")
    if weight_value is None:
        raise CellError("分值为空")
    if weight_value < 0:
        raise CellError(f"分值不能为负数：{weight_value}")
    return Indicator(
        level1=read_text(level1, "一级指标"),
        level2=read_text(level2, "二级指标"),
        level3=read_text(level3, "三级指标"),
        target=_cell_input(target, "年度指标值"),
        actual=_cell_input(actual, "实际完成值"),
        weight=weight_value,
        manual_score=read_number(manual, "人工得分"),
        deviation_reason=read_text(reason, "偏差原因"),
    )


def score_or_message(score: Decimal | None, explanation: str) -> CellValue:
    return to_float(score) if score is not None else explanation


@cell_function
def exec_rate(executed, budget) -> CellValue:
    budget_value = read_number(budget, "全年预算数")
    executed_value = read_number(executed, "全年执行数")
    if budget_value is None or budget_value == 0:
        raise CellError("全年预算数为空或为0，无法计算执行率")
    if budget_value < 0:  # a typo; a negative rate would pass for a number
        raise CellError(f"全年预算数不能为负数：{budget_value}")
    if executed_value is None:
        raise CellError("全年执行数为空，无法计算执行率")
    return to_float(scoring.execution_rate(executed_value, budget_value))


@cell_function
def exec_score(executed, budget, weight=None, profile=None) -> CellValue:
    # Negative budget or weight: score_execution answers "…不能为负数" instead of a 0.
    funds = Funds(FundsLine("年度资金总额", None, read_number(budget, "全年预算数"), read_number(executed, "全年执行数")),
                  weight=read_number(weight, "分值"))
    result = scoring.score_execution(funds, read_profile(profile))
    return score_or_message(result.score, f"错误：{result.message}")


@cell_function
def relative_difference(target, actual, what: str) -> CellValue:
    target_value = read_number(target, f"{what}目标值")
    actual_value = read_number(actual, f"{what}实际值")
    if target_value is None or actual_value is None:
        raise CellError(f"{what}目标值或实际值为空")
    if target_value == 0:
        raise CellError(f"{what}目标值为0，无法计算")
    return to_float(scoring.relative_difference(target_value, actual_value))


@cell_function
def deviation(target, actual, level2="", level3="") -> CellValue:
    indicator = make_indicator(target, actual, 1, level2, level3)
    outcome = scoring.rule_outcome(indicator)
    if outcome.completion is None:
        raise CellError(outcome.sentence if outcome.score is None else "该指标没有可比较的数值，无法计算偏离度")
    return to_float(outcome.completion - 1)


@cell_function
def perf_score(target, actual, weight, level2="", level3="", manual=None, reason="", profile=None) -> CellValue:
    indicator = make_indicator(target, actual, weight, level2, level3, manual, reason)
    result = scoring.score_indicator(indicator, read_profile(profile))
    return score_or_message(result.score, result.explanation)


@cell_function
def perf_explain(target, actual, weight, level2="", level3="", manual=None, reason="", profile=None) -> CellValue:
    indicator = make_indicator(target, actual, weight, level2, level3, manual, reason)
    return scoring.score_indicator(indicator, read_profile(profile)).explanation


@cell_function
def grade(total, profile=None) -> CellValue:
    value = read_number(total, "总分")
    if value is None:
        raise CellError("总分为空")
    return scoring.grade(value, read_profile(profile))


def _flatten(value: object) -> list[object]:
    if isinstance(value, (list, tuple)):
        return [item for row in value for item in _flatten(row)]
    return [value]


@cell_function
def total_score(execution_score, indicator_scores) -> CellValue:
    """Execution score + the sum of numeric indicator scores; text cells (messages) count 0."""
    total = read_number(execution_score, "执行率得分") or Decimal(0)
    for value in _flatten(indicator_scores):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            total += D(value)
    return to_float(total)


def _table_row(row: tuple[object, ...], profile: RuleProfile) -> tuple[CellValue, ...]:
    """Results of one row. Memoised: Excel recalculates PERF_TABLE over the whole range on
    every edit, and rows are plain cell values, so unchanged rows are looked up, not rescored
    (keyed by :func:`typed_key`: a row holding FALSE is not the row holding 0)."""
    return _table_row_by_key(typed_key(row), profile)


@functools.lru_cache(maxsize=65536)
def _table_row_by_key(key: tuple, profile: RuleProfile) -> tuple[CellValue, ...]:
    row = _untyped(key)
    cells = row + (None,) * (len(TABLE_COLUMNS) - len(row))
    level1, level2, level3, target, actual, weight, manual, reason = cells[: len(TABLE_COLUMNS)]
    if all(is_blank(cell) for cell in cells):
        return ("", "", "", "")
    try:
        indicator = make_indicator(target, actual, weight, level2, level3, manual, reason, level1)
    except CellError as error:
        return ("", "", Flag.CANNOT_SCORE.value, f"错误：{error}")
    result = scoring.score_indicator(indicator, profile)
    return (
        "" if result.rule_score is None else to_float(result.rule_score),
        "" if result.score is None else to_float(result.score),
        "、".join(flag.value for flag in result.flags),
        result.explanation,
    )


def clear_caches() -> None:
    """Forget memoised rows and targets, so a benchmark can time a first calculation."""
    _table_row_by_key.cache_clear()
    targets.clear_cache()


@cell_function
def perf_table(rows, profile=None) -> list[list[CellValue]] | str:
    """One call for the whole indicator range: a row of results per input row."""
    if rows is None:
        raise CellError("指标区域为空")
    if not isinstance(rows, (list, tuple)):
        rows = [[rows]]
    elif rows and not isinstance(rows[0], (list, tuple)):
        rows = [rows]
    active = read_profile(profile)
    return [list(_table_row(tuple(row), active)) for row in rows]


def _ratio_names() -> str:
    return "、".join(i.key for i in (*COMMON_INDICATORS, *TABLE_RATIOS)
                    if i.measure is Measure.RATE and i.key != "资金结余")


@cell_function
def dept_ratio(indicator, first, second) -> CellValue:
    """A 共性指标 rate of two figures (udfs.common_indicators): a ÷ b, or (a − b) ÷ b for
    变动率 and 调整率."""
    name = read_text(indicator, "指标")
    a, b = read_number(first, "数1"), read_number(second, "数2")
    try:
        value = ratio_of(name, a, b)
    except KeyError:
        raise CellError(f"没有名为「{name}」的比率，可用：{_ratio_names()}") from None
    except ValueError:
        raise CellError(f"「{name}」按个数或项数评分，不是比率") from None
    if value is None:
        raise CellError("数1或数2为空")
    if value == INFINITE:
        raise CellError("分母为0，无法计算")
    return to_float(value)
