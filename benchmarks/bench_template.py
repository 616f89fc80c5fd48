"""Template build time: run by hand (``python benchmarks/bench_template.py``); goal < 5 s.

Times ``build_template`` for the empty template and for the 衡山 example (sheets, cached
UDF values, VBA project, packaging), best of a few runs, in this process.
"""

from __future__ import annotations

import time

from addin.demo import load_demo
from addin.template import build_template

REPEATS = 3


def best_seconds(func) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    demo = load_demo()
    print(f"empty template   {best_seconds(lambda: build_template(None)):.2f} s")
    print(f"衡山 example     {best_seconds(lambda: build_template(demo)):.2f} s")


if __name__ == "__main__":
    main()
