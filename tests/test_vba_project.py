"""vbaProject.bin builder: checked with olevba, strict olefile, and field by
field against the vbaProject.bin of xlwings' quickstart_standalone.xlsm. That project was not
saved by Excel (``_VBA_PROJECT`` 0xFFFF, no performance cache: a non-Office writer, like ours;
xlwings' quickstart.xlsm, with an 0x00B5 cache, is the real Excel save), but xlwings ships it,
so it is evidence of what Excel opens.
"""

from __future__ import annotations

import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import olefile
import pytest
import xlwings
from oletools.olevba import VBA_Parser

from addin.vba import VbaModule, build_vba_project, load_module_file, read_module_code
from addin.vba.cfb import read_compound_file, write_compound_file
from addin.vba.compression import decompress
from addin.vba.dirstream import DirRecord, RecordId, parse_dir
from addin.vba.encryption import decrypt, project_key
from addin.vba.project import REFERENCES, module_source

XLWINGS_DIR = Path(xlwings.__file__).parent
REFERENCE_XLSM = XLWINGS_DIR / "quickstart_standalone.xlsm"
REPO_ROOT = Path(__file__).resolve().parents[1]

ZIPING_CODE = """Option Explicit

Public Function ZIPING_VBA_VERSION() As String
    ZIPING_VBA_VERSION = "0.1.0"
End Function

Public Sub OnZipingAction(control As IRibbonControl)
    MsgBox "OnZipingAction: " & control.Id
End Sub
"""


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def modules() -> list[VbaModule]:
    return [
        VbaModule("ThisWorkbook", "document", ""),
        VbaModule("Sheet1", "document", ""),
        load_module_file(XLWINGS_DIR / "xlwings.bas"),
        load_module_file(XLWINGS_DIR / "addin" / "Dictionary.cls"),
        VbaModule("ZipingUdfs", "standard", ZIPING_CODE),
    ]


@pytest.fixture(scope="module")
def built(modules: list[VbaModule]) -> bytes:
    return build_vba_project(modules)


@pytest.fixture(scope="module")
def reference() -> bytes:
    with zipfile.ZipFile(REFERENCE_XLSM) as archive:
        return archive.read("xl/vbaProject.bin")


@pytest.fixture(scope="module")
def mirror(reference: bytes) -> bytes:
    """Our build of the reference's own modules, in the reference's order."""
    kinds = {"Module": "standard", "Class": "class", "Document": "document"}
    code = read_module_code(reference)
    project = read_compound_file(reference)["PROJECT"].decode("cp1252").split("\r\n")
    rebuilt = []
    for line in project:
        key, _, value = line.partition("=")
        if key in kinds:
            name = value.split("/")[0]
            source = load_module_file(XLWINGS_DIR / "addin" / "Dictionary.cls") if name == "Dictionary" else None
            rebuilt.append(source or VbaModule(name, kinds[key], code[name]))
    return build_vba_project(rebuilt)


def dir_records(vba_project_bin: bytes) -> list[DirRecord]:
    return parse_dir(decompress(read_compound_file(vba_project_bin)["VBA/dir"]))


def split_dir(records: list[DirRecord]) -> tuple[list[DirRecord], list[list[DirRecord]], list[list[DirRecord]]]:
    """(PROJECTINFORMATION, [reference blocks], [module blocks]) per MS-OVBA 2.3.4.2."""
    first_reference = next(i for i, r in enumerate(records) if r.id == RecordId.REFERENCE_NAME)
    modules_at = next(i for i, r in enumerate(records) if r.id == RecordId.PROJECT_MODULES)
    info = records[:first_reference]
    references: list[list[DirRecord]] = []
    for rec in records[first_reference:modules_at]:
        if rec.id == RecordId.REFERENCE_NAME:
            references.append([])
        references[-1].append(rec)
    blocks: list[list[DirRecord]] = [[]]
    for rec in records[modules_at + 2:-1]:
        blocks[-1].append(rec)
        if rec.id == RecordId.MODULE_TERMINATOR:
            blocks.append([])
    assert blocks.pop() == []
    return info, references, blocks


def module_block(records: list[DirRecord], name: str) -> dict[int, bytes]:
    _, _, blocks = split_dir(records)
    block = next(b for b in blocks if b[0].data == name.encode())
    return {r.id: r.data for r in block}


