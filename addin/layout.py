"""The one declaration of the input workbook: sheets, blocks, columns, formulas, names.

The template builder writes from it and the reader parses with it (STYLE.md §5), so a
column moved here moves in both and no code holds a cell address of its own. A sheet is
a stack of blocks placed top-down with one blank row between them:

* :class:`FieldBlock` — key/value rows (label, value, help), e.g. the 预算执行 figures;
* :class:`TableBlock` — a header row and one record per row, e.g. 绩效指标. Several
  projects are more rows keyed by 项目名称, never more sheets;
* :class:`ParagraphBlock` — (栏目, 内容) rows holding free text paragraph by paragraph.

Formula cells are expressions (:class:`Formula`) rather than strings: the Excel text comes
from :meth:`SheetLayout.formula_text` and the builder evaluates the same expression in
Python for the cached value, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Iterator, Mapping, Union

from openpyxl.utils import get_column_letter

from udfs.profile import LEVEL1_BENEFIT, LEVEL1_OUTPUT, LEVEL1_SATISFACTION, profile_rows

STANDARD_LEVEL2: dict[str, tuple[str, ...]] = {
    LEVEL1_OUTPUT: ("数量指标", "质量指标", "时效指标", "成本指标"),
    LEVEL1_BENEFIT: ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    LEVEL1_SATISFACTION: ("服务对象满意度指标",),
}
FUNDS_TOTAL = "年度资金总额"
FUNDS_CATEGORIES = (FUNDS_TOTAL, "当年财政拨款", "上年结转资金", "其他资金")
PROFILE_NAME = "ZP_PROFILE"
# The layout's version, written into every workbook as this workbook-level constant name
# (LibreOffice and openpyxl keep it). ``ziping refresh`` reads a workbook with the frozen
# snapshot of its version (addin/refresh/layouts/), so next year's tool opens last year's
# files. Changing sheets, blocks, labels or positions means a new version: see
# scripts/release_layout.py (a test fails until the snapshot matches this module).
LAYOUT_VERSION = 1
LAYOUT_VERSION_NAME = "ZP_LAYOUT_VERSION"
# Field blocks: label, value and help columns (1-based).
LABEL_COLUMN, VALUE_COLUMN, HELP_COLUMN = 1, 2, 3

AMOUNT_FORMAT = "0.00"  # 万元 with two decimals, what accountants expect
RATE_FORMAT = "0.00%"
SCORE_FORMAT = "0.00"  # computed scores only
# Typed weights and scores keep General: a 5 shows "5", as the official form prints it,
# and the 自评表 prints what the cell shows.
TYPED_SCORE_FORMAT = "General"
# Excel's limits for a data-validation input message (title and text).
PROMPT_TITLE_MAX, PROMPT_MAX = 32, 255


class CellType(str, Enum):
    """What a cell must hold; the reader checks it, the builder formats it."""

    TEXT = "text"
    NUMBER = "number"  # Decimal amounts, weights, scores
    INTEGER = "integer"  # the year
    VALUE = "value"  # 年度指标值/实际完成值: text ("≥95%") or a number, kept as found


class SheetKind(str, Enum):
    GUIDE = "guide"
    KEY_VALUE = "key-value"
    TABLE = "table"
    FREE_TEXT = "free-text"
    CONFIG = "config"


# --- formula expressions -------------------------------------------------------------

@dataclass(frozen=True)
class Ref:
    """The cell of input/formula ``key`` in the same row (tables) or block (fields)."""

    key: str


@dataclass(frozen=True)
class Text:
    """A string literal argument, e.g. "" for an empty optional UDF argument."""

    value: str


@dataclass(frozen=True)
class Name:
    """A workbook-level named range, e.g. ZP_PROFILE."""

    name: str


@dataclass(frozen=True)
class ColumnOf:
    """A whole column of another sheet's table (SUMIFS ranges grow with added rows)."""

    sheet: str  # sheet key
    key: str


@dataclass(frozen=True)
class Call:
    """A function call: one of our UDFs or the native SUMIFS."""

    function: str
    args: tuple["Expr", ...]


@dataclass(frozen=True)
class Arith:
    """``left op right`` with op in + - /; - and / give "" when an operand is blank (or /0)."""

    op: str
    left: "Expr"
    right: "Expr"


Expr = Union[Ref, Text, Name, ColumnOf, Call, Arith]


@dataclass(frozen=True)
class CellFormula:
    """A native formula the template puts in one input cell (not a whole column), with the
    value it gives in the built workbook. The 评分规则 values that depend on the chosen
    规则名称 are these: picking another name recalculates them without Python."""

    text: str  # "=IFERROR(CHOOSE(…),…)"
    cached: object


@dataclass(frozen=True)
class Formula:
    """A formula cell: ``expr``, shown as "" while ``needs`` is blank or ``only_if`` fails.

    The guards keep spare template rows quiet and stop a UDF being called for a blank row.
    """

    expr: Expr
    needs: str | None = None
    only_if: tuple[str, str] | None = None  # (key, text): only on rows whose ``key`` is ``text``


