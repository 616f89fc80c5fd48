"""The Excel boundary: cell semantics, the UDF registry, and the purity of the core."""

import ast
import inspect
import pathlib
from datetime import date, datetime

import pytest

import udfs.excel as excel
from addin.template.ui_texts import MACRO_OPTIONS_LIMIT, help_texts
from addin.template.udf_vba import VBA_LINE_LIMIT, help_registration_lines, udf_module_code
from udfs import cells
from udfs.registry import REGISTRY, UdfArg, UdfSpec

UDFS = pathlib.Path(excel.__file__).parent
EXPECTED = {"EXEC_RATE", "EXEC_SCORE", "COST_VARIANCE", "DEVIATION", "PERF_SCORE", "PERF_EXPLAIN",
            "GRADE", "TOTAL_SCORE", "PERF_TABLE", "DEPT_RATIO"}


def test_registry_matches_the_excel_functions():
    functions = {name: obj for name, obj in vars(excel).items() if name.isupper() and callable(obj)}
    assert set(REGISTRY) == set(functions) == EXPECTED
    for name, spec in REGISTRY.items():
        params = inspect.signature(functions[name]).parameters
        assert [arg.name for arg in spec.args] == list(params)
        assert [arg.optional for arg in spec.args] == [p.default is not inspect.Parameter.empty for p in params.values()]
        assert spec.help == inspect.getdoc(functions[name]) and spec.help
        assert all(arg.help for arg in spec.args) and spec.category == "绩效自评"


def test_every_registered_function_has_a_vba_wrapper_and_its_help_registration():
    code = udf_module_code()
    code.encode("ascii")
    registration = "\n".join(help_registration_lines())
    for name, spec in REGISTRY.items():
        assert f'XLPy.CallUDF("udfs.excel", "{name}"' in code
        assert f'DescribeFunction "{name}", "{" ".join(arg.name for arg in spec.args)}"' in registration


def test_every_vba_line_fits_the_vba_line_limit():
    assert max(len(line) for line in udf_module_code().split("\r\n")) <= VBA_LINE_LIMIT


def test_function_help_is_cell_text_keyed_by_function_and_argument():
    """The wizard texts live in the 提示文字 sheet as Unicode, cut to MacroOptions' 255 characters."""
    texts = help_texts()
    for name, spec in REGISTRY.items():
        assert texts[f"help.{name}"] == spec.help and texts[f"category.{name}"] == "绩效自评"
        assert [texts[f"arg.{name}.{arg.name}"] for arg in spec.args] == [arg.help for arg in spec.args]


@pytest.mark.parametrize("char", ["绩", "\U0002000B"])
def test_long_help_is_cut_to_the_macro_options_limit_whatever_the_character(monkeypatch, char):
    long_text = char * (MACRO_OPTIONS_LIMIT + 40)
    args = tuple(UdfArg(f"arg{i}", long_text, i > 0) for i in range(12))
    monkeypatch.setitem(REGISTRY, "LONG_HELP", UdfSpec("LONG_HELP", long_text, args, category=long_text))
    texts = help_texts()
    assert texts["help.LONG_HELP"] == char * MACRO_OPTIONS_LIMIT == texts["category.LONG_HELP"]
    assert texts["arg.LONG_HELP.arg11"] == char * MACRO_OPTIONS_LIMIT
    assert all(line.isascii() for line in help_registration_lines())


