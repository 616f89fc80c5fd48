"""Build ``vbaProject.bin`` from VBA source text (MS-OVBA), no Office needed.

The project is written the way MS-OVBA prescribes for interoperable writers:
``_VBA_PROJECT`` has Version 0xFFFF and no PerformanceCache (2.3.4.1), every
MODULEOFFSET is 0 (the module stream is just compressed source, 2.3.4.3), so
Office ignores all caches and compiles from source on open (1.6).

Every other field mirrors the ``vbaProject.bin`` of xlwings'
``quickstart_standalone.xlsm``, which already carries one module, ``xlwings``, stored
exactly this way. That file was written by a non-Office tool too (0xFFFF, no cache;
xlwings' ``quickstart.xlsm``, with an 0x00B5 cache, is a real Excel save), but xlwings
ships it, so it shows what Excel accepts.  The deliberate differences are
listed in ``tests/test_vba_project.py`` together with the reason for each.
"""

from __future__ import annotations

import re
import struct
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Literal

from .cfb import read_compound_file, write_compound_file
from .compression import compress, decompress
from .dirstream import RecordId, parse_dir, record, string_records, version_record
from .encryption import encrypt

__all__ = [
    "ModuleKind",
    "VbaModule",
    "build_vba_project",
    "load_module_file",
    "module_source",
    "parse_module_text",
    "read_module_code",
]

ModuleKind = Literal["standard", "class", "document"]

#: VBA source is stored in the project code page (PROJECTCODEPAGE, 2.3.4.2.1.5).
CODEPAGE = 1252
_CODEC = "cp1252"
_LCID_EN_US = 0x0409
#: PROJECTSYSKIND (2.3.4.2.1.1): 3 = 64-bit Windows, as in the reference.
_SYSKIND_WIN64 = 0x00000003
#: PROJECTVERSION of the reference project (any value is valid, 2.3.4.2.1.11).
_PROJECT_VERSION = (0x68FBFAC5, 0x0004)
#: PROJECTCOOKIE / MODULECOOKIE: "MUST be 0xFFFF on write" (2.3.4.2.3.1, 2.3.4.2.3.2.7).
_COOKIE = 0xFFFF
_VBA_PROJECT_STREAM = struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0001)
#: Namespace for the deterministic ProjectId (2.3.1.2) derived from the project name.
_PROJECT_ID_NAMESPACE = uuid.UUID("6f1b1c4e-8a5d-4f61-9d0a-3c5e2b7a9e10")

#: Type libraries referenced by the project (2.3.4.2.2.5 REFERENCEREGISTERED).
#: Office's is byte-for-byte the reference file's; Office (MSO.DLL) provides
#: IRibbonControl for ribbon callbacks.  stdole is in every new Excel project.
REFERENCES: tuple[tuple[str, str], ...] = (
    (
        "stdole",
        r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\Windows\System32\stdole2.tlb"
        r"#OLE Automation",
    ),
    (
        "Office",
        r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#C:\Program Files\Common Files"
        r"\Microsoft Shared\OFFICE16\MSO.DLL#Microsoft Office 16.0 Object Library",
    ),
)

_WORKBOOK_BASE = '"0{00020819-0000-0000-C000-000000000046}"'
_WORKSHEET_BASE = '"0{00020820-0000-0000-C000-000000000046}"'
_CLASS_BASE = '"0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"'

#: The module-level attributes Office stores after ``Attribute VB_Name`` for
#: each kind of module, in Office's order (as in the reference project).
_DEFAULT_ATTRIBUTES: dict[str, tuple[tuple[str, str], ...]] = {
    "standard": (),
    "document": (
        ("VB_Base", _WORKSHEET_BASE),
        ("VB_GlobalNameSpace", "False"),
        ("VB_Creatable", "False"),
        ("VB_PredeclaredId", "True"),
        ("VB_Exposed", "True"),
        ("VB_TemplateDerived", "False"),
        ("VB_Customizable", "True"),
    ),
    "class": (
        ("VB_Base", _CLASS_BASE),
        ("VB_GlobalNameSpace", "False"),
        ("VB_Creatable", "False"),
        ("VB_PredeclaredId", "False"),
        ("VB_Exposed", "False"),
        ("VB_TemplateDerived", "False"),
        ("VB_Customizable", "False"),
    ),
}

