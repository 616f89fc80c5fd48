"""One streamed pass over every member of a zip package, trusting nothing its headers say.

The spreadsheet parsers behind the gate (:mod:`addin.reading.safe_open`) are python-calamine (Rust's
zip and quick-xml) and openpyxl (Python's zipfile, lxml or expat). Each has its own idea of
which member is a sheet, how big a member is and where a cell sits, so the gate checks every
member the way the most trusting of them would read it:

* **inflated size**: each member is inflated here from its raw deflate data with a bound on
  the output, and must come out exactly as big as its header claims, with the claimed CRC.
  Python's zipfile stops at the claimed size; python-calamine inflates until the deflate stream
  ends, so a member claiming 4 KiB that inflates to 200 MB is refused after at most one chunk
  beyond its claim;
* **DTDs**: every XML member (by name, in any case — ``sheet9.XML`` —, or by content,
  wherever it is stored) is scanned whole for ``<!DOCTYPE`` and ``<!ENTITY``, not only its
  first bytes (a DTD may follow a 70 KB comment);
* **cell extents**: every member, whatever its name (a sheet part may be stored at
  ``xl/ws/ind.xml`` or ``xl/media/x.bin`` and named by the relationships), yields the
  farthest row and column its cells reach, read the way openpyxl places cells: the ``r``
  address of each ``<c>`` (character references and ``$`` included), the ``r`` of each
  ``<row>`` (also "1e6"), cells and rows without an address counted on from the previous
  one, and the ranges openpyxl fills cell by cell (``<mergeCell ref>``, ``<hyperlink ref>``,
  ``<comment ref>``).

Memory stays bounded by the chunk size: the scan never holds a member whole.
"""

from __future__ import annotations

import codecs
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

CHUNK = 1024 * 1024
LONGEST_TAG = 4 * CHUNK  # no real tag comes near this; a longer one is a hostile file
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384
_HUGE = 10**12  # stands for an address too long to be a number a parser could use


class PackageProblem(Exception):
    """Why a member is refused: ``kind`` is "damaged", "bomb", "dtd" or "encrypted"."""

    def __init__(self, kind: str, member: str, detail: str = "") -> None:
        super().__init__(kind, member, detail)
        self.kind, self.member, self.detail = kind, member, detail


# --- inflating ----------------------------------------------------------------------------

_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")