def reference_libid(block: list[DirRecord]) -> str:
    """The libid a reference block points at (registered or control/original)."""
    for rec in block:
        if rec.id in (RecordId.REFERENCE_REGISTERED, RecordId.REFERENCE_ORIGINAL):
            data = rec.data
            if rec.id == RecordId.REFERENCE_REGISTERED:
                (size,) = struct.unpack_from("<I", data)
                data = data[4:4 + size]
            return data.decode("cp1252")
    raise AssertionError("reference block without a libid")


def header_keys(source: str) -> list[str]:
    keys = []
    for line in source.split("\r\n"):
        if not line.startswith("Attribute VB_"):
            break
        keys.append(line.split(" = ")[0].removeprefix("Attribute "))
    return keys


def project_lines(vba_project_bin: bytes) -> list[str]:
    return read_compound_file(vba_project_bin)["PROJECT"].decode("cp1252").split("\r\n")


# --------------------------------------------------------------------------- readers


def test_olevba_lists_every_module_with_our_code(built: bytes, modules: list[VbaModule]) -> None:
    parser = VBA_Parser("vbaProject.bin", data=built)
    assert parser.detect_vba_macros()
    found = {stream.split("/")[-1]: (filename, code) for _, stream, filename, code in parser.extract_macros()}
    parser.close()
    assert set(found) == {m.name for m in modules}
    extensions = {"standard": "bas", "class": "cls", "document": "cls"}
    for module in modules:
        filename, code = found[module.name]
        assert filename == f"{module.name}.{extensions[module.kind]}"
        assert code == module_source(module)
        lines = code.split("\r\n")
        body = lines[len(header_keys(code)):]
        assert "\n".join(body) == module.code


def test_olefile_strict_parse_lists_exactly_the_expected_streams(built: bytes, modules: list[VbaModule]) -> None:
    ole = olefile.OleFileIO(built, raise_defects=olefile.DEFECT_INCORRECT)
    assert ole.parsing_issues == []
    expected = {"PROJECT", "PROJECTwm", "VBA/_VBA_PROJECT", "VBA/dir"} | {f"VBA/{m.name}" for m in modules}
    assert {"/".join(path) for path in ole.listdir()} == expected
    assert {"/".join(p) for p in ole.listdir(streams=False, storages=True)} == {"VBA"}
    ours = read_compound_file(built)
    for path in expected:
        assert ole.openstream(path).read() == ours[path]
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("CC61FFFF000100")


def assert_valid_compound_file(data: bytes) -> olefile.OleFileIO:
    """Strict olefile parse plus MS-CFB 2.6.4: per storage a red-black BST in
    (length, upper-case) order; zero CLSIDs and timestamps (determinism)."""
    ole = olefile.OleFileIO(data, raise_defects=olefile.DEFECT_INCORRECT)
    assert ole.parsing_issues == []
    entries = ole.direntries
    nostream = olefile.NOSTREAM
    red, black = 0, 1  # MS-CFB 2.6.1 Color Flag

    def walk(sid: int) -> tuple[list[str], int]:
        """In-order names and black height of the subtree at ``sid``."""
        if sid == nostream:
            return [], 1
        entry = entries[sid]
        left, left_height = walk(entry.sid_left)
        right, right_height = walk(entry.sid_right)
        assert left_height == right_height, f"black heights differ below {entry.name}"
        if entry.color == red:
            for child in (entry.sid_left, entry.sid_right):
                assert child == nostream or entries[child].color == black
        return left + [entry.name] + right, left_height + (entry.color == black)

    storages = [e for e in entries if e is not None and e.entry_type in (olefile.STGTY_ROOT, olefile.STGTY_STORAGE)]
    for storage in storages:
        names, _ = walk(storage.sid_child)
        assert names == sorted(names, key=lambda n: (len(n), n.upper()))
    for entry in entries:
        if entry is not None:
            assert entry.clsid == "" and entry.createTime == 0 and entry.modifyTime == 0
    return ole


def test_compound_file_directory_is_a_valid_sorted_red_black_tree(built: bytes) -> None:
    assert_valid_compound_file(built)


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 6, 9, 17, 40])
def test_compound_file_writer_round_trips(count: int) -> None:
    """Trees of every shape, mini and regular streams, empty streams."""
    streams = {"PROJECT": b"P" * 613, "VBA/_VBA_PROJECT": b""}
    for index in range(count):
        size = (0, 1, 63, 64, 4095, 4096, 4097, 9000)[index % 8] + index
        streams[f"VBA/Module{index}"] = bytes((index + i) % 251 for i in range(size))
    data = write_compound_file(streams)
    ole = assert_valid_compound_file(data)
    assert {"/".join(p) for p in ole.listdir()} == set(streams)
    for path, content in streams.items():
        assert ole.openstream(path).read() == content
    assert read_compound_file(data) == dict(sorted(streams.items()))
    assert write_compound_file(dict(reversed(streams.items()))) == data


