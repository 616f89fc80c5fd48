"""Dates as accountants write them in 时效 targets and actuals (SCORING.md §5b.1).

2023年12月31日, 2023.12.31, 2023/12/31, 2023-12-31, 2023.12, 2023年12月, 23年12月, 12月31日前,
12.31前, 2022年底, 上半年, 三季度末 and date cells are all dates, never numbers. Forms that
could also be a number (2023.12, 12.31) count as dates only where a date is expected: in a
时效 row, or followed by a deadline word (前, 之前, 底 …). A part left out compares as "any"
(2023年12月 meets 2023年12月31日); a year left out comes from the other side, else from the
自评 year (:func:`meets`).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

# After a date these words mean "no later than" or "by"; a weak form needs one of them.
DEADLINE_SUFFIX = re.compile(r"^\s*(?:之前|以前|前|底|末|止|完成|截止|为止|内)")
_FIRST_HALF = ("上半年", "年中")
_NEXT_YEAR = re.compile(r"(?:次年|翌年|下一年|明年|第二年)\s*$")
_QUARTERS = {"一": 3, "1": 3, "二": 6, "2": 6, "三": 9, "3": 9, "四": 12, "4": 12}


@dataclass(frozen=True)
class Deadline:
    """A date target or actual; missing parts compare as 'any'. 年底 means month 12.
    ``year_offset`` is a year written relative to the target's (次年1月: 1)."""

    year: int | None
    month: int | None
    day: int | None
    year_offset: int = 0

    def key(self, year: int | None) -> tuple[int, int, int]:
        """The latest day the date can mean (2023年12月: the 31st)."""
        year = self.year or year or 0
        month = self.month or 12
        return (year, month, self.day or calendar.monthrange(year or 2000, month)[1])

    def text(self) -> str:
        """As people write it: 2022年11月30日, 12月, 次年1月."""
        parts = zip((self.year, self.month, self.day), "年月日")
        prefix = "次年" if self.year is None and self.year_offset == 1 else ""
        return prefix + "".join(f"{value}{suffix}" for value, suffix in parts if value is not None)

    @classmethod
    def from_date(cls, value: date) -> "Deadline":
        """A date cell (xlwings, openpyxl and calamine hand datetime or date) is a full date."""
        return cls(value.year, value.month, value.day)


@dataclass(frozen=True)
class Comparison:
    met: bool
    note: str = ""  # what had to be assumed (需复核), "" when nothing


def meets(actual: Deadline, target: Deadline, evaluation_year: int | None = None) -> Comparison:
    """Whether ``actual`` is no later than ``target``.

    Years: the actual borrows the target's year, else the 自评 year ("2022年11月" meets
    "12月底之前完成"); a target written without a year is a plan for the 自评 year, so it takes
    that year when known — borrowing the actual's year would let "2024年1月" meet "12月31日前"
    in a 2023 evaluation. Without a 自评 year (a cell function) the target borrows the actual's.
    An actual coarser than the target in the same period ("2023年9月" against 2023年9月30日)
    cannot be told late or not: it counts as met and is flagged.
    """
    target_year = target.year or evaluation_year or actual.year
    actual_year = actual.year or ((target_year or 0) + actual.year_offset if target_year else None)
    note = ""
    if target.year is None and actual.year is not None and evaluation_year and actual.year != evaluation_year:
        note = f"年度指标值未写年份，按自评年度{evaluation_year}年计"
    latest, deadline = actual.key(actual_year), target.key(target_year)
    if latest <= deadline:
        return Comparison(True, note)
    earliest = (latest[0], actual.month or 1, actual.day or 1)
    if earliest > deadline:
        return Comparison(False, note)
    vague = "月" if actual.month is None else "日"
    return Comparison(True, _joined(note, f"实际完成值「{actual.text()}」没有写到{vague}，按期内完成计"))


def _joined(*notes: str) -> str:
    return "；".join(note for note in notes if note)

@dataclass(frozen=True)
class FoundDate:
    """A date found in a text: where it is, and whether the form is unmistakable."""

    deadline: Deadline | None  # None: it looks like a date but is not one (2023年2月30日)
    start: int
    end: int
    strong: bool  # written with 年/月/日 or as y-m-d; weak forms (2023.12, 12.31) need context
    text: str


