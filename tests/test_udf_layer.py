"""The Excel boundary: cell semantics, the UDF registry, and the purity of the core."""

import ast
import inspect
import pathlib
from datetime import date, datetime

import pytest

import udfs.excel as excel
from addin.udf_vba import MACRO_OPTIONS_LIMIT, VBA_LINE_LIMIT, udf_module_code
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


def test_every_registered_function_has_a_vba_wrapper():
    code = udf_module_code()
    code.encode("ascii")
    for name in REGISTRY:
        assert f'XLPy.CallUDF("udfs.excel", "{name}"' in code
        assert f'Macro:="{name}"' in code


def test_every_vba_line_fits_the_vba_line_limit():
    assert max(len(line) for line in udf_module_code().split("\r\n")) <= VBA_LINE_LIMIT


@pytest.mark.parametrize("char", ["绩", "\U0002000B"])  # 4 and 5 hex digits per character
def test_the_longest_allowed_help_still_fits_the_vba_line_limit(monkeypatch, char):
    """MacroOptions takes 255 characters; hex-encoded that is far beyond 1023 on one line."""
    long_text = char * (MACRO_OPTIONS_LIMIT + 40)
    args = tuple(UdfArg(f"arg{i}", long_text, i > 0) for i in range(12))
    monkeypatch.setitem(REGISTRY, "LONG_HELP", UdfSpec("LONG_HELP", long_text, args, category=long_text))
    code = udf_module_code()
    assert 'Macro:="LONG_HELP"' in code
    assert max(len(line) for line in code.split("\r\n")) <= VBA_LINE_LIMIT
    block = code[code.index('LONG_HELP", Array('):]
    assert f"{ord(char):X}" in block


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
