"""User and imported text in generated workbooks stays text: the batch summary (汇总, 问题清单, 失败)."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl

from addin.batch import FileOutcome, SummaryRow, summary_workbook
from addin.checks import WARNING, Check

EVIL = '=HYPERLINK("http://evil.example","点我")'


def test_batch_summary_writes_formula_like_names_as_text():
    row = SummaryRow(EVIL, "-项目", 2022, Decimal("98"), "优", Decimal("1"), 0, 1, "=1+1.xlsx")
    outcomes = [FileOutcome("=1+1.xlsx", (row,), (Check(WARNING, "@表", "A1", "+说明"),)),
                FileOutcome("坏.xlsx", failure="=原因")]
    book = openpyxl.load_workbook(io.BytesIO(summary_workbook(outcomes)))
    cells = [c for sheet in book.worksheets for r in sheet.iter_rows() for c in r if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    summary = [c.value for c in book["汇总"][2]]
    assert summary == [EVIL, "-项目", 2022, 98, "优", 1, 0, 1, "=1+1.xlsx"]
    assert [c.value for c in book["问题清单"][2]] == ["=1+1.xlsx", "警告", "@表", "A1", "+说明"]
    assert [c.value for c in book["失败"][2]] == ["坏.xlsx", "=原因"]
