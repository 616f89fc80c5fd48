"""Read a filled-in workbook back into the model, reporting every bad cell in Chinese.

Reading happens in two steps: :func:`workbook_grids` turns a file into grids of cell values
and number formats per sheet, and :func:`parse_workbook` turns those into a
:class:`Department` plus a list of :class:`addin.checks.Check` (the one kind of finding
every command prints). Cells keep what they show (:mod:`addin.reading.typed`): a target
typed as 97.3% prints as 97.30% where LibreOffice shows that. All positions come from
:mod:`addin.layout`. The file is never written.
"""

from __future__ import annotations

from os import PathLike
from typing import Iterator, Mapping

from openpyxl.utils import get_column_letter

from udfs.cells import CellError, check_not_error, is_blank
from udfs.model import (
    Assets, BaseData, Budget, Building, Conduct, CostLine, Department, Funds, FundsLine, Indicator, Procurement,
    Project, Share, Staffing, ThreePublicCosts, WholeFunds, WholeTable,
)
from udfs.profile import ProfileError, RuleProfile, profile_from_rows

from .. import layout as L
from ..checks import ERROR, WARNING, Check
from ..errors import UserError
from .grid import SheetGrid, load_grids
from .typed import NotANumber, entry, figure, shown
from .safe_open import FileKind, open_spreadsheet


# --- file -> grids -----------------------------------------------------------------------

def workbook_grids(path: str | PathLike[str]) -> dict[str, SheetGrid]:
    """Cell values (cached results for formulas) and formats of every sheet, by sheet name.

    Read through the same gate as ``ziping score`` and ``batch`` (:mod:`addin.reading.safe_open`:
    damaged, encrypted, oversized and hostile files are refused with a Chinese message) and
    the same grid loader; the file itself is only ever read.
    """
    file = open_spreadsheet(path)
    if file.kind is FileKind.XLS:
        raise UserError(f"文件“{file.path.name}”是旧版 .xls 格式：本工具的工作簿是 .xlsm；"
                        "官方格式的自评表请用“ziping import”导入")
    return {grid.name: grid for grid in load_grids(file)}


def read_workbook(path: str | PathLike[str]) -> tuple[Department, list[Check]]:
    """The department a workbook describes, and every problem found in its cells."""
    return parse_workbook(workbook_grids(path))


# --- values -> model -----------------------------------------------------------------------

class _Sheet:
    """One sheet's values and formats with 1-based access and problem reporting."""

    def __init__(self, layout: L.SheetLayout, grid: SheetGrid | None, problems: list[Check]) -> None:
        self.layout, self.problems = layout, problems
        self.grid = grid or SheetGrid(layout.name, ())
        self.values = self.grid.rows

    def raw(self, row: int, column: int) -> object:
        if row - 1 < len(self.values) and column - 1 < len(self.values[row - 1]):
            return self.values[row - 1][column - 1]
        return None

    def shown(self, row: int, column: int) -> str:
        """What the cell shows (a date as the date the user sees, 0.973 as "97.30%")."""
        return shown(self.raw(row, column), self.grid.number_format(row - 1, column - 1))

    def report(self, address: str, message: str, severity: str = ERROR) -> None:
        self.problems.append(Check(severity, self.layout.name, address, message))

    def parse(self, field: L.Field, row: int, column: int) -> object:
        """The cell as the field's type, or None (blank or bad; bad cells are reported)."""
        address = f"{get_column_letter(column)}{row}"
        value = self.raw(row, column)
        try:
            check_not_error(value, field.label)
        except CellError as error:
            self.report(address, str(error))
            return None
        if is_blank(value):
            if field.required and self.layout.narrative_only:
                self.report(address, f"{field.label}未填写，自评报告将省略相应内容", WARNING)
            elif field.required:
                self.report(address, f"{field.label}不能为空")
            return None
        number_format = self.grid.number_format(row - 1, column - 1)
        if field.type is L.CellType.TEXT:
            return shown(value, number_format)  # a date typed as 报告日期 reads as the user sees it
        try:
            if field.type is L.CellType.VALUE:
                return entry(value, number_format)
            number = figure(value, number_format)
        except NotANumber as error:
            self.report(address, f"{field.label}{error}")
            return None
        except ValueError as error:  # a number the rules cannot handle (≥ 10¹⁵): the cell is wrong
            self.report(address, f"{field.label}：{error}")
            return None
        if field.type is L.CellType.INTEGER:
            if number != number.to_integral_value():
                self.report(address, f"{field.label}「{shown(value, number_format)}」不是整数")
                return None
            return int(number)
        return number

    def check_label(self, row: int, column: int, expected: str) -> None:
        found = self.shown(row, column)
        if found != expected:
            address = f"{get_column_letter(column)}{row}"
            self.report(address, f"此处应为「{expected}」，实际为「{found}」；请勿移动或改写模板的行列标题")


