"""The pre-flight and 环境自检 explain, in Chinese, each way the Python Excel starts can fail.

Fake interpreters fail one way each: a missing file, a file that cannot run, a bare
``pythonw`` that is not on PATH, no pywin32, no xlwings, another xlwings, no xlwings DLL,
no package of ours. They are real Python underneath, with stub modules first on PYTHONPATH
(a Linux Python has no pywin32: every fake but one gets empty pywin32 stubs).

What runs where:

* the commands are the ones the VBA builds — LibreOffice runs our ``ZipingSupport`` module
  and its ``CommandLine``/``ProbeStatement`` must give exactly :func:`envcheck.command_line`,
  which this test then runs against each fake to get the exit codes;
* the verdict and the Chinese message come from the VBA too (``FirstFailure``,
  ``ProblemMessage``, ``SelfCheckReport``), reading the texts from the very-hidden sheet;
* ``ziping doctor`` runs the same checks itself against the same fakes.

Not covered on Linux (no Excel): ``RunProbe`` — one line, ``WScript.Shell.Run(line, 0, True)``
— and the few lines of ``ProbeCodes``/``PreflightProblem`` that call it and xlwings'
``GetConfig``/``FileExists``; this test mirrors them in :func:`vba_probe_codes`.
"""

from __future__ import annotations

import io
import os
import shlex
import stat
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

from addin import envcheck
from addin import layout as L
from addin.cli import main
from addin.ribbon import custom_ui_xml
from addin.template.cached import add_cached_values
from addin.template.contents import empty_contents
from addin.template.evaluate import cached_values
from addin.template.vba import vba_modules, xlwings_vba_version
from addin.template.workbook import table_row_counts, write_workbook
from addin.template.ui_texts import ui_texts
from addin.vba import build_vba_project
from addin.template.xlsm import package_xlsm
from lo import requires_libreoffice, run_uno_probe_many

VERSION = xlwings_vba_version()
CHECKS = envcheck.probes(VERSION)
UNICODE_KEY = "test.unicode"
# Beyond the BMP (U+2000B, the old ChrW decoder's error 5), CJK, quotes, a line break, an emoji.
UNICODE_TEXT = "𠀋 绩效自评「“引号”」 '单' \"双\" 100％\n第二行 ≥95% — €😀"

# fake name -> (stub modules, whether the DLL sits beside it, expected first failure)
PYWIN32 = ("pywintypes", "win32api", "win32com", "win32com.client")
FAKES = {
    "ok": (PYWIN32, True, ""),
    "no_pywin32": ((), True, "pywin32"),
    "no_xlwings": (PYWIN32 + ("xlwings:missing",), True, "xlwings"),
    "old_xlwings": (PYWIN32 + ("xlwings:0.30.0",), True, "xlwings"),
    "no_dll": (PYWIN32, False, "dll"),
    "no_package": (PYWIN32 + ("addin:missing",), True, "package"),
}
MESSAGES = {  # what the user must read, per failure (the "three" are python, xlwings and package)
    "interpreter": "单元格（Interpreter_Win）中的 Python 不存在",
    "python": "无法启动 Python",
    "pywin32": "中 pywin32 无法导入",
    "xlwings": f"中没有 xlwings {VERSION}（未安装，或版本不同）",
    "dll": f"找不到 xlwings 的 xlwings64-{VERSION}.dll",
    "package": "中没有安装绩效自评助手",
}
FIXES = {
    "python": "py -m pip install jixiao-ziping",
    "pywin32": "-m pip install --force-reinstall pywin32",
    "xlwings": f"-m pip install xlwings=={VERSION}",
    "dll": f"-m pip install --force-reinstall xlwings=={VERSION}",
    "package": "-m pip install jixiao-ziping",
}


def _stub(root: Path, spec: str) -> None:
    name, _, behaviour = spec.partition(":")
    path = root.joinpath(*name.split("."))
    path.mkdir(parents=True, exist_ok=True)
    if behaviour == "missing":
        body = f"raise ImportError('No module named {name!r}')\n"
    elif behaviour:
        body = f"__version__ = {behaviour!r}\n"
    else:
        body = ""
    (path / "__init__.py").write_text(body, encoding="utf-8")


def make_fake(folder: Path, stubs: tuple[str, ...], dll: bool) -> str:
    """A 'python' that is this interpreter with ``stubs`` shadowing real modules."""
    folder.mkdir(parents=True)
    (folder / "stubs").mkdir()
    for spec in stubs:
        _stub(folder / "stubs", spec)
    fake = folder / "python"
    fake.write_text(f'#!/bin/sh\nPYTHONPATH="{folder / "stubs"}" exec "{sys.executable}" "$@"\n', encoding="utf-8")
    fake.chmod(0o755)
    if dll:
        (folder / envcheck.dll_names(VERSION)[0]).write_bytes(b"")
    return str(fake)


