"""Look at a file before any spreadsheet parser does, and refuse what would hurt us.

Finance bureaus receive workbooks from hundreds of departments; one damaged, encrypted or
hostile file must give a Chinese sentence, not a traceback, a hang or an exhausted disk.
:func:`open_spreadsheet` reads the bytes once (the input is never written: parsers get an
in-memory copy), then checks, cheapest first:

* the kind of file: only a regular file is opened, without blocking (a FIFO named a.xlsx,
  a link to /dev/zero, a symbolic-link loop are refused at once);
* size: empty files and files over :attr:`Limits.max_file_bytes`;
* OLE2 containers: an ``EncryptedPackage`` stream is a password-protected .xlsx/.xlsm
  (Excel wraps the encrypted zip in OLE); a ``Workbook``/``Book`` stream is a legacy .xls;
* zip packages: corrupt archives, too many members, declared uncompressed size (total and
  per-member ratio — a "1 GB-claiming" member is refused before anything inflates it),
  missing workbook part;
* every member, in one streamed pass (:mod:`addin.reading.package_scan`), trusting no header: it is
  inflated with a bound (a member inflating beyond its claimed size is refused after one
  chunk), its CRC checked, an XML member scanned whole for a DTD (openpyxl refuses entity
  declarations only with an English exception, python-calamine makes no promise, and Office
  never writes one), and its cells measured: a sheet whose cells reach far (one value at A1
  and one at XFD1048576 fit in 5 KB) makes python-calamine allocate the whole rectangle
  (hundreds of GB, then the process aborts) and openpyxl iterate 17 billion cells, so such a
  part is refused — wherever it is stored and whatever its name, since the parsers find
  sheets through the package relationships.

Afterwards the parsers may still fail on what they alone understand;
:func:`addin.reading.grid.load_checked` turns that into the same damaged-file refusal.
"""

from __future__ import annotations

import gc
import io
import os
import stat
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from os import PathLike
from pathlib import Path

from ..errors import OutputError, UserError, os_reason
from .package_scan import Extent, PackageProblem, scan_member

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK"
MB = 1024 * 1024
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # opening a FIFO must not wait for a writer

DAMAGED = "文件已损坏，不是有效的 Excel 文件"
ENCRYPTED = "文件已加密，请先在 Excel 中取消密码后再导入"


class FileKind(str, Enum):
    OOXML = "ooxml"  # .xlsx / .xlsm
    XLS = "xls"  # legacy BIFF8


@dataclass(frozen=True)
class Limits:
    """Generous for real 自评表 (a few hundred KB), far below what hurts a laptop."""

    max_file_bytes: int = 50 * MB
    max_uncompressed_bytes: int = 300 * MB
    max_member_ratio: int = 200  # real sheet XML compresses 10–30×; bombs 1000× and more
    max_members: int = 2000
    # A sheet's area counts from A1 (calamine allocates it all). A real 自评表 has a few
    # hundred rows and under 30 columns; 100 000 × 200 cells is about 150 MB as Python
    # values, the most we let a single sheet cost.
    max_sheet_rows: int = 100_000
    max_sheet_cells: int = 100_000 * 200


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class SpreadsheetFile:
    """A file that passed the checks: its name (for messages), kind and bytes."""

    path: Path
    kind: FileKind
    data: bytes

    def stream(self) -> io.BytesIO:
        return io.BytesIO(self.data)


class UnsafeFile(UserError):
    """A file refused before parsing; exit code 3 so scripts can tell it from bad cells."""

    exit_code = 3


def open_spreadsheet(path: str | PathLike[str], limits: Limits = DEFAULT_LIMITS) -> SpreadsheetFile:
    """Read ``path`` and return it classified, or raise :class:`UnsafeFile` (Chinese message)."""
    path = Path(path)
    data = _read(path, limits)
    if data.startswith(OLE_MAGIC):
        return SpreadsheetFile(path, _ole_kind(path, data), data)
    if data.startswith(ZIP_MAGIC):
        _check_package(path, data, limits)
        return SpreadsheetFile(path, FileKind.OOXML, data)
    raise UnsafeFile(_named(path, DAMAGED))


def _named(path: Path, message: str) -> str:
    return f"“{path.name}”：{message}"


