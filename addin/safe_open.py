"""Look at a file before any spreadsheet parser does, and refuse what would hurt us.

Finance bureaus receive workbooks from hundreds of departments; one damaged, encrypted or
hostile file must give a Chinese sentence, not a traceback, a hang or an exhausted disk.
:func:`open_spreadsheet` reads the bytes once (the input is never written: parsers get an
in-memory copy), then checks, cheapest first:

* size: empty files and files over :attr:`Limits.max_file_bytes`;
* OLE2 containers: an ``EncryptedPackage`` stream is a password-protected .xlsx/.xlsm
  (Excel wraps the encrypted zip in OLE); a ``Workbook``/``Book`` stream is a legacy .xls;
* zip packages: corrupt archives, too many members, declared uncompressed size (total and
  per-member ratio — a "1 GB-claiming" member is refused before anything inflates it; the
  stdlib never inflates more than the declared size), missing workbook part;
* XML parts: any DTD. openpyxl already refuses entity declarations in sheet XML (it uses
  defusedxml's iterparse when defusedxml is installed, and lxml with
  ``resolve_entities=False`` elsewhere), but it does so with an English exception and
  python-calamine makes no such promise; Office never writes a DTD, so we refuse one with a
  Chinese message whatever parser follows.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from dataclasses import dataclass
from enum import Enum
from os import PathLike
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from xml.etree.ElementTree import ParseError

from .errors import UserError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK"
MB = 1024 * 1024
XML_PROLOG_BYTES = 64 * 1024  # a DTD can only sit in the prolog, before the root element

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
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise UnsafeFile(_named(path, f"文件过大（{size / MB:.1f} MB，上限 {limits.max_file_bytes // MB} MB），"
                                          "自评表一般不超过几 MB，请确认是否选错了文件"))
        with path.open("rb") as handle:
            data = handle.read(limits.max_file_bytes + 1)
    except FileNotFoundError:
        raise UnsafeFile(f"找不到文件“{path}”") from None
    except IsADirectoryError:
        raise UnsafeFile(f"“{path}”是文件夹，不是 Excel 文件") from None
    except OSError as error:
        raise UnsafeFile(_named(path, f"无法读取文件（{error.strerror or error}）")) from None
    if not data:
        raise UnsafeFile(_named(path, "文件为空（0 字节），不是有效的 Excel 文件"))
    if len(data) > limits.max_file_bytes:  # grew while we read it
        raise UnsafeFile(_named(path, "文件过大，请确认是否选错了文件"))
    return data


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
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
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
            if member.filename.endswith((".xml", ".rels", ".vml")):
                _check_xml(path, archive, member)


def _check_sizes(path: Path, members: list[zipfile.ZipInfo], limits: Limits) -> None:
    total = sum(member.file_size for member in members)
    if total > limits.max_uncompressed_bytes:
        raise UnsafeFile(_named(path, f"文件解压后声称有 {total / MB:.0f} MB（上限 {limits.max_uncompressed_bytes // MB} MB），"
                                      "可能是压缩炸弹或已损坏，已拒绝打开"))
    for member in members:
        if member.file_size > MB and member.file_size > limits.max_member_ratio * max(member.compress_size, 1):
            raise UnsafeFile(_named(path, f"文件内部“{member.filename}”的压缩比异常（{member.file_size // max(member.compress_size, 1)}倍），"
                                          "可能是压缩炸弹，已拒绝打开"))


class _RootReached(Exception):
    """Raised by the parser target at the first element: the prolog is over, no DTD came."""


class _StopAtRoot:
    def start(self, tag, attrs):
        raise _RootReached

    def close(self):
        return None


def _check_xml(path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Feed the prolog of one XML part to a DTD-refusing parser and stop at the root element.

    The parser raises as soon as it meets ``<!DOCTYPE``; a DTD cannot follow the root
    element, so parsing stops there (the whole part is never parsed or even inflated).
    """
    parser = DefusedXMLParser(target=_StopAtRoot(), forbid_dtd=True, forbid_entities=True, forbid_external=True)
    try:
        with archive.open(member) as handle:
            parser.feed(handle.read(XML_PROLOG_BYTES))
    except _RootReached:
        return
    except DefusedXmlException:
        raise UnsafeFile(_named(path, f"文件内部“{member.filename}”含有 XML 实体/DTD 声明（Excel 不会生成这种内容，"
                                      "可能是恶意构造的文件），已拒绝打开")) from None
    except (ParseError, zipfile.BadZipFile, EOFError, OSError, NotImplementedError, ValueError):
        raise UnsafeFile(_named(path, DAMAGED)) from None


def write_atomically(path: str | PathLike[str], data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``path`` and rename it over ``path``, so an
    interrupted run never leaves half a workbook where a finished one is expected."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def refuse_overwrite(source: str | PathLike[str], output: str | PathLike[str]) -> None:
    """Inputs are never modified: refuse an output path that is the input file."""
    source, output = Path(source), Path(output)
    if output.exists() and source.exists() and output.resolve() == source.resolve():
        raise UserError(f"输出文件“{output.name}”不能与输入文件相同（本工具从不修改原文件），请换一个文件名")