#: Names VBA/Office reserve inside the VBA storage (2.2.2-2.2.6).
_RESERVED_STREAM_NAMES = {"dir", "_vba_project"}
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,30}\Z")
_HEADER_LINE = re.compile(r"Attribute (VB_\w+) = (.*)\Z")


def _check_ascii(module: str, what: str, text: str) -> None:
    """VBA compiles source in the project code page; we allow ASCII only."""
    for number, line in enumerate(text.split("\n"), start=1):
        for column, char in enumerate(line, start=1):
            if ord(char) > 0x7E or (ord(char) < 0x20 and char != "\t"):
                raise ValueError(
                    f"module {module!r}: {what} line {number}, column {column} has "
                    f"non-ASCII or control character {char!r} (U+{ord(char):04X}); "
                    "VBA source must be plain ASCII (keep UI text outside VBA)"
                )


@dataclass(frozen=True)
class VbaModule:
    """One VBA module as source text.

    ``code`` is the module body without the ``Attribute VB_*`` header Office
    keeps at the top of the stored source; the builder writes that header.
    Line endings are normalised to ``"\\n"`` here and written as CRLF.

    ``attributes`` holds module-level ``Attribute VB_*`` values (raw VBA
    literals, e.g. ``("VB_Exposed", "True")``) that override or extend the
    Office defaults for ``kind``: what an exported ``.cls`` carries, such as
    VB_Description (which also becomes MODULEDOCSTRING) or a chart sheet's
    VB_Base.  Document modules named ``ThisWorkbook`` default to the Workbook
    base class, other document modules to Worksheet.
    """

    name: str
    kind: ModuleKind
    code: str
    attributes: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if not _IDENTIFIER.match(self.name):
            raise ValueError(f"invalid VBA module name {self.name!r} (ASCII identifier, <= 31 chars)")
        if self.name.lower() in _RESERVED_STREAM_NAMES:
            raise ValueError(f"module name {self.name!r} clashes with a VBA storage stream")
        if self.kind not in _DEFAULT_ATTRIBUTES:
            raise ValueError(f"module {self.name!r}: unknown kind {self.kind!r}")
        code = self.code.replace("\r\n", "\n").replace("\r", "\n")
        _check_ascii(self.name, "code", code)
        for key, value in self.attributes:
            if not re.fullmatch(r"VB_\w+", key) or key == "VB_Name":
                raise ValueError(f"module {self.name!r}: invalid attribute {key!r}")
            _check_ascii(self.name, f"attribute {key}", value)
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "attributes", tuple(self.attributes))

    def header_attributes(self) -> tuple[tuple[str, str], ...]:
        """Office's default attributes for the kind, overridden/extended by ``attributes``."""
        defaults = _DEFAULT_ATTRIBUTES[self.kind]
        if self.kind == "document" and self.name == "ThisWorkbook":
            defaults = (("VB_Base", _WORKBOOK_BASE),) + defaults[1:]
        overrides = dict(self.attributes)
        merged = [(key, overrides.pop(key, value)) for key, value in defaults]
        merged += [(key, value) for key, value in self.attributes if key in overrides]
        return tuple(merged)

    def docstring(self) -> str:
        """MODULEDOCSTRING text: the decoded VB_Description literal, if any."""
        literal = dict(self.attributes).get("VB_Description")
        if literal is None:
            return ""
        if not (len(literal) >= 2 and literal[0] == literal[-1] == '"'):
            raise ValueError(f"module {self.name!r}: VB_Description must be a string literal")
        # The VBE writes CR/LF inside attribute strings as \r and \n escapes;
        # the dir stream (as in the reference) holds the real characters.
        return literal[1:-1].replace('""', '"').replace("\\r", "\r").replace("\\n", "\n")


def module_source(module: VbaModule) -> str:
    """The full stored source text: attribute header plus code, CRLF line ends."""
    lines = [f'Attribute VB_Name = "{module.name}"']
    lines += [f"Attribute {key} = {value}" for key, value in module.header_attributes()]
    return "\r\n".join(lines) + "\r\n" + module.code.replace("\n", "\r\n")


