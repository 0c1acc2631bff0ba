"""Decode photo bytes into an upright 8-bit BGR ``Photo`` with camera facts from EXIF.

Every failure becomes ``InvalidImage`` with a reason a surveyor can act on. The pixel limit is
checked from the header *before* decoding, so a decompression bomb is refused cheaply.

Two decodes, one behaviour: ``load_photo`` gives the full-resolution photo that corners,
measurement and content need; ``load_preview`` gives a reduced copy for the detector, decoded
at 1/2, 1/4 or 1/8 scale inside the JPEG decoder (DCT scaling), about 8x cheaper than a full
12 MP decode. Both apply the EXIF orientation, so their coordinates are in the same upright image.
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError
from PIL.JpegImagePlugin import JpegImageFile

from vision.errors import InvalidImage
from vision.types import Camera, Photo, Preview

DEFAULT_MAX_PIXELS = 120_000_000  # 120 MP: above any phone; a 100 MP panorama still passes

# EXIF tag ids (PIL.ExifTags.Base)
_EXIF_IFD = 0x8769
_GPS_IFD = 0x8825
_TAG_MAKE, _TAG_MODEL = 0x010F, 0x0110
_TAG_ORIENTATION = 0x0112
_TAG_DATETIME_ORIGINAL = 0x9003
_TAG_FOCAL_35MM = 0xA405
# OpenSfM convention: 35 mm-equivalent focal is relative to a 36 mm wide frame on the long
# side. Other tools use the 43.27 mm diagonal; the two differ by about 4 % (measurement.md §2.3),
# which is why an EXIF focal length is a fallback, never tax-grade.
_FULL_FRAME_LONG_SIDE_MM = 36.0

_JPEG_EOI = b"\xff\xd9"  # end-of-image marker: a JPEG cut short never ends with it
_DCT_FACTORS = (8, 4, 2, 1)  # the reductions libjpeg decodes directly (PIL ``draft``)
# EXIF orientation -> the numpy/OpenCV steps that make the stored image upright; the same
# transforms as PIL's ``ImageOps.exif_transpose`` (tests compare the two pixel for pixel).
_UPRIGHT = {
    2: lambda a: cv2.flip(a, 1),
    3: lambda a: cv2.rotate(a, cv2.ROTATE_180),
    4: lambda a: cv2.flip(a, 0),
    5: lambda a: cv2.transpose(a),
    6: lambda a: cv2.rotate(a, cv2.ROTATE_90_CLOCKWISE),
    7: lambda a: cv2.flip(cv2.transpose(a), -1),
    8: lambda a: cv2.rotate(a, cv2.ROTATE_90_COUNTERCLOCKWISE),
}
_SWAPS_AXES = frozenset({5, 6, 7, 8})


DEFAULT_MAX_FILE_BYTES = 200 * 1024 * 1024  # far above any phone photo; refuses stray huge files


def read_photo_file(path: Path, *, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> bytes:
    """The file's bytes, or ``InvalidImage`` saying why they cannot be read."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InvalidImage(
                f"{path} is {size / 2**20:.0f} MiB, above the {max_bytes / 2**20:.0f} MiB limit")
        if not path.is_file():
            raise InvalidImage(f"{path} is not a file")
        return path.read_bytes()
    except OSError as exc:
        raise InvalidImage(f"cannot read {path}: {exc.strerror or exc}") from exc


