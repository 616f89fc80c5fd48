"""MS-OVBA 2.4.1 compression: our compressor against oletools' decompressor."""

from __future__ import annotations

import random
import struct
import zipfile
from pathlib import Path

import olefile
import pytest
import xlwings
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import decompress_stream

from addin.vba.compression import CHUNK_SIZE, compress, decompress
from addin.vba.dirstream import RecordId, parse_dir

REFERENCE_XLSM = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"


def chunk_flags(container: bytes) -> list[bool]:
    """CompressedChunkFlag of every chunk (True = token sequence, False = raw)."""
    flags = []
    offset = 1
    while offset < len(container):
        (header,) = struct.unpack_from("<H", container, offset)
        flags.append(bool(header & 0x8000))
        offset += (header & 0x0FFF) + 3
    assert offset == len(container), "chunk sizes must tile the container exactly"
    return flags


def expected_output(data: bytes, container: bytes) -> bytes:
    """What a spec decompressor must return for ``compress(data)``.

    Exactly ``data``, except that MS-OVBA 2.4.1.3.10 zero-pads a *raw* final
    chunk to 4096 bytes.  Raw chunks only happen for incompressible input
    (never for source text; see test_text_never_uses_raw_chunks).
    """
    flags = chunk_flags(container)
    if flags and not flags[-1] and len(data) % CHUNK_SIZE:
        return data + bytes(-len(data) % CHUNK_SIZE)
    return data


def check_round_trip(data: bytes) -> None:
    container = compress(data)
    assert container[0] == 0x01
    assert len(chunk_flags(container)) == -(-len(data) // CHUNK_SIZE)
    expected = expected_output(data, container)
    assert decompress(container) == expected
    assert bytes(decompress_stream(bytearray(container))) == expected


@settings(max_examples=80, deadline=None)
@given(st.binary(min_size=0, max_size=20000))
def test_round_trip_arbitrary_bytes(data: bytes) -> None:
    check_round_trip(data)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from([b"Dim ", b"x", b"As String", b"\r\n", b"    ", b"End Sub", b"'"]), max_size=3000))
def test_round_trip_repetitive_text(parts: list[bytes]) -> None:
    data = b"".join(parts)[:20000]
    check_round_trip(data)
    assert all(chunk_flags(compress(data)))


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=20000))
def test_text_never_uses_raw_chunks(text: str) -> None:
    """ASCII text must always get token-sequence chunks and round-trip exactly.

    Raw chunks are valid MS-OVBA, but third-party reports say Excel drops a
    module stored with them; printable ASCII (95 symbols) always has repeats.
    """
    data = text.encode("ascii")
    container = compress(data)
    assert all(chunk_flags(container))
    assert decompress(container) == data == bytes(decompress_stream(bytearray(container)))


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 4097, 20000])
@pytest.mark.parametrize("kind", ["random", "repetitive", "zeros"])
def test_round_trip_fixed_sizes(size: int, kind: str) -> None:
    if kind == "random":
        data = random.Random(size).randbytes(size)
    elif kind == "repetitive":
        data = (b"Public Function ZIPING_VBA_VERSION() As String\r\n" * (size // 40 + 1))[:size]
    else:
        data = bytes(size)
    check_round_trip(data)
    if kind != "random":
        assert decompress(compress(data)) == data
        assert len(compress(data)) < max(size, 8)


def test_raw_chunk_padding_follows_spec() -> None:
    """An incompressible 4095-byte tail is one raw chunk padded with one 0x00."""
    data = random.Random(1).randbytes(4095)
    container = compress(data)
    assert chunk_flags(container) == [False]
    assert len(container) == 1 + 2 + CHUNK_SIZE
    assert decompress(container) == data + b"\x00"


def test_decompress_matches_oletools_on_excel_streams() -> None:
    """Our decompressor reads every compressed stream Excel wrote in the reference."""
    with zipfile.ZipFile(REFERENCE_XLSM) as archive:
        ole = olefile.OleFileIO(archive.read("xl/vbaProject.bin"))
    raw_dir = ole.openstream("VBA/dir").read()
    assert decompress(raw_dir) == bytes(decompress_stream(bytearray(raw_dir)))
    # Module streams start with Excel's p-code cache; source is at MODULEOFFSET.
    records = parse_dir(decompress(raw_dir))
    stream_names = [r.data.decode("ascii") for r in records if r.id == RecordId.MODULE_STREAM_NAME]
    offsets = [struct.unpack("<I", r.data)[0] for r in records if r.id == RecordId.MODULE_OFFSET]
    assert len(stream_names) == len(offsets) == 6
    for name, offset in zip(stream_names, offsets):
        source = ole.openstream(f"VBA/{name}").read()[offset:]
        assert decompress(source) == bytes(decompress_stream(bytearray(source)))
        assert decompress(source).startswith(f'Attribute VB_Name = "{name}"'.encode())


@pytest.mark.parametrize(
    "container, message",
    [
        (b"", "signature"),
        (b"\x02\x00\x00", "signature"),
        (b"\x01\x00\x00", "CompressedChunkSignature"),
        (b"\x01\x05\xb0\x00a", "past the end"),
        (b"\x01\x02\xb0\x01\x00\x00", "before the start"),
    ],
)
def test_decompress_rejects_malformed_input(container: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        decompress(container)
