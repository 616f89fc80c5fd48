"""Figures stated in the 工作成效 text, and the one table figure each of them is about.

:func:`addin.checks.check_narrative` warns when the text says "罚没款达到393.2万余元" while
the table's 执法办案罚没收入 says 399.32万. A warning that is wrong teaches users to ignore
all of them, so a stated figure is compared only when the text is plainly about one table
figure (a :class:`Subject`):

* the words before it (since the previous figure of its clause) name the subject
  distinctively: an indicator by at least two characters of its name that are not generic
  (收入, 人数, 学生, 满意度 … name no indicator in particular), a total by its anchor words
  (三公 + 决算); failing that, the whole clause, or the clause before it in the sentence
  ("在特种设备监管方面，…"), when the figure is the only one in its unit there;
* it is written in the subject's unit (人次 is not 人; 万元 is money; how a figure is written
  and read — 约, 余, rounding — is :mod:`addin.stated_figures`);
* no other subject is an equally good match, and it agrees with none of the subjects named;
* it states the year's level, not a change (较上年增长12%), a share (占…的113%), a part (其中,
  上半年, 人均: to the end of the sentence), a target (目标, 计划), a stock (全县现有危桥25座),
  a range or a reference in brackets;
* it is within a factor of two of the table figure (else it counts something else).

When a paragraph names a project, the clauses from that mention on are about that project.

Cost is linear in the text: a name is cut to :data:`MAX_NAME` characters and indexed once
by its 2–4-character pieces; a clause is looked up piece by piece, never by enumerating
substrings; a piece shared by more than :data:`MAX_NAMES_PER_PIECE` names, and a figure
matching more than :data:`MAX_CANDIDATES` subjects, name nothing.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Iterator, Sequence

from udfs.targets import Quantity

from .stated_figures import (
    StatedFigure, agrees, compact, compatible, is_cjk, plausible, qualifier, stated_figures, subject_unit,
)

MAX_NAME = 64  # an indicator name longer than this is a sentence; its start is what names it
MAX_NAMES_PER_PIECE = 16
MAX_CANDIDATES = 32
MAX_QUOTE = 80  # characters of a clause quoted in a message
PIECE_LENGTHS = (2, 3, 4)

# Words that name no indicator in particular: measures, common actions, people and places
# every program serves. What is left of a name once they are taken out is its core.
GENERIC_WORDS = frozenset("""
收入 支出 资金 经费 指标 完成 工作 管理 监管 服务 情况 数量 质量 时效 成本 效益 满意 满意度 项目 建设
开展 检查 检验 实施 提高 提升 保障 群众 社会 经济 生态 人员 单位 企业 全年 年度 达到 覆盖 合格 覆盖率
合格率 完成率 及时 按时 培训 宣传 部门 服务对象 对象 人数 次数 金额 数量指标 人次 户数 个数 件数 家数
台数 批次 面积 长度 里程 规模 总数 总量 总额 数额 比例 比率 占比 费用 执法 办案 新建 新增 改造 维修
购置 发放 组织 举办 推进 落实 实现 参与 参加 累计 提供 受益 惠及 学生 教师 儿童 老人 老年人 居民 村民
农户 农民 市民 公众 患者 家庭 人口 职工 干部 全县 全市 全省 县级 乡镇 村级 社区 及时率 达标率 知晓率
使用率 到位率 发放率 执行率 优良率 普及率 参与率 活动 任务 目标 计划 考核 评价 绩效 水平 能力 效果 作用
影响 机制 制度 体系 政策 以上 以下 以内 不低于 不少于 率 数
""".split())
_GENERIC = re.compile("|".join(map(re.escape, sorted(GENERIC_WORDS, key=len, reverse=True))))

# Words that make the figure something other than the year's level.
_CHANGE = ("增长", "增加", "提高", "提升", "上升", "下降", "降低", "减少", "同比", "环比", "较上年", "比上年",
           "较去年", "比去年", "节约", "节省", "压减", "超出", "超额", "多出")
_TARGET = ("目标", "计划完成", "计划为", "计划投入", "计划开展", "任务", "预计", "预期", "要求", "指标值", "考核",
           "应报", "应达", "力争", "争取", "拟")
_PART = ("其中", "上半年", "下半年", "季度", "人均", "户均", "平均", "单笔", "单次", "每人", "每户", "每月", "每年",
         "月均", "日均", "最高", "最低", "前三")
# A stock of the county (全县现有危桥25座), not the year's output the table states.
_STOCK = ("现有", "共有", "拥有", "在册", "保有", "存量", "总里程", "总面积", "总人口", "总数")
_RANGE = ("-", "~", "至", "到", "—")
_PROJECT_SUFFIXES = ("专项资金", "专项经费", "项目", "专项", "资金", "经费")

# A comma is a clause break unless it separates thousands (1,234).
_DELIMITER = re.compile(r"[。;!?\n:]|(?<!\d),|,(?!\d{3}(?!\d))")
_SENTENCE_END = frozenset("。;!?\n")


@dataclass(frozen=True)
class Subject:
    """A table figure a sentence may state: an indicator's 实际完成值, a project's 全年执行数 …

    An indicator is named by its 三级指标 ``name``; a total by ``anchors`` (all words of one
    anchor in the clause) unless the clause holds an ``excluded`` word (预算 for a 决算 figure).
    ``accepted`` are other figures the text may quote without contradicting the table (the
    target, a published total)."""

    description: str  # how a message names it: 绩效指标「执法办案罚没收入」实际完成值399.32万
    actual: Quantity
    accepted: tuple[Quantity, ...] = ()
    name: str = ""
    anchors: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[str, ...] = ()
    project: str = ""  # the project it belongs to; "" for department figures


@dataclass(frozen=True)
class Disagreement:
    clause: str  # as quoted in a message (cut to MAX_QUOTE characters around the figure)
    stated: str  # the figure as written: "393.2万余元"
    subject: Subject


def core_positions(name: str) -> frozenset[int]:
    """Positions of the characters that tie a text to this name: Chinese characters outside
    generic words ("执法办案罚没收入" -> the positions of 罚没)."""
    generic = {i for match in _GENERIC.finditer(name) for i in range(match.start(), match.end())}
    return frozenset(i for i, char in enumerate(name) if i not in generic and is_cjk(char))


def _quote(clause: str, figure: StatedFigure) -> str:
    """The clause, or MAX_QUOTE characters of it with the figure two thirds of the way in."""
    if len(clause) <= MAX_QUOTE:
        return clause
    start = max(0, min(figure.end - MAX_QUOTE * 2 // 3, len(clause) - MAX_QUOTE))
    end = start + MAX_QUOTE
    return ("…" if start else "") + clause[start:end] + ("…" if end < len(clause) else "")


def _clauses(text: str) -> Iterator[tuple[int, str, bool]]:
    """(start, clause, ends a sentence) for each clause of a compacted paragraph."""
    start = 0
    for match in _DELIMITER.finditer(text):
        yield start, text[start:match.start()], match.group() in _SENTENCE_END
        start = match.end()
    yield start, text[start:], True


@dataclass(frozen=True)
class _Hits:
    """Subjects a stretch of text names: name id -> characters of its core covered, anchor
    group -> characters of its anchor words."""

    names: dict[int, int]
    anchors: dict[int, int]

    def __bool__(self) -> bool:
        return bool(self.names or self.anchors)


class SubjectIndex:
    """The table figures of a department, indexed for :meth:`disagreements`. Build once per
    department; each paragraph is then read in time linear in its length."""

    def __init__(self, subjects: Sequence[Subject], projects: Sequence[str] = ()) -> None:
        self._subjects: list[Subject] = []
        self._units: list[tuple[str, bool]] = []
        self._pieces: dict[str, list[tuple[int, tuple[int, ...]]]] = {}
        self._need: list[int] = []
        self._by_name: list[dict[str, list[int]]] = []  # name id -> project -> subject numbers
        self._groups: list[tuple[tuple[tuple[str, ...], ...], tuple[str, ...], dict[str, list[int]]]] = []
        names: dict[str, int] = {}
        groups: dict[tuple, int] = {}
        for subject in subjects:
            unit = subject_unit(subject.actual)
            if not unit[0]:
                continue
            number = len(self._subjects)
            self._subjects.append(subject)
            self._units.append(unit)
            if subject.anchors:
                key = (subject.anchors, subject.excluded)
                if key not in groups:
                    groups[key] = len(self._groups)
                    self._groups.append((subject.anchors, subject.excluded, {}))
                self._groups[groups[key]][2].setdefault(subject.project, []).append(number)
                continue
            name = compact(subject.name)[:MAX_NAME]
            if name not in names:
                names[name] = self._add_name(name)
            self._by_name[names[name]].setdefault(subject.project, []).append(number)
        shared = [piece for piece, entries in self._pieces.items()
                  if len({name_id for name_id, _ in entries}) > MAX_NAMES_PER_PIECE]
        for piece in shared:
            del self._pieces[piece]
        self._anchor_sets = [[(frozenset(anchor), sum(map(len, anchor))) for anchor in anchors]
                             for anchors, _, _ in self._groups]
        self._anchor_words = sorted({word for anchors, _, _ in self._groups for anchor in anchors for word in anchor})
        self._projects = self._project_names(projects)

    def _add_name(self, name: str) -> int:
        """Index a name by its pieces. A name made of generic words only ("教师培训人次",
        "群众满意度") is named by four characters of it in a row that are not one generic
        word ("教师培训", or turned round: "培训教师"), or by the whole of a shorter name."""
        name_id = len(self._by_name)
        self._by_name.append({})
        core = core_positions(name)
        if len(core) >= 2:
            self._need.append(min(4, max(2, (len(core) + 1) // 2)))
            for length in PIECE_LENGTHS:
                for start in range(len(name) - length + 1):
                    covered = tuple(i for i in range(start, start + length) if i in core)
                    if covered:
                        self._pieces.setdefault(name[start:start + length], []).append((name_id, covered))
        elif len(name) >= 4:
            self._need.append(4)
            for start in range(len(name) - 3):
                piece = name[start:start + 4]
                if piece not in GENERIC_WORDS and all(map(is_cjk, piece)):
                    self._pieces.setdefault(piece, []).append((name_id, tuple(range(start, start + 4))))
            # Chinese turns such compounds round: 教师培训 is also written 培训教师.
            words = list(_GENERIC.finditer(name))
            for first, second in zip(words, words[1:]):
                if first.end() == second.start() and first.end() - first.start() == second.end() - second.start() == 2:
                    turned = second.group() + first.group()
                    if turned not in GENERIC_WORDS:
                        self._pieces.setdefault(turned, []).append((name_id, tuple(range(first.start(), second.end()))))
        elif len(name) == 3 and all(map(is_cjk, name)):
            self._need.append(3)
            self._pieces.setdefault(name, []).append((name_id, (0, 1, 2)))
        else:
            self._need.append(MAX_NAME + 1)
        return name_id

    @staticmethod
    def _project_names(projects: Sequence[str]) -> list[tuple[str, str]]:
        """(text that names the project, project) pairs: the name and the name without
        项目/专项资金 …, when the department has more than one project."""
        distinct = list(dict.fromkeys(p for p in projects if p))
        if len(distinct) < 2:
            return []
        found = []
        for project in distinct:
            name = compact(project)[:MAX_NAME]
            core = name
            for suffix in _PROJECT_SUFFIXES:
                if len(core) > len(suffix) + 1:
                    core = core.removesuffix(suffix)
            found.extend((text, project) for text in {name, core} if len(text) >= 3 or text == name)
        return found

    # --- reading a paragraph ---------------------------------------------------------------

    def disagreements(self, paragraph: str) -> Iterator[Disagreement]:
        """Figures of ``paragraph`` that name one subject and contradict it."""
        if not self._subjects:
            return
        text = compact(paragraph)
        mentions = self._mentions(text)
        topic: _Hits | None = None
        in_part = False  # 其中, 上半年, 人均 …: the rest of the sentence is about a part
        said: set[tuple[str, str, int]] = set()  # a clause repeated in the paragraph is said once
        for start, clause, sentence_end in _clauses(text):
            scope = self._scope(mentions, start + len(clause))
            figures = list(stated_figures(clause)) if clause else []
            compared = False
            in_part = in_part or any(word in clause for word in _PART)
            if figures and not in_part:
                found, compared = self._clause(clause, figures, scope, topic)
                for disagreement in found:
                    key = (disagreement.clause, disagreement.stated, id(disagreement.subject))
                    if key not in said:
                        said.add(key)
                        yield disagreement
            if clause and not compared and not in_part:
                # "在特种设备监管方面，…": what this clause names is the topic of the next ones
                # in the sentence; a project's name there sets the scope, not a topic.
                topic = self._hits(self._without_projects(clause)) or topic
            if sentence_end:
                topic, in_part = None, False

    def _mentions(self, text: str) -> list[tuple[int, int, str]]:
        """(position, length, project) of each project mention; at one position the longer
        name sorts last and so wins ("学生资助管理" over "学生资助")."""
        found = []
        for name, project in self._projects:
            position = text.find(name)
            while position >= 0:
                found.append((position, len(name), project))
                position = text.find(name, position + 1)
        return sorted(found)

    def _without_projects(self, clause: str) -> str:
        for name, _ in self._projects:
            clause = clause.replace(name, "|")
        return clause

    @staticmethod
    def _scope(mentions: list[tuple[int, int, str]], end: int) -> str | None:
        """The project the text is about at ``end``: the latest mention before it."""
        index = bisect.bisect_left(mentions, (end,))
        return mentions[index - 1][2] if index else None

    def _hits(self, text: str) -> _Hits:
        covered: dict[int, set[int]] = {}
        pieces = self._pieces
        for start in range(len(text) - 1):
            for length in PIECE_LENGTHS:
                if start + length > len(text):
                    break
                for name_id, positions in pieces.get(text[start:start + length], ()):
                    covered.setdefault(name_id, set()).update(positions)
        names = {name_id: len(c) for name_id, c in covered.items() if len(c) >= self._need[name_id]}
        present = {word for word in self._anchor_words if word in text}
        anchors = {}
        if present:
            for number, group_anchors in enumerate(self._anchor_sets):
                lengths = [length for words, length in group_anchors if words <= present]
                if lengths:
                    anchors[number] = max(lengths)
        return _Hits(names, anchors)

    def _candidates(self, hits: _Hits, figure: StatedFigure, scope: str | None, clause: str) -> list[tuple[int, int]] | None:
        """(score, subject number) of the subjects ``hits`` names in the figure's unit and
        the project in scope. None when that cannot be told: too many, or the text names a
        subject in another unit better ("城乡低保救助6747人次" is about 城乡低保救助人数 in 人,
        not about 临时救助人次)."""
        found: list[tuple[int, int]] = []
        strongest = 0

        def add(score: int, by_project: dict[str, list[int]]) -> bool:
            nonlocal strongest
            for project, numbers in by_project.items():
                if project and scope is not None and project != scope:
                    continue
                strongest = max(strongest, score)
                for number in numbers:
                    if compatible(figure, *self._units[number]):
                        found.append((score, number))
                        if len(found) > MAX_CANDIDATES:
                            return False
            return True

        for name_id, score in hits.names.items():
            if not add(score, self._by_name[name_id]):
                return None
        for group, score in hits.anchors.items():
            _, excluded, by_project = self._groups[group]
            if not any(word in clause for word in excluded) and not add(score, by_project):
                return None
        if found and max(score for score, _ in found) < strongest:
            return None
        return found

    def _clause(self, clause: str, figures: list[StatedFigure], scope: str | None,
                topic: _Hits | None) -> tuple[list[Disagreement], bool]:
        """The disagreements of one clause, and whether any figure in it named a subject."""
        found: list[Disagreement] = []
        compared = False
        clause_hits: _Hits | None = None
        units: dict[str, int] = {}
        for figure in figures:
            units[figure.unit] = units.get(figure.unit, 0) + 1
        depth = 0
        previous_end = 0
        for number, figure in enumerate(figures):
            before = clause[previous_end:figure.start]
            depth = max(0, depth + before.count("(") - before.count(")"))
            previous_end = figure.end
            if depth or not figure.unit and not figure.scaled or self._context_says_other(before, figure, number):
                continue
            candidates = self._candidates(self._hits(before), figure, scope, clause)
            if candidates == [] and units[figure.unit] == 1:
                clause_hits = clause_hits if clause_hits is not None else self._hits(clause)
                candidates = self._candidates(clause_hits, figure, scope, clause)
                if candidates == [] and topic is not None:
                    candidates = self._candidates(topic, figure, scope, clause)
            if not candidates:
                continue
            compared = True
            read_as = qualifier(before, clause[figure.end:figure.end + 3], figure)
            best = max(score for score, _ in candidates)
            top = {number for score, number in candidates if score == best}
            if len(top) > 1:
                continue
            if any(self._accepts(number, figure, read_as) for _, number in candidates):
                continue
            subject = self._subjects[top.pop()]
            if plausible(figure, subject.actual.value):
                found.append(Disagreement(_quote(clause, figure), figure.text, subject))
        return found, compared

    def _accepts(self, number: int, figure: StatedFigure, reading: str) -> bool:
        subject = self._subjects[number]
        return any(agrees(figure, reading, quantity.value) for quantity in (subject.actual, *subject.accepted))

    @staticmethod
    def _context_says_other(before: str, figure: StatedFigure, number: int) -> bool:
        """A range, an ordinal, a target, a stock, a change or a share rather than the level."""
        if number and before in _RANGE or before.endswith("第"):
            return True
        tail = before[-8:]
        if any(word in tail for word in _TARGET) or any(word in before for word in _STOCK):
            return True
        for word in _CHANGE:
            at = tail.rfind(word)
            if at >= 0 and tail[at + len(word):at + len(word) + 1] not in ("到", "至", "为"):
                return True
        return figure.unit == "%" and (before.endswith("的") or "占" in tail)