@pytest.fixture(scope="module")
def fakes(tmp_path_factory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("fakes")
    made = {name: make_fake(root / name, stubs, dll) for name, (stubs, dll, _) in FAKES.items()}
    made["missing"] = str(root / "missing" / "python")
    broken = root / "not_runnable" / "python"
    broken.parent.mkdir()
    broken.write_text("not a program", encoding="utf-8")
    broken.chmod(stat.S_IRUSR | stat.S_IWUSR)
    made["not_runnable"] = str(broken)
    made["bare"] = "pythonw"  # a bare name xlwings looks up on PATH; there is none here
    return made


EXPECTED = {**{name: failure for name, (_, _, failure) in FAKES.items()},
            "missing": "interpreter", "not_runnable": "python", "bare": "python"}


def run_line(line: str) -> int:
    """Run a Windows-style command line (as WScript.Shell.Run would) on this machine."""
    try:  # not in the repository: ``-c`` puts the current folder first on sys.path
        return subprocess.run(shlex.split(line), capture_output=True, timeout=120,
                              cwd=tempfile.gettempdir()).returncode
    except OSError:
        return envcheck.NOT_STARTED


def vba_probe_codes(interpreter: str) -> str:
    """``ZipingSupport.ProbeCodes``, line by line, with the command lines it builds."""
    codes, blocked = [], False
    for probe in CHECKS:
        if blocked:
            code = "-"
        elif probe.key == "interpreter":
            code = "0" if envcheck.is_bare(interpreter) or Path(interpreter).is_file() else "1"
        elif probe.key == "dll":
            folders = envcheck.dll_folders(interpreter)
            found = not folders or any((f / n).is_file() for f in folders for n in envcheck.dll_names(VERSION))
            code = "0" if found else "1"
        else:
            code = str(run_line(envcheck.command_line(interpreter, probe.statement)))
        blocked = blocked or (probe.key in envcheck.BLOCKING and code != "0")
        codes.append(code)
    return ",".join(codes)


def test_fakes_fail_the_way_they_are_meant_to(fakes):
    """Sanity of the harness itself, before the VBA and doctor are judged on them."""
    assert run_line(envcheck.command_line(fakes["ok"], envcheck.preflight_statement(VERSION))) == 0
    for name in ("no_xlwings", "old_xlwings", "no_package"):
        assert run_line(envcheck.command_line(fakes[name], envcheck.preflight_statement(VERSION))) != 0
    assert run_line(envcheck.command_line(fakes["bare"], "import sys")) == envcheck.NOT_STARTED
    assert run_line(envcheck.command_line(fakes["not_runnable"], "import sys")) == envcheck.NOT_STARTED


# --- the VBA, run by LibreOffice --------------------------------------------------------

def support_workbook(path: Path) -> Path:
    """The template (texts sheet included, plus one row of hard characters) with our VBA
    modules but not xlwings.bas/Dictionary.cls, which LibreOffice cannot compile (see
    test_libreoffice_vba): with them, no procedure of the project would run there."""
    contents = empty_contents()
    contents["ui_texts"] = contents["ui_texts"] + [{"key": UNICODE_KEY, "text": UNICODE_TEXT}]
    counts = table_row_counts(contents)
    cached = cached_values(contents, counts)
    xlsx = add_cached_values(write_workbook(contents, "test", cached), cached)
    project = build_vba_project([m for m in vba_modules() if m.name not in ("xlwings", "Dictionary")])
    path.write_bytes(package_xlsm(xlsx, project, custom_ui_xml()))
    return path


@pytest.fixture(scope="module")
def vba(fakes, tmp_path_factory):
    """One LibreOffice session: every call below, in order, with the fakes' probe codes."""
    book = support_workbook(tmp_path_factory.mktemp("vba") / "support.xlsm")
    codes = {name: vba_probe_codes(interpreter) for name, interpreter in fakes.items()}
    texts = ui_texts(VERSION)
    calls: list[tuple[str, list[str]]] = []
    for name, interpreter in fakes.items():
        calls += [("ZipingSupport.FirstFailure", [codes[name]]),
                  ("ZipingSupport.ProblemMessage", [EXPECTED[name] or "python", interpreter]),
                  ("ZipingSupport.SelfCheckReport", [interpreter, codes[name]])]
        calls += [("ZipingSupport.CommandLine", [interpreter, probe.statement]) for probe in CHECKS if probe.statement]
        calls += [("ZipingSupport.ProbeStatement", [probe.key]) for probe in CHECKS]
    calls += [("ZipingSupport.UiText", [key]) for key in [*texts, UNICODE_KEY, "no.such.key"]]
    calls += [("ZipingSupport.ConsolePython", [value]) for value in CONSOLE]
    calls += [("ZipingSupport.RegisterFunctionHelp", []), ("ZipingRibbon.ZIPING_VBA_VERSION", [])]
    report = run_uno_probe_many([book], recalc=False, calls=calls)[str(book)]
    results = iter(report["calls"])
    answers: dict = {"codes": codes, "report": report}
    for name in fakes:
        answers[name] = {"first": next(results), "message": next(results), "self_check": next(results),
                         "lines": [next(results) for probe in CHECKS if probe.statement],
                         "statements": [next(results) for _ in CHECKS]}
    answers["texts"] = {key: next(results) for key in [*texts, UNICODE_KEY, "no.such.key"]}
    answers["console"] = {value: next(results) for value in CONSOLE}
    answers["register"], answers["version"] = next(results), next(results)
    return answers


CONSOLE = {"C:\\Python311\\pythonw.exe": "C:\\Python311\\python.exe", "D:\\Py\\PYTHONW.EXE": "D:\\Py\\PYTHON.EXE",
           "pythonw": "python", "python": "python", "C:\\venv\\Scripts\\python.exe": "C:\\venv\\Scripts\\python.exe"}


def _ok(call: dict):
    assert call["error"] == "", call["error"]
    return call["result"]


@requires_libreoffice
def test_vba_builds_the_command_lines_that_were_run(vba, fakes):
    for name, interpreter in fakes.items():
        assert [_ok(c) for c in vba[name]["lines"]] == [envcheck.command_line(interpreter, probe.statement)
                                                        for probe in CHECKS if probe.statement]
        assert [_ok(c) for c in vba[name]["statements"]] == [probe.statement or "" for probe in CHECKS]


@requires_libreoffice
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_vba_names_what_is_missing_and_the_command_that_fixes_it(vba, fakes, name):
    expected = EXPECTED[name]
    assert _ok(vba[name]["first"]) == expected, vba["codes"][name]
    if not expected:
        return
    interpreter = fakes[name]
    message = _ok(vba[name]["message"])
    assert MESSAGES[expected] in message
    assert FIXES.get(expected, "where pythonw") in message
    python = envcheck.console_python(interpreter)
    if expected in ("pywin32", "xlwings", "dll", "package"):
        assert f'"{python}" {FIXES[expected]}' in message  # the exact command, for that very Python
    assert message.endswith(envcheck.fill(envcheck.FOOTER, interpreter))
    assert message.startswith(envcheck.fill(envcheck.problem_texts(VERSION, "B1")[expected], interpreter))


@requires_libreoffice
def test_the_three_messages_users_get_most(vba, fakes):
    """No Python at all, no xlwings, and our package missing from that Python."""
    assert _ok(vba["bare"]["message"]).startswith("无法启动 Python：pythonw\n\n请安装 64 位 Python 3.11")
    assert _ok(vba["no_xlwings"]["message"]).startswith(
        f"所用的 Python（{fakes['no_xlwings']}）中没有 xlwings {VERSION}（未安装，或版本不同）")
    assert _ok(vba["no_package"]["message"]).startswith(
        f"所用的 Python（{fakes['no_package']}）中没有安装绩效自评助手（addin、udfs 无法导入）")


@requires_libreoffice
def test_self_check_reports_each_check_separately(vba, fakes):
    labels = [probe.label for probe in CHECKS]
    ok = _ok(vba["ok"]["self_check"]).split("\n")
    assert ok == [f"环境自检（Excel 使用的 Python：{fakes['ok']}）"] + [f"{label}：通过" for label in labels]
    package = _ok(vba["no_package"]["self_check"]).split("\n")
    assert package[1:7] == [f"{label}：通过" for label in labels[:-1]] + ["绩效自评助手：未通过"]
    assert MESSAGES["package"] in package[8]
    bare = _ok(vba["bare"]["self_check"]).split("\n")
    assert bare[1:7] == ["Python 路径（Interpreter_Win）：通过", "Python：未通过"] + [
        f"{label}：未检查（前一项未通过）" for label in labels[2:]]


@requires_libreoffice
def test_every_text_reads_back_exactly_from_the_hidden_sheet(vba):
    """Unicode in cells, no decoder: what VBA gets is what Python wrote, every character."""
    texts = ui_texts(VERSION)
    assert {key: _ok(call) for key, call in vba["texts"].items() if key in texts} == texts
    assert _ok(vba["texts"][UNICODE_KEY]) == UNICODE_TEXT
    assert _ok(vba["texts"]["no.such.key"]) == "no.such.key"


@requires_libreoffice
def test_console_python_is_the_twin_of_pythonw(vba):
    assert {value: _ok(call) for value, call in vba["console"].items()} == CONSOLE
    assert {value: envcheck.console_python(value) for value in CONSOLE} == CONSOLE


@requires_libreoffice
def test_registering_the_help_at_open_leaves_the_workbook_unchanged(vba):
    assert _ok(vba["register"]) is None
    assert _ok(vba["version"])
    assert vba["report"]["modified_on_load"] is False and vba["report"]["modified_after_calls"] is False


# --- ziping doctor ---------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_doctor_reports_each_failure_with_its_fix(fakes, name, monkeypatch, capsys):
    monkeypatch.setattr(sys, "platform", "win32")  # pywin32 and the DLL are checked on Windows only
    expected = EXPECTED[name]
    code = main(["doctor", "--python", fakes[name]])
    out = capsys.readouterr().out
    assert code == (1 if expected else 0)
    assert f"Excel 使用的 Python：{fakes[name]}（--python）" in out
    if expected:
        assert MESSAGES[expected] in out and FIXES.get(expected, "where pythonw") in out
        failed = [line for line in out.splitlines() if line.startswith("[未通过]")]
        label = next(probe.label for probe in CHECKS if probe.key == expected)
        assert failed[0].startswith(f"[未通过] {label}")
        assert out.rstrip().endswith("结论：环境有问题，Excel 中的按钮和函数不能使用。")
    else:
        assert "[未通过]" not in out and out.rstrip().endswith("结论：环境正常，Excel 中的按钮和函数可以使用。")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_doctor_and_the_vba_agree_on_every_check(fakes, name, monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    results = envcheck.run_checks(fakes[name], VERSION)
    assert envcheck.codes_text(results).split(",")[0] == vba_probe_codes(fakes[name]).split(",")[0]
    passed = lambda codes: [c == "0" for c in codes.split(",")]  # noqa: E731 - exit codes may differ (1 vs 2)
    assert passed(envcheck.codes_text(results)) == passed(vba_probe_codes(fakes[name]))
    assert envcheck.first_failure(results) == EXPECTED[name]


def test_doctor_prints_versions(fakes, monkeypatch, capsys):
    monkeypatch.setattr(sys, "platform", "win32")
    assert main(["doctor", "--python", fakes["ok"]]) == 0
    out = capsys.readouterr().out
    import addin
    import xlwings

    assert f"[通过] Python：{sys.version.split()[0]}" in out
    assert f"[通过] xlwings：{xlwings.__version__}" in out and f"[通过] 绩效自评助手：{addin.__version__}" in out
    assert f"[通过] xlwings DLL：{Path(fakes['ok']).parent / envcheck.dll_names(VERSION)[0]}" in out


def test_doctor_without_arguments_checks_the_python_ziping_new_writes(capsys):
    assert main(["doctor"]) == 0  # this Linux Python has everything; pywin32 and the DLL are Windows-only
    out = capsys.readouterr().out
    assert f"Excel 使用的 Python：{sys.executable}（ziping new 写入的 Python）" in out
    assert "[跳过] pywin32：仅 Windows 需要" in out


def test_doctor_reads_the_interpreter_and_xlwings_version_of_a_workbook(tmp_path, capsys):
    book = tmp_path / "填报.xlsm"
    assert main(["new", str(book)]) == 0
    capsys.readouterr()
    assert main(["doctor", str(book)]) == 0
    out = capsys.readouterr().out
    assert f"工作簿需要 xlwings {VERSION}" in out
    assert f"Excel 使用的 Python：{sys.executable}（填报.xlsm 的「xlwings.conf」工作表 B1）" in out


def test_doctor_on_the_committed_template_looks_for_pythonw_on_path(capsys, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    template = Path(__file__).resolve().parents[1] / "workbook_template.xlsm"
    assert main(["doctor", str(template)]) == 1
    out = capsys.readouterr().out
    assert "Interpreter_Win 为空，使用 PATH 中的 pythonw" in out and MESSAGES["python"] in out


def test_doctor_names_a_missing_workbook(tmp_path, capsys):
    assert main(["doctor", str(tmp_path / "无.xlsm")]) == 2
    assert "找不到工作簿" in capsys.readouterr().err


def test_doctor_runs_as_python_m_addin_doctor_as_the_messages_say():
    done = subprocess.run([sys.executable, "-m", "addin", "doctor", "--help"], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 0 and "检查 Excel 使用的 Python" in done.stdout


def test_in_process_checks_match_the_subprocess_ones():
    """环境自检's Python half runs the statements in-process; same answers as a fresh process."""
    here = envcheck.run_checks(sys.executable, VERSION, runner=envcheck.in_process_runner(), windows=False)
    fresh = envcheck.run_checks(sys.executable, VERSION, windows=False)
    assert [(r.key, r.code, r.detail) for r in here] == [(r.key, r.code, r.detail) for r in fresh]
    wrong = envcheck.run_checks(sys.executable, "0.30.0", runner=envcheck.in_process_runner(), windows=False)
    assert envcheck.first_failure(wrong) == "xlwings"