# --- fields and blocks ---------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    """One input or formula cell kind: a table column or a key/value row.

    ``key`` is the English attribute name the reader maps to the model; ``label`` is the
    header (tables) or the row label (field blocks) the user reads.
    """

    key: str
    label: str
    type: CellType = CellType.TEXT
    width: float = 12
    number_format: str = "General"
    required: bool = False
    choices: tuple[str, ...] = ()
    formula: Formula | None = None
    wrap: bool = False
    editable: bool = True  # False: written by the template, locked (e.g. 评分规则 keys)
    help: str = ""  # field blocks: the 说明 column; tables: the cell's input message

    @property
    def is_input(self) -> bool:
        return self.formula is None and self.editable


@dataclass(frozen=True)
class FieldBlock:
    """Key/value rows: label in the first column, value in the second, help in the third."""

    key: str
    fields: tuple[Field, ...]
    range_name: str
    headers: tuple[str, str, str] = ("项目", "内容", "说明")
    widths: tuple[float, float, float] = (30, 16, 40)
    show_header: bool = True

    def field(self, key: str) -> Field:
        return _by_key(self.fields, key)

    @property
    def height(self) -> int:
        return len(self.fields) + self.show_header


@dataclass(frozen=True)
class TableBlock:
    """A header row, then one record per row; ``capacity`` rows are prepared for input."""

    key: str
    columns: tuple[Field, ...]
    range_name: str
    capacity: int

    def column(self, key: str) -> Field:
        return _by_key(self.columns, key)

    def letter(self, key: str) -> str:
        return get_column_letter(self.columns.index(self.column(key)) + 1)

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(column.label for column in self.columns)


@dataclass(frozen=True)
class Section:
    """A free-text section: Department attribute and the 栏目 label users pick."""

    attr: str
    label: str


@dataclass(frozen=True)
class ParagraphBlock:
    """(栏目, 内容) rows, one paragraph each; a blank 栏目 continues the section above."""

    key: str
    sections: tuple[Section, ...]
    range_name: str
    capacity: int = 300
    text_width: float = 100

    @property
    def table(self) -> TableBlock:
        labels = tuple(section.label for section in self.sections)
        return TableBlock(self.key, (
            Field("section", "栏目", width=max(14, 2.2 * max(map(len, labels))), choices=labels,
                  help="从下拉列表选择；留空表示与上一行同一栏目"),
            Field("text", "内容", width=self.text_width, wrap=True,
                  help="一行一段，原文照录，可直接从Word复制粘贴；需要新的一段时另起一行"),
        ), self.range_name, self.capacity)

    def section_attr(self, label: str) -> str | None:
        return next((s.attr for s in self.sections if s.label == label), None)


Block = Union[FieldBlock, TableBlock, ParagraphBlock]


class Heading(str):
    """A note line printed as a section heading (bold) rather than as body text."""


def _by_key(items: tuple[Field, ...], key: str) -> Field:
    for item in items:
        if item.key == key:
            return item
    raise KeyError(key)


@dataclass(frozen=True)
class Placed:
    """A block and the row its first line (header, or first field) sits on."""

    block: Block
    top: int

    @property
    def first_data_row(self) -> int:
        if isinstance(self.block, FieldBlock):
            return self.top + self.block.show_header
        return self.top + 1

    def last_row(self, rows: int = 0) -> int:
        """Last row the block uses; tables reserve max(capacity, rows) data rows."""
        if isinstance(self.block, FieldBlock):
            return self.top + self.block.height - 1
        return self.top + max(table_of(self.block).capacity, rows)


def table_of(block: Block) -> TableBlock:
    return block.table if isinstance(block, ParagraphBlock) else block  # type: ignore[return-value]


@dataclass(frozen=True)
class SheetLayout:
    """One worksheet: its name, VBA codeName, kind and blocks, plus view settings."""

    key: str
    name: str
    code_name: str
    kind: SheetKind
    description: str
    blocks: tuple[Block, ...] = ()
    notes: tuple[str, ...] = ()  # free lines after the blocks (使用说明, xlwings.conf comments); Heading for titles
    freeze_header: bool = False
    required: bool = True  # the reader needs it
    # Figures only the 自评报告 uses: a blank is a warning (the narrative omits the
    # sentence), not an error, so a project-only workbook (ziping import) still scores.
    narrative_only: bool = False
    # Excel's "very hidden": not listed by Format → Unhide, only VBA (and the reader) see it.
    very_hidden: bool = False

    def placed(self) -> tuple[Placed, ...]:
        result, top = [], 1
        for block in self.blocks:
            result.append(Placed(block, top))
            top += (block.height if isinstance(block, FieldBlock) else 1) + 1
        if any(not isinstance(p.block, FieldBlock) for p in result[:-1]):
            raise ValueError(f"{self.name}: a table must be the last block of its sheet")
        return tuple(result)

    def place(self, block_key: str) -> Placed:
        for placed in self.placed():
            if placed.block.key == block_key:
                return placed
        raise KeyError(block_key)

    @property
    def protected(self) -> bool:
        """Sheets with formula or fixed cells are protected (no password); inputs stay unlocked."""
        return any(not f.is_input for block in self.blocks for f in block_fields(block))

    @property
    def growable(self) -> bool:
        """The sheet is one table of the user's records: rows may be inserted and deleted.

        Not 评分规则 (its keys are fixed) and not a sheet with key/value rows, whose
        addresses the reader knows by heart.
        """
        return (len(self.blocks) == 1 and not isinstance(self.blocks[0], FieldBlock)
                and all(f.editable for f in block_fields(self.blocks[0])))

    def widths(self) -> tuple[float, ...]:
        """Column widths: the widest any block asks for in each column."""
        widths: list[float] = []
        for block in self.blocks:
            asked = block.widths if isinstance(block, FieldBlock) else tuple(c.width for c in table_of(block).columns)
            widths += [0] * (len(asked) - len(widths))
            widths = [max(old, new) for old, new in zip(widths, asked)] + widths[len(asked):]
        return tuple(widths)

    def freeze_cell(self) -> str | None:
        """Below the header and right of the first column of the (only) table."""
        if not self.freeze_header:
            return None
        placed = self.placed()[-1]
        return f"{get_column_letter(2)}{placed.first_data_row}"

    # --- addresses --------------------------------------------------------------------

    def field_row(self, block_key: str, key: str) -> int:
        placed = self.place(block_key)
        block = placed.block
        assert isinstance(block, FieldBlock)
        return placed.first_data_row + block.fields.index(block.field(key))

    def field_cell(self, block_key: str, key: str, absolute: bool = False) -> str:
        """The value cell of a key/value field, e.g. "B3" (or "$B$3")."""
        dollar = "$" if absolute else ""
        return f"{dollar}{get_column_letter(VALUE_COLUMN)}{dollar}{self.field_row(block_key, key)}"

    def range_ref(self, block_key: str, rows: int = 0) -> str:
        """Absolute reference of a block's named range (tables: header + reserved rows)."""
        placed = self.place(block_key)
        block = placed.block
        value_letter = get_column_letter(VALUE_COLUMN)
        if isinstance(block, FieldBlock):
            first, last_col = placed.first_data_row, value_letter
        elif block.range_name == PROFILE_NAME:
            first, last_col = placed.first_data_row, value_letter  # UDFs read (key, value) pairs only
        else:
            first, last_col = placed.top, get_column_letter(len(table_of(block).columns))
        return f"{quote_sheet(self.name)}!$A${first}:${last_col}${placed.last_row(rows)}"

    def formula_text(self, block_key: str, key: str, row: int | None = None) -> str:
        """The Excel formula of formula cell ``key`` (a table column at ``row``, or a field)."""
        placed = self.place(block_key)
        block = placed.block
        if isinstance(block, FieldBlock):
            formula = block.field(key).formula
            locate = lambda ref: self.field_cell(block_key, ref, absolute=True)  # noqa: E731
        else:
            table = table_of(block)
            formula = table.column(key).formula
            locate = lambda ref: f"{table.letter(ref)}{row}"  # noqa: E731
        if formula is None:
            raise ValueError(f"{self.name}: {key} is not a formula cell")
        body = _excel(formula.expr, locate)
        guards = []
        if formula.needs:
            guards.append(f'{locate(formula.needs)}=""')
        if formula.only_if:
            only_key, text = formula.only_if
            guards.append(f'{locate(only_key)}<>"{text}"')
        if guards:
            condition = guards[0] if len(guards) == 1 else f"OR({','.join(guards)})"
            body = f'IF({condition},"",{body})'
        return "=" + body


