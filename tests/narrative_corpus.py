"""A labelled corpus for the text-vs-table check: sentences whose truth is known.

Each :class:`Sentence` either agrees with the table (or states nothing the table holds) or
contradicts one table figure; then ``truth`` holds the words a right warning carries (the
indicator's 「name」 and its 实际完成值 as shown, or a total's label and amount). A warning is
*true* when its quoted clause lies in a contradicting sentence and names that figure;
every other warning is false.

The corpus is the seed (衡山 2022: one real discrepancy, 393.2万余 vs 399.32万), the cases
of ``tests/test_checks.py`` and generated departments: county bureaus of six sectors with
two projects each, whose paragraphs state correct figures, rounded ones (约, 余, 超过),
targets, wrong figures (3–45% off, or the seed's 余 form), changes, dates, counts in other
units, population totals, parts, per-capita figures, other projects' figures, and the
project and department totals. :func:`measure` runs any ``check_narrative``-shaped function
over it (the benchmark runs the old one too).
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Callable, Iterable

from addin.demo import load_demo
from addin.checks.narrative_figures import compact
from udfs.model import (
    Assets, Budget, Department, Entry, Funds, FundsLine, Indicator, Procurement, Project, ThreePublicCosts,
)
from udfs.scoring import score_project

SECTIONS = ("performance", "project_summary", "key_work")


@dataclass(frozen=True)
class Sentence:
    text: str
    kind: str  # the generator's category, for per-kind counts
    truth: tuple[str, ...] = ()  # () agrees with the table; else words a right warning carries

    @property
    def wrong(self) -> bool:
        return bool(self.truth)


@dataclass(frozen=True)
class Case:
    name: str
    department: Department
    paragraphs: tuple[tuple[str, tuple[Sentence, ...]], ...]  # (section attr, sentences)

    def with_narrative(self) -> Department:
        texts = {attr: tuple("".join(s.text for s in sentences) for a, sentences in self.paragraphs if a == attr)
                 for attr in SECTIONS}
        return replace(self.department, **texts)

    def origins_cells(self) -> dict[str, str]:
        cells, row = {}, 1
        for attr in SECTIONS:
            for index, _ in enumerate(a for a, _ in self.paragraphs if a == attr):
                cells[f"narrative.{attr}[{index}]"] = f"工作成效!B{row}"
                row += 1
        return cells

    def paragraph_at(self, cell: str) -> tuple[Sentence, ...]:
        row = 1
        for attr in SECTIONS:
            for a, sentences in self.paragraphs:
                if a == attr:
                    if cell == f"B{row}":
                        return sentences
                    row += 1
        return ()


@dataclass
class Tally:
    true_warnings: int = 0
    false_warnings: int = 0
    wrong_sentences: int = 0
    found: int = 0
    false_by_kind: Counter = field(default_factory=Counter)
    missed_by_kind: Counter = field(default_factory=Counter)
    false_examples: list[str] = field(default_factory=list)
    missed_examples: list[str] = field(default_factory=list)

    @property
    def warnings(self) -> int:
        return self.true_warnings + self.false_warnings

    @property
    def precision(self) -> float:
        return self.true_warnings / self.warnings if self.warnings else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.wrong_sentences if self.wrong_sentences else 1.0

    def summary(self) -> str:
        return (f"warnings {self.warnings} (true {self.true_warnings}, false {self.false_warnings}), "
                f"precision {self.precision:.1%}; contradicting sentences {self.wrong_sentences}, "
                f"found {self.found}, recall {self.recall:.1%}")


_QUOTED = re.compile(r"中“(.*)”的")


def measure(check: Callable, cases: Iterable[Case], origins_type: Callable) -> Tally:
    """Run ``check(department, results, origins)`` over the corpus and count."""
    tally = Tally()
    for case in cases:
        department = case.with_narrative()
        results = [score_project(p) for p in department.projects]
        warnings = check(department, results, origins_type(cells=case.origins_cells()))
        found: set[int] = set()
        for warning in warnings:
            sentences = case.paragraph_at(warning.cell)
            match = _QUOTED.search(warning.message)
            quoted = compact(match.group(1)).strip("…") if match else ""
            hit = next((s for s in sentences if quoted and quoted in compact(s.text)), None)
            if hit is not None and hit.wrong and all(word in warning.message for word in hit.truth):
                tally.true_warnings += 1
                # A clause repeated in a paragraph is warned about once, for all its copies.
                found.update(id(s) for s in sentences if s.text == hit.text)
            else:
                tally.false_warnings += 1
                tally.false_by_kind[hit.kind if hit else "?"] += 1
                if len(tally.false_examples) < 40:
                    tally.false_examples.append(f"{case.name}: {warning.message}")
        for _, sentences in case.paragraphs:
            for sentence in sentences:
                if sentence.wrong:
                    tally.wrong_sentences += 1
                    if id(sentence) in found:
                        tally.found += 1
                    else:
                        tally.missed_by_kind[sentence.kind] += 1
                        if len(tally.missed_examples) < 40:
                            tally.missed_examples.append(f"{case.name}: {sentence.text} {sentence.truth}")
    return tally


# --- the seed and the tests' cases ---------------------------------------------------------

def seed_cases() -> list[Case]:
    """衡山 2022 as published (one contradiction), and each case of test_checks.py."""
    demo = load_demo()
    bare = replace(demo, performance=(), project_summary=(), key_work=())
    wrong = ("「执法办案罚没收入」", "399.32万")
    paragraphs = []
    for attr in SECTIONS:
        for text in getattr(demo, attr):
            sentences = [s + "。" for s in text.split("。") if s]
            paragraphs.append((attr, tuple(Sentence(s, "seed", wrong if "393.2万余元" in s else ()) for s in sentences)))
    cases = [Case("seed", bare, tuple(paragraphs))]
    for text, flagged in CHECKS_CASES:
        cases.append(Case(f"test_checks:{text}", bare,
                          (("key_work", (Sentence(text, "test_checks", wrong if flagged else ()),)),)))
    return cases


# The parametrized cases of tests/test_checks.py::test_narrative_matching_is_conservative.
CHECKS_CASES = (
    ("罚没款达到399.3万余元", False), ("罚没款达到399.32万元", False), ("罚没款约400万元", False),
    ("罚没款达到303.9万元", False), ("罚没款达到380万元", True), ("罚没款达到3万元", False),
    ("共查处案件65起，罚没款达到393.2万余元", True), ("全年收入393.2万元", False),
)


# --- generated departments -----------------------------------------------------------------

@dataclass(frozen=True)
class Template:
    name: str
    level2: str
    unit: str  # as typed after the number: "人", "%", "万元", "公里"
    low: int
    high: int
    places: int  # decimals of the actual
    mentions: tuple[str, ...]  # how a narrative names it before a figure


def _t(name, level2, unit, low, high, places, *mentions):
    return Template(name, level2, unit, low, high, places, mentions or (name,))


SATISFACTION = _t("服务对象满意度", "服务对象满意度指标", "%", 90, 99, 1, "服务对象满意度")

# Each sector: its two projects, the indicators of each, and county totals (noun, unit) that
# no indicator states.
SECTORS = {
    "教育局": (("学生资助项目", "教育质量提升项目"), ((
        _t("学生资助人数", "数量指标", "人", 800, 5000, 0, "资助家庭经济困难学生", "学生资助"),
        _t("营养改善计划受益学生人数", "数量指标", "人", 3000, 20000, 0, "营养改善计划惠及学生", "营养改善计划受益学生"),
        _t("资助资金发放及时率", "时效指标", "%", 95, 100, 0, "资助资金发放及时率"),
        _t("学生资助资金", "成本指标", "万元", 100, 900, 2, "发放学生资助资金", "学生资助资金"),
        _t("学生家长满意度", "满意度指标", "%", 90, 99, 1, "学生家长满意度"),
    ), (
        _t("教师培训人次", "数量指标", "人次", 500, 3000, 0, "培训教师", "教师培训"),
        _t("校长培训人次", "数量指标", "人次", 50, 300, 0, "培训中小学校长", "校长培训"),
        _t("校舍维修改造面积", "数量指标", "平方米", 2000, 20000, 0, "维修改造校舍", "校舍维修改造"),
        _t("义务教育巩固率", "质量指标", "%", 95, 100, 1, "义务教育巩固率"),
    )), ("在校学生", "人", "专任教师", "人", "校舍总面积", "平方米")),
    "卫生健康局": (("基本公共卫生服务项目", "基层医疗卫生能力提升项目"), ((
        _t("家庭医生签约人数", "数量指标", "人", 10000, 60000, 0, "家庭医生签约", "签约家庭医生服务"),
        _t("65岁以上老年人健康体检人数", "数量指标", "人", 5000, 30000, 0, "为65岁以上老年人健康体检",
           "65岁以上老年人健康体检"),
        _t("孕产妇系统管理率", "质量指标", "%", 85, 99, 1, "孕产妇系统管理率"),
        _t("适龄儿童免疫规划疫苗接种率", "质量指标", "%", 95, 100, 1, "适龄儿童疫苗接种率", "免疫规划疫苗接种率"),
        _t("慢性病患者随访人次", "数量指标", "人次", 5000, 40000, 0, "随访慢性病患者", "慢性病患者随访"),
    ), (
        _t("基层医务人员培训人次", "数量指标", "人次", 200, 2000, 0, "培训基层医务人员", "基层医务人员培训"),
        _t("村卫生室标准化建设数量", "数量指标", "个", 5, 60, 0, "标准化建设村卫生室", "村卫生室标准化建设"),
    )), ("常住人口", "人", "65岁以上老年人", "人", "村卫生室", "个")),
    "农业农村局": (("高标准农田建设项目", "农业技术推广项目"), ((
        _t("高标准农田建设面积", "数量指标", "亩", 5000, 50000, 0, "建成高标准农田", "高标准农田建设"),
        _t("农田灌溉水有效利用系数提高", "效益指标", "%", 1, 5, 1, "农田灌溉水有效利用系数提高"),
    ), (
        _t("农机购置补贴资金", "成本指标", "万元", 100, 2000, 2, "兑付农机购置补贴", "农机购置补贴资金"),
        _t("高素质农民培训人数", "数量指标", "人", 100, 1000, 0, "培训高素质农民", "高素质农民培训"),
        _t("测土配方施肥技术推广面积", "数量指标", "亩", 10000, 200000, 0, "推广测土配方施肥",
           "测土配方施肥技术推广"),
        _t("动物强制免疫密度", "质量指标", "%", 90, 100, 1, "动物强制免疫密度"),
    )), ("耕地面积", "亩", "农业人口", "人", "农户", "户")),
    "交通运输局": (("农村公路提质改造项目", "公路养护项目"), ((
        _t("农村公路提质改造里程", "数量指标", "公里", 20, 300, 1, "完成农村公路提质改造", "农村公路提质改造"),
        _t("危桥改造数量", "数量指标", "座", 3, 40, 0, "改造危桥", "危桥改造"),
        _t("安全生命防护工程里程", "数量指标", "公里", 10, 150, 1, "实施安全生命防护工程", "安全生命防护工程"),
        _t("工程验收合格率", "质量指标", "%", 95, 100, 1, "工程验收合格率"),
    ), (
        _t("道路日常养护里程", "数量指标", "公里", 200, 1500, 1, "日常养护道路", "道路日常养护"),
    )), ("农村公路总里程", "公里", "桥梁", "座", "公路总里程", "公里")),
    "市场监督管理局": (("市场监管执法项目", "食品安全监管项目"), ((
        _t("执法办案罚没收入", "经济效益指标", "万元", 100, 900, 2, "罚没款", "执法办案罚没收入"),
        _t("特种设备定期检验台数", "数量指标", "台", 200, 2000, 0, "定期检验特种设备", "特种设备定期检验"),
        _t("消费投诉处理件数", "数量指标", "件", 200, 2000, 0, "处理消费投诉", "受理并处理消费投诉"),
    ), (
        _t("食品安全抽检批次", "数量指标", "批次", 500, 3000, 0, "完成食品安全抽检", "食品安全抽检"),
        _t("抽检不合格食品核查处置率", "质量指标", "%", 95, 100, 1, "抽检不合格食品核查处置率"),
    )), ("市场主体", "户", "特种设备", "台", "食品经营户", "户")),
    "民政局": (("社会救助项目", "养老服务项目"), ((
        _t("城乡低保救助人数", "数量指标", "人", 3000, 20000, 0, "保障城乡低保对象", "城乡低保救助"),
        _t("特困人员供养人数", "数量指标", "人", 300, 3000, 0, "供养特困人员", "特困人员供养"),
        _t("临时救助人次", "数量指标", "人次", 500, 5000, 0, "实施临时救助", "临时救助"),
        _t("困难群众满意度", "满意度指标", "%", 90, 99, 1, "困难群众满意度"),
    ), (
        _t("养老服务补贴发放金额", "成本指标", "万元", 50, 800, 2, "发放养老服务补贴", "养老服务补贴"),
    )), ("农村留守老人", "人", "城乡居民", "人", "养老机构床位", "张")),
}
# Generic phrases writers use for an indicator ("全年签约12000人"): about it, but named by
# words other indicators could share; and county stocks named like an indicator ("全县现有
# 特困人员2600人" beside 特困人员供养人数): not the year's output, in the same unit and range.
VAGUE = {"校舍维修改造面积": "维修改造", "食品安全抽检批次": "抽检", "特种设备定期检验台数": "检验设备",
         "家庭医生签约人数": "签约", "危桥改造数量": "改造桥梁", "道路日常养护里程": "养护道路",
         "高素质农民培训人数": "培训农民", "慢性病患者随访人次": "随访"}
STOCKS = {
    "教育局": (("全县共有家庭经济困难学生", "学生资助人数"),),
    "卫生健康局": (("全县常住65岁以上老年人", "65岁以上老年人健康体检人数"), ("辖区内登记在册慢性病患者", "慢性病患者随访人次")),
    "农业农村局": (("全县现有高标准农田", "高标准农田建设面积"),),
    "交通运输局": (("全县现有危桥", "危桥改造数量"), ("全县农村公路总里程", "农村公路提质改造里程")),
    "市场监督管理局": (("全县共有在用特种设备", "特种设备定期检验台数"),),
    "民政局": (("全县现有特困人员", "特困人员供养人数"), ("全县共有城乡低保对象", "城乡低保救助人数")),
}
COUNTIES = ("衡山县", "祁东县", "攸县", "茶陵县", "宁乡县", "平江县", "桃源县")


@dataclass(frozen=True)
class _Row:
    template: Template
    project: str
    actual: Decimal
    target: Decimal
    shown: str  # the 实际完成值 as the table shows it


def _text(value: Decimal, places: int) -> str:
    quantum = Decimal(1).scaleb(-places)
    return f"{value.quantize(quantum, ROUND_HALF_UP):f}"


def _significant(value: Decimal, digits: int, rounding=ROUND_HALF_UP) -> Decimal:
    exponent = value.adjusted() - digits + 1
    return value.scaleb(-exponent).quantize(Decimal(1), rounding).scaleb(exponent)


def _plain(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class _Writer:
    """Writes the labelled sentences of one department."""

    def __init__(self, rng: random.Random, multi: bool):
        self.rng = rng
        self.multi = multi

    def truth(self, row: _Row) -> tuple[str, ...]:
        words = (f"「{row.template.name}」", row.shown)
        return words + ((f"「{row.project}」",) if self.multi else ())

    def value(self, row: _Row, value: Decimal) -> str:
        return _text(value, row.template.places)

    def wrong_value(self, row: _Row) -> Decimal:
        t = row.template
        while True:
            if t.unit == "%" and row.actual > 50:
                value = row.actual - Decimal(self.rng.randint(20, 80)) / 10
            else:
                delta = Decimal(self.rng.randint(4, 45)) / 100
                value = row.actual * (1 + delta if self.rng.random() < 0.5 else 1 - delta)
            value = Decimal(self.value(row, value))
            if value > 0 and value != row.target and abs(value - row.actual) / row.actual > Decimal("0.03"):
                return value

    def sentences(self, row: _Row) -> list[Sentence]:
        t, rng = row.template, self.rng
        m = rng.choice(t.mentions)
        a = self.value(row, row.actual)
        u = t.unit
        kinds = ["exact", "exact", "approx", "floor", "target", "wrong", "wrong", "change", "other_unit", "date",
                 "paren", "subset", "topic", "topic_wrong", "round", "wrong_floor", "near_unit", "vague",
                 "vague_wrong", "figure_first", "figure_first_wrong", "completion"]
        out = []
        for kind in rng.sample(kinds, 4):
            out.extend(self.sentence(kind, row, m, a, u))
        return out

    def sentence(self, kind: str, row: _Row, m: str, a: str, u: str) -> list[Sentence]:
        t, rng = row.template, self.rng
        lead = rng.choice(("全年", "年内", "共", "累计", "2023年", ""))
        percent = u == "%"
        if kind == "exact":
            return [Sentence(rng.choice((f"{lead}{m}{a}{u}。", f"{m}达到{a}{u}，圆满完成年度任务。")), kind)]
        if kind == "approx":
            return [Sentence(f"{lead}{m}约{_plain(_significant(row.actual, 2))}{u}。", kind)]
        if kind == "floor":
            if percent:
                return [Sentence(f"{m}超过{_plain(row.actual.quantize(Decimal(1), ROUND_DOWN))}%。", kind)]
            floor = _significant(row.actual, 2, ROUND_DOWN) if row.actual >= 100 else row.actual.to_integral_value(ROUND_DOWN)
            return [Sentence(f"{lead}{m}{_plain(floor)}余{u}。", kind)]
        if kind == "target":
            return [Sentence(f"{m}年度目标为{_plain(row.target)}{u}，已全面完成。", kind)]
        if kind == "wrong":
            return [Sentence(f"{lead}{m}{self.value(row, self.wrong_value(row))}{u}。", kind, self.truth(row))]
        if kind == "wrong_floor" and not percent and t.places:
            low = self.wrong_value(row)
            low = min(low, row.actual * Decimal("0.985"))
            return [Sentence(f"{m}达到{_text(low, 1)}{u[:-1]}余{u[-1]}。" if u == "万元" else f"{m}达到{_text(low, 1)}余{u}。",
                             kind, self.truth(row))]
        if kind == "change":
            step = f"{rng.randint(1, 9)}个百分点" if percent else f"{rng.randint(3, 60)}%"
            return [Sentence(f"{m}{a}{u}，较上年提高{step}。" if rng.random() < 0.5 else f"{m}较上年增长{step}。", kind)]
        if kind == "other_unit":
            return [Sentence(f"{m}工作召开调度会{rng.randint(2, 12)}次，印发通知{rng.randint(2, 9)}份。", kind)]
        if kind == "date":
            return [Sentence(f"2023年{rng.randint(1, 12)}月{rng.randint(1, 28)}日前完成{m}工作部署。", kind)]
        if kind == "paren":
            return [Sentence(f"{m}{a}{u}（年度目标{_plain(row.target)}{u}）。", kind)]
        if kind == "subset" and not percent:
            part = self.value(row, row.actual * Decimal(rng.randint(20, 70)) / 100)
            return [Sentence(f"{m}{a}{u}，其中农村地区{part}{u}。", kind)]
        if kind == "topic":
            return [Sentence(f"在{t.name}方面，全年完成{a}{u}。", kind)]
        if kind == "topic_wrong":
            return [Sentence(f"在{t.name}方面，全年完成{self.value(row, self.wrong_value(row))}{u}。", kind,
                             self.truth(row))]
        if kind == "near_unit" and u in ("人", "人次"):
            other = "人次" if u == "人" else "人"
            return [Sentence(f"{lead}{m}{self.value(row, row.actual * Decimal(rng.randint(60, 160)) / 100)}{other}。", kind)]
        if kind in ("vague", "vague_wrong") and t.name in VAGUE:
            if kind == "vague":
                return [Sentence(f"全年{VAGUE[t.name]}{a}{u}。", kind)]
            return [Sentence(f"全年{VAGUE[t.name]}{self.value(row, self.wrong_value(row))}{u}。", kind, self.truth(row))]
        if kind == "figure_first":
            return [Sentence(f"{a}{u}{m}任务全部完成。", kind)]
        if kind == "figure_first_wrong":
            return [Sentence(f"{self.value(row, self.wrong_value(row))}{u}{m}任务全部完成。", kind, self.truth(row))]
        if kind == "completion":
            done = (row.actual / row.target * 100).quantize(Decimal(1))
            return [Sentence(f"{m}{a}{u}，完成年度目标的{done}%。", kind)]
        if kind == "round" and not percent and row.actual >= 1000:
            rounded = _significant(row.actual, 3)
            if rounded != row.actual and abs(rounded - row.actual) / row.actual <= Decimal("0.005") \
                    and _plain(rounded).endswith("0"):
                return [Sentence(f"{lead}{m}{_plain(rounded)}{u}。", kind)]
        return []

    def context(self, nouns: tuple[str, ...], rows: list[_Row]) -> list[Sentence]:
        """Totals of the county that no indicator states: bigger than any year's output, or
        in the range of one but named by generic words only."""
        rng, out = self.rng, []
        for noun, unit in zip(nouns[::2], nouns[1::2]):
            same = [r for r in rows if r.template.unit == unit]
            base = max((r.actual for r in same), default=Decimal(rng.randint(100, 9000)))
            out.append(Sentence(f"全县共有{noun}{_plain((base * rng.randint(4, 40)).to_integral_value())}{unit}。",
                                "context"))
        for unit in ("人", "人次"):
            same = [r for r in rows if r.template.unit == unit]
            if same:
                row = rng.choice(same)
                value = (row.actual * Decimal(rng.randint(60, 180)) / 100).to_integral_value()
                out.append(Sentence(rng.choice((f"全县参加各类活动的群众达{_plain(value)}{unit}。",
                                                f"各级各类人员{_plain(value)}{unit}参与其中。")), "context_near"))
        out.append(Sentence(f"召开工作会议{rng.randint(3, 20)}次，下发文件{rng.randint(5, 40)}份，"
                            f"开展督查{rng.randint(2, 12)}轮。", "context"))
        return out

    def stocks(self, sector: str, rows: list[_Row]) -> list[Sentence]:
        """County stocks named like an indicator, 1.15–1.9 times its actual."""
        out = []
        for phrase, name in STOCKS.get(sector, ()):
            for row in (r for r in rows if r.template.name == name):
                value = self.value(row, row.actual * Decimal(self.rng.randint(115, 190)) / 100)
                out.append(Sentence(f"{phrase}{value}{row.template.unit}。", "stock"))
        return out

    def cross(self, rows: list[_Row]) -> list[Sentence]:
        """A sentence naming one indicator with another's figure in the same unit: it
        contradicts the one it names."""
        out = []
        for first in rows:
            others = [r for r in rows if r is not first and r.template.unit == first.template.unit
                      and abs(r.actual - first.actual) / first.actual > Decimal("0.05") and r.actual != first.target]
            if others and self.rng.random() < 0.5:
                other = self.rng.choice(others)
                out.append(Sentence(f"{first.template.mentions[0]}{self.value(first, other.actual)}{first.template.unit}。",
                                    "other_indicator", self.truth(first)))
        return out

    def mixed(self, rows: list[_Row]) -> list[Sentence]:
        """Two indicators in one clause, joined by 、: each figure is about the name before it."""
        out = []
        for first, second in zip(rows[::2], rows[1::2]):
            if first.template.unit == "%" or second.template.unit == "%":
                continue
            a1 = self.value(first, first.actual)
            if self.rng.random() < 0.5:
                a2, truth, kind = self.value(second, second.actual), (), "mixed"
            else:
                a2, truth, kind = self.value(second, self.wrong_value(second)), self.truth(second), "mixed_wrong"
            out.append(Sentence(f"{first.template.mentions[-1]}{a1}{first.template.unit}、"
                                f"{second.template.mentions[-1]}{a2}{second.template.unit}。", kind, truth))
        return out


def _indicator(row: _Row, entry: bool) -> Indicator:
    t = row.template
    target = f"≥{_plain(row.target)}{t.unit}"
    actual: object = f"{_plain(row.actual)}{t.unit}"
    if entry and t.unit == "%":
        actual = Entry(row.actual / 100, f"{row.actual:.2f}%", "0.00%")
    level1 = "满意度指标" if "满意" in t.level2 else "效益指标" if "效益" in t.level2 else "产出指标"
    return Indicator(level1, t.level2, t.name, target, actual, Decimal(5))


def generated_cases(count: int = 48, seed: int = 2023) -> list[Case]:
    """``count`` departments, cycling through the sectors, each with two projects."""
    rng = random.Random(seed)
    cases = []
    for number in range(count):
        sector = list(SECTORS)[number % len(SECTORS)]
        (p1, p2), (first, second), nouns = SECTORS[sector]
        name = f"{COUNTIES[number % len(COUNTIES)]}{sector}"
        multi = number % 3 != 0  # every third department has one project only

        def some(templates):
            return rng.sample(templates, max(1, len(templates) - rng.randint(0, 1)))

        if multi:
            assignment = [(p1, some(first) + [SATISFACTION]), (p2, some(second) + [SATISFACTION])]
        else:
            assignment = [(p1, some(first + second) + [SATISFACTION])]
        writer = _Writer(rng, multi)
        projects, paragraphs, all_rows = [], [], []
        for project_name, project_templates in assignment:
            rows = []
            for t in project_templates:
                while True:
                    actual = Decimal(_text(Decimal(rng.uniform(t.low, t.high)), t.places))
                    target = _significant(actual * Decimal(rng.randint(80, 97)) / 100, 2, ROUND_DOWN)
                    if target > 0 and actual > 0 and (t.unit != "%" or actual <= 100):
                        break
                shown = f"{actual:.2f}%" if t.unit == "%" and number % 4 == 1 else f"{_plain(actual)}{t.unit}"
                rows.append(_Row(t, project_name, actual, target, shown))
            budget = Decimal(rng.randint(50_00, 3000_00)) / 100
            executed = (budget * Decimal(rng.randint(80, 100)) / 100).quantize(Decimal("0.01"))
            project = Project(project_name, name, name, Funds(FundsLine("年度资金总额", budget, budget, executed)),
                              indicators=tuple(_indicator(r, number % 4 == 1) for r in rows))
            projects.append(project)
            all_rows.extend(rows)
            sentences = [s for r in rows for s in writer.sentences(r)]
            sentences += writer.mixed(rows)
            sentences += writer.cross(rows)
            sentences += _funds_sentences(writer, project, multi)
            rng.shuffle(sentences)
            header = Sentence(f"{project_name}方面：", "header") if multi else Sentence("", "header")
            paragraphs.append(("key_work" if multi else "performance", (header, *sentences)))
        department = Department(name, 2023, budget=_budget(rng), three_public=_three_public(rng),
                                procurement=Procurement(total=Decimal(rng.randint(20_00, 900_00)) / 100),
                                assets=Assets(total_assets=Decimal(rng.randint(500_00, 9000_00)) / 100),
                                projects=tuple(projects))
        shared = [r for r in all_rows if r.template is SATISFACTION]
        context = writer.context(nouns, all_rows) + writer.stocks(sector, all_rows)
        if len(shared) == 2:
            first, second = shared
            # Unscoped: the shared name is ambiguous, and the figure is the first project's.
            context.append(Sentence(f"服务对象满意度达到{_plain(first.actual)}%。", "unscoped_shared"))
            if abs(first.actual - second.actual) > 1:
                # Scoped to the second project, the first project's figure contradicts it.
                paragraphs[1] = (paragraphs[1][0], paragraphs[1][1] + (
                    Sentence(f"服务对象满意度达到{_plain(first.actual)}%。", "other_project", writer.truth(second)),))
        paragraphs.append(("performance", tuple(context)))
        paragraphs.append(("project_summary", tuple(_department_sentences(rng, department))))
        cases.append(Case(name, department, tuple(paragraphs)))
    return cases


def _budget(rng: random.Random) -> Budget:
    initial = Decimal(rng.randint(1000_00, 9000_00)) / 100
    final = (initial * Decimal(rng.randint(85, 115)) / 100).quantize(Decimal("0.01"))
    return Budget(initial_expenditure=initial, final_expenditure=final)


def _three_public(rng: random.Random) -> ThreePublicCosts:
    budget = Decimal(rng.randint(20_00, 80_00)) / 100
    final = (budget * Decimal(rng.randint(50, 98)) / 100).quantize(Decimal("0.01"))
    return ThreePublicCosts(budget_total=budget, final_total=final)


def _amount(value: Decimal) -> str:
    return _plain(value.quantize(Decimal("0.01")))


def _off(rng: random.Random, value: Decimal) -> Decimal:
    return (value * Decimal(rng.choice((82, 88, 93, 106, 112, 125))) / 100).quantize(Decimal("0.01"))


def _funds_sentences(writer: _Writer, project: Project, multi: bool) -> list[Sentence]:
    """The project's 全年执行数 and 年初预算 (the latter is not the 执行数), right or wrong."""
    rng = writer.rng
    executed = project.funds.total.executed
    label = ("全年执行数", _amount(executed)) + ((f"「{project.name}」",) if multi else ())
    out = [Sentence(f"项目年初预算{_amount(project.funds.total.initial)}万元。", "funds_budget")]
    if rng.random() < 0.5:
        out.append(Sentence(f"项目资金全年执行{_amount(executed)}万元。", "funds"))
    else:
        out.append(Sentence(f"项目资金全年执行{_amount(_off(rng, executed))}万元。", "funds_wrong", label))
    return out


