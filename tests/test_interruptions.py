"""Ctrl-C and SIGKILL: every command ends with one Chinese line, and nothing outlives it.

The processes a command starts (batch workers, the LibreOffice that makes PDFs) are found in
/proc; waiting for them to go is bounded by a generous deadline that only a hang reaches —
no assertion depends on the machine's speed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.hostile_files import seed

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")


def processes() -> list[tuple[int, int, int, str, str]]:
    """(pid, parent pid, process group, state, command line) of every live process."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z":  # a zombie has died already; only its parent's bookkeeping is left
            found.append((int(entry.name), int(fields[1]), int(fields[2]), fields[0], cmdline))
    return found


def wait_for(condition, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def inbox(tmp_path) -> Path:
    folder = tmp_path / "各部门"
    folder.mkdir()
    one = seed(tmp_path)
    for i in range(60):
        (folder / f"部门{i:02d}.xlsx").write_bytes(one)
    return folder


def start_batch(inbox: Path, output: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "addin", "batch", str(inbox), "-o", str(output), "-j", "2"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def workers_of(pid: int) -> set[int]:
    return {p for p, parent, *_ in processes() if parent == pid}


def test_ctrl_c_ends_a_batch_with_one_line_and_no_process_left(inbox, tmp_path):
    batch = start_batch(inbox, tmp_path / "汇总.xlsx")
    assert wait_for(lambda: len(workers_of(batch.pid)) == 2)
    os.killpg(batch.pid, signal.SIGINT)  # what the terminal does: the whole foreground group
    out, err = batch.communicate(timeout=120)
    text = err.decode()
    assert batch.returncode == 130, text[-2000:]
    assert text.strip().splitlines()[-1] == "已取消。" and "Traceback" not in text
    assert wait_for(lambda: not [p for p in processes() if p[2] == batch.pid])
    assert not (tmp_path / "汇总.xlsx").exists()


def test_killing_a_batch_kills_its_workers(inbox, tmp_path):
    batch = start_batch(inbox, tmp_path / "汇总.xlsx")
    assert wait_for(lambda: len(workers_of(batch.pid)) == 2)
    workers = workers_of(batch.pid)
    batch.kill()
    batch.wait(60)
    assert wait_for(lambda: not workers & {p[0] for p in processes()}), "batch workers outlived their parent"


STARTS_THEN_RUNS = ("import os, sys; os.write(int(sys.argv[1]), b'.'); sys.argv = ['ziping', *sys.argv[2:]]; "
                    "from addin.entry import main; sys.exit(main())")


@pytest.mark.parametrize("delay", [0.01, 0.03, 0.06, 0.1, 0.15, 0.25, 0.4])
def test_ctrl_c_anywhere_in_start_up_is_one_line(tmp_path, delay):
    """Ctrl-C while the command loads its modules and reads the file. (A Ctrl-C while the
    Python interpreter itself is still initialising, before any line of ours runs, is
    Python's to report.)"""
    path = tmp_path / "表.xlsx"
    path.write_bytes(seed(tmp_path))
    ready, signal_end = os.pipe()
    child = subprocess.Popen([sys.executable, "-c", STARTS_THEN_RUNS, str(signal_end), "score", str(path)], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, pass_fds=(signal_end,))
    os.close(signal_end)
    assert os.read(ready, 1) == b"."
    os.close(ready)
    time.sleep(delay)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=120)
    text = err.decode()
    assert "Traceback" not in text and "KeyboardInterrupt" not in text, text
    assert child.returncode in (0, 130), text  # 0: it had already finished
    if child.returncode == 130:
        assert text.strip().splitlines() == ["已取消。"]


INTERRUPTED_IMPORT = """
import sys
module, path = sys.argv[1:]
class Interrupt:
    def find_spec(self, name, path=None, target=None):
        if name == module:
            raise KeyboardInterrupt
sys.meta_path.insert(0, Interrupt())
sys.argv = ["ziping", "score", path]
from addin.entry import main
sys.exit(main())
"""


@pytest.mark.parametrize("module", ["addin.cli", "addin.commands.score", "addin.importer.evaluate", "openpyxl",
                                    "python_calamine"])
def test_ctrl_c_while_any_module_loads_is_one_line(tmp_path, module):
    path = tmp_path / "表.xlsx"
    path.write_bytes(seed(tmp_path))
    done = subprocess.run([sys.executable, "-c", INTERRUPTED_IMPORT, module, str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 130 and done.stderr == "已取消。\n", done.stderr


@pytest.mark.skipif(shutil.which("soffice") is None and shutil.which("libreoffice") is None,
                    reason="LibreOffice is not installed")
def test_killing_report_while_it_makes_pdfs_leaves_nothing_behind(tmp_path):
    out = tmp_path / "输出"
    report = subprocess.Popen([sys.executable, "-m", "addin", "demo", "-o", str(out)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    def converting() -> list[str]:
        return [cmd for *_, cmd in processes() if "--convert-to" in cmd and str(out) in cmd and "child_guard" not in cmd]

    assert wait_for(converting, 120), "LibreOffice never started"
    guard = next(cmd for *_, cmd in processes() if "child_guard" in cmd and str(out) in cmd)
    folders = [Path(part) for part in guard.split(" --cleanup ")[1:] for part in [part.split(" ")[0]]]
    assert any(folder.name.startswith(".ziping-pdf-") for folder in folders)
    report.kill()
    report.wait(60)
    assert wait_for(lambda: not converting() and not [c for *_, c in processes() if str(out) in c]), \
        "LibreOffice outlived the command"
    assert wait_for(lambda: not any(folder.exists() for folder in folders))
    assert not [p.name for p in out.iterdir() if p.name.startswith(".ziping-pdf-")]