def _fields(sheet: _Sheet, block_key: str) -> dict[str, object]:
    """{key: parsed value} of a field block's input rows; labels are checked."""
    block = sheet.layout.place(block_key).block
    assert isinstance(block, L.FieldBlock)
    result = {}
    for field in block.fields:
        row = sheet.layout.field_row(block_key, field.key)
        sheet.check_label(row, L.LABEL_COLUMN, field.label)
        if field.is_input:
            result[field.key] = sheet.parse(field, row, L.VALUE_COLUMN)
    return result


def _records(sheet: _Sheet, block_key: str) -> Iterator[tuple[int, dict[str, object]]]:
    """(row number, {key: parsed value}) of each used table row; headers are checked.

    A row whose only filled cells are dropdown columns is an unused template row.
    """
    placed = sheet.layout.place(block_key)
    table = L.table_of(placed.block)
    for column, field in enumerate(table.columns, start=1):
        sheet.check_label(placed.top, column, field.label)
    inputs = [(column, field) for column, field in enumerate(table.columns, start=1) if field.is_input]
    for row in range(placed.first_data_row, len(sheet.values) + 1):
        if all(is_blank(sheet.raw(row, column)) for column, field in inputs if not field.choices):
            continue
        yield row, {field.key: sheet.parse(field, row, column) for column, field in inputs}


def _paragraphs(sheet: _Sheet, block_key: str) -> dict[str, tuple[str, ...]]:
    """{Department attribute: paragraphs}; a blank 栏目 continues the one above."""
    block = sheet.layout.place(block_key).block
    assert isinstance(block, L.ParagraphBlock)
    found: dict[str, list[str]] = {section.attr: [] for section in block.sections}
    current = None
    letter = block.table.letter("section")
    for row, record in _records(sheet, block_key):
        label = record["section"]
        if label:
            current = block.section_attr(label)
            if current is None:
                sheet.report(f"{letter}{row}", f"栏目「{label}」不是可选的栏目：{'、'.join(s.label for s in block.sections)}")
        elif current is None:
            sheet.report(f"{letter}{row}", "请选择栏目")
        if current is not None and record["text"]:
            found[current].append(record["text"])
    return {attr: tuple(texts) for attr, texts in found.items()}