def test_read_module_code_round_trips(built: bytes, modules: list[VbaModule]) -> None:
    assert read_module_code(built) == {m.name: m.code for m in modules}


def test_module_streams_are_compressed_source_at_offset_zero(built: bytes, modules: list[VbaModule]) -> None:
    streams = read_compound_file(built)
    records = dir_records(built)
    for module in modules:
        block = module_block(records, module.name)
        assert block[RecordId.MODULE_OFFSET] == bytes(4)
        assert decompress(streams[f"VBA/{module.name}"]) == module_source(module).encode("ascii")
    # xlwings.bas is stored byte for byte as shipped (it is ASCII with CRLF).
    assert decompress(streams["VBA/xlwings"]) == (XLWINGS_DIR / "xlwings.bas").read_bytes()


def test_two_builds_are_byte_identical(built: bytes, modules: list[VbaModule]) -> None:
    assert build_vba_project(modules) == built
    script = (
        "import sys; from addin.vba import *; from pathlib import Path; import xlwings;"
        "d = Path(xlwings.__file__).parent;"
        f"m = [VbaModule('ThisWorkbook', 'document', ''), VbaModule('Sheet1', 'document', ''),"
        " load_module_file(d / 'xlwings.bas'), load_module_file(d / 'addin' / 'Dictionary.cls'),"
        f" VbaModule('ZipingUdfs', 'standard', {ZIPING_CODE!r})];"
        "sys.stdout.buffer.write(build_vba_project(m))"
    )
    other = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"},
    ).stdout
    assert other == built


# --------------------------------------------------------------------------- vs. the reference


def test_project_information_block_equals_reference(built: bytes, reference: bytes) -> None:
    """SYSKIND Win64, LCIDs 0x409, CODEPAGE 1252, NAME, ... VERSION: all byte-equal."""
    ours, _, _ = split_dir(dir_records(built))
    theirs, _, _ = split_dir(dir_records(reference))
    assert ours == theirs


