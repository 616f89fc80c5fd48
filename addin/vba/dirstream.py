"""Record ids and (de)serialisation of the ``VBA/dir`` stream (MS-OVBA 2.3.4.2).

The decompressed ``dir`` stream is a flat sequence of records, each
``Id (u16) | Size (u32) | Data[Size]``.  The only exception is PROJECTVERSION
(2.3.4.2.1.11) whose "Size" field is a Reserved constant 4 followed by 6 bytes
of data.  Records that carry no data (MODULETYPE, terminators) use the size
field as a Reserved zero, so the same framing reads them too.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

__all__ = ["DirRecord", "RecordId", "parse_dir", "record", "string_records", "version_record"]


class RecordId:
    """dir stream record ids, named as in MS-OVBA 2.3.4.2."""

    # 2.3.4.2.1 PROJECTINFORMATION
    SYSKIND = 0x0001
    LCID = 0x0002
    CODEPAGE = 0x0003
    NAME = 0x0004
    DOCSTRING = 0x0005
    HELPFILEPATH = 0x0006
    HELPCONTEXT = 0x0007
    LIBFLAGS = 0x0008
    VERSION = 0x0009
    CONSTANTS = 0x000C
    LCIDINVOKE = 0x0014
    CONSTANTS_UNICODE = 0x003C
    HELPFILEPATH_2 = 0x003D
    DOCSTRING_UNICODE = 0x0040
    # 2.3.4.2.2 PROJECTREFERENCES
    REFERENCE_REGISTERED = 0x000D
    REFERENCE_PROJECT = 0x000E
    REFERENCE_NAME = 0x0016
    REFERENCE_CONTROL = 0x002F
    REFERENCE_CONTROL_EXTENDED = 0x0030
    REFERENCE_ORIGINAL = 0x0033
    REFERENCE_NAME_UNICODE = 0x003E
    # 2.3.4.2.3 PROJECTMODULES
    PROJECT_MODULES = 0x000F
    PROJECT_COOKIE = 0x0013
    MODULE_NAME = 0x0019
    MODULE_STREAM_NAME = 0x001A
    MODULE_DOCSTRING = 0x001C
    MODULE_HELPCONTEXT = 0x001E
    MODULE_TYPE_PROCEDURAL = 0x0021
    MODULE_TYPE_OTHER = 0x0022  # document, class or designer module
    MODULE_READONLY = 0x0025
    MODULE_PRIVATE = 0x0028
    MODULE_TERMINATOR = 0x002B
    MODULE_COOKIE = 0x002C
    MODULE_OFFSET = 0x0031
    MODULE_STREAM_NAME_UNICODE = 0x0032
    MODULE_NAME_UNICODE = 0x0047
    MODULE_DOCSTRING_UNICODE = 0x0048
    # 2.3.4.2 dir stream end
    TERMINATOR = 0x0010


@dataclass(frozen=True)
class DirRecord:
    """One record of the decompressed dir stream."""

    id: int
    data: bytes


def record(record_id: int, data: bytes = b"") -> bytes:
    """Serialise a plain ``Id | Size | Data`` record."""
    return struct.pack("<HI", record_id, len(data)) + data


def string_records(record_id: int, unicode_id: int, text: str, codepage: str) -> bytes:
    """An MBCS record immediately followed by its UTF-16LE twin.

    DOCSTRING, HELPFILEPATH, CONSTANTS, REFERENCENAME, MODULESTREAMNAME and
    MODULEDOCSTRING all store the text twice this way; the second id is the
    "Reserved" field of the spec's combined record.
    """
    return record(record_id, text.encode(codepage)) + record(unicode_id, text.encode("utf-16-le"))


def version_record(major: int, minor: int) -> bytes:
    """PROJECTVERSION: Reserved MUST be 4, then VersionMajor u32, VersionMinor u16."""
    return struct.pack("<HIIH", RecordId.VERSION, 4, major, minor)


def parse_dir(data: bytes) -> list[DirRecord]:
    """Split a decompressed dir stream into records (strict about framing)."""
    records: list[DirRecord] = []
    offset = 0
    while offset < len(data):
        if offset + 6 > len(data):
            raise ValueError(f"truncated dir record header at offset {offset}")
        record_id, size = struct.unpack_from("<HI", data, offset)
        offset += 6
        if record_id == RecordId.VERSION:
            size = 6
        if offset + size > len(data):
            raise ValueError(f"dir record 0x{record_id:04X} at offset {offset - 6} is truncated")
        records.append(DirRecord(record_id, bytes(data[offset:offset + size])))
        offset += size
        if record_id == RecordId.TERMINATOR:
            break
    if not records or records[-1].id != RecordId.TERMINATOR:
        raise ValueError("dir stream has no terminator record")
    return records