def _read(path: Path, limits: Limits) -> bytes:
    """The file's bytes. Only a regular file is opened, and never in a way that can block:
    a FIFO named a.xlsx would otherwise wait forever for a writer, /dev/zero never ends."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise UnsafeFile(_named(path, "是失效的符号链接（快捷方式），指向的文件不存在")) from None
        raise UnsafeFile(f"找不到文件“{path}”") from None
    except OSError as error:
        raise UnsafeFile(_named(path, f"无法读取文件（{os_reason(error)}）")) from None
    if stat.S_ISDIR(info.st_mode):
        raise UnsafeFile(_named(path, "是文件夹，不是 Excel 文件"))
    _refuse_special(path, info.st_mode)
    if info.st_size > limits.max_file_bytes:
        raise UnsafeFile(_named(path, f"文件过大（{info.st_size / MB:.1f} MB，上限 {limits.max_file_bytes // MB} MB），"
                                      "自评表一般不超过几 MB，请确认是否选错了文件"))
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as handle:
            _refuse_special(path, os.fstat(handle.fileno()).st_mode)  # swapped since the stat above
            data = handle.read(limits.max_file_bytes + 1)
    except UnsafeFile:
        raise
    except OSError as error:
        raise UnsafeFile(_named(path, f"无法读取文件（{os_reason(error)}）")) from None
    if not data:
        raise UnsafeFile(_named(path, "文件为空（0 字节），不是有效的 Excel 文件"))
    if len(data) > limits.max_file_bytes:  # grew while we read it
        raise UnsafeFile(_named(path, "文件过大，请确认是否选错了文件"))
    return data


SPECIAL_FILES = ((stat.S_ISFIFO, "命名管道（FIFO）"), (stat.S_ISCHR, "字符设备"), (stat.S_ISBLK, "块设备"),
                 (stat.S_ISSOCK, "套接字"), (stat.S_ISDIR, "文件夹"))


def special_kind(mode: int) -> str | None:
    """The Chinese name of a non-regular file type ("命名管道（FIFO）"), None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in SPECIAL_FILES if test(mode)), "特殊文件")


def _refuse_special(path: Path, mode: int) -> None:
    kind = special_kind(mode)
    if kind is not None:
        raise UnsafeFile(_named(path, f"是{kind}而不是普通文件，无法作为 Excel 文件读取"))


def refuse_special_output(path: str | PathLike[str]) -> None:
    """An output path must be a regular file or not exist yet: writing a summary onto a FIFO
    would block, and replacing a device node or folder is never what the user meant."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            raise UserError(f"输出文件“{path}”是失效的符号链接，请换一个文件名") from None
        return
    except OSError as error:
        raise UserError(f"无法使用输出文件“{path}”：{os_reason(error)}") from None
    kind = special_kind(mode)
    if kind is not None:
        raise UserError(f"输出文件“{path}”是{kind}，不是普通文件，请换一个文件名")


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _ole_kind(path: Path, data: bytes) -> FileKind:
    """Classify an OLE2 compound file by its directory entry names (UTF-16LE in the file).

    A full CFB parse is not needed to tell the three cases apart, and the stream names are
    fixed by [MS-OFFCRYPTO] and [MS-XLS]; a damaged .xls still fails later in xlrd/calamine
    with the damaged-file message.
    """
    if _utf16("EncryptedPackage") in data or _utf16("EncryptionInfo") in data:
        raise UnsafeFile(_named(path, ENCRYPTED))
    if _utf16("Workbook") in data or _utf16("Book") in data:
        return FileKind.XLS
    raise UnsafeFile(_named(path, "是 Office 文件但不是 Excel 工作簿（可能是 Word 或其他文档），请选择 Excel 文件"))


def _check_package(path: Path, data: bytes, limits: Limits) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except Exception:  # noqa: BLE001 - zipfile raises many kinds on a broken central directory
        raise UnsafeFile(_named(path, DAMAGED)) from None
    with archive:
        if len(members) > limits.max_members:
            raise UnsafeFile(_named(path, f"压缩包内文件过多（{len(members)}个），不是正常的 Excel 文件"))
        _check_sizes(path, members, limits)
        names = {member.filename for member in members}
        if "[Content_Types].xml" not in names or not any(n in names for n in ("xl/workbook.xml", "xl/workbook.bin")):
            if "word/document.xml" in names:
                raise UnsafeFile(_named(path, "是 Word 文档，不是 Excel 工作簿，请选择 Excel 文件"))
            raise UnsafeFile(_named(path, DAMAGED))
        if "xl/workbook.bin" in names:
            raise UnsafeFile(_named(path, "是 .xlsb 二进制工作簿，请在 Excel 中另存为 .xlsx 后再导入"))
        for member in members:
            extent = _scan(path, data, member)
            rows, columns = extent.rows, extent.columns
            if rows > limits.max_sheet_rows or rows * columns > limits.max_sheet_cells:
                where = _sheet_names(archive).get(member.filename)
                what = f"工作表「{where}」" if where is not None else f"文件内部“{member.filename}”"
                raise UnsafeFile(_named(path, f"{what}的数据区域过大（{_count(rows)} 行 × {_count(columns)} 列，上限 "
                                              f"{limits.max_sheet_rows} 行、{limits.max_sheet_cells // 10000} 万个单元格），"
                                              "可能含有远处的多余单元格或是恶意构造的文件，已拒绝打开"))


def _count(number: int) -> str:
    return str(number) if number < 10**9 else "极多"


def _scan(path: Path, data: bytes, member: zipfile.ZipInfo) -> Extent:
    """:func:`addin.reading.package_scan.scan_member` with its findings as Chinese refusals."""
    try:
        return scan_member(data, member)
    except PackageProblem as problem:
        inside = f"文件内部“{problem.member}”"
        if problem.kind == "dtd":
            message = f"{inside}含有 XML 实体/DTD 声明（Excel 不会生成这种内容，可能是恶意构造的文件），已拒绝打开"
        elif problem.kind == "bomb":
            message = f"{inside}解压后超过其声明的大小，可能是压缩炸弹，已拒绝打开"
        elif problem.kind == "encrypted":
            message = ENCRYPTED
        else:
            message = DAMAGED
        raise UnsafeFile(_named(path, message)) from None
    except Exception:  # noqa: BLE001 - any other failure to read a member: the file is damaged
        raise UnsafeFile(_named(path, DAMAGED)) from None


def _check_sizes(path: Path, members: list[zipfile.ZipInfo], limits: Limits) -> None:
    total = sum(member.file_size for member in members)
    if total > limits.max_uncompressed_bytes:
        raise UnsafeFile(_named(path, f"文件解压后声称有 {total / MB:.0f} MB（上限 {limits.max_uncompressed_bytes // MB} MB），"
                                      "可能是压缩炸弹或已损坏，已拒绝打开"))
    for member in members:
        if member.file_size > MB and member.file_size > limits.max_member_ratio * max(member.compress_size, 1):
            raise UnsafeFile(_named(path, f"文件内部“{member.filename}”的压缩比异常（{member.file_size // max(member.compress_size, 1)}倍），"
                                          "可能是压缩炸弹，已拒绝打开"))


NAMES_PART_LIMIT = 8 * MB  # the workbook part and its relationships are parsed whole, for sheet names


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """{"xl/worksheets/sheet1.xml": "自评表"} for messages, found through the relationships
    (:func:`addin.reading.cell_formats.sheet_parts`); empty when the workbook cannot say."""
    from .cell_formats import sheet_parts

    try:
        if any(info.file_size > NAMES_PART_LIMIT for info in archive.infolist() if info.filename.endswith((".rels", "workbook.xml"))):
            return {}
        return {part.path: part.name for part in sheet_parts(archive)}
    except Exception:  # noqa: BLE001 - names only improve the message
        return {}


def write_atomically_with(path: str | PathLike[str], write: Callable[[Path], None], mode: int | None = None,
                          replace: Callable[[str, str], None] | None = None) -> Path:
    """The one atomic write of the project: ``write(temp)`` beside ``path``, flush it to disk,
    then ``replace`` it onto ``path``.

    A crash, a full disk or a failing serialiser never leaves half a workbook where a
    finished one is expected (the user may have yesterday's report open or attached to an
    e-mail), and no temp file is left behind. The temp name ends in ``.tmp`` so a batch run
    over the folder never mistakes it for a workbook. ``mode`` defaults to the mode of the
    file being replaced, else an ordinary file's (mkstemp's 0600 would surprise users);
    ``replace`` (default: ``os.replace``, looked up at call time) exists for tests that
    simulate a failing rename. An OSError (full disk, read-only folder, locked file) becomes
    :class:`addin.errors.OutputError`, naming ``path`` — not the hidden temp file — and the
    reason in Chinese.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # A short temp stem: the final name fits the file system, a longer temp name might not.
        fd, temp = tempfile.mkstemp(prefix=f".{path.stem[:40]}.", suffix=f"{path.suffix}.tmp", dir=path.parent)
        os.close(fd)
    except OSError as error:
        raise OutputError(path, error, _file_in_the_way(path.parent)) from None
    try:
        write(Path(temp))
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(temp, _file_mode(path) if mode is None else mode)
        (replace or os.replace)(temp, str(path))
    except OSError as error:
        failure = OutputError(path, error)
        _release_quietly(error)
        raise failure from None
    finally:
        Path(temp).unlink(missing_ok=True)
    return path