def test_references(built: bytes, reference: bytes, modules: list[VbaModule]) -> None:
    _, ours, _ = split_dir(dir_records(built))
    _, theirs, _ = split_dir(dir_records(reference))
    ours_by_name = {block[0].data.decode(): block for block in ours}
    theirs_by_name = {block[0].data.decode(): block for block in theirs}
    # Office (MSO.DLL, for IRibbonControl): the reference's records, byte for byte.
    assert ours_by_name["Office"] == theirs_by_name["Office"]
    assert [r.id for r in ours_by_name["stdole"]] == [r.id for r in ours_by_name["Office"]]
    assert reference_libid(ours_by_name["stdole"]).startswith(r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0#")
    # Documented differences:
    # - MSForms is dropped: none of our modules uses it, and the reference's
    #   REFERENCECONTROL points at a per-user cache (C:\Users\felix\...\MSForms.exd).
    # - stdole (OLE Automation) is added: it is in every new Excel project.
    assert set(theirs_by_name) - set(ours_by_name) == {"MSForms"}
    assert set(ours_by_name) - set(theirs_by_name) == {"stdole"}
    assert not any("MSForms" in module.code for module in modules)
    assert [name for name, _ in REFERENCES] == list(ours_by_name)


def test_module_records_match_reference_per_kind(built: bytes, reference: bytes) -> None:
    ours, theirs = dir_records(built), dir_records(reference)
    pairs = [
        ("ThisWorkbook", "ThisWorkbook"),
        ("Sheet1", "Sheet1"),
        ("xlwings", "xlwings"),
        ("Dictionary", "Dictionary"),
        ("ZipingUdfs", "Module1"),  # our own standard module vs. theirs
    ]
    for our_name, their_name in pairs:
        _, _, our_blocks = split_dir(ours)
        _, _, their_blocks = split_dir(theirs)
        our_block = next(b for b in our_blocks if b[0].data == our_name.encode())
        their_block = next(b for b in their_blocks if b[0].data == their_name.encode())
        assert [r.id for r in our_block] == [r.id for r in their_block], our_name
        ours_by_id, theirs_by_id = module_block(ours, our_name), module_block(theirs, their_name)
        # Documented differences:
        # - MODULEOFFSET 0: no p-code cache, the stream is just source (MS-OVBA 2.3.4.3).
        #   The reference's xlwings module is stored the same way.
        # - MODULECOOKIE 0xFFFF: "MUST be 0xFFFF on write" (2.3.4.2.3.2.7); Office writes random values.
        assert ours_by_id.pop(RecordId.MODULE_OFFSET) == bytes(4)
        assert ours_by_id.pop(RecordId.MODULE_COOKIE) == b"\xff\xff"
        theirs_by_id.pop(RecordId.MODULE_OFFSET)
        theirs_by_id.pop(RecordId.MODULE_COOKIE)
        if our_name == their_name:
            assert ours_by_id == theirs_by_id, our_name
        else:
            assert set(ours_by_id) == set(theirs_by_id)


def test_module_list_framing_matches_reference(built: bytes, reference: bytes) -> None:
    for records, count in ((dir_records(built), 5), (dir_records(reference), 6)):
        modules_at = next(i for i, r in enumerate(records) if r.id == RecordId.PROJECT_MODULES)
        assert records[modules_at].data == struct.pack("<H", count)
        assert records[modules_at + 1].id == RecordId.PROJECT_COOKIE
        assert records[-1] == DirRecord(RecordId.TERMINATOR, b"")
    # PROJECTCOOKIE: "MUST be 0xFFFF on write" (2.3.4.2.3.1); Office writes a random value.
    ours = dir_records(built)
    assert next(r for r in ours if r.id == RecordId.PROJECT_COOKIE).data == b"\xff\xff"


def test_full_dir_of_mirror_build_differs_only_in_documented_fields(mirror: bytes, reference: bytes) -> None:
    """Rebuilding the reference's own six modules reproduces its dir stream
    except for references, cookies and offsets (see the tests above)."""
    ignored = {RecordId.MODULE_OFFSET, RecordId.MODULE_COOKIE, RecordId.PROJECT_COOKIE}
    ours_info, _, ours_blocks = split_dir(dir_records(mirror))
    theirs_info, _, theirs_blocks = split_dir(dir_records(reference))
    assert ours_info == theirs_info
    strip = lambda blocks: [[r for r in b if r.id not in ignored] for b in blocks]  # noqa: E731
    assert strip(ours_blocks) == strip(theirs_blocks)


def test_attribute_headers_match_reference_per_kind(built: bytes, reference: bytes) -> None:
    ours, theirs = read_compound_file(built), read_compound_file(reference)

    def source(streams: dict[str, bytes], records: list[DirRecord], name: str) -> str:
        (offset,) = struct.unpack("<I", module_block(records, name)[RecordId.MODULE_OFFSET])
        return decompress(streams[f"VBA/{name}"][offset:]).decode("cp1252")

    our_records, their_records = dir_records(built), dir_records(reference)
    for our_name, their_name in [("ThisWorkbook",) * 2, ("Sheet1",) * 2, ("Dictionary",) * 2, ("ZipingUdfs", "xlwings")]:
        our_source = source(ours, our_records, our_name)
        their_source = source(theirs, their_records, their_name).replace("\r\n", "\n").replace("\n", "\r\n")
        our_keys = header_keys(our_source)
        assert our_keys == header_keys(their_source), our_name
        if our_name == their_name:
            count = len(our_keys)
            assert our_source.split("\r\n")[:count] == their_source.split("\r\n")[:count]
    # Document and plain class modules are byte-identical to what Excel stored.
    for name in ("ThisWorkbook", "Sheet1"):
        assert source(ours, our_records, name) == source(theirs, their_records, name)
    # Dictionary differs only where the VBE re-cased the identifier Err as "err"
    # (Excel normalises identifier case project-wide; the .cls file says Err).
    our_lines = source(ours, our_records, "Dictionary").split("\r\n")
    their_lines = source(theirs, their_records, "Dictionary").split("\r\n")
    assert len(our_lines) == len(their_lines)
    assert [a for a, b in zip(our_lines, their_lines) if a != b] == [
        b.replace("err.", "Err.") for a, b in zip(our_lines, their_lines) if a != b
    ]


def test_project_stream_keys_match_reference(built: bytes, mirror: bytes, reference: bytes) -> None:
    def keys(lines: list[str]) -> list[str]:
        return [line.partition("=")[0] if "=" in line and not line.startswith("&H") else line for line in lines]

    ours, theirs, mirrored = project_lines(built), project_lines(reference), project_lines(mirror)
    assert keys(mirrored) == keys(theirs)
    assert ours[-2:] == theirs[-2:] == ["", ""]
    # Documented differences from the reference's PROJECT stream:
    # - ID: our own fixed GUID (derived from the project name), not Excel's random one;
    # - CMG/DPB/GC: same plaintext, seed and ignored bytes, but the key is the ID's byte sum;
    # - [Workspace]: VBE window positions "0, 0, 0, 0, C" for every module.
    differing = {i for i, (a, b) in enumerate(zip(mirrored, theirs)) if a != b}
    assert {keys(theirs)[i] for i in differing} == {"ID", "CMG", "DPB", "GC", "Module1", "xlwings"}
    expected_keys = (
        ["ID", "Document", "Document", "Module", "Class", "Module", "Name", "HelpContextID",
         "VersionCompatible32", "CMG", "DPB", "GC", "", "[Host Extender Info]",
         "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000", "", "[Workspace]"]
        + ["ThisWorkbook", "Sheet1", "xlwings", "Dictionary", "ZipingUdfs", "", ""]
    )
    assert keys(ours) == expected_keys
    assert ours[1:6] == [
        "Document=ThisWorkbook/&H00000000", "Document=Sheet1/&H00000000",
        "Module=xlwings", "Class=Dictionary", "Module=ZipingUdfs",
    ]
    assert ours[6:9] == theirs[7:10] == ['Name="VBAProject"', 'HelpContextID="0"', 'VersionCompatible32="393222000"']


def test_protection_values_decrypt_like_the_reference(built: bytes, reference: bytes) -> None:
    ours, theirs = project_lines(built), project_lines(reference)
    our_id = ours[0].removeprefix('ID="').removesuffix('"')
    for key, plain in (("CMG", bytes(4)), ("DPB", b"\x00"), ("GC", b"\xff")):
        our_value = next(line for line in ours if line.startswith(key + "=")).split('"')[1]
        their_value = next(line for line in theirs if line.startswith(key + "=")).split('"')[1]
        assert decrypt(our_value).data == decrypt(their_value).data == plain
        assert decrypt(our_value).seed == decrypt(their_value).seed
        assert decrypt(our_value).project_key == project_key(our_id)
        assert len(our_value) == len(their_value)


def test_project_wm_matches_reference_for_same_modules(mirror: bytes, reference: bytes) -> None:
    assert read_compound_file(mirror)["PROJECTwm"] == read_compound_file(reference)["PROJECTwm"]


def test_vba_project_stream_equals_reference(built: bytes, reference: bytes) -> None:
    assert read_compound_file(built)["VBA/_VBA_PROJECT"] == read_compound_file(reference)["VBA/_VBA_PROJECT"]


# --------------------------------------------------------------------------- input validation


def test_non_ascii_source_is_rejected_with_module_and_line() -> None:
    with pytest.raises(ValueError, match=r"module 'ZipingUdfs': code line 3, column 13 .*'绩'"):
        VbaModule("ZipingUdfs", "standard", 'Sub A()\n    x = 1\n    MsgBox "绩效"\nEnd Sub\n')


def test_non_ascii_module_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "Bad.bas"
    path.write_bytes(b'Attribute VB_Name = "Bad"\r\n\' caf\xe9\r\n')
    with pytest.raises(ValueError, match=r"module 'Bad': code line 1"):
        load_module_file(path)


@pytest.mark.parametrize("name", ["dir", "_VBA_PROJECT", "1abc", "Modul e", "M\u00f6dul", "x" * 32])
def test_bad_module_names_are_rejected(name: str) -> None:
    with pytest.raises(ValueError):
        VbaModule(name, "standard", "")


def test_duplicate_module_names_are_rejected() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        build_vba_project([VbaModule("Tools", "standard", ""), VbaModule("TOOLS", "class", "")])


def test_load_module_file_parses_class_header() -> None:
    module = load_module_file(XLWINGS_DIR / "addin" / "Dictionary.cls")
    assert module.name == "Dictionary" and module.kind == "class"
    assert dict(module.attributes)["VB_Exposed"] == "True"
    assert not module.code.startswith(("VERSION", "BEGIN", "Attribute VB_"))
    assert module.docstring().startswith("Drop-in replacement for Scripting.Dictionary on Mac\r\n")
