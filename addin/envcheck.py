"""What the add-in needs from the Python that Excel starts, how each lack shows, how it is fixed.

One list of checks serves three places, so they cannot disagree:

* the VBA pre-flight and 环境自检 (module ``ZipingSupport``) run each probe's statement with
  the configured interpreter — ``"<python>" -c "<statement>"``, window hidden, exit code
  only — because xlwings' own ``RunPython`` shows English text and never raises;
* ``ziping doctor`` runs the same statements from a terminal and also reads what they print;
* the texts (labels, problems and the commands that fix them) go into the very-hidden
  提示文字 sheet that VBA reads (:mod:`addin.template.ui_texts`), and ``ziping doctor`` prints them.

The checks, in dependency order (the first failure is the cause, later ones follow from it):
the configured interpreter exists, Python starts, pywin32 imports, xlwings of the pinned
version imports, xlwings' DLL is where its VBA loads it from, and our package imports — last.

Stdlib only: ``ziping doctor`` must run when xlwings or pywin32 is the thing that is broken.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# xlwings' XLPyCommand/ExecuteWindows look these two exact names up on PATH; anything else
# in Interpreter_Win is a file path and must exist.
BARE_NAMES = ("python", "pythonw")
DEFAULT_INTERPRETER = "pythonw"  # XLPyCommand's default when Interpreter_Win is blank
# What cmd.exe answers for a program it cannot find; the VBA uses it for "could not start".
NOT_STARTED = 9009
SKIPPED = "-"
PROBE_TIMEOUT = 120  # seconds; importing xlwings (pandas) on a cold, scanned disk is slow


@dataclass(frozen=True)
class Probe:
    """One check: ``imports`` (then ``condition``, which exits non-zero on failure) run as
    ``python -c``; a probe without imports is checked without a process."""

    key: str
    label: str
    imports: str = ""
    condition: str = ""
    shows: str = ""  # expression ``ziping doctor`` prints between the two (a version)
    windows_only: bool = False

    @property
    def statement(self) -> str | None:
        """What the VBA runs (exit code only)."""
        return "; ".join(part for part in (self.imports, self.condition) if part) or None

    @property
    def doctor_statement(self) -> str:
        """What ``ziping doctor`` runs: the same, printing ``shows`` before the condition."""
        shown = f"print({self.shows})" if self.shows else ""
        return "; ".join(part for part in (self.imports, shown, self.condition) if part)


def probes(xlwings_version: str) -> tuple[Probe, ...]:
    """The checks in order. The xlwings probe fails for another version too: the VBA module
    loads ``xlwings64-<version>.dll`` by name, so a different xlwings is as good as none."""
    return (
        Probe("interpreter", "Python 路径（Interpreter_Win）"),
        Probe("python", "Python", "import sys", shows="sys.version.split()[0]"),
        Probe("pywin32", "pywin32", "import pywintypes, win32api, win32com.client", windows_only=True),
        Probe("xlwings", "xlwings", "import sys, xlwings",
              f"sys.exit(xlwings.__version__ != '{xlwings_version}')", shows="xlwings.__version__"),
        Probe("dll", "xlwings DLL", windows_only=True),
        Probe("package", "绩效自评助手", "import addin.ribbon_actions, udfs.excel", shows="addin.__version__"),
    )


def preflight_statement(xlwings_version: str) -> str:
    """The single process the pre-flight starts before the first button of a session: xlwings
    (of the version the VBA loads) and the module the buttons call. Any failure, and the
    separate probes above tell which part is missing."""
    return f"import sys, xlwings, addin.ribbon_actions; sys.exit(xlwings.__version__ != '{xlwings_version}')"


# Text keys of the checks that stop all later ones: without an interpreter or a Python
# that starts, nothing else can run.
BLOCKING = ("interpreter", "python")


def is_bare(interpreter: str) -> bool:
    return interpreter in BARE_NAMES


def console_python(interpreter: str) -> str:
    """pythonw.exe has no console, so pip run with it shows nothing: name python.exe beside it
    (same rule as the VBA ``ConsolePython``)."""
    if interpreter == "pythonw":
        return "python"
    if interpreter.lower().endswith("pythonw.exe"):
        return interpreter[:-5] + interpreter[-4:]
    return interpreter


def command_line(interpreter: str, statement: str) -> str:
    """The Windows command line the VBA runs (same rule as the VBA ``CommandLine``)."""
    return f'"{interpreter}" -c "{statement}"'


def command_argv(interpreter: str, statement: str) -> list[str]:
    """:func:`command_line` as an argument list (what Windows splits it into)."""
    return [interpreter, "-c", statement]


def excel_interpreter(executable: str | None = None, windows: bool | None = None) -> str:
    """The interpreter ``ziping new`` writes into Interpreter_Win: the one running ziping,
    as pythonw.exe on Windows (xlwings' UDF server would otherwise open a console window)."""
    executable = executable or sys.executable
    windows = sys.platform == "win32" if windows is None else windows
    if windows:
        path = Path(executable)
        if path.name.lower() == "python.exe" and path.with_name("pythonw.exe").is_file():
            return str(path.with_name("pythonw.exe"))
    return executable


def dll_names(xlwings_version: str) -> tuple[str, str]:
    """xlwings' VBA declares xlwings64-<v>.dll in 64-bit Office and xlwings32-<v>.dll in 32-bit."""
    return f"xlwings64-{xlwings_version}.dll", f"xlwings32-{xlwings_version}.dll"


def dll_folders(interpreter: str) -> tuple[Path, ...]:
    """Where xlwings' XLPyLoadDLL loads the DLL from: beside a configured python(w).exe, or one
    folder up (a virtualenv's Scripts). A bare name leaves it to Windows' search (PATH)."""
    if is_bare(interpreter):
        return ()
    folder = Path(interpreter).parent
    return folder, folder.parent


def pinned_xlwings_version() -> str:
    """XLWINGS_VERSION of the installed xlwings VBA module, read without importing xlwings."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or spec.origin is None:
        return ""
    bas = Path(spec.origin).with_name("xlwings.bas")
    try:
        found = re.search(r'XLWINGS_VERSION As String = "([^"]+)"', bas.read_text(encoding="cp1252"))
    except OSError:
        return ""
    return found.group(1) if found else ""


# --- texts ----------------------------------------------------------------------------------

FOOTER = ("检查整个环境：在命令提示符中执行\n\"{python}\" -m addin doctor\n"
          "处理完毕后，请关闭 Excel 再重新打开本工作簿。")


def problem_texts(xlwings_version: str, conf_cell: str) -> dict[str, str]:
    """{check key: what is wrong and the exact command that fixes it}.

    ``{interpreter}`` is the configured interpreter and ``{python}`` its console twin, both
    filled in at run time; ``conf_cell`` is the Interpreter_Win cell ("B1").
    """
    dll64, _ = dll_names(xlwings_version)
    python_cmd = "\"{python}\""
    return {
        "interpreter": (
            f"「xlwings.conf」工作表 {conf_cell} 单元格（Interpreter_Win）中的 Python 不存在：\n{{interpreter}}\n\n"
            "请在命令提示符中执行 where pythonw 查看本机 pythonw.exe 的完整路径，填入该单元格；"
            "或清空该单元格，使用 PATH 中的 pythonw。"),
        "python": (
            "无法启动 Python：{interpreter}\n\n"
            "请安装 64 位 Python 3.11 或更新版本（python.org 的安装程序，勾选“Add python.exe to PATH”），"
            "然后在命令提示符中执行：\npy -m pip install jixiao-ziping\n"
            f"再执行 where pythonw，把显示的完整路径填入「xlwings.conf」工作表 {conf_cell} 单元格。"),
        "pywin32": (
            "所用的 Python（{interpreter}）中 pywin32 无法导入，xlwings 在 Windows 上需要它。\n\n"
            f"请在命令提示符中执行：\n{python_cmd} -m pip install --force-reinstall pywin32"),
        "xlwings": (
            f"所用的 Python（{{interpreter}}）中没有 xlwings {xlwings_version}（未安装，或版本不同）。"
            f"工作簿的宏只能与 xlwings {xlwings_version} 配合。\n\n"
            f"请在命令提示符中执行：\n{python_cmd} -m pip install xlwings=={xlwings_version}"),
        "dll": (
            f"在 Python 所在的文件夹（及其上一级）中找不到 xlwings 的 {dll64}，"
            "通常是因为没有管理员权限，pip 把 xlwings 装到了用户目录。\n\n"
            "请以管理员身份打开命令提示符，执行：\n"
            f"{python_cmd} -m pip install --force-reinstall xlwings=={xlwings_version}"),
        "package": (
            "所用的 Python（{interpreter}）中没有安装绩效自评助手（addin、udfs 无法导入）。\n\n"
            f"请在命令提示符中执行：\n{python_cmd} -m pip install jixiao-ziping\n"
            f"（离线安装：进入源码文件夹执行 {python_cmd} -m pip install .）"),
        "imports_together": (
            "所用的 Python（{interpreter}）能分别导入 xlwings 和绩效自评助手，但一起导入时失败。"),
    }


def message_texts(xlwings_version: str, conf_cell: str) -> dict[str, str]:
    """Every text key the VBA reads besides the function help (see :mod:`addin.template.ui_texts`)."""
    texts = {
        "title": "绩效自评助手",
        "problem.footer": FOOTER,
        "report.header": "环境自检（Excel 使用的 Python：{interpreter}）",
        "report.line": "{label}：{status}",
        "status.ok": "通过",
        "status.failed": "未通过",
        "status.skipped": "未检查（前一项未通过）",
        "button.failed": ("绩效自评助手的 Python 部分没有正常结束，上一个英文窗口是 xlwings 给出的原始错误。\n\n"
                       "请先点击“环境自检”；仍不能解决时，在命令提示符中执行\n\"{python}\" -m addin doctor\n"
                       "并把显示的结果和英文窗口的截图发给技术支持。"),
        "server.failed": ("绩效自评助手无法连接 Python：\n{error}\n\n"
                       f"英文中提到 xlwings64-{xlwings_version}.dll 时，是 xlwings 装在了用户目录或另一个 Python 中。\n"
                       "请点击“环境自检”，或在命令提示符中执行\n\"{python}\" -m addin doctor"),
    }
    for probe in probes(xlwings_version):
        texts[f"label.{probe.key}"] = probe.label
    for key, text in problem_texts(xlwings_version, conf_cell).items():
        texts[f"problem.{key}"] = text
    return texts


def fill(text: str, interpreter: str) -> str:
    """The run-time placeholders, as the VBA ``Filled`` fills them."""
    return text.replace("{interpreter}", interpreter).replace("{python}", console_python(interpreter))


# --- running the checks (ziping doctor, 环境自检 in Python) --------------------------------

Runner = Callable[[Sequence[str]], tuple[int, str]]  # argv -> (exit code, stdout)


def run_process(argv: Sequence[str]) -> tuple[int, str]:
    """Run a probe; a program that cannot be started answers NOT_STARTED, as in the VBA.

    It runs in the temporary folder: ``python -c`` puts the current folder first on
    sys.path, and a terminal opened in a source checkout would find ``addin`` there even
    when it is not installed.
    """
    try:
        done = subprocess.run(list(argv), capture_output=True, text=True, timeout=PROBE_TIMEOUT,
                              encoding="utf-8", errors="replace", stdin=subprocess.DEVNULL,
                              cwd=tempfile.gettempdir())
    except (OSError, subprocess.SubprocessError):
        return NOT_STARTED, ""
    return done.returncode, done.stdout


@dataclass(frozen=True)
class CheckResult:
    key: str
    label: str
    code: str  # "0" passed, SKIPPED, else the failing exit code (as in the VBA codes string)
    detail: str = ""  # what it printed (a version) or where it looked

    @property
    def passed(self) -> bool:
        return self.code == "0"


def _found(interpreter: str, exists: Callable[[Path], bool]) -> bool:
    return is_bare(interpreter) or exists(Path(interpreter))


def _dll(interpreter: str, xlwings_version: str, exists: Callable[[Path], bool]) -> tuple[str, str]:
    folders = dll_folders(interpreter)
    if not folders:
        return "0", "由 Windows 在 PATH 中查找"
    for folder in folders:
        for name in dll_names(xlwings_version):
            if exists(folder / name):
                return "0", str(folder / name)
    return "1", "、".join(str(folder) for folder in folders)


def run_checks(interpreter: str, xlwings_version: str, runner: Runner = run_process,
               windows: bool | None = None,
               exists: Callable[[Path], bool] = Path.is_file) -> tuple[CheckResult, ...]:
    """Every check for ``interpreter``, in order; Windows-only checks are skipped elsewhere."""
    windows = sys.platform == "win32" if windows is None else windows
    results: list[CheckResult] = []
    blocked = False
    for probe in probes(xlwings_version):
        if blocked or (probe.windows_only and not windows):
            results.append(CheckResult(probe.key, probe.label, SKIPPED,
                                       "" if blocked else "仅 Windows 需要"))
            continue
        if probe.key == "interpreter":
            code, detail = ("0" if _found(interpreter, exists) else "1"), interpreter
        elif probe.key == "dll":
            code, detail = _dll(interpreter, xlwings_version, exists)
        else:
            exit_code, out = runner(command_argv(interpreter, probe.doctor_statement))
            code, detail = str(exit_code), (out.strip().splitlines() or [""])[-1]
        results.append(CheckResult(probe.key, probe.label, code, detail))
        blocked = blocked or (probe.key in BLOCKING and code != "0")
    return tuple(results)


def codes_text(results: Sequence[CheckResult]) -> str:
    """The comma-separated exit codes the VBA ``ProbeCodes`` builds."""
    return ",".join(result.code for result in results)


def first_failure(results: Sequence[CheckResult]) -> str:
    return next((result.key for result in results if result.code not in ("0", SKIPPED)), "")


STATUS = {"ok": "通过", "failed": "未通过", "skipped": "跳过"}


def report_lines(results: Sequence[CheckResult], interpreter: str, xlwings_version: str,
                 conf_cell: str, source: str = "") -> list[str]:
    """What ``ziping doctor`` prints (and the Python half of 环境自检 shows)."""
    lines = [f"Excel 使用的 Python：{interpreter}" + (f"（{source}）" if source else "")]
    for result in results:
        status = "ok" if result.passed else "skipped" if result.code == SKIPPED else "failed"
        detail = f"：{result.detail}" if result.detail else ""
        lines.append(f"[{STATUS[status]}] {result.label}{detail}")
    failure = first_failure(results)
    if failure:
        problems = problem_texts(xlwings_version, conf_cell)
        lines += ["", "需要处理：", fill(problems[failure], interpreter), "",
                  "结论：环境有问题，Excel 中的按钮和函数不能使用。"]
    else:
        lines.append("结论：环境正常，Excel 中的按钮和函数可以使用。")
    return lines


def in_process_runner(namespace: Mapping[str, object] | None = None) -> Runner:
    """A runner that executes the probe statement in this interpreter (环境自检's Python half,
    already running inside the interpreter Excel started)."""
    import contextlib
    import io

    def run(argv: Sequence[str]) -> tuple[int, str]:
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                exec(argv[-1], dict(namespace or {}))  # noqa: S102 - our own probe statements
        except SystemExit as stop:
            return (0 if stop.code in (None, 0, False) else 1), out.getvalue()
        except Exception:  # noqa: BLE001 - a failing import is the answer
            return 1, out.getvalue()
        return 0, out.getvalue()

    return run
