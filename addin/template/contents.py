"""What goes into the input cells: a Department (or the empty template) as rows per block.

Every block gets a list of rows, each a mapping from layout key to cell value; a field
block has exactly one row. Keys are the layout's, which for figures are the model's
attribute names, so the mapping is mostly mechanical. Numbers become floats here because
that is what Excel stores and later hands back to the UDFs.

A value may also be a :class:`Typed` cell: one copied from a user's workbook by ``ziping
refresh``, which keeps its own number format (and formula) rather than the column's, so a
97.30% stays 97.30% and a date stays a date.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Mapping

from udfs.model import BaseData, Department, Entry, Indicator, Project, WholeTable
from udfs.numbers import D, to_float
from udfs.profile import SHIPPED_PROFILES, profile_rows

from .. import layout as L

Row = dict[str, object]
Contents = dict[str, list[Row]]


@dataclass(frozen=True)
class Typed:
    """An input cell as found in a workbook: what it stores, its number format and, when the
    user typed one, its formula (``value`` is then the result the file had cached)."""

    value: object
    number_format: str = "General"
    formula: str | None = None


def plain(value: object) -> object:
    """The stored value of a contents value, whether Typed or bare."""
    return value.value if isinstance(value, Typed) else value


def cell_value(value: object) -> object:
    """The value as an Excel cell stores it: numbers are floats, blanks None; an Entry read
    from another workbook gives its stored value."""
    if isinstance(value, Entry):
        value = value.value
    if isinstance(value, Decimal):
        return to_float(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if value == "":
        return None
    return value


def _row(values: Mapping[str, object]) -> Row:
    return {key: cell_value(value) for key, value in values.items()}


def _paragraphs(block: L.ParagraphBlock, department: Department) -> list[Row]:
    return [{"section": section.label, "text": text}
            for section in block.sections for text in getattr(department, section.attr)]


def _profile_value(text: str) -> object:
    """Numbers as numbers (no "number stored as text" warnings); choices and names as text."""
    try:
        return to_float(D(text))
    except ValueError:
        return text


PROFILE_NAME_KEY = "规则名称"


def _literal(value: object) -> str:
    if isinstance(value, float):
        return repr(value)
    return '"' + str(value).replace('"', '""') + '"'


def _chosen(values: list[object], name_cell: str) -> object:
    """The value of a 评分规则 row: a constant when every shipped profile agrees, else a native
    formula picking the chosen profile's value (an unknown name keeps the national default)."""
    if all(value == values[0] for value in values):
        return values[0]
    names = ",".join(_literal(name) for name in SHIPPED_PROFILES)
    choices = ",".join(_literal(value) for value in values)
    text = f"=IFERROR(CHOOSE(MATCH({name_cell},{{{names}}},0),{choices}),{_literal(values[0])})"
    return L.CellFormula(text, values[0])


def profile_contents() -> list[Row]:
    """The 评分规则 rows of the national default; 规则名称 picks another shipped profile."""
    placed = L.PROFILE.place("profile")
    table = L.table_of(placed.block)
    name_cell = f"${table.letter('value')}${placed.first_data_row}"
    shipped = [profile_rows(profile) for profile in SHIPPED_PROFILES.values()]
    rows = []
    for index, (key, value, help_text) in enumerate(profile_rows()):
        values = [_profile_value(rows_[index][1]) for rows_ in shipped]
        cell = _profile_value(value) if key == PROFILE_NAME_KEY else _chosen(values, name_cell)
        rows.append({"key": key, "value": cell, "help": help_text})
    return rows


def _funds_rows(project: Project) -> list[Row]:
    funds = project.funds
    lines = [(funds.total, funds.weight)] + [(part, None) for part in funds.parts]
    return [_row({"project": project.name, "category": line.label, "initial": line.initial, "budget": line.budget,
                  "executed": line.executed, "weight": weight}) for line, weight in lines]


def _indicator_row(ind: Indicator) -> Row:
    return _row({"level1": ind.level1, "level2": ind.level2, "level3": ind.level3, "target": ind.target,
                 "actual": ind.actual, "weight": ind.weight, "manual": ind.manual_score, "reason": ind.deviation_reason})


def _indicator_rows(project: Project) -> list[Row]:
    return [{"project": project.name, **_indicator_row(ind)} for ind in project.indicators]


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else L.YES_NO[0] if value else L.YES_NO[1]


