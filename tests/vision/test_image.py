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


# --- the OpenCV fast path of load_photo: same pixels as PIL, same refusals -----------------


def _pil_reference_bgr(data: bytes) -> np.ndarray:
    """What load_photo decoded before its OpenCV fast path: PIL, EXIF transpose, RGB -> BGR."""
    from PIL import ImageOps

    img = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    return np.asarray(img.convert("RGB"))[:, :, ::-1]


def _textured_rgb(w=97, h=61) -> np.ndarray:
    # Odd sizes, noise and a gradient: chroma upsampling and edge blocks both matter.
    rng = np.random.default_rng(7)
    rgb = _gradient_rgb(w, h).astype(np.int16) + rng.integers(-40, 40, (h, w, 3))
    return np.clip(rgb, 0, 255).astype(np.uint8)


def _with_orientation(img: Image.Image, orientation: int, **kw) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return _pil_bytes(img, "JPEG", exif=exif.tobytes(), **kw)


@pytest.mark.parametrize("orientation", range(1, 9))
@pytest.mark.parametrize("mode", ["RGB", "L"])
def test_fast_jpeg_decode_is_pixel_identical_to_pil(orientation, mode):
    from vision.image import _decode_jpeg_with_opencv

    data = _with_orientation(Image.fromarray(_textured_rgb()).convert(mode), orientation)
    assert _decode_jpeg_with_opencv(data, Image.open(io.BytesIO(data))) is not None  # fast path
    photo = load_photo(data)
    np.testing.assert_array_equal(photo.pixels_bgr, _pil_reference_bgr(data))


@pytest.mark.parametrize(("name", "kw"), [("progressive", {"progressive": True}),
                                          ("4:4:4", {"subsampling": 0}),
                                          ("4:2:2", {"subsampling": 1})])
def test_fast_jpeg_decode_other_encodings(name, kw):
    data = _pil_bytes(Image.fromarray(_textured_rgb()), "JPEG", quality=80, **kw)
    np.testing.assert_array_equal(load_photo(data).pixels_bgr, _pil_reference_bgr(data))


def test_jpeg_with_trailing_bytes_and_cmyk_take_the_pil_path():
    from vision.image import _decode_jpeg_with_opencv

    plain = _pil_bytes(Image.fromarray(_textured_rgb()), "JPEG")
    for data in (plain + b"camera trailer", _pil_bytes(Image.new("CMYK", (40, 30)), "JPEG")):
        assert _decode_jpeg_with_opencv(data, Image.open(io.BytesIO(data))) is None
        np.testing.assert_array_equal(load_photo(data).pixels_bgr, _pil_reference_bgr(data))


# --- load_preview: the detector's reduced decode ----------------------------------------------


def _marker_photo(w=1200, h=800) -> np.ndarray:
    """Dark RGB image with one bright off-centre square: its centroid locates coordinates."""
    rgb = np.full((h, w, 3), 30, np.uint8)
    rgb[100:260, 700:900] = 230
    return rgb


def _centroid(bgr: np.ndarray) -> np.ndarray:
    ys, xs = np.nonzero(bgr[:, :, 1] > 130)
    return np.array([xs.mean() + 0.5, ys.mean() + 0.5])  # pixel centres, continuous coordinates


def test_preview_of_a_jpeg_is_decoded_at_dct_scale():
    from vision.image import load_preview

    data = _pil_bytes(Image.new("RGB", (2600, 1950), (10, 120, 200)), "JPEG")
    preview = load_preview(data, min_long_side_px=640, source_name="p.jpg")
    # 1/4 keeps the long side >= 640 (650); 1/8 would not (325).
    assert preview.size_wh == (650, 488)
    assert preview.scale_xy == (4.0, 4.0)
    assert preview.full_size_wh == (2600, 1950)
    assert preview.source_name == "p.jpg"
    assert preview.pixels_bgr.dtype == np.uint8 and preview.pixels_bgr.shape == (488, 650, 3)
    b, g, r = preview.pixels_bgr[200, 300]
    assert abs(int(b) - 200) < 6 and abs(int(g) - 120) < 6 and abs(int(r) - 10) < 6


@pytest.mark.parametrize("orientation", range(1, 9))
def test_preview_coordinates_are_in_the_upright_full_photo(orientation):
    from vision.image import load_preview

    data = _with_orientation(Image.fromarray(_marker_photo()), orientation, quality=95)
    photo = load_photo(data)
    preview = load_preview(data, min_long_side_px=300)
    assert preview.full_size_wh == photo.size_wh
    assert preview.scale_xy == (4.0, 4.0)
    assert preview.camera == photo.camera
    in_full = _centroid(preview.pixels_bgr) * np.array(preview.scale_xy)
    np.testing.assert_allclose(in_full, _centroid(photo.pixels_bgr), atol=2.0)