def load_module_file(path: str | PathLike[str]) -> VbaModule:
    """Parse an exported ``.bas`` (standard) or ``.cls`` (class) module file."""
    path = Path(path)
    kinds: dict[str, ModuleKind] = {".bas": "standard", ".cls": "class"}
    if path.suffix.lower() not in kinds:
        raise ValueError(f"{path}: expected a .bas or .cls file")
    return parse_module_text(path.read_bytes().decode(_CODEC), kinds[path.suffix.lower()], str(path))


def parse_module_text(text: str, kind: ModuleKind, origin: str = "module") -> VbaModule:
    """Parse exported module text (what a ``.bas``/``.cls`` file holds).

    Drops the ``VERSION 1.0 CLASS`` / ``BEGIN ... END`` block of class files
    (Office does not store it), takes the name from ``Attribute VB_Name`` and
    keeps the other leading ``Attribute VB_*`` lines as ``attributes``.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    index = 0
    if lines and lines[0].strip().upper().startswith("VERSION "):
        if len(lines) < 2 or lines[1].strip().upper() != "BEGIN":
            raise ValueError(f"{origin}: VERSION line not followed by BEGIN")
        index = 2
        while index < len(lines) and lines[index].strip().upper() != "END":
            index += 1
        if index == len(lines):
            raise ValueError(f"{origin}: BEGIN block has no END")
        index += 1
    name = None
    attributes: list[tuple[str, str]] = []
    while index < len(lines) and (match := _HEADER_LINE.match(lines[index])):
        key, value = match.groups()
        if key == "VB_Name":
            name = value.strip('"')
        else:
            attributes.append((key, value))
        index += 1
    if name is None:
        raise ValueError(f"{origin}: no 'Attribute VB_Name' header")
    return VbaModule(name, kind, "\n".join(lines[index:]), tuple(attributes))


def _project_id(project_name: str) -> str:
    return "{" + str(uuid.uuid5(_PROJECT_ID_NAMESPACE, project_name)).upper() + "}"


def _dir_stream(modules: Sequence[VbaModule], project_name: str) -> bytes:
    """The decompressed dir stream (2.3.4.2), records in the reference's order."""
    u16 = lambda value: struct.pack("<H", value)  # noqa: E731
    u32 = lambda value: struct.pack("<I", value)  # noqa: E731
    parts = [
        record(RecordId.SYSKIND, u32(_SYSKIND_WIN64)),
        record(RecordId.LCID, u32(_LCID_EN_US)),
        record(RecordId.LCIDINVOKE, u32(_LCID_EN_US)),
        record(RecordId.CODEPAGE, u16(CODEPAGE)),
        record(RecordId.NAME, project_name.encode(_CODEC)),
        string_records(RecordId.DOCSTRING, RecordId.DOCSTRING_UNICODE, "", _CODEC),
        string_records(RecordId.HELPFILEPATH, RecordId.HELPFILEPATH_2, "", _CODEC),
        record(RecordId.HELPCONTEXT, u32(0)),
        record(RecordId.LIBFLAGS, u32(0)),
        version_record(*_PROJECT_VERSION),
        string_records(RecordId.CONSTANTS, RecordId.CONSTANTS_UNICODE, "", _CODEC),
    ]
    for name, libid in REFERENCES:
        encoded = libid.encode(_CODEC)
        parts += [
            string_records(RecordId.REFERENCE_NAME, RecordId.REFERENCE_NAME_UNICODE, name, _CODEC),
            # SizeOfLibid, Libid, Reserved1 (u32 0), Reserved2 (u16 0)
            record(RecordId.REFERENCE_REGISTERED, u32(len(encoded)) + encoded + u32(0) + u16(0)),
        ]
    parts += [
        record(RecordId.PROJECT_MODULES, u16(len(modules))),
        record(RecordId.PROJECT_COOKIE, u16(_COOKIE)),
    ]
    for module in modules:
        type_id = RecordId.MODULE_TYPE_PROCEDURAL if module.kind == "standard" else RecordId.MODULE_TYPE_OTHER
        parts += [
            record(RecordId.MODULE_NAME, module.name.encode(_CODEC)),
            record(RecordId.MODULE_NAME_UNICODE, module.name.encode("utf-16-le")),
            string_records(RecordId.MODULE_STREAM_NAME, RecordId.MODULE_STREAM_NAME_UNICODE, module.name, _CODEC),
            string_records(RecordId.MODULE_DOCSTRING, RecordId.MODULE_DOCSTRING_UNICODE, module.docstring(), _CODEC),
            record(RecordId.MODULE_OFFSET, u32(0)),
            record(RecordId.MODULE_HELPCONTEXT, u32(0)),
            record(RecordId.MODULE_COOKIE, u16(_COOKIE)),
            record(type_id),
            record(RecordId.MODULE_TERMINATOR),
        ]
    parts.append(record(RecordId.TERMINATOR))
    return b"".join(parts)


