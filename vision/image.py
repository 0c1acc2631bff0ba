"""Decode photo bytes into an upright 8-bit BGR ``Photo`` with camera facts from EXIF.

Every failure becomes ``InvalidImage`` with a reason a surveyor can act on. The pixel limit is
checked from the header *before* decoding, so a decompression bomb is refused cheaply.
"""

from __future__ import annotations

import io
import warnings
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from vision.errors import InvalidImage
from vision.types import Camera, Photo

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


DEFAULT_MAX_FILE_BYTES = 200 * 1024 * 1024  # far above any phone photo; refuses stray huge files


def load_photo_file(path: Path, *, max_pixels: int = DEFAULT_MAX_PIXELS,
                    max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Photo:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InvalidImage(
                f"{path} is {size / 2**20:.0f} MiB, above the {max_bytes / 2**20:.0f} MiB limit")
        if not path.is_file():
            raise InvalidImage(f"{path} is not a file")
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidImage(f"cannot read {path}: {exc.strerror or exc}") from exc
    return load_photo(data, source_name=str(path), max_pixels=max_pixels)


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


def load_photo(data: bytes, *, source_name: str = "",
               max_pixels: int = DEFAULT_MAX_PIXELS) -> Photo:
    """Decode ``data``; apply EXIF orientation; convert any mode (grey, 16-bit, CMYK, alpha).

    JPEG, PNG, TIFF, WebP, GIF and BMP are read; HEIC/HEIF through pi-heif's decoder (no HEIC
    encoder exists here to test it with, so it is not yet covered by a test).
    """
    if not data:
        raise InvalidImage("the file is empty")
    try:
        with warnings.catch_warnings():
            # PIL warns (and at 2x raises) on huge images; we enforce our own limit below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = _open(data)
            w, h = image.size
            if w * h > max_pixels:
                raise InvalidImage(
                    f"image is {w}x{h} = {w * h / 1e6:.0f} MP, above the {max_pixels / 1e6:.0f} MP limit"
                )
            if w < 16 or h < 16:
                raise InvalidImage(f"image is only {w}x{h} pixels; a sign cannot be measured")
            exif = image.getexif()
            image.load()  # forces the full decode: truncated files fail here
            if exif.get(_TAG_ORIENTATION, 1) not in (1, None):
                # exif_transpose copies the whole image, so only call it when it rotates.
                image = ImageOps.exif_transpose(image)
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
    pixels_bgr = _to_bgr8(image)
    camera = camera_from_exif(exif, size_wh=(pixels_bgr.shape[1], pixels_bgr.shape[0]))
    return Photo(pixels_bgr=pixels_bgr, camera=camera, source_name=source_name)


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
