"""Scoring throughput: run by hand (``python benchmarks/bench_scoring.py``), figures go in README.

Measures indicators scored per second through the core (``score_indicator``) and through
PERF_TABLE's Python side (``udfs.cells.perf_table``, what one Excel call runs), and targets
parsed per second, on 10 000 rows. Two row mixes: "unique" (every target and actual text
differs) and "typical" (unique names, but target texts repeat as in real tables: ≥95%,
2022年底 …; actuals drawn from a few values).
"First calculation" starts with empty caches; "recalculation" is what Excel does after the
user edits one cell: PERF_TABLE runs again over the whole range.
"""

from __future__ import annotations

import random
import time
from decimal import Decimal

from udfs import cells
from udfs.model import Indicator
from udfs.scoring import score_indicator
from udfs.targets import parse_target

ROWS = 10_000
REPEATS = 5
SHAPES = [
    ("产出指标", "数量指标", "≥{n}批次", "{m}批次"), ("产出指标", "质量指标", "≥{p}%", "{q}%"),
    ("产出指标", "时效指标", "{y}年底", "100%"), ("产出指标", "成本指标", "{n}", "{m}"),
    ("效益指标", "经济效益指标", "≥{n}万", "{m}万"), ("效益指标", "社会效益指标", "效果明显", "效果明显"),
    ("满意度指标", "服务对象满意度指标", "≥{p}%", "{q}%"), ("产出指标", "成本指标", "≤{n}万元", "{m}"),
]


def table_rows(unique: bool, count: int = ROWS) -> list[list[object]]:
    rng = random.Random(2022)
    rows = []
    for i in range(count):
        level1, level2, target, actual = SHAPES[i % len(SHAPES)]
        if unique:
            n = rng.randint(10, 5000) + i
            values = dict(n=n, m=n + rng.randint(-n // 2, n // 2), p=rng.randint(80, 99), q=rng.randint(70, 100), y=2000 + i % 30)
        else:
            values = dict(n=100, m=90 + i % 20, p=95, q=90 + i % 10, y=2022)
        rows.append([level1, level2, f"指标{i}", target.format(**values), actual.format(**values), 5, None, None])
    return rows


def edit_one(rows: list[list[object]]) -> list[list[object]]:
    """The table after the user retypes one actual value: Excel recalculates all rows."""
    edited = [list(row) for row in rows]
    edited[len(rows) // 2][4] = f"{random.randint(1, 10**9)}"
    return edited


def best_rate(func, items: int, cold: bool) -> float:
    """Items per second of the fastest of REPEATS runs; ``cold`` empties the caches first."""
    times = []
    cells.perf_table(table_rows(False, 10))
    for _ in range(REPEATS):
        if cold:
            cells.clear_caches()
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return items / min(times)


def main() -> None:
    for mix in ("unique", "typical"):
        rows = table_rows(mix == "unique")
        indicators = [Indicator(r[0], r[1], r[2], r[3], r[4], Decimal(r[5])) for r in rows]
        core = best_rate(lambda: [score_indicator(ind) for ind in indicators], len(rows), cold=False)
        cold = best_rate(lambda: cells.perf_table(rows), len(rows), cold=True)
        warm = best_rate(lambda: cells.perf_table(edit_one(rows)), len(rows), cold=False)
        parse = best_rate(lambda: [parse_target(r[3], r[1], r[2]) for r in rows], len(rows), cold=True)
        print(f"{mix:8s} rows={len(rows)}  core {core:9,.0f}/s  PERF_TABLE first calculation {cold:9,.0f}/s  "
              f"recalculation after one edit {warm:10,.0f}/s  parse {parse:9,.0f} targets/s")


if __name__ == "__main__":
    main()
