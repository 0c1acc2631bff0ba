"""Photo decoding: every odd or hostile input is either handled correctly or refused clearly."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from tests.factories import jpeg_bytes
from vision.errors import InvalidImage
from vision.image import load_photo


def _pil_bytes(img: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **kw)
    return buf.getvalue()


def _gradient_rgb(w=64, h=48) -> np.ndarray:
    x = np.linspace(0, 255, w, dtype=np.uint8)
    rgb = np.zeros((h, w, 3), np.uint8)
    rgb[:, :, 0] = x
    rgb[:, :, 1] = 100
    rgb[:, :, 2] = 255 - x
    return rgb


@pytest.mark.parametrize(
    ("name", "make", "expected_wh"),
    [
        ("rgb jpeg", lambda: _pil_bytes(Image.fromarray(_gradient_rgb()), "JPEG"), (64, 48)),
        ("grey png", lambda: _pil_bytes(Image.new("L", (40, 30), 90), "PNG"), (40, 30)),
        ("16-bit png", lambda: _pil_bytes(
            Image.fromarray(np.full((30, 40), 40000, np.uint16)), "PNG"), (40, 30)),
        ("cmyk jpeg", lambda: _pil_bytes(Image.new("CMYK", (40, 30), (0, 255, 255, 0)), "JPEG"),
         (40, 30)),
        ("rgba png", lambda: _pil_bytes(Image.new("RGBA", (40, 30), (255, 0, 0, 0)), "PNG"),
         (40, 30)),
        ("palette gif", lambda: _pil_bytes(Image.new("P", (40, 30), 3), "GIF"), (40, 30)),
    ],
)
def test_modes_decode_to_bgr8(name, make, expected_wh):
    photo = load_photo(make(), source_name=name)
    assert photo.size_wh == expected_wh
    assert photo.pixels_bgr.dtype == np.uint8 and photo.pixels_bgr.shape[2] == 3


def test_cmyk_red_stays_red():
    photo = load_photo(_pil_bytes(Image.new("CMYK", (40, 30), (0, 255, 255, 0)), "JPEG"))
    b, g, r = photo.pixels_bgr[15, 20]
    assert r > 200 and g < 60 and b < 60


def test_transparent_becomes_white():
    photo = load_photo(_pil_bytes(Image.new("RGBA", (40, 30), (255, 0, 0, 0)), "PNG"))
    assert photo.pixels_bgr.min() == 255


def test_exif_rotation_applied_and_focal_gps_read():
    rgb = _gradient_rgb(64, 48)
    img = Image.fromarray(rgb)
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display upright
    exif[0x010F] = "Acme"
    exif[0x0110] = "Phone 3"
    sub = exif.get_ifd(0x8769)
    sub[0xA405] = 26  # FocalLengthIn35mmFilm
    sub[0x9003] = "2026:11:20 10:30:00"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (7.0, 0.0, 36.0)   # Hat Yai ~ 7.01 N
    gps[3], gps[4] = "E", (100.0, 28.0, 12.0)
    photo = load_photo(_pil_bytes(img, "JPEG", exif=exif.tobytes()))
    assert photo.size_wh == (48, 64)  # rotated upright
    # After a 90° clockwise turn the left column (blue end of the gradient) is at the top.
    top = photo.pixels_bgr[0, :, :].mean(axis=0)
    bottom = photo.pixels_bgr[-1, :, :].mean(axis=0)
    assert top[0] > bottom[0]  # B channel higher at the top
    cam = photo.camera
    assert cam.focal_px == pytest.approx(26 / 36 * 64)
    assert cam.gps_lat_deg == pytest.approx(7.01, abs=1e-3)
    assert cam.gps_lon_deg == pytest.approx(100.47, abs=1e-3)
    assert cam.taken_at.year == 2026 and cam.make_model == "Acme Phone 3"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty", b"", "empty"),
        ("text", b"hello, this is not a photo" * 10, "not an image"),
        ("truncated jpeg", jpeg_bytes(np.full((400, 600, 3), 128, np.uint8))[:700], "corrupt or truncated"),
        ("tiny", _pil_bytes(Image.new("RGB", (8, 8)), "PNG"), "only 8x8"),
    ],
)
def test_bad_bytes_refused_with_reason(name, data, message):
    with pytest.raises(InvalidImage, match=message):
        load_photo(data, source_name=name)


def test_decompression_bomb_refused_before_decoding():
    # A 20000 x 20000 PNG of zeros is tiny on disk but 400 MP decoded.
    big = Image.new("1", (20000, 20000))
    data = _pil_bytes(big, "PNG")
    assert len(data) < 2_000_000
    with pytest.raises(InvalidImage, match="above the 120 MP limit"):
        load_photo(data)


def test_huge_but_allowed_limit_is_configurable():
    data = _pil_bytes(Image.new("RGB", (2000, 1000)), "PNG")
    with pytest.raises(InvalidImage, match="MP limit"):
        load_photo(data, max_pixels=1_000_000)


def test_file_limits(tmp_path):
    from vision.image import load_photo_file

    big = tmp_path / "big.jpg"
    big.write_bytes(b"\0" * 2048)
    with pytest.raises(InvalidImage, match="above the 0 MiB limit"):
        load_photo_file(big, max_bytes=1024)
    with pytest.raises(InvalidImage, match="not a file"):
        load_photo_file(tmp_path)
    with pytest.raises(InvalidImage, match="cannot read"):
        load_photo_file(tmp_path / "missing.jpg")


def test_text_is_refused_even_after_ultralytics_patched_pil():
    import ultralytics.utils.patches  # noqa: F401  (replaces PIL.Image.open process-wide)

    with pytest.raises(InvalidImage, match="not an image"):
        load_photo(b"hello, this is not a photo" * 10)
