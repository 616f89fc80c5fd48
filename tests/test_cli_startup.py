"""``ziping --help`` and ``ziping score-target`` start without the spreadsheet and document libraries.

Loading xlwings, pandas and openpyxl took about 3 s of a 3 s ``--help``. The command modules import
them inside the command that needs them; these tests guard that structure (which modules a fresh
interpreter has loaded), not the time — the time is measured in ``benchmarks/bench_cli.py``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from addin.cli import build_parser

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "衡山县市场监督管理局_2022.xlsm"

# Top-level packages that only reading, writing or building a workbook or document needs.
HEAVY = {"xlwings", "pandas", "numpy", "openpyxl", "docx", "lxml", "python_calamine", "xlrd"}

# Runs ``main(argv)`` in a fresh interpreter and reports the exit code, the output and which
# HEAVY packages were loaded by then.
PROBE = f"""
import contextlib, io, json, sys
from addin.cli import main
out, err = io.StringIO(), io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
    try:
        code = main(json.loads(sys.argv[1]))
    except SystemExit as exit:
        code = exit.code
loaded = sorted({{name.partition(".")[0] for name in sys.modules}} & set({sorted(HEAVY)!r}))
print(json.dumps({{"code": code, "out": out.getvalue(), "loaded": loaded}}))
"""


def probe(*argv: str) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(argv)], capture_output=True, text=True,
                          timeout=120, check=True)
    return json.loads(done.stdout)


def command_names() -> list[str]:
    return list(build_parser()._subparsers._group_actions[0].choices)


def test_program_help_loads_no_spreadsheet_library():
    for argv in (("--help",), ()):
        run = probe(*argv)
        assert run["code"] == 0 and run["out"].startswith("用法：ziping"), argv
        assert run["loaded"] == [], argv


def test_every_command_help_loads_no_spreadsheet_library():
    for name in command_names():
        run = probe(name, "--help")
        assert run["code"] == 0 and run["out"].startswith(f"用法：ziping {name}"), name
        assert run["loaded"] == [], (name, run["loaded"])


def test_score_target_scores_without_spreadsheet_libraries():
    run = probe("score-target", "≥95%", "97%", "5")
    assert run["code"] == 0 and "得分：5" in run["out"]
    assert run["loaded"] == []


def test_a_usage_error_loads_no_spreadsheet_library():
    run = probe("score", "--bogus")
    assert run["code"] == 2 and run["loaded"] == []


def test_the_probe_sees_libraries_a_command_does_load():
    """Scoring a workbook reads it, so the probe must report a reader: it is not blind."""
    run = probe("score", str(EXAMPLE))
    assert "总分" in run["out"]
    assert {"python_calamine", "openpyxl"} & set(run["loaded"]), run["loaded"]


def test_python_dash_m_entry_point_imports_no_spreadsheet_library():
    """The real entry (``python -m addin``), as ``-X importtime`` lists every module it imported."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "addin", "score-target", "≥95%", "97%", "5"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "得分：5" in done.stdout
    modules = re.findall(r"^import time:.*\|\s*(\S+)$", done.stderr, re.M)
    assert "addin.cli" in modules and "udfs.scoring" in modules  # the listing is complete enough to trust
    heavy = {name.partition(".")[0] for name in modules} & HEAVY
    assert heavy == set(), heavy
