"""What a ribbon click costs before it does any work: run by hand (``python benchmarks/bench_click.py [-n 5]``).

A button runs ``RunPython "import addin.ribbon_actions as r; r.on_action(…)"``. How xlwings runs
that string depends on xlwings.conf's ``Use UDF Server``:

* FALSE (before): every click starts ``python -B -c "import xlwings.utils;
  xlwings.utils.prepare_sys_path(…); <command>"`` through cmd.exe — a new interpreter that
  imports xlwings (and with it pandas) and our package every time;
* TRUE (now): the first click (or the first function calculated) starts the UDF server —
  one long-lived ``pythonw`` — and every click is ``XLPy.Exec(<command>)`` in it, where the
  modules are already imported.

There is no Excel here, so this times the same Python on Linux: the command each click
executes, (a) in a fresh interpreter per click, (b) as the first and (c) the second
``exec`` in one long-lived interpreter. The work after start-up is the part of 数据校验 that
needs no Excel (reading and checking the example workbook), so the numbers say how much of a
click was start-up. What Windows adds is not measured here (see README, 基准).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "衡山县市场监督管理局_2022.xlsm"
# xlwings' prefix (the PYTHONPATH argument is "<add workbook dir>;<fullnames>;...": FALSE, none)
# and the module import of the button command, then the handler's own lazy imports and work.
STARTUP = ("import xlwings.utils; xlwings.utils.prepare_sys_path('false;;;;;;'); "
           "import addin.ribbon_actions as r")
WORK = f"from addin.importer.evaluate import evaluate_file; evaluate_file({str(EXAMPLE)!r})"

# Runs in one interpreter: the click command twice, as the UDF server would run it.
SERVER = f"""
import json, sys, time
times = []
for _ in range(2):
    start = time.perf_counter()
    exec({STARTUP!r})
    started = time.perf_counter()
    exec({WORK!r})
    times.append((started - start, time.perf_counter() - started))
print(json.dumps(times))
"""


def fresh_click(runs: int) -> list[float]:
    """Wall time of a whole click, each in a new interpreter (Use UDF Server = FALSE)."""
    command = [sys.executable, "-B", "-c", f"{STARTUP}; {WORK}"]
    subprocess.run(command, cwd=tempfile.gettempdir(), capture_output=True, check=True)  # warm the file cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=tempfile.gettempdir(), capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return times


def server_clicks(runs: int) -> list[list[tuple[float, float]]]:
    """(start-up, work) of the first and the second click in one interpreter, per run."""
    results = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-B", "-c", SERVER], cwd=tempfile.gettempdir(),
                              capture_output=True, text=True, check=True)
        results.append(json.loads(done.stdout))
    return results


def interpreter_only(runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", "--runs", type=int, default=5)
    args = parser.parse_args()
    med = statistics.median
    fresh = fresh_click(args.runs)
    server = server_clicks(args.runs)
    ms = lambda seconds: f"{seconds * 1000:9.1f} ms"  # noqa: E731
    print(f"python -c pass (interpreter only)            {ms(med(interpreter_only(args.runs)))}")
    print(f"click in a fresh interpreter (start + work)   {ms(med(fresh))}   (Use UDF Server = FALSE: every click)")
    print(f"first click in the server: start-up           {ms(med(r[0][0] for r in server))}   work {ms(med(r[0][1] for r in server))}")
    print(f"second click in the server: start-up          {ms(med(r[1][0] for r in server))}   work {ms(med(r[1][1] for r in server))}")

if __name__ == "__main__":
    main()