def _file_in_the_way(folder: Path) -> str:
    """"“out”是文件而不是文件夹" when a file sits where the output folder should be, else ""."""
    for part in (folder, *folder.parents):
        if part.exists():
            return "" if part.is_dir() else f"“{part}”是文件而不是文件夹"
    return ""


def _release_quietly(error: BaseException) -> None:
    """Drop the traceback of a failed write now, with unraisable errors silenced.

    The traceback keeps the serialiser's half-written ZipFile alive; when it goes, the
    ZipFile's ``__del__`` tries to finish the archive on the same full disk and Python prints
    "Exception ignored in: <function ZipFile.__del__>" with a traceback. The write already
    failed and is reported in Chinese; that second failure says nothing more.
    """
    saved = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        error.__traceback__ = None
        error.__context__ = None
        gc.collect()
    finally:
        sys.unraisablehook = saved


def _file_mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomically(path: str | PathLike[str], data: bytes, mode: int | None = None,
                     replace: Callable[[str, str], None] | None = None) -> Path:
    """:func:`write_atomically_with` for bytes already in memory."""
    return write_atomically_with(path, lambda temp: temp.write_bytes(data), mode, replace)


def refuse_overwrite(source: str | PathLike[str], output: str | PathLike[str]) -> None:
    """Inputs are never modified: refuse an output path that is the input file (also through
    a symbolic or hard link, hence ``samefile`` rather than comparing names)."""
    source, output = Path(source), Path(output)
    if output.exists() and source.exists() and os.path.samefile(source, output):
        raise UserError(f"输出文件“{output.name}”不能与输入文件相同（本工具从不修改原文件），请换一个文件名")
