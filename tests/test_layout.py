"""The layout is one consistent declaration: names, codeNames, formulas, model mapping."""

from dataclasses import fields
import re

import pytest
import xlwings

from addin import layout as L
from udfs.model import Assets, Budget, Procurement, ThreePublicCosts
from udfs.profile import profile_rows
import udfs.excel  # noqa: F401 - importing registers the UDFs
from udfs.registry import REGISTRY


def test_sheet_names_code_names_and_range_names_are_unique():
    names = [s.name for s in L.SHEETS]
    codes = [s.code_name for s in L.SHEETS]
    ranges = [n for n, _ in L.named_ranges()]
    assert len(set(names)) == len(names) and len(set(codes)) == len(codes) and len(set(ranges)) == len(ranges)
    assert all(re.fullmatch(r"sh[A-Z][A-Za-z]{1,28}", code) for code in codes)
    assert all(re.fullmatch(r"ZP_[A-Z_]+", name) for name in ranges)


def _refs(expr):
    if isinstance(expr, L.Ref):
        yield expr
    for child in getattr(expr, "args", ()) + tuple(getattr(expr, n) for n in ("left", "right") if hasattr(expr, n)):
        yield from _refs(child)


@pytest.mark.parametrize("sheet", L.SHEETS, ids=lambda s: s.key)
def test_formulas_refer_to_keys_of_their_own_block(sheet):
    for placed in sheet.placed():
        keys = {f.key for f in L.block_fields(placed.block)}
        for field in L.block_fields(placed.block):
            if field.formula:
                used = {ref.key for ref in _refs(field.formula.expr)}
                used |= {field.formula.needs} if field.formula.needs else set()
                used |= {field.formula.only_if[0]} if field.formula.only_if else set()
                assert used <= keys, (sheet.name, field.key, used - keys)


def test_udf_calls_are_registered_functions():
    calls = set()

    def walk(expr):
        if isinstance(expr, L.Call):
            calls.add(expr.function)
            for arg in expr.args:
                walk(arg)
        elif isinstance(expr, L.Arith):
            walk(expr.left), walk(expr.right)

    for sheet in L.SHEETS:
        for placed in sheet.placed():
            for field in L.block_fields(placed.block):
                if field.formula:
                    walk(field.formula.expr)
    assert calls - {"SUMIFS"} <= set(REGISTRY)
    assert {"EXEC_RATE", "EXEC_SCORE", "PERF_SCORE", "PERF_EXPLAIN", "GRADE"} <= calls


def test_indicator_formulas_read_like_the_table():
    assert L.INDICATORS.formula_text("indicators", "final_score", 2) == \
        '=IF(D2="","",PERF_SCORE(E2,F2,G2,C2,D2,I2,K2,ZP_PROFILE))'
    assert L.INDICATORS.formula_text("indicators", "rule_score", 2) == \
        '=IF(D2="","",PERF_SCORE(E2,F2,G2,C2,D2,"","",ZP_PROFILE))'
    assert L.FUNDS.formula_text("funds", "score", 2) == \
        '=IF(OR(D2="",B2<>"年度资金总额"),"",EXEC_SCORE(E2,D2,F2,ZP_PROFILE))'
    assert L.PROJECTS.formula_text("projects", "indicator_score", 3) == \
        "=IF(A3=\"\",\"\",SUMIFS('绩效指标'!$J:$J,'绩效指标'!$A:$A,A3))"


@pytest.mark.parametrize("cls, sheet", [(Budget, L.BUDGET), (ThreePublicCosts, L.THREE_PUBLIC),
                                        (Procurement, L.PROCUREMENT), (Assets, L.ASSETS)], ids=lambda x: getattr(x, "key", ""))
def test_amount_sheets_cover_the_model_records(cls, sheet):
    (block,) = sheet.blocks
    assert {f.key for f in block.fields if f.is_input} == {f.name for f in fields(cls)}


def test_profile_block_holds_every_profile_row():
    placed = L.PROFILE.place("profile")
    assert placed.block.capacity == len(profile_rows())
    assert L.PROFILE.range_ref("profile") == f"'评分规则'!$A$2:$B${1 + len(profile_rows())}"


def test_xlwings_conf_keys_are_what_the_xlwings_vba_module_reads():
    """GetConfigFromSheet reads A1 down to the first blank cell and upper-cases the keys."""
    bas = (xlwings.__path__[0] + "/xlwings.bas")
    source = open(bas, encoding="ascii").read()
    (block,) = L.XLWINGS_CONF.blocks
    assert L.XLWINGS_CONF.name == "xlwings.conf" and not block.show_header
    assert L.XLWINGS_CONF.placed()[0].top == 1
    for field in block.fields:
        assert f'GetConfig("{field.key.upper()}"' in source, field.key
    assert set(L.XLWINGS_CONF_VALUES) == {f.key for f in block.fields}


def test_xlwings_conf_runs_one_python_that_nothing_beside_the_workbook_can_shadow():
    values = L.XLWINGS_CONF_VALUES
    assert values["Use UDF Server"] is True  # buttons run in the UDF server: one Python for every click
    assert values["ADD_WORKBOOK_TO_PYTHONPATH"] is False  # a udfs.py beside the workbook cannot shadow ours
    assert values["UDF Modules"] is None  # only "Import Functions" reads it; the wrappers are built in
    assert values["Interpreter_Win"] is None  # ziping new fills it; the committed files do not
    assert L.interpreter_cell() == "B1"


def test_tables_are_the_last_block_of_their_sheet():
    for sheet in L.SHEETS:
        sheet.placed()  # raises otherwise
