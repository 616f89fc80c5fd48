"""The worked example as data: 衡山县市场监督管理局's 2022 report (shared/seeds/000_…txt).

``hengshan_2022.toml`` holds every figure and text of the seed; :func:`load_demo` turns it
into the typed model. Keeping the example as data (not Python literals) lets the template
builder, the tests and a reader of the repository all see one transcription.
"""

from __future__ import annotations

import tomllib
from dataclasses import fields
from decimal import Decimal
from importlib.resources import files
from typing import Any, Mapping

from udfs.model import (
    Assets, BaseData, Budget, Building, Conduct, CostLine, Department, Funds, FundsLine, Indicator, Procurement,
    Project, Share, Staffing, ThreePublicCosts, WholeFunds, WholeTable,
)
from udfs.numbers import D

from ..layout import EXPENDITURE_SHARES, REVENUE_SHARES

DEMO_FILE = "hengshan_2022.toml"


def _amount(value: object) -> Decimal | None:
    return None if value is None else D(value)


def _cell(value: object) -> object:
    """A target/actual as a cell holds it: text stays text, numbers become Decimal."""
    return value if isinstance(value, str) else D(value)


def _amounts(cls: type, table: Mapping[str, Any]) -> Any:
    """A record whose every field is an amount; unknown keys are an error, not ignored."""
    names = {f.name for f in fields(cls)}
    unknown = set(table) - names
    if unknown:
        raise ValueError(f"{DEMO_FILE}: unknown keys for {cls.__name__}: {sorted(unknown)}")
    return cls(**{name: _amount(value) for name, value in table.items()})


def _funds_line(table: Mapping[str, Any]) -> FundsLine:
    return FundsLine(table["label"], _amount(table.get("initial")), _amount(table.get("budget")),
                     _amount(table.get("executed")))


def _indicator(row: Mapping[str, Any]) -> Indicator:
    return Indicator(
        level1=row["level1"], level2=row["level2"], level3=row["level3"],
        target=_cell(row["target"]), actual=_cell(row["actual"]), weight=D(row["weight"]),
        manual_score=_amount(row.get("manual_score")), deviation_reason=row.get("deviation_reason", ""),
    )


def _project(table: Mapping[str, Any]) -> Project:
    funds = table["funds"]
    return Project(
        name=table["name"], department=table["department"], implementer=table["implementer"],
        funds=Funds(_funds_line(funds["total"]), tuple(_funds_line(part) for part in funds.get("parts", ())),
                    _amount(funds.get("weight"))),
        goal_expected=table.get("goal_expected", ""), goal_achieved=table.get("goal_achieved", ""),
        indicators=tuple(_indicator(row) for row in table.get("indicators", ())),
        published_total=_amount(table.get("published_total")),
    )


def _base_data(table: Mapping[str, Any]) -> BaseData:
    conduct = dict(table.get("conduct", {}))
    flags = {key: conduct.pop(key) for key in ("rules_exist", "rules_sound", "rules_enforced") if key in conduct}
    return BaseData(
        staffing=_amounts(Staffing, table.get("staffing", {})),
        costs=tuple(CostLine(row["item"], row.get("name", ""), _amount(row.get("last_final")),
                             _amount(row.get("budget")), _amount(row.get("final"))) for row in table.get("costs", ())),
        building=Building(**{"project": "", **table.get("building", {})}) if table.get("building") else Building(),
        frugality=table.get("frugality", ""),
        conduct=Conduct(**{key: value if key.endswith("_reason") else _amount(value) for key, value in conduct.items()},
                        **flags),
    )


def _whole(table: Mapping[str, Any] | None) -> WholeTable | None:
    if table is None:
        return None
    funds = table["funds"]

    def shares(key: str, labels: tuple[tuple[str, str], ...]) -> tuple[Share, ...]:
        """Every line of the form, in its order; a label the TOML lacks is a blank amount."""
        given = {row["label"]: _amount(row.get("amount")) for row in funds.get(key, ())}
        unknown = set(given) - {label for _, label in labels}
        if unknown:
            raise ValueError(f"{DEMO_FILE}: unknown {key} labels: {sorted(unknown)}")
        return tuple(Share(label, given.get(label)) for _, label in labels)

    return WholeTable(
        funds=WholeFunds(_funds_line(funds["total"]), _amount(funds.get("weight")),
                         shares("by_revenue", REVENUE_SHARES), shares("by_expenditure", EXPENDITURE_SHARES)),
        goal_expected=table.get("goal_expected", ""), goal_achieved=table.get("goal_achieved", ""),
        indicators=tuple(_indicator(row) for row in table.get("indicators", ())),
    )


def department_from_toml(data: Mapping[str, Any]) -> Department:
    """Build a Department from the TOML structure of ``hengshan_2022.toml``."""
    info = data["department"]
    texts = {name: tuple(info.get(name, ())) for name in
             ("duties", "overview", "performance", "project_summary", "key_work", "problems", "measures")}
    return Department(
        name=info["name"], year=int(info["year"]), report_title=info.get("report_title", ""),
        notice=info.get("notice", ""), report_date=info.get("report_date", ""),
        budget=_amounts(Budget, data.get("budget", {})),
        three_public=_amounts(ThreePublicCosts, data.get("three_public", {})),
        procurement=_amounts(Procurement, data.get("procurement", {})),
        assets=_amounts(Assets, data.get("assets", {})),
        projects=tuple(_project(project) for project in data.get("projects", ())),
        base_data=_base_data(data.get("base_data", {})), whole=_whole(data.get("whole")),
        **texts,
    )


def load_demo() -> Department:
    """衡山县市场监督管理局 2022, exactly as published (its table totals 98)."""
    text = files(__package__).joinpath(DEMO_FILE).read_text(encoding="utf-8")
    return department_from_toml(tomllib.loads(text, parse_float=Decimal))