class _Parser:
    def __init__(self, grids: Mapping[str, SheetGrid]) -> None:
        missing = [sheet.name for sheet in L.SHEETS if sheet.required and sheet.name not in grids]
        if missing:
            names = "、".join(f"「{name}」" for name in missing)
            raise UserError(f"工作簿缺少工作表{names}，请使用绩效自评助手的模板填写（不要删除或重命名工作表）", sheet=missing[0])
        self.problems: list[Check] = []
        self.sheets = {sheet.key: _Sheet(sheet, grids.get(sheet.name), self.problems) for sheet in L.SHEETS}
        # Optional sheets a workbook may lack (built before they existed): read as blank.
        self.present = {sheet.key for sheet in L.SHEETS if sheet.name in grids}

    def amounts(self, cls: type, key: str):
        return cls(**_fields(self.sheets[key], key))

    def department(self) -> Department:
        info = _fields(self.sheets["info"], "info")
        texts = {
            **_paragraphs(self.sheets["info"], "info_texts"),
            **_paragraphs(self.sheets["results"], "results"),
            **_paragraphs(self.sheets["problems"], "problems"),
        }
        return Department(
            name=info["name"] or "", year=info["year"] or 0, report_title=info["report_title"] or "",
            notice=info["notice"] or "", report_date=info["report_date"] or "",
            budget=self.amounts(Budget, "budget"), three_public=self.amounts(ThreePublicCosts, "three_public"),
            procurement=self.amounts(Procurement, "procurement"), assets=self.amounts(Assets, "assets"),
            projects=self.projects(), profile=self.profile(), base_data=self.base_data(), whole=self.whole(),
            **texts,
        )

    # --- 部门整体: 基础数据 and 部门整体 sheets ------------------------------------------------

    def base_data(self) -> BaseData:
        """The 基础数据 sheet: staffing, 楼堂馆所, 评价事项 and the 经费控制情况 rows."""
        if "base_data" not in self.present:
            return BaseData()
        sheet = self.sheets["base_data"]
        staffing = Staffing(**_fields(sheet, "staffing"))
        building = _fields(sheet, "building")
        building = Building(**{**building, "project": building["project"] or ""})
        conduct = _fields(sheet, "conduct")
        frugality = conduct.pop("frugality") or ""
        for key in ("control_reason", "adjustment_reason"):
            conduct[key] = conduct[key] or ""
        for key in ("rules_exist", "rules_sound", "rules_enforced"):
            conduct[key] = self._yes_no(sheet, "conduct", key, conduct[key])
        table = L.table_of(sheet.layout.place("costs").block)
        items = {item for item, _ in L.COST_CATEGORIES}
        costs = []
        for row, record in _records(sheet, "costs"):
            item = record["item"] or ""
            if item not in items:
                sheet.report(f"{table.letter('item')}{row}",
                             f"项目「{item}」不是基础数据表的行，请从下拉列表选择" if item else "请选择项目（经费控制情况的行）")
                continue
            costs.append(CostLine(item, record["name"] or "", record["last_final"], record["budget"], record["final"],
                                  origin=f"{sheet.layout.name}!{table.letter('final')}{row}"))
        return BaseData(staffing, tuple(costs), building, frugality, Conduct(**conduct))

    @staticmethod
    def _yes_no(sheet: _Sheet, block_key: str, key: str, value: object) -> bool | None:
        if value is None:
            return None
        if value in L.YES_NO:
            return value == "是"
        field = sheet.layout.place(block_key).block.field(key)
        sheet.report(sheet.layout.field_cell(block_key, key), f"{field.label}应填“是”或“否”，实际为「{value}」")
        return None

    def whole(self) -> WholeTable | None:
        """The 部门整体 sheet, or None when the sheet is absent or nothing on it is filled."""
        if "whole" not in self.present:
            return None
        sheet = self.sheets["whole"]
        values = _fields(sheet, "whole")
        table = L.table_of(sheet.layout.place("whole_indicators").block)
        indicators = [self._indicator(sheet, table, row, record) for row, record in _records(sheet, "whole_indicators")]
        if not indicators and all(value is None for value in values.values()):
            return None

        def where(key: str) -> str:
            return f"{sheet.layout.name}!{sheet.layout.field_cell('whole', key)}"

        total = FundsLine(L.FUNDS_TOTAL, values["initial"], values["budget"], values["executed"], origin=where("budget"))
        funds = WholeFunds(
            total, values["weight"],
            by_revenue=tuple(Share(label, values[key], where(key)) for key, label in L.REVENUE_SHARES),
            by_expenditure=tuple(Share(label, values[key], where(key)) for key, label in L.EXPENDITURE_SHARES),
        )
        return WholeTable(funds, values["goal_expected"] or "", values["goal_achieved"] or "", tuple(indicators))

    def profile(self) -> RuleProfile:
        """The workbook's 评分规则; a value the rules cannot use is reported at its cell and
        the national default kept for that key, so one typo does not stop the scoring."""
        sheet = self.sheets["profile"]
        placed = sheet.layout.place("profile")
        table = L.table_of(placed.block)
        key_column, value_column = (table.columns.index(table.column(key)) + 1 for key in ("key", "value"))
        usable = []
        for row in range(placed.first_data_row, len(sheet.values) + 1):
            pair = (sheet.raw(row, key_column), sheet.raw(row, value_column))
            try:
                profile_from_rows([pair])
            except ProfileError as error:
                sheet.report(f"{table.letter('value')}{row}", str(error))
                continue
            usable.append(pair)
        return profile_from_rows(usable)

    def projects(self) -> tuple[Project, ...]:
        sheet = self.sheets["projects"]
        letter = L.table_of(sheet.layout.place("projects").block).letter("name")
        declared: dict[str, tuple[int, dict[str, object]]] = {}
        for row, record in _records(sheet, "projects"):
            name = record["name"]
            if name in declared:
                sheet.report(f"{letter}{row}", f"项目名称「{name}」重复（第{declared[name][0]}行已有）")
            elif name:
                declared[name] = (row, record)
        if not declared:
            first = sheet.layout.place("projects").first_data_row
            sheet.report(f"{letter}{first}", "尚未填写任何项目，自评表需要至少一个项目", WARNING)
        funds = self.funds(declared)
        indicators = self.indicators(declared)
        return tuple(
            Project(name=name, department=record["department"] or "", implementer=record["implementer"] or "",
                    funds=funds.get(name) or self.missing_total(sheet, f"{letter}{row}", name),
                    goal_expected=record["goal_expected"] or "", goal_achieved=record["goal_achieved"] or "",
                    indicators=tuple(indicators.get(name, ())), published_total=record["published_total"])
            for name, (row, record) in declared.items()
        )

    @staticmethod
    def missing_total(sheet: _Sheet, address: str, name: str) -> Funds:
        sheet.report(address, f"项目「{name}」在“{L.FUNDS.name}”表中没有“{L.FUNDS_TOTAL}”行")
        return Funds(FundsLine(L.FUNDS_TOTAL, origin=f"{sheet.layout.name}!{address}"))

    def _project_of(self, sheet: _Sheet, block_key: str, row: int, record: dict, declared) -> str | None:
        name = record["project"]
        if name and name not in declared:
            letter = L.table_of(sheet.layout.place(block_key).block).letter("project")
            sheet.report(f"{letter}{row}", f"项目「{name}」不在“{L.PROJECTS.name}”表中，请先在该表填写此项目")
            return None
        return name

    def funds(self, declared) -> dict[str, Funds]:
        sheet = self.sheets["funds"]
        table = L.table_of(sheet.layout.place("funds").block)
        totals: dict[str, FundsLine] = {}
        weights: dict[str, Decimal | None] = {}
        parts: dict[str, list[FundsLine]] = {}
        for row, record in _records(sheet, "funds"):
            name = self._project_of(sheet, "funds", row, record, declared)
            category = record["category"]
            if not name or not category:
                continue
            if category not in L.FUNDS_CATEGORIES:
                sheet.report(f"{table.letter('category')}{row}",
                             f"资金类别「{category}」应为：{'、'.join(L.FUNDS_CATEGORIES)}", WARNING)
            line = FundsLine(category, record["initial"], record["budget"], record["executed"],
                             origin=f"{sheet.layout.name}!{table.letter('budget')}{row}")
            if category == L.FUNDS_TOTAL:
                if name in totals:
                    sheet.report(f"{table.letter('category')}{row}", f"项目「{name}」的“{L.FUNDS_TOTAL}”行重复")
                    continue
                totals[name], weights[name] = line, record["weight"]
            else:
                if record["weight"] is not None:
                    sheet.report(f"{table.letter('weight')}{row}",
                                 f"分值只填在“{L.FUNDS_TOTAL}”行，此处的分值不参与计算", WARNING)
                parts.setdefault(name, []).append(line)
        return {name: Funds(total, tuple(parts.get(name, ())), weights[name]) for name, total in totals.items()}

    def indicators(self, declared) -> dict[str, list[Indicator]]:
        sheet = self.sheets["indicators"]
        table = L.table_of(sheet.layout.place("indicators").block)
        found: dict[str, list[Indicator]] = {}
        for row, record in _records(sheet, "indicators"):
            name = self._project_of(sheet, "indicators", row, record, declared)
            if not name:
                continue
            found.setdefault(name, []).append(self._indicator(sheet, table, row, record))
        return found

    @staticmethod
    def _indicator(sheet: _Sheet, table: L.TableBlock, row: int, record: dict) -> Indicator:
        """A 三级指标 row of 绩效指标 or 部门整体; non-standard level names are warnings."""
        level1, level2 = record["level1"] or "", record["level2"] or ""
        if level1 and level1 not in L.STANDARD_LEVEL2:
            sheet.report(f"{table.letter('level1')}{row}", f"一级指标「{level1}」不是标准名称", WARNING)
        elif level1 and level2 and level2 not in L.STANDARD_LEVEL2[level1]:
            sheet.report(f"{table.letter('level2')}{row}", f"二级指标「{level2}」不属于{level1}", WARNING)
        weight_column = table.columns.index(table.column("weight")) + 1
        return Indicator(
            level1=level1, level2=level2, level3=record["level3"] or "", target=record["target"],
            actual=record["actual"], weight=record["weight"], manual_score=record["manual"],
            deviation_reason=record["reason"] or "",
            origin=f"{sheet.layout.name}!{table.letter('level3')}{row}",
            weight_text="" if record["weight"] is not None else sheet.shown(row, weight_column),
        )


def parse_workbook(grids: Mapping[str, SheetGrid]) -> tuple[Department, list[Check]]:
    """Department and problems from {sheet name: grid} (see :func:`workbook_grids`)."""
    parser = _Parser(grids)
    department = parser.department()
    return department, parser.problems
