"""Writing outputs: one atomic-write helper, and PDFs that are either new or an error."""

import os
import re
import stat
from pathlib import Path

import pytest

import addin.render_pdf as render_pdf
from addin.render_pdf import RenderError, to_pdf
from addin.safe_open import write_atomically, write_atomically_with

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
    """Temp-file-and-rename logic lives in addin/safe_open.py only; everything else calls it."""
    owners = [path.relative_to(ROOT).as_posix() for path in (ROOT / "addin").rglob("*.py")
              if re.search(r"\bmkstemp\(|\bos\.replace\(", path.read_text(encoding="utf-8"))
              and path.name != "render_pdf.py"]  # moves LibreOffice's finished PDF into place
    assert owners == ["addin/safe_open.py"]


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