@pytest.mark.parametrize("path", sorted(p.name for p in UDFS.glob("*.py") if p.name != "excel.py"))
def test_core_imports_neither_xlwings_nor_openpyxl(path):
    tree = ast.parse((UDFS / path).read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {(node.module or "").split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not imported & {"xlwings", "openpyxl", "pandas", "addin"}


@pytest.mark.parametrize("args, expected", [
    (("≥95%", "97%", 5), 5.0), (("≥95%", 0.97, 5), 5.0), (("≥95%", 0.9, 5), 4.74), (("≥95%", "97%", "5"), 5.0),
    (("8", "4.8", 2, "成本指标", "", 1, "开源节流"), 1.0),
    (("2022年底", datetime(2022, 11, 30), 5), 5.0), (("2022年底", datetime(2023, 1, 5), 5), 0.0),
    ((datetime(2022, 12, 31), "2022年11月", 5, "时效指标"), 5.0), ((date(2022, 6, 30), date(2022, 7, 1), 5), 0.0),
    (("≤1%", 0.8, 5, "质量指标", "投诉率"), 5.0), (("3天", "2天", 5, "时效指标"), 5.0),
])
def test_perf_score_cells(args, expected):
    assert excel.PERF_SCORE(*args) == expected


@pytest.mark.parametrize("args, message", [
    (("≥95%", "#N/A", 5), "实际完成值单元格是错误值#N/A"),
    (("≥95%", -2146826281, 5), "错误值#DIV/0!"),
    (("≥95%", "97%", None), "分值为空"),
    (("≥95%", "97%", "五"), "分值应为数字，实际为「五」"),
    (("≥95%", "97%", -1), "分值不能为负数"),
    (("", "97%", 5), "年度指标值为空"),
    (("≥95%", "97%", 5, "", "", None, "", [["产出指标分值"]]), "评分规则参数"),
])
def test_bad_cells_answer_in_chinese_not_value_errors(args, message):
    result = excel.PERF_SCORE(*args)
    assert isinstance(result, str) and message in result


def test_exec_functions():
    assert excel.EXEC_RATE(231.13, 231.13) == 1.0
    assert excel.EXEC_SCORE(231.13, 231.13) == 10.0
    assert excel.EXEC_SCORE(50, 100, 20) == 10.0
    assert "全年预算数为空或为0" in excel.EXEC_RATE(5, 0)
    assert "全年预算数为空或为0" in excel.EXEC_SCORE(5, None)
    assert excel.EXEC_SCORE(300, 200, 10, [["执行率封顶", "否"]]) == 15.0
    assert excel.EXEC_SCORE(300, 200, 10, [["执行率封顶", "是"]]) == 10.0


@pytest.mark.parametrize("call, message", [
    (lambda: excel.EXEC_SCORE(50, 100, -5), "错误：分值不能为负数"),
    (lambda: excel.EXEC_SCORE(50, -100, 5), "错误：全年预算数不能为负数"),
    (lambda: excel.EXEC_SCORE(50, -100), "错误：全年预算数不能为负数"),
    (lambda: excel.EXEC_RATE(50, -100), "错误：全年预算数不能为负数"),
    (lambda: excel.PERF_SCORE("≥95%", "97%", "1e20"), "错误：分值应为数字"),
    (lambda: excel.PERF_SCORE("≥95%", "97%", "1e20%"), "错误：分值应为数字"),
])
def test_negative_or_out_of_range_cells_are_chinese_errors_not_zero(call, message):
    result = call()
    assert isinstance(result, str) and result.startswith(message) and "内部错误" not in result


def test_cost_variance_and_deviation():
    assert excel.COST_VARIANCE(8, 4.8) == pytest.approx(-0.4)
    assert "目标值为0" in excel.COST_VARIANCE(0, 3)
    assert excel.DEVIATION("200例", "360例") == pytest.approx(0.8)
    assert "无法评分" in excel.DEVIATION("≥95%", "良好")


def test_grade_and_total():
    assert excel.GRADE(98) == "优" and excel.GRADE(89.5) == "良"
    assert excel.TOTAL_SCORE(10, [[5], [4], ["无法评分：…"], [None]]) == 19.0


def test_profile_range_changes_the_rules():
    profile = [["反向指标算法", "比值", "说明"], ["得分取整方式", "向下取整到1", ""]]
    assert excel.PERF_SCORE("≤10", "20", 10, "", "", None, "", profile) == 5.0
    assert "线性扣减" in excel.PERF_SCORE("≤10", "20", 10, "", "", None, "", [["反向指标算法", "别的"]])


def test_perf_table_spills_one_row_per_input_row():
    rows = [
        ["产出指标", "质量指标", "产商品检验", "≥95%", "97%", 5, 4, "100批次中有3个批次不合格"],
        [None] * 8,
        ["产出指标", "质量指标", "坏行", "≥95%", "97%", "五", None, None],
    ]
    table = excel.PERF_TABLE(rows)
    assert len(table) == 3 and all(len(row) == len(cells.TABLE_RESULT_COLUMNS) for row in table)
    assert table[0][:3] == [5.0, 4.0, "人工调整得分"]
    assert table[1] == ["", "", "", ""]
    assert "分值应为数字" in table[2][3]
    assert excel.PERF_TABLE([["产出指标", "数量指标", "x", "10个", "10个", 2]]) [0][1] == 2.0


@pytest.mark.parametrize("first, second", [(False, 0.0), (0.0, False), (True, 1.0), (1.0, True)])
def test_caches_tell_logical_cells_from_numbers(first, second):
    """FALSE == 0 and TRUE == 1 in Python; a memoised answer must not leak from one to the other."""
    from udfs.cells import clear_caches

    clear_caches()
    results = [cells.perf_score(value, 0.0, 5, "成本指标") for value in (first, second)]
    tables = [cells.perf_table([["产出指标", "成本指标", "x", value, 0.0, 5]]) for value in (first, second)]
    clear_caches()
    fresh = [cells.perf_score(second, 0.0, 5, "成本指标"), cells.perf_table([["产出指标", "成本指标", "x", second, 0.0, 5]])]
    assert [results[1], tables[1]] == fresh
    assert results[0] != results[1]


@pytest.mark.parametrize("args, words", [
    (("1e1000000", "5", 5), "年度指标值数值超出范围"), (("≥95%", "≥1e1000000%", 5), "实际完成值数值超出范围"),
    (("≥95%", "97%", "1e1000000"), "分值应为数字：数值超出范围"),
])
def test_huge_exponents_are_cell_messages_not_internal_errors(args, words):
    for answer in (cells.perf_score(*args), cells.perf_explain(*args)):
        assert words in answer and "内部错误" not in answer