def cost_rows(base: BaseData) -> list[Row]:
    """Every row of 经费控制情况 in the published order: a category the department did not fill
    keeps its row with only the 项目 cell, which the reader skips as unused."""
    rows: list[Row] = []
    for item, _ in L.COST_CATEGORIES:
        lines = [line for line in base.costs if line.item == item]
        rows += [_row({"item": line.item, "name": line.name, "last_final": line.last_final, "budget": line.budget,
                       "final": line.final}) for line in lines] or [{"item": item}]
    return rows


def _base_data_contents(base: BaseData) -> Contents:
    conduct = asdict(base.conduct)
    for key in ("rules_exist", "rules_sound", "rules_enforced"):
        conduct[key] = _yes_no(conduct[key])
    return {
        "staffing": [_row(asdict(base.staffing))],
        "building": [_row(asdict(base.building))],
        "conduct": [_row({**conduct, "frugality": base.frugality})],
        "costs": cost_rows(base),
    }


def _whole_contents(whole: WholeTable | None) -> Contents:
    if whole is None:
        return {}
    funds = whole.funds
    shares = {share.label: share.amount for share in (*funds.by_revenue, *funds.by_expenditure)}
    values = {"initial": funds.total.initial, "budget": funds.total.budget, "executed": funds.total.executed,
              "weight": funds.weight, "goal_expected": whole.goal_expected, "goal_achieved": whole.goal_achieved}
    values.update({key: shares.get(label) for key, label in (*L.REVENUE_SHARES, *L.EXPENDITURE_SHARES)})
    return {"whole": [_row(values)], "whole_indicators": [_indicator_row(ind) for ind in whole.indicators]}


def ui_text_contents() -> list[Row]:
    """The 提示文字 rows: owned by the template, never by the user (a refresh rewrites them)."""
    from .ui_texts import ui_text_rows  # imports the UDF registry (xlwings): only when building
    from .vba import xlwings_vba_version

    return ui_text_rows(xlwings_vba_version())


def _fixed_contents(interpreter: str | None = None) -> Contents:
    """Blocks whose content does not depend on the department (``interpreter``: the
    Interpreter_Win ``ziping new`` writes; the committed workbooks leave it blank)."""
    return {
        "profile": profile_contents(),
        "ui_texts": ui_text_contents(),
        "xlwings_conf": [{**L.XLWINGS_CONF_VALUES, "Interpreter_Win": interpreter or None}],
    }


def department_contents(department: Department, interpreter: str | None = None) -> Contents:
    """Every input cell of the workbook for ``department``."""
    info = L.INFO.place("info").block
    assert isinstance(info, L.FieldBlock)
    return {
        "info": [_row({field.key: getattr(department, field.key) for field in info.fields})],
        "info_texts": _paragraphs(L.INFO.place("info_texts").block, department),
        "budget": [_row(asdict(department.budget))],
        "three_public": [_row(asdict(department.three_public))],
        "procurement": [_row(asdict(department.procurement))],
        "assets": [_row(asdict(department.assets))],
        "projects": [_row({"name": p.name, "department": p.department, "implementer": p.implementer,
                           "goal_expected": p.goal_expected, "goal_achieved": p.goal_achieved,
                           "published_total": p.published_total}) for p in department.projects],
        "funds": [row for project in department.projects for row in _funds_rows(project)],
        "indicators": [row for project in department.projects for row in _indicator_rows(project)],
        "results": _paragraphs(L.RESULTS.place("results").block, department),
        "problems": _paragraphs(L.PROBLEMS.place("problems").block, department),
        **_base_data_contents(department.base_data),
        **_whole_contents(department.whole),
        **_fixed_contents(interpreter),
    }


def empty_contents(interpreter: str | None = None) -> Contents:
    """The blank template: no indicator rows to overwrite, but the four 资金类别 rows.

    The 资金类别 rows are the first project's, completed rather than overwritten (type the
    project name and amounts beside them); they say which four rows every project needs and
    that the 年度资金总额 row, without which a project cannot score, is one of them. While
    only their dropdown column is filled the reader skips them as unused.
    """
    return {
        "funds": [{"category": category} for category in L.FUNDS_CATEGORIES],
        "costs": cost_rows(BaseData()),
        **_fixed_contents(interpreter),
    }
