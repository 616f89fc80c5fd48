"""Writing outputs: one atomic-write helper, and PDFs that are either new or an error."""

import os
import re
import stat
from pathlib import Path

import pytest

import addin.report.pdf as render_pdf
from addin.report.pdf import RenderError, to_pdf
from addin.reading.safe_open import write_atomically, write_atomically_with

ROOT = Path(__file__).resolve().parents[1]


def fake_soffice(tmp_path: Path, body: str) -> str:
    script = tmp_path / "soffice"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    return str(script)


def test_pdf_not_written_is_an_error_not_the_stale_pdf(tmp_path, monkeypatch):
    """LibreOffice exits 0 without output when its profile is locked: never report yesterday's PDF."""
    source = tmp_path / "自评表.xlsx"
    source.write_bytes(b"x")
    stale = tmp_path / "out" / "自评表.pdf"
    stale.parent.mkdir()
    stale.write_bytes(b"%PDF stale")
    monkeypatch.setattr(render_pdf, "find_soffice", lambda: fake_soffice(tmp_path, "exit 0"))
    with pytest.raises(RenderError, match="未能将“自评表.xlsx”转换为 PDF"):
        to_pdf(source, stale.parent)
    assert stale.read_bytes() == b"%PDF stale"
    assert os.listdir(stale.parent) == ["自评表.pdf"]  # no temp folder left behind


def test_pdf_replaces_the_old_one_when_converted(tmp_path, monkeypatch):
    source = tmp_path / "自评表.xlsx"
    source.write_bytes(b"x")
    out = tmp_path / "out"
    out.mkdir()
    (out / "自评表.pdf").write_bytes(b"%PDF stale")
    # soffice ... --outdir DIR SOURCE: write DIR/<stem>.pdf like LibreOffice does
    body = 'for a; do [ "$last" = "--outdir" ] && dir="$a"; last="$a"; done; printf "%%PDF new" > "$dir/自评表.pdf"'
    monkeypatch.setattr(render_pdf, "find_soffice", lambda: fake_soffice(tmp_path, body))
    assert to_pdf(source, out) == (out / "自评表.pdf").resolve()
    assert (out / "自评表.pdf").read_bytes() == b"%PDF new"
    assert os.listdir(out) == ["自评表.pdf"]


def test_atomic_write_keeps_mode_and_leaves_no_temp(tmp_path):
    target = tmp_path / "汇总.xlsx"
    write_atomically(target, b"one")
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~current_umask()
    target.chmod(0o640)
    write_atomically(target, b"two")
    assert target.read_bytes() == b"two" and stat.S_IMODE(target.stat().st_mode) == 0o640
    with pytest.raises(RuntimeError):
        write_atomically_with(target, failing_writer)
    assert target.read_bytes() == b"two" and os.listdir(tmp_path) == ["汇总.xlsx"]


def failing_writer(temp: Path) -> None:
    temp.write_bytes(b"half")
    raise RuntimeError("serialiser failed")


def current_umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def test_one_atomic_write_helper():
    """Temp-file-and-rename logic lives in addin/reading/safe_open.py only; everything else calls it."""
    owners = [path.relative_to(ROOT).as_posix() for path in (ROOT / "addin").rglob("*.py")
              if re.search(r"\bmkstemp\(|\bos\.replace\(", path.read_text(encoding="utf-8"))
              and path.as_posix().endswith("report/pdf.py") is False]  # moves LibreOffice's finished PDF into place
    assert owners == ["addin/reading/safe_open.py"]


def test_a_report_locked_by_word_is_a_user_error(tmp_path, monkeypatch):
    """The ribbon shows UserErrors as messages; a locked .docx must be one."""
    from addin.errors import UserError
    from addin.report.files import write_atomically as write_report

    def locked(src, dst):
        raise PermissionError(13, "Permission denied", dst)

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(UserError, match="请先关闭已打开的该文件"):
        write_report(tmp_path / "自评报告.docx", lambda temp: temp.write_bytes(b"docx"))
    assert os.listdir(tmp_path) == []