def block_fields(block: Block) -> tuple[Field, ...]:
    return block.fields if isinstance(block, FieldBlock) else table_of(block).columns


def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _excel(expr: Expr, locate) -> str:
    if isinstance(expr, Ref):
        return locate(expr.key)
    if isinstance(expr, Text):
        return '"' + expr.value.replace('"', '""') + '"'
    if isinstance(expr, Name):
        return expr.name
    if isinstance(expr, ColumnOf):
        sheet = sheet_layout(expr.sheet)
        letter = table_of(sheet.placed()[-1].block).letter(expr.key)
        return f"{quote_sheet(sheet.name)}!${letter}:${letter}"
    if isinstance(expr, Call):
        return f"{expr.function}({','.join(_excel(arg, locate) for arg in expr.args)})"
    left, right = _excel(expr.left, locate), _excel(expr.right, locate)
    if expr.op == "+":
        return f"{left}+{right}"
    blank = f'{left}="",{right}=""' + (f",{right}=0" if expr.op == "/" else "")
    return f'IF(OR({blank}),"",{left}{expr.op}{right})'


# --- the workbook ----------------------------------------------------------------------

def _amount(key: str, label: str, help: str = "", required: bool = False) -> Field:
    return Field(key, label, CellType.NUMBER, number_format=AMOUNT_FORMAT, required=required, help=help)


def _ratio(key: str, label: str, numerator: str, denominator: str, help: str) -> Field:
    return Field(key, label, CellType.NUMBER, number_format=RATE_FORMAT,
                 formula=Formula(Arith("/", Ref(numerator), Ref(denominator))), help=help)


AMOUNT_HEADERS = ("项目", "金额（万元）", "说明")
_PERF_ARGS = (Ref("target"), Ref("actual"), Ref("weight"), Ref("level2"), Ref("level3"))

INFO = SheetLayout("info", "部门信息", "shInfo", SheetKind.KEY_VALUE, "部门名称、年度、报告开头与落款日期，主要职责和基本情况（一段一行）", (
    FieldBlock("info", (
        Field("name", "部门名称", required=True, help="如：衡山县市场监督管理局"),
        Field("year", "年度", CellType.INTEGER, required=True, help="评价年度，如：2022"),
        Field("report_title", "报告标题", help="留空则为“××××年度部门整体支出绩效自评报告”"),
        Field("notice", "开头段落", wrap=True, help="引用评价通知文号的开头一段"),
        Field("report_date", "报告日期", help="落款日期，如：2023年8月5日"),
    ), "ZP_INFO", widths=(16, 100, 36)),
    ParagraphBlock("info_texts", (Section("duties", "主要职责"), Section("overview", "基本情况")), "ZP_INFO_TEXTS"),
))

BUDGET = SheetLayout("budget", "预算执行", "shBudget", SheetKind.KEY_VALUE, "部门年初预算与决算（万元）", (
    FieldBlock("budget", (
        _amount("initial_revenue", "年初预算收入", required=True),
        _amount("initial_fiscal", "其中：财政拨款收入", "年初预算中的一般公共预算财政拨款"),
        _amount("initial_expenditure", "年初预算支出", required=True),
        _amount("initial_basic", "其中：基本支出（年初）"),
        _amount("initial_project", "其中：项目支出（年初）"),
        _amount("adjusted_expenditure", "调整后预算支出（全年预算数）", "含年中追加和结转，选填"),
        _amount("final_revenue", "决算总收入", required=True),
        _amount("final_expenditure", "决算总支出", required=True),
        _amount("final_basic", "其中：基本支出（决算）"),
        _amount("final_project", "其中：项目支出（决算）"),
        _amount("carryover", "年末结转和结余"),
        Field("revenue_change", "决算收入较预算增减", CellType.NUMBER, number_format=AMOUNT_FORMAT,
              formula=Formula(Arith("-", Ref("final_revenue"), Ref("initial_revenue"))), help="自动计算：负数为减少"),
        _ratio("basic_share", "基本支出占总支出比例", "final_basic", "final_expenditure", "自动计算"),
        _ratio("project_share", "项目支出占总支出比例", "final_project", "final_expenditure", "自动计算"),
    ), "ZP_BUDGET", headers=AMOUNT_HEADERS),
), narrative_only=True)

