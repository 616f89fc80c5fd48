"""Errors a user is meant to read: one Simplified-Chinese sentence naming sheet and cell."""

from __future__ import annotations


class UserError(Exception):
    """A problem with the user's input or environment; printed without a traceback."""

    exit_code = 2

    def __init__(self, message: str, sheet: str = "", cell: str = "") -> None:
        self.sheet, self.cell = sheet, cell
        where = f"工作表「{sheet}」" + (f"单元格{cell}" if cell else "") + "：" if sheet else ""
        super().__init__(where + message)
