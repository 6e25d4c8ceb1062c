"""PNG files made smaller without changing a pixel.

vl-convert writes PNGs with fast, light compression: a share card (1,200 × 630, mostly white) came
out at 141 KB, and at 5,000 companies the cards alone would be most of a GitHub Pages site's 1 GB.
Compressing the same image data again at zlib's default level (6) gives the same pixels in about
a quarter of the bytes (33 KB for that card), in milliseconds, with the standard library alone: the
image data (IDAT) is decompressed and compressed again, every other chunk is kept as it is. Level 9
saved 1 % more bytes at four times the time (33 against 8 ms a card: at 1,000 companies half a
minute of a cold build), so it is not used.
"""

from __future__ import annotations

import struct
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"
LEVEL = 6  # see the module's docstring


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """The (type, body) chunks of a PNG; ValueError when it is not a whole one."""
    if not data.startswith(SIGNATURE):
        raise ValueError("not a PNG")
    out, pos = [], len(SIGNATURE)
    while pos < len(data):
        if pos + 12 > len(data):
            raise ValueError("cut off")
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if len(body) != length:
            raise ValueError("cut off")
        out.append((kind, body))
        pos += 12 + length
    if not out or out[-1][0] != b"IEND":
        raise ValueError("no end")
    return out


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def smaller(data: bytes) -> bytes:
    """``data`` (a PNG) with its image data compressed at zlib's level 6: the same image in
    fewer bytes. What cannot be read, or would not get smaller, is given back unchanged."""
    try:
        chunks = _chunks(data)
        raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    except (ValueError, zlib.error):
        return data
    out, placed = [SIGNATURE], False
    for kind, body in chunks:
        if kind != b"IDAT":
            out.append(_chunk(kind, body))
        elif not placed:  # one IDAT chunk where the first one was
            out.append(_chunk(b"IDAT", zlib.compress(raw, LEVEL)))
            placed = True
    new = b"".join(out)
    return new if len(new) < len(data) else data
