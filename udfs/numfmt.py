"""Excel number-format codes, parsed: a small tokenizer and the sections it yields.

A code as stored in .xlsx ``styles.xml`` (``0.00%``, ``#,##0.00"万元"``, ``yy\\年m\\月d\\日``,
``[>=100]0;[Red]-0.0``) is split on unquoted ``;`` into sections; each section is a tuple of
tokens. Parsing never fails: whatever is not understood becomes literal text or sets
``Section.unsupported`` so the renderer can fall back to General. Rendering lives in
:mod:`udfs.display`; this module only says what the code means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

# Token kinds
LITERAL = "literal"  # text shown as is (quoted, escaped or bare)
DIGIT = "digit"  # 0 # ?
DOT = "dot"  # decimal point (or sub-second point in a time)
COMMA = "comma"  # thousands separator or scaling by 1000
PERCENT = "percent"
EXPONENT = "exponent"  # E+ E- (text keeps the sign character)
AT = "at"  # the text placeholder @
GENERAL = "general"
BOOLEAN = "boolean"  # LibreOffice's own BOOLEAN keyword (TRUE/FALSE)
SKIP = "skip"  # _x: a blank as wide as x
FILL = "fill"  # *x: repeat x to fill the cell (nothing in a cell's text)
SLASH = "slash"  # / (fraction bar in numbers, a literal in dates)
DATE = "date"  # y m d h s e g a b runs: text is the run, lower-cased ("yyyy", "mm", "aaa")
AMPM = "ampm"  # AM/PM, A/P, 上午/下午
_SINGLE_CHARACTER_TOKENS = {".": DOT, ",": COMMA, "%": PERCENT, "@": AT, "/": SLASH}
ELAPSED = "elapsed"  # [h] [mm] [ss]: text is the letters, lower-cased

# The words LibreOffice and Chinese Excel/WPS may write for "General".
_GENERAL_WORDS = ("general", "g/通用格式", "常规", "standard")
_COLOURS = {"black", "blue", "cyan", "green", "magenta", "red", "white", "yellow"}
_CONDITION = re.compile(r"^(<=|>=|<>|<|>|=)\s*(-?[0-9.]+(?:[eE][-+]?[0-9]+)?)$")
_DATE_LETTERS = "ymdhsegab"


@dataclass(frozen=True)
class Token:
    kind: str
    text: str = ""


@dataclass(frozen=True)
class Condition:
    """A ``[>=100]`` section condition."""

    op: str
    limit: Decimal

    def holds(self, number: Decimal) -> bool:
        return {
            "<": number < self.limit, "<=": number <= self.limit, ">": number > self.limit,
            ">=": number >= self.limit, "=": number == self.limit, "<>": number != self.limit,
        }[self.op]


@dataclass(frozen=True)
class Section:
    """One ``;``-separated part of a format code."""

    tokens: tuple[Token, ...]
    condition: Condition | None = None
    unsupported: bool = False  # [DBNum1], [NatNum..]: native numerals we do not render
    coloured: bool = False  # [Red] and the like: the colour is not shown, but the code is custom

    def has(self, kind: str) -> bool:
        return any(token.kind == kind for token in self.tokens)

    @property
    def is_text(self) -> bool:
        """A text section (holds ``@``): used for string values, never for numbers."""
        return self.has(AT)

    @property
    def is_date(self) -> bool:
        return any(token.kind in (DATE, ELAPSED, AMPM) for token in self.tokens)

    @property
    def is_general(self) -> bool:
        return self.has(GENERAL)

    @property
    def is_fraction(self) -> bool:
        """Digits on both sides of a ``/`` (``# ?/?``); rendered as General (not supported)."""
        kinds = [token.kind for token in self.tokens if token.kind in (DIGIT, SLASH)]
        return any(kinds[i] == SLASH and 0 < i < len(kinds) - 1 for i in range(len(kinds)))


@dataclass(frozen=True)
class Format:
    sections: tuple[Section, ...]

    @property
    def is_standard(self) -> bool:
        """Plain General (a locale tag allowed): Calc's standard format, shown its own way."""
        if len(self.sections) != 1:
            return False
        only = self.sections[0]
        return only.tokens == (Token(GENERAL),) and only.condition is None and not only.coloured

    @property
    def numeric_sections(self) -> tuple[Section, ...]:
        return tuple(section for section in self.sections if not section.is_text)

    @property
    def text_section(self) -> Section | None:
        """The section a string value is shown with: the one with ``@``, else a 4th section."""
        for section in self.sections:
            if section.is_text:
                return section
        return self.sections[3] if len(self.sections) > 3 else None


@lru_cache(maxsize=4096)
def parse_format(code: str | None) -> Format:
    """Parse a format code (None or "" mean General). Never raises."""
    if code is None or not code.strip():
        code = "General"
    return Format(tuple(_parse_section(part) for part in _split_sections(code)))


def _split_sections(code: str) -> list[str]:
    parts, current, i = [], [], 0
    while i < len(code):
        char = code[i]
        if char == '"':
            end = code.find('"', i + 1)
            end = len(code) - 1 if end == -1 else end
            current.append(code[i:end + 1])
            i = end + 1
            continue
        if char in "\\_*" and i + 1 < len(code):
            current.append(code[i:i + 2])
            i += 2
            continue
        if char == "[":
            end = code.find("]", i)
            end = len(code) - 1 if end == -1 else end
            current.append(code[i:end + 1])
            i = end + 1
            continue
        if char == ";":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    parts.append("".join(current))
    return parts


def _parse_section(text: str) -> Section:
    tokens: list[Token] = []
    condition: Condition | None = None
    unsupported = coloured = False
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        lower = text[i:].lower()
        if char == '"':
            end = text.find('"', i + 1)
            end = n if end == -1 else end
            tokens.append(Token(LITERAL, text[i + 1:end]))
            i = end + 1
        elif char == "\\":
            tokens.append(Token(LITERAL, text[i + 1:i + 2]))
            i += 2
        elif char == "_":
            tokens.append(Token(SKIP, text[i + 1:i + 2]))
            i += 2
        elif char == "*":
            tokens.append(Token(FILL, text[i + 1:i + 2]))
            i += 2
        elif char == "[":
            end = text.find("]", i)
            end = n if end == -1 else end
            inner = text[i + 1:end]
            i = end + 1
            kind, value = _bracket(inner)
            if kind == "condition":
                condition = value
            elif kind == "currency" and value:
                tokens.append(Token(LITERAL, value))
            elif kind == "elapsed":
                tokens.append(Token(ELAPSED, value))
            elif kind == "native":
                unsupported = True
            elif kind == "colour":
                coloured = True
        elif word := _starts_with_any(lower, _GENERAL_WORDS):
            tokens.append(Token(GENERAL))
            i += len(word)
        elif lower.startswith("boolean"):
            tokens.append(Token(BOOLEAN))
            i += len("boolean")
        elif word := _starts_with_any(lower, ("am/pm", "a/p", "上午/下午")):
            tokens.append(Token(AMPM, text[i:i + len(word)]))
            i += len(word)
        elif char in "0#?":
            tokens.append(Token(DIGIT, char))
            i += 1
        elif char in _SINGLE_CHARACTER_TOKENS:
            tokens.append(Token(_SINGLE_CHARACTER_TOKENS[char], char))
            i += 1
        elif char in "eE" and text[i + 1:i + 2] in ("+", "-") and _digit_follows(text, i + 2):
            tokens.append(Token(EXPONENT, text[i + 1]))
            i += 2
        elif char.lower() in _DATE_LETTERS:
            run = _run_length(text, i)
            letters = text[i:i + run].lower()
            # "aaa"/"aaaa" are weekday names; a lone "a" or "aa" is just a letter.
            kind = LITERAL if letters[0] == "a" and run < 3 else DATE
            tokens.append(Token(kind, text[i:i + run] if kind == LITERAL else letters))
            i += run
        else:
            tokens.append(Token(LITERAL, char))
            i += 1
    return Section(tuple(_merge_literals(tokens)), condition, unsupported, coloured)


def _bracket(inner: str) -> tuple[str, object]:
    """What a ``[...]`` holds: condition, colour, currency/locale, elapsed time or native numerals."""
    stripped = inner.strip()
    lower = stripped.lower()
    match = _CONDITION.match(stripped)
    if match:
        try:
            return "condition", Condition(match.group(1), Decimal(match.group(2)))
        except InvalidOperation:
            return "ignored", None
    if stripped.startswith("$"):
        # [$¥-804] shows "¥"; [$-804] is only a locale tag.
        return "currency", stripped[1:].split("-", 1)[0]
    if lower and len(set(lower)) == 1 and lower[0] in "hms":
        return "elapsed", lower
    if lower.startswith(("dbnum", "natnum")):
        return "native", None
    if lower in _COLOURS or lower.startswith("color"):
        return "colour", None
    return "ignored", None


def _starts_with_any(text: str, words: tuple[str, ...]) -> str | None:
    return next((word for word in words if text.startswith(word)), None)


def _digit_follows(text: str, index: int) -> bool:
    return index < len(text) and text[index] in "0#?"


def _run_length(text: str, index: int) -> int:
    letter = text[index].lower()
    end = index
    while end < len(text) and text[end].lower() == letter:
        end += 1
    return end - index


def _merge_literals(tokens: list[Token]) -> list[Token]:
    merged: list[Token] = []
    for token in tokens:
        if token.kind == LITERAL and merged and merged[-1].kind == LITERAL:
            merged[-1] = Token(LITERAL, merged[-1].text + token.text)
        else:
            merged.append(token)
    return merged