THREE_PUBLIC = SheetLayout("three_public", "三公经费", "shThreePublic", SheetKind.KEY_VALUE, "“三公”经费预算数与决算数（万元）", (
    FieldBlock("three_public", (
        _amount("budget_total", "“三公”经费预算数合计", required=True),
        _amount("budget_overseas", "其中：因公出国（境）费"),
        _amount("budget_vehicles", "其中：公务用车购置及运行维护费"),
        _amount("budget_reception", "其中：公务接待费"),
        _amount("final_total", "“三公”经费决算数合计", required=True),
        _amount("final_overseas", "其中：因公出国（境）费（决算）"),
        _amount("final_vehicles", "其中：公务用车购置及运行维护费（决算）"),
        _amount("final_reception", "其中：公务接待费（决算）"),
        _ratio("control_rate", "“三公”经费控制率", "final_total", "budget_total", "自动计算：决算数/预算数"),
    ), "ZP_THREE_PUBLIC", headers=AMOUNT_HEADERS, widths=(40, 16, 40)),
), narrative_only=True)

PROCUREMENT = SheetLayout("procurement", "政府采购", "shProcurement", SheetKind.KEY_VALUE, "政府采购支出（万元）", (
    FieldBlock("procurement", (
        _amount("total", "政府采购支出合计", required=True),
        _amount("goods", "其中：货物"),
        _amount("works", "其中：工程"),
        _amount("services", "其中：服务"),
        _amount("budget", "政府采购预算", "选填，用于计算执行率"),
        _ratio("execution_rate", "政府采购执行率", "total", "budget", "自动计算：实际采购/采购预算"),
    ), "ZP_PROCUREMENT", headers=AMOUNT_HEADERS),
), narrative_only=True)

ASSETS = SheetLayout("assets", "资产", "shAssets", SheetKind.KEY_VALUE, "年末资产负债与固定资产（万元）", (
    FieldBlock("assets", (
        _amount("total_assets", "资产总额", required=True),
        _amount("liabilities", "负债总额"),
        _amount("net_assets", "净资产"),
        _amount("fixed_assets_cost", "固定资产账面原值"),
        _amount("assets_in_use", "在用资产"),
        _ratio("utilisation", "资产使用率", "assets_in_use", "fixed_assets_cost", "自动计算：在用资产/固定资产账面原值"),
    ), "ZP_ASSETS", headers=AMOUNT_HEADERS),
), narrative_only=True)

PROJECTS = SheetLayout("projects", "项目", "shProjects", SheetKind.TABLE, "每个项目一行；总分由“项目资金”和“绩效指标”表按项目名称汇总", (
    TableBlock("projects", (
        Field("name", "项目名称", required=True, width=22,
              help="每个项目一行；“项目资金”“绩效指标”表中的项目名称须与此处一字不差"),
        Field("department", "主管部门", width=22, help="如：衡山县市场监督管理局"),
        Field("implementer", "实施单位", width=22, help="如：衡山县市场监督管理局；与主管部门相同时照填"),
        Field("goal_expected", "年度总体目标（预期目标）", width=32, wrap=True,
              help="照绩效目标申报表填写，可直接复制原文"),
        Field("goal_achieved", "实际完成情况", width=32, wrap=True, help="对照预期目标，写明实际完成了什么、完成多少"),
        Field("published_total", "原表总分", CellType.NUMBER, width=10, number_format=TYPED_SCORE_FORMAT,
              help="选填：导入已有自评表时原表的总分，用于核对"),
        Field("exec_score", "执行率得分", CellType.NUMBER, width=11, number_format=SCORE_FORMAT, formula=Formula(
            Call("SUMIFS", (ColumnOf("funds", "score"), ColumnOf("funds", "project"), Ref("name"))), needs="name")),
        Field("indicator_score", "指标得分", CellType.NUMBER, width=11, number_format=SCORE_FORMAT, formula=Formula(
            Call("SUMIFS", (ColumnOf("indicators", "final_score"), ColumnOf("indicators", "project"), Ref("name"))),
            needs="name")),
        Field("total", "总分", CellType.NUMBER, width=9, number_format=SCORE_FORMAT,
              formula=Formula(Arith("+", Ref("exec_score"), Ref("indicator_score")), needs="name")),
        Field("grade", "等级", width=7, formula=Formula(Call("GRADE", (Ref("total"), Name(PROFILE_NAME))), needs="name")),
    ), "ZP_PROJECTS", capacity=20),
), freeze_header=True)

FUNDS = SheetLayout("funds", "项目资金", "shFunds", SheetKind.TABLE, "每个项目四行：年度资金总额及其中当年财政拨款、上年结转资金、其他资金（万元）", (
    TableBlock("funds", (
        Field("project", "项目名称", required=True, width=22,
              help="与“项目”表的项目名称一致；每个项目填四行（四种资金类别）"),
        Field("category", "资金类别", required=True, width=16, choices=FUNDS_CATEGORIES,
              help="每个项目四行：年度资金总额，其中当年财政拨款、上年结转资金、其他资金"),
        Field("initial", "年初预算数", CellType.NUMBER, width=12, number_format=AMOUNT_FORMAT,
              help="万元，保留两位小数，如：329.34；没有填0或留空"),
        Field("budget", "全年预算数", CellType.NUMBER, width=12, number_format=AMOUNT_FORMAT,
              help="调整后预算（含年中追加和上年结转），万元；执行率按此计算"),
        Field("executed", "全年执行数", CellType.NUMBER, width=12, number_format=AMOUNT_FORMAT,
              help="万元，保留两位小数；执行率＝全年执行数÷全年预算数"),
        Field("weight", "分值", CellType.NUMBER, width=8, number_format=TYPED_SCORE_FORMAT,
              help="只填在“年度资金总额”行，填数字，如：10；留空按评分规则的预算执行率分值"),
        Field("rate", "执行率", CellType.NUMBER, width=10, number_format=RATE_FORMAT,
              formula=Formula(Call("EXEC_RATE", (Ref("executed"), Ref("budget"))), needs="budget")),
        Field("score", "得分", CellType.NUMBER, width=9, number_format=SCORE_FORMAT, formula=Formula(
            Call("EXEC_SCORE", (Ref("executed"), Ref("budget"), Ref("weight"), Name(PROFILE_NAME))),
            needs="budget", only_if=("category", FUNDS_TOTAL))),
    ), "ZP_FUNDS", capacity=80),
), freeze_header=True)