def test_preview_camera_focal_is_for_the_full_photo():
    from vision.image import load_preview

    exif = Image.Exif()
    exif.get_ifd(0x8769)[0xA405] = 26
    data = _pil_bytes(Image.fromarray(_marker_photo()), "JPEG", exif=exif.tobytes())
    preview = load_preview(data, min_long_side_px=300)
    assert preview.camera.focal_px == pytest.approx(26 / 36 * 1200)


@pytest.mark.parametrize(
    ("name", "make", "full_wh", "preview_wh"),
    [
        ("grey jpeg", lambda: _pil_bytes(Image.new("L", (1280, 960), 90), "JPEG"),
         (1280, 960), (320, 240)),
        ("cmyk jpeg", lambda: _pil_bytes(Image.new("CMYK", (1280, 960), (0, 255, 255, 0)), "JPEG"),
         (1280, 960), (320, 240)),
        ("16-bit png", lambda: _pil_bytes(
            Image.fromarray(np.full((900, 1200), 40000, np.uint16)), "PNG"), (1200, 900), (300, 225)),
        ("rgba png", lambda: _pil_bytes(Image.new("RGBA", (1200, 600), (255, 0, 0, 0)), "PNG"),
         (1200, 600), (300, 150)),
        ("small jpeg", lambda: _pil_bytes(Image.fromarray(_gradient_rgb()), "JPEG"), (64, 48), (64, 48)),
    ],
)
def test_preview_modes_and_fallback(name, make, full_wh, preview_wh):
    from vision.image import load_preview

    data = make()
    preview = load_preview(data, min_long_side_px=300)
    assert preview.full_size_wh == full_wh and preview.size_wh == preview_wh, name
    assert preview.pixels_bgr.dtype == np.uint8 and preview.pixels_bgr.shape[2] == 3
    assert preview.scale_xy == pytest.approx((full_wh[0] / preview_wh[0], full_wh[1] / preview_wh[1]))
    if name == "cmyk jpeg":
        b, g, r = preview.pixels_bgr[100, 100]
        assert r > 200 and g < 60 and b < 60
    if name == "rgba png":
        assert preview.pixels_bgr.min() == 255  # transparent -> white, as load_photo does
    if name == "small jpeg":  # already below the size: decoded as is
        np.testing.assert_array_equal(preview.pixels_bgr, load_photo(data).pixels_bgr)


def test_preview_of_a_png_is_reduced_with_area_averaging():
    from vision.image import load_preview

    stripes = np.zeros((1000, 2000, 3), np.uint8)
    stripes[:, ::2] = 255  # one-pixel stripes: area averaging gives grey, not aliasing
    preview = load_preview(_pil_bytes(Image.fromarray(stripes), "PNG"), min_long_side_px=500)
    assert preview.size_wh == (500, 250) and preview.scale_xy == (4.0, 4.0)
    assert np.abs(preview.pixels_bgr.astype(int) - 128).max() <= 1


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty", b"", "empty"),
        ("text", b"hello, this is not a photo" * 10, "not an image"),
        ("truncated jpeg", jpeg_bytes(np.full((1200, 1600, 3), 128, np.uint8))[:2000],
         "corrupt or truncated"),
        ("tiny", _pil_bytes(Image.new("RGB", (8, 8)), "PNG"), "only 8x8"),
        ("bomb", _pil_bytes(Image.new("1", (20000, 20000)), "PNG"), "above the 120 MP limit"),
    ],
)
def test_preview_refuses_what_load_photo_refuses(name, data, message):
    from vision.image import load_preview

    with pytest.raises(InvalidImage, match=message):
        load_preview(data, min_long_side_px=640, source_name=name)


def test_preview_of_a_truncated_noisy_jpeg_is_refused_at_every_scale():
    from vision.image import load_preview

    noisy = (np.random.default_rng(3).random((1600, 2400, 3)) * 255).astype(np.uint8)
    data = jpeg_bytes(noisy)
    for cut in (len(data) // 3, len(data) - 50):
        for min_side in (200, 400, 800, 2400):  # DCT scales 1/8, 1/4, 1/2, 1
            with pytest.raises(InvalidImage, match="corrupt or truncated"):
                load_preview(data[:cut], min_long_side_px=min_side)


def test_preview_pixel_limit_is_checked_from_the_header():
    from vision.image import load_preview

    data = _pil_bytes(Image.new("RGB", (2000, 1000)), "JPEG")
    with pytest.raises(InvalidImage, match="MP limit"):
        load_preview(data, min_long_side_px=640, max_pixels=1_000_000)
    with pytest.raises(ValueError, match="min_long_side_px"):
        load_preview(data, min_long_side_px=0)
