"""Minimal deterministic MS-CFB (Compound File Binary) writer.

``vbaProject.bin`` is a compound file (MS-OVBA 2.2).  olefile can only read,
so this writes version 3 files (512-byte sectors) with:

* streams shorter than 4096 bytes in the mini stream (MS-CFB 2.6.3),
  64-byte mini sectors chained by the MiniFAT;
* everything else in regular sectors chained by the FAT, whose sectors are
  listed in the header DIFAT (109 entries = files up to ~6.8 MB, far more
  than any VBA project; larger input is rejected rather than half-supported);
* per storage, children in a balanced binary search tree ordered as
  MS-CFB 2.6.4 requires (shorter name first, then case-insensitive), coloured
  so it is a valid red-black tree;
* zero CLSIDs, state bits and timestamps, as in the vbaProject.bin Excel
  ships in xlwings' quickstart file, so identical input gives identical bytes.

Sector layout: FAT sectors, directory, MiniFAT, mini stream, large streams.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["write_compound_file"]

_SECTOR_SIZE = 512
_MINI_SECTOR_SIZE = 64
_MINI_STREAM_CUTOFF = 4096
_DIR_ENTRY_SIZE = 128
_IDS_PER_SECTOR = _SECTOR_SIZE // 4
_HEADER_DIFAT_ENTRIES = 109

_FREESECT = 0xFFFFFFFF
_ENDOFCHAIN = 0xFFFFFFFE
_FATSECT = 0xFFFFFFFD
_NOSTREAM = 0xFFFFFFFF

_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
#: MS-CFB 2.2: minor version SHOULD be 0x003E; major 3 means 512-byte sectors.
_MINOR_VERSION = 0x003E
_MAJOR_VERSION = 0x0003
_BYTE_ORDER = 0xFFFE

_TYPE_STORAGE = 1
_TYPE_STREAM = 2
_TYPE_ROOT = 5
_RED = 0
_BLACK = 1


@dataclass
class _Node:
    """A directory entry before serialisation."""

    name: str
    kind: int
    data: bytes = b""
    children: dict[str, "_Node"] = field(default_factory=dict)
    entry_id: int = 0
    left: int = _NOSTREAM
    right: int = _NOSTREAM
    child: int = _NOSTREAM
    color: int = _BLACK
    start: int = _ENDOFCHAIN
    size: int = 0


def _sort_key(name: str) -> tuple[int, str]:
    """MS-CFB 2.6.4 ordering: by UTF-16 length, then by upper-cased name."""
    return len(name.encode("utf-16-le")) // 2, name.upper()


def _build_tree(streams: Mapping[str, bytes]) -> _Node:
    root = _Node("Root Entry", _TYPE_ROOT)
    for path, data in streams.items():
        parts = path.split("/")
        if any(not part or len(part) > 31 or any(c in part for c in "/\\:!") for part in parts):
            raise ValueError(f"invalid compound file path {path!r}")
        node = root
        for part in parts[:-1]:
            existing = node.children.get(part.upper())
            if existing is None:
                # MS-CFB 2.6.3: a storage's start sector and size are zero.
                existing = node.children[part.upper()] = _Node(part, _TYPE_STORAGE, start=0)
            elif existing.kind != _TYPE_STORAGE:
                raise ValueError(f"{path!r}: {part!r} is already a stream")
            node = existing
        if parts[-1].upper() in node.children:
            raise ValueError(f"duplicate compound file path {path!r}")
        node.children[parts[-1].upper()] = _Node(parts[-1], _TYPE_STREAM, bytes(data))
    return root


def _number_entries(root: _Node) -> list[_Node]:
    """Assign directory entry ids breadth-first (root = 0) and link siblings."""
    entries = [root]
    queue = [root]
    while queue:
        node = queue.pop(0)
        ordered = sorted(node.children.values(), key=lambda child: _sort_key(child.name))
        for child in ordered:
            child.entry_id = len(entries)
            entries.append(child)
            queue.append(child)
        node.child = _link_balanced(ordered, depth=0, red_depth=_red_depth(len(ordered)))
    return entries


def _red_depth(count: int) -> int:
    """Depth whose nodes are red so a middle-split tree is a valid red-black tree.

    A middle-split tree has every leaf at depth ``h`` or ``h - 1``.  Colouring
    the (incomplete) deepest level red gives every root-to-leaf path the same
    number of black nodes and no red node a red parent.  A perfect tree
    (count = 2**k - 1) is all black: returns -1.
    """
    if count & (count + 1) == 0:
        return -1
    return count.bit_length() - 1


def _link_balanced(nodes: list[_Node], depth: int, red_depth: int) -> int:
    if not nodes:
        return _NOSTREAM
    middle = len(nodes) // 2
    node = nodes[middle]
    node.color = _RED if depth == red_depth else _BLACK
    node.left = _link_balanced(nodes[:middle], depth + 1, red_depth)
    node.right = _link_balanced(nodes[middle + 1:], depth + 1, red_depth)
    return node.entry_id


def _pad(data: bytes, unit: int) -> bytes:
    return data + b"\x00" * (-len(data) % unit)


def _chain(fat: list[int], first: int, count: int) -> None:
    for index in range(first, first + count - 1):
        fat[index] = index + 1
    fat[first + count - 1] = _ENDOFCHAIN


def _directory_entry(node: _Node) -> bytes:
    encoded = node.name.encode("utf-16-le") + b"\x00\x00"
    return struct.pack(
        "<64sHBBIII16sI8s8sIQ",
        encoded,
        len(encoded),
        node.kind,
        node.color,
        node.left,
        node.right,
        node.child,
        b"\x00" * 16,  # CLSID
        0,  # state bits
        b"\x00" * 8,  # creation time
        b"\x00" * 8,  # modified time
        node.start,
        node.size,
    )


_UNUSED_ENTRY = struct.pack(
    "<64sHBBIII16sI8s8sIQ", b"", 0, 0, 0, _NOSTREAM, _NOSTREAM, _NOSTREAM, b"", 0, b"", b"", 0, 0
)


def write_compound_file(streams: Mapping[str, bytes]) -> bytes:
    """Serialise ``streams`` (``"VBA/dir"`` style paths) as a CFB v3 file.

    Storages are implied by the paths.  Output depends only on the input
    (paths are sorted per MS-CFB order), so two builds are byte-identical.
    """
    root = _build_tree(streams)
    entries = _number_entries(root)
    streams_in_order = [node for node in entries if node.kind == _TYPE_STREAM]

    mini_stream = bytearray()
    mini_fat: list[int] = []
    large = [node for node in streams_in_order if len(node.data) >= _MINI_STREAM_CUTOFF]
    for node in streams_in_order:
        node.size = len(node.data)
        if node.size == 0 or node.size >= _MINI_STREAM_CUTOFF:
            continue
        count = -(-node.size // _MINI_SECTOR_SIZE)
        node.start = len(mini_fat)
        mini_fat.extend([0] * count)
        _chain(mini_fat, node.start, count)
        mini_stream += _pad(node.data, _MINI_SECTOR_SIZE)

    dir_sectors = -(-len(entries) * _DIR_ENTRY_SIZE // _SECTOR_SIZE)
    mini_fat_sectors = -(-len(mini_fat) // _IDS_PER_SECTOR)
    mini_fat.extend([_FREESECT] * (mini_fat_sectors * _IDS_PER_SECTOR - len(mini_fat)))
    mini_stream_sectors = -(-len(mini_stream) // _SECTOR_SIZE)
    large_sectors = [-(-len(node.data) // _SECTOR_SIZE) for node in large]
    payload_sectors = dir_sectors + mini_fat_sectors + mini_stream_sectors + sum(large_sectors)

    fat_sectors = 1
    while fat_sectors * _IDS_PER_SECTOR < fat_sectors + payload_sectors:
        fat_sectors += 1
    if fat_sectors > _HEADER_DIFAT_ENTRIES:
        raise ValueError("compound file too large for a header-only DIFAT (~6.8 MB)")

    fat = [_FREESECT] * (fat_sectors * _IDS_PER_SECTOR)
    for index in range(fat_sectors):
        fat[index] = _FATSECT
    next_sector = fat_sectors

    dir_start = next_sector
    _chain(fat, dir_start, dir_sectors)
    next_sector += dir_sectors

    mini_fat_start = _ENDOFCHAIN
    if mini_fat_sectors:
        mini_fat_start = next_sector
        _chain(fat, mini_fat_start, mini_fat_sectors)
        next_sector += mini_fat_sectors

    if mini_stream_sectors:
        root.start = next_sector
        root.size = len(mini_stream)
        _chain(fat, next_sector, mini_stream_sectors)
        next_sector += mini_stream_sectors

    for node, count in zip(large, large_sectors):
        node.start = next_sector
        _chain(fat, next_sector, count)
        next_sector += count

    directory = b"".join(_directory_entry(n) for n in entries)
    directory += _UNUSED_ENTRY * (dir_sectors * _SECTOR_SIZE // _DIR_ENTRY_SIZE - len(entries))

    difat = list(range(fat_sectors)) + [_FREESECT] * (_HEADER_DIFAT_ENTRIES - fat_sectors)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII109I",
        _SIGNATURE,
        b"\x00" * 16,
        _MINOR_VERSION,
        _MAJOR_VERSION,
        _BYTE_ORDER,
        9,  # sector shift: 2**9 = 512
        6,  # mini sector shift: 2**6 = 64
        b"\x00" * 6,
        0,  # number of directory sectors: MUST be 0 for version 3
        fat_sectors,
        dir_start,
        0,  # transaction signature
        _MINI_STREAM_CUTOFF,
        mini_fat_start,
        mini_fat_sectors,
        _ENDOFCHAIN,  # first DIFAT sector: none
        0,  # number of DIFAT sectors
        *difat,
    )
    body = [
        struct.pack(f"<{len(fat)}I", *fat),
        directory,
        struct.pack(f"<{len(mini_fat)}I", *mini_fat),
        _pad(bytes(mini_stream), _SECTOR_SIZE),
        *(_pad(node.data, _SECTOR_SIZE) for node in large),
    ]
    return header + b"".join(body)
