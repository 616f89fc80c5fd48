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

from udfs.model import Department, Entry, Project
from udfs.numbers import D, to_float
from udfs.profile import profile_rows

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


def profile_contents() -> list[Row]:
    return [{"key": key, "value": _profile_value(value), "help": help_text} for key, value, help_text in profile_rows()]


def _funds_rows(project: Project) -> list[Row]:
    funds = project.funds
    lines = [(funds.total, funds.weight)] + [(part, None) for part in funds.parts]
    return [_row({"project": project.name, "category": line.label, "initial": line.initial, "budget": line.budget,
                  "executed": line.executed, "weight": weight}) for line, weight in lines]


def _indicator_rows(project: Project) -> list[Row]:
    return [_row({"project": project.name, "level1": ind.level1, "level2": ind.level2, "level3": ind.level3,
                  "target": ind.target, "actual": ind.actual, "weight": ind.weight, "manual": ind.manual_score,
                  "reason": ind.deviation_reason}) for ind in project.indicators]


def ui_text_contents() -> list[Row]:
    """The 提示文字 rows: owned by the template, never by the user (a refresh rewrites them)."""
    from ..ui_texts import ui_text_rows  # imports the UDF registry (xlwings): only when building
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
        **_fixed_contents(interpreter),
    }
