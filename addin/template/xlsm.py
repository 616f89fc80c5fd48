"""OOXML packaging for our macro workbooks (.xlsm): pure zip/XML work.

openpyxl writes .xlsx files but cannot create a macro workbook, and when it
re-saves one (``load_workbook(keep_vba=True)``) it keeps ``xl/vbaProject.bin``
and the ``customUI/`` files but drops the package relationship of type
``.../2007/relationships/ui/extensibility`` that points Office at
``customUI/customUI14.xml`` (it only carries over the Office 2007 type
``.../2006/relationships/ui/extensibility``). Without that relationship Excel
silently shows no ribbon tab. This module adds what openpyxl cannot
(:func:`package_xlsm`), puts back what it drops (:func:`restore_custom_ui`),
and is the one way our code saves an edited .xlsm (:func:`save_xlsm_atomically`).

Output is deterministic (fixed entry order, fixed zip timestamps, normalised
document dates) so a build of the add-in is reproducible byte for byte.
"""

from __future__ import annotations

import io
import os
import posixpath
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

from defusedxml.ElementTree import fromstring as parse_xml

from ..errors import OutputError
from ..reading.safe_open import write_atomically

CONTENT_TYPES = "[Content_Types].xml"
ROOT_RELS = "_rels/.rels"
CORE_PROPS = "docProps/core.xml"
VBA_PART = "xl/vbaProject.bin"
CUSTOM_UI_PART = "customUI/customUI14.xml"

NS_CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
NS_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
REL_VBA_PROJECT = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
# customUI14.xml (namespace 2009/07/customui) is linked with the *2007* type;
# the 2006 type is for the Office 2007 customUI.xml ([MS-OI29500] 3.4.1.3/4).
REL_CUSTOM_UI14 = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
REL_CUSTOM_UI12 = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"

CT_XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
CT_VBA_PROJECT = "application/vnd.ms-office.vbaProject"
CT_XML = "application/xml"

NS_CORE_PROPS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "dcmitype": "http://purl.org/dc/dcmitype/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
# Serialising core.xml must keep the "dcterms" prefix: xsi:type="dcterms:W3CDTF"
# refers to it by name.
for _prefix, _uri in NS_CORE_PROPS.items():
    ET.register_namespace(_prefix, _uri)

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
FIXED_DOC_TIME = datetime(1980, 1, 1)
# Office and other readers expect the content-types part and the package
# relationships first; everything after is sorted by name.
LEADING_ENTRIES = (CONTENT_TYPES, ROOT_RELS)


class XlsmError(Exception):
    """A macro workbook could not be built or saved; the message is for users."""


def package_xlsm(xlsx_bytes: bytes, vba_project: bytes, custom_ui: str,
                 doc_time: datetime = FIXED_DOC_TIME) -> bytes:
    """Turn an openpyxl .xlsx into a macro workbook with our VBA and ribbon.

    The workbook should already carry ``wb.code_name`` and sheet codeNames
    matching the document modules inside ``vba_project``. ``doc_time`` replaces
    the created/modified dates in docProps/core.xml (openpyxl stamps "now").
    """
    parts = _read_parts(xlsx_bytes)
    workbook_part = _office_document_part(parts)
    parts[CONTENT_TYPES] = _macro_enabled_content_types(parts[CONTENT_TYPES], workbook_part)
    workbook_rels = _rels_path(workbook_part)
    parts[workbook_rels], vba_part = _ensure_relationship(
        parts.get(workbook_rels), workbook_part, REL_VBA_PROJECT, VBA_PART)
    parts[vba_part] = vba_project
    parts = _with_custom_ui(parts, custom_ui)
    if CORE_PROPS in parts:
        parts[CORE_PROPS] = _normalise_core_dates(parts[CORE_PROPS], doc_time)
    return _write_parts(parts)


def restore_custom_ui(xlsm_bytes: bytes, custom_ui: str) -> bytes:
    """Put the ribbon back into a macro workbook re-saved by openpyxl.

    Idempotent: the relationship is added only when missing, and the customUI
    part always gets ``custom_ui`` (so an old ribbon is also brought up to date).
    """
    return _write_parts(_with_custom_ui(_read_parts(xlsm_bytes), custom_ui))