INDICATORS = SheetLayout("indicators", "绩效指标", "shIndicators", SheetKind.TABLE, "每个三级指标一行；多个项目按项目名称逐行填写", (
    TableBlock("indicators", (
        Field("project", "项目名称", required=True, width=18,
              help="与“项目”表的项目名称一致；每个三级指标一行"),
        Field("level1", "一级指标", required=True, width=12, choices=tuple(STANDARD_LEVEL2),
              help="从下拉列表选择：产出指标、效益指标、满意度指标"),
        Field("level2", "二级指标", required=True, width=18,
              choices=tuple(name for names in STANDARD_LEVEL2.values() for name in names),
              help="从下拉列表选择，须属于所选一级指标；没有指标的二级指标不用填行"),
        Field("level3", "三级指标", required=True, width=18, help="指标名称，照绩效目标申报表填写，如：产商品检验批次"),
        Field("target", "年度指标值", CellType.VALUE, required=True, width=12,
              help="如：≥95%、100批次、≥303.9万、≤5%、0起、2023年12月31日前、效果明显。写法见“使用说明”"),
        Field("actual", "实际完成值", CellType.VALUE, required=True, width=12,
              help="如：97%、100批次、399.32万、3%、无、2023-11-30、效果明显。只写数字时沿用年度指标值的单位"),
        Field("weight", "分值", CellType.NUMBER, required=True, width=7, number_format=TYPED_SCORE_FORMAT,
              help="填数字，如：5。各三级指标分值之和等于一级指标分值（默认产出50、效益30、满意度10）"),
        Field("rule_score", "规则得分", CellType.NUMBER, width=9, number_format=SCORE_FORMAT, formula=Formula(
            Call("PERF_SCORE", _PERF_ARGS + (Text(""), Text(""), Name(PROFILE_NAME))), needs="level3")),
        Field("manual", "人工得分", CellType.NUMBER, width=9, number_format=TYPED_SCORE_FORMAT,
              help="选填：规则得分与实际不符时填写0至分值之间的分数，须同时填写偏差原因"),
        Field("final_score", "最终得分", CellType.NUMBER, width=9, number_format=SCORE_FORMAT, formula=Formula(
            Call("PERF_SCORE", _PERF_ARGS + (Ref("manual"), Ref("reason"), Name(PROFILE_NAME))), needs="level3")),
        Field("reason", "偏差原因分析及改进措施", width=28, wrap=True,
              help="扣分、超额完成或填写人工得分时必填：写明原因和改进措施，如：100批次中有3个批次不合格"),
        Field("explain", "评分说明", width=60, wrap=True, formula=Formula(
            Call("PERF_EXPLAIN", _PERF_ARGS + (Ref("manual"), Ref("reason"), Name(PROFILE_NAME))), needs="level3")),
    ), "ZP_INDICATORS", capacity=200),
), freeze_header=True)

# --- 部门整体: 基础数据表 (附件一) and 部门整体支出绩效自评表 (附件二), Hunan layout --------------

COST_CATEGORIES = (
    # (item, printed label) of 经费控制情况, top-down as the published form lists them
    ("三公经费", "三公经费"),
    ("公务用车购置和维护经费", "1、公务用车购置和维护经费"),
    ("公车购置", "其中：公车购置"),
    ("公车运行维护", "公车运行维护"),
    ("出国经费", "2、出国经费"),
    ("公务接待", "3、公务接待"),
    ("项目支出", "项目支出"),
    ("业务工作经费", "1、业务工作经费"),
    ("运行维护经费", "2、运行维护经费"),
    ("专项资金", "3、专项资金（每个专项一行）"),
    ("公用经费", "公用经费"),
    ("办公经费", "其中：办公经费"),
    ("水费、电费、差旅费", "水费、电费、差旅费"),
    ("会议费、培训费", "会议费、培训费"),
    ("政府采购金额", "政府采购金额"),
    ("部门基本支出预算调整", "部门基本支出预算调整"),
)
SPECIAL_FUNDS = "专项资金"  # the one category with many rows, each named
YES_NO = ("是", "否")


def _count(key: str, label: str, help: str) -> Field:
    return Field(key, label, CellType.NUMBER, number_format=TYPED_SCORE_FORMAT, help=help)


def _yes_no(key: str, label: str, help: str) -> Field:
    return Field(key, label, choices=YES_NO, help=help)


def _sum(key: str, label: str, parts: tuple[str, ...], help: str) -> Field:
    expr: Expr = Ref(parts[0])
    for part in parts[1:]:
        expr = Arith("+", expr, Ref(part))
    return Field(key, label, CellType.NUMBER, number_format=AMOUNT_FORMAT, formula=Formula(expr), help=help)


