"""MS-OVBA 2.4.3 Data Encryption, used for the PROJECT stream's CMG, DPB and
GC values (2.3.1.15-2.3.1.17).

It is obfuscation, not security: every byte is XOR-ed with the sum of the
previous plaintext byte and the ciphertext byte two positions back.  Office
picks a random Seed and random "ignored" bytes on every save; we use fixed
ones (the same ones as in xlwings' quickstart_standalone.xlsm) so
builds are deterministic.  Readers discard both (2.4.3.3).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DataEncryption", "encrypt", "decrypt", "project_key"]

_ENCRYPTION_VERSION = 2


@dataclass(frozen=True)
class DataEncryption:
    """A decoded encrypted value: what 2.4.3.3 decryption recovers."""

    seed: int
    project_key: int
    data: bytes


#: Seed and ignored bytes of Excel's own CMG/DPB/GC in the reference file.
FIXED_SEED = 0x8D
FIXED_IGNORED = bytes.fromhex("A9DB")


def project_key(project_id: str) -> int:
    """2.4.3.1: sum of the bytes of the ProjectId string (with braces), mod 256."""
    return sum(project_id.encode("ascii")) & 0xFF


def encrypt(data: bytes, project_id: str) -> str:
    """Encrypt ``data`` per 2.4.3.2; returns the upper-case hex text for PROJECT."""
    seed, ignored = FIXED_SEED, FIXED_IGNORED  # IgnoredLength = (0x8D & 6) / 2 = 2
    key = project_key(project_id)
    version_enc = seed ^ _ENCRYPTION_VERSION
    key_enc = seed ^ key
    out = bytearray([seed, version_enc, key_enc])
    unencrypted, encrypted_1, encrypted_2 = key, key_enc, version_enc
    for byte in ignored + len(data).to_bytes(4, "little") + bytes(data):
        byte_enc = byte ^ ((encrypted_2 + unencrypted) & 0xFF)
        out.append(byte_enc)
        encrypted_2, encrypted_1, unencrypted = encrypted_1, byte_enc, byte
    return out.hex().upper()


def decrypt(text: str) -> DataEncryption:
    """Decrypt a CMG/DPB/GC hex value per 2.4.3.3 (used to verify our output)."""
    raw = bytes.fromhex(text)
    seed, version_enc, key_enc = raw[0], raw[1], raw[2]
    if seed ^ version_enc != _ENCRYPTION_VERSION:
        raise ValueError("unsupported MS-OVBA data encryption version")
    key = seed ^ key_enc
    unencrypted, encrypted_1, encrypted_2 = key, key_enc, version_enc
    plain = bytearray()
    for byte_enc in raw[3:]:
        byte = byte_enc ^ ((encrypted_2 + unencrypted) & 0xFF)
        plain.append(byte)
        encrypted_2, encrypted_1, unencrypted = encrypted_1, byte_enc, byte
    ignored_length = (seed & 6) // 2
    length = int.from_bytes(plain[ignored_length:ignored_length + 4], "little")
    data = bytes(plain[ignored_length + 4:])
    if len(data) != length:
        raise ValueError(f"encrypted length field says {length}, found {len(data)} bytes")
    return DataEncryption(seed=seed, project_key=key, data=data)
