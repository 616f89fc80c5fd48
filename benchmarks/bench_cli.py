"""``ziping`` start-up time: run by hand (``python benchmarks/bench_cli.py [-n 10]``).

Each command runs as a user runs it, in a fresh interpreter (``python -m addin …``), so the time
includes interpreter start-up and every import. Goal: < 0.5 s for ``--help``, ``<command> --help``
and ``score-target`` (they need no spreadsheet library; ``tests/test_cli_startup.py`` guards
that). ``score <example workbook>`` must load the readers and is measured for comparison, as is
a bare ``python -c pass`` (the floor no command can go under).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "衡山县市场监督管理局_2022.xlsm"
GOAL_SECONDS = 0.5

CASES = (
    ("python -c pass (interpreter only)", ["-c", "pass"], None),
    ("ziping --help", ["-m", "addin", "--help"], GOAL_SECONDS),
    ("ziping score --help", ["-m", "addin", "score", "--help"], GOAL_SECONDS),
    ("ziping score-target \"≥95%\" \"97%\" 5", ["-m", "addin", "score-target", "≥95%", "97%", "5"], GOAL_SECONDS),
    (f"ziping score {EXAMPLE.name}", ["-m", "addin", "score", str(EXAMPLE)], None),
)


def wall_seconds(args: list[str], runs: int) -> list[float]:
    """Wall time of ``runs`` fresh interpreters after one unmeasured run (warms the file cache)."""
    command = [sys.executable, *args]
    subprocess.run(command, cwd=ROOT, capture_output=True, check=False)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):  # score exits 1 when a check is an error; anything else is broken
            raise SystemExit(f"{' '.join(args)} exited {done.returncode}: {done.stderr.decode()[-500:]}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", "--runs", type=int, default=10, help="measured runs per command")
    args = parser.parse_args()
    print(f"{'command':44} {'median':>8} {'min':>8}   goal")
    for label, command, goal in CASES:
        times = wall_seconds(command, args.runs)
        median, best = statistics.median(times), min(times)
        verdict = "" if goal is None else f"< {goal} s {'ok' if median < goal else 'MISSED'}"
        print(f"{label:44} {median:7.3f}s {best:7.3f}s   {verdict}")


if __name__ == "__main__":
    main()