BASE_DATA = SheetLayout("base_data", "基础数据", "shBaseData", SheetKind.KEY_VALUE,
                        "部门整体支出绩效评价基础数据表：人员、楼堂馆所、共性指标评分事项和经费控制情况（万元）", (
    FieldBlock("staffing", (
        _count("authorized", "编制数", "部门（单位）核定的全部编制（行政编制＋事业编制），如：184"),
        _count("in_post", "实际在职人数", "年末实际在职在编人数，如：147"),
        _ratio("control_rate", "财政供养人员控制率", "in_post", "authorized", "自动计算：实际在职人数/编制数"),
    ), "ZP_STAFFING", headers=("财政供养人员情况", "人数", "说明"), widths=(40, 16, 60)),
    FieldBlock("building", (
        Field("project", "完工项目", help="本年完工的楼堂馆所项目名称；没有可不填"),
        _amount("approved_area", "批复规模（㎡）"),
        _amount("actual_area", "实际规模（㎡）"),
        _ratio("area_rate", "规模控制率", "actual_area", "approved_area", "自动计算：实际规模/批复规模"),
        _amount("budget_investment", "预算投资（万元）"),
        _amount("actual_investment", "实际投资（万元）"),
        _ratio("investment_rate", "投资概算控制率", "actual_investment", "budget_investment", "自动计算：实际投资/预算投资"),
    ), "ZP_BUILDING", headers=("楼堂馆所控制情况", "内容", "说明")),
    FieldBlock("conduct", (
        _amount("key_spending", "重点项目支出（万元）", "用于重点支出安排率＝重点项目支出/项目支出"),
        _amount("last_carryover", "上年结转结余（万元）", "用于“资金结余”评分：本年结余不超过上年结转"),
        _count("late_special_funds", "未按进度下达的专项个数", "用于“支付进度”评分；全部按进度下达填0"),
        _count("violations", "资金使用违规事项数", "用于“资金使用合规性”评分；没有填0"),
        _yes_no("rules_exist", "已制定预算资金管理、财务管理、会计核算等制度", "管理制度健全性第①项：是/否"),
        _yes_no("rules_sound", "相关管理制度合法、合规、完整", "管理制度健全性第②项：是/否"),
        _yes_no("rules_enforced", "相关管理制度得到有效执行", "管理制度健全性第③项：是/否"),
        Field("frugality", "厉行节约保障措施", wrap=True, help="照基础数据表填写，一段文字"),
        Field("control_reason", "控制率超过100%的原因", wrap=True,
              help="财政供养人员、“三公经费”、公用经费等控制率超过100%时必填"),
        Field("adjustment_reason", "预算调整率超过上限的原因", wrap=True,
              help="预算调整率超过评分规则的上限（默认30%）时必填"),
    ), "ZP_CONDUCT", headers=("评价事项（共性指标评分用）", "内容", "说明")),
    TableBlock("costs", (
        Field("item", "项目", required=True, width=40, choices=tuple(item for item, _ in COST_CATEGORIES),
              help="经费控制情况的行；已列出各行，补全金额即可；每个专项资金另起一行，选“专项资金”并填写名称"),
        Field("name", "名称", width=24, help="只有“专项资金”行填写专项名称"),
        _amount("last_final", "上年决算数", "上年决算数（万元），如：29.08"),
        _amount("budget", "本年预算数", "本年预算数（万元）；三公经费、项目支出、政府采购留空时取对应工作表的数"),
        _amount("final", "本年决算数", "本年决算数（万元）；三公经费、项目支出、政府采购留空时取对应工作表的数"),
    ), "ZP_COSTS", capacity=40),
), notes=("说明：项目支出需要填报基本支出以外的所有项目支出情况，公用经费填报基本支出中的一般商品和服务支出。",),
    required=False)

REVENUE_SHARES = (("revenue_general", "一般公共预算"), ("revenue_fund", "政府性基金拨款"),
                  ("revenue_special", "纳入专户管理的非税收入拨款"), ("revenue_other", "其他资金"))
EXPENDITURE_SHARES = (("expenditure_basic", "基本支出"), ("expenditure_project", "项目支出"))

WHOLE = SheetLayout("whole", "部门整体", "shWhole", SheetKind.TABLE,
                    "部门整体支出绩效自评表：年度预算申请（万元）、年度总体目标和部门整体绩效指标", (
    FieldBlock("whole", (
        _amount("initial", "年初预算数", "部门年初预算支出，如：2081.28"),
        _amount("budget", "全年预算数", "调整后预算（含年中追加和上年结转），执行率按此计算"),
        _amount("executed", "全年执行数", "全年实际支出（基本支出＋项目支出决算数）"),
        Field("weight", "分值", CellType.NUMBER, number_format=TYPED_SCORE_FORMAT,
              help="预算执行率的分值，如：10；留空按评分规则"),
        _ratio("rate", "执行率", "executed", "budget", "自动计算：全年执行数/全年预算数"),
        *(_amount(key, f"按收入性质：{label}", "全年执行数中来自该资金的部分") for key, label in REVENUE_SHARES),
        _sum("revenue_total", "按收入性质合计", tuple(key for key, _ in REVENUE_SHARES), "自动计算；应等于全年执行数"),
        *(_amount(key, f"按支出性质：{label}", "全年执行数中的该类支出") for key, label in EXPENDITURE_SHARES),
        _sum("expenditure_total", "按支出性质合计", tuple(key for key, _ in EXPENDITURE_SHARES), "自动计算；应等于全年执行数"),
        Field("goal_expected", "年度总体目标（预期目标）", wrap=True, help="部门年度总体绩效目标"),
        Field("goal_achieved", "实际完成情况", wrap=True, help="对照预期目标写明实际完成情况"),
    ), "ZP_WHOLE", headers=("年度预算申请", "内容", "说明"), widths=(28, 16, 40)),
    TableBlock("whole_indicators", tuple(field for field in INDICATORS.blocks[0].columns if field.key != "project"),
               "ZP_WHOLE_INDICATORS", capacity=60),
), freeze_header=False, required=False)

