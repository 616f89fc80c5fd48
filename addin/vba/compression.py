"""MS-OVBA 2.4.1 compression: the LZ77 variant used for the ``dir`` stream and
for every module's source text inside ``vbaProject.bin``.

A CompressedContainer (2.4.1.1.1) is the signature byte 0x01 followed by
CompressedChunks.  Each chunk covers (at most) 4096 decompressed bytes and
starts with a 16-bit header: bits 0-11 = chunk size - 3, bits 12-14 = 0b011,
bit 15 = 1 when the chunk body is a token sequence, 0 when it is 4096 raw bytes.

The compressor is greedy (longest match at each position, closest match on
ties) which is what the spec's own pseudocode (2.4.1.3.19.4) does.  It only
falls back to a raw chunk when a token sequence would not fit in 4096 bytes,
which cannot happen for text: source code always has 3-byte repeats.  A raw
final chunk is zero-padded to 4096 bytes as 2.4.1.3.10 requires, so for
incompressible input the decompressed output ends with that padding.
"""

from __future__ import annotations

import struct

__all__ = ["compress", "decompress", "CHUNK_SIZE"]

#: Decompressed bytes per CompressedChunk (2.4.1.1.4).
CHUNK_SIZE = 4096
_SIGNATURE_BYTE = 0x01
_CHUNK_SIGNATURE = 0b011 << 12
_CHUNK_FLAG_COMPRESSED = 1 << 15
_MIN_MATCH = 3
#: Match candidates tried per position (most recent first): bounds the cost on
#: low-entropy binary input; VBA text finds its long matches well within this.
_MAX_CANDIDATES = 128


def _copy_token_layout(decompressed_offset: int) -> tuple[int, int]:
    """Return ``(bit_count, maximum_length)`` of a CopyToken (2.4.1.3.19.1).

    The split between offset bits and length bits depends on how far into the
    chunk the token starts: offsets can never exceed that distance, so the
    remaining bits encode longer lengths.
    """
    bit_count = max((decompressed_offset - 1).bit_length(), 4)
    return bit_count, (0xFFFF >> bit_count) + _MIN_MATCH


def _compress_chunk(chunk: bytes) -> bytes:
    """Compress one <=4096-byte DecompressedChunk into a CompressedChunk."""
    out = bytearray()
    positions: dict[bytes, list[int]] = {}
    current = 0
    end = len(chunk)
    while current < end:
        flag_index = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if current >= end:
                break
            bit_count, max_length = _copy_token_layout(current)
            best_length = 0
            best_offset = 0
            key = chunk[current:current + _MIN_MATCH]
            candidates = positions.get(key, ()) if len(key) == _MIN_MATCH else ()
            limit = min(max_length, end - current)
            for candidate in reversed(candidates[-_MAX_CANDIDATES:]):
                length = _MIN_MATCH
                while length < limit and chunk[candidate + length] == chunk[current + length]:
                    length += 1
                if length > best_length:
                    best_length, best_offset = length, current - candidate
                    if length == limit:
                        break
            if best_length >= _MIN_MATCH:
                token = ((best_offset - 1) << (16 - bit_count)) | (best_length - _MIN_MATCH)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                step = best_length
            else:
                out.append(chunk[current])
                step = 1
            for index in range(current, current + step):
                if index + _MIN_MATCH <= end:
                    positions.setdefault(chunk[index:index + _MIN_MATCH], []).append(index)
            current += step
        out[flag_index] = flags
    if len(out) > CHUNK_SIZE:
        # 2.4.1.3.10: a raw chunk always holds exactly 4096 bytes.
        return struct.pack("<H", _CHUNK_SIGNATURE | 0x0FFF) + chunk.ljust(CHUNK_SIZE, b"\x00")
    header = _CHUNK_FLAG_COMPRESSED | _CHUNK_SIGNATURE | (len(out) + 2 - 3)
    return struct.pack("<H", header) + bytes(out)


def compress(data: bytes) -> bytes:
    """Compress ``data`` into an MS-OVBA CompressedContainer (2.4.1.3.6)."""
    data = bytes(data)
    parts = [bytes([_SIGNATURE_BYTE])]
    for start in range(0, len(data), CHUNK_SIZE):
        parts.append(_compress_chunk(data[start:start + CHUNK_SIZE]))
    return b"".join(parts)


def decompress(container: bytes) -> bytes:
    """Decompress an MS-OVBA CompressedContainer (2.4.1.3.1).

    Strict: raises ``ValueError`` on a bad signature, a bad chunk header,
    a truncated chunk or a CopyToken pointing before the chunk start, so that
    tests catch encoder bugs instead of silently reading garbage.
    """
    container = bytes(container)
    if not container or container[0] != _SIGNATURE_BYTE:
        raise ValueError("not an MS-OVBA compressed container (signature byte != 0x01)")
    out = bytearray()
    current = 1
    while current < len(container):
        if current + 2 > len(container):
            raise ValueError(f"truncated chunk header at offset {current}")
        (header,) = struct.unpack_from("<H", container, current)
        if header & 0x7000 != _CHUNK_SIGNATURE:
            raise ValueError(f"bad CompressedChunkSignature at offset {current}")
        chunk_end = current + (header & 0x0FFF) + 3
        if chunk_end > len(container):
            raise ValueError(f"chunk at offset {current} runs past the end of the container")
        body = container[current + 2:chunk_end]
        current = chunk_end
        if not header & _CHUNK_FLAG_COMPRESSED:
            if len(body) != CHUNK_SIZE:
                raise ValueError("raw chunk does not hold 4096 bytes")
            out += body
            continue
        chunk_start = len(out)
        position = 0
        while position < len(body):
            flags = body[position]
            position += 1
            for bit in range(8):
                if position >= len(body):
                    break
                if not flags >> bit & 1:
                    out.append(body[position])
                    position += 1
                    continue
                if position + 2 > len(body):
                    raise ValueError("truncated CopyToken")
                (token,) = struct.unpack_from("<H", body, position)
                position += 2
                bit_count, _ = _copy_token_layout(len(out) - chunk_start)
                length = (token & (0xFFFF >> bit_count)) + _MIN_MATCH
                offset = (token >> (16 - bit_count)) + 1
                source = len(out) - offset
                if source < chunk_start:
                    raise ValueError("CopyToken points before the start of its chunk")
                for index in range(source, source + length):
                    out.append(out[index])
        if len(out) - chunk_start > CHUNK_SIZE:
            raise ValueError("compressed chunk decompresses to more than 4096 bytes")
    return bytes(out)