_YEAR4 = r"(?:19|20)\d{2}"
_PATTERNS: tuple[tuple[re.Pattern[str], bool], ...] = (
    # 2023年12月31日, 23年12月, 2023年12月
    (re.compile(rf"(?<!\d)(?P<y>{_YEAR4}|\d{{2}})\s*年\s*(?P<m>\d{{1,2}})\s*月(?:\s*(?P<d>\d{{1,2}})\s*[日号])?"), True),
    # 2023.12.31, 2023/12/31, 2023-12-31
    (re.compile(rf"(?<![\d.])(?P<y>{_YEAR4})\s*(?P<sep>[./\-])\s*(?P<m>\d{{1,2}})\s*(?P=sep)\s*(?P<d>\d{{1,2}})(?![\d.])"), True),
    # 2023/12, 2023-12
    (re.compile(rf"(?<![\d./\-])(?P<y>{_YEAR4})\s*[/\-]\s*(?P<m>\d{{1,2}})(?![\d./\-])"), True),
    # 2023年底, 2023年 (not 2023年度, 2023年内 …)
    (re.compile(rf"(?<!\d)(?P<y>{_YEAR4})\s*年(?!\s*(?:度|内|以|来|间|均|起|为|增|比|同))"), True),
    # 12月31日, 12月
    (re.compile(r"(?<![\d.])(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*[日号])?"), True),
    # 2023.12 (also a number)
    (re.compile(rf"(?<![\d.])(?P<y>{_YEAR4})\.(?P<m>\d{{1,2}})(?![\d.])"), False),
    # 12.31, 12/31 (also a number or a fraction)
    (re.compile(r"(?<![\d./])(?P<m>\d{1,2})\s*[./]\s*(?P<d>\d{1,2})(?![\d./])"), False),
)


def _year(text: str | None) -> int | None:
    if not text:
        return None
    return 2000 + int(text) if len(text) == 2 else int(text)


def _valid(year: int | None, month: int | None, day: int | None) -> bool:
    if month is not None and not 1 <= month <= 12:
        return False
    if day is not None:
        if month is None:
            return False
        last = calendar.monthrange(year or 2000, month)[1]  # 2000: a leap year, 2月29日 without a year is fine
        return 1 <= day <= last
    return True


def _with_period_words(deadline: Deadline, text: str, end: int) -> Deadline:
    """2023年底 → December; 2023年上半年 → June; 2023年三季度末 → September."""
    after = text[end:end + 6]
    if deadline.month is not None:
        return deadline
    if after.startswith(("底", "末", "终")):
        return Deadline(deadline.year, 12, 31)
    if after.startswith(_FIRST_HALF):
        return Deadline(deadline.year, 6, 30)
    quarter = re.match(r"(?:第)?([一二三四1-4])\s*季度", after)
    if quarter:
        month = _QUARTERS[quarter.group(1)]
        return Deadline(deadline.year, month, calendar.monthrange(deadline.year or 2000, month)[1])
    return deadline


def find_date(text: str) -> FoundDate | None:
    """The first date-like part of a (normalised) text, strongest forms first."""
    best: FoundDate | None = None
    for pattern, strong in _PATTERNS:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            year, month = _year(groups.get("y")), int(groups["m"]) if groups.get("m") else None
            day = int(groups["d"]) if groups.get("d") else None
            deadline = Deadline(year, month, day) if _valid(year, month, day) else None
            if deadline is None and not strong:
                continue  # 95.5 is no date; only a form that can be nothing else is an invalid one
            if deadline is not None:
                deadline = _with_period_words(deadline, text, match.end())
                if deadline.year is None and _NEXT_YEAR.search(text[max(0, match.start() - 3):match.start()]):
                    deadline = Deadline(None, deadline.month, deadline.day, 1)
            found = FoundDate(deadline, match.start(), match.end(), strong, match.group(0))
            if best is None or (found.strong, -found.start) > (best.strong, -best.start):
                best = found
            break  # the first usable match of a pattern is the one that counts
    return best


def period_deadline(text: str) -> Deadline | None:
    """Deadlines written as a period without digits: 年底, 年内, 上半年, 三季度末 (year unknown)."""
    if re.search(r"年(?:底|末|终)|年内|全年|当年|下半年", text):
        return Deadline(None, 12, 31)
    if any(word in text for word in _FIRST_HALF):
        return Deadline(None, 6, 30)
    quarter = re.search(r"(?:第)?([一二三四1-4])\s*季度", text)
    if quarter:
        month = _QUARTERS[quarter.group(1)]
        return Deadline(None, month, calendar.monthrange(2000, month)[1])
    return None


def date_in_context(text: str, expect_date: bool) -> FoundDate | None:
    """A date the text really states: a strong form anywhere, a weak form (2023.12, 12.31)
    only when a date is expected (时效 rows) or a deadline word follows it."""
    found = find_date(text)
    if found is None:
        return None
    if found.strong:
        return found
    after = text[found.end:]
    if re.match(r"\s*[%万千亿]", after):
        return None  # 2023.5万元, 12.5%: numbers
    return found if expect_date or DEADLINE_SUFFIX.match(after) else None


def number_as_month(value: object, shown: str) -> tuple[Deadline, str] | None:
    """A number cell in a 时效 row that reads as a month (LibreOffice and WPS turn a typed
    "2023.12" into the number 2023.12): the month, and what had to be assumed ("" if nothing).

    "2023.1" may have been typed as 2023.10 (the trailing zero is gone): read as January,
    flagged for review.
    """
    match = re.fullmatch(rf"\s*({_YEAR4})\.(\d{{1,2}})\s*", shown)
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        return None
    note = f"「{shown.strip()}」按{year}年{month}月计（如为{year}年10月，请写成“{year}年10月”）" if month == 1 else ""
    return Deadline(year, month, None), note