RESULTS = SheetLayout("results", "工作成效", "shResults", SheetKind.FREE_TEXT, "资金使用及绩效情况、重点工作开展情况（一段一行）", (
    ParagraphBlock("results", (
        Section("performance", "整体绩效目标完成情况"),
        Section("project_summary", "项目整体目标完成情况"),
        Section("key_work", "重点工作开展情况"),
    ), "ZP_RESULTS"),
), freeze_header=True)

PROBLEMS = SheetLayout("problems", "存在问题与改进措施", "shProblems", SheetKind.FREE_TEXT, "存在的问题及改进措施（一段一行）", (
    ParagraphBlock("problems", (Section("problems", "存在问题"), Section("measures", "改进措施")), "ZP_PROBLEMS"),
), freeze_header=True)

PROFILE = SheetLayout("profile", "评分规则", "shProfile", SheetKind.TABLE, "分值、取整方式等评分设置；所有得分公式都引用此表", (
    TableBlock("profile", (
        Field("key", "项目", width=30, editable=False),
        Field("value", "取值", width=40, wrap=True, help="按右侧“说明”填写；修改后所有得分公式按新的设置计算"),
        Field("help", "说明", width=60, wrap=True, editable=False),
    ), PROFILE_NAME, capacity=len(profile_rows())),
), notes=(
    Heading("规则名称与评分标准的写法"),
    "规则名称可选：全国默认、一体化平台、湖南·岳阳、定性分档80/50；选择后，随规则不同的取值自动改为该规则的取值，",
    "  也可以在取值中直接改写（改写后以所填为准）；清空取值即按所选规则。各规则的出处见“规则来源”一行。",
    "共性指标的评分标准以分值开头，用分号隔开，可用四种写法：",
    "· 线性扣分：5分；≤100%满分，每超1个百分点扣0.5分，扣完为止（按超出的百分点数比例扣分，最少扣0.01分）",
    "  或：5分；≥95%满分，每低1个百分点扣1分",
    "· 分档：5分；≥90%得5分，≥80%得4分，≥70%得3分，其他得0分（从前往后取第一个符合的档，恰好80%得4分）",
    "  前面加“按绝对值：”时按数值的绝对值分档，如预算调整率-3.55%按3.55%计",
    "· 按次扣分：3分；每个扣0.5分，扣完为止（如未按进度下达的专项个数、违规事项数）",
    "· 逐项计分：3分；每项1分（如管理制度健全性三项）",
    "· 不计分：只计算并列出该指标，不计分",
), freeze_header=True, required=False)

XLWINGS_CONF = SheetLayout("xlwings_conf", "xlwings.conf", "shXlwingsConf", SheetKind.CONFIG,
                           "Python 连接设置（xlwings 读取，一般无需修改）", (
    # xlwings.bas GetConfigFromSheet reads A1 downwards to the first blank cell: no header,
    # keys are matched case-insensitively; comments go in column C or below a blank row.
    FieldBlock("xlwings_conf", (
        Field("Interpreter_Win", "Interpreter_Win",
              help="Excel 使用的 Python（pythonw.exe 的完整路径），ziping new 已填好；留空表示使用 PATH 中的 pythonw"),
        Field("Interpreter_Mac", "Interpreter_Mac", help="Mac 上的 Python 路径，Windows 用户无需填写"),
        Field("PYTHONPATH", "PYTHONPATH", help="一般留空；需要另外的模块文件夹时填写"),
        Field("ADD_WORKBOOK_TO_PYTHONPATH", "ADD_WORKBOOK_TO_PYTHONPATH",
              help="保持 FALSE：工作簿所在文件夹中的 udfs.py、addin 文件夹等不会顶替绩效自评助手"),
        Field("Conda Path", "Conda Path", help="使用 Anaconda 时填写其安装目录（此时不做启动前检查）"),
        Field("Conda Env", "Conda Env", help="使用 Anaconda 时填写环境名"),
        Field("UDF Modules", "UDF Modules", help="保持空白：函数已在工作簿中，请勿使用 xlwings 加载项的 Import Functions"),
        Field("Debug UDFs", "Debug UDFs", help="调试用，保持 FALSE"),
        Field("Use UDF Server", "Use UDF Server", help="保持 TRUE：所有按钮和函数共用一个常驻的 Python，再次点击无需重新启动"),
        Field("Show Console", "Show Console", help="保持 FALSE"),
    ), "ZP_XLWINGS_CONF", widths=(30, 24, 60), show_header=False),
), notes=(
    "说明：本表是 xlwings 的工作簿设置，设置项必须从 A1 单元格开始连续排列，中间不能有空行。",
    "Interpreter_Win 由 ziping new 填写为安装绩效自评助手的 Python；换了 Python 时，在命令提示符中执行 where pythonw，把路径填入 B1。",
    "修改本表后请关闭并重新打开 Excel：常驻的 Python 仍按旧的设置运行。删除本表后将使用用户目录 .xlwings\\xlwings.conf 中的设置。",
), required=False)

# The Interpreter_Win value is the only one that differs between machines: ziping new writes
# the interpreter it runs in (addin.envcheck.excel_interpreter); the committed files leave it blank.
XLWINGS_CONF_VALUES: dict[str, object] = {
    "Interpreter_Win": None, "Interpreter_Mac": None, "PYTHONPATH": None, "ADD_WORKBOOK_TO_PYTHONPATH": False,
    "Conda Path": None, "Conda Env": None, "UDF Modules": None, "Debug UDFs": False, "Use UDF Server": True,
    "Show Console": False,
}

def interpreter_cell() -> str:
    """The Interpreter_Win value cell ("B1"): messages tell users to edit it."""
    return XLWINGS_CONF.field_cell("xlwings_conf", "Interpreter_Win")


