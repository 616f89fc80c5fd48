"""Cached values: every formula of the layout evaluated in Python at build time.

Excel without Python, WPS and LibreOffice show the value saved with a formula, so the
template stores what the formula would give. UDF calls go through the very functions
Excel runs (:mod:`udfs.excel`, which hand over to :mod:`udfs.cells`) with arguments shaped
as Excel passes them: numbers as floats, blanks as None, ranges as lists of rows.

Inputs copied from a user's workbook (``ziping refresh``) can be anything a cell holds, so
arithmetic follows Excel: a date is its serial number, a logical value 1 or 0, numeric text
its number, and other text gives ``#VALUE!`` (an :class:`ErrorValue`, cached as an error).
"""

from __future__ import annotations

import functools
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

import udfs.excel as udf_functions
from udfs.cells import EXCEL_ERRORS
from udfs.numbers import D, ratio, to_float

from .. import layout as L
from .contents import Contents, Row, Typed, plain

EPOCH = datetime(1899, 12, 30)  # Excel's 1900 date system, as serial numbers count


class ErrorValue(str):
    """An Excel error as a cell value ("#VALUE!"): cached with ``t="e"``, not as text."""


CachedValue = float | str | bool | None


def _blank(value: object) -> bool:
    return value is None or value == ""


class _NotANumber(Exception):
    """An operand Excel cannot turn into a number: the formula gives #VALUE!."""


def _number(value: object) -> Decimal:
    """An operand of + - /, converted as Excel converts it; blank is 0."""
    if isinstance(value, ErrorValue):
        raise _NotANumber(value)
    if _blank(value):
        return Decimal(0)
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, (int, float, Decimal)):
        return D(value)
    if isinstance(value, (datetime, date, time, timedelta)):
        return D(serial(value))
    try:
        return D(Decimal(str(value).strip()))
    except (InvalidOperation, ValueError):
        raise _NotANumber(value) from None


def serial(value: date | time | timedelta) -> float:
    """The Excel serial number of a date, time or duration."""
    if isinstance(value, timedelta):
        return value.total_seconds() / 86400
    if isinstance(value, time):
        value = datetime.combine(EPOCH.date(), value)
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    delta = value - EPOCH
    return delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400


def cached_input(value: object) -> object:
    """The cached result of a user's formula in an input cell: an error stays an error."""
    return ErrorValue(value) if isinstance(value, str) and value in EXCEL_ERRORS else value


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
            return value.cached if isinstance(value, L.CellFormula) else plain(value)
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
            try:
                return self._arith(expr.op, self._expr(expr.left, cell), self._expr(expr.right, cell))
            except _NotANumber as error:
                value = error.args[0]
                return value if isinstance(value, ErrorValue) else ErrorValue("#VALUE!")
        raise TypeError(f"{expr!r} cannot be evaluated on its own")

    @staticmethod
    def _arith(op: str, left: object, right: object) -> object:
        if op == "+":
            return to_float(_number(left) + _number(right))
        if _blank(left) or _blank(right):
            return ""
        if op == "-":
            return to_float(_number(left) - _number(right))
        quotient = ratio(_number(left), _number(right))
        return "" if quotient is None else to_float(quotient)

    def _named(self, name: str) -> list[list[object]]:
        if name != L.PROFILE_NAME:
            raise KeyError(name)
        return [[plain(row["key"]), self.value("profile", "profile", index, "value")]
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
            rows = contents.get(block.key, [])
            if isinstance(block, L.FieldBlock):
                for field in block.fields:
                    address = sheet.field_cell(block.key, field.key)
                    if field.formula:
                        cells[address] = evaluator.value(sheet.key, block.key, 0, field.key)
                    elif rows:
                        _typed_formula(cells, address, rows[0].get(field.key))
                continue
            table = L.table_of(block)
            rows = evaluator.rows(block.key)
            for index in range(table_rows[block.key]):
                for column in table.columns:
                    address = f"{table.letter(column.key)}{placed.first_data_row + index}"
                    chosen = index < len(rows) and isinstance(rows[index].get(column.key), L.CellFormula)
                    if column.formula or chosen:
                        cells[address] = evaluator.value(sheet.key, block.key, index, column.key)
                    elif index < len(rows):
                        _typed_formula(cells, address, rows[index].get(column.key))
        if cells:
            result[sheet.name] = cells
    return result


def _typed_formula(cells: dict[str, CachedValue], address: str, value: object) -> None:
    """A formula the user typed into an input cell keeps the result its file had cached."""
    if isinstance(value, Typed) and value.formula:
        cells[address] = cached_input(value.value)