def _project_stream(modules: Sequence[VbaModule], project_name: str) -> bytes:
    """The PROJECT stream (2.3.1): CRLF text in the project code page."""
    project_id = _project_id(project_name)
    # Unprotected, no password, visible (2.3.1.15-2.3.1.17).
    protection_state = encrypt(bytes(4), project_id)
    password = encrypt(bytes(1), project_id)
    visibility_state = encrypt(b"\xff", project_id)
    key_for_kind = {"standard": "Module", "class": "Class", "document": "Document"}
    lines = [f'ID="{project_id}"']
    for module in modules:
        suffix = "/&H00000000" if module.kind == "document" else ""
        lines.append(f"{key_for_kind[module.kind]}={module.name}{suffix}")
    lines += [
        f'Name="{project_name}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        f'CMG="{protection_state}"',
        f'DPB="{password}"',
        f'GC="{visibility_state}"',
        "",
        "[Host Extender Info]",
        "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
        "",
        "[Workspace]",
    ]
    lines += [f"{module.name}=0, 0, 0, 0, C" for module in modules]
    return ("\r\n".join(lines) + "\r\n\r\n").encode(_CODEC)


def _project_wm_stream(modules: Sequence[VbaModule]) -> bytes:
    """PROJECTwm (2.3.3): each name in MBCS and UTF-16, NUL-terminated; 0x0000 ends."""
    parts = [m.name.encode(_CODEC) + b"\x00" + m.name.encode("utf-16-le") + b"\x00\x00" for m in modules]
    return b"".join(parts) + b"\x00\x00"


def build_vba_project(modules: Sequence[VbaModule], project_name: str = "VBAProject") -> bytes:
    """Build a deterministic ``vbaProject.bin`` holding ``modules`` (in this order)."""
    if not _IDENTIFIER.match(project_name):
        raise ValueError(f"invalid VBA project name {project_name!r}")
    seen: set[str] = set()
    for module in modules:
        if module.name.lower() in seen:
            raise ValueError(f"duplicate module name {module.name!r} (VBA names are case-insensitive)")
        seen.add(module.name.lower())
    streams = {
        "PROJECT": _project_stream(modules, project_name),
        "PROJECTwm": _project_wm_stream(modules),
        "VBA/_VBA_PROJECT": _VBA_PROJECT_STREAM,
        "VBA/dir": compress(_dir_stream(modules, project_name)),
    }
    for module in modules:
        streams[f"VBA/{module.name}"] = compress(module_source(module).encode(_CODEC))
    return write_compound_file(streams)


def read_module_code(vba_project_bin: bytes) -> dict[str, str]:
    """Module name -> code body (header ``Attribute VB_*`` lines removed, ``\\n`` line ends).

    Follows the dir stream like Office does (MODULESTREAMNAME, MODULEOFFSET),
    so it reads Excel-saved projects with p-code caches as well as ours.
    """
    streams = read_compound_file(vba_project_bin)
    records = parse_dir(decompress(streams["VBA/dir"]))
    codepage = next(r for r in records if r.id == RecordId.CODEPAGE)
    codec = f"cp{struct.unpack('<H', codepage.data)[0]}"
    result: dict[str, str] = {}
    name = stream_name = None
    for rec in records:
        if rec.id == RecordId.MODULE_NAME:
            name = rec.data.decode(codec)
        elif rec.id == RecordId.MODULE_STREAM_NAME:
            stream_name = rec.data.decode(codec)
        elif rec.id == RecordId.MODULE_OFFSET and name is not None and stream_name is not None:
            (offset,) = struct.unpack("<I", rec.data)
            source = decompress(streams[f"VBA/{stream_name}"][offset:]).decode(codec)
            lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            start = 0
            while start < len(lines) and _HEADER_LINE.match(lines[start]):
                start += 1
            result[name] = "\n".join(lines[start:])
            name = stream_name = None
    return result