# Every text the VBA shows or registers (messages, function-wizard help): Unicode in cells,
# because VBA source is compiled in code page 1252 and stays ASCII. Rows come from
# addin.template.ui_texts at build time; VBA (ZipingSupport.UiText) finds a text by its key.
UI_TEXTS = SheetLayout("ui_texts", "提示文字", "shZipingText", SheetKind.CONFIG,
                       "按钮提示和函数说明（供宏读取，已深度隐藏）", (
    TableBlock("ui_texts", (
        Field("key", "键", width=28, editable=False),
        Field("text", "文字", width=100, wrap=True, editable=False),
    ), "ZP_UI_TEXTS", capacity=0),
), required=False, very_hidden=True)

TARGET_GUIDE_TITLE = "年度指标值和实际完成值的写法"

GUIDE = SheetLayout("guide", "使用说明", "shGuide", SheetKind.GUIDE, "本工作簿的填写方法", notes=(
    # One short line per row (no wrapping: LibreOffice clips wrapped CJK lines at the page edge).
    "绩效自评助手 — 部门整体支出绩效自评填报工作簿",
    "1. 按顺序填写：部门信息、预算执行、三公经费、政府采购、资产、项目、项目资金、绩效指标、工作成效、存在问题与改进措施。",
    "2. 白色单元格为填写项，选中单元格时显示填写提示；灰色单元格由公式自动计算，已锁定。",
    "   工作表保护未设密码，可在“审阅→撤销工作表保护”解除。",
    "3. 有多个项目时，在“项目”表每个项目填一行，在“项目资金”“绩效指标”表中逐行填写项目名称，名称须与“项目”表一致。",
    "4. “项目”“项目资金”“绩效指标”表已备好带公式的空行，在下方接着填写即可；也可以插入行，插入的行没有得分公式，",
    "   生成自评表时照常计分。不用的行清空白色单元格即可，空行不参与计算；含公式的行在保护下不能整行删除。",
    "5. 得分公式使用本工具的自定义函数（需要安装 Python 和绩效自评助手）；未安装时仍显示最近一次计算的结果。",
    "6. 规则得分与实际情况不符时，在“人工得分”中填写得分并在“偏差原因分析及改进措施”中说明原因。",
    "7. 分值、取整方式、等级分数线等在“评分规则”表中设置，所有得分公式都引用该表。",
    "8. 文字内容一段一行，直接从 Word 复制粘贴即可；“栏目”留空表示与上一行属于同一栏目。",
    "9. 输入表的打印区域只包含已填写的行，点击“生成自评表”“生成自评报告”时重新设置；之后又增加了行，请重新生成再打印。",
    "10. 部门整体评价：“基础数据”填人员、楼堂馆所和经费控制情况，“部门整体”填部门整体支出绩效自评表的资金和指标。",
    "",
    Heading(TARGET_GUIDE_TITLE),
    "年度指标值照绩效目标申报表填写，实际完成值写实际达到的结果；两栏都可以带比较符号、单位和文字，单位应一致。",
    "· 比例：年度指标值“≥95%”，实际完成值“97%”；也可以在单元格里直接输入 97%，显示为百分比即可。",
    "· 数量：年度指标值“100批次”，实际完成值“100批次”；只写数字 100 时按年度指标值的单位计。",
    "· 金额：年度指标值“≥303.9万”，实际完成值“399.32万”；“万”和“万元”是同一单位。",
    "· 越低越好（反向指标，如投诉率、不合格率、成本）：年度指标值“≤5%”，实际完成值“3%”得满分；",
    "  超出目标按超出比例扣分（5分的指标实际“8%”时得2分），达到目标的2倍得0分。",
    "· 不应发生的事项（如安全事故、有效投诉）：年度指标值“0起”或“无”，实际完成值“0起”或“无”得满分；",
    "  发生1起即得0分。",
    "· 时效：年度指标值“2023年12月31日前”（或“2023年底”“12月底前”），实际完成值“2023年11月30日”，",
    "  也可以直接输入日期 2023-11-30；晚于期限得0分，写完成比例（如“80%”）时按比例得分。",
    "· 定性：年度指标值“效果明显”，实际完成值“效果明显”或“达成预期”得满分；",
    "  “部分达成”“效果不明显”按档次计分，可用人工得分调整。",
    "· 比较符号可以写 ≥ ≤ ＞ ＜ ＝，也可以写“不少于”“不超过”“以上”“以内”，全角、半角都可以。",
    "· 百分比单元格：输入 97% 时单元格存为 0.97 并显示 97%，自评表照显示的 97% 打印。",
    "· 金额（项目资金和各预算表）一律以万元为单位，保留两位小数，如 231.13。",
    "· 分值、人工得分填数字，如 5，不写“分”字；预算执行率的分值填在“项目资金”表“年度资金总额”一行。",
    "· 人工得分：规则得分与实际情况不符时，在“人工得分”填写 0 至分值之间的分数，",
    "  并在“偏差原因分析及改进措施”写明原因，如“100批次中有3个批次不合格”；没有写原因时仍按规则得分计。",
    "· 超额完成（实际达到目标的120%及以上）仍得满分，但须在“偏差原因分析及改进措施”说明原因。",
), required=False)

SHEETS: tuple[SheetLayout, ...] = (
    GUIDE, INFO, BUDGET, THREE_PUBLIC, PROCUREMENT, ASSETS, BASE_DATA, WHOLE, PROJECTS, FUNDS, INDICATORS, RESULTS,
    PROBLEMS, PROFILE, UI_TEXTS, XLWINGS_CONF,
)


def sheet_layout(key: str) -> SheetLayout:
    for sheet in SHEETS:
        if sheet.key == key:
            return sheet
    raise KeyError(key)


def named_ranges(table_rows: Mapping[str, int] | None = None) -> Iterator[tuple[str, str]]:
    """(name, reference) of every block; ``table_rows`` gives tables longer than capacity."""
    table_rows = table_rows or {}
    for sheet in SHEETS:
        for placed in sheet.placed():
            yield placed.block.range_name, sheet.range_ref(placed.block.key, table_rows.get(placed.block.key, 0))