# --- names a file system accepts, and write errors in the user's words ----------------------

from dataclasses import replace as _replace

from addin.cli import main as _main
from addin.demo import load_demo
from addin.report.files import MAX_STEM_BYTES, safe_file_stem
from addin.template import build_template


@pytest.mark.parametrize("name, stem", [
    ("~$衡山县市场监督管理局", "衡山县市场监督管理局"),  # "~$" is Excel's lock-file prefix, skipped by batch
    ("衡山县\u202excod.局", "衡山县xcod.局"),  # a right-to-left override could disguise the extension
    ("衡山\u200b县\x07局\n", "衡山县局"),
    ("a/b:c*d", "a_b_c_d"), ("..", "部门"), ("CON", "_CON"), ("-局", "局"),
])
def test_file_stems_keep_only_what_shows(name, stem):
    assert safe_file_stem(name) == stem


def test_a_long_department_name_is_shortened_stably():
    name = "衡山县市场监督管理局综合行政执法大队" * 5  # 90 characters, 270 bytes in UTF-8
    stem = safe_file_stem(name)
    assert len(stem.encode()) <= MAX_STEM_BYTES and stem.startswith("衡山县市场监督管理局")
    assert stem == safe_file_stem(name)  # the same name next year
    assert stem != safe_file_stem(name + "二")  # and a different one stays apart


def test_report_for_an_80_character_department_name(tmp_path, capsys):
    workbook = tmp_path / "填报.xlsm"
    workbook.write_bytes(build_template(_replace(load_demo(), name="衡山县市场监督管理局" * 8)))
    out = tmp_path / "输出"
    for _ in range(2):
        assert _main(["report", str(workbook), "-o", str(out), "--no-pdf"]) in (0, 1)
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 3 and all(len(n.encode()) < 255 for n in names), names  # 自评表, 自评报告, 部门整体自评表
    assert names[0].endswith("_2022_自评报告.docx") and names[1].endswith("_2022_自评表.xlsx")


def test_a_read_only_folder_names_the_output_not_the_temp_file(tmp_path, monkeypatch):
    import errno
    import tempfile

    from addin.errors import UserError

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(tmp_path / ".汇总.abc123.xlsx.tmp"))

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    with pytest.raises(UserError) as caught:
        write_atomically(tmp_path / "汇总.xlsx", b"x")
    assert str(caught.value) == f"无法写入“{tmp_path / '汇总.xlsx'}”：只读文件系统，不能写入"


DISK_FILLS_UP = """
import errno, io, builtins, sys
real_open = io.open
class Full:
    def __init__(self, handle):
        self.handle, self.written = handle, 0
    def write(self, data):
        self.written += len(data)
        if self.written > 3000:
            raise OSError(errno.ENOSPC, "No space left on device")
        return self.handle.write(data)
    def __getattr__(self, name):
        return getattr(self.handle, name)
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        self.handle.close()
def filling_open(file, mode="r", *args, **kwargs):
    handle = real_open(file, mode, *args, **kwargs)
    return Full(handle) if "w" in mode and str(file).endswith(".tmp") else handle
io.open = builtins.open = filling_open
from addin.entry import main
sys.argv = ["ziping", *sys.argv[1:]]
sys.exit(main())
"""


def test_a_full_disk_during_report_is_one_chinese_line(tmp_path):
    """The serialiser fails half-way; the half-written ZipFile's __del__ fails again on the
    same disk: the user reads one line naming the report, and no temp file is left."""
    import subprocess
    import sys

    workbook = tmp_path / "填报.xlsm"
    workbook.write_bytes(build_template(load_demo()))
    out = tmp_path / "输出"
    done = subprocess.run([sys.executable, "-c", DISK_FILLS_UP, "report", str(workbook), "-o", str(out), "--no-pdf"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("错误：")]
    assert errors == [f"错误：无法写入“{out / '衡山县市场监督管理局_2022_自评表.xlsx'}”：磁盘已满"]
    assert list(out.iterdir()) == []