def _department_sentences(rng: random.Random, department: Department) -> list[Sentence]:
    """Department-wide figures: 决算总支出, “三公”经费 and 政府采购, right or wrong."""
    out = []
    figures = (
        ("决算总支出", "全年决算总支出{}万元。", department.budget.final_expenditure),
        ("“三公”经费决算数", "“三公”经费决算支出{}万元。", department.three_public.final_total),
        ("政府采购支出", "政府采购支出{}万元。", department.procurement.total),
    )
    out.append(Sentence(f"“三公”经费年初预算{_amount(department.three_public.budget_total)}万元。", "dept_budget"))
    for label, pattern, value in figures:
        if rng.random() < 0.5:
            out.append(Sentence(pattern.format(_amount(value)), "dept"))
        else:
            out.append(Sentence(pattern.format(_amount(_off(rng, value))), "dept_wrong", (label, _amount(value))))
    return out


# --- a hand-written newcomer's bureau -------------------------------------------------------

def _row(level2: str, name: str, target: str, actual: object) -> Indicator:
    level1 = "满意度指标" if "满意" in level2 else "效益指标" if "效益" in level2 else "产出指标"
    return Indicator(level1, level2, name, target, actual, Decimal(5))


def newcomer_case() -> Case:
    """A 2023 county education bureau written the way its accountant writes (two projects,
    department figures), labelled by hand: two sentences contradict the table."""
    aid = Project("学生资助项目", "某县教育局", "某县教育局",
                  Funds(FundsLine("年度资金总额", Decimal("2350"), Decimal("2350"), Decimal("2298.50"))), indicators=(
        _row("数量指标", "学前教育资助人数", "≥1200人", "1350人"),
        _row("数量指标", "义务教育寄宿生生活补助人数", "≥3000人", "3216人"),
        _row("数量指标", "普通高中国家助学金资助人数", "≥1500人", "1622人"),
        _row("数量指标", "生源地信用助学贷款人数", "≥2000人", "2315人"),
        _row("质量指标", "资助对象认定准确率", "100%", Entry(Decimal(1), "100.00%", "0.00%")),
        _row("时效指标", "资助资金发放及时率", "100%", "100%"),
        _row("社会效益指标", "因贫辍学学生数", "0人", "0人"),
        _row("服务对象满意度指标", "受助学生满意度", "≥95%", Entry(Decimal("0.973"), "97.30%", "0.00%")),
    ))
    schools = Project("义务教育薄弱环节改善与能力提升项目", "某县教育局", "某县教育局",
                      Funds(FundsLine("年度资金总额", Decimal("3600"), Decimal("3600"), Decimal("3402.60"))), indicators=(
        _row("数量指标", "校舍改扩建面积", "≥12000平方米", "12850平方米"),
        _row("数量指标", "购置教学设备套数", "≥300套", "326套"),
        _row("数量指标", "新建学校食堂数量", "≥5所", "5所"),
        _row("质量指标", "工程验收合格率", "100%", "100%"),
        _row("时效指标", "项目完成时间", "2023年12月31日前", "2023年12月20日"),
        _row("社会效益指标", "新增学位数", "≥1800个", "1950个"),
        _row("服务对象满意度指标", "师生满意度", "≥90%", "95%"),
    ))
    department = Department("某县教育局", 2023, budget=Budget(final_expenditure=Decimal("45678.23")),
                            three_public=ThreePublicCosts(budget_total=Decimal("51"), final_total=Decimal("38.60")),
                            procurement=Procurement(total=Decimal("2345.67")), projects=(aid, schools))
    ok = lambda text: Sentence(text, "newcomer")  # noqa: E731
    paragraphs = (
        ("performance", (
            ok("2023年，我局认真落实各项教育惠民政策。"),
            ok("全年共资助学前教育幼儿1350人，发放资助资金135万元；"),
            ok("为3216名义务教育寄宿生发放生活补助；"),
            ok("资助普通高中家庭经济困难学生1622人次，办理生源地信用助学贷款2315人，贷款金额1.6亿元。"),
            ok("全县共有中小学校128所，在校学生8.6万人，专任教师5320人。"),
            ok("受助学生满意度达97.3%，未发生因贫辍学现象。"),
        )),
        ("performance", (
            ok("学生资助项目中，资助对象认定准确率100%，资金发放及时率100%。"),
            ok("全县学前三年毛入园率达到92.5%，义务教育巩固率99.2%，高中阶段毛入学率95.1%。"),
        )),
        ("key_work", (
            ok("义务教育薄弱环节改善与能力提升项目："),
            Sentence("完成校舍改扩建12580平方米，购置教学设备326套，新建学校食堂5所，新增学位1950个，"
                     "项目于2023年12月20日全部完工，工程验收合格率100%。", "newcomer",
                     ("「校舍改扩建面积」", "12850平方米")),
            ok("师生满意度达到95%以上。"),
            ok("全年组织教师培训3200人次，其中国培计划培训420人次。"),
        )),
        ("project_summary", (
            ok("学生资助项目全年预算2350万元，执行2298.5万元，执行率97.8%。"),
        )),
        ("project_summary", (
            ok("义务教育薄弱环节改善与能力提升项目资金到位3600万元，"),
            Sentence("实际支出3420万元，资金执行率94.5%。", "newcomer", ("全年执行数", "3402.6")),
        )),
        ("project_summary", (
            ok("部门全年决算总支出45678.23万元，其中“三公”经费支出38.6万元，政府采购2345.67万元。"),
            ok("“三公”经费决算38.60万元，较年初预算减少12.4万元。"),
        )),
    )
    return Case("newcomer", department, paragraphs)


def corpus() -> list[Case]:
    return seed_cases() + [newcomer_case()] + generated_cases()