def save_xlsm_atomically(wb, path: str | os.PathLike, custom_ui: str,
                         _replace: Callable[[str, str], None] = os.replace) -> None:
    """Save an openpyxl workbook loaded with ``keep_vba=True`` as ``path``.

    The ONE way our code writes an .xlsm after openpyxl edits: the workbook is
    serialised, its ribbon restored and checked in memory, and only then
    written with :func:`addin.reading.safe_open.write_atomically` (temp file beside
    ``path``, ``os.replace``). A failure at any step leaves the original file
    untouched and no temp file behind. ``_replace`` exists for tests that
    simulate a failing rename.
    """
    path = Path(path)
    if getattr(wb, "vba_archive", None) is None:
        raise XlsmError(f"无法保存“{path.name}”：工作簿未保留宏代码（需以 keep_vba=True 打开），"
                        "保存会丢失宏，已取消。")
    buffer = io.BytesIO()
    wb.save(buffer)
    data = restore_custom_ui(buffer.getvalue(), custom_ui)
    if read_vba_project(data) is None or read_custom_ui(data) != custom_ui:
        raise XlsmError(f"无法保存“{path.name}”：生成的文件缺少宏或功能区，已取消，原文件未改动。")
    try:
        write_atomically(path, data, replace=_replace)
    except OutputError as exc:
        if isinstance(exc.os_error, PermissionError):
            raise XlsmError(f"无法保存“{path.name}”：文件可能正在被 Excel 或其他程序打开，"
                            "请关闭后重试。原文件未改动。") from None
        raise XlsmError(f"无法保存“{path.name}”：{exc.reason}。原文件未改动。") from None


def read_custom_ui(xlsm_bytes: bytes) -> str | None:
    """The customUI14 ribbon XML that Office would load, or None.

    Follows the package relationship like Office does: a customUI file that
    no relationship points to does not count.
    """
    parts = _read_parts(xlsm_bytes)
    target = _find_target(parts.get(ROOT_RELS), "", REL_CUSTOM_UI14)
    if target is None or target not in parts:
        return None
    return parts[target].decode("utf-8")


def read_vba_project(xlsm_bytes: bytes) -> bytes | None:
    """The vbaProject.bin that the workbook relationship points to, or None."""
    parts = _read_parts(xlsm_bytes)
    workbook_part = _office_document_part(parts)
    target = _find_target(parts.get(_rels_path(workbook_part)), workbook_part, REL_VBA_PROJECT)
    return parts.get(target) if target is not None else None


# --- package parts -------------------------------------------------------

def _read_parts(data: bytes) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {info.filename: archive.read(info) for info in archive.infolist()
                    if not info.is_dir()}
    except zipfile.BadZipFile as exc:
        raise XlsmError("文件不是有效的 Excel 工作簿（无法按 zip 格式读取）。") from exc


def _write_parts(parts: dict[str, bytes]) -> bytes:
    names = [name for name in LEADING_ENTRIES if name in parts]
    names += sorted(name for name in parts if name not in LEADING_ENTRIES)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0  # not the host OS: same bytes on every machine
            info.external_attr = 0
            archive.writestr(info, parts[name])
    return buffer.getvalue()


def _with_custom_ui(parts: dict[str, bytes], custom_ui: str) -> dict[str, bytes]:
    parts = dict(parts)
    parts[ROOT_RELS], ui_part = _ensure_relationship(
        parts.get(ROOT_RELS), "", REL_CUSTOM_UI14, CUSTOM_UI_PART)
    parts[ui_part] = custom_ui.encode("utf-8")
    parts[CONTENT_TYPES] = _ensure_xml_content_type(parts[CONTENT_TYPES], ui_part)
    return parts


# --- relationships -------------------------------------------------------