def _data_offset(data: bytes, member: zipfile.ZipInfo) -> int:
    """Where the member's compressed bytes start (after its local header)."""
    start = member.header_offset
    header = data[start:start + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise PackageProblem("damaged", member.filename, "local header")
    fields = _LOCAL_HEADER.unpack(header)
    return start + _LOCAL_HEADER.size + fields[9] + fields[10]


def inflate(data: bytes, member: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's content in chunks of at most :data:`CHUNK` bytes; raises
    :class:`PackageProblem` when it is encrypted, damaged (bad deflate data, CRC, size) or
    inflates beyond the size its header claims."""
    if member.flag_bits & 0x1:
        raise PackageProblem("encrypted", member.filename)
    start = _data_offset(data, member)
    raw = memoryview(data)[start:start + member.compress_size]
    if len(raw) != member.compress_size:
        raise PackageProblem("damaged", member.filename, "truncated")
    crc, produced = 0, 0
    if member.compress_type == zipfile.ZIP_STORED:
        chunks = (bytes(raw[at:at + CHUNK]) for at in range(0, len(raw), CHUNK))
    elif member.compress_type == zipfile.ZIP_DEFLATED:
        chunks = _inflated(raw, member)
    else:  # Office writes deflate or nothing; bzip2/lzma/deflate64 members are not Excel's
        raise PackageProblem("damaged", member.filename, f"compression method {member.compress_type}")
    for chunk in chunks:
        produced += len(chunk)
        if produced > member.file_size:
            raise PackageProblem("bomb", member.filename)
        crc = zlib.crc32(chunk, crc)
        yield chunk
    if produced != member.file_size or crc != member.CRC:
        raise PackageProblem("damaged", member.filename, "size or CRC")


def _inflated(raw: memoryview, member: zipfile.ZipInfo) -> Iterator[bytes]:
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    position = 0
    try:
        while not inflater.eof:
            if inflater.unconsumed_tail:
                feed = inflater.unconsumed_tail
            elif position < len(raw):
                feed, position = raw[position:position + CHUNK], position + CHUNK
            else:
                raise PackageProblem("damaged", member.filename, "deflate stream does not end")
            out = inflater.decompress(feed, CHUNK)
            if out:
                yield out
    except zlib.error as error:
        raise PackageProblem("damaged", member.filename, str(error)) from None


# --- what a member holds ------------------------------------------------------------------

XML_ENDINGS = (".xml", ".rels", ".vml")
# Media the parsers never read; an SVG logo may legitimately carry a DOCTYPE.
NOT_PARSED_ENDINGS = (".svg", ".svgz")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*<")


def _utf16(first: bytes) -> str | None:
    """The UTF-16 flavour of an XML member (BOM, or "<" as the first code unit), else None:
    every other encoding a parser accepts here keeps markup in ASCII bytes."""
    if first.startswith((codecs.BOM_UTF16_LE, b"<\x00")):
        return "utf-16-le"
    if first.startswith((codecs.BOM_UTF16_BE, b"\x00<")):
        return "utf-16-be"
    return None


@dataclass
class Extent:
    """The farthest row and column (1-based) the cells of one member reach."""

    rows: int = 0
    columns: int = 0


def scan_member(data: bytes, member: zipfile.ZipInfo) -> Extent:
    """Inflate ``member`` once: refuse a DTD in it (when it is XML) and measure its cells."""
    chunks = inflate(data, member)
    first = next(chunks, b"")
    utf16 = _utf16(first)
    name = member.filename.lower()
    is_xml = name.endswith(XML_ENDINGS) or (
        not name.endswith(NOT_PARSED_ENDINGS) and (utf16 is not None or _XML_START.match(first) is not None))
    decoder = codecs.getincrementaldecoder(utf16)("replace") if utf16 else None
    cells = _CellScanner(member.filename)
    tail = b""
    for chunk in _prepend(first, chunks):
        text = decoder.decode(chunk).encode("utf-8") if decoder else chunk
        if is_xml:
            window = tail + text
            if _DTD.search(window):
                raise PackageProblem("dtd", member.filename)
            tail = window[-16:]
        cells.feed(text)
    cells.close()
    return cells.extent


def _prepend(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    if first:
        yield first
    yield from rest


# --- cell extents, as openpyxl places cells --------------------------------------------------

# A start tag whose local name openpyxl places or fills cells from. Attribute values may hold
# ">" but never "<", so a tag never spans a "<" and the match stays within one tag.
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?(c|row|mergeCell|hyperlink|comment)(?=[\s/>])"
                  rb"((?:[^<>\"']|\"[^\"<]*\"|'[^'<]*')*)>")
# The bulk path (no namespace prefix, no single quotes, no range tags in the text; else the
# tag-by-tag path): every row and cell start, and those with a plain address.
_NEEDS_EACH_TAG = (b":c", b":row", b"<mergeCell", b"<hyperlink", b"<comment", b":mergeCell", b":hyperlink")
# An address in single quotes (r='B2'); an apostrophe elsewhere (a formula's 'sheet'!A1) is no concern.
_SINGLE_QUOTED_ADDRESS = re.compile(rb"\s(?:r|ref)\s*=\s*'")
_TAG_ENDS = tuple(bytes([end]) for end in b" \t\n\r\x0b\x0c/>")  # what \s, "/" or ">" may follow a name
_PLAIN_CELL = re.compile(rb"<c\s[^<>]*?(?<=\s)r=\"([A-Z]{1,3})([0-9]{1,7})\"")
_PLAIN_ROW = re.compile(rb"<row\s[^<>]*?(?<=\s)r=\"([0-9]{1,7})\"")
_ATTRIBUTE = re.compile(rb"([^\s=]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_ADDRESS = re.compile(r"\$?([A-Za-z]+)\$?([0-9]+)")
_REFERENCE = re.compile(r"\$?([A-Za-z]*)\$?([0-9]*)")
_CHAR_REF = re.compile(r"&(#[0-9]{1,8}|#x[0-9A-Fa-f]{1,8}|amp|lt|gt|quot|apos);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _unescape(value: bytes) -> str:
    text = value.decode("utf-8", "replace")
    if "&" not in text:
        return text
    return _CHAR_REF.sub(_char, text)


def _char(match: re.Match) -> str:
    ref = match.group(1)
    if ref in _NAMED:
        return _NAMED[ref]
    code = int(ref[2:], 16) if ref[1] in "xX" else int(ref[1:])
    return chr(code) if code <= 0x10FFFF else "\ufffd"


def column_number(letters: str) -> int:
    """"A" -> 1, "XFD" -> 16384; absurdly long letters count as huge."""
    if len(letters) > 7:
        return _HUGE
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _row_number(digits: str) -> int:
    return int(digits) if len(digits) <= 12 else _HUGE


class _CellScanner:
    """Streams a member's bytes and keeps the farthest cell position (see module docstring)."""

    def __init__(self, member: str) -> None:
        self.member = member
        self.extent = Extent()
        self.row = self.column = 0  # openpyxl's row_counter / col_counter
        self.pending = b""

    def feed(self, chunk: bytes) -> None:
        self.pending += chunk
        cut = self.pending.rfind(b"<")
        if cut < 0:  # no tag starts here: nothing to keep
            self.pending = b""
            return
        if cut > 0:
            self._tags(self.pending[:cut])
            self.pending = self.pending[cut:]
        if len(self.pending) > LONGEST_TAG:
            raise PackageProblem("damaged", self.member, "tag too long")

    def close(self) -> None:
        self._tags(self.pending)
        self.pending = b""

    def _reach(self, row: int, column: int) -> None:
        self.extent.rows = max(self.extent.rows, row)
        self.extent.columns = max(self.extent.columns, column)

    def _tags(self, text: bytes) -> None:
        if not self._plain_tags(text):
            self._each_tag(text)

    def _plain_tags(self, text: bytes) -> bool:
        """The common case in bulk: when every row and cell of ``text`` carries a plain
        address (r="12", r="B12", double quotes, no character references, no namespace
        prefix), the extent is the largest address and the counters are the last ones.
        Returns False, having done nothing, when any tag needs :meth:`_each_tag`."""
        if any(marker in text for marker in _NEEDS_EACH_TAG) or _SINGLE_QUOTED_ADDRESS.search(text):
            return False
        cells, rows = _PLAIN_CELL.findall(text), _PLAIN_ROW.findall(text)
        if len(cells) != _starts(text, b"<c") or len(rows) != _starts(text, b"<row"):
            return False
        if rows:
            self._reach(max(map(int, rows)), 0)
            self.row, self.column = int(rows[-1]), 0
        if cells:
            letters, digits = zip(*cells)
            widest = max(set(letters), key=lambda name: (len(name), name))  # a few distinct columns
            self._reach(max(map(int, digits)), column_number(widest.decode()))
            last_row = max(text.rfind(b"<row" + end) for end in _TAG_ENDS)
            in_last_row = _PLAIN_CELL.findall(text, last_row) if last_row >= 0 else cells
            if in_last_row:
                self.column = column_number(in_last_row[-1][0].decode())
        return True

    def _each_tag(self, text: bytes) -> None:
        for tag in _TAG.finditer(text):
            name = tag.group(1)
            value = _attribute(tag.group(2), b"r" if name in (b"c", b"row") else b"ref")
            if name == b"row":
                self.row = self._row_of(value) if value is not None else self.row + 1
                self.column = 0
                self._reach(self.row, 0)
            elif name == b"c":
                self._cell(value)
            elif value is not None:
                self._range(value)

    def _row_of(self, value: str) -> int:
        text = value.strip()
        if text.isdigit():
            return _row_number(text)
        try:  # openpyxl reads r="1e6" as row 1 000 000
            number = float(text)
        except ValueError:
            return self.row + 1
        if number != number:
            return self.row + 1
        return _HUGE if number > _HUGE else max(int(number), 0)

    def _cell(self, value: str | None) -> None:
        address = _ADDRESS.fullmatch(value.strip()) if value is not None else None
        if address is None:  # no (usable) address: the next cell of the current row
            self.column += 1
            self._reach(self.row, self.column)
            return
        self.column = column_number(address.group(1))
        self._reach(_row_number(address.group(2)), self.column)

    def _range(self, value: str) -> None:
        """A range openpyxl fills: "A1:XFD1048576", "A:XFD" (whole columns), "1:1048576"."""
        for token in re.split(r"[\s:]+", value.strip()):
            found = _REFERENCE.fullmatch(token)
            if not found or not (found.group(1) or found.group(2)):
                continue
            letters, digits = found.groups()
            self._reach(_row_number(digits) if digits else EXCEL_ROWS,
                        column_number(letters) if letters else EXCEL_COLUMNS)


def _starts(text: bytes, opening: bytes) -> int:
    """How many tags begin with ``opening`` ("<c": "<c ", "<c>", "<c/" …, not "<col")."""
    return sum(text.count(opening + end) for end in _TAG_ENDS)


def _attribute(attributes: bytes, wanted: bytes) -> str | None:
    """The unescaped value of attribute ``wanted`` (no namespace prefix), or None."""
    for found in _ATTRIBUTE.finditer(attributes):
        if found.group(1) == wanted:
            value = found.group(2) if found.group(2) is not None else found.group(3)
            return _unescape(value)
    return None
