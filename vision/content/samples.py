"""Samples for content analysis: signs drawn from a spec, and real sign crops.

Used by the content evaluation (:mod:`training.eval_content`) and the tests; ``analyze``
does not use it.

Synthetic signs are drawn with PIL (libraqm shaping, so Thai marks stack correctly) in
real fonts from the Debian font packages (fonts-thai-tlwg, fonts-noto-core,
fonts-dejavu-core, fonts-noto-cjk). Real crops are cut from YOLO-labelled photo sets
(``class cx cy w h`` normalised, one ``labels/train/<stem>.txt`` per
``images/train/<stem>.*``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

FONT_DIRS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/tlwg"),
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/opentype/noto"),  # fonts-noto-cjk
)


def find_font(name: str) -> Path | None:
    """Path of a font file by file name in ``FONT_DIRS``, or None if not installed."""
    for d in FONT_DIRS:
        p = d / name
        if p.is_file():
            return p
    return None


@dataclass(frozen=True, slots=True)
class TextSpec:
    text: str
    font: str  # file name, see find_font


@dataclass(frozen=True, slots=True)
class SignSpec:
    """Rows top to bottom; the items of a row are laid out left to right."""

    rows: tuple[tuple[TextSpec, ...], ...]
    size_wh: tuple[int, int] = (640, 240)
    background_bgr: tuple[int, int, int] = (255, 255, 255)
    foreground_bgr: tuple[int, int, int] = (0, 0, 0)
    logo: bool = False  # draw a picture-like mark at the left


def _draw_logo(draw, box: tuple[int, int, int, int], fg_rgb, bg_rgb) -> None:
    x1, y1, x2, y2 = box
    cx, cy, r = (x1 + x2) / 2, (y1 + y2) / 2, min(x2 - x1, y2 - y1) / 2
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(220, 30, 30), outline=fg_rgb, width=3)
    star = []
    for k in range(10):
        a = np.pi / 2 + k * np.pi / 5
        rr = r * (0.75 if k % 2 == 0 else 0.32)
        star.append((cx + rr * np.cos(a), cy - rr * np.sin(a)))
    draw.polygon(star, fill=(255, 210, 0))
    draw.rectangle((cx - r * 0.2, cy + r * 0.05, cx + r * 0.2, cy + r * 0.45), fill=(20, 90, 200))


def render_sign(spec: SignSpec) -> np.ndarray:
    """Draw ``spec`` as an HxWx3 uint8 BGR image. Raises FileNotFoundError for a missing font."""
    from PIL import Image, ImageDraw, ImageFont

    w, h = spec.size_wh
    bg_rgb = tuple(reversed(spec.background_bgr))
    fg_rgb = tuple(reversed(spec.foreground_bgr))
    img = Image.new("RGB", (w, h), bg_rgb)
    draw = ImageDraw.Draw(img)
    left = 0
    if spec.logo:
        side = int(min(h * 0.7, w * 0.25))
        _draw_logo(
            draw,
            (int(w * 0.04), (h - side) // 2, int(w * 0.04) + side, (h + side) // 2),
            fg_rgb,
            bg_rgb,
        )
        left = int(w * 0.04) + side
    avail_w = (w - left) * 0.9
    n = len(spec.rows)
    row_h = h / (n + 0.4)
    y = row_h * 0.2
    for row in spec.rows:
        paths = []
        for item in row:
            p = find_font(item.font)
            if p is None:
                raise FileNotFoundError(f"font {item.font!r} not found in {FONT_DIRS}")
            paths.append(p)
        size = int(row_h * 0.62)
        while True:
            fonts = [ImageFont.truetype(str(p), size) for p in paths]
            gap = size * 0.8
            widths = [draw.textlength(it.text, font=f) for it, f in zip(row, fonts, strict=True)]
            total = sum(widths) + gap * (len(row) - 1)
            if total <= avail_w or size <= 10:
                break
            size -= 2
        x = left + (w - left - total) / 2
        for it, f, tw in zip(row, fonts, widths, strict=True):
            draw.text((x, y + row_h * 0.5), it.text, font=f, fill=fg_rgb, anchor="lm")
            x += tw + gap
        y += row_h
    return cv2.cvtColor(np.asarray(img), cv2.COLOR_RGB2BGR)


def degrade(image_bgr: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Photo-like damage: downscale, blur, sensor noise, JPEG."""
    s = rng.uniform(0.45, 0.8)
    out = cv2.resize(image_bgr, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
    out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.4, 1.0))
    noise = rng.normal(0.0, 5.0, out.shape)
    out = np.clip(out.astype(np.float64) + noise, 0, 255).astype(np.uint8)
    ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(55, 86))])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    return cv2.imdecode(buf, cv2.IMREAD_COLOR)


# (dataset directory, YOLO class id of signboards in it)
REAL_DATASETS: tuple[tuple[str, int], ...] = (("signboards-vn", 0), ("facades-spb", 3))


@dataclass(frozen=True, slots=True, eq=False)
class RealCrop:
    name: str  # "<dataset>/<image stem>"
    crop_bgr: np.ndarray


def _largest_box(
    label_path: Path, class_id: int, size_wh: tuple[int, int], min_wh: tuple[int, int]
) -> tuple[int, int, int, int] | None:
    w, h = size_wh
    best = None
    for line in label_path.read_text().splitlines():
        parts = line.split()
        if len(parts) < 5 or int(parts[0]) != class_id:
            continue
        cx, cy, bw, bh = (float(v) for v in parts[1:5])
        x1, y1 = max(0, round((cx - bw / 2) * w)), max(0, round((cy - bh / 2) * h))
        x2, y2 = min(w, round((cx + bw / 2) * w)), min(h, round((cy + bh / 2) * h))
        if x2 - x1 < min_wh[0] or y2 - y1 < min_wh[1]:
            continue
        if best is None or (x2 - x1) * (y2 - y1) > (best[2] - best[0]) * (best[3] - best[1]):
            best = (x1, y1, x2, y2)
    return best


def iter_real_crops(
    dataset_dir: Path, class_id: int, *, min_wh: tuple[int, int] = (120, 30)
) -> Iterator[RealCrop]:
    """The largest labelled sign (at least ``min_wh`` px) of each image, images in name order."""
    images = {p.stem: p for p in (dataset_dir / "images" / "train").iterdir() if p.is_file()}
    for label in sorted((dataset_dir / "labels" / "train").glob("*.txt")):
        img_path = images.get(label.stem)
        if img_path is None:
            continue
        img = cv2.imread(str(img_path), cv2.IMREAD_COLOR)
        if img is None:
            continue
        box = _largest_box(label, class_id, (img.shape[1], img.shape[0]), min_wh)
        if box is None:
            continue
        x1, y1, x2, y2 = box
        yield RealCrop(f"{dataset_dir.name}/{label.stem}", img[y1:y2, x1:x2].copy())


def real_crops(
    root: Path, per_dataset: int, datasets: Sequence[tuple[str, int]] = REAL_DATASETS
) -> list[RealCrop]:
    """Up to ``per_dataset`` crops from each dataset under ``root`` (missing datasets skipped)."""
    out: list[RealCrop] = []
    for name, class_id in datasets:
        d = root / name
        if not d.is_dir():
            continue
        for i, crop in enumerate(iter_real_crops(d, class_id)):
            if i >= per_dataset:
                break
            out.append(crop)
    return out
