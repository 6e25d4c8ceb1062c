"""generator.png: PNGs made smaller without changing a pixel (share cards and chart downloads)."""

from __future__ import annotations

import struct
import zlib

import pytest

from generator.png import smaller


def _png(width: int, height: int, rows: list[bytes], level: int = 1) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))
    raw = b"".join(b"\x00" + row for row in rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    idat = zlib.compress(raw, level)
    # the image data split over two IDAT chunks, as encoders may write it
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"pHYs", b"\x00" * 9)
            + chunk(b"IDAT", idat[:10]) + chunk(b"IDAT", idat[10:]) + chunk(b"IEND", b""))


def _pixels(data: bytes) -> bytes:
    pos, idat = 8, b""
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        if data[pos + 4:pos + 8] == b"IDAT":
            idat += data[pos + 8:pos + 8 + n]
        assert struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])[0] == \
            zlib.crc32(data[pos + 4:pos + 8 + n])
        pos += 12 + n
    return zlib.decompress(idat)


# a card-like image: white, a blue bar down the left, a grey line of "text"
ROWS = [b"".join(b"\x3b\x7d\xdd\xff" if x < 24 else
                 (b"\x44\x44\x44\xff" if 300 < y < 310 and x % 7 else b"\xff\xff\xff\xff")
                 for x in range(600)) for y in range(315)]


def test_the_same_pixels_in_fewer_bytes_with_the_other_chunks_kept():
    before = _png(600, 315, ROWS, level=0)
    after = smaller(before)
    assert len(after) < len(before) // 20
    assert _pixels(after) == _pixels(before)
    assert after[8:8 + 25] == before[8:8 + 25]  # the header chunk, byte for byte
    assert b"pHYs" in after and after.endswith(b"IEND\xaeB`\x82")
    assert after.count(b"IDAT") == 1


@pytest.mark.parametrize("data", [
    b"", b"GIF89a", b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR",
    _png(4, 1, [b"\x00" * 16])[:-12],  # no end chunk
], ids=["empty", "not-a-png", "cut-off", "no-end"])
def test_what_cannot_be_read_is_given_back_unchanged(data):
    assert smaller(data) is data
