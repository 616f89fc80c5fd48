"""Cached values: every formula of the layout evaluated in Python at build time.

Excel without Python, WPS and LibreOffice show the value saved with a formula, so the
template stores what the formula would give. UDF calls go through the very functions
Excel runs (:mod:`udfs.excel`, which hand over to :mod:`udfs.cells`) with arguments shaped
as Excel passes them: numbers as floats, blanks as None, ranges as lists of rows.
"""

from __future__ import annotations

import functools
from decimal import Decimal

import udfs.excel as udf_functions
from udfs.numbers import D, ratio, to_float

from .. import layout as L
from .contents import Contents, Row

CachedValue = float | str | bool | None


def _blank(value: object) -> bool:
    return value is None or value == ""


def _number(value: object) -> Decimal:
    """An operand of + - /: blank is 0 and text is an error, as in Excel arithmetic."""
    if _blank(value):
        return Decimal(0)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return D(value)
    raise ValueError(f"cannot do arithmetic on {value!r}")


class Evaluator:
    """Evaluates formula cells of ``contents`` on demand, each at most once."""

    def __init__(self, contents: Contents) -> None:
        self.contents = contents
        self.value = functools.lru_cache(maxsize=None)(self._value)

    def rows(self, block_key: str) -> list[Row]:
        return self.contents.get(block_key, [])

    def _value(self, sheet_key: str, block_key: str, index: int, key: str) -> CachedValue:
        """The value of cell ``key`` in row ``index`` of a block (inputs as written)."""
        block = L.sheet_layout(sheet_key).place(block_key).block
        field = next(f for f in L.block_fields(block) if f.key == key)
        rows = self.rows(block_key)
        row = rows[index] if index < len(rows) else {}
        if field.formula is None:
            value = row.get(key)
            return value.cached if isinstance(value, L.CellFormula) else value
        formula = field.formula
        cell = lambda ref: self.value(sheet_key, block_key, index, ref)  # noqa: E731
        if formula.needs and _blank(cell(formula.needs)):
            return ""
        if formula.only_if and cell(formula.only_if[0]) != formula.only_if[1]:
            return ""
        return self._expr(formula.expr, cell)

    def _expr(self, expr: L.Expr, cell) -> object:
        if isinstance(expr, L.Ref):
            return cell(expr.key)
        if isinstance(expr, L.Text):
            return expr.value
        if isinstance(expr, L.Name):
            return self._named(expr.name)
        if isinstance(expr, L.Call):
            if expr.function == "SUMIFS":
                return self._sumifs(*expr.args, cell)
            return getattr(udf_functions, expr.function)(*(self._expr(arg, cell) for arg in expr.args))
        if isinstance(expr, L.Arith):
            left, right = self._expr(expr.left, cell), self._expr(expr.right, cell)
            if expr.op == "+":
                return to_float(_number(left) + _number(right))
            if _blank(left) or _blank(right):
                return ""
            if expr.op == "-":
                return to_float(_number(left) - _number(right))
            quotient = ratio(_number(left), _number(right))
            return "" if quotient is None else to_float(quotient)
        raise TypeError(f"{expr!r} cannot be evaluated on its own")

    def _named(self, name: str) -> list[list[object]]:
        if name != L.PROFILE_NAME:
            raise KeyError(name)
        return [[row["key"], self.value("profile", "profile", index, "value")]
                for index, row in enumerate(self.rows("profile"))]

    def _sumifs(self, total: L.Expr, criteria: L.Expr, criterion: L.Expr, cell) -> float:
        assert isinstance(total, L.ColumnOf) and isinstance(criteria, L.ColumnOf) and total.sheet == criteria.sheet
        wanted = self._expr(criterion, cell)
        sheet = L.sheet_layout(total.sheet)
        block_key = sheet.placed()[-1].block.key
        found = Decimal(0)
        for index in range(len(self.rows(block_key))):
            value = self.value(total.sheet, block_key, index, total.key)
            if self.value(total.sheet, block_key, index, criteria.key) == wanted and \
                    isinstance(value, (int, float)) and not isinstance(value, bool):
                found += D(value)
        return to_float(found)


def cached_values(contents: Contents, table_rows: dict[str, int]) -> dict[str, dict[str, CachedValue]]:
    """{sheet name: {cell address: value}} for every formula cell the builder writes.

    ``table_rows`` is how many data rows each table gets (its capacity or more).
    """
    evaluator = Evaluator(contents)
    result: dict[str, dict[str, CachedValue]] = {}
    for sheet in L.SHEETS:
        cells: dict[str, CachedValue] = {}
        for placed in sheet.placed():
            block = placed.block
            if isinstance(block, L.FieldBlock):
                for field in block.fields:
                    if field.formula:
                        cells[sheet.field_cell(block.key, field.key)] = evaluator.value(sheet.key, block.key, 0, field.key)
                continue
            table = L.table_of(block)
            rows = evaluator.rows(block.key)
            for index in range(table_rows[block.key]):
                for column in table.columns:
                    chosen = index < len(rows) and isinstance(rows[index].get(column.key), L.CellFormula)
                    if column.formula or chosen:
                        address = f"{table.letter(column.key)}{placed.first_data_row + index}"
                        cells[address] = evaluator.value(sheet.key, block.key, index, column.key)
        if cells:
            result[sheet.name] = cells
    return result