def _rels_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _resolve(source_part: str, target: str) -> str:
    """Zip entry name of a relationship target (relative to the source's folder)."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def _find_target(rels_xml: bytes | None, source_part: str, rel_type: str) -> str | None:
    if rels_xml is None:
        return None
    for rel in parse_xml(rels_xml).iter(f"{{{NS_RELS}}}Relationship"):
        if rel.get("Type") == rel_type and rel.get("TargetMode") != "External":
            return _resolve(source_part, rel.get("Target", ""))
    return None


def _office_document_part(parts: dict[str, bytes]) -> str:
    target = _find_target(parts.get(ROOT_RELS), "", REL_OFFICE_DOCUMENT)
    if target is None or target not in parts:
        raise XlsmError("文件不是有效的 Excel 工作簿（缺少工作簿主体）。")
    return target


def _ensure_relationship(rels_xml: bytes | None, source_part: str, rel_type: str,
                         default_target: str) -> tuple[bytes, str]:
    """Return (rels XML, target part); add the relationship only if missing."""
    if rels_xml is None:
        rels_xml = f'<Relationships xmlns="{NS_RELS}"/>'.encode()
    existing = _find_target(rels_xml, source_part, rel_type)
    if existing is not None:
        return rels_xml, existing
    root = parse_xml(rels_xml)
    taken = {rel.get("Id") for rel in root}
    number = len(taken) + 1
    while f"rId{number}" in taken:
        number += 1
    target = posixpath.relpath(default_target, posixpath.dirname(source_part) or ".")
    ET.SubElement(root, f"{{{NS_RELS}}}Relationship",
                  {"Id": f"rId{number}", "Type": rel_type, "Target": target})
    return _serialise_flat(root), default_target


# --- content types -------------------------------------------------------

def _macro_enabled_content_types(types_xml: bytes, workbook_part: str) -> bytes:
    root = parse_xml(types_xml)
    overrides = {o.get("PartName"): o for o in root.iter(f"{{{NS_CONTENT_TYPES}}}Override")}
    workbook = overrides.get(f"/{workbook_part}")
    if workbook is None:
        workbook = ET.SubElement(root, f"{{{NS_CONTENT_TYPES}}}Override",
                                 {"PartName": f"/{workbook_part}"})
    workbook.set("ContentType", CT_XLSM_MAIN)
    defaults = {d.get("Extension", "").lower(): d
                for d in root.iter(f"{{{NS_CONTENT_TYPES}}}Default")}
    if "bin" not in defaults:
        # What Excel writes; Defaults must precede Overrides in the XML.
        root.insert(0, ET.Element(f"{{{NS_CONTENT_TYPES}}}Default",
                                  {"Extension": "bin", "ContentType": CT_VBA_PROJECT}))
    elif defaults["bin"].get("ContentType") != CT_VBA_PROJECT:
        # .bin is taken (e.g. printer settings): name the VBA part explicitly.
        ET.SubElement(root, f"{{{NS_CONTENT_TYPES}}}Override",
                      {"PartName": f"/{VBA_PART}", "ContentType": CT_VBA_PROJECT})
    return _serialise_flat(root)


def _ensure_xml_content_type(types_xml: bytes, part: str) -> bytes:
    """customUI parts are plain application/xml, usually via the xml Default."""
    root = parse_xml(types_xml)
    if any(o.get("PartName") == f"/{part}" for o in root.iter(f"{{{NS_CONTENT_TYPES}}}Override")):
        return types_xml
    if any(d.get("Extension", "").lower() == "xml" and d.get("ContentType") == CT_XML
           for d in root.iter(f"{{{NS_CONTENT_TYPES}}}Default")):
        return types_xml
    ET.SubElement(root, f"{{{NS_CONTENT_TYPES}}}Override",
                  {"PartName": f"/{part}", "ContentType": CT_XML})
    return _serialise_flat(root)


# --- core properties -----------------------------------------------------

def _normalise_core_dates(core_xml: bytes, when: datetime) -> bytes:
    root = parse_xml(core_xml)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    for name in ("created", "modified"):
        element = root.find(f"{{{NS_CORE_PROPS['dcterms']}}}{name}")
        if element is None:
            element = ET.SubElement(root, f"{{{NS_CORE_PROPS['dcterms']}}}{name}",
                                    {f"{{{NS_CORE_PROPS['xsi']}}}type": "dcterms:W3CDTF"})
        element.text = stamp
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)


def _serialise_flat(root: ET.Element) -> bytes:
    """Write a rels or content-types part: one default namespace, flat children.

    ElementTree cannot write such a part the way Office does (with a default
    namespace it rejects unprefixed attributes; its prefix registry is global),
    and the format is simple enough to write directly.
    """
    namespace, _, root_name = root.tag[1:].partition("}")
    lines = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
             f'<{root_name} xmlns={_attr(namespace)}>']
    for child in root:
        child_ns, _, child_name = child.tag[1:].partition("}")
        if child_ns != namespace or len(child) or (child.text or "").strip():
            raise XlsmError("文件结构异常，无法处理（包关系或内容类型部件格式不符）。")
        attrs = "".join(f" {key}={_attr(value)}" for key, value in child.attrib.items())
        lines.append(f"<{child_name}{attrs}/>")
    lines.append(f"</{root_name}>")
    return "".join(lines).encode("utf-8")


def _attr(value: str) -> str:
    return f'"{escape(value, {chr(34): "&quot;"})}"'
