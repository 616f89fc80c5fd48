"""Render workbooks/documents to PDF (and PDF pages to PNG) with LibreOffice.

Used by the command line tool to let users (and reviewers without Excel)
see the generated 自评表/自评报告 as printed. LibreOffice is optional: without
it :func:`to_pdf` returns None and the caller simply skips the preview.

Each conversion uses a private, throw-away LibreOffice profile: a user's open
LibreOffice window (or a crashed earlier run) would otherwise hold the profile
lock and make ``soffice --convert-to`` exit silently without output. LibreOffice runs
under :mod:`addin.child_guard`: however the command ends (Ctrl-C, a timeout, SIGKILL), no
LibreOffice process is left running and the temporary folders go with it.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..child_guard import run_guarded

CONVERT_TIMEOUT = 180  # seconds; a large workbook on a slow office PC
RASTER_TIMEOUT = 120


class RenderError(Exception):
    """Conversion failed; the message is shown to users as is."""


def find_soffice() -> str | None:
    """Path of the LibreOffice executable, or None when not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    default_windows = Path(r"C:\Program Files\LibreOffice\program\soffice.exe")
    return str(default_windows) if default_windows.exists() else None


def to_pdf(path: str | Path, outdir: str | Path, cleanup: tuple[Path, ...] = ()) -> Path | None:
    """Convert ``path`` (xlsx/xlsm/docx) to ``outdir/<stem>.pdf``.

    Returns None when LibreOffice is not installed; raises RenderError with a
    Chinese message when it is installed but the conversion fails. LibreOffice
    writes into a fresh folder inside ``outdir`` and the PDF is moved onto the
    target only when it exists: a PDF left from an earlier run is never reported
    as new, and a half-written one never replaces it. ``cleanup`` names more
    temporary folders (the caller's copy of the source) to remove should the command be
    killed during the conversion.
    """
    soffice = find_soffice()
    if soffice is None:
        return None
    source, outdir = Path(path).resolve(), Path(outdir).resolve()
    if not source.is_file():
        raise RenderError(f"找不到要转换的文件：{source}")
    outdir.mkdir(parents=True, exist_ok=True)
    target = outdir / f"{source.stem}.pdf"
    with tempfile.TemporaryDirectory(prefix=".ziping-pdf-", dir=outdir) as fresh:
        made = _convert(soffice, source, Path(fresh), cleanup)
        os.replace(made, target)
    return target


def _convert(soffice: str, source: Path, outdir: Path, cleanup: tuple[Path, ...] = ()) -> Path:
    """Run LibreOffice once into the empty ``outdir``; the PDF it made, or RenderError."""
    with tempfile.TemporaryDirectory(prefix="ziping-lo-profile-") as profile:
        cmd = [soffice, "--headless", "--invisible", "--norestore", "--nologo",
               f"-env:UserInstallation={Path(profile).as_uri()}",
               "--convert-to", "pdf", "--outdir", str(outdir), str(source)]
        try:
            done = run_guarded(cmd, (outdir, Path(profile), *cleanup), CONVERT_TIMEOUT,
                               env=_serif_cjk_env(Path(profile)))
        except subprocess.TimeoutExpired as exc:
            raise RenderError(f"转换 PDF 超时（超过 {CONVERT_TIMEOUT} 秒）：{source.name}。"
                              "请关闭其他 LibreOffice 窗口后重试。") from exc
    made = outdir / f"{source.stem}.pdf"
    if done.returncode != 0 or not made.is_file():
        detail = (done.stderr or done.stdout).strip()[-500:]
        raise RenderError(f"LibreOffice 未能将“{source.name}”转换为 PDF。{detail}")
    return made


# The 公文 faces our documents name, and the free serif CJK face that stands in for them
# (fonts-noto-cjk). Without the alias fontconfig picks a sans face for 宋体 and 仿宋.
CJK_SERIF_ALIASES = ("宋体", "SimSun", "仿宋", "FangSong", "仿宋_GB2312", "楷体", "KaiTi")
CJK_SERIF = "Noto Serif CJK SC"
SYSTEM_FONTCONFIG = Path("/etc/fonts/fonts.conf")


def _serif_cjk_env(folder: Path) -> dict[str, str]:
    """The environment for LibreOffice, with a private fontconfig file that adds the aliases
    on top of the system configuration (nothing outside ``folder`` is changed)."""
    env = dict(os.environ)
    if not SYSTEM_FONTCONFIG.is_file():  # not a fontconfig system (Windows): leave fonts alone
        return env
    aliases = "".join(f"<alias binding=\"same\"><family>{name}</family><prefer><family>{CJK_SERIF}</family>"
                      "</prefer></alias>" for name in CJK_SERIF_ALIASES)
    config = folder / "fonts.conf"
    config.write_text(f'<?xml version="1.0"?><fontconfig><include>{SYSTEM_FONTCONFIG}</include>{aliases}</fontconfig>',
                      encoding="utf-8")
    env["FONTCONFIG_FILE"] = str(config)
    return env


def pdf_to_png(pdf: str | Path, outdir: str | Path, dpi: int = 100) -> list[Path]:
    """Rasterise every page to ``outdir/<stem>-<n>.png`` with poppler's pdftoppm."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise RenderError("未安装 pdftoppm（poppler-utils），无法生成页面预览图片。")
    pdf, outdir = Path(pdf).resolve(), Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    prefix = outdir / pdf.stem
    for stale in _pages(outdir, pdf.stem):  # a longer earlier version of the PDF
        stale.unlink()
    try:
        subprocess.run([pdftoppm, "-png", "-r", str(dpi), str(pdf), str(prefix)],
                       check=True, capture_output=True, timeout=RASTER_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        raise RenderError(f"生成页面预览超时：{pdf.name}") from exc
    except subprocess.CalledProcessError as exc:
        raise RenderError(f"无法读取 PDF 文件“{pdf.name}”："
                          f"{exc.stderr.decode(errors='replace').strip()}") from exc
    return _pages(outdir, pdf.stem)


def _pages(outdir: Path, stem: str) -> list[Path]:
    """pdftoppm's ``<stem>-<n>.png`` files; n is zero-padded, so sort numerically."""
    pages = [p for p in outdir.glob(f"{glob.escape(stem)}-*.png")
             if p.stem[len(stem) + 1:].isdigit()]
    return sorted(pages, key=lambda p: int(p.stem[len(stem) + 1:]))
