"""Minimal deterministic MS-CFB (Compound File Binary) writer, plus a small reader.

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
* zero CLSIDs, state bits and timestamps, as in the vbaProject.bin xlwings
  ships in quickstart_standalone.xlsm, so identical input gives identical bytes.

Sector layout: FAT sectors, directory, MiniFAT, mini stream, large streams.

``read_compound_file`` is the matching small reader, so the project reader
(and template up-to-date checks) need no third-party package at run time.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["read_compound_file", "write_compound_file"]

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


def _follow(fat: list[int], first: int, limit: int) -> list[int]:
    """Sector chain starting at ``first``; rejects loops and bad indices."""
    chain: list[int] = []
    sector = first
    while sector != _ENDOFCHAIN:
        if sector >= len(fat) or len(chain) > limit:
            raise ValueError("corrupt compound file: bad or looping sector chain")
        chain.append(sector)
        sector = fat[sector]
    return chain


def read_compound_file(data: bytes) -> dict[str, bytes]:
    """Read every stream of a CFB file as ``{"VBA/dir": bytes, ...}``.

    Handles what Office writes for vbaProject.bin (v3 or v4 sectors, header
    DIFAT, mini stream); raises ``ValueError`` on anything inconsistent.
    """
    data = bytes(data)
    if data[:8] != _SIGNATURE:
        raise ValueError("not a compound file (bad signature)")
    sector_shift, mini_shift = struct.unpack_from("<HH", data, 30)
    sector_size, mini_size = 1 << sector_shift, 1 << mini_shift
    (fat_count, dir_start, _, cutoff, mini_fat_start, mini_fat_count,
     difat_start, difat_count) = struct.unpack_from("<IIIIIIII", data, 44)
    difat = list(struct.unpack_from("<109I", data, 76))
    sector_count = (len(data) - sector_size) // sector_size
    sector = difat_start
    for _ in range(difat_count):
        if sector >= sector_count:
            raise ValueError("corrupt compound file: bad DIFAT sector")
        values = struct.unpack_from(f"<{sector_size // 4}I", data, sector_size * (sector + 1))
        difat += values[:-1]
        sector = values[-1]
    ids_per_sector = sector_size // 4

    def read_sector(index: int) -> bytes:
        if index >= sector_count:
            raise ValueError("corrupt compound file: sector index out of range")
        start = sector_size * (index + 1)
        return data[start:start + sector_size]

    fat: list[int] = []
    for index in difat[:fat_count]:
        fat += struct.unpack(f"<{ids_per_sector}I", read_sector(index))

    def read_chain(first: int) -> bytes:
        return b"".join(read_sector(s) for s in _follow(fat, first, sector_count))

    directory = read_chain(dir_start)
    mini_fat_bytes = read_chain(mini_fat_start) if mini_fat_count else b""
    mini_fat = list(struct.unpack(f"<{len(mini_fat_bytes) // 4}I", mini_fat_bytes))

    def entry(index: int) -> tuple[str, int, int, int, int, int, int]:
        raw = directory[index * _DIR_ENTRY_SIZE:(index + 1) * _DIR_ENTRY_SIZE]
        if len(raw) != _DIR_ENTRY_SIZE:
            raise ValueError("corrupt compound file: directory index out of range")
        name_length, kind = struct.unpack_from("<HB", raw, 64)
        left, right, child = struct.unpack_from("<III", raw, 68)
        start, size = struct.unpack_from("<IQ", raw, 116)
        name = raw[:max(name_length - 2, 0)].decode("utf-16-le")
        return name, kind, left, right, child, start, size & 0xFFFFFFFF if sector_shift == 9 else size

    _, root_kind, _, _, root_child, root_start, root_size = entry(0)
    if root_kind != _TYPE_ROOT:
        raise ValueError("corrupt compound file: entry 0 is not the root")
    mini_stream = read_chain(root_start)[:root_size] if root_size else b""

    def read_stream(start: int, size: int) -> bytes:
        if size == 0:
            return b""
        if size >= cutoff:
            return read_chain(start)[:size]
        chain = _follow(mini_fat, start, len(mini_fat))
        return b"".join(mini_stream[s * mini_size:(s + 1) * mini_size] for s in chain)[:size]

    streams: dict[str, bytes] = {}
    seen: set[int] = set()
    pending = [(root_child, "")]
    while pending:
        index, prefix = pending.pop()
        if index == _NOSTREAM:
            continue
        if index in seen:
            raise ValueError("corrupt compound file: directory tree has a cycle")
        seen.add(index)
        name, kind, left, right, child, start, size = entry(index)
        pending += [(left, prefix), (right, prefix)]
        if kind == _TYPE_STORAGE:
            pending.append((child, f"{prefix}{name}/"))
        elif kind == _TYPE_STREAM:
            streams[f"{prefix}{name}"] = read_stream(start, size)
    return dict(sorted(streams.items()))