def load_photo_file(path: Path, *, max_pixels: int = DEFAULT_MAX_PIXELS,
                    max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Photo:
    return load_photo(read_photo_file(path, max_bytes=max_bytes), source_name=str(path),
                      max_pixels=max_pixels)


def _register_heif() -> None:
    """HEIC/HEIF (iPhone photos) through pi-heif; registering twice is harmless."""
    from pi_heif import register_heif_opener

    register_heif_opener()


def _open(data: bytes) -> Image.Image:
    try:
        return Image.open(io.BytesIO(data))
    except UnidentifiedImageError:
        _register_heif()
        return Image.open(io.BytesIO(data))


@contextmanager
def _decode_errors(max_pixels: int) -> Iterator[None]:
    """Turn whatever PIL (or a plugin) raises into ``InvalidImage`` with a usable reason."""
    try:
        with warnings.catch_warnings():
            # PIL warns (and at 2x raises) on huge images; we enforce our own limit.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            yield
    except InvalidImage:
        raise
    except UnidentifiedImageError as exc:
        raise InvalidImage("not an image in a supported format (JPEG, PNG, HEIC, TIFF, WebP, ...)") from exc
    except Image.DecompressionBombError as exc:
        raise InvalidImage(
            f"image has too many pixels, above the {max_pixels / 1e6:.0f} MP limit ({exc})"
        ) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise InvalidImage(f"image data is corrupt or truncated: {exc}") from exc
    except ImportError as exc:  # a decoder plugin that is not installed
        raise InvalidImage(f"no decoder for this image format here: {exc}") from exc


def _open_checked(data: bytes, max_pixels: int) -> tuple[Image.Image, Image.Exif]:
    """Open (header only), refuse empty, tiny and over-limit images before any decoding."""
    if not data:
        raise InvalidImage("the file is empty")
    image = _open(data)
    w, h = image.size
    if w * h > max_pixels:
        raise InvalidImage(
            f"image is {w}x{h} = {w * h / 1e6:.0f} MP, above the {max_pixels / 1e6:.0f} MP limit"
        )
    if w < 16 or h < 16:
        raise InvalidImage(f"image is only {w}x{h} pixels; a sign cannot be measured")
    return image, image.getexif()


def _orientation(exif: Image.Exif) -> int:
    """The EXIF orientation when it is one that moves pixels (2..8), else 1."""
    value = exif.get(_TAG_ORIENTATION, 1)
    return value if isinstance(value, int) and value in _UPRIGHT else 1


def _upright(pixels: np.ndarray, orientation: int) -> np.ndarray:
    step = _UPRIGHT.get(orientation)
    return pixels if step is None else np.ascontiguousarray(step(pixels))


def _decode_jpeg_with_opencv(data: bytes, image: Image.Image) -> np.ndarray | None:
    """Full-size BGR straight from OpenCV's libjpeg-turbo, or None where PIL must decode.

    About twice as fast as PIL decode + RGB->BGR for a 12 MP photo, and pixel-identical for
    plain 8-bit colour and greyscale JPEGs (tests check). Only those qualify; CMYK, MPO and
    anything unusual keep PIL's behaviour. OpenCV fills a truncated JPEG with grey where PIL
    refuses it, so only data ending in the end-of-image marker is given to OpenCV.
    """
    if (image.format != "JPEG" or image.mode not in ("RGB", "L")
            or getattr(image, "bits", 8) != 8 or not data.endswith(_JPEG_EOI)):
        return None
    pixels = cv2.imdecode(np.frombuffer(data, np.uint8),
                          cv2.IMREAD_COLOR | cv2.IMREAD_IGNORE_ORIENTATION)
    if pixels is None or (pixels.shape[1], pixels.shape[0]) != image.size:
        return None  # PIL decodes it (or says what is wrong with it)
    return pixels


def load_photo(data: bytes, *, source_name: str = "",
               max_pixels: int = DEFAULT_MAX_PIXELS) -> Photo:
    """Decode ``data``; apply EXIF orientation; convert any mode (grey, 16-bit, CMYK, alpha).

    JPEG, PNG, TIFF, WebP, GIF and BMP are read; HEIC/HEIF through pi-heif's decoder (no HEIC
    encoder exists here to test it with, so it is not yet covered by a test).
    """
    pixels_bgr = None
    with _decode_errors(max_pixels):
        image, exif = _open_checked(data, max_pixels)
        orientation = _orientation(exif)
        pixels_bgr = _decode_jpeg_with_opencv(data, image)
        if pixels_bgr is None:
            image.load()  # forces the full decode: truncated files fail here
            if orientation != 1:
                # exif_transpose copies the whole image, so only call it when it rotates.
                image = ImageOps.exif_transpose(image)
    if pixels_bgr is None:
        pixels_bgr = _to_bgr8(image)
    else:
        pixels_bgr = _upright(pixels_bgr, orientation)
    camera = camera_from_exif(exif, size_wh=(pixels_bgr.shape[1], pixels_bgr.shape[0]))
    return Photo(pixels_bgr=pixels_bgr, camera=camera, source_name=source_name)


def _dct_factor(long_side_px: int, min_long_side_px: int) -> int:
    """The largest JPEG DCT reduction that keeps the long side >= ``min_long_side_px``."""
    return next(f for f in _DCT_FACTORS if math.ceil(long_side_px / f) >= min_long_side_px
                or f == 1)


def load_preview(data: bytes, *, min_long_side_px: int, source_name: str = "",
                 max_pixels: int = DEFAULT_MAX_PIXELS) -> Preview:
    """A reduced upright copy whose long side is at least ``min_long_side_px`` (the detector's
    input size), with the full photo's size and camera facts; refused exactly as ``load_photo``
    refuses (empty, tiny, over the pixel limit, corrupt or truncated).

    JPEG is decoded at the smallest DCT scale (1/8, 1/4, 1/2) still that large, e.g. a
    4000x3000 photo at 1/4, 1000x750: the decoder averages each block, so the preview is
    properly low-passed, and it reads all the data, so a truncated file still fails. Other
    formats (and JPEGs already small) are decoded in full and reduced with ``INTER_AREA``.
    """
    if min_long_side_px < 1:
        raise ValueError(f"min_long_side_px must be >= 1, got {min_long_side_px}")
    factor = 1.0
    with _decode_errors(max_pixels):
        image, exif = _open_checked(data, max_pixels)
        stored_w, stored_h = image.size
        orientation = _orientation(exif)
        wanted = _dct_factor(max(stored_w, stored_h), min_long_side_px)
        if isinstance(image, JpegImageFile) and wanted > 1:
            # Ask for the floor size: PIL picks the largest factor f with size // request >= f.
            drafted = image.draft(None, (stored_w // wanted, stored_h // wanted))
            if drafted is not None:
                factor = stored_w / drafted[1][2]  # box = (0, 0, w / f, h / f)
        image.load()  # decodes (at the reduced scale): truncated files fail here
    pixels = _upright(_to_bgr8(image), orientation)
    full_w, full_h = (stored_h, stored_w) if orientation in _SWAPS_AXES else (stored_w, stored_h)
    if factor > 1.0:
        scale_xy = (factor, factor)
    else:
        pixels, scale_xy = _reduce(pixels, min_long_side_px)
    camera = camera_from_exif(exif, size_wh=(full_w, full_h))
    return Preview(pixels_bgr=pixels, full_size_wh=(full_w, full_h), scale_xy=scale_xy,
                   camera=camera, source_name=source_name)


def _reduce(pixels: np.ndarray, long_side_px: int) -> tuple[np.ndarray, tuple[float, float]]:
    h, w = pixels.shape[:2]
    if max(w, h) <= long_side_px:
        return pixels, (1.0, 1.0)
    ratio = max(w, h) / long_side_px
    size = (max(1, round(w / ratio)), max(1, round(h / ratio)))
    small = cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)
    return small, (w / size[0], h / size[1])


def _to_bgr8(image: Image.Image) -> np.ndarray:
    mode = image.mode
    if mode in ("I;16", "I;16B", "I;16L", "I"):
        arr = np.asarray(image, dtype=np.float64)
        top = arr.max() if arr.size else 0.0
        # 16-bit data rarely fills the range; stretch by its maximum rather than assume 65535.
        scale = 255.0 / top if top > 0 else 0.0
        grey = np.clip(arr * scale, 0, 255).astype(np.uint8)
        return np.ascontiguousarray(np.repeat(grey[:, :, None], 3, axis=2))
    if mode == "F":
        arr = np.asarray(image, dtype=np.float64)
        span = float(arr.max() - arr.min()) or 1.0
        grey = ((arr - arr.min()) / span * 255).astype(np.uint8)
        return np.ascontiguousarray(np.repeat(grey[:, :, None], 3, axis=2))
    if mode in ("RGBA", "LA", "PA") or (mode == "P" and "transparency" in image.info):
        # Transparent areas become white, as on paper, not black.
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    rgb = np.asarray(image if image.mode == "RGB" else image.convert("RGB"), dtype=np.uint8)
    # cvtColor is ~10x faster than a reversed-channel numpy copy on a 12 MP photo.
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)


def _rational(value) -> float | None:
    try:
        if isinstance(value, tuple) and len(value) == 2:
            return float(value[0]) / float(value[1]) if value[1] else None
        return float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None


def _gps_degrees(dms, ref) -> float | None:
    try:
        d, m, s = (_rational(v) for v in dms)
    except (TypeError, ValueError):
        return None
    if d is None or m is None or s is None:
        return None
    value = d + m / 60.0 + s / 3600.0
    return -value if str(ref).upper() in ("S", "W") else value


def camera_from_exif(exif: Image.Exif, *, size_wh: tuple[int, int]) -> Camera:
    """Best-effort camera facts; any malformed tag is ignored rather than failing the photo."""
    if not exif:
        return Camera()
    sub = exif.get_ifd(_EXIF_IFD)
    gps = exif.get_ifd(_GPS_IFD)
    focal_px = focal_source = None
    f35 = _rational(sub.get(_TAG_FOCAL_35MM))
    if f35 and 5.0 <= f35 <= 2000.0:
        focal_px = f35 / _FULL_FRAME_LONG_SIDE_MM * max(size_wh)
        focal_source = f"exif FocalLengthIn35mmFilm {f35:g} mm (36 mm long side)"
    lat = lon = None
    if gps:
        lat = _gps_degrees(gps.get(2), gps.get(1))
        lon = _gps_degrees(gps.get(4), gps.get(3))
        if lat is not None and not -90 <= lat <= 90:
            lat = None
        if lon is not None and not -180 <= lon <= 180:
            lon = None
    heading = _rational(gps.get(17)) if gps else None
    if heading is not None and not 0 <= heading <= 360:
        heading = None
    taken_at = None
    raw_time = sub.get(_TAG_DATETIME_ORIGINAL)
    if isinstance(raw_time, str):
        try:
            taken_at = datetime.strptime(raw_time.strip("\x00 "), "%Y:%m:%d %H:%M:%S")
        except ValueError:
            taken_at = None
    make_model = " ".join(
        str(v).strip("\x00 ") for v in (exif.get(_TAG_MAKE), exif.get(_TAG_MODEL)) if v
    ) or None
    return Camera(
        focal_px=focal_px, focal_source=focal_source, gps_lat_deg=lat, gps_lon_deg=lon,
        heading_deg=heading, taken_at=taken_at, make_model=make_model,
    )
