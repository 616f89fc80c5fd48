"""Batch throughput: run by hand (``python benchmarks/bench_batch.py [-n 1000]``).

Generates N department workbooks in a temp folder — our template filled with the 衡山 demo
under different department names and varied actuals (one template build per variant, then
copies, since building is not what is measured) plus every 10th file an official-layout
table — then measures:

1. reading only, per engine, on a sample: python-calamine vs openpyxl (read-only and full,
   the latter being what merged cells need), so the grid loader's choice stays justified;
2. the whole ``ziping batch`` command (a subprocess, as a user runs it), wall time and
   files per second, for 1 and for all cores.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from addin.demo import load_demo  # noqa: E402
from addin.reading.grid import load_grids  # noqa: E402
from addin.reading.safe_open import open_spreadsheet  # noqa: E402
from addin.template import build_template  # noqa: E402
from tests.official_tables import build_seed_table  # noqa: E402

VARIANTS = 8
OFFICIAL_EVERY = 10


def department_variant(index: int):
    """The demo department renamed, with its 群众满意度 actual moved so scores differ."""
    demo = load_demo()
    project = demo.projects[0]
    rows = list(project.indicators)
    rows[-1] = replace(rows[-1], actual=f"{80 + index * 2}%")
    return replace(demo, name=f"测试部门{index}", projects=(replace(project, indicators=tuple(rows)),))


def generate(folder: Path, count: int) -> list[Path]:
    workbooks = [build_template(department_variant(i)) for i in range(VARIANTS)]
    official = build_seed_table(folder / "_official.xlsx").read_bytes()
    (folder / "_official.xlsx").unlink()
    paths = []
    for i in range(count):
        is_official = i % OFFICIAL_EVERY == OFFICIAL_EVERY - 1
        path = folder / (f"部门{i:05d}_自评表.xlsx" if is_official else f"部门{i:05d}.xlsm")
        path.write_bytes(official if is_official else workbooks[i % VARIANTS])
        paths.append(path)
    return paths


def time_reading(paths: list[Path]) -> None:
    import openpyxl

    sample = [p for p in paths if p.suffix == ".xlsm"][:50]
    files = [open_spreadsheet(p) for p in sample]

    def openpyxl_read_only(file):
        book = openpyxl.load_workbook(file.stream(), read_only=True, data_only=True)
        [list(ws.iter_rows(values_only=True)) for ws in book.worksheets]
        book.close()

    for label, read in (("python-calamine", lambda f: load_grids(f, "calamine")),
                        ("openpyxl read-only", openpyxl_read_only),
                        ("openpyxl full (merged cells)", lambda f: load_grids(f, "openpyxl"))):
        start = time.perf_counter()
        for file in files:
            read(file)
        elapsed = time.perf_counter() - start
        print(f"  读取 {label:<30} {elapsed / len(files) * 1000:7.1f} ms/文件")
    same = all(load_grids(f, "calamine") == load_grids(f, "openpyxl") for f in files[:5])
    print(f"  calamine 与 openpyxl 读取结果{'一致' if same else '不一致（需检查）'}（前5个文件逐格比较）")


def time_batch(folder: Path, count: int, jobs: int) -> float:
    output = folder.parent / f"汇总_{jobs}.xlsx"
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "addin", "batch", str(folder), "-o", str(output), "-j", str(jobs),
                           "--quiet"], cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"batch failed: {done.stderr}")
    print(f"  ziping batch -j {jobs}: {elapsed:7.1f} s，{count / elapsed:6.1f} 文件/秒  ({done.stdout.splitlines()[0]})")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=1000)
    parser.add_argument("--jobs", type=int, nargs="*", default=None, help="进程数列表（默认：1 和 CPU 核数）")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "inbox"
        folder.mkdir()
        start = time.perf_counter()
        paths = generate(folder, args.count)
        print(f"生成 {args.count} 个文件：{time.perf_counter() - start:.1f} s（CPU 核数 {os.cpu_count()}）")
        time_reading(paths)
        for jobs in args.jobs or sorted({1, os.cpu_count() or 1}):
            time_batch(folder, args.count, jobs)


if __name__ == "__main__":
    main()
