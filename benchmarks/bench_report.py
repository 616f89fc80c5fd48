"""自评表 + 自评报告 rendering time: run by hand (``python benchmarks/bench_report.py``).

Goals: < 1 s for the 衡山 seed, < 3 s for a synthetic department with 200 indicators
(the seed's 18 rows repeated with distinct names). Times the .xlsx (自评表 + 自评报告 sheet)
and .docx; the PDF is LibreOffice's time, measured separately with --pdf.
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from pathlib import Path

from addin.demo import load_demo
from addin.report import render_outputs

REPEATS = 3


def synthetic(indicators: int = 200):
    department = load_demo()
    project = department.projects[0]
    rows = [dataclasses.replace(row, level3=f"{row.level3}{i}")
            for i in range(indicators // len(project.indicators) + 1) for row in project.indicators][:indicators]
    return dataclasses.replace(department, projects=(dataclasses.replace(project, indicators=tuple(rows)),))


def best_seconds(department, pdf: bool) -> float:
    times = []
    for _ in range(REPEATS):
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            render_outputs(department, Path(folder), pdf=pdf)
            times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pdf", action="store_true", help="include the LibreOffice PDF conversion")
    args = parser.parse_args()
    print(f"衡山 seed (18 indicators)        {best_seconds(load_demo(), args.pdf):.2f} s")
    print(f"synthetic (200 indicators)      {best_seconds(synthetic(), args.pdf):.2f} s")


if __name__ == "__main__":
    main()
