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
* sheet areas: a sheet whose cells reach far (one value at A1 and one at XFD1048576 fit in
  5 KB) makes python-calamine allocate the whole rectangle (hundreds of GB, then the process
  aborts) and openpyxl iterate 17 billion cells; :func:`_check_sheet_areas` refuses such a
  sheet from the farthest cell reference actually present;
* XML parts: any DTD. openpyxl already refuses entity declarations in sheet XML (it uses
  defusedxml's iterparse when defusedxml is installed, and lxml with
  ``resolve_entities=False`` elsewhere), but it does so with an English exception and
  python-calamine makes no such promise; Office never writes a DTD, so we refuse one with a
  Chinese message whatever parser follows.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from os import PathLike
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, fromstring as parse_xml
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
        _check_sheet_areas(path, archive, limits)


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


_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")
_CELL_REF = re.compile(rb'<(?:\w+:)?(?:c|row)\s[^>]*?\br="([A-Za-z]*)([0-9]+)"')
SCAN_CHUNK = MB


def _check_sheet_areas(path: Path, archive: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse a sheet whose area (from A1 to its farthest cell) exceeds the limits.

    The area ends at the farthest ``r=""`` reference of the sheet's rows and cells, not at
    its ``<dimension ref>``: the dimension is optional and may lie either way, and the
    parsers size their grids from the cells they find (python-calamine ignores a dimension
    claiming A1:XFD1048576 over two cells; openpyxl's normal mode does too). The scan streams
    the part (its inflated size is already bounded by :func:`_check_sizes`), never builds a
    tree, and costs a few milliseconds for a real 自评表.
    """
    names = _sheet_names(archive)
    for part in archive.namelist():
        if _SHEET_PART.fullmatch(part):
            rows, columns = _sheet_extent(archive, part)
            if rows > limits.max_sheet_rows or rows * columns > limits.max_sheet_cells:
                sheet = names.get(part, part)
                raise UnsafeFile(_named(path, f"工作表「{sheet}」的数据区域过大（{rows} 行 × {columns} 列，上限 "
                                              f"{limits.max_sheet_rows} 行、{limits.max_sheet_cells // 10000} 万个单元格），"
                                              "可能含有远处的多余单元格或是恶意构造的文件，已拒绝打开"))


def _sheet_extent(archive: zipfile.ZipFile, part: str) -> tuple[int, int]:
    """(last row, last column), 1-based, of one sheet part."""
    rows = columns = 0
    for letters, digits in _references(archive, part):
        rows = max(rows, int(digits))
        columns = max(columns, _column_number(letters))
    return rows, columns


def _references(archive: zipfile.ZipFile, part: str) -> Iterator[tuple[bytes, bytes]]:
    """(column letters, row digits) of every row and cell reference.

    Chunks are cut at the last ``<`` so no tag is split between two of them.
    """
    pending = b""
    with archive.open(part) as handle:
        while chunk := handle.read(SCAN_CHUNK):
            pending += chunk
            cut = pending.rfind(b"<")
            if cut > 0:  # else one tag spans the chunks read so far: keep reading
                yield from _chunk_references(pending[:cut])
                pending = pending[cut:]
    yield from _chunk_references(pending)


def _chunk_references(text: bytes) -> Iterator[tuple[bytes, bytes]]:
    for match in _CELL_REF.finditer(text):
        yield match.group(1), match.group(2)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - ord("A") + 1
    return number


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """{"xl/worksheets/sheet1.xml": "自评表"} for messages; empty when the workbook cannot say."""
    try:
        rels = parse_xml(archive.read("xl/_rels/workbook.xml.rels"))
        book = parse_xml(archive.read("xl/workbook.xml"))
    except (KeyError, ParseError, DefusedXmlException, zipfile.BadZipFile, OSError, ValueError):
        return {}
    parts = {rel.get("Id"): _part_name(rel.get("Target", "")) for rel in rels}
    names = {}
    for sheet in book.iter():
        if sheet.tag.rsplit("}", 1)[-1] == "sheet":
            rel_id = next((value for key, value in sheet.attrib.items() if key.endswith("}id")), None)
            if rel_id in parts:
                names[parts[rel_id]] = sheet.get("name", "")
    return names


def _part_name(target: str) -> str:
    """A relationship target of xl/workbook.xml as a package part name."""
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))


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
    simulate a failing rename. OSErrors propagate: the
    command line reports them in one place (:func:`addin.cli.main`).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f"{path.suffix}.tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(temp))
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(temp, _file_mode(path) if mode is None else mode)
        (replace or os.replace)(temp, str(path))
    finally:
        Path(temp).unlink(missing_ok=True)
    return path


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
